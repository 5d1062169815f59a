#!/usr/bin/python3
"""A year of running, as Redis would hold it, for make bench.

    year.py PREFIX < preview.tsv > fill.resp

reads `nhacviec preview --format tsv` (fire_at task due agency channel spec)
and writes the Redis protocol (for `redis-cli --pipe`) of what a year of
sending those reminders leaves under {PREFIX}: each reminder `sent` in
{p}:state, three ledger entries (a retry, a deferral, the send) as
complete.lua writes them, the provider's message id in {p}:refs, and per
occurrence its {p}:occurrences member and {p}:occ hash (reached, seen and
done for each agency).
"""
import datetime as dt
import sys

TZ = dt.timezone(dt.timedelta(hours=7))


def resp(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        b = str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(b), b))
    return b"".join(out)


def main():
    p = "{%s}:" % sys.argv[1]
    w = sys.stdout.buffer.write
    entries, occs = [], {}
    next(sys.stdin)
    for n, line in enumerate(sys.stdin):
        fire, task, due, agency, channel, spec = line.rstrip("\n").split("\t")
        due = due.split("..")[-1]      # a month or quarter: its end day
        at = int(dt.datetime.fromisoformat(fire).timestamp() * 1000)
        rid = "/".join((task, due, spec, agency, channel))
        ref = "%016x" % (n * 2654435761 % (1 << 64))
        base = ["id", rid, "task", task, "agency", agency, "channel", channel]
        entries.append((at, base + ["outcome", "retry", "status", "503",
                                    "latency_ms", "40", "attempt", "1", "at", at,
                                    "late", "0", "ref", "", "detail", "HTTP 503",
                                    "stale", "0", "entry", "yes"]))
        entries.append((at + 30000, base + ["outcome", "defer", "status", "0",
                                            "latency_ms", "0", "attempt", "2",
                                            "at", at + 30000, "late", "0", "ref", "",
                                            "detail", "channel paused", "stale", "0",
                                            "entry", "yes"]))
        entries.append((at + 90000, base + ["outcome", "sent", "status", "200",
                                            "latency_ms", "35", "attempt", "2",
                                            "at", at + 90000, "late", "0", "ref", ref,
                                            "detail", "", "stale", "0", "entry", "yes"]))
        w(resp("HSET", p + "state", rid, "sent"))
        w(resp("HSET", p + "refs", ref, rid))
        d = dt.date.fromisoformat(due)
        end = int(dt.datetime(d.year, d.month, d.day, tzinfo=TZ).timestamp() * 1000) + 86400000
        f = occs.setdefault("%s/%s" % (task, due), (end, {}))[1]
        f.setdefault("%s:reached" % agency, "%d %s" % (at + 90000, channel))
        f.setdefault("%s:seen" % agency, "%d zalo" % (at + 3600000))
        f.setdefault("%s:done" % agency, "%d link" % (end - 3600000))
    entries.sort(key=lambda e: e[0])
    last, seq = None, 0
    for at, fields in entries:
        seq = seq + 1 if at == last else 0
        last = at
        w(resp("XADD", p + "log", "%d-%d" % (at, seq), *fields))
    for occ, (end, f) in occs.items():
        w(resp("ZADD", p + "occurrences", end, occ))
        flat = [x for kv in f.items() for x in kv]
        w(resp("HSET", p + "occ:" + occ, *flat))


main()
