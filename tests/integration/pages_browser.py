#!/usr/bin/python3
"""The status pages in a real browser (Debian's chromium through chromedriver).

    pages_browser.py BASE_URL WORKDIR

Reads WORKDIR/browser.json: the accounts, the task and period of the
scripted matrix, the Redis socket and key prefix to check it against, and
where to keep screenshots. Each check prints "ok: ..."; the first failure
raises and the exit status is 1. What it leaves for the shell to check
next is written to WORKDIR/browser.out.json (the dead letter sent again,
the channel paused).
"""
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE, WORK = sys.argv[1], sys.argv[2]
CONF = json.load(open(os.path.join(WORK, "browser.json"), encoding="utf-8"))
SHOTS = CONF["shots"]
OUT = {}
TZ = datetime.timezone(datetime.timedelta(hours=7))	# the plan's zone


def ok(what):
    print("ok:", what, flush=True)


def check(cond, what):
    if not cond:
        raise AssertionError(what)
    ok(what)


def browser():
    o = Options()
    for a in ("--headless --no-sandbox --disable-gpu --disable-quic "
              "--no-first-run --disable-background-networking "
              "--disable-component-update --disable-sync").split():
        o.add_argument(a)
    o.add_argument("--user-data-dir=" + tempfile.mkdtemp(dir=WORK))
    o.add_argument("--window-size=1280,900")
    o.add_argument("--lang=vi")
    o.binary_location = "/usr/bin/chromium"
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)
    d.set_page_load_timeout(60)
    return d


def console_errors(d, where):
    bad = [e for e in d.get_log("browser") if e.get("level") == "SEVERE"]
    check(not bad, "no console errors on %s %s" % (where, bad or ""))


def shot(d, name):
    """A screenshot of the whole page (the window as tall as the page)."""
    w = d.execute_script("return window.innerWidth")
    h = d.execute_script("return document.documentElement.scrollHeight")
    d.set_window_size(max(w, 375), min(h + 120, 6000))
    d.save_screenshot(os.path.join(SHOTS, name + ".png"))
    d.set_window_size(1280, 900)


def click(d, el):
    """Click a form's button and wait for the page that answers."""
    old = d.find_element(By.TAG_NAME, "html")
    el.click()

    def gone(_):
        # chromedriver says "stale" or "not in the document": both mean
        # the old page has gone
        try:
            old.is_enabled()
            return False
        except WebDriverException:
            return True
    WebDriverWait(d, 30).until(gone)


def login(d, user, password):
    d.get(BASE + "/login")
    d.find_element(By.NAME, "user").send_keys(user)
    d.find_element(By.NAME, "password").send_keys(password)
    click(d, d.find_element(By.CSS_SELECTOR, "form.login button"))


def text(d):
    return d.find_element(By.TAG_NAME, "body").text


def http(d, path, data=None, cookie=True):
    """A request beside the browser, with its session cookie."""
    req = urllib.request.Request(BASE + path, data=data)
    c = d.get_cookie("nv_session")
    if cookie and c:
        req.add_header("Cookie", "nv_session=" + c["value"])
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a):
        return None


def rcli(*args):
    return subprocess.run(["redis-cli", "-s", CONF["redis"]] + list(args),
                          check=True, capture_output=True,
                          text=True).stdout.splitlines()


def expected_matrix():
    """The cells the follow-ups in Redis give, by the legend's rules."""
    now = datetime.datetime.fromisoformat(CONF["now"]).timestamp() * 1000
    want = {}
    for due in CONF["dues"]:
        key = "{%s}:occ:%s/%s" % (CONF["prefix"], CONF["task"], due)
        kv = rcli("HGETALL", key)
        h = dict(zip(kv[0::2], kv[1::2]))
        day = datetime.date.fromisoformat(due) + datetime.timedelta(days=1)
        end = datetime.datetime(day.year, day.month, day.day,
                                tzinfo=TZ).timestamp() * 1000
        for a in CONF["agencies"]:
            def at(what):
                v = h.get("%s:%s" % (a, what))
                return int(v.split()[0]) if v else 0
            if at("done"):
                cell = "H" if at("done") <= end else "T"
            elif now >= end:
                cell = "Q"
            elif at("ack"):
                cell = "N"
            elif at("seen"):
                cell = "X"
            elif at("reached") or at("received"):
                cell = "G"
            else:
                cell = "·"
            want[(a, due)] = cell
    return want


def page_matrix(d):
    """The cells on the page: agency id (from its link) and column."""
    heads = [th.get_attribute("title") for th in
             d.find_elements(By.CSS_SELECTOR, "table.matrix thead th")[1:]]
    got = {}
    for tr in d.find_elements(By.CSS_SELECTOR, "table.matrix tbody tr"):
        href = tr.find_element(By.CSS_SELECTOR, "th a").get_attribute("href")
        a = urllib.parse.unquote(href.rsplit("/", 1)[1])
        for i, td in enumerate(tr.find_elements(By.TAG_NAME, "td")):
            letter = td.text.split("\n")[0].replace("↑", "").strip()
            got[(a, heads[i])] = letter
    return heads, got


def check_matrix(d, what):
    path = "/tasks/%s?from=%s&to=%s" % (CONF["task"], CONF["from"], CONF["to"])
    d.get(BASE + path)
    heads, got = page_matrix(d)
    check(len(heads) == len(CONF["dues"]), "%s: a column per occurrence "
          "(%d)" % (what, len(heads)))
    # the column titles are the days in Vietnamese: map them back
    byday = {}
    for due in CONF["dues"]:
        dd = datetime.date.fromisoformat(due)
        for h in heads:
            if h.endswith(dd.strftime("%d/%m/%Y")):
                byday[h] = due
    got = {(a, byday[h]): v for (a, h), v in got.items()}
    want = expected_matrix()
    check(got == want, "%s: the matrix matches the follow-ups in Redis %s"
          % (what, sorted(want.items())))
    # and the ledger: every agency sent a reminder of an occurrence is at
    # least reached there
    sent = set()
    entries = rcli("XRANGE", "{%s}:log" % CONF["prefix"], "-", "+")
    for i, v in enumerate(entries):
        if v == "id" and i + 1 < len(entries):
            parts = entries[i + 1].split("/")
            if len(parts) == 5 and parts[0] == CONF["task"]:
                j = i + 2
                while j + 1 < len(entries) and entries[j] != "id":
                    if entries[j] == "outcome" and entries[j + 1] == "sent":
                        sent.add((parts[3], parts[1]))
                    j += 2
    for (a, due) in sent:
        check(got[(a, due)] != "·", "the ledger's send to %s for %s shows "
              "on the matrix (%s)" % (a, due, got[(a, due)]))
    return got


def phone(d, paths):
    d.set_window_size(375, 800)
    for p in paths:
        d.get(BASE + p)
        sw, iw = d.execute_script("return [document.documentElement."
                                  "scrollWidth, window.innerWidth]")
        check(sw <= iw, "no horizontal scroll on %s at 375 px (%d <= %d)"
              % (p, sw, iw))
        name = "phone-" + (p.strip("/").split("?")[0].replace("/", "-")
                           or "overview")
        h = d.execute_script("return document.documentElement.scrollHeight")
        d.set_window_size(375, min(h + 120, 6000))
        d.save_screenshot(os.path.join(SHOTS, name + ".png"))
        d.set_window_size(375, 800)
    d.set_window_size(1280, 900)


def main():
    admin, ro = CONF["admin"], CONF["reader"]
    d = browser()
    try:
        # Without a session: the login page; /metrics stays open.
        d.get(BASE + "/")
        check(d.current_url.endswith("/login"), "a page asks for a login")
        shot(d, "login")
        console_errors(d, "/login")
        login(d, admin["user"], "sai-mat-khau")
        check("Sai tên đăng nhập hoặc mật khẩu" in text(d),
              "a wrong password is refused")
        check(d.get_cookie("nv_session") is None, "and gives no session")
        # Right after wrong ones a try waits out their delay: "chờ vài
        # giây" until then, whatever the password.
        end = time.time() + 60
        while True:
            login(d, admin["user"], admin["password"])
            if d.current_url.rstrip("/") == BASE or time.time() > end:
                break
            check("chờ vài giây" in text(d), "a try too soon is put off")
            time.sleep(0.5)
        check(d.current_url.rstrip("/") == BASE, "the right one logs in")
        # The refusals were answered 401: the only errors so far.
        bad = [e["message"] for e in d.get_log("browser")
               if e.get("level") == "SEVERE"]
        check(all("/login - " in m and "401" in m for m in bad),
              "the only console errors so far: the refused logins")
        body = text(d)
        check("Tổng quan" in body and "Kênh gửi" in body, "Tổng quan")
        shot(d, "overview")
        console_errors(d, "/")

        pages = ["/tasks", "/agencies", "/agencies/" + CONF["agencies"][0],
                 "/dead", "/report?from=%s&to=%s" % (CONF["from"], CONF["to"]),
                 "/report?by=task&from=%s&to=%s" % (CONF["from"], CONF["to"])]
        for p in pages:
            d.get(BASE + p)
            check(d.find_element(By.TAG_NAME, "h1").text != "",
                  "page %s opens" % p)
            console_errors(d, p)
            shot(d, p.strip("/").split("?")[0].replace("/", "-") +
                 ("-task" if "by=task" in p else ""))
        d.get(BASE + "/report?from=%s&to=%s" % (CONF["from"], CONF["to"]))
        check(len(d.find_elements(By.CSS_SELECTOR, "svg.chart")) == 2,
              "the report has its two charts")
        st, hd, csv = http(d, "/report.csv?from=%s&to=%s&by=agency"
                           % (CONF["from"], CONF["to"]))
        check(st == 200 and csv.startswith(b"\xef\xbb\xbfagency,name,"
              b"occurrences,reached,seen,acknowledged,done_on_time,"
              b"done_late,not_done,messages_sent,messages_failed\r\n"),
              "the CSV download: BOM and header")
        check("attachment" in hd.get("Content-Disposition", ""),
              "the CSV comes as a file")

        # The scripted month, against Redis.
        check_matrix(d, "before the page's actions")
        body = text(d)
        check("Kỳ hạn Thứ Năm, 28/04/2022: báo Phòng Nội vụ qua zalo — đã gửi"
              in body, "the escalation sent about 28/04")
        check("Kỳ hạn Thứ Sáu, 29/04/2022: báo Phòng Nội vụ qua zalo — chờ "
              "đến giờ gửi" in body, "the escalation of 29/04 still to come")
        shot(d, "matrix")
        console_errors(d, "the matrix")

        # Thư lỗi: send the dead letter again.
        d.get(BASE + "/dead")
        rows = d.find_elements(By.CSS_SELECTOR, "form[action='/dead/requeue'] "
                               "input[name=id]")
        ids = [r.get_attribute("value") for r in rows if
               r.get_attribute("value") != "*"]
        check(len(ids) == 1, "one dead letter listed: %s" % ids)
        OUT["requeued"] = ids[0]
        click(d, d.find_element(By.XPATH, "//input[@value='%s']/"
                                "following-sibling::button" % ids[0]))
        check("Đã đưa 1 thư vào hàng gửi lại" in text(d),
              "“Gửi lại” puts it back")

        # A head phoned in: done, recorded from the page.
        path = "/tasks/%s?from=%s&to=%s" % (CONF["task"], CONF["from"],
                                            CONF["to"])
        d.get(BASE + path)
        # (not the agency whose letter was just sent again: done would
        # stop that one)
        who = {"due": CONF["phone_call"]["due"], "agency": [
            a for a in CONF["agencies"] if "/%s/" % a not in OUT["requeued"]
            and a != CONF["agencies"][1]][-1]}
        Select(d.find_element(By.NAME, "agency")).select_by_value(who["agency"])
        Select(d.find_element(By.NAME, "due")).select_by_value(who["due"])
        d.find_element(By.CSS_SELECTOR, "input[name=what][value=done]").click()
        d.find_element(By.NAME, "note").send_keys("Trưởng phòng gọi điện")
        click(d, d.find_element(By.CSS_SELECTOR, "form.follow button"))
        check("Đã ghi nhận" in text(d), "the phone call is recorded")
        v = rcli("HGET", "{%s}:occ:%s/%s" % (CONF["prefix"], CONF["task"],
                 who["due"]), who["agency"] + ":done")
        check(v and v[0].split()[1] == "admin" and admin["user"] in v[0],
              "through follow.lua, by %s: %s" % (admin["user"], v))
        got = check_matrix(d, "after the phone call")
        check(got[(who["agency"], who["due"])] == "H", "its cell shows H")

        # Pause Zalo from the overview.
        d.get(BASE + "/")
        form = d.find_element(By.XPATH, "//form[@action='/channels/pause']"
                              "[input[@name='channel'][@value='zalo']]")
        form.find_element(By.NAME, "reason").send_keys("Bảo trì OA")
        Select(form.find_element(By.NAME, "for")).select_by_value("4h")
        click(d, form.find_element(By.TAG_NAME, "button"))
        check("Đã tạm dừng kênh zalo" in text(d), "Zalo paused")
        check("Bảo trì OA" in text(d), "the overview shows why")
        OUT["paused"] = "zalo"

        # A form without its token, and one with another's.
        st, _, _ = http(d, "/channels/resume", b"channel=zalo")
        check(st == 403, "a POST without the form token is refused (%d)" % st)
        st, _, _ = http(d, "/channels/resume", b"channel=zalo&csrf=" +
                        b"0" * 64)
        check(st == 403, "a POST with a wrong token is refused (%d)" % st)
        st, _, _ = http(d, "/channels/resume", b"channel=zalo&csrf=x",
                        cookie=False)
        check(st == 403, "a POST without a session is refused (%d)" % st)
        check("Bảo trì OA" in rcli("HGET", "{%s}:pauses" % CONF["prefix"],
              "zalo")[0], "and Zalo is still paused")

        phone(d, ["/", "/tasks", "/tasks/%s?from=%s&to=%s" % (
            CONF["task"], CONF["from"], CONF["to"]), "/agencies/" +
            CONF["agencies"][0], "/dead", "/report"])
        console_errors(d, "the pages at 375 px")

        # Log out: the session is gone.
        d.get(BASE + "/")
        click(d, d.find_element(By.CSS_SELECTOR, "form.who button"))
        check(d.current_url.endswith("/login"), "logged out")
        d.get(BASE + "/dead")
        check(d.current_url.endswith("/login"), "and the pages ask again")

        # The read-only account: the pages, no buttons, no actions.
        login(d, ro["user"], ro["password"])
        for p in ["/", "/dead", "/tasks/%s?from=%s&to=%s" % (
                CONF["task"], CONF["from"], CONF["to"])]:
            d.get(BASE + p)
            forms = [f.get_attribute("action") for f in
                     d.find_elements(By.CSS_SELECTOR, "form[method=post]")]
            check(all(a.endswith("/logout") for a in forms),
                  "read-only: no action on %s %s" % (p, forms))
        csrf = d.find_element(By.CSS_SELECTOR, "form.who input[name=csrf]"
                              ).get_attribute("value")
        st, _, _ = http(d, "/channels/resume", ("channel=zalo&csrf=" +
                        csrf).encode())
        check(st == 403, "read-only: an action with its token is refused")
        shot(d, "read-only")
    finally:
        d.quit()
    json.dump(OUT, open(os.path.join(WORK, "browser.out.json"), "w"))
    print("browser checks passed")


main()
