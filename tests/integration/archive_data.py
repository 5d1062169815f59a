#!/usr/bin/python3
"""Sixteen months of a district's Redis, as the daemon would have left it, for t_290_archive.sh.

    archive_data.py DIR NOW_MS KEEP_DAYS

writes into DIR:
  fill.redis    redis-cli commands: the ledger ({t}:log, ids given as the
                instant MS-SEQ), dead letters, states, attempts, refs, the
                occurrences index and the follow-up hashes, 2021-01 to 2022-04;
                and a reminder held by channel hook (to be paused)
  expect.sh     what the archive must take at NOW_MS with keep KEEP_DAYS:
                OLD_LOG OLD_DEAD OLD_STATE OLD_REF OLD_OCC (lines it writes),
                NEW_LOG NEW_DEAD NEW_STATE NEW_REF NEW_OCC (what Redis keeps),
                CUTOFF (ms)
  inject.jsonl  lines an earlier run wrote without removing (a crash between
                the two): two ledger entries, a state and an occurrence that
                are still in Redis, then a line that is not JSON and half a
                line (no newline), as a torn write leaves it

The rules are worked out here on their own, not taken from the C code: a
ledger or dead letter entry is old when its `at` is before the cutoff; a
planned reminder's state or ref when the day after its due day (UTC) began
before it, an ad-hoc notice's when its stamp is; an occurrence when its
day's end is.
"""
import calendar
import datetime as dt
import json
import os
import sys

TZ = dt.timezone(dt.timedelta(hours=7))
DAY = 86400000
AGENCIES = ["noi-vu", "tai-chinh", "van-hoa"]


def ms(d):
    return int(d.timestamp() * 1000)


def q(s):
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    out, now, keep = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    cutoff = now - keep * DAY
    log, dead, states, refs, occs, attempts = [], [], {}, {}, [], {}

    for y, m in [(2021, m) for m in range(1, 13)] + [(2022, m) for m in range(1, 5)]:
        last = calendar.monthrange(y, m)[1]
        due = dt.date(y, m, last)
        while due.weekday() != 5:        # the last Saturday
            due -= dt.timedelta(days=1)
        fire = ms(dt.datetime(due.year, due.month, due.day, 8, tzinfo=TZ)) - 3 * DAY
        occ = "dan-hoi/%s" % due.isoformat()
        end = ms(dt.datetime(due.year, due.month, due.day, tzinfo=TZ)) + DAY
        fields = {}
        for i, a in enumerate(AGENCIES):
            rid = "%s/end-3d@08:00/%s/hook" % (occ, a)
            if a == "van-hoa":
                at = fire + 2000
                log.append((at, [("id", rid), ("task", "dan-hoi"), ("agency", a),
                                 ("channel", "hook"), ("outcome", "dead"),
                                 ("attempt", "3"), ("at", str(at)),
                                 ("detail", "HTTP 404: không có hộp thư")]))
                dead.append((at, [("id", rid), ("channel", "hook"),
                                  ("reason", "HTTP 404"), ("attempt", "3"),
                                  ("at", str(at)), ("payload", "")]))
                states[rid] = "dead"
                attempts[rid] = "3"
            else:
                log.append((fire + i, [("id", rid), ("channel", "hook"),
                                       ("outcome", "retry"), ("attempt", "1"),
                                       ("at", str(fire + i)), ("detail", "HTTP 503")]))
                at = fire + 60000 + i
                log.append((at, [("id", rid), ("channel", "hook"), ("outcome", "sent"),
                                 ("attempt", "2"), ("at", str(at)),
                                 ("ref", "m-%s-%s" % (due, a))]))
                states[rid] = "sent"
                refs["m-%s-%s" % (due, a)] = rid
                fields["%s:reached" % a] = "%d hook" % at
        fields["noi-vu:done"] = "%d link" % (ms(dt.datetime(due.year, due.month,
                                                            due.day, 10, tzinfo=TZ)))
        fields["noi-vu:note"] = "Đã gọi điện, tháng %d" % m
        occs.append((end, occ, fields))
        stamp = ms(dt.datetime(y, m, 15, 10, tzinfo=TZ))
        rid = "adhoc/%d-7-0/noi-vu/hook" % stamp
        log.append((stamp, [("id", rid), ("channel", "hook"), ("outcome", "sent"),
                            ("attempt", "1"), ("at", str(stamp)), ("ref", "n-%d" % stamp)]))
        states[rid] = "sent"
        refs["n-%d" % stamp] = rid

    def rtime(rid):
        if rid.startswith("adhoc/"):
            return int(rid.split("/")[1].split("-")[0])
        d = dt.date.fromisoformat(rid.split("/")[1])
        return ms(dt.datetime(d.year, d.month, d.day, tzinfo=dt.timezone.utc)) + DAY

    log.sort(key=lambda e: e[0])
    dead.sort(key=lambda e: e[0])
    ids = {}
    with open(os.path.join(out, "fill.redis"), "w") as f:
        for key, entries in (("{t}:log", log), ("{t}:dead", dead)):
            seq = {}
            for at, fv in entries:
                seq[at] = seq.get(at, -1) + 1
                eid = "%d-%d" % (at, seq[at])
                ids.setdefault(key, []).append((eid, fv))
                f.write("XADD %s %s %s\n" % (key, eid, " ".join(
                    "%s %s" % (q(k), q(v)) for k, v in fv)))
        for rid, st in states.items():
            f.write("HSET {t}:state %s %s\n" % (q(rid), st))
        for rid, n in attempts.items():
            f.write("HSET {t}:attempts %s %s\n" % (q(rid), n))
        for ref, rid in refs.items():
            f.write("HSET {t}:refs %s %s\n" % (q(ref), q(rid)))
        for end, occ, fields in occs:
            f.write("ZADD {t}:occurrences %d %s\n" % (end, q(occ)))
            f.write("HSET %s %s\n" % (q("{t}:occ:" + occ), " ".join(
                "%s %s" % (q(k), q(v)) for k, v in fields.items())))
        # What the archive leaves: a [report] send's state (kept: a few a
        # year) and a state that is not final (held by a paused channel:
        # the scenario pauses hook).
        f.write("HSET {t}:state report:quy/2021-Q1/noi-vu/hook sent\n")
        f.write("HSET {t}:state dan-hoi/2021-01-30/end-1d@08:00/noi-vu/hook held\n")
        f.write("HSET {t}:held dan-hoi/2021-01-30/end-1d@08:00/noi-vu/hook hook\n")

    old = {
        "LOG": sum(1 for at, _ in log if at < cutoff),
        "DEAD": sum(1 for at, _ in dead if at < cutoff),
        "STATE": sum(1 for rid in states if rtime(rid) < cutoff),
        "REF": sum(1 for rid in refs.values() if rtime(rid) < cutoff),
        "OCC": sum(1 for end, _, _ in occs if end < cutoff),
    }
    new = {
        "LOG": len(log) - old["LOG"], "DEAD": len(dead) - old["DEAD"],
        "STATE": len(states) - old["STATE"], "REF": len(refs) - old["REF"],
        "OCC": len(occs) - old["OCC"],
    }
    with open(os.path.join(out, "expect.sh"), "w") as f:
        for k in old:
            f.write("OLD_%s=%d\nNEW_%s=%d\n" % (k, old[k], k, new[k]))
        f.write("CUTOFF=%d\n" % cutoff)

    def line(o):
        return json.dumps(o, ensure_ascii=False, separators=(",", ":")) + "\n"

    with open(os.path.join(out, "inject.jsonl"), "w") as f:
        for eid, fv in ids["{t}:log"][:2]:
            f.write(line({"kind": "log", "id": eid, "fields": dict(fv)}))
        first = sorted(states)[0]
        f.write(line({"kind": "state", "id": first, "state": states[first]}))
        end, occ, fields = occs[0]
        f.write(line({"kind": "occ", "occ": occ, "end": end, "fields": fields}))
        f.write("this is not an archive line\n")
        f.write('{"kind":"log","id":"16')


main()
