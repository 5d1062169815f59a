/* Checks the Zalo OA events a fake webhook dumped (-B) with common/sign.c, as the daemon checks them: one verdict a line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "sign.h"

/*
 * usage: zevent_check APP_ID SECRET_FILE DUMP
 * DUMP holds one {"headers": {...}, "body": "..."} a line (fake_webhook -B);
 * prints sign_zalo_name of each ("ok", "bad signature"...). Exits 0 when
 * every event is ok, 1 when one is not, 2 on a usage or file error.
 */
int
main(int argc, char *argv[])
{
	FILE			*f;
	json_t			*o, *hdrs, *body, *v;
	enum sign_zalo_result	 r;
	const char		*k, *sig;
	char			 secret[512], err[256], *line = NULL;
	size_t			 cap = 0;
	int			 rc = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: zevent_check APP_ID SECRET_FILE DUMP\n");
		return 2;
	}
	if ((f = fopen(argv[2], "r")) == NULL ||
	    fgets(secret, sizeof(secret), f) == NULL) {
		fprintf(stderr, "zevent_check: cannot read %s\n", argv[2]);
		return 2;
	}
	fclose(f);
	secret[strcspn(secret, "\r\n")] = '\0';
	if ((f = fopen(argv[3], "r")) == NULL) {
		fprintf(stderr, "zevent_check: cannot open %s\n", argv[3]);
		return 2;
	}
	while (getline(&line, &cap, f) != -1) {
		o = json_loads(line, 0, NULL);
		hdrs = json_object_get(o, "headers");
		body = json_object_get(o, "body");
		if (!json_is_object(hdrs) || !json_is_string(body)) {
			fprintf(stderr, "zevent_check: %s: a line without "
			    "headers and body\n", argv[3]);
			return 2;
		}
		sig = NULL;
		json_object_foreach(hdrs, k, v)
			if (strcasecmp(k, SIGN_ZALO_HEADER) == 0)
				sig = json_string_value(v);
		r = sign_zalo_check(sig, json_string_value(body),
		    json_string_length(body), argv[1], secret, err,
		    sizeof(err));
		printf("%s\n", sign_zalo_name(r));
		if (r != SIGN_ZALO_OK)
			rc = 1;
		json_decref(o);
	}
	free(line);
	fclose(f);
	return rc;
}
