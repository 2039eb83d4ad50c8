#!/usr/bin/env bash
# ocb_profile_step and profile_step.py end to end, on one MNIST encoder step
# after one warm-up step: the program must say how many steps it warmed up and
# profiled and what a step took without the profiler, its trace must give the page a step time, the four phases and
# ocbench's own kernels among the ops; and bad arguments must be refused
# with the usage line and exit status 2.
#   tests/bench/profile_step_run_test.sh OCB_PROFILE_STEP
set -euo pipefail
prog=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

line=$("$prog" mnist_lenet encoder native 1 "$work/trace.json" 1)
echo "$line"
case $line in
  *"1 steps profiled after 1 warm-up steps; unprofiled "*" ms a step; numerics "*) ;;
  *) fail "the program's line does not name its steps and warm-up: $line" ;;
esac
python3 "$here/profile_step.py" "MNIST encoder" "$work/trace.json" 1 > "$work/page.md"
cat "$work/page.md"
grep -Eq '^[0-9]+\.[0-9] ms a step \(mean of 1, profiler on\)\.$' "$work/page.md" || fail "no step time"
for phase in backward 'forward \+ loss' 'optimizer \(Adam\)' zero_grad; do
  grep -Eq "^\| $phase \| " "$work/page.md" || fail "phase '$phase' missing"
done
grep -q '`ocb::conv5x5`' "$work/page.md" || fail "ocbench's convolution kernel is not among the ops"
grep -q '`ocb::batch_norm_act`' "$work/page.md" || fail "ocbench's fused batch norm is not among the ops"

for bad in "mnist_lenet encoder native 1 $work/t.json -1" "mnist_lenet sideways native 1 $work/t.json" "mnist_lenet encoder native 0 $work/t.json"; do
  set +e
  # shellcheck disable=SC2086
  "$prog" $bad > "$work/out" 2> "$work/err"
  rc=$?
  set -e
  [ "$rc" = 2 ] || fail "'$bad' exited $rc, not 2"
  grep -q "WARMUP >= 0" "$work/err" || fail "'$bad': the error does not say what is expected: $(cat "$work/err")"
done
echo "ok"
