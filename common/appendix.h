/* Reading a plan's appendix table as an admin pastes it: Vietnamese folding, cells, the time column, partner lists. */
#ifndef NV_APPENDIX_H
#define NV_APPENDIX_H

#include <stddef.h>

/*
 * A table file's bytes as UTF-8 text (malloc'd, NUL-terminated, *out and
 * *outlen): from the iconv encoding named by encoding, else by what the
 * bytes say: UTF-8 (a BOM dropped), UTF-16 with a BOM (what Excel saves as
 * "Unicode Text") or without one when the text starts with an ASCII
 * character, else, when they are not UTF-8, Windows-1258 (Vietnamese
 * Windows). how gets the encoding read ("UTF-8", "UTF-16LE", ...). -1 with
 * err when the bytes do not convert or the text holds a NUL.
 */
int	appendix_decode(const char *in, size_t len, const char *encoding,
	    char **out, size_t *outlen, char *how, size_t howlen, char *err,
	    size_t errlen);

/*
 * UTF-8 Vietnamese folded to lower-case ASCII: đ to d, every accented letter
 * (precomposed, or followed by combining marks) to its base letter, a
 * no-break space to a space. Other characters are copied. Returns 0, or -1
 * when out was too small (the result is cut at a character boundary).
 */
int	appendix_fold(const char *in, char *out, size_t len);

/*
 * The form names are compared in: folded words of letters and digits, one
 * space apart, without the filler words "huyện", "và", "các", and with the
 * usual long forms shortened ("Ủy ban nhân dân" to "ubnd", "Văn phòng" to
 * "vp"). "Văn phòng HĐND&UBND huyện." and "Văn phòng HĐND và UBND" have the
 * same key. Returns 0, or -1 when out was too small.
 */
int	appendix_key(const char *in, char *out, size_t len);

/*
 * A cell as pasted, made plain: HTML tags dropped, the common entities
 * decoded, typographic quotes made ASCII with no space just inside them,
 * white space collapsed and trimmed. Returns 0, or -1 when out was too small.
 */
int	appendix_clean(const char *in, char *out, size_t len);

/* 1 when two titles are the same by key (appendix_key, list numbers skipped). */
int	appendix_same_title(const char *a, const char *b);

/* in past a leading list number ("2. ", "3) ") or bullet ("- "); a pointer into in. */
const char *appendix_skip_number(const char *in);

/*
 * A task id from a title: its first max_words folded words (list number
 * skipped), lower case, joined by '-'; "task" when it has none.
 */
int	appendix_task_id(const char *title, int max_words, char *out,
	    size_t len);

/* --- the time column ----------------------------------------------------- */

enum appendix_kind {
	APPENDIX_RULE,		/* rule, start, until */
	APPENDIX_DATE,		/* date: dates[0] */
	APPENDIX_DATES,		/* dates: dates[0..ndates) */
	APPENDIX_MONTH,		/* month: year, month */
	APPENDIX_QUARTER,	/* quarter: year, quarter */
};

struct appendix_ymd {
	int	y, m, d;
};

#define APPENDIX_MAXDATES	24

struct appendix_when {
	enum appendix_kind	 kind;
	char			 rule[96];
	struct appendix_ymd	 start, until;
	struct appendix_ymd	 dates[APPENDIX_MAXDATES];	/* sorted, each once */
	size_t			 ndates;
	int			 year;
	int			 month;		/* 1..12 */
	int			 quarter;	/* 1..4 */
	char			 comment[320];	/* how a loose form was read, or "" */
	char			 note[256];	/* the condition the cell states ("Khi ..."), or "" */
	char			 label[24];	/* a period of a list ("quý"), or "" */
	char			 suffix[16];	/* its id suffix ("quy"), or "" */
};

/* The year (1900..2099) a cell names: 0 for none, -1 for several different. */
int	appendix_year(const char *cell);

/*
 * Reads a time cell: "Tháng 4/2022", "Quý II/2022", "ngày 15/6/2022" (or a
 * list of such dates), "6 tháng đầu năm 2022" (due by 30/6), "Năm 2022" (due
 * by 31/12), "hàng tháng" (each month's last day), "hàng quý" (each
 * quarter's last day), "thứ Bảy của tuần cuối cùng trong tháng" (the last
 * Saturday of each month). year stands in when the cell names none (0: no
 * year known). -1 with a message in err for anything else: a span, two
 * periods, a number it cannot place.
 */
int	appendix_parse_when(const char *cell, int year, struct appendix_when *,
	    char *err, size_t len);

#define APPENDIX_MAXPERIODS	4

/*
 * A cell that lists report periods, "hàng quý, 6 tháng, năm", gives one
 * when per period (monthly, quarterly, half-yearly, yearly), each with its
 * label and id suffix: each due at the end of its periods, less those a
 * longer period of the list ends on too (the 6-month report stands for
 * quarter II, the year's for quarter IV). Any other cell is read by
 * appendix_parse_when, as the one when. Returns 0 and the count in *n.
 */
int	appendix_parse_periods(const char *cell, int year,
	    struct appendix_when w[APPENDIX_MAXPERIODS], size_t *n, char *err,
	    size_t len);

/* The plan-file lines for w ("month = 2022-04\n"), without the comment. */
int	appendix_when_format(const struct appendix_when *, char *out,
	    size_t len);

/* --- agencies and groups ------------------------------------------------- */

struct appendix_entry {
	const char	*id;
	const char	*name;
	int		 group;		/* 1 for a group of agencies */
};

struct appendix_dir {
	const struct appendix_entry	*v;
	size_t				 n;
};

/*
 * The entry text names, by key (appendix_key): an exact match of a name or
 * an id, else a unique name that starts with text, else a unique name that
 * contains it (whole words). Returns the index, -1 when none fits, -2 when
 * several do (their ids, comma-separated, in why). *loose (when not NULL)
 * is 1 for a match by start or part of a name, or by an id written as
 * words ("Nội vụ" for noi-vu): an admin should look at it.
 */
int	appendix_match(const struct appendix_dir *, const char *text,
	    int *loose, char *why, size_t len);

#define APPENDIX_MAXPIECES	32

struct appendix_piece {
	int	entry;		/* index in the directory; -1: no match, -2: several */
	int	loose;		/* matched by start or part of the name */
	char	text[192];	/* the piece as written, cleaned */
	char	why[192];	/* for -2: the ids that fit */
};

struct appendix_partners {
	struct appendix_piece	v[APPENDIX_MAXPIECES];
	size_t			n;
	size_t			nbad;	/* pieces with entry < 0 */
	char			note[256];	/* a plan reference ("Theo Kế hoạch của tỉnh"), or "" */
};

/*
 * Splits an agency cell into agencies and groups: list numbers ("1. ... 2.
 * ...") separate items; an item that names no one entry is cut at commas,
 * semicolons and "và", and the longest runs of those parts that match are
 * taken ("Các ban, phòng ngành, UBND xã, thị trấn" is two groups). An item
 * that starts with "Theo" refers to another plan and goes to note. Each
 * entry once. Returns nbad.
 */
size_t	appendix_split(const struct appendix_dir *, const char *cell,
	    struct appendix_partners *);

/* --- the table ----------------------------------------------------------- */

struct appendix_row {
	unsigned	  line;		/* where the row starts, from 1 */
	char		**cells;	/* as written, quotes of a quoted cell removed */
	size_t		  ncells;
};

struct appendix_table {
	struct appendix_row	*rows;
	size_t			 nrows;
};

/*
 * Tab-separated rows, "\n" or "\r\n" ended; a cell in double quotes (as
 * spreadsheets copy a cell holding a tab, a line end or a quote, inner
 * quotes doubled) may span lines. Blank lines give no row. -1 only when
 * out of memory.
 */
int	appendix_table_read(const char *text, size_t len,
	    struct appendix_table *);
void	appendix_table_clear(struct appendix_table *);

#endif
