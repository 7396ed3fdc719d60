#!/usr/bin/env python3
"""A fake remote MX for the real-Postfix test (python3 stdlib only).

Answers RCPT TO by local part: bad* -> 550 5.1.1, full* -> 452 4.2.2, grey* -> 450 4.7.1,
spam* -> 554 5.7.1, anything else -> 250; DATA -> 250 2.0.0 Ok: queued as <hex>.
Mail for a local part starting with "app" (our bounce address) is saved into the
Maildir given as second argument: the DSNs Postfix writes, for the poller to read.
Usage: fake_mx.py PORT [MAILDIR] (prints "ready" once listening).
"""
import os, socketserver, sys, time

MAILDIR = sys.argv[2] if len(sys.argv) > 2 else None

REPLIES = [
    ("bad", "550 5.1.1 <{}>: Recipient address rejected: User unknown"),
    ("full", "452 4.2.2 <{}>: Mailbox full"),
    ("grey", "450 4.7.1 <{}>: Greylisted, try again later"),
    ("spam", "554 5.7.1 <{}>: Message rejected as spam"),
]


class Session(socketserver.StreamRequestHandler):
    def send(self, line):
        self.wfile.write((line + "\r\n").encode())
        self.wfile.flush()

    def handle(self):
        self.send("220 fake.mx ESMTP")
        in_data = False
        keep = False
        body = []
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            line = raw.decode("latin-1").rstrip("\r\n")
            if in_data:
                if line == ".":
                    in_data = False
                    if keep and MAILDIR:
                        name = "%d.%s.fakemx" % (time.time(), os.urandom(6).hex())
                        with open(os.path.join(MAILDIR, "tmp", name), "w", encoding="latin-1") as f:
                            f.write("\n".join(body) + "\n")
                        os.rename(os.path.join(MAILDIR, "tmp", name), os.path.join(MAILDIR, "new", name))
                    keep, body = False, []
                    self.send("250 2.0.0 Ok: queued as " + os.urandom(5).hex().upper())
                else:
                    body.append(line[1:] if line.startswith("..") else line)
                continue
            verb = line[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.send("250-fake.mx\r\n250-PIPELINING\r\n250 ENHANCEDSTATUSCODES")
            elif verb == "MAIL":
                self.send("250 2.1.0 Ok")
            elif verb == "RCPT":
                address = line.split(":", 1)[1].strip().strip("<>").split(">")[0]
                local = address.split("@")[0].lower()
                reply = next((r for p, r in REPLIES if local.startswith(p)), "250 2.1.5 Ok {}")
                keep = keep or local.startswith("app")
                self.send(reply.format(address))
            elif verb == "DATA":
                in_data = True
                self.send("354 End data with <CR><LF>.<CR><LF>")
            elif verb == "QUIT":
                self.send("221 2.0.0 Bye")
                return
            else:
                self.send("250 2.0.0 Ok")


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


if __name__ == "__main__":
    if MAILDIR:
        for sub in ("new", "cur", "tmp"):
            os.makedirs(os.path.join(MAILDIR, sub), exist_ok=True)
    server = Server(("127.0.0.1", int(sys.argv[1])), Session)
    print("ready", flush=True)
    server.serve_forever()
