/* nhacviec calendar: a year's statutory days off as a [calendar] fragment for the plan. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "holiday.h"
#include "lunar.h"
#include "plan.h"

#define YEARS_MAX	16

static const char *const weekday_vi[] = {
	"Chủ nhật", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu",
	"thứ Bảy",
};

/* What each holiday is, after its name. */
static const char *const rule_vi[] = {
	[HOLIDAY_NEW_YEAR] = "1/1",
	[HOLIDAY_TET] = "5 ngày",
	[HOLIDAY_HUNG_KINGS] = "10/3 âm lịch",
	[HOLIDAY_VICTORY] = "30/4",
	[HOLIDAY_LABOUR] = "1/5",
	[HOLIDAY_NATIONAL] = "2/9 và một ngày liền kề",
};

/* The days off of the years asked for, in order. */
struct calendar {
	struct holiday	 days[YEARS_MAX * HOLIDAY_DAYS_MAX];
	size_t		 n;
};

/* "thứ Sáu 20/01" */
static void
calendar_day_text(plan_day day, char *buf, size_t len)
{
	int	y, m, d;

	plan_day_to_ymd(day, &y, &m, &d);
	snprintf(buf, len, "%s %02d/%02d", weekday_vi[plan_weekday(day)], d,
	    m);
}

/* "2023-01-20" */
static void
calendar_iso(plan_day day, char *buf, size_t len)
{
	int	y, m, d;

	plan_day_to_ymd(day, &y, &m, &d);
	snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
}

/*
 * The last day of the range that begins with days[i]: the days off that
 * follow with nothing but Saturdays and Sundays between them.
 */
static size_t
calendar_range_end(const struct calendar *c, size_t i)
{
	plan_day	d;
	size_t		j;

	for (j = i; j + 1 < c->n; j++) {
		for (d = c->days[j].day + 1; d < c->days[j + 1].day &&
		    holiday_weekend(d); d++)
			;
		if (d < c->days[j + 1].day)
			break;
	}
	return j;
}

/* Appends ", thứ Sáu 20/01" (no comma first) to buf. */
static void
calendar_append_day(char *buf, size_t len, plan_day day)
{
	size_t	off = strlen(buf);

	if (off > 0 && off + 2 < len) {
		memcpy(buf + off, ", ", 3);
		off += 2;
	}
	calendar_day_text(day, buf + off, len - off);
}

/*
 * One comment line for holiday k within days[a..b]: its name and rule, its
 * days, then its days in lieu.
 */
static void
calendar_print_kind(const struct calendar *c, size_t a, size_t b,
    enum holiday_kind k, FILE *fp)
{
	struct lunar_date	ld;
	plan_day		tet;
	char			own[256] = "", lieu[256] = "", text[32];
	char			name[32];
	size_t			i;
	int			y, m, d;

	for (i = a; i <= b; i++) {
		if (c->days[i].kind != k)
			continue;
		if (c->days[i].in_lieu_of < 0)
			calendar_append_day(own, sizeof(own), c->days[i].day);
		else
			calendar_append_day(lieu, sizeof(lieu),
			    c->days[i].day);
	}
	fprintf(fp, ";   %s", holiday_name(k));
	for (i = a; c->days[i].kind != k; i++)
		;
	plan_day_to_ymd(c->days[i].day, &y, &m, &d);
	ld.year = y;
	ld.month = ld.day = 1;
	ld.leap = 0;
	/* The five days of Tết lie in the solar year of their Tết. */
	if (k == HOLIDAY_TET && lunar_to_solar(&ld, &tet) == 0) {
		calendar_day_text(tet, text, sizeof(text));
		fprintf(fp, " %s (5 ngày; mùng 1 Tết: %s)",
		    lunar_year_name(y, name, sizeof(name)), text);
	} else
		fprintf(fp, " (%s)", rule_vi[k]);
	fprintf(fp, ": %s%s%s\n", own, *lieu ? "; nghỉ bù " : "", lieu);
}

/* The comment above the section: the law, the rules chosen, who decides. */
static void
calendar_print_head(const int *years, size_t nyears, FILE *fp)
{
	size_t	i;

	fprintf(fp, "; Ngày nghỉ lễ, Tết của cán bộ, công chức, viên chức năm");
	for (i = 0; i < nyears; i++)
		fprintf(fp, "%s %d", i == 0 ? "" : ",", years[i]);
	fprintf(fp, " (tuần làm việc\n"
	    "; từ thứ Hai đến thứ Sáu), in bởi `nhacviec calendar`, theo Bộ "
	    "luật Lao động 2019:\n"
	    "; Điều 112 (các ngày lễ, Tết) và Điều 111 khoản 3 (ngày lễ trùng "
	    "ngày nghỉ hằng\n"
	    "; tuần thì được nghỉ bù vào ngày làm việc kế tiếp). Phần do "
	    "Thủ tướng quyết định\n"
	    "; hằng năm được tính theo quy tắc sau: Tết Âm lịch là 5 ngày làm "
	    "việc, kết thúc\n"
	    "; vào ngày làm việc cuối cùng không sau mùng 5 Tết; Quốc khánh là "
	    "2/9 và 1/9\n"
	    "; (3/9 khi 2/9 là thứ Hai hoặc thứ Năm).\n"
	    ";\n"
	    "; THÔNG BÁO HẰNG NĂM CỦA CHÍNH PHỦ quyết định ngày nghỉ chính thức "
	    "và các ngày\n"
	    "; làm việc hoán đổi: đối chiếu với thông báo, sửa holidays cho "
	    "đúng, và ghi các\n"
	    "; ngày thứ Bảy phải đi làm bù vào extra_workdays.\n");
}

int
cmd_calendar(struct cli *cl, int argc, char **argv)
{
	struct calendar	 c;
	enum holiday_kind k;
	char		 a[16], b[16], *end;
	int		 years[YEARS_MAX];
	size_t		 nyears = 0, n, i, j, l;
	long		 y;
	int		 seen;

	if (cli_getopt(cl, argc, argv, NULL) != -1)
		return EX_USAGE;
	if (argc - optind > YEARS_MAX)
		return cli_usage(cl, "at most %d years at once", YEARS_MAX);
	memset(&c, 0, sizeof(c));
	for (i = (size_t)optind; i < (size_t)argc; i++) {
		y = strtol(argv[i], &end, 10);
		if (*argv[i] == '\0' || *end != '\0' ||
		    y < HOLIDAY_YEAR_FIRST || y > HOLIDAY_YEAR_LAST)
			return cli_usage(cl, "'%s' is not a year from %d to "
			    "%d (the Labour Code 2019 applies from %d)",
			    argv[i], HOLIDAY_YEAR_FIRST, HOLIDAY_YEAR_LAST,
			    HOLIDAY_YEAR_FIRST);
		for (j = 0; j < nyears && years[j] != (int)y; j++)
			;
		if (j < nyears)
			continue;
		years[nyears++] = (int)y;
		if (holiday_year((int)y, c.days + c.n, &n) == -1)
			return cli_usage(cl, "no days off known for %ld", y);
		c.n += n;
	}
	/* Years in any order on the command line, days in order here. */
	for (i = 1; i < c.n; i++) {
		struct holiday	h = c.days[i];

		for (j = i; j > 0 && c.days[j - 1].day > h.day; j--)
			c.days[j] = c.days[j - 1];
		c.days[j] = h;
	}

	calendar_print_head(years, nyears, stdout);
	for (i = 0; i < c.n; i = j + 1) {
		j = calendar_range_end(&c, i);
		calendar_iso(c.days[i].day, a, sizeof(a));
		calendar_iso(c.days[j].day, b, sizeof(b));
		if (j > i)
			printf(";\n; %s..%s\n", a, b);
		else
			printf(";\n; %s\n", a);
		/* Each holiday of the range once, in the order they come. */
		for (l = i; l <= j; l++) {
			k = c.days[l].kind;
			for (n = i, seen = 0; n < l && !seen; n++)
				seen = c.days[n].kind == k;
			if (!seen)
				calendar_print_kind(&c, i, j, k, stdout);
		}
	}
	printf("[calendar]\n"
	    "timezone = Asia/Ho_Chi_Minh\n"
	    "workdays = mon-fri\n"
	    "holidays = ");
	for (i = 0; i < c.n; i = j + 1) {
		j = calendar_range_end(&c, i);
		calendar_iso(c.days[i].day, a, sizeof(a));
		calendar_iso(c.days[j].day, b, sizeof(b));
		printf("%s%s%s%s", i == 0 ? "" : ", ", a, j > i ? ".." : "",
		    j > i ? b : "");
	}
	printf("\nextra_workdays =\n");
	return fflush(stdout) == 0 ? 0 : 74;
}
