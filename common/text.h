/* Text from outside: UTF-8 checked, made safe to log and store as JSON, read a character at a time and folded to ASCII; its width on a terminal. */
#ifndef NV_TEXT_H
#define NV_TEXT_H

#include <stddef.h>
#include <stdint.h>

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
/*
 * One character at s (NUL-terminated), its length in *n; a stray byte is
 * U+FFFD of length 1.
 */
uint32_t	text_utf8_next(const unsigned char *s, size_t *n);
/*
 * The lower-case ASCII letter or digit a character folds to (Vietnamese:
 * đ to d, every toned or marked letter to its base, either case),
 * TEXT_FOLD_MARK for a combining mark, 0 for anything else.
 */
#define TEXT_FOLD_MARK	(-1)
int	text_fold(uint32_t c);

#endif
