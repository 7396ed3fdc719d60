#!/usr/bin/env bash
# The performance figures of the issues, on a 1M-message demo store.
# Each figure is printed as one JSON line; results also go to bench-results/.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_DIR=${BENCH_DIR:-/tmp/chatter-bench}
SIZE=${BENCH_SIZE:-1000000}
OUT=bench-results/$(date -u +%Y%m%dT%H%M%SZ).jsonl
mkdir -p bench-results "$BENCH_DIR"
CHATTER=.build/release/chatter
BENCH=.build/release/chatter-bench

echo "== demo store of $SIZE messages" >&2
rm -f "$BENCH_DIR/store.sqlite" "$BENCH_DIR/store.sqlite-wal" "$BENCH_DIR/store.sqlite-shm"
start=$(date +%s.%N)
"$CHATTER" demo --size "$SIZE" --db "$BENCH_DIR/store.sqlite" --json | tee -a "$OUT"
end=$(date +%s.%N)
bytes=$(stat -c %s "$BENCH_DIR/store.sqlite")
printf '{"bench": "demo", "messages": %s, "seconds": %.1f, "bytes_on_disk": %s}\n' "$SIZE" "$(echo "$end - $start" | bc)" "$bytes" | tee -a "$OUT"

echo "== queries (ours vs the same SQL through the C API)" >&2
"$BENCH" queries --db "$BENCH_DIR/store.sqlite" --user admin@yourcompany.example | tee -a "$OUT"

echo "== the Groups view's first frame: the failure-groups query (ours vs the same SQL through the C API)" >&2
"$BENCH" groups --db "$BENCH_DIR/store.sqlite" --user admin@yourcompany.example | tee -a "$OUT"

echo "== a group review of about 10,000 messages and its undo (ours vs the C API), on a copy" >&2
rm -f "$BENCH_DIR/review.sqlite"*
for f in "$BENCH_DIR"/store.sqlite*; do cp "$f" "$BENCH_DIR/review.sqlite${f#"$BENCH_DIR/store.sqlite"}"; done
"$BENCH" review --db "$BENCH_DIR/review.sqlite" --user admin@yourcompany.example --target 10000 | tee -a "$OUT"
rm -f "$BENCH_DIR/review.sqlite"*

echo "== the front: first frame, key -> frame, memory, bytes per j; key -> frame at the end of a 100k-failure list (tmux)" >&2
scripts/bench-front.sh "$BENCH_DIR/store.sqlite" | tee -a "$OUT"

echo "== applying events (ours vs C API: lookup + insert with unique key + update)" >&2
cp "$BENCH_DIR/store.sqlite" "$BENCH_DIR/apply.sqlite"
"$BENCH" apply --db "$BENCH_DIR/apply.sqlite" --events 50000 --batch 1000 --cache-mib 2 | tee -a "$OUT"
"$BENCH" apply --db "$BENCH_DIR/apply.sqlite" --events 100000 --batch 10000 --cache-mib 64 | tee -a "$OUT"
rm -f "$BENCH_DIR/apply.sqlite"*
echo "== ingest" >&2
BENCH_DIR="$BENCH_DIR" scripts/bench-ingest.sh | tee -a "$OUT"

echo "== the DSN reader: mails per second on a 10k-mail mixed bounce corpus" >&2
BENCH_DIR="$BENCH_DIR" scripts/bench-dsn.sh | tee -a "$OUT"

echo "== sending (SMTP into a private Postfix vs its sendmail) and the pixel under wrk" >&2
scripts/bench-send.sh "$CHATTER" | tee -a "$OUT"

echo "== PostgreSQL: store copy of the bench store both ways, events applied (ours vs PostgresNIO)" >&2
CHATTER="$CHATTER" BENCH="$BENCH" BENCH_DIR="$BENCH_DIR" scripts/bench-postgres.sh "$BENCH_DIR/store.sqlite" | tee -a "$OUT"

echo "== live changes on PostgreSQL: commit -> NOTIFY -> waitForChange across two processes" >&2
scripts/bench-feed.sh "$CHATTER" "$BENCH" | tee -a "$OUT"

echo "== PostgreSQL: commit -> NOTIFY -> frame of the front (tmux), two processes" >&2
CHATTER="$(pwd)/$CHATTER" scripts/bench-postgres-live.sh | tee -a "$OUT"
echo "results: $OUT" >&2
