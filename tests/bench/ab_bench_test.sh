#!/usr/bin/env bash
# tests/bench/ab_bench.sh on two stand-in benchmark binaries whose times vary
# from round to round: the table must give each binary's median, the median
# of the rounds' paired ratios and each binary's fastest round, in both ways of running the rounds,
# convert time units, and fail when no case matches or a binary is missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# fake NAME MS1 MS2 MS3 US1 US2 US3: a binary that prints Google Benchmark
# JSON with one case in ms and one in us, its times on the k-th call the k-th
# of each list.
fake() {
  cat > "$work/$1" <<SH
#!/usr/bin/env bash
case "\$1" in *nomatch*) exit 0 ;; esac
n=\$(cat "$work/$1.calls" 2> /dev/null || echo 0); echo \$((n + 1)) > "$work/$1.calls"
ms=($2 $3 $4); us=($5 $6 $7)
echo "{\"benchmarks\": [{\"name\": \"step/0\", \"label\": \"mnist step native\", \"cpu_time\": \${ms[\$n]}, \"time_unit\": \"ms\"},"
echo " {\"name\": \"layer/0\", \"cpu_time\": \${us[\$n]}, \"time_unit\": \"us\"}]}"
SH
  chmod +x "$work/$1"
}
fake before 3.0 2.0 2.5 3000 2500 2000
fake after 1.5 1.0 1.2 1500 1000 1200
fail() { echo "FAIL: $*"; printf '%s\n' "$page"; exit 1; }
# Both ways of running the rounds: side by side (two cores) and one after the other.
for mode in side_by_side sequential; do
  rm -f "$work"/*.calls
  if [ $mode = sequential ]; then
    page=$(OCB_AB_SEQUENTIAL=1 bash "$here/ab_bench.sh" "$work/before" "$work/after" step 3)
    grep -q "one binary after the other" <<< "$page" || fail "sequential rounds not said"
  else
    page=$(bash "$here/ab_bench.sh" "$work/before" "$work/after" step 3)
  fi
  # Rounds (3.0, 1.5), (2.0, 1.0), (2.5, 1.2): medians 2.5 and 1.2, ratios 0.5, 0.5, 0.48.
  # Fastest rounds 2.0 and 1.0, whichever rounds they came from.
  grep -q "^| mnist step native | 2.500 | 1.200 | 0.500 | 0.480–0.500 | 2.000 | 1.000 | 0.500 |$" <<< "$page" || fail "$mode: not the rounds' medians, paired ratios and fastest rounds"
  # In microseconds: (3000, 1500), (2500, 1000), (2000, 1200): ratios 0.5, 0.4, 0.6.
  # Fastest: 2000 us in the third round, 1000 us in the second.
  grep -q "^| layer/0 | 2.500 | 1.200 | 0.500 | 0.400–0.600 | 2.000 | 1.000 | 0.500 |$" <<< "$page" || fail "$mode: microseconds not converted or not paired by round"
  grep -q "^3 rounds" <<< "$page" || fail "$mode: the page does not say how it was measured"
done
if bash "$here/ab_bench.sh" "$work/before" "$work/after" nomatch 1 > /dev/null 2>&1; then
  echo "FAIL: no matching case and no error"; exit 1
fi
if bash "$here/ab_bench.sh" "$work/missing" "$work/after" step 1 > /dev/null 2>&1; then
  echo "FAIL: a missing binary and no error"; exit 1
fi
echo "ab_bench.sh pairs the rounds, side by side and in turn"
