/* Unit tests for common/appendix.c, the pure half of `nhacviec import-appendix`: tables of named cases. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <iconv.h>

#include <cmocka.h>

#include "appendix.h"
#include "xmalloc.h"

static void
check_str(const char *name, const char *what, const char *got,
    const char *want)
{
	if (got == NULL && want == NULL)
		return;
	if (got == NULL || want == NULL || strcmp(got, want) != 0)
		fail_msg("case '%s': %s: got '%s', want '%s'", name, what,
		    got ? got : "(null)", want ? want : "(null)");
}

/* --- the file's encoding --------------------------------------------------- */

/* utf8 in encoding `to`, as iconv (glibc) writes it; malloc'd, length in *n. */
static char *
encode(const char *to, const char *utf8, size_t *n)
{
	iconv_t	 cd;
	char	*out, *ib = (char *)utf8, *ob;
	size_t	 il = strlen(utf8), ol = 4 * il + 16;

	assert_true((cd = iconv_open(to, "UTF-8")) != (iconv_t)-1);
	assert_non_null(out = malloc(ol));
	ob = out;
	assert_true(iconv(cd, &ib, &il, &ob, &ol) != (size_t)-1);
	assert_true(iconv(cd, NULL, NULL, &ob, &ol) != (size_t)-1);
	iconv_close(cd);
	*n = (size_t)(ob - out);
	return out;
}

/* A table as Excel and Word save it, one line of each kind of cell. */
static const char table_utf8[] =
    "STT\tNỘI DUNG TUYÊN TRUYỀN\tCƠ QUAN CHỦ TRÌ\tCƠ QUAN PHỐI HỢP\t"
    "THỜI GIAN THỰC HIỆN\r\n"
    "1\tChuyên mục “Dân hỏi - Chính quyền trả lời”\tĐài Truyền thanh "
    "huyện\tỦy ban nhân dân các xã, thị trấn\tThường xuyên\r\n"
    "2\tBáo cáo kết quả\tPhòng Nội vụ\tCác ban, phòng ngành\tHàng quý, "
    "6 tháng, năm\r\n";

static void
check_decode(const char *name, const char *in, size_t len,
    const char *encoding, const char *want, const char *want_how)
{
	char	*out = NULL, how[64], err[256];
	size_t	 n = 0;

	if (appendix_decode(in, len, encoding, &out, &n, how, sizeof(how),
	    err, sizeof(err)) != 0)
		fail_msg("case '%s': %s", name, err);
	check_str(name, "text", out, want);
	assert_int_equal(n, strlen(want));
	check_str(name, "how", how, want_how);
	free(out);
}

static void
check_decode_err(const char *name, const char *in, size_t len,
    const char *encoding, const char *want)
{
	char	*out = NULL, how[64], err[256];
	size_t	 n;

	if (appendix_decode(in, len, encoding, &out, &n, how, sizeof(how),
	    err, sizeof(err)) != -1)
		fail_msg("case '%s': decoded", name);
	assert_null(out);
	check_str(name, "err", err, want);
}

static void
test_decode(void **state)
{
	char	*b, *u;
	size_t	 n;

	(void)state;
	check_decode("utf-8", table_utf8, strlen(table_utf8), NULL,
	    table_utf8, "UTF-8");
	check_decode("utf-8 with a BOM", "\xef\xbb\xbfSTT\n", 7, NULL,
	    "STT\n", "UTF-8");
	/* Excel's "Unicode Text": UTF-16LE with a BOM */
	check_decode("utf-16le bytes", "\xff\xfeS\0T\0T\0\t\0\xb0\x01\n\0",
	    14, NULL, "STT\tư\n", "UTF-16LE");
	check_decode("utf-16be bytes", "\xfe\xff\0S\0T\0T\0\t\x01\xb0\0\n",
	    14, NULL, "STT\tư\n", "UTF-16BE");
	check_decode("utf-16le, no BOM", "S\0T\0T\0", 6, NULL, "STT",
	    "UTF-16LE");
	/* Windows-1258: "Thường xuyên", tones as combining marks */
	check_decode("windows-1258 bytes", "Th\xfd\xf5\xccng xuy\xean", 13,
	    NULL, "Thường xuyên", "Windows-1258");
	u = encode("UTF-16LE", table_utf8, &n);
	assert_non_null(b = malloc(n + 2));
	memcpy(b, "\xff\xfe", 2);
	memcpy(b + 2, u, n);
	check_decode("utf-16le table", b, n + 2, NULL, table_utf8, "UTF-16LE");
	free(b);
	free(u);
	u = encode("UTF-16BE", table_utf8, &n);
	assert_non_null(b = malloc(n + 2));
	memcpy(b, "\xfe\xff", 2);
	memcpy(b + 2, u, n);
	check_decode("utf-16be table", b, n + 2, NULL, table_utf8, "UTF-16BE");
	free(b);
	free(u);
	u = encode("CP1258", table_utf8, &n);
	check_decode("windows-1258 table", u, n, NULL, table_utf8,
	    "Windows-1258");
	check_decode("named encoding", u, n, "CP1258", table_utf8, "CP1258");
	free(u);
	u = encode("UTF-16", table_utf8, &n);	/* with glibc's own BOM */
	check_decode("named utf-16", u, n, "UTF-16", table_utf8, "UTF-16");
	free(u);

	check_decode_err("not windows-1258 either", "ab\x81\xff", 4, NULL,
	    "neither UTF-8 nor Windows-1258 (byte 0x81 at offset 2 is not "
	    "Windows-1258): save the table as Unicode Text or as UTF-8 text, "
	    "or name its encoding");
	check_decode_err("NUL, not utf-16", "\0\0ab", 4, NULL,
	    "holds a NUL byte and is not UTF-16: save the table as Unicode "
	    "Text or as UTF-8 text");
	check_decode_err("odd utf-16", "\xff\xfeS\0T", 5, NULL,
	    "the text ends inside a UTF-16LE character");
	check_decode_err("a NUL in utf-16", "\xff\xfeS\0\0\0", 6, NULL,
	    "holds a NUL character: not a text table");
	check_decode_err("unknown encoding", "a", 1, "NO-SUCH-CODE",
	    "iconv cannot read 'NO-SUCH-CODE': Invalid argument (iconv -l "
	    "lists the encodings it knows)");
}

/* --- folding and keys ------------------------------------------------------ */

static const struct {
	const char	*name;
	const char	*in;
	const char	*want;
} fold_cases[] = {
	{ "ascii", "Phong Noi Vu", "phong noi vu" },
	{ "đ and Đ", "Đài đ Đ", "dai d d" },
	{ "all tones of a", "a á à ả ã ạ", "a a a a a a" },
	{ "ă and â tones", "ă ắ ằ ẳ ẵ ặ â ấ ầ ẩ ẫ ậ", "a a a a a a a a a a a a" },
	{ "e and ê tones", "é è ẻ ẽ ẹ ê ế ề ể ễ ệ", "e e e e e e e e e e e" },
	{ "i tones", "í ì ỉ ĩ ị", "i i i i i" },
	{ "o, ô, ơ tones", "ó ò ỏ õ ọ ô ố ồ ổ ỗ ộ ơ ớ ờ ở ỡ ợ",
	    "o o o o o o o o o o o o o o o o o" },
	{ "u, ư tones", "ú ù ủ ũ ụ ư ứ ừ ử ữ ự", "u u u u u u u u u u u" },
	{ "y tones", "ý ỳ ỷ ỹ ỵ", "y y y y y" },
	{ "capitals", "ĐÀI TRUYỀN THANH HUYỆN", "dai truyen thanh huyen" },
	{ "capitals with tones", "ẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ",
	    "aaaaaaaaaaaaeeeeeeeeiioooooooooooouuuuuuuyyyy" },
	{ "Ơ Ư Ă Ĩ Ũ", "ƠƯĂĨŨ", "ouaiu" },
	{ "decomposed (NFD)", "Vie\xcc\xa3\xcc\x82t Nam", "viet nam" },
	{ "punctuation kept", "HĐND&UBND, “Dân hỏi”", "hdnd&ubnd, “dan hoi”" },
	{ "no-break space", "a\xc2\xa0" "b", "a b" },
	{ "stray byte kept", "a\xff" "b", "a\xff" "b" },
	{ "empty", "", "" },
};

static void
test_fold(void **state)
{
	char	out[256];
	size_t	i;

	(void)state;
	for (i = 0; i < nitems(fold_cases); i++) {
		assert_int_equal(appendix_fold(fold_cases[i].in, out,
		    sizeof(out)), 0);
		check_str(fold_cases[i].name, "fold", out, fold_cases[i].want);
	}
	/* too small: cut at a character boundary, and says so */
	assert_int_equal(appendix_fold("abcdef", out, 4), -1);
	check_str("too small", "fold", out, "abc");
}

static const struct {
	const char	*name;
	const char	*in;
	const char	*want;
} key_cases[] = {
	{ "case and tones", "Đài truyền thanh huyện", "dai truyen thanh" },
	{ "same as the plan's", "Đài Truyền thanh huyện", "dai truyen thanh" },
	{ "dash and huyện", "Phòng Văn hóa - Thông tin huyện",
	    "phong van hoa thong tin" },
	{ "và dropped", "Phòng Văn hóa và Thông tin", "phong van hoa thong tin" },
	{ "ampersand", "Văn phòng HĐND&UBND huyện.", "vp hdnd ubnd" },
	{ "văn phòng spelled out", "Văn phòng HĐND và UBND huyện",
	    "vp hdnd ubnd" },
	{ "ủy ban nhân dân", "Ủy ban nhân dân các xã, thị trấn",
	    "ubnd xa thi tran" },
	{ "uỷ (old accent place)", "Uỷ ban nhân dân xã", "ubnd xa" },
	{ "hội đồng nhân dân", "Hội đồng nhân dân huyện", "hdnd" },
	{ "các dropped", "Các ban, phòng ngành", "ban phong nganh" },
	{ "ptnt", "Phòng Nông nghiệp và Phát triển nông thôn",
	    "phong nong nghiep ptnt" },
	{ "ldtbxh", "Phòng Lao động - Thương binh và Xã hội", "phong ldtbxh" },
	{ "quotes", "“Dân hỏi”", "dan hoi" },
	{ "only fillers", "huyện", "" },
};

static void
test_key(void **state)
{
	char	out[256];
	size_t	i;

	(void)state;
	for (i = 0; i < nitems(key_cases); i++) {
		assert_int_equal(appendix_key(key_cases[i].in, out,
		    sizeof(out)), 0);
		check_str(key_cases[i].name, "key", out, key_cases[i].want);
	}
}

static const struct {
	const char	*name;
	const char	*in;
	const char	*want;
} clean_cases[] = {
	{ "seed row 1 title", "Chuyên mục “ <i>Dân hỏi - Chính quyền trả lời"
	    "</i> ”", "Chuyên mục \"Dân hỏi - Chính quyền trả lời\"" },
	{ "bold header", "<b>CƠ QUAN CHỦ TRÌ</b>", "CƠ QUAN CHỦ TRÌ" },
	{ "quotes mid sentence", "Chương trình “Lan tỏa dịch vụ công trực "
	    "tuyến” hướng đến", "Chương trình \"Lan tỏa dịch vụ công trực "
	    "tuyến\" hướng đến" },
	{ "ascii quotes with spaces", "Chuyên mục \" Dân hỏi \" tháng",
	    "Chuyên mục \"Dân hỏi\" tháng" },
	{ "single quotes", "‘a’ b", "'a' b" },
	{ "entities", "HĐND&amp;UBND&nbsp;huyện &lt;x&gt;",
	    "HĐND&UBND huyện <x>" },
	{ "bare ampersand", "HĐND&UBND", "HĐND&UBND" },
	{ "br breaks words", "Phòng<br/>Nội vụ", "Phòng Nội vụ" },
	{ "i does not", "Ch<i>ữ</i>", "Chữ" },
	{ "white space", "  a \t b\r\n c\xc2\xa0 ", "a b c" },
	{ "not a tag", "a < b", "a < b" },
	{ "empty", "", "" },
};

static void
test_clean(void **state)
{
	char	out[256];
	size_t	i;

	(void)state;
	for (i = 0; i < nitems(clean_cases); i++) {
		assert_int_equal(appendix_clean(clean_cases[i].in, out,
		    sizeof(out)), 0);
		check_str(clean_cases[i].name, "clean", out,
		    clean_cases[i].want);
	}
}

static const struct {
	const char	*name;
	const char	*title;
	const char	*want;
} id_cases[] = {
	{ "row 1", "Chuyên mục \"Dân hỏi - Chính quyền trả lời\"",
	    "chuyen-muc-dan-hoi-chinh" },
	{ "stray number", "2. Đánh giá mô hình, cách làm hay",
	    "danh-gia-mo-hinh-cach" },
	{ "short", "Báo cáo năm", "bao-cao-nam" },
	{ "digits", "Hội thi 2022", "hoi-thi-2022" },
	{ "nothing", "“ ”", "task" },
};

static void
test_task_id(void **state)
{
	char	out[128];
	size_t	i;

	(void)state;
	for (i = 0; i < nitems(id_cases); i++) {
		assert_int_equal(appendix_task_id(id_cases[i].title, 5, out,
		    sizeof(out)), 0);
		check_str(id_cases[i].name, "id", out, id_cases[i].want);
	}
	check_str("skip number", "skip", appendix_skip_number("3) Phòng"),
	    "Phòng");
	check_str("skip bullet", "skip", appendix_skip_number("- Phòng"),
	    "Phòng");
	check_str("no number", "skip", appendix_skip_number("2022 là"),
	    "2022 là");
}

/* --- the time column ------------------------------------------------------- */

static const struct {
	const char	*name;
	const char	*in;
	int		 year;
	int		 rc;
	const char	*lines;		/* appendix_when_format, or the error */
	const char	*comment;
	const char	*note;
} when_cases[] = {
	{ "month", "Tháng 4/2022", 0, 0, "month = 2022-04\n", "", "" },
	{ "month, two digits", "tháng 04/2022", 0, 0, "month = 2022-04\n",
	    "", "" },
	{ "month with năm", "Tháng 10 năm 2022", 0, 0, "month = 2022-10\n",
	    "", "" },
	{ "month, year from the table", "Tháng 8", 2022, 0,
	    "month = 2022-08\n", "", "" },
	{ "month, the cell's year wins", "Tháng 8/2023", 2022, 0,
	    "month = 2023-08\n", "", "" },
	{ "quarter roman", "Quý II/2022", 0, 0, "quarter = 2022-Q2\n", "",
	    "" },
	{ "quarter IV", "Quý IV năm 2022", 0, 0, "quarter = 2022-Q4\n", "",
	    "" },
	{ "quarter digit", "quý 3/2022", 0, 0, "quarter = 2022-Q3\n", "", "" },
	{ "date", "ngày 15/6/2022", 0, 0, "date = 2022-06-15\n", "", "" },
	{ "date before", "Trước ngày 15/6/2022", 0, 0, "date = 2022-06-15\n",
	    "", "" },
	{ "date in words", "ngày 15 tháng 6 năm 2022", 0, 0,
	    "date = 2022-06-15\n", "", "" },
	{ "date with dashes", "15-06-2022", 0, 0, "date = 2022-06-15\n", "",
	    "" },
	{ "dates", "ngày 15/6 và 15/12/2022", 0, 0,
	    "dates = 2022-06-15, 2022-12-15\n", "", "" },
	{ "dates sorted, once", "15/12/2022; 15/6/2022, 15/6/2022", 0, 0,
	    "dates = 2022-06-15, 2022-12-15\n", "", "" },
	{ "first half", "6 tháng đầu năm 2022", 0, 0, "date = 2022-06-30\n",
	    "\"6 tháng đầu năm\" read as due by the end of the first half "
	    "year", "" },
	{ "second half", "6 tháng cuối năm 2022", 0, 0,
	    "date = 2022-12-31\n", "\"6 tháng cuối năm\" read as due by the "
	    "end of the second half year", "" },
	{ "year", "Năm 2022", 0, 0, "date = 2022-12-31\n",
	    "\"Năm 2022\" read as due by the end of the year", "" },
	{ "whole year", "Cả năm 2022", 0, 0, "date = 2022-12-31\n",
	    "\"Năm 2022\" read as due by the end of the year", "" },
	{ "seed row 1", "Định kỳ ngày thứ Bảy của tuần cuối cùng trong tháng "
	    "khi nhận được thông tin góp ý của người dân", 2022, 0,
	    "rule = FREQ=MONTHLY;BYDAY=-1SA\nstart = 2022-01-01\n"
	    "until = 2022-12-31\n",
	    "read as the last Saturday of every month of 2022",
	    "Khi nhận được thông tin góp ý của người dân" },
	{ "first monday", "Thứ Hai tuần đầu tiên hàng tháng năm 2022", 0, 0,
	    "rule = FREQ=MONTHLY;BYDAY=1MO\nstart = 2022-01-01\n"
	    "until = 2022-12-31\n",
	    "read as the first Monday of every month of 2022", "" },
	{ "weekly", "Thứ 6 hàng tuần", 2022, 0,
	    "rule = FREQ=WEEKLY;BYDAY=FR\nstart = 2022-01-01\n"
	    "until = 2022-12-31\n", "read as every Friday of 2022", "" },
	{ "monthly", "Hàng tháng", 2022, 0,
	    "rule = FREQ=MONTHLY;BYMONTHDAY=-1\nstart = 2022-01-01\n"
	    "until = 2022-12-31\n",
	    "\"hàng tháng\" read as the last day of every month of 2022", "" },
	{ "monthly hằng", "Định kỳ hằng tháng", 2022, 0,
	    "rule = FREQ=MONTHLY;BYMONTHDAY=-1\nstart = 2022-01-01\n"
	    "until = 2022-12-31\n",
	    "\"hàng tháng\" read as the last day of every month of 2022", "" },
	{ "monthly on a day", "Ngày 20 hàng tháng", 2022, 0,
	    "rule = FREQ=MONTHLY;BYMONTHDAY=20\nstart = 2022-01-01\n"
	    "until = 2022-12-31\n", "", "" },
	{ "quarterly", "Hàng quý", 2022, 0,
	    "rule = FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1\n"
	    "start = 2022-03-31\nuntil = 2022-12-31\n",
	    "\"hàng quý\" read as the last day of every quarter of 2022", "" },
	{ "no year", "Tháng 4", 0, -1,
	    "'Tháng 4' names no year: write it (e.g. Tháng 4/2022) or give "
	    "--year", "", "" },
	{ "rule, no year", "Hàng quý", 0, -1,
	    "'Hàng quý' names no year: write it (e.g. Tháng 4/2022) or give "
	    "--year", "", "" },
	{ "two months", "Tháng 4/2022 và tháng 10/2022", 0, -1,
	    "'Tháng 4/2022 và tháng 10/2022' names several months: one "
	    "period a row (or list the dates)", "", "" },
	{ "month list", "Tháng 4, 5/2022", 0, -1,
	    "cannot read 'Tháng 4, 5/2022' as a time: what is '5'? use e.g. "
	    "Tháng 4/2022, Quý II/2022, ngày 15/6/2022, 6 tháng đầu năm 2022, "
	    "Năm 2022, hàng tháng, hàng quý", "", "" },
	{ "span", "Từ 01/4 đến 30/4/2022", 0, -1,
	    "cannot read 'Từ 01/4 đến 30/4/2022' as a time: a span (từ ... "
	    "đến ...) is not a form a task has; split it into months or "
	    "quarters, or list dates", "", "" },
	{ "two years", "Tháng 12/2021, tháng 1/2022", 0, -1,
	    "'Tháng 12/2021, tháng 1/2022' names several years: one period a "
	    "row", "", "" },
	{ "mixed", "Quý II/2022, tháng 8/2022", 0, -1,
	    "cannot read 'Quý II/2022, tháng 8/2022' as a time: it mixes "
	    "forms (one period, one rule or a list of dates a row)", "", "" },
	{ "not a date", "ngày 31/4/2022", 0, -1,
	    "'ngày 31/4/2022': 31/4/2022 is not a date", "", "" },
	{ "which saturday", "Thứ Bảy trong tháng", 2022, -1,
	    "cannot read 'Thứ Bảy trong tháng' as a time: which Saturday of "
	    "the month? Say e.g. \"tuần cuối cùng\" (the last) or \"tuần đầu "
	    "tiên\" (the first)", "", "" },
	{ "deadline words", "Hoàn thành trước ngày 15/6/2022", 0, 0,
	    "date = 2022-06-15\n", "", "" },
	{ "end of a month", "Cuối tháng 4/2022", 0, -1,
	    "cannot read 'Cuối tháng 4/2022' as a time: what is 'Cuối'? use "
	    "e.g. Tháng 4/2022, Quý II/2022, ngày 15/6/2022, 6 tháng đầu năm "
	    "2022, Năm 2022, hàng tháng, hàng quý", "", "" },
	{ "a year among other words", "Đài thị trấn 2023", 0, -1,
	    "cannot read 'Đài thị trấn 2023' as a time: what is 'Đài'? use "
	    "e.g. Tháng 4/2022, Quý II/2022, ngày 15/6/2022, 6 tháng đầu năm "
	    "2022, Năm 2022, hàng tháng, hàng quý", "", "" },
	{ "continuous", "Thường xuyên", 2022, 0,
	    "rule = FREQ=MONTHLY;BYMONTHDAY=-1\nstart = 2022-01-01\n"
	    "until = 2022-12-31\n", "\"thường xuyên\" (ongoing) read as a "
	    "reminder on the last day of every month of 2022", "" },
	{ "continuous, no year", "Thường xuyên", 0, -1,
	    "'Thường xuyên' names no year: write it (e.g. Tháng 4/2022) or "
	    "give --year", "", "" },
	{ "whole year, year from the table", "Cả năm", 2022, 0,
	    "date = 2022-12-31\n", "\"Cả năm\" read as the whole year, due "
	    "by its end", "" },
	{ "in the year", "Trong năm", 2023, 0, "date = 2023-12-31\n",
	    "\"Trong năm\" read as the whole year, due by its end", "" },
	{ "whole year, no year", "Cả năm", 0, -1,
	    "'Cả năm' names no year: write it (e.g. Tháng 4/2022) or give "
	    "--year", "", "" },
	{ "iso date", "2022-06-15", 0, 0, "date = 2022-06-15\n", "", "" },
	{ "iso dates", "Trước 2022-06-15 và 2022-12-15", 0, 0,
	    "dates = 2022-06-15, 2022-12-15\n", "", "" },
	{ "iso month", "2022-04", 0, 0, "month = 2022-04\n", "", "" },
	{ "iso, not a date", "2022-02-30", 0, -1,
	    "'2022-02-30': 30/2/2022 is not a date", "", "" },
	{ "empty", "", 2022, -1,
	    "cannot read '' as a time: use e.g. Tháng 4/2022, Quý II/2022, "
	    "ngày 15/6/2022, 6 tháng đầu năm 2022, Năm 2022, hàng tháng, "
	    "hàng quý", "", "" },
};

static void
test_when(void **state)
{
	struct appendix_when	w;
	char			err[512], lines[512];
	size_t			i;
	int			rc;

	(void)state;
	for (i = 0; i < nitems(when_cases); i++) {
		err[0] = '\0';
		rc = appendix_parse_when(when_cases[i].in, when_cases[i].year,
		    &w, err, sizeof(err));
		if (rc != when_cases[i].rc)
			fail_msg("case '%s': returned %d, want %d (err '%s')",
			    when_cases[i].name, rc, when_cases[i].rc, err);
		if (rc == -1) {
			check_str(when_cases[i].name, "err", err,
			    when_cases[i].lines);
			continue;
		}
		assert_int_equal(appendix_when_format(&w, lines,
		    sizeof(lines)), 0);
		check_str(when_cases[i].name, "lines", lines,
		    when_cases[i].lines);
		check_str(when_cases[i].name, "comment", w.comment,
		    when_cases[i].comment);
		check_str(when_cases[i].name, "note", w.note,
		    when_cases[i].note);
	}
}

static const struct {
	const char	*in;
	int		 year;
} year_cases[] = {
	{ "Tháng 4/2022", 2022 },
	{ "Tham gia Hội thi năm 2022", 2022 },
	{ "ngày 15/6/2022 và 15/12/2022", 2022 },
	{ "Tháng 12/2021 - 1/2022", -1 },
	{ "Hàng tháng", 0 },
	{ "Quyết định 1847", 0 },
};

static void
test_year(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < nitems(year_cases); i++)
		if (appendix_year(year_cases[i].in) != year_cases[i].year)
			fail_msg("year of '%s': got %d, want %d",
			    year_cases[i].in, appendix_year(year_cases[i].in),
			    year_cases[i].year);
}

/* A cell listing report periods: one when each. */
static const struct {
	const char	*name;
	const char	*in;
	int		 year;
	size_t		 n;
	const char	*want;	/* "SUFFIX|LINES|COMMENT" per when, "" between */
} period_cases[] = {
	{ "quarter, half, year", "Hàng quý, 6 tháng, năm", 2022, 3,
	    "quy|dates = 2022-03-31, 2022-09-30\n|one task a period of \"Hàng "
	    "quý, 6 tháng, năm\": quý, due 31/03/2022, 30/09/2022 (the longer "
	    "periods' reports stand for the others)\n"
	    "6-thang|date = 2022-06-30\n|one task a period of \"Hàng quý, 6 "
	    "tháng, năm\": 6 tháng, due 30/06/2022 (the longer periods' "
	    "reports stand for the others)\n"
	    "nam|date = 2022-12-31\n|one task a period of \"Hàng quý, 6 "
	    "tháng, năm\": năm, due 31/12/2022\n" },
	{ "half and year, định kỳ, a year", "Định kỳ 6 tháng và hằng năm "
	    "2023", 0, 2,
	    "6-thang|date = 2023-06-30\n|one task a period of \"Định kỳ 6 "
	    "tháng và hằng năm 2023\": 6 tháng, due 30/06/2023 (the longer "
	    "periods' reports stand for the others)\n"
	    "nam|date = 2023-12-31\n|one task a period of \"Định kỳ 6 tháng "
	    "và hằng năm 2023\": năm, due 31/12/2023\n" },
	{ "month and quarter", "hàng tháng; hàng quý", 2022, 2,
	    "thang|dates = 2022-01-31, 2022-02-28, 2022-04-30, 2022-05-31, "
	    "2022-07-31, 2022-08-31, 2022-10-31, 2022-11-30\n|one task a "
	    "period of \"hàng tháng; hàng quý\": tháng, due 31/01/2022, "
	    "28/02/2022, 30/04/2022, 31/05/2022, 31/07/2022, 31/08/2022, "
	    "31/10/2022, 30/11/2022 (the longer periods' reports stand for "
	    "the others)\n"
	    "quy|rule = FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1\n"
	    "start = 2022-03-31\nuntil = 2022-12-31\n|one task a period of "
	    "\"hàng tháng; hàng quý\": quý, due on the last day of every "
	    "quarter of 2022\n" },
	{ "six months alone", "6 tháng", 2022, 1,
	    "|dates = 2022-06-30, 2022-12-31\n|\"6 tháng\" read as due "
	    "30/06/2022, 31/12/2022\n" },
	{ "one period: as before", "Hàng quý", 2022, 1,
	    "|rule = FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1\n"
	    "start = 2022-03-31\nuntil = 2022-12-31\n|\"hàng quý\" read as "
	    "the last day of every quarter of 2022\n" },
	{ "not a list", "Tháng 4/2022", 0, 1, "|month = 2022-04\n|\n" },
};

static void
test_periods(void **state)
{
	struct appendix_when	w[APPENDIX_MAXPERIODS];
	char			got[2048], lines[512], err[512];
	size_t			i, j, n, l;

	(void)state;
	for (i = 0; i < nitems(period_cases); i++) {
		if (appendix_parse_periods(period_cases[i].in,
		    period_cases[i].year, w, &n, err, sizeof(err)) != 0)
			fail_msg("case '%s': %s", period_cases[i].name, err);
		if (n != period_cases[i].n)
			fail_msg("case '%s': %zu periods", period_cases[i].name,
			    n);
		got[0] = '\0';
		for (j = 0; j < n; j++) {
			assert_int_equal(appendix_when_format(&w[j], lines,
			    sizeof(lines)), 0);
			l = strlen(got);
			snprintf(got + l, sizeof(got) - l, "%s|%s|%s\n",
			    w[j].suffix, lines, w[j].comment);
			if (n > 1)
				assert_true(w[j].label[0] != '\0');
		}
		check_str(period_cases[i].name, "periods", got,
		    period_cases[i].want);
	}
	/* the whole list, or the usual errors */
	assert_int_equal(appendix_parse_periods("Hàng quý, 6 tháng, năm", 0,
	    w, &n, err, sizeof(err)), -1);
	check_str("no year", "err", err, "'Hàng quý, 6 tháng, năm' names no "
	    "year: write it (e.g. Tháng 4/2022) or give --year");
	assert_int_equal(appendix_parse_periods("Hàng quý, tháng 4", 2022, w,
	    &n, err, sizeof(err)), -1);
	check_str("a list with a month", "err", err, "cannot read 'Hàng quý, "
	    "tháng 4' as a time: it mixes forms (one period, one rule or a "
	    "list of dates a row)");
	/* a condition goes to every period's note */
	assert_int_equal(appendix_parse_periods("Hàng quý, năm khi có yêu cầu",
	    2022, w, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	check_str("note", "note 1", w[0].note, "Khi có yêu cầu");
	check_str("note", "note 2", w[1].note, "Khi có yêu cầu");
}

static void
test_same_title(void **state)
{
	(void)state;
	assert_true(appendix_same_title("Chuyên mục “Dân hỏi - Chính quyền "
	    "trả lời”", "Chuyên mục \"Dân hỏi - Chính quyền trả lời\""));
	assert_true(appendix_same_title("2. Đánh giá mô hình, cách làm hay",
	    "Đánh giá mô hình cách làm hay"));
	assert_true(appendix_same_title("KẾT QUẢ CHỈ SỐ CCHC HUYỆN",
	    "Kết quả chỉ số CCHC"));
	assert_false(appendix_same_title("Báo cáo quý", "Báo cáo năm"));
	assert_false(appendix_same_title("“ ”", "-"));
}

/* --- matching and partners ------------------------------------------------- */

static const struct appendix_entry entries[] = {
	{ "dai-truyen-thanh", "Đài Truyền thanh huyện", 0 },
	{ "noi-vu", "Phòng Nội vụ", 0 },
	{ "van-hoa", "Phòng Văn hóa và Thông tin", 0 },
	{ "van-phong", "Văn phòng HĐND và UBND huyện", 0 },
	{ "tai-chinh", "Phòng Tài chính - Kế hoạch", 0 },
	{ "tai-nguyen", "Phòng Tài nguyên và Môi trường", 0 },
	{ "ubnd-thanh-tan", "UBND xã Thạnh Tân", 0 },
	{ "ubnd-thanh-tri", "UBND xã Thạnh Trị", 0 },
	{ "ubnd-phu-loc", "UBND thị trấn Phú Lộc", 0 },
	{ "phong-ban", "Các ban, phòng ngành huyện", 1 },
	{ "ubnd-xa", "UBND các xã, thị trấn", 1 },
};
static const struct appendix_dir dir = { entries, nitems(entries) };

static const struct {
	const char	*name;
	const char	*text;
	const char	*want;		/* an id, NULL for none */
	const char	*why;		/* for several */
	int		 loose;		/* by start or part of the name */
} match_cases[] = {
	{ "lower case", "Đài truyền thanh huyện", "dai-truyen-thanh", "", 0 },
	{ "no huyện", "Đài Truyền thanh", "dai-truyen-thanh", "", 0 },
	{ "no tones", "Dai truyen thanh huyen", "dai-truyen-thanh", "", 0 },
	{ "dash for và", "Phòng Văn hóa - Thông tin huyện", "van-hoa", "", 0 },
	{ "ampersand", "Văn phòng HĐND&UBND huyện.", "van-phong", "", 0 },
	{ "group of offices", "Các ban, phòng ngành", "phong-ban", "", 0 },
	{ "group of communes", "UBND các xã, thị trấn", "ubnd-xa", "", 0 },
	{ "group without các", "UBND xã, thị trấn", "ubnd-xa", "", 0 },
	{ "spelled out", "Ủy ban nhân dân các xã, thị trấn", "ubnd-xa", "",
	    0 },
	{ "unique prefix", "Phòng Văn hóa", "van-hoa", "", 1 },
	{ "unique part", "Nội vụ", "noi-vu", "", 1 },
	{ "an id", "tai-chinh", "tai-chinh", "", 0 },
	{ "an id in words", "Tài chính", "tai-chinh", "", 1 },
	{ "commune", "UBND xã Thạnh Trị", "ubnd-thanh-tri", "", 0 },
	{ "several by prefix", "Phòng Tài", NULL,
	    "tai-chinh, tai-nguyen", 0 },
	{ "several by part", "xã Thạnh", NULL,
	    "ubnd-thanh-tan, ubnd-thanh-tri", 0 },
	{ "tones do not tell apart", "Thạnh", NULL,
	    "dai-truyen-thanh, ubnd-thanh-tan, ubnd-thanh-tri", 0 },
	{ "unknown", "Ban Chỉ huy Quân sự huyện", NULL, "", 0 },
	{ "longer than a name", "Phòng Nội vụ tỉnh", NULL, "", 0 },
	{ "not whole words", "Phòng Nội v", NULL, "", 0 },
	{ "only a filler", "huyện", NULL, "", 0 },
};

static void
test_match(void **state)
{
	char	why[256];
	size_t	i;
	int	e, loose;

	(void)state;
	for (i = 0; i < nitems(match_cases); i++) {
		e = appendix_match(&dir, match_cases[i].text, &loose, why,
		    sizeof(why));
		check_str(match_cases[i].name, "match", e >= 0 ?
		    entries[e].id : NULL, match_cases[i].want);
		if (loose != match_cases[i].loose)
			fail_msg("case '%s': loose %d", match_cases[i].name,
			    loose);
		if (match_cases[i].want == NULL &&
		    e != (match_cases[i].why[0] ? -2 : -1))
			fail_msg("case '%s': returned %d", match_cases[i].name,
			    e);
		check_str(match_cases[i].name, "why", why, match_cases[i].why);
	}
}

static const struct {
	const char	*name;
	const char	*cell;
	const char	*want;	/* "id ~loose-id [note] !bad (why)" */
} split_cases[] = {
	{ "seed row 1", "1. Các ban, phòng ngành 2. UBND các xã, thị trấn",
	    "phong-ban ubnd-xa" },
	{ "seed row 2", "Phòng Nội vụ", "noi-vu" },
	{ "seed row 4", "2. Các ban, phòng ngành, UBND xã, thị trấn",
	    "phong-ban ubnd-xa" },
	{ "seed row 5", "Phòng Văn hóa - Thông tin huyện", "van-hoa" },
	{ "seed row 6", "1. Phòng Văn hóa - Thông tin huyện, 2. Văn phòng "
	    "HĐND&UBND huyện.", "van-hoa van-phong" },
	{ "seed row 7", "Theo Kế hoạch của tỉnh", " [Theo Kế hoạch của tỉnh]" },
	{ "numbered with )", "1) Phòng Nội vụ; 2) Đài Truyền thanh",
	    "noi-vu dai-truyen-thanh" },
	{ "và inside a name kept", "Phòng Văn hóa và Thông tin, Phòng Nội vụ",
	    "van-hoa noi-vu" },
	{ "và between names", "Phòng Nội vụ và Đài Truyền thanh huyện",
	    "noi-vu dai-truyen-thanh" },
	{ "each once", "Phòng Nội vụ, Nội vụ", "noi-vu" },
	{ "loose names", "Nội vụ, Phòng Văn hóa và Đài Truyền thanh",
	    "~noi-vu ~van-hoa dai-truyen-thanh" },
	{ "html", "<i>Phòng Nội vụ</i>", "noi-vu" },
	{ "unknown kept apart", "Phòng Nội vụ, Ban Chỉ huy Quân sự huyện",
	    "noi-vu !Ban Chỉ huy Quân sự huyện" },
	{ "vague", "Các đơn vị có liên quan", " !Các đơn vị có liên quan" },
	{ "several fit", "Phòng Tài", " !Phòng Tài (tai-chinh, tai-nguyen)" },
	{ "partner and reference", "1. Phòng Nội vụ 2. Theo kế hoạch của "
	    "tỉnh", "noi-vu [Theo kế hoạch của tỉnh]" },
	{ "trailing number kept", "Phòng Nội vụ 1.", "noi-vu" },
	{ "a dash for none", "-", "" },
	{ "empty", "", "" },
};

static void
test_split(void **state)
{
	struct appendix_partners	p;
	char				got[1024];
	size_t				i, j, nbad, l;

	(void)state;
	for (i = 0; i < nitems(split_cases); i++) {
		nbad = appendix_split(&dir, split_cases[i].cell, &p);
		got[0] = '\0';
		for (j = 0; j < p.n; j++)
			if (p.v[j].entry >= 0) {
				l = strlen(got);
				snprintf(got + l, sizeof(got) - l, "%s%s%s",
				    l ? " " : "", p.v[j].loose ? "~" : "",
				    entries[p.v[j].entry].id);
			}
		l = strlen(got);
		if (p.note[0] != '\0')
			snprintf(got + l, sizeof(got) - l, " [%s]", p.note);
		for (j = 0; j < p.n; j++)
			if (p.v[j].entry < 0) {
				l = strlen(got);
				snprintf(got + l, sizeof(got) - l, " !%s%s%s%s",
				    p.v[j].text, p.v[j].why[0] ? " (" : "",
				    p.v[j].why, p.v[j].why[0] ? ")" : "");
			}
		check_str(split_cases[i].name, "split", got,
		    split_cases[i].want);
		assert_int_equal(nbad, p.nbad);
	}
}

/* --- the table ------------------------------------------------------------- */

static void
test_table(void **state)
{
	static const char text[] =
	    "STT\tA\tB\r\n"
	    "\r\n"
	    "1\t\"two\nlines\"\t\"say \"\"hi\"\"\"\n"
	    "2\t\"not quoted\" here\tx\n"
	    "\t\t\n"
	    "3\tlast";
	struct appendix_table	t;

	(void)state;
	assert_int_equal(appendix_table_read(text, strlen(text), &t), 0);
	assert_int_equal(t.nrows, 4);	/* the line of tabs is blank */
	assert_int_equal(t.rows[0].line, 1);
	assert_int_equal(t.rows[0].ncells, 3);
	check_str("crlf", "cell", t.rows[0].cells[2], "B");
	assert_int_equal(t.rows[1].line, 3);
	check_str("quoted", "cell", t.rows[1].cells[1], "two\nlines");
	check_str("doubled quotes", "cell", t.rows[1].cells[2], "say \"hi\"");
	assert_int_equal(t.rows[2].line, 5);
	check_str("plain quote", "cell", t.rows[2].cells[1],
	    "\"not quoted\" here");
	assert_int_equal(t.rows[3].line, 7);
	check_str("no final line end", "cell", t.rows[3].cells[1], "last");
	appendix_table_clear(&t);
	appendix_table_clear(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_key),
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_task_id),
		cmocka_unit_test(test_when),
		cmocka_unit_test(test_year),
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_same_title),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
