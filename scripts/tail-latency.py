#!/usr/bin/env python3
"""Tailing latency of `chatter poll`: append one JSON-lines event, wait until the store has it.

Usage: tail-latency.py CHATTER STORE WORKDIR [COUNT]. Prints one JSON line (p50 / p99 / max in ms).
"""
import json, os, signal, sqlite3, subprocess, sys, time

chatter, store, work = sys.argv[1], sys.argv[2], sys.argv[3]
count = int(sys.argv[4]) if len(sys.argv) > 4 else 300
events = os.path.join(work, "tail-events.jsonl")
config_home = os.path.join(work, "tail-config")
os.makedirs(os.path.join(config_home, "chatter"), exist_ok=True)
open(events, "w").close()
with open(os.path.join(config_home, "chatter", "config.toml"), "w") as f:
    f.write('[poller]\ninterval = 0.05\n\n[[source]]\nkind = "events"\npath = "%s"\nformat = "jsonl"\n' % events)
con = sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=30)
tid = con.execute("SELECT id FROM trackings WHERE address IS NOT NULL LIMIT 1").fetchone()[0]
env = dict(os.environ, XDG_CONFIG_HOME=config_home)
proc = subprocess.Popen([chatter, "poll", "--db", store], env=env, stderr=subprocess.DEVNULL)
time.sleep(1.0)
run = "%x" % int(time.time())
lat = []
try:
    for i in range(count):
        key = f"tail-{run}-{i}"
        with open(events, "a") as f:
            t0 = time.monotonic()
            f.write('{"type":"deferral","timestamp":%.3f,"tracking_id":"%d","key":"%s"}\n' % (time.time(), tid, key))
        while True:
            if con.execute("SELECT 1 FROM events WHERE source = 'jsonl' AND key = ?", (key,)).fetchone():
                lat.append((time.monotonic() - t0) * 1000)
                break
            if time.monotonic() - t0 > 10:
                raise SystemExit("event %s not committed within 10 s" % key)
            time.sleep(0.001)
        time.sleep(0.01)
finally:
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
lat.sort()
pick = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
print(json.dumps({"bench": "tail-latency", "appends": len(lat), "p50_ms": round(pick(0.5), 1),
                  "p99_ms": round(pick(0.99), 1), "max_ms": round(lat[-1], 1), "poll_exit": proc.returncode}))
