# Sourced by the PostgreSQL benchmarks: a private PostgreSQL 15 (initdb + pg_ctl, as the
# postgres user, on a free loopback port, default durability) in a temporary folder, stopped
# and removed on exit. Sets PG_DIR, PG_PORT and pg_url NAME (the URL of database NAME,
# created on first use). Needs root and `make deps` (postgresql).
PGBIN=/usr/lib/postgresql/15/bin
PG_DIR=$(mktemp -d /tmp/chatter-bench-pg.XXXXXX)
chown postgres "$PG_DIR"
PG_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pg_cluster_stop() {
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
trap pg_cluster_stop EXIT
runuser -u postgres -- "$PGBIN/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
  -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1" start >/dev/null
pg_url() {
  runuser -u postgres -- "$PGBIN/createdb" -h "$PG_DIR" -p "$PG_PORT" -U postgres "$1" 2>/dev/null || true
  echo "postgres://postgres@127.0.0.1:$PG_PORT/$1?sslmode=disable"
}
