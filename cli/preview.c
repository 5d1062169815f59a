/* nhacviec preview: the reminders the plan files give over some days, without Redis. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "plan.h"
#include "planstore.h"
#include "schedule.h"


/* A day option's value, or -1 after saying what is wrong. */
static int
preview_day(const char *opt, const char *value, plan_day *out)
{
	if (plan_parse_day(value, out) == 0)
		return 0;
	fprintf(stderr, _("nhacviec: preview: %s '%s' is not a day; give "
	    "YYYY-MM-DD, e.g. 2022-04-01\n"), opt, value);
	return -1;
}

int
cmd_preview(struct cli *cl, int argc, char **argv)
{
	const struct config	*conf = cl->conf;
	static const struct option longopts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	struct plan		*p;
	struct sched_list	 l;
	struct diag		 d;
	struct plan_sources	 src;
	plan_day		 from = 0, to = 0;
	const char		*format = "text";
	char			 err[512];
	int			 ch, have_from = 0, have_to = 0, rc;

	while ((ch = cli_getopt(cl, argc, argv, longopts)) != -1) {
		switch (ch) {
		case 'f':
			if (preview_day("--from", optarg, &from) == -1)
				return EX_USAGE;
			have_from = 1;
			break;
		case 't':
			if (preview_day("--to", optarg, &to) == -1)
				return EX_USAGE;
			have_to = 1;
			break;
		case 'F':
			if (strcmp(optarg, "text") != 0 &&
			    strcmp(optarg, "tsv") != 0) {
				fprintf(stderr, _("nhacviec: preview: --format "
				    "'%s': use text or tsv\n"), optarg);
				return EX_USAGE;
			}
			format = optarg;
			break;
		default:
			return EX_USAGE;
		}
	}
	if (!have_from || !have_to)
		return cli_usage(cl, "needs both --from and --to");
	if (from > to) {
		fprintf(stderr, _("nhacviec: preview: --from is after "
		    "--to\n"));
		return EX_USAGE;
	}

	diag_init(&d);
	p = planstore_load(conf, &src, &d);
	planstore_sources_clear(&src);
	diag_print(&d, stderr);
	diag_clear(&d);
	if (p == NULL) {
		fprintf(stderr, _("nhacviec: preview: the plan (%s) has "
		    "errors\n"), conf->plan_files);
		return EX_CONFIG;
	}

	memset(&l, 0, sizeof(l));
	rc = EX_CONFIG;
	if (schedule_expand(p, conf, schedule_local_ms(p, from, 0),
	    schedule_local_ms(p, to + 1, 0) - 1, &l, err, sizeof(err)) == -1)
		fprintf(stderr, "nhacviec: preview: %s\n", err);
	else {
		if (strcmp(format, "tsv") == 0)
			schedule_print_tsv(p, &l, stdout);
		else
			schedule_print_text(p, &l, stdout);
		rc = fflush(stdout) == 0 ? 0 : 74;
	}
	schedule_list_clear(&l);
	plan_free(p);
	return rc;
}
