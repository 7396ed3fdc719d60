#!/usr/bin/env bash
# Live-change figure on PostgreSQL: commit -> NOTIFY -> waitForChange latency across two
# processes (a psql writer, the bench's PostgresChangeFeed), p50 / p99 / max over
# BENCH_FEED_COUNT commits (default 500), on a private PostgreSQL 15 (initdb + pg_ctl on
# a free loopback port, as the postgres user) holding a small copied demo store.
# Needs root and `make deps` (postgresql).
# Usage: scripts/bench-feed.sh [CHATTER_BINARY] [CHATTER_BENCH_BINARY]   (default .build/release/…)
set -euo pipefail
cd "$(dirname "$0")/.."
CHATTER=${1:-.build/release/chatter}
BENCH=${2:-.build/release/chatter-bench}
COUNT=${BENCH_FEED_COUNT:-500}
PGBIN=/usr/lib/postgresql/15/bin
DIR=$(mktemp -d /tmp/chatter-bench-feed.XXXXXX)
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
"$CHATTER" demo --size 50 --db "$DIR/a.sqlite" >/dev/null
"$CHATTER" store copy --from "$DIR/a.sqlite" --to "$URL" >/dev/null 2>&1
"$BENCH" feed-latency --db "$URL" --count "$COUNT" --psql "$PGBIN/psql"
