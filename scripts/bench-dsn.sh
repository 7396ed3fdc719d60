#!/usr/bin/env bash
# The DSN reader's throughput: mails per second of `chatter ingest --dry-run`
# on a mixed corpus of bounce mails, made by variation of Tests/Fixtures/bounces/*.eml
# (every cause, every vendor format): each copy gets its own recipients, Message-IDs
# and tracking ids, so no two mails are the same. Written as one mbox; the figure is
# the median of BENCH_REPEAT runs (default 5), wall and CPU seconds, page cache warm.
# One JSON line on stdout.
#
# BENCH_DSN_MAILS (default 10000): mails in the corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_DIR=${BENCH_DIR:-/tmp/chatter-bench}
CHATTER=${CHATTER:-.build/release/chatter}
MAILS=${BENCH_DSN_MAILS:-10000}
REPEAT=${BENCH_REPEAT:-5}
mkdir -p "$BENCH_DIR"
MBOX="$BENCH_DIR/dsn-corpus.mbox"

echo "== $MAILS bounce mails by variation of Tests/Fixtures/bounces" >&2
python3 - Tests/Fixtures/bounces "$MBOX" "$MAILS" <<'PY'
import glob, os, re, sys
folder, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
mails = [open(p, "rb").read() for p in sorted(glob.glob(os.path.join(folder, "*.eml")))]
keep = re.compile(rb"mailer-daemon|postmaster|shop\.example\.com|bounces", re.I)
address = re.compile(rb"([A-Za-z0-9._%+-]+)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
with open(out, "wb") as f:
    for i in range(n):
        mail = mails[i % len(mails)].replace(b"\r\n", b"\n")
        tag = b"v%d" % i
        # Every recipient, Message-ID and tracking id of the copy made its own.
        mail = address.sub(lambda m: m.group(0) if keep.search(m.group(0)) else m.group(1) + b"." + tag + b"@" + m.group(2), mail)
        mail = re.sub(rb"(X-Chatter-Tracking-ID: *)(\S+)", lambda m: m.group(1) + m.group(2) + b"-" + tag, mail)
        mail = re.sub(rb"^From ", b">From ", mail, flags=re.M)
        f.write(b"From MAILER-DAEMON Mon Dec  1 10:00:00 2025\n" + mail.rstrip(b"\n") + b"\n\n")
PY

cat "$MBOX" > /dev/null
python3 - "$CHATTER" "$MBOX" "$MAILS" "$REPEAT" <<'PY'
import json, os, resource, statistics, subprocess, sys, time
chatter, mbox, mails, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
runs = []
for _ in range(repeat):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    subprocess.run([chatter, "ingest", "--dry-run", "--format", "mbox", mbox], check=True, stdout=subprocess.DEVNULL)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    runs.append((wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)))
# What the runs read: events per type (one more run, with --json).
out = subprocess.run([chatter, "ingest", "--dry-run", "--json", "--format", "mbox", mbox], check=True,
                     stdout=subprocess.PIPE).stdout.decode().splitlines()
types = {}
for line in out:
    row = json.loads(line)
    key = "quarantined" if row.get("quarantined") else row["type"]
    types[key] = types.get(key, 0) + 1
wall = statistics.median(r[0] for r in runs)
cpu = statistics.median(r[1] for r in runs)
print(json.dumps({"bench": "dsn-dry-run", "mails": mails, "bytes": os.path.getsize(mbox), "runs": repeat,
                  "seconds": round(wall, 3), "cpu_seconds": round(cpu, 3), "mails_per_s": round(mails / wall),
                  "cpu_mails_per_s": round(mails / cpu), "events": types}))
PY
rm -f "$MBOX"
