#!/usr/bin/env bash
# The PostgreSQL store's figures, on a private PostgreSQL 15 (scripts/pg-cluster.sh):
#  - `chatter store copy` of the store given (default: the 1M-message bench store) into PostgreSQL
#    and back into a new SQLite file: rows, seconds, rows per second; the database's size on disk
#    after the copy, and of its biggest tables, per row;
#  - events applied per second in batches of 1,000 and 10,000 (`chatter-bench pg-apply`): our store
#    against PostgresNIO used directly with prepared statements, on the same database, interleaved.
# One JSON line per figure. Needs root and `make deps` (postgresql).
# Usage: scripts/bench-postgres.sh [STORE]   (BENCH_PG_EVENTS: events per apply figure, default 20,000)
set -euo pipefail
cd "$(dirname "$0")/.."
CHATTER=${CHATTER:-.build/release/chatter}
BENCH=${BENCH:-.build/release/chatter-bench}
BENCH_DIR=${BENCH_DIR:-/tmp/chatter-bench}
STORE=${1:-$BENCH_DIR/store.sqlite}
EVENTS=${BENCH_PG_EVENTS:-20000}
. scripts/pg-cluster.sh
URL=$(pg_url bench)
if [ ! -f "$STORE" ]; then
  echo "== demo store of ${BENCH_SIZE:-1000000} messages" >&2
  "$CHATTER" demo --size "${BENCH_SIZE:-1000000}" --db "$STORE" >&2
fi
messages=$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM messages").fetchone()[0])' "$STORE")

copy() {  # copy FROM TO DIRECTION
  local start end rows
  start=$(date +%s.%N)
  rows=$("$CHATTER" store copy --from "$1" --to "$2" --json 2>/dev/null | python3 -c 'import json, sys; print(json.load(sys.stdin)["rows"])')
  end=$(date +%s.%N)
  python3 -c "import sys; r, s = int(sys.argv[1]), float(sys.argv[2]); print('{\"bench\": \"store_copy_$3\", \"messages\": $messages, \"rows\": %d, \"seconds\": %.2f, \"rows_per_second\": %.0f}' % (r, s, r / s))" \
    "$rows" "$(echo "$end - $start" | bc)"
}
echo "== store copy into PostgreSQL and back" >&2
copy "$STORE" "$URL" to-postgres
# What the copy takes on the server: bytes per row, for the growth arithmetic (README, "Team store").
runuser -u postgres -- "$PGBIN/psql" -h "$PG_DIR" -p "$PG_PORT" -U postgres -d bench -qAtX -c "ANALYZE" >/dev/null
runuser -u postgres -- "$PGBIN/psql" -h "$PG_DIR" -p "$PG_PORT" -U postgres -d bench -qAtX -F ' ' -c "
  SELECT 'database', pg_database_size(current_database()), (SELECT sum(n_live_tup) FROM pg_stat_user_tables)
  UNION ALL SELECT relname, pg_total_relation_size(relid), n_live_tup FROM pg_stat_user_tables
    WHERE relname IN ('events', 'trackings', 'messages')" |
  while read -r name bytes rows; do
    printf '{"bench": "postgres_size", "table": "%s", "bytes": %s, "rows": %s, "bytes_per_row": %.0f}\n' \
      "$name" "$bytes" "$rows" "$(echo "$bytes / ($rows + 1)" | bc -l)"
  done
copy "$URL" "$PG_DIR/back.sqlite" to-sqlite
rm -f "$PG_DIR/back.sqlite"*

echo "== events applied per second (ours vs PostgresNIO with prepared statements)" >&2
"$BENCH" pg-apply --url "$URL" --events "$EVENTS" --batch 1000
"$BENCH" pg-apply --url "$URL" --events "$((EVENTS * 2))" --batch 10000
