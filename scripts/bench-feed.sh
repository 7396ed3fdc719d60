#!/usr/bin/env bash
# Live-change figure on PostgreSQL: commit -> NOTIFY -> waitForChange latency across two
# processes (a psql writer, the bench's PostgresChangeFeed), p50 / p99 / max over
# BENCH_FEED_COUNT commits (default 500), on a private PostgreSQL 15 (scripts/pg-cluster.sh)
# holding a small copied demo store.
# Needs root and `make deps` (postgresql).
# Usage: scripts/bench-feed.sh [CHATTER_BINARY] [CHATTER_BENCH_BINARY]   (default .build/release/…)
set -euo pipefail
cd "$(dirname "$0")/.."
CHATTER=${1:-.build/release/chatter}
BENCH=${2:-.build/release/chatter-bench}
COUNT=${BENCH_FEED_COUNT:-500}
. scripts/pg-cluster.sh
DIR=$PG_DIR
URL=$(pg_url bench)
"$CHATTER" demo --size 50 --db "$DIR/a.sqlite" >/dev/null
"$CHATTER" store copy --from "$DIR/a.sqlite" --to "$URL" >/dev/null 2>&1
"$BENCH" feed-latency --db "$URL" --count "$COUNT" --psql "$PGBIN/psql"
