#!/usr/bin/env bash
# Ingest figures on the 1M-message demo store (reused if present, worked on as a copy):
#  - Postfix log lines/s and JSON events/s from file to committed store, against `chatter-bench apply`
#    (the C-API baseline) run on the same copy in the same run;
#  - parse-only throughput against `wc -l` on the same file (page cache warm): `chatter ingest --dry-run`
#    and the stages of `chatter-bench parse` (split, scan, correlate = scan + queue-id links into
#    events, what the dry run and the poller do before the store, dry-run = the command's loop);
#  - tailing latency, append -> committed, p50/p99 (`chatter poll` on a JSON-lines file).
# Each figure is one JSON line on stdout.
#
# BENCH_PARSE_ONLY=1: only the parse-only figures, on a synthetic log of the same shape (no store needed).
# BENCH_FAILURE_EVERY=N (default 0 = none): every Nth message is deferred or bounced instead of sent, with
# replies of every side (what the failure classifier costs per line; the default log has only sent lines).
# BENCH_REPEAT (default 5): runs per parse-only figure; the median is reported (wall and CPU seconds).
# BEFORE_CHATTER / BEFORE_BENCH: a second pair of binaries measured in the same run, interleaved,
# each figure then also given as a ratio to theirs (`ratio_to_before`).
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_DIR=${BENCH_DIR:-/tmp/chatter-bench}
SIZE=${BENCH_SIZE:-1000000}
MESSAGES=${BENCH_INGEST_MESSAGES:-200000}
CHATTER=${CHATTER:-.build/release/chatter}
BENCH=${BENCH:-.build/release/chatter-bench}
PARSE_ONLY=${BENCH_PARSE_ONLY:-0}
FAILURE_EVERY=${BENCH_FAILURE_EVERY:-0}
REPEAT=${BENCH_REPEAT:-5}
mkdir -p "$BENCH_DIR"
STORE="$BENCH_DIR/store.sqlite"
WORK="$BENCH_DIR/ingest.sqlite"
LOG="$BENCH_DIR/ingest-postfix.log"
EVENTS="$BENCH_DIR/ingest-events.jsonl"

if [ "$PARSE_ONLY" = 1 ]; then
  ROWS=""
else
  if [ ! -f "$STORE" ]; then
    echo "== demo store of $SIZE messages" >&2
    "$CHATTER" demo --size "$SIZE" --db "$STORE" >&2
  fi
  echo "== copy of the store" >&2
  rm -f "$WORK" "$WORK-wal" "$WORK-shm"
  cp "$STORE" "$WORK"
  # Open once so the v2 migration (token index) is not part of the timings.
  "$CHATTER" quarantine --db "$WORK" --limit 1 >/dev/null
  ROWS="$WORK"
fi

echo "== inputs: $MESSAGES messages ${ROWS:+of the store }as a Postfix log (5 lines each) and as JSON lines" >&2
python3 - "$ROWS" "$LOG" "$EVENTS" "$MESSAGES" "$FAILURE_EVERY" <<'PY'
import random, sqlite3, sys, time
db, log, events, n, every = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
failures = [
    ("4.2.2", "deferred", "452 4.2.2 <{a}>: Mailbox full, try again later"),
    ("4.7.1", "deferred", "450 4.7.1 <{a}>: Recipient address rejected: Greylisted"),
    ("4.4.1", "deferred", "connect to mx.example.net[192.0.2.1]:25: Connection timed out"),
    ("5.1.1", "bounced", "550 5.1.1 <{a}>: Recipient address rejected: User unknown in virtual mailbox table"),
    ("5.7.1", "bounced", "554 5.7.1 Service unavailable; Client host [192.0.2.9] blocked using zen.spamhaus.org"),
    ("5.7.1", "bounced", "550 5.7.1 Message rejected as spam by content filter"),
    ("4.7.0", "deferred", "421 4.7.0 Too many connections from your IP, try again later"),
    ("5.7.26", "bounced", "550 5.7.26 Unauthenticated email is not accepted due to DMARC policy"),
]
if db:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = con.execute(
        "SELECT t.id, t.address, m.message_id FROM trackings t JOIN messages m ON m.id = t.message_id "
        "WHERE t.address IS NOT NULL AND t.id % 12 = 5 LIMIT ?", (n,)).fetchall()
else:
    # The demo store's shape: every 12th tracking, ~38 distinct partner addresses, demo message ids.
    names = ["office", "deco.addict", "juergen.weiss", "colleen.diaz", "azure.interior", "brandon.freeman"]
    domains = ["example.com", "example.net", "example.de", "sever-veter.example.ru", "example.org", "example.fr", "example.be"]
    addrs = [f"{names[k % len(names)]}@{domains[k % len(domains)]}" for k in range(38)]
    rows = [(12 * i + 5, addrs[i % len(addrs)], f"demo.42.{i:012d}@yourcompany.example") for i in range(n)]
# Spread over the whole store in random order, like the baseline's random tracking ids.
random.Random(1125).shuffle(rows)
start = time.time() - 2 * 86400
months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
with open(log, "w") as f:
    for i, (tid, addr, mid) in enumerate(rows):
        t = time.gmtime(start + i * 0.5)
        stamp = f"{months[t.tm_mon-1]} {t.tm_mday:2d} {t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}"
        q = f"{0x1000000 + i:010X}"
        f.write(f"{stamp} mx postfix/pickup[100]: {q}: uid=1000 from=<app>\n")
        f.write(f"{stamp} mx postfix/cleanup[101]: {q}: message-id=<{mid}>\n")
        f.write(f"{stamp} mx postfix/qmgr[102]: {q}: from=<app@yourcompany.example>, size=2048, nrcpt=1 (queue active)\n")
        if every and i % every == every - 1:
            dsn, status, text = failures[(i // every) % len(failures)]
            said = text.format(a=addr)
            reply = said if status == "deferred" and not said[0].isdigit() else f"host mx.example.net[192.0.2.1] said: {said} (in reply to RCPT TO command)"
            f.write(f"{stamp} mx postfix/smtp[103]: {q}: to=<{addr}>, relay=mx.example.net[192.0.2.1]:25, delay=1.2, "
                    f"delays=0.1/0/0.5/0.6, dsn={dsn}, status={status} ({reply})\n")
        else:
            f.write(f"{stamp} mx postfix/smtp[103]: {q}: to=<{addr}>, relay=mx.example.net[192.0.2.1]:25, delay=1.2, "
                    f"delays=0.1/0/0.5/0.6, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as B{i:09d})\n")
        f.write(f"{stamp} mx postfix/qmgr[102]: {q}: removed\n")
with open(events, "w") as f:
    for i, (tid, addr, mid) in enumerate(rows):
        kind = "deferral" if i % 5 == 4 else "delivered"
        f.write('{"type":"%s","timestamp":%.3f,"tracking_id":"%d","key":"bench-%d","status":"%s"}\n'
                % (kind, start + i * 0.5, tid, i, "4.2.2" if kind == "deferral" else "2.0.0"))
PY
lines=$(wc -l < "$LOG")
nevents=$(wc -l < "$EVENTS")

seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); echo "$e - $s" | bc -l; }

echo "== parse only vs wc -l (file in page cache; median of $REPEAT runs, interleaved)" >&2
cat "$LOG" > /dev/null
python3 - "$LOG" "$REPEAT" "$CHATTER" "$BENCH" "${BEFORE_CHATTER:-}" "${BEFORE_BENCH:-}" <<'PY'
import json, os, resource, statistics, subprocess, sys, time
log, repeat, chatter, bench, before_chatter, before_bench = sys.argv[1:7]
repeat = int(repeat)
size = os.path.getsize(log)
lines = sum(1 for _ in open(log, "rb"))

def timed(cmd):
    """Wall and CPU (user + sys of the child) seconds of one run, and its stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE).stdout
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), out

binaries = [("after", chatter, bench)] + ([("before", before_chatter, before_bench)] if before_chatter else [])
runs = {}  # figure -> list of (wall, cpu)
for _ in range(repeat):
    for label, cmd in [("wc", ["wc", "-l", log])] + [
            (f"ingest-dry-run/{tag}", [c, "ingest", "--dry-run", "--format", "postfix", log]) for tag, c, _ in binaries]:
        wall, cpu, _ = timed(cmd)
        runs.setdefault(label, []).append((wall, cpu))
    for tag, _, b in binaries:
        _, _, out = timed([b, "parse", "--file", log, "--repeat", "1"])
        for row in out.decode().splitlines():
            d = json.loads(row)
            runs.setdefault(f"{d['bench']}/{tag}", []).append((d["seconds"], d.get("cpu_seconds", d["seconds"])))

def median(label, i):
    return statistics.median(r[i] for r in runs[label])

wc_wall, wc_cpu = median("wc", 0), median("wc", 1)
print(json.dumps({"bench": "wc -l", "lines": lines, "bytes": size, "runs": repeat, "seconds": round(wc_wall, 4),
                  "cpu_seconds": round(wc_cpu, 4), "mb_per_s": round(size / wc_wall / 1e6, 1)}))
for label in runs:
    if label == "wc" or not label.endswith("/after"):
        continue
    name = label[: -len("/after")]
    wall, cpu = median(label, 0), median(label, 1)
    row = {"bench": name, "lines": lines, "bytes": size, "runs": repeat, "seconds": round(wall, 4),
           "cpu_seconds": round(cpu, 4), "mb_per_s": round(size / wall / 1e6, 1),
           "ratio_to_wc": round(wc_wall / wall, 3), "cpu_ratio_to_wc": round(wc_cpu / cpu, 3)}
    if f"{name}/before" in runs:
        bwall, bcpu = median(f"{name}/before", 0), median(f"{name}/before", 1)
        row.update({"before_seconds": round(bwall, 4), "before_ratio_to_wc": round(wc_wall / bwall, 3),
                    "ratio_to_before": round(bwall / wall, 2), "cpu_ratio_to_before": round(bcpu / cpu, 2)})
    print(json.dumps(row))
PY

if [ "$PARSE_ONLY" = 1 ]; then
  rm -f "$LOG" "$EVENTS"
  exit 0
fi

echo "== file to committed store" >&2
log_s=$(seconds "$CHATTER" ingest --db "$WORK" --batch-size 10000 "$LOG")
json_s=$(seconds "$CHATTER" ingest --db "$WORK" --batch-size 10000 "$EVENTS")
baseline=$("$BENCH" apply --db "$WORK" --events 100000 --batch 10000 --cache-mib 64)
echo "$baseline"
c_rate=$(echo "$baseline" | python3 -c 'import json,sys; print(json.load(sys.stdin)["c_api_per_s"])')
applied=$(sqlite3 "$WORK" "SELECT count(*) FROM events WHERE source = 'postfix'")
printf '{"bench": "ingest-postfix", "lines": %s, "events": %s, "seconds": %.2f, "lines_per_s": %.0f, "events_per_s": %.0f, "c_api_per_s": %.0f, "ratio": %.3f}\n' \
  "$lines" "$applied" "$log_s" "$(echo "$lines / $log_s" | bc -l)" "$(echo "$applied / $log_s" | bc -l)" "$c_rate" \
  "$(echo "$applied / $log_s / $c_rate" | bc -l)"
printf '{"bench": "ingest-jsonl", "events": %s, "seconds": %.2f, "events_per_s": %.0f, "c_api_per_s": %.0f, "ratio": %.3f}\n' \
  "$nevents" "$json_s" "$(echo "$nevents / $json_s" | bc -l)" "$c_rate" "$(echo "$nevents / $json_s / $c_rate" | bc -l)"

echo "== tailing latency (append -> committed), chatter poll on a JSON-lines file" >&2
python3 scripts/tail-latency.py "$CHATTER" "$WORK" "$BENCH_DIR"
rm -f "$WORK" "$WORK-wal" "$WORK-shm" "$LOG" "$EVENTS"
