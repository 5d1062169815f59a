/* libFuzzer entry: the texts nhacviec takes from outside (config, plan files, templates, Redis payloads, replies, links, OA events). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <stdio.h>
#include <unistd.h>

#include "config.h"
#include "diag.h"
#include "plan.h"
#include "reminder.h"
#include "reply.h"
#include "sign.h"
#include "template.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The main config is read from a file: one temp file, rewritten each run. */
static void
fuzz_config(const char *text, size_t len, struct diag *d)
{
	static char	 path[] = "/tmp/nv-fuzz-config-XXXXXX";
	static int	 made;
	struct config	*c;
	FILE		*fp;
	int		 fd;

	if (!made) {
		if ((fd = mkstemp(path)) == -1)
			return;
		close(fd);
		made = 1;
	}
	if ((fp = fopen(path, "w")) == NULL)
		return;
	fwrite(text, 1, len, fp);
	fclose(fp);
	c = config_load(path, d);
	config_free(c);
}

/* The first byte picks the parser; the rest is its input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag	 d;
	struct reminder	 r;
	struct plan	*p;
	struct template	*t;
	struct sign_link l;
	const char	*name = "fuzz.conf", *body;
	char		*text, err[256], *out, code[REPLY_CODE_SIZE];

	if (size < 1)
		return 0;
	if ((text = malloc(size)) == NULL)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	diag_init(&d);
	switch (data[0] % 7) {
	case 0:
		p = plan_load_texts(&name, (const char *const *)&text, 1, &d);
		plan_free(p);
		break;
	case 1:
		if ((t = template_parse("fuzz.txt", text, &d)) != NULL &&
		    reminder_parse(&r, "{\"id\":\"a\",\"task\":\"t\",\"agency\":"
		    "\"x\",\"channel\":\"c\",\"due\":\"2022-04-30\"}", 71, err,
		    sizeof(err)) == 0) {
			out = template_render(t, &r, TEMPLATE_JSON, NULL);
			free(out);
			reminder_clear(&r);
		}
		template_free(t);
		break;
	case 2:
		if (reminder_parse(&r, text, size - 1, err, sizeof(err)) == 0) {
			out = reminder_text(&r);
			free(out);
			reminder_clear(&r);
		}
		break;
	case 3:
		fuzz_config(text, size - 1, &d);
		break;
	case 4:
		reply_classify(text);
		reply_code_find(text, code);
		free(reply_normalise(text));
		break;
	case 5:
		sign_link_parse(text, "0123456789abcdef0123456789abcdef", 32,
		    0, &l);
		break;
	case 6:
		/* the header line, then the body */
		if ((body = strchr(text, '\n')) != NULL) {
			text[body - text] = '\0';
			body++;
			sign_zalo_check(text, body, strlen(body), "4242",
			    "oa-key", err, sizeof(err));
		}
		break;
	}
	diag_clear(&d);
	free(text);
	return 0;
}
