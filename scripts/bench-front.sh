#!/usr/bin/env bash
# The front's figures, measured under a private tmux server:
#   first frame   exec -> first frame written, and -> first frame with the start-up loads answered
#   key latency   key read -> its frame flushed (p50/p99/max) pressing j through threads and the Failed pane
#   memory        VmRSS / VmHWM of the front on a 10k and on the 1M store
#   bytes per j   bytes written to the terminal per j press (tmux pipe-pane)
#   end of backlog  on a store where every tracked recipient failed (>100k failed messages): G in
#                 the Failed pane (key -> frame), then k and j at the end of the list (p50/p99/max)
# Usage: scripts/bench-front.sh [STORE_1M] ; one JSON line per figure on stdout.
# FRONT_CASES picks the cases ("stores backlog", the default; "backlog" alone needs no 1M store);
# CHATTER and CHATTER_BENCH name the binaries (default: the release build); BENCH_BACKLOG_SIZE the
# backlog store's messages (default 135000, kept as $BENCH_DIR/backlog-SIZE.sqlite).
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_DIR=${BENCH_DIR:-/tmp/chatter-bench}
BIG=${1:-$BENCH_DIR/store.sqlite}
SMALL=$BENCH_DIR/front-10k.sqlite
CHATTER=${CHATTER:-$(pwd)/.build/release/chatter}
CHATTER_BENCH=${CHATTER_BENCH:-$(pwd)/.build/release/chatter-bench}
CASES=${FRONT_CASES:-stores backlog}
BACKLOG_SIZE=${BENCH_BACKLOG_SIZE:-135000}
BACKLOG=$BENCH_DIR/backlog-$BACKLOG_SIZE.sqlite
WORK=$(mktemp -d)
RUN=0
SOCK=$WORK/tmux-$RUN   # private servers, their sockets inside $WORK (removed at exit)
tm() { tmux -S "$SOCK" "$@"; }
cleanup() { tm kill-server 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

has_case() { case " $CASES " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
if has_case stores; then
    [ -f "$BIG" ] || { echo "no store at $BIG (scripts/bench.sh builds it)" >&2; exit 1; }
    [ -f "$SMALL" ] || "$CHATTER" demo --size 10000 --db "$SMALL" >/dev/null
fi

# Starts the front on $1 in a fresh 120x40 session with a trace file $2; the shell
# notes the wall clock just before exec, so exec -> frame includes loading the binary.
start_front() {
    # A new server per run: a new-session right after kill-server on the same socket races its shutdown.
    tm kill-server 2>/dev/null || true
    RUN=$((RUN + 1)); SOCK=$WORK/tmux-$RUN
    rm -f "$2" "$2.t0"
    tm new-session -d -x 120 -y 40 -s b \
        "env TERM=xterm-256color LANG=C.UTF-8 sh -c 'date +%s%N > \"$2.t0\"; exec \"$CHATTER\" ui --db \"$1\" --trace-file \"$2\"'"
    for _ in $(seq 1 200); do grep -q '^frame full' "$2" 2>/dev/null && return 0; sleep 0.05; done
    echo "the front did not reach its full frame on $1" >&2; return 1
}
pid_of_front() { tm display-message -p -t b '#{pane_pid}'; }
# The position "N / TOTAL" on screen of the longest list (the thread list shows its own, smaller).
position() {
    tm capture-pane -p -t b | grep -oE '[0-9][0-9,]* / [0-9][0-9,]*' |
        awk -F' / ' '{d = $2; gsub(",", "", d); if (d + 0 > max) {max = d + 0; pos = $0}} END {print pos}'
}
field() { sed -n "s/.*$1=\([0-9]*\).*/\1/p"; }

# Presses KEY N times, one key per frame (a short pause between presses).
press() { for _ in $(seq 1 "$2"); do tm send-keys -t b "$1"; sleep 0.03; done; sleep 0.3; }

percentiles() {  # stdin: numbers; prints p50 p99 max count
    sort -n | awk '{a[NR]=$1} END {if (NR==0) {print "0 0 0 0"; exit}
        p50=a[int((NR-1)*0.50)+1]; p99=a[int((NR-1)*0.99)+1]; print p50, p99, a[NR], NR}'
}

stores=(); has_case stores && stores=("$SMALL" "$BIG")
for store in "${stores[@]}"; do
    label=$( [ "$store" = "$BIG" ] && echo 1M || echo 10k )
    # First frame: five cold starts.
    firsts=(); fulls=()
    for i in 1 2 3 4 5; do
        start_front "$store" "$WORK/trace"
        t0=$(cat "$WORK/trace.t0")
        f=$(grep '^frame first' "$WORK/trace" | field realtime_ns)
        g=$(grep '^frame full' "$WORK/trace" | field realtime_ns)
        firsts+=($(( (f - t0) / 1000 ))); fulls+=($(( (g - t0) / 1000 )))
    done
    read -r f50 _ fmax _ < <(printf '%s\n' "${firsts[@]}" | percentiles)
    read -r g50 _ gmax _ < <(printf '%s\n' "${fulls[@]}" | percentiles)
    printf '{"bench": "front_first_frame", "store": "%s", "runs": 5, "first_frame_ms_median": %.1f, "first_frame_ms_max": %.1f, "full_frame_ms_median": %.1f, "full_frame_ms_max": %.1f}\n' \
        "$label" "$(echo "$f50/1000" | bc -l)" "$(echo "$fmax/1000" | bc -l)" "$(echo "$g50/1000" | bc -l)" "$(echo "$gmax/1000" | bc -l)"

    # Keys: j through the threads (the open thread stays), then through the Failed pane's cards;
    # the bytes written to the terminal per j in each, through tmux pipe-pane.
    start_front "$store" "$WORK/trace"
    pid=$(pid_of_front)
    tm send-keys -t b Enter; sleep 0.5
    tm send-keys -t b Tab Tab; sleep 0.3   # Enter moved the focus to the chatter; back to the thread list
    bytes_per_j() {  # $1: label, $2: presses
        : > "$WORK/pipe.$1"
        tm pipe-pane -o -t b "cat >> '$WORK/pipe.$1'"; sleep 0.2
        press j "$2"
        tm pipe-pane -t b; sleep 0.1
        echo $(( $(stat -c %s "$WORK/pipe.$1") / $2 ))
    }
    # The demo has 25 threads whatever its size: 20 presses stay inside the list.
    threads_bytes=$(bytes_per_j threads 20)
    press 2 1
    failed_bytes=$(bytes_per_j failed 100)
    read -r k50 k99 kmax kn < <(grep '^key ' "$WORK/trace" | awk '{print $2}' | percentiles)
    rss=$(awk '/VmRSS/ {print $2}' /proc/"$pid"/status); hwm=$(awk '/VmHWM/ {print $2}' /proc/"$pid"/status)
    printf '{"bench": "front_keys", "store": "%s", "keys": %s, "key_to_frame_us_p50": %s, "key_to_frame_us_p99": %s, "key_to_frame_us_max": %s}\n' \
        "$label" "$kn" "$k50" "$k99" "$kmax"
    printf '{"bench": "front_bytes_per_j", "store": "%s", "threads_bytes_per_j": %s, "failed_pane_bytes_per_j": %s, "presses": "20 threads + 100 failed pane"}\n' "$label" "$threads_bytes" "$failed_bytes"
    printf '{"bench": "front_memory", "store": "%s", "vm_rss_kib": %s, "vm_hwm_kib": %s}\n' "$label" "$rss" "$hwm"
    tm send-keys -t b q
done

# The end of a backlog: the Failed pane of a store with more than 100k failed messages, G to its
# last card (checked on the frame: "N / N"), then k and j there; key -> frame of those presses.
if has_case backlog; then
    [ -f "$BACKLOG" ] || "$CHATTER_BENCH" backlog-store --size "$BACKLOG_SIZE" --db "$BACKLOG" >&2
    start_front "$BACKLOG" "$WORK/trace"
    pid=$(pid_of_front)
    tm send-keys -t b 2
    for _ in $(seq 1 200); do tm capture-pane -p -t b | grep -q 'Failed messages (' && break; sleep 0.05; done
    tm send-keys -t b G
    total=""
    for _ in $(seq 1 400); do
        pos=$(position)
        if [ -n "$pos" ] && [ "${pos%% / *}" = "${pos##* / }" ] && [ "${pos%% / *}" != 1 ]; then total=${pos##* / }; break; fi
        sleep 0.05
    done
    [ -n "$total" ] || { echo "G did not reach the last card of the backlog:" >&2; tm capture-pane -p -t b >&2; exit 1; }
    g_us=$(grep '^key [0-9]* G ' "$WORK/trace" | tail -1 | awk '{print $2}')
    before=$(wc -l < "$WORK/trace")
    press k 100
    press j 100
    read -r e50 e99 emax en < <(tail -n +"$((before + 1))" "$WORK/trace" | awk '$1 == "key" && ($3 == "k" || $3 == "j") {print $2}' | percentiles)
    end=$(position)
    [ "$end" = "$total / $total" ] || { echo "after 100 k and 100 j the cursor is at '$end', not $total / $total" >&2; exit 1; }
    rss=$(awk '/VmRSS/ {print $2}' /proc/"$pid"/status); hwm=$(awk '/VmHWM/ {print $2}' /proc/"$pid"/status)
    printf '{"bench": "front_end_of_backlog", "messages": %s, "failed_messages": %s, "g_key_to_frame_us": %s, "keys": %s, "key_to_frame_us_p50": %s, "key_to_frame_us_p99": %s, "key_to_frame_us_max": %s, "vm_rss_kib": %s, "vm_hwm_kib": %s}\n' \
        "$BACKLOG_SIZE" "${total//,/}" "${g_us:-null}" "$en" "$e50" "$e99" "$emax" "$rss" "$hwm"
    tm send-keys -t b q
fi
