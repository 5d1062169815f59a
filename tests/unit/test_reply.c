/* Unit tests for reading replies: replies as heads type them on a phone, their normal form, occurrence codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"
#include "reply.h"

/* "Đã hoàn thành" decomposed (NFD): base letters and combining marks. */
#define NFD_DONE	"Đa\xcc\x83 hoa\xcc\x80n tha\xcc\x80nh"

static const struct {
	const char	*text;
	enum reply_kind	 want;
} classify_cases[] = {
	/* done */
	{ "Đã hoàn thành", REPLY_DONE },
	{ "Dạ, đã hoàn thành ạ", REPLY_DONE },
	{ "da hoan thanh a", REPLY_DONE },
	{ "XONG", REPLY_DONE },
	{ "Xong rồi ạ 👍", REPLY_DONE },
	{ "Em đã thực hiện xong báo cáo quý I ạ", REPLY_DONE },
	{ "Đã thực hiện.", REPLY_DONE },
	{ "đã gửi báo cáo, hoàn thành rồi anh", REPLY_DONE },
	{ "Báo cáo #K7Q2 đã hoàn thành", REPLY_DONE },
	{ "Hoàn thành!!!", REPLY_DONE },
	{ "Đã xong. Cảm ơn anh 🙏", REPLY_DONE },
	{ "dạ xong r ạ", REPLY_DONE },
	{ "Đ/c Lan đã hoàn thành nhiệm vụ", REPLY_DONE },
	{ NFD_DONE, REPLY_DONE },
	{ "Đã nhận và đã hoàn thành ạ", REPLY_DONE },
	{ "Không, em đã xong rồi", REPLY_DONE },
	{ "xong hết rồi nha anh", REPLY_DONE },
	{ "Đã hoàn tất", REPLY_DONE },
	{ "HOÀN THÀNH", REPLY_DONE },
	{ "ĐÃ HOÀN THÀNH Ạ", REPLY_DONE },
	{ "Hoàn thành 100% ạ", REPLY_DONE },
	{ "UBND xã đã hoàn thành", REPLY_DONE },
	{ "ok xong", REPLY_DONE },
	{ "hoan thanh roi", REPLY_DONE },
	{ "Dạ\nEm báo cáo:\nĐã hoàn thành kế hoạch", REPLY_DONE },
	/* acknowledged */
	{ "Đã nhận", REPLY_ACK },
	{ "OK anh", REPLY_ACK },
	{ "ok", REPLY_ACK },
	{ "Oke ạ", REPLY_ACK },
	{ "okie anh", REPLY_ACK },
	{ "Okkk", REPLY_ACK },
	{ "em đã nhận được", REPLY_ACK },
	{ "Dạ em nhận ạ", REPLY_ACK },
	{ "Đã biết", REPLY_ACK },
	{ "👍", REPLY_ACK },
	{ "👍🏻👍🏻", REPLY_ACK },
	{ "Dạ, đã rõ", REPLY_ACK },
	{ "nhận được rồi, em sẽ hoàn thành trước thứ 6", REPLY_ACK },
	{ "Đã nhận, chưa xong", REPLY_ACK },
	{ "Dạ vâng, em đã nhận văn bản ạ", REPLY_ACK },
	{ "da nhan", REPLY_ACK },
	{ "Em xác nhận", REPLY_ACK },
	{ "biết rồi", REPLY_ACK },
	{ "Đang thực hiện, đã nhận ạ", REPLY_ACK },
	{ "Ủy ban nhân dân xã đã nhận", REPLY_ACK },
	{ "Đã nhận thông tin nhé", REPLY_ACK },
	{ "Phòng đã tiếp nhận", REPLY_ACK },
	/* nothing to record */
	{ "chưa xong", REPLY_NONE },
	{ "Chưa hoàn thành ạ", REPLY_NONE },
	{ "Em sẽ hoàn thành trước 15/4", REPLY_NONE },
	{ "Đang thực hiện", REPLY_NONE },
	{ "Xong chưa em?", REPLY_NONE },
	{ "Em chưa nhận được văn bản", REPLY_NONE },
	{ "không nhận được tin nhắn", REPLY_NONE },
	{ "Dự kiến hoàn thành ngày 20/6", REPLY_NONE },
	{ "Anh ơi cho em hỏi báo cáo theo mẫu nào ạ?", REPLY_NONE },
	{ "đã hoàn thành 50% khối lượng", REPLY_NONE },
	{ "họp lúc 8h00 ạ", REPLY_NONE },
	{ "Em nhận thấy số liệu chưa khớp", REPLY_NONE },
	{ "", REPLY_NONE },
	{ "🙏🙏🙏", REPLY_NONE },
	{ "Xong một nửa rồi", REPLY_NONE },
	{ "Cố gắng hoàn thành trong tuần", REPLY_NONE },
	{ "Không ok lắm", REPLY_NONE },
	{ "Sắp xong rồi ạ", REPLY_NONE },
	{ "Đã nhận được chưa?", REPLY_NONE },
	{ "k nhan dc", REPLY_NONE },
	{ "chx xong", REPLY_NONE },
	{ "ko xong dc", REPLY_NONE },
	{ "Đã hoàn thành chưa?", REPLY_NONE },
	{ "đã xử lý", REPLY_NONE },
	{ "Em đã nhắn tin cho anh", REPLY_NONE },
	{ "Em đã nhắn cho anh rồi", REPLY_NONE },
	{ "Nhân viên đã nghỉ", REPLY_NONE },
	{ "Chưa, em đang làm", REPLY_NONE },
	{ "Dạ", REPLY_NONE },
	{ "Gửi nhầm người nhận", REPLY_NONE },
	{ "Hoàn thành?", REPLY_NONE },
	{ "\xff\xfe xong", REPLY_DONE },
	{ "xongxongxongxongxongxongxongxong", REPLY_NONE },
};

static void
test_classify(void **state)
{
	enum reply_kind	got;
	size_t		i;

	(void)state;
	assert_true(nitems(classify_cases) >= 40);
	for (i = 0; i < nitems(classify_cases); i++) {
		got = reply_classify(classify_cases[i].text);
		if (got != classify_cases[i].want)
			fail_msg("'%s': got %s, want %s", classify_cases[i].text,
			    reply_kind_name(got),
			    reply_kind_name(classify_cases[i].want));
	}
	assert_string_equal(reply_kind_name(REPLY_ACK), "ack");
}

/* A long reply with the meaning at its end still reads. */
static void
test_classify_long(void **state)
{
	char	*text;
	size_t	 i, n = 0;

	(void)state;
	assert_non_null(text = malloc(6000));
	for (i = 0; i < 500; i++)
		n += (size_t)sprintf(text + n, "việc ");
	sprintf(text + n, ". Đã hoàn thành");
	assert_int_equal(reply_classify(text), REPLY_DONE);
	free(text);
}

static const struct {
	const char	*text;
	const char	*want;
} normalise_cases[] = {
	{ "Dạ, ĐÃ hoàn thành ạ!!!", "da da hoan thanh a" },
	{ "Đ/c Lan", "d c lan" },
	{ NFD_DONE, "da hoan thanh" },
	{ "  nhiều   khoảng  trắng\t\n", "nhieu khoang trang" },
	{ "👍ok", "ok ok" },
	{ "xong👍", "xong ok" },
	{ "#K7Q2", "k7q2" },
	{ "Ưu tiên Ơn Ăn Ĩ Ũ", "uu tien on an i u" },
	{ "Quý I/2022: 100%", "quy i 2022 100" },
	{ "", "" },
	{ "\xff\xfe abc", "abc" },
	{ "ạ\xe1\xba", "a" },
};

static void
test_normalise(void **state)
{
	char	*got;
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(normalise_cases); i++) {
		assert_non_null(got = reply_normalise(normalise_cases[i].text));
		if (strcmp(got, normalise_cases[i].want) != 0)
			fail_msg("'%s': got '%s'", normalise_cases[i].text, got);
		free(got);
	}
}

/* Codes worked out with Python's hashlib: the first 20 bits, Crockford base32. */
static void
test_code(void **state)
{
	char	code[REPLY_CODE_SIZE];

	(void)state;
	assert_int_equal(reply_code("bao-cao-quy", "2022-06-30", code), 0);
	assert_string_equal(code, "#P62K");	/* SHA-256 b18531... */
	assert_int_equal(reply_code("dan-hoi", "2022-04-30", code), 0);
	assert_string_equal(code, "#2G5C");	/* 140ac7... */
	assert_int_equal(reply_code("a", "2000-01-01", code), 0);
	assert_string_equal(code, "#RS56");	/* c64a69... */
}

static const struct {
	const char	*text;
	int		 count;
	const char	*code;
} find_cases[] = {
	{ "#K7Q2", 1, "#K7Q2" },
	{ "#k7q2 đã xong", 1, "#K7Q2" },
	{ "Báo cáo #K7Q2.", 1, "#K7Q2" },
	{ "mã k7q2 xong rồi", 1, "#K7Q2" },
	{ "(K7Q2) xong", 1, "#K7Q2" },
	{ "#KOQ2", 1, "#K0Q2" },
	{ "#kiq2", 1, "#K1Q2" },
	{ "#KLQ2", 1, "#K1Q2" },
	{ "#PPPP xong", 1, "#PPPP" },
	{ "#8H00", 1, "#8H00" },
	{ "abc#K7Q2", 1, "#K7Q2" },
	{ "#K7Q2 và #2G5C đã xong", 2, "#K7Q2" },
	{ "#K7Q2 #k7q2 #K7Q2", 1, "#K7Q2" },
	{ "#K7Q2 còn 2G5C", 1, "#K7Q2" },
	{ "K7Q2 2G5C", 2, "#K7Q2" },
	{ "#KUQ2", 0, NULL },
	{ "#K7Q", 0, NULL },
	{ "#K7Q2X", 0, NULL },
	{ "# K7Q2", 1, "#K7Q2" },
	{ "#K7Qạ", 0, NULL },
	{ "#K7Q2ạ", 0, NULL },
	{ "xong", 0, NULL },
	{ "nhan", 0, NULL },
	{ "họp lúc 8h00", 0, NULL },
	{ "9g30 sáng", 0, NULL },
	{ "năm 2022", 0, NULL },
	{ "kiq2", 0, NULL },
	{ "", 0, NULL },
	{ "###", 0, NULL },
	{ "👍#K7Q2👍", 1, "#K7Q2" },
};

static void
test_code_find(void **state)
{
	char	code[REPLY_CODE_SIZE];
	size_t	i;
	int	got;

	(void)state;
	for (i = 0; i < nitems(find_cases); i++) {
		strcpy(code, "-");
		got = reply_code_find(find_cases[i].text, code);
		if (got != find_cases[i].count)
			fail_msg("'%s': %d codes, want %d", find_cases[i].text,
			    got, find_cases[i].count);
		if (find_cases[i].code != NULL &&
		    strcmp(code, find_cases[i].code) != 0)
			fail_msg("'%s': %s", find_cases[i].text, code);
		if (find_cases[i].code == NULL)
			assert_string_equal(code, "-");
	}
}

/* A code made for an occurrence is found again in a reply that quotes it. */
static void
test_code_round_trip(void **state)
{
	char	code[REPLY_CODE_SIZE], got[REPLY_CODE_SIZE], text[100];
	int	day;

	(void)state;
	for (day = 1; day <= 28; day++) {
		snprintf(text, sizeof(text), "2022-02-%02d", day);
		assert_int_equal(reply_code("bao-cao", text, code), 0);
		snprintf(text, sizeof(text), "Dạ %s đã xong ạ", code);
		assert_int_equal(reply_code_find(text, got), 1);
		assert_string_equal(got, code);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_classify_long),
		cmocka_unit_test(test_normalise),
		cmocka_unit_test(test_code),
		cmocka_unit_test(test_code_find),
		cmocka_unit_test(test_code_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
