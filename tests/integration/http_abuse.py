#!/usr/bin/python3
"""Clients that misbehave toward an HTTP listener, for the scenario tests.

usage: http_abuse.py flood HOST PORT N STATUS_FILE
           N idle connections, each replaced when it fails or the server
           closes it, until SIGTERM; STATUS_FILE gets "opened N" once all
           are started, then "established M" and "replaced R".
       http_abuse.py bigheader HOST PORT BYTES
           a GET whose one header line is BYTES long; prints "status NNN"
           if an answer came, then "sent S of T" (S < T: cut off early).
       http_abuse.py trickle HOST PORT BYTES INTERVAL
           a GET whose header BYTES long goes one byte every INTERVAL
           seconds; prints "sent S of T" when the server closes or all
           is sent.
"""

import errno
import os
import resource
import select
import signal
import socket
import sys
import time


def connect(host, port):
    """A non-blocking connect with keepalive probes every second: a
    connection the server never took (a SYN cookie dropped while its accept
    queue was full) is reset by the first probe, and replaced."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setblocking(False)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 2)
    rc = s.connect_ex((host, port))
    if rc not in (0, errno.EINPROGRESS):
        raise SystemExit("connect: %s" % os.strerror(rc))
    return s


def flood(host, port, n, status_file):
    """N connections that send nothing, each replaced when it fails or the
    server closes it, until SIGTERM."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < n + 64:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, n + 64), hard))
    stop = []
    signal.signal(signal.SIGTERM, lambda s, f: stop.append(1))

    def status(text):
        tmp = status_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(text + "\n")
        os.replace(tmp, status_file)

    # poll, not select: the descriptors go past FD_SETSIZE.
    poller = select.poll()
    socks = {}          # fd -> [socket, established]

    def add():
        s = connect(host, port)
        socks[s.fileno()] = [s, False]
        poller.register(s.fileno(), select.POLLOUT)

    for _ in range(n):
        add()
    status("opened %d" % n)
    replaced = 0
    while not stop:
        for fd, ev in poller.poll(200):
            s, up = socks[fd]
            if not up and ev & select.POLLOUT and not ev & (
                    select.POLLERR | select.POLLHUP) and s.getsockopt(
                    socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                socks[fd][1] = True
                poller.modify(fd, select.POLLIN)
                continue
            # Refused, reset, or closed by the server: take another.
            poller.unregister(fd)
            del socks[fd]
            s.close()
            replaced += 1
            add()
        up = sum(1 for v in socks.values() if v[1])
        status("opened %d\nestablished %d\nreplaced %d" % (n, up, replaced))
    for s, _ in socks.values():
        s.close()


def send_slowly(host, port, data, chunk, interval):
    s = socket.create_connection((host, port), timeout=30)
    sent = 0
    answer = b""
    try:
        while sent < len(data):
            sent += s.send(data[sent:sent + chunk])
            if interval:
                time.sleep(interval)
            r, _, _ = select.select([s], [], [], 0)
            if r:
                got = s.recv(4096)
                if not got:
                    break
                answer += got
    except (BrokenPipeError, ConnectionResetError):
        pass
    try:
        s.settimeout(5)
        while len(answer) < 12:
            got = s.recv(4096)
            if not got:
                break
            answer += got
    except (OSError, socket.timeout):
        pass
    s.close()
    if answer.startswith(b"HTTP/1."):
        print("status %s" % answer[9:12].decode())
    print("sent %d of %d" % (sent, len(data)))


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "flood" and len(args) == 4:
        flood(args[0], int(args[1]), int(args[2]), args[3])
    elif cmd == "bigheader" and len(args) == 3:
        head = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: "
        data = head + b"a" * int(args[2]) + b"\r\n\r\n"
        send_slowly(args[0], int(args[1]), data, 65536, 0)
    elif cmd == "trickle" and len(args) == 4:
        head = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: "
        data = head + b"a" * max(int(args[2]) - len(head) - 4, 0) + b"\r\n\r\n"
        send_slowly(args[0], int(args[1]), data, 1, float(args[3]))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
