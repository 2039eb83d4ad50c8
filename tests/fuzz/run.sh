#!/usr/bin/env bash
# Builds the fuzz preset (clang, libFuzzer, ASan, UBSan; parsers only, no
# torch) and runs every fuzz target for SECONDS each (default 10), starting
# from the committed corpus. Prints one line per target (inputs run, coverage,
# crashes); --summary FILE also writes them as a Markdown table. Exits 1 if
# any target crashed; the crashing inputs are kept in build-fuzz/crashes/.
#   tests/fuzz/run.sh [SECONDS] [--summary FILE] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=10
summary=
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --summary) summary=$2; shift 2 ;;
    [0-9]*) seconds=$1; shift ;;
    *) targets+=("$1"); shift ;;
  esac
done
if [ ! -f build-fuzz/CMakeCache.txt ]; then cmake --preset fuzz > /dev/null; fi
cmake --build --preset fuzz -j "${OCB_BUILD_JOBS:-2}" > build-fuzz/build.log 2>&1 || { tail -n 30 build-fuzz/build.log; exit 1; }
if [ ${#targets[@]} -eq 0 ]; then
  for f in build-fuzz/tests/fuzz/fuzz_*; do targets+=("$(basename "$f" | sed 's/^fuzz_//')"); done
fi
status=0
rows=()
for t in "${targets[@]}"; do
  work=build-fuzz/corpus-work/$t crashes=build-fuzz/crashes/$t
  mkdir -p "$work" "$crashes"
  cp -n tests/fuzz/corpus/"$t"/* "$work"/ 2> /dev/null || true
  log=build-fuzz/fuzz_$t.log
  rc=0
  # ASan's leak check stays on; a parser that leaks is a bug too.
  build-fuzz/tests/fuzz/fuzz_"$t" "$work" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=3072 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$crashes/" > "$log" 2>&1 || rc=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*' || echo 0)
  found=$(find "$crashes" -type f | wc -l)
  line="$t: ${seconds}s, $runs inputs, coverage $cov, crashes $found"
  echo "$line"
  rows+=("| $t | $seconds | $runs | $cov | $found |")
  if [ $rc -ne 0 ] || [ "$found" -ne 0 ]; then
    status=1
    grep -m 5 -E "ERROR|runtime error|uncaught|SUMMARY" "$log" || tail -n 20 "$log"
  fi
done
if [ -n "$summary" ]; then
  { echo "| target | seconds | inputs run | coverage (edges) | crashes |"; echo "|---|---|---|---|---|"; printf '%s\n' "${rows[@]}"; } > "$summary"
fi
exit $status
