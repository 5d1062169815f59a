/*
 * make bench's floor: the daemon's own HTTP layer (daemon/http.c: curl's
 * multi-socket interface on libevent, easy handles reused) POSTing one
 * body N times at parallelism P, and nothing else: no Redis, no plan, no
 * JSON. What is left of nhacviecd's CPU per delivery above this is its own.
 *
 *	http_floor URL N P BODY
 *
 * Prints "MS CPU_S": the wall time from the first request to the last
 * answer, and the CPU time this process used in all.
 */
#include <sys/resource.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "http.h"
#include "log.h"

struct floor {
	struct event_base	*base;
	struct http		*http;
	const char		*url;
	const char		*body;
	long			 n, started, done, failed;
};

static void	floor_send(struct floor *);

static void
floor_done(void *arg, const struct http_response *r)
{
	struct floor	*f = arg;

	f->done++;
	if (r->code != CURLE_OK || r->status != 200)
		f->failed++;
	if (f->started < f->n)
		floor_send(f);
	else if (f->done == f->n)
		event_base_loopbreak(f->base);
}

static void
floor_send(struct floor *f)
{
	struct http_request	 req;
	char			 key[64];

	memset(&req, 0, sizeof(req));
	req.url = f->url;
	req.timeout_ms = 30000;
	req.body = strdup(f->body);
	req.body_len = strlen(f->body);
	/* The headers the webhook channel sends. */
	req.headers = curl_slist_append(NULL,
	    "Content-Type: application/json; charset=utf-8");
	snprintf(key, sizeof(key), "Idempotency-Key: floor-%ld", f->started);
	req.headers = curl_slist_append(req.headers, key);
	f->started++;
	if (http_submit(f->http, &req, floor_done, f) == -1) {
		fprintf(stderr, "http_floor: cannot start a transfer\n");
		exit(1);
	}
}

static double
floor_cpu(void)
{
	struct rusage	ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	    (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

int
main(int argc, char **argv)
{
	struct floor	 f;
	struct timespec	 t0, t1;
	long		 par, i;

	if (argc != 5) {
		fprintf(stderr, "usage: http_floor URL N P BODY\n");
		return 2;
	}
	memset(&f, 0, sizeof(f));
	f.url = argv[1];
	f.n = atol(argv[2]);
	par = atol(argv[3]);
	f.body = argv[4];
	log_init("http_floor", 0);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	f.base = event_base_new();
	f.http = http_new(f.base);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < par && i < f.n; i++)
		floor_send(&f);
	event_base_dispatch(f.base);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	http_free(f.http);
	event_base_free(f.base);
	curl_global_cleanup();
	if (f.failed > 0) {
		fprintf(stderr, "http_floor: %ld of %ld failed\n", f.failed,
		    f.n);
		return 1;
	}
	printf("%ld %.4f\n", (t1.tv_sec - t0.tv_sec) * 1000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000000, floor_cpu());
	return 0;
}
