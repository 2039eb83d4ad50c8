#!/usr/bin/env bash
# tests/bench/ab_bench.sh on two stand-in benchmark binaries whose times vary
# from run to run: the table must keep each case's fastest run per binary
# and their ratio, convert time units, and fail when no case matches.
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
page=$(bash "$here/ab_bench.sh" "$work/before" "$work/after" step 3)
fail() { echo "FAIL: $*"; printf '%s\n' "$page"; exit 1; }
grep -q "^| mnist step native | 2.000 | 1.000 | 0.500 |$" <<< "$page" || fail "not the fastest of three runs per binary"
grep -q "^| layer/0 | 2.000 | 1.000 | 0.500 |$" <<< "$page" || fail "microseconds not converted (or the case name not used)"
grep -q "Fastest CPU time of 3 alternating runs" <<< "$page" || fail "the page does not say how it was measured"
if bash "$here/ab_bench.sh" "$work/before" "$work/after" nomatch 1 > /dev/null 2>&1; then
  echo "FAIL: no matching case and no error"; exit 1
fi
if bash "$here/ab_bench.sh" "$work/missing" "$work/after" step 1 > /dev/null 2>&1; then
  echo "FAIL: a missing binary and no error"; exit 1
fi
echo "ab_bench.sh keeps each binary's fastest run"
