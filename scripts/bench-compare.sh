#!/usr/bin/env bash
# Two builds of chatter compared on the same figures in one run (a refactor must be "no slower"):
#  - parse-only throughput of a Postfix log (scripts/bench-ingest.sh with BEFORE_*, interleaved);
#  - the front's queries (`chatter-bench queries`), rounds alternating between the builds;
#  - the front under tmux (scripts/bench-front.sh, case "stores"): key -> frame, first frame, memory.
# Each build reads its own copy of one demo store (same seed and size), at its own schema version:
# an older build refuses a store a newer one has migrated.
# Usage: scripts/bench-compare.sh BEFORE_DIR AFTER_DIR BEFORE_STORE AFTER_STORE
#   *_DIR hold release `chatter` and `chatter-bench`. COMPARE_ROUNDS (default 3) rounds of queries.
# Prints one JSON line per figure and build, then `compare` lines: before / after of each median
# (above 1: the after build is faster).
set -euo pipefail
cd "$(dirname "$0")/.."
B=$1 A=$2 SB=$3 SA=$4
ROUNDS=${COMPARE_ROUNDS:-3}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

echo "== parse-only (interleaved)" >&2
BENCH_PARSE_ONLY=1 CHATTER="$A/chatter" BENCH="$A/chatter-bench" BEFORE_CHATTER="$B/chatter" BEFORE_BENCH="$B/chatter-bench" \
  scripts/bench-ingest.sh | tee "$OUT/parse.jsonl"

echo "== queries, $ROUNDS rounds each, alternating" >&2
for r in $(seq "$ROUNDS"); do
  "$B/chatter-bench" queries --db "$SB" --user admin@yourcompany.example --runs 100 | sed 's/^{/{"build": "before", /' | tee -a "$OUT/q.jsonl"
  "$A/chatter-bench" queries --db "$SA" --user admin@yourcompany.example --runs 100 | sed 's/^{/{"build": "after", /' | tee -a "$OUT/q.jsonl"
done

echo "== the front (tmux), before then after" >&2
for build in before after; do
  if [ $build = before ]; then bin=$B store=$SB; else bin=$A store=$SA; fi
  # Each build its own folder: the 10k store the script makes is migrated by the build that opens it.
  mkdir -p "$OUT/$build"
  BENCH_DIR="$OUT/$build" FRONT_CASES=stores CHATTER="$bin/chatter" CHATTER_BENCH="$bin/chatter-bench" scripts/bench-front.sh "$store" \
    | sed "s/^{/{\"build\": \"$build\", /" | tee -a "$OUT/front.jsonl"
done

python3 - "$OUT" <<'PY'
import json, statistics, sys, os
out = sys.argv[1]
def lines(name):
    p = os.path.join(out, name)
    return [json.loads(l) for l in open(p) if l.startswith("{")] if os.path.exists(p) else []
q = {}
for l in lines("q.jsonl"):
    q.setdefault((l["bench"], l["build"]), []).append(l["ours_p50_ms"])
for (bench, build) in sorted(q):
    if build != "before" or (bench, "after") not in q: continue
    b, a = statistics.median(q[(bench, "before")]), statistics.median(q[(bench, "after")])
    print(json.dumps({"compare": bench, "before_p50_ms": round(b, 3), "after_p50_ms": round(a, 3), "before_over_after": round(b / a, 3)}))
f = {}
for l in lines("front.jsonl"):
    f[(l["bench"], l.get("store", ""), l["build"])] = l
for (bench, store, build), l in sorted(f.items()):
    if build != "before" or (bench, store, "after") not in f: continue
    a = f[(bench, store, "after")]
    for k, v in l.items():
        if isinstance(v, (int, float)) and k not in ("runs", "keys") and isinstance(a.get(k), (int, float)) and a[k]:
            print(json.dumps({"compare": f"{bench}.{store}.{k}", "before": v, "after": a[k], "before_over_after": round(v / a[k], 3)}))
PY
