#!/usr/bin/env bash
# Two builds of ocb_bench side by side, for a change that should only make
# things faster: runs BEFORE and AFTER alternately ROUNDS times on the cases
# FILTER matches and prints a Markdown table of each case's fastest CPU time
# under each binary and their ratio. The fastest of several alternating runs
# resists a noisy (virtual) machine better than one median: both binaries
# meet the same conditions, and noise only ever adds time.
#   tests/bench/ab_bench.sh BEFORE_BINARY AFTER_BINARY FILTER [ROUNDS]
# e.g. git worktree add /tmp/before <rev>, build it, then
#   tests/bench/ab_bench.sh /tmp/before/build/ocb_bench build/ocb_bench 'train_step/mnist.*/0|conv_layer/0/[0-4]' 6
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 BEFORE_BINARY AFTER_BINARY FILTER [ROUNDS]" >&2; exit 2; }
before=$1 after=$2 filter=$3 rounds=${4:-6}
for b in "$before" "$after"; do
  [ -x "$b" ] || { echo "$0: $b: not an executable" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for ((i = 0; i < rounds; ++i)); do
  "$before" --benchmark_filter="$filter" --benchmark_format=json > "$work/before.$i.json" 2> /dev/null
  "$after" --benchmark_filter="$filter" --benchmark_format=json > "$work/after.$i.json" 2> /dev/null
done
python3 - "$work" "$rounds" <<'PY'
import glob, json, sys
work, rounds = sys.argv[1], int(sys.argv[2])
best = {"before": {}, "after": {}}
order = []
for side in best:
    for f in sorted(glob.glob(f"{work}/{side}.*.json")):
        text = open(f).read()
        if not text.strip():  # Google Benchmark writes nothing when no case matches
            continue
        for b in json.loads(text)["benchmarks"]:
            if b.get("error_occurred"):
                continue
            key = b.get("label") or b["name"]
            if key not in order:
                order.append(key)
            ms = b["cpu_time"] * {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[b.get("time_unit", "ns")]
            best[side][key] = min(ms, best[side].get(key, float("inf")))
if not order:
    sys.exit("no benchmark matched the filter")
print(f"Fastest CPU time of {rounds} alternating runs of each binary.\n")
print("| case | before (ms) | after (ms) | after / before |\n|---|---|---|---|")
for key in order:
    b, a = best["before"].get(key), best["after"].get(key)
    if b is None or a is None:
        print(f"| {key} | {'-' if b is None else f'{b:.3f}'} | {'-' if a is None else f'{a:.3f}'} | - |")
    else:
        print(f"| {key} | {b:.3f} | {a:.3f} | {a / b:.3f} |")
PY
