#!/usr/bin/env bash
# Sending and pixel figures, as JSON lines on stdout:
#  1. messages/s of `chatter send` over SMTP into a private loopback Postfix (smtpd),
#     against Postfix's own /usr/sbin/sendmail submitting the same number of mails,
#     and against chatter's sendmail transport;
#  2. pixel requests/s and latency with wrk against `chatter serve`, half valid and
#     half random tokens, then the open events checked against the rules.
# Needs root, postfix and wrk (`make deps`). Usage: scripts/bench-send.sh [CHATTER_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
CHATTER=${1:-.build/release/chatter}
N=${BENCH_SEND_MAILS:-1000}
WRK_SECONDS=${BENCH_WRK_SECONDS:-10}
W=$(mktemp -d /tmp/chatter-bench-send.XXXXXX)
chmod 755 "$W"   # Postfix daemons run as postfix and must reach the queue
PF=$W/postfix
PORT=$((30000 + RANDOM % 10000))
SERVE_PID=
cleanup() {
  [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null || true
  /usr/sbin/postfix -c "$PF/etc" stop >/dev/null 2>&1 || true
  rm -rf "$W"
}
trap cleanup EXIT

# --- a private Postfix: smtpd on $PORT, bench.test discarded after queueing (the queue drains)
mkdir -p "$PF/etc" "$PF/spool" "$PF/data"
chown postfix "$PF/data"
cat > "$PF/etc/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $PF/spool
data_directory = $PF/data
meta_directory = /etc/postfix
mail_owner = postfix
setgid_group = postdrop
myhostname = testhost.localdomain
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
maillog_file = $PF/postfix.log
maillog_file_prefixes = $PF
transport_maps = texthash:$PF/etc/transport
alias_maps =
alias_database =
disable_dns_lookups = yes
smtpd_tls_security_level = none
CF
echo "bench.test discard:" > "$PF/etc/transport"
{
  echo "127.0.0.1:$PORT inet n - n - - smtpd"
  for s in "pickup unix n - n 60 1 pickup" "cleanup unix n - n - 0 cleanup" "qmgr unix n - n 300 1 qmgr" \
    "rewrite unix - - n - - trivial-rewrite" "bounce unix - - n - 0 bounce" "defer unix - - n - 0 bounce" \
    "trace unix - - n - 0 bounce" "verify unix - - n - 1 verify" "flush unix n - n 1000? 0 flush" \
    "proxymap unix - - n - - proxymap" "smtp unix - - n - - smtp" "showq unix n - n - - showq" \
    "error unix - - n - - error" "retry unix - - n - - error" "discard unix - - n - - discard" \
    "anvil unix - - n - 1 anvil" "scache unix - - n - 1 scache" "postlog unix-dgram n - n - 1 postlogd"; do
    echo "$s"
  done
} > "$PF/etc/master.cf"
/usr/sbin/postfix -c "$PF/etc" start >/dev/null
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done

# N messages of one recipient each (a message to N recipients would carry N addresses in every To header).
# The first one alone: two processes creating the same store at once would both migrate it.
post_all() {
  "$CHATTER" post --db "$1" --as bench@bench.example --thread bench/1 --to r1@bench.test --subject "Bench 1" \
    --body "Hello" --send >/dev/null
  seq 2 "$N" | xargs -P 2 -I{} "$CHATTER" post --db "$1" --as bench@bench.example --thread bench/{} \
    --to "r{}@bench.test" --subject "Bench {}" --body "Hello" --send >/dev/null
}
now() { date +%s.%N; }

# --- 1a. chatter send over SMTP
DB=$W/smtp.sqlite
post_all "$DB"
t0=$(now)
"$CHATTER" send --once --db "$DB" --smtp-host 127.0.0.1 --smtp-port "$PORT" --smtp-security none --no-pixel >/dev/null
t1=$(now)
sent=$("$CHATTER" outbox --db "$DB" --status sent --limit $((N + 1)) --json | grep -o '"status": "sent"' | wc -l)
smtp_rate=$(echo "$N / ($t1 - $t0)" | bc -l)

# --- 1b. Postfix's own sendmail(1), the same number of mails (one built by chatter's MIME builder)
MAIL=$W/mail.eml
printf 'From: bench@bench.example\nTo: r@bench.test\nSubject: Bench\nMessage-ID: <bench@bench.example>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nHello\n' > "$MAIL"
t0=$(now)
for i in $(seq 1 "$N"); do /usr/sbin/sendmail -C "$PF/etc" -i -f bench@bench.example -- "r$i@bench.test" < "$MAIL"; done
t1=$(now)
sendmail_rate=$(echo "$N / ($t1 - $t0)" | bc -l)

# --- 1c. chatter send through its sendmail transport (same binary, -C the private instance)
printf '#!/bin/sh\nexec /usr/sbin/sendmail -C %s/etc "$@"\n' "$PF" > "$W/sendmail"
chmod +x "$W/sendmail"
DB2=$W/sendmail.sqlite
post_all "$DB2"
t0=$(now)
"$CHATTER" send --once --db "$DB2" --sendmail "$W/sendmail" --no-pixel >/dev/null
t1=$(now)
chatter_sendmail_rate=$(echo "$N / ($t1 - $t0)" | bc -l)
printf '{"bench": "send", "mails": %d, "sent": %d, "chatter_smtp_to_postfix_per_s": %.0f, "postfix_sendmail_per_s": %.0f, "ratio_smtp_vs_sendmail": %.2f, "chatter_via_sendmail_per_s": %.0f}\n' \
  "$N" "$sent" "$smtp_rate" "$sendmail_rate" "$(echo "$smtp_rate / $sendmail_rate" | bc -l)" "$chatter_sendmail_rate"

# --- 2. pixel: wrk against chatter serve on the SMTP store (every row is sent)
SPORT=$((PORT + 1))
"$CHATTER" serve --db "$DB" --listen "127.0.0.1:$SPORT" --rate 1000000000 --burst 1000000000 2>"$W/serve.log" &
SERVE_PID=$!
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$SPORT) 2>/dev/null && break; sleep 0.1; done
"$CHATTER" trackings --db "$DB" --limit 0 --json | grep -o '"pixel_url": "[^"]*"' | sed 's/.*http:\/\/[^/]*//; s/"$//' > "$W/valid"
valid=$(wc -l < "$W/valid")
# one random token per valid path, interleaved
awk 'BEGIN{srand(42)} {print; printf "/t/%d/%08x%08x%08x%08x/blank.gif\n", NR, rand()*4294967295, rand()*4294967295, rand()*4294967295, rand()*4294967295}' "$W/valid" > "$W/paths"
cat > "$W/pixel.lua" <<'LUA'
local paths = {}
for line in io.lines(os.getenv("PIXEL_PATHS")) do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
LUA
PIXEL_PATHS=$W/paths wrk -t2 -c32 -d"${WRK_SECONDS}s" --latency -s "$W/pixel.lua" "http://127.0.0.1:$SPORT" > "$W/wrk.txt"
kill "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null || true; SERVE_PID=
rps=$(awk '/Requests\/sec/ {print $2}' "$W/wrk.txt")
p99=$(awk '$1 == "99%" {print $2}' "$W/wrk.txt")
total=$(awk '/requests in/ {print $1}' "$W/wrk.txt")
opened=$("$CHATTER" trackings --db "$DB" --state opened --limit 0 --json | grep -o '"id": [0-9]*, "message_id"' | wc -l)
opens=$("$CHATTER" events --db "$DB" --type open --limit 0 --json | grep -o '"type": "open"' | wc -l)
# The rules: each valid row opens exactly once (sent -> opened; later hits are not from sent/delivered),
# random tokens never: opens == opened rows == valid rows requested (all of them when wrk cycled the list).
printf '{"bench": "pixel", "requests": %s, "requests_per_s": %s, "p99_latency": "%s", "valid_rows": %d, "open_events": %d, "opened_rows": %d, "exact": %s}\n' \
  "$total" "$rps" "$p99" "$valid" "$opens" "$opened" "$([ "$opens" -eq "$opened" ] && [ "$opens" -le "$valid" ] && echo true || echo false)"
