/* Reading a head's reply to a reminder: what it means (acknowledged, done) and which occurrence code it names. */
#ifndef NV_REPLY_H
#define NV_REPLY_H

#include <stddef.h>

enum reply_kind {
	REPLY_NONE,		/* nothing we can record */
	REPLY_ACK,		/* acknowledged */
	REPLY_DONE,		/* done (acknowledged too) */
};

/*
 * The text as replies are matched: Vietnamese folded to lower-case ASCII
 * (diacritics dropped, đ/Đ as d, precomposed or combining), 👍 and 👌 as
 * "ok", every other character a separator; words of letters and digits
 * one space apart. malloc'd; NULL when out of memory.
 */
char		*reply_normalise(const char *text);

/*
 * What a reply means. The text is folded as above and cut into clauses at
 * . , ; : ! ? … and line ends. A meaning phrase counts unless its clause
 * says otherwise:
 *   done: "xong", "hoàn thành", "hoàn tất", "đã thực hiện";
 *   ack:  "đã nhận", "nhận", "xác nhận", "tiếp nhận", "ok" (oke, okie,
 *         okay, okkk..., 👍, 👌), "đã biết", "biết rồi", "đã rõ", "rõ rồi".
 * A word of a phrase typed with marks must carry that word's marks ("nhắn"
 * and "nhân" are not "nhận"); typed without any, it may be either. A
 * phrase does not count when, in its clause, one of the three words
 * before it negates it or puts it off ("chưa", "không"/"ko"/"k", "sẽ",
 * "sắp", "đang", "cần", "phải", "cố gắng", "dự kiến", "khi", "nếu"...;
 * phrases that begin with "đã" ignore the words before them), when one of
 * the two words after it asks ("xong chưa", "nhận được không") or halves
 * it ("xong một nửa"), when a percentage under 100 follows, when the
 * clause ends with '?', or for "nhận" when it is another word ("nhận
 * thấy", "nhận xét", "tin nhắn", "người nhận"). Any done phrase that
 * counts makes REPLY_DONE, else any ack phrase REPLY_ACK, else REPLY_NONE
 * (also when out of memory): in doubt nothing is recorded, and the reply
 * is kept for an admin to read.
 */
enum reply_kind	 reply_classify(const char *text);
/* "none", "ack", "done". */
const char	*reply_kind_name(enum reply_kind);

/*
 * The code of the occurrence TASK/DUE: '#' and 4 characters of Crockford
 * base32 (0-9 A-Z without I L O U) of the first 20 bits of
 * SHA-256("TASK/DUE"). code holds REPLY_CODE_SIZE. Returns 0.
 */
#define REPLY_CODE_SIZE	6
int		 reply_code(const char *task, const char *due, char *code);

/*
 * The codes a reply carries: "#K7Q2" (case-insensitive, I and L read as 1,
 * O as 0), or when there is none with '#', a bare word of 4 such
 * characters with at least one digit and one letter that is not a time
 * ("8h00", "9g30"). Returns how many distinct codes (0, 1, 2 or more:
 * ambiguous); the first in canonical form ("#K7Q2") into code (room for
 * REPLY_CODE_SIZE) when there is one.
 */
int		 reply_code_find(const char *text, char *code);

#endif
