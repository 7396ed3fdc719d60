#!/usr/bin/env bash
# Ingest figures of issue 4 §6 on the 1M-message demo store (reused if present, worked on as a copy):
#  - Postfix log lines/s and JSON events/s from file to committed store, against `chatter-bench apply`
#    (the C-API baseline) run on the same copy in the same run;
#  - parse-only throughput (`chatter ingest --dry-run`) against `wc -l` on the same file;
#  - tailing latency, append -> committed, p50/p99 (`chatter poll` on a JSON-lines file).
# Each figure is one JSON line on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_DIR=${BENCH_DIR:-/tmp/chatter-bench}
SIZE=${BENCH_SIZE:-1000000}
MESSAGES=${BENCH_INGEST_MESSAGES:-200000}
CHATTER=${CHATTER:-.build/release/chatter}
BENCH=${BENCH:-.build/release/chatter-bench}
mkdir -p "$BENCH_DIR"
STORE="$BENCH_DIR/store.sqlite"
WORK="$BENCH_DIR/ingest.sqlite"
LOG="$BENCH_DIR/ingest-postfix.log"
EVENTS="$BENCH_DIR/ingest-events.jsonl"

if [ ! -f "$STORE" ]; then
  echo "== demo store of $SIZE messages" >&2
  "$CHATTER" demo --size "$SIZE" --db "$STORE" >&2
fi
echo "== copy of the store" >&2
rm -f "$WORK" "$WORK-wal" "$WORK-shm"
cp "$STORE" "$WORK"
# Open once so the v2 migration (token index) is not part of the timings.
"$CHATTER" quarantine --db "$WORK" --limit 1 >/dev/null

echo "== inputs: $MESSAGES messages of the store as a Postfix log (5 lines each) and as JSON lines" >&2
python3 - "$WORK" "$LOG" "$EVENTS" "$MESSAGES" <<'PY'
import random, sqlite3, sys, time
db, log, events, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
rows = con.execute(
    "SELECT t.id, t.address, m.message_id FROM trackings t JOIN messages m ON m.id = t.message_id "
    "WHERE t.address IS NOT NULL AND t.id % 12 = 5 LIMIT ?", (n,)).fetchall()
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

echo "== parse only vs wc -l (file in page cache)" >&2
cat "$LOG" > /dev/null
wc_s=$(seconds wc -l "$LOG")
parse_s=$(seconds "$CHATTER" ingest --dry-run --format postfix "$LOG")
bytes=$(stat -c %s "$LOG")
printf '{"bench": "ingest-dry-run (parse + correlate)", "lines": %s, "bytes": %s, "parse_s": %.3f, "wc_s": %.3f, "parse_mb_s": %.1f, "wc_mb_s": %.1f, "ratio": %.3f}\n' \
  "$lines" "$bytes" "$parse_s" "$wc_s" "$(echo "$bytes / $parse_s / 1000000" | bc -l)" "$(echo "$bytes / $wc_s / 1000000" | bc -l)" \
  "$(echo "$wc_s / $parse_s" | bc -l)"

"$BENCH" parse --file "$LOG" | while read -r stage; do
  echo "$stage" | python3 -c 'import json,sys; d=json.load(sys.stdin); w='"$wc_s"'; print(json.dumps(dict(d, wc_s=w, ratio_to_wc=round(w / d["seconds"], 3))))'
done

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
