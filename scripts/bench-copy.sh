#!/usr/bin/env bash
# `chatter store copy` figures: a demo store of BENCH_COPY_SIZE messages (default 100,000)
# copied into a private PostgreSQL 15 (initdb + pg_ctl on a free loopback port, as the
# postgres user, default durability) and back into a new SQLite file. One JSON line per
# direction: rows, seconds, rows per second. Needs root and `make deps` (postgresql).
# Usage: scripts/bench-copy.sh [CHATTER_BINARY]   (default .build/release/chatter)
set -euo pipefail
cd "$(dirname "$0")/.."
CHATTER=${1:-.build/release/chatter}
SIZE=${BENCH_COPY_SIZE:-100000}
PGBIN=/usr/lib/postgresql/15/bin
DIR=$(mktemp -d /tmp/chatter-bench-copy.XXXXXX)
chown postgres "$DIR"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() {
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT
runuser -u postgres -- "$PGBIN/initdb" -D "$DIR/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
  -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1" start >/dev/null
runuser -u postgres -- "$PGBIN/createdb" -h "$DIR" -p "$PORT" -U postgres bench
URL="postgres://postgres@127.0.0.1:$PORT/bench?sslmode=disable"

echo "== demo store of $SIZE messages" >&2
"$CHATTER" demo --size "$SIZE" --db "$DIR/a.sqlite" >&2
for direction in to-postgres to-sqlite; do
  if [ "$direction" = to-postgres ]; then from="$DIR/a.sqlite"; to="$URL"; else from="$URL"; to="$DIR/b.sqlite"; fi
  start=$(date +%s.%N)
  rows=$("$CHATTER" store copy --from "$from" --to "$to" --json 2>/dev/null | python3 -c 'import json, sys; print(json.load(sys.stdin)["rows"])')
  end=$(date +%s.%N)
  python3 -c "import sys; r, s = int(sys.argv[1]), float(sys.argv[2]); print('{\"bench\": \"store_copy_$direction\", \"messages\": $SIZE, \"rows\": %d, \"seconds\": %.2f, \"rows_per_second\": %.0f}' % (r, s, r / s))" \
    "$rows" "$(echo "$end - $start" | bc)"
done
