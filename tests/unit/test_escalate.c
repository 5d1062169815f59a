/* Unit tests for escalations: the plan's escalate key and what an escalation says. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "diag.h"
#include "escalate.h"
#include "plan.h"

static const char plan_text[] =
	"[calendar]\ntimezone = Asia/Ho_Chi_Minh\n"
	"[agency noi-vu]\nname = Phòng Nội vụ\n"
	"[agency van-phong]\nname = Văn phòng\n"
	"[agency vh]\nname = Phòng Văn hóa\n"
	"[agency tc]\nname = Phòng Tài chính\n"
	"[agency xa-a]\nname = UBND xã A\n"
	"[agency xa-b]\nname = UBND xã B\n"
	"[group xa]\nname = Các xã\nmembers = xa-a, xa-b\n"
	"[task t]\ntitle = Báo cáo\nlead = vh\npartners = tc, xa\n"
	"date = 2022-04-29\nremind = end-1d@08:00\nchannels = zalo\n"
	"stop_on = acknowledged\n"
	"escalate = end+1d@08:00 > noi-vu, van-phong, end+7d@trua > xa\n"
	"[window trua]\nstart = 11:00\nend = 11:30\n"
	"[task u]\nlead = vh\ndate = 2022-04-29\nremind = end@08:00\n"
	"channels = zalo\nstop_on = done\n";

static struct plan *
load(void)
{
	const char *const	names[] = { "p.conf" };
	const char *const	texts[] = { plan_text };
	struct plan		*p;
	struct diag		 d;
	size_t			 i;

	diag_init(&d);
	p = plan_load_texts(names, texts, 1, &d);
	for (i = 0; i < d.n; i++)
		print_error("%s\n", d.msgs[i]);
	diag_clear(&d);
	if (p == NULL)
		fail_msg("the test plan does not load");
	return p;
}

static void
test_parse(void **state)
{
	struct plan			*p = load();
	const struct plan_task		*t = plan_task_find(p, "t");
	const struct plan_task		*u = plan_task_find(p, "u");

	(void)state;
	assert_non_null(t);
	assert_int_equal(t->stop_on_ack, 1);
	assert_int_equal(u->stop_on_ack, 0);
	assert_int_equal(t->nescalate, 2);
	assert_string_equal(t->escalate[0].spec.text,
	    "escalate:end+1d@08:00");
	assert_int_equal(t->escalate[0].spec.days, 1);
	assert_int_equal(t->escalate[0].spec.minutes, 8 * 60);
	assert_int_equal(t->escalate[0].nto, 2);
	assert_string_equal(t->escalate[0].to[0], "noi-vu");
	assert_string_equal(t->escalate[0].to[1], "van-phong");
	assert_string_equal(t->escalate[1].spec.text, "escalate:end+7d@trua");
	assert_string_equal(t->escalate[1].spec.window, "trua");
	assert_int_equal(t->escalate[1].nto, 1);
	assert_string_equal(t->escalate[1].to[0], "xa");
	assert_int_equal(u->nescalate, 0);
	plan_free(p);
}

static void
test_status(void **state)
{
	struct plan		*p = load();
	const struct plan_task	*t = plan_task_find(p, "t");
	json_t			*f;
	char			*text, err[200];
	size_t			 n;
	int			 open;

	(void)state;
	/* 28/04/2022 10:00 and 29/04 16:00 in Hà Nội. */
	f = json_pack("{s:s, s:s, s:s, s:s, s:s}",
	    "vh:done", "1651114800000 zalo reply", "vh:ack", "1651114000000 zalo",
	    "tc:ack", "1651222800000 link", "tc:reached", "1651107600000 zalo",
	    "xa-a:seen", "1651107900000 zalo");
	open = escalate_status(p, t, f, &text, &n, err, sizeof(err));
	assert_int_equal(open, 3);
	assert_int_equal(n, 4);
	assert_string_equal(text,
	    "- Phòng Văn hóa: đã hoàn thành (28/04/2022)\n"
	    "- Phòng Tài chính: đã xác nhận ngày 29/04/2022, chưa báo hoàn "
	    "thành\n"
	    "- UBND xã A: đã xem tin nhắn, chưa xác nhận\n"
	    "- UBND xã B: chưa nhận được nhắc việc");
	free(text);
	json_decref(f);

	/* Everyone done: nothing to say. */
	f = json_pack("{s:s, s:s, s:s, s:s}", "vh:done", "1 admin",
	    "tc:done", "2 admin", "xa-a:done", "3 link", "xa-b:done", "4 link");
	open = escalate_status(p, t, f, &text, &n, err, sizeof(err));
	assert_int_equal(open, 0);
	assert_null(text);
	json_decref(f);

	/* Follow-ups that are not an object. */
	f = json_array();
	assert_int_equal(escalate_status(p, t, f, &text, &n, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "the follow-ups are not a JSON object");
	json_decref(f);
	plan_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
