#!/usr/bin/python3
# A real SMTP server for the scenario tests (Debian's python3-aiosmtpd): stores each mail and indexes it decoded.
#
# usage: /usr/bin/python3 tests/smtp_sink.py --port-file FILE --out-dir DIR
#            [--addr 127.0.0.1] [--port 0] [--starttls CERT KEY] [--auth USER PASS]
#            [--reply-code CODE --reply-count N]
#
# DIR/NNNN.eml        each accepted message's raw bytes (0001, 0002, ... in order)
# DIR/index.tsv       one line per accepted message, written after its .eml:
#                     mail_from TAB rcpt_tos (comma-separated) TAB decoded Subject
#                     TAB first line of the decoded text/plain body
# DIR/rejected.tsv    one line per DATA refused through --reply-code:
#                     mail_from TAB rcpt_tos TAB code
# --starttls offers STARTTLS and refuses mail before it. --auth requires AUTH
# (PLAIN or LOGIN, allowed without TLS on loopback) with exactly USER and PASS.
# Exits 0 on SIGTERM or SIGINT.

import argparse
import asyncio
import email
import email.policy
import logging
import os
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

log = logging.getLogger("smtp_sink")


def one_line(s):
    """s with tabs and line breaks made spaces, so it stays one TSV column."""
    return s.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def decode(raw):
    """(subject, first body line) of a raw message, decoded per RFC 2047, charset and transfer encoding."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    try:
        subject = str(msg.get("Subject", ""))
    except Exception as e:  # a malformed header must not lose the mail
        log.warning("cannot decode Subject: %s", e)
        subject = "?"
    try:
        part = msg.get_body(preferencelist=("plain",))
        text = part.get_content() if part is not None else ""
    except Exception as e:
        log.warning("cannot decode body: %s", e)
        text = "?"
    lines = text.splitlines()
    return subject, lines[0] if lines else ""


class Sink:
    """The aiosmtpd handler: stores accepted mail, refuses the first N DATA if told."""

    def __init__(self, out_dir, reply_code, reply_count):
        self.out_dir = out_dir
        self.reply_code = reply_code
        self.reply_left = reply_count
        self.n = 0

    def append(self, name, fields):
        with open(os.path.join(self.out_dir, name), "a", encoding="utf-8") as f:
            f.write("\t".join(one_line(x) for x in fields) + "\n")

    async def handle_DATA(self, server, session, envelope):
        mail_from = envelope.mail_from or ""
        rcpts = ",".join(envelope.rcpt_tos)
        if self.reply_left > 0:
            self.reply_left -= 1
            code = self.reply_code
            self.append("rejected.tsv", [mail_from, rcpts, str(code)])
            log.info("refused mail from %s to %s with %d (scripted)", mail_from, rcpts, code)
            klass = "4" if code < 500 else "5"
            return f"{code} {klass}.0.0 Scripted failure from smtp_sink"
        raw = envelope.original_content
        self.n += 1
        name = f"{self.n:04d}.eml"
        path = os.path.join(self.out_dir, name)
        with open(path + ".tmp", "wb") as f:
            f.write(raw)
        os.rename(path + ".tmp", path)
        subject, first = decode(raw)
        self.append("index.tsv", [mail_from, rcpts, subject, first])
        log.info("accepted %s from %s to %s (%d bytes)", name, mail_from, rcpts, len(raw))
        return "250 2.0.0 OK queued as " + name


class Authenticator:
    """Accepts exactly one user name and password."""

    def __init__(self, user, password):
        self.user = user.encode()
        self.password = password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == self.user
              and auth_data.password == self.password)
        log.info("AUTH %s: %s", mechanism, "accepted" if ok else "refused")
        # handled=False: aiosmtpd then answers 535 itself (the default, True, sends nothing).
        return AuthResult(success=ok, handled=False)


def write_port_file(path, port):
    """Writes the port through a temporary file, so readers see all or nothing."""
    with open(path + ".tmp", "w") as f:
        f.write(f"{port}\n")
        f.flush()
        os.fsync(f.fileno())
    os.rename(path + ".tmp", path)


def parse_args(argv):
    p = argparse.ArgumentParser(prog="smtp_sink", description="SMTP sink for the scenario tests")
    p.add_argument("--port-file", required=True)
    p.add_argument("--out-dir", required=True)
    p.add_argument("--addr", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    p.add_argument("--auth", nargs=2, metavar=("USER", "PASS"))
    p.add_argument("--reply-code", type=int, default=451)
    p.add_argument("--reply-count", type=int, default=0)
    a = p.parse_args(argv)
    if not 400 <= a.reply_code <= 599:
        p.error("--reply-code must be in [400, 599]")
    if a.reply_count < 0:
        p.error("--reply-count must not be negative")
    return a


async def serve(a):
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    tls = None
    if a.starttls:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(a.starttls[0], a.starttls[1])
    kw = {}
    if a.auth:
        kw = dict(authenticator=Authenticator(*a.auth), auth_required=True,
                  auth_require_tls=tls is not None)
    handler = Sink(a.out_dir, a.reply_code, a.reply_count)

    def factory():
        # hostname given: the default calls socket.getfqdn(), which can stall on DNS.
        return SMTP(handler, hostname="smtp-sink.test", enable_SMTPUTF8=True,
                    tls_context=tls, require_starttls=tls is not None, loop=loop, **kw)

    server = await loop.create_server(factory, host=a.addr, port=a.port)
    port = server.sockets[0].getsockname()[1]
    write_port_file(a.port_file, port)
    log.info("listening on %s port %d (aiosmtpd, python %s)%s%s", a.addr, port,
             sys.version.split()[0], ", STARTTLS required" if tls else "",
             ", AUTH required" if a.auth else "")
    await stop.wait()
    log.info("signal: exiting")
    server.close()
    await server.wait_closed()


def main(argv):
    a = parse_args(argv)
    logging.basicConfig(stream=sys.stderr, level=logging.INFO,
                        format="%(asctime)s.%(msecs)03d %(name)s %(levelname)s: %(message)s",
                        datefmt="%H:%M:%S")
    mail_log = logging.getLogger("mail.log")
    mail_log.setLevel(logging.WARNING)  # aiosmtpd logs every command at INFO
    # aiosmtpd 1.4 warns about its own use of Session.login_data after a good AUTH.
    mail_log.addFilter(lambda r: "login_data is deprecated" not in r.getMessage())
    os.makedirs(a.out_dir, exist_ok=True)
    asyncio.run(serve(a))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
