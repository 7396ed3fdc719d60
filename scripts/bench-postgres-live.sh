#!/usr/bin/env bash
# Commit -> NOTIFY -> frame latency across two processes, on a private PostgreSQL 15
# (scripts/pg-cluster.sh): `chatter ui --db postgres://…` runs under a private tmux server
# with --trace-file; another process (psql, one per round) renames the thread at the top of
# the list and notifies in the same transaction, then reads the server clock just after its
# COMMIT returned. The front's trace marks each frame whose thread list changed
# (`frame threads realtime_ns=…`); a round's latency is that frame's time minus the commit's.
# Measured, not asserted. One JSON line on stdout.
# Usage: scripts/bench-postgres-live.sh   (BENCH_LIVE_ROUNDS, default 100; BENCH_LIVE_SIZE, demo
# messages, default 2000; CHATTER: the binary, default the release build). Needs root and
# `make deps` (postgresql, tmux).
set -euo pipefail
cd "$(dirname "$0")/.."
CHATTER=${CHATTER:-$(pwd)/.build/release/chatter}
ROUNDS=${BENCH_LIVE_ROUNDS:-100}
SIZE=${BENCH_LIVE_SIZE:-2000}
. scripts/pg-cluster.sh
WORK=$(mktemp -d)
SOCK=$WORK/tmux
tm() { tmux -S "$SOCK" "$@"; }
cleanup() { tm kill-server 2>/dev/null || true; rm -rf "$WORK"; pg_cluster_stop; }
trap cleanup EXIT
URL=$(pg_url live)
sql() { runuser -u postgres -- psql -h "$PG_DIR" -p "$PG_PORT" -U postgres -d live -Atq -c "$1"; }

"$CHATTER" demo --size "$SIZE" --db "$WORK/demo.sqlite" >/dev/null
"$CHATTER" store copy --from "$WORK/demo.sqlite" --to "$URL" >/dev/null 2>&1
tm new-session -d -x 120 -y 40 -s b \
    "env TERM=xterm-256color LANG=C.UTF-8 HOME=$WORK '$CHATTER' ui --db '$URL' --trace-file '$WORK/trace'"
for _ in $(seq 1 400); do
    grep -q '^frame full' "$WORK/trace" 2>/dev/null && tm capture-pane -p -t b | grep -q 'changes live' && break
    sleep 0.05
done
tm capture-pane -p -t b | grep -q 'changes live' || { echo "the front did not go live" >&2; tm capture-pane -p -t b >&2; exit 1; }
sleep 1
tid=$(sql "SELECT id FROM threads ORDER BY last_activity DESC, id DESC LIMIT 1")

: > "$WORK/commits"
for i in $(seq 1 "$ROUNDS"); do
    sql "BEGIN; UPDATE threads SET name = 'Live bench round $i' WHERE id = $tid;
         SELECT pg_notify('chatter', 'bench'); COMMIT;
         SELECT (extract(epoch FROM clock_timestamp()) * 1e9)::bigint" | tail -n 1 >> "$WORK/commits"
    sleep 0.25
done
sleep 1

python3 - "$WORK/commits" "$WORK/trace" "$ROUNDS" <<'PY'
import json, re, sys
commits = [int(l) for l in open(sys.argv[1]) if l.strip()]
frames = sorted(int(m.group(1)) for l in open(sys.argv[2])
                if l.startswith("frame threads") and (m := re.search(r"realtime_ns=(\d+)", l)))
lat = []
for c in commits:
    after = [f for f in frames if f >= c]
    if after: lat.append((after[0] - c) / 1e6)
lat.sort()
pick = lambda q: lat[min(len(lat) - 1, int((len(lat) - 1) * q))] if lat else None
print(json.dumps({"bench": "postgres_commit_notify_frame", "rounds": int(sys.argv[3]), "seen": len(lat),
                  "p50_ms": round(pick(0.5), 2) if lat else None, "p99_ms": round(pick(0.99), 2) if lat else None,
                  "max_ms": round(lat[-1], 2) if lat else None}))
PY
