/* Text from outside made safe to log and store as JSON; its width on a terminal. */
#ifndef NV_TEXT_H
#define NV_TEXT_H

#include <stddef.h>

/* 1 when s[0..n) is well-formed UTF-8 (no overlong form, no surrogate). */
int	text_utf8_valid(const char *s, size_t n);
/*
 * Copy src[0..n) into dst (NUL-terminated, at most len - 1 bytes) as
 * printable UTF-8: whole characters only; TAB, CR and LF become a space,
 * any other control character or a byte that is not UTF-8 a '?'. The copy
 * stops at a NUL byte. Returns the bytes written.
 */
size_t	text_printable(char *dst, size_t len, const char *src, size_t n);
/*
 * The columns a terminal gives UTF-8 text: one per code point, none for a
 * combining mark (Vietnamese typed in decomposed form).
 */
size_t	text_width(const char *s);

#endif
