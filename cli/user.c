/* nhacviec user: the accounts of the status pages, in [http] users_file. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <crypt.h>

#include "cli.h"
#include "diag.h"
#include "users.h"

#define USER_PASSWORD_MIN	8	/* characters, roughly: bytes */

/*
 * One line of standard input into buf (without its end), the terminal's
 * echo off while it is typed; -1 at the end of the input.
 */
static int
user_read_line(const char *prompt, char *buf, size_t len)
{
	struct termios	 old, quiet;
	int		 tty = isatty(STDIN_FILENO), rc = 0;
	size_t		 n;

	if (tty) {
		fprintf(stderr, "%s", prompt);
		fflush(stderr);
		if (tcgetattr(STDIN_FILENO, &old) == 0) {
			quiet = old;
			quiet.c_lflag &= ~(tcflag_t)ECHO;
			(void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
		} else
			tty = 0;
	}
	if (fgets(buf, (int)len, stdin) == NULL)
		rc = -1;
	if (tty) {
		(void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (rc == -1)
		return -1;
	n = strlen(buf);
	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '\r')
		buf[--n] = '\0';
	return 0;
}

/* The password, typed twice; -1 after saying what was wrong. */
static int
user_password(char *pw, size_t len)
{
	char	again[USERS_PASSWORD_MAX + 2];
	int	rc = 0;

	if (user_read_line(_("Password: "), pw, len) == -1 ||
	    user_read_line(_("Password again: "), again,
	    sizeof(again)) == -1) {
		fprintf(stderr, _("nhacviec user: give the password twice on "
		    "standard input (two lines)\n"));
		rc = -1;
	} else if (strlen(pw) > USERS_PASSWORD_MAX) {
		fprintf(stderr, _("nhacviec user: a password of at most %d "
		    "bytes\n"), USERS_PASSWORD_MAX);
		rc = -1;
	} else if (strcmp(pw, again) != 0) {
		fprintf(stderr, _("nhacviec user: the two passwords differ; "
		    "nothing changed\n"));
		rc = -1;
	} else if (strlen(pw) < USER_PASSWORD_MIN) {
		fprintf(stderr, _("nhacviec user: a password of at least %d "
		    "characters\n"), USER_PASSWORD_MIN);
		rc = -1;
	}
	explicit_bzero(again, sizeof(again));
	return rc;
}

/* user add NAME [--read-only]: a new account, or a new password. */
static int
user_add(struct cli *cl, const char *path, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "read-only", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	char	pw[USERS_PASSWORD_MAX + 2], hash[CRYPT_OUTPUT_SIZE], err[600];
	int	o, ro = 0, replaced, rc;

	while ((o = cli_getopt(cl, argc, argv, longopts)) != -1) {
		if (o != 'r')
			return EX_USAGE;
		ro = 1;
	}
	if (argc - optind != 2)
		return cli_usage(cl, "add needs one user name");
	if (!users_name_ok(argv[optind + 1]))
		return cli_usage(cl, "'%s' is not a user name: 1 to %d of a-z, "
		    "0-9, '.', '_', '-'", argv[optind + 1], USERS_NAME_MAX);
	if (user_password(pw, sizeof(pw)) == -1) {
		explicit_bzero(pw, sizeof(pw));
		return EX_DATAERR;
	}
	rc = users_hash(pw, hash, sizeof(hash), err, sizeof(err));
	explicit_bzero(pw, sizeof(pw));
	if (rc == -1 || users_put(path, argv[optind + 1], hash, ro,
	    &replaced, err, sizeof(err)) == -1) {
		fprintf(stderr, "nhacviec user: %s\n", err);
		return EX_UNAVAILABLE;
	}
	printf(replaced ? _("%s has a new password in %s%s\n") :
	    _("%s added in %s%s\n"), argv[optind + 1], path, ro ?
	    _(" (read-only: sees the pages, no buttons)") : "");
	return 0;
}

/* user list: the names and roles, never the hashes. */
static int
user_list(const char *path)
{
	struct users	*u;
	struct diag	 d;
	size_t		 i;
	int		 missing;

	diag_init(&d);
	if ((u = users_load(path, &d, &missing)) == NULL) {
		diag_print(&d, stderr);
		diag_clear(&d);
		return missing ? 0 : EX_DATAERR;
	}
	diag_clear(&d);
	for (i = 0; i < u->n; i++)
		printf("%s%s\n", u->v[i].name, u->v[i].read_only ?
		    _(" (read-only)") : "");
	if (u->n == 0)
		printf(_("no users in %s\n"), path);
	users_free(u);
	return 0;
}

int
cmd_user(struct cli *cl, int argc, char **argv)
{
	const char	*path = cl->conf->users_file;
	char		 err[600];

	if (argc < 2)
		return cli_usage(cl, "add, remove or list?");
	if (path == NULL) {
		fprintf(stderr, _("nhacviec user: %s sets no [http] "
		    "users_file (e.g. users_file = "
		    "/etc/nhacviec/secrets/users)\n"), cl->conf->path);
		return EX_CONFIG;
	}
	if (strcmp(argv[1], "add") == 0)
		return user_add(cl, path, argc, argv);
	if (cli_getopt(cl, argc, argv, NULL) != -1)
		return EX_USAGE;
	if (strcmp(argv[1], "list") == 0) {
		if (argc - optind != 1)
			return cli_usage(cl, "list takes nothing more");
		return user_list(path);
	}
	if (strcmp(argv[1], "remove") == 0) {
		if (argc - optind != 2)
			return cli_usage(cl, "remove needs one user name");
		if (users_remove(path, argv[optind + 1], err,
		    sizeof(err)) == -1) {
			fprintf(stderr, "nhacviec user: %s\n", err);
			return EX_DATAERR;
		}
		printf(_("%s removed from %s; a session already open ends at "
		    "its next page\n"), argv[optind + 1], path);
		return 0;
	}
	return cli_usage(cl, "'%s': add, remove or list", argv[1]);
}
