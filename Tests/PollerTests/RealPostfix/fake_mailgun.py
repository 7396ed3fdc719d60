#!/usr/bin/env python3
"""A fake Mailgun Events API for the poller tests (python3 stdlib only).

Serves EVENTS_JSON (a JSON array of event items) at /v3/test.example/events in pages of
`limit` items, ascending, honouring `begin` / `end`, with `paging.next` links; the very
first request answers 429 (rate limited). Requires Basic auth "api:KEY".
Usage: fake_mailgun.py PORT KEY EVENTS_JSON (prints "ready" once listening).
"""
import base64, json, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

PORT, KEY, EVENTS = int(sys.argv[1]), sys.argv[2], json.load(open(sys.argv[3]))
state = {"requests": 0}
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if status == 429:
            self.send_header("Retry-After", "0")
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        with lock:
            state["requests"] += 1
            first = state["requests"] == 1
        if self.headers.get("Authorization") != "Basic " + base64.b64encode(f"api:{KEY}".encode()).decode():
            return self.answer(401, {"message": "Invalid private key"})
        if first:
            return self.answer(429, {"message": "Too many requests"})
        url = urlparse(self.path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        begin, end = float(q.get("begin", 0)), float(q.get("end", 1e12))
        limit, offset = int(q.get("limit", 300)), int(q.get("offset", 0))
        chosen = sorted((e for e in EVENTS if begin <= e["timestamp"] <= end), key=lambda e: e["timestamp"])
        page = chosen[offset:offset + limit]
        nxt = dict(q, offset=str(offset + limit))
        base = f"http://127.0.0.1:{PORT}{url.path}?"
        self.answer(200, {"items": page, "paging": {"next": base + urlencode(nxt)}})


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
    print("ready", flush=True)
    server.serve_forever()
