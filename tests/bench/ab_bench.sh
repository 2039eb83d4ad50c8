#!/usr/bin/env bash
# Two builds of ocb_bench against each other, for a change meant to make
# things faster: ROUNDS rounds on the cases FILTER matches, each round one
# run of each binary, and a Markdown table per case of each binary's median
# CPU time and the median of the rounds' after/before ratios (with their
# range). On a machine with two or more cores a round runs the two binaries
# at the same time, one pinned to each of the first two cores, swapping cores
# every round: both meet the same moment of a noisy (virtual) host, which
# moves sequential runs by 5-10 % here, and a round's ratio pairs them. Both
# then share the memory bus and the last-level cache, so the times are those
# of a loaded machine (as a table run at --jobs 2 is); the ratio is what
# counts; so does each binary's fastest round, which a noisy host disturbs
# least. With one core, without taskset, or with OCB_AB_SEQUENTIAL set, the
# rounds run one after the other, alternating.
#   tests/bench/ab_bench.sh BEFORE_BINARY AFTER_BINARY FILTER [ROUNDS]
# e.g. git worktree add /tmp/before <rev>, build it there, then
#   tests/bench/ab_bench.sh /tmp/before/build/ocb_bench build/ocb_bench 'train_step/mnist.*/0' 8
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 BEFORE_BINARY AFTER_BINARY FILTER [ROUNDS]" >&2; exit 2; }
before=$1 after=$2 filter=$3 rounds=${4:-8}
for b in "$before" "$after"; do
  [ -x "$b" ] || { echo "$0: $b: not an executable" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
side_by_side=false
if [ "$(nproc)" -ge 2 ] && command -v taskset > /dev/null && [ -z "${OCB_AB_SEQUENTIAL:-}" ]; then side_by_side=true; fi
run() {  # binary out [core]
  if [ -n "${3:-}" ]; then
    taskset -c "$3" "$1" --benchmark_filter="$filter" --benchmark_format=json > "$2" 2> /dev/null
  else
    "$1" --benchmark_filter="$filter" --benchmark_format=json > "$2" 2> /dev/null
  fi
}
for ((i = 0; i < rounds; ++i)); do
  if $side_by_side; then
    run "$before" "$work/before.$i.json" $((i % 2)) &
    run "$after" "$work/after.$i.json" $(((i + 1) % 2))
    wait
  else
    run "$before" "$work/before.$i.json"
    run "$after" "$work/after.$i.json"
  fi
done
python3 - "$work" "$rounds" "$side_by_side" <<'PY'
import json, statistics, sys
work, rounds, side_by_side = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "true"
unit = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}
order, times = [], {}  # times[key] = list of (before_ms, after_ms), one pair per round

def read(path):
    text = open(path).read()
    if not text.strip():  # Google Benchmark writes nothing when no case matches
        return {}
    out = {}
    for b in json.loads(text)["benchmarks"]:
        if not b.get("error_occurred"):
            out[b.get("label") or b["name"]] = b["cpu_time"] * unit[b.get("time_unit", "ns")]
    return out

for i in range(rounds):
    b, a = read(f"{work}/before.{i}.json"), read(f"{work}/after.{i}.json")
    for key in b:
        if key in a:
            if key not in times:
                order.append(key)
                times[key] = []
            times[key].append((b[key], a[key]))
if not order:
    sys.exit("no benchmark matched the filter in both binaries")
how = ("the two binaries at the same time, one on each of two cores (swapped every round)" if side_by_side
       else "one binary after the other")
print(f"{rounds} rounds, each {how}; medians of the rounds' CPU times and of their after/before ratios, "
      "and each binary's fastest round (a busy host only ever slows a run down, so the fastest is the least "
      "disturbed) with the ratio of the two.\n")
print("| case | before (ms) | after (ms) | after / before | range of the rounds' ratios "
      "| fastest before (ms) | fastest after (ms) | fastest after / fastest before |\n|---|---|---|---|---|---|---|---|")
for key in order:
    pairs = times[key]
    ratios = [a / b for b, a in pairs]
    fastest_b, fastest_a = min(b for b, _ in pairs), min(a for _, a in pairs)
    print(f"| {key} | {statistics.median(b for b, _ in pairs):.3f} | {statistics.median(a for _, a in pairs):.3f} | "
          f"{statistics.median(ratios):.3f} | {min(ratios):.3f}–{max(ratios):.3f} | "
          f"{fastest_b:.3f} | {fastest_a:.3f} | {fastest_a / fastest_b:.3f} |")
PY
