/* What the unit tests share: a scratch folder per suite, files written in it, DIR replaced by its path. */
#ifndef NV_TEST_HELPERS_H
#define NV_TEST_HELPERS_H

#include <limits.h>
#include <stddef.h>

#include <hiredis/hiredis.h>

#include "xmalloc.h"

/* The scratch folder of the running suite (absolute), after test_dir_make. */
extern char	test_dir[PATH_MAX];

/* A fresh folder /tmp/nv-test-NAME-XXXXXX as test_dir; -1 on failure. */
int	test_dir_make(const char *name);
/* Remove test_dir and everything in it. */
void	test_dir_remove(void);
/* Write name (relative to test_dir, folders made) with text; asserts. */
void	test_write(const char *name, const char *text);
void	test_write_len(const char *name, const char *text, size_t len);
/* test_dir/name, in a static buffer overwritten by the next call. */
const char *test_path(const char *name);
/* A copy of s with every "DIR" replaced by test_dir (malloc'd). */
char	*test_subst(const char *s);

/*
 * A reply written short, words split on spaces: [ ] an array, :N an
 * integer, ~ nil, +S a status, -S an error, '' an empty string, any other
 * word a bulk string. Turned into RESP and read by hiredis's own reader;
 * freeReplyObject it.
 */
redisReply *test_resp(const char *text);

#endif
