#!/usr/bin/env bash
# gpu_device.sh's run stage with a stand-in ocbench (no GPU, no build): each
# plan runs its stages in order with the options it names, packs each
# stage's results into $OUT/<stage>.tgz, stops a stage at its limit and
# skips the ones that no longer fit, and skips the full CIFAR-10 run when the
# batched reduced run failed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/build"
cat >"$tmp/build/ocbench" <<'FAKE'
#!/usr/bin/env bash
# Stand-in: logs its arguments, writes one record into --results-dir, sleeps
# FAKE_SLEEP seconds, fails when FAKE_FAIL names one of its arguments.
echo "ocbench $*" >>"$FAKE_CALLS"
prev=
for a in "$@"; do
  [ "$prev" = --results-dir ] && mkdir -p "$a/records" && echo '{}' >"$a/records/cell.json"
  [ -n "${FAKE_FAIL:-}" ] && [ "$a" = "$FAKE_FAIL" ] && exit 1
  prev=$a
done
sleep "${FAKE_SLEEP:-0}"
FAKE
chmod +x "$tmp/build/ocbench"
fail() { echo "gpu_device_test: $*"; for f in "$tmp"/*/out/log.txt; do echo "== $f"; cat "$f"; done; exit 1; }

# run_plan NAME SECONDS [PLAN]: a fresh state folder and $OUT for each.
run_plan() {
  local name=$1; shift
  mkdir -p "$tmp/$name/state" "$tmp/$name/out"
  echo 0 >"$tmp/$name/state/build.rc"
  (cd "$repo" && OCB_GPU_STATE="$tmp/$name/state" OCB_GPU_BUILD="$tmp/build" OUT="$tmp/$name/out" \
     FAKE_CALLS="$tmp/$name/calls" bash "$here/gpu_device.sh" run "$@" >/dev/null 2>&1)
}

# The timing plan with time to spare: five stages, in order, each packed.
run_plan timing 600
[ "$(wc -l <"$tmp/timing/calls")" = 5 ] || fail "timing: expected 5 runs, got $(cat "$tmp/timing/calls")"
for s in cifar10_reduced_batch10 cifar10_reduced_alone mnist_seed1_batch10 mnist_class3_alone table1_cifar10; do
  tar -tzf "$tmp/timing/out/$s.tgz" | grep -q "^$s/records/cell.json$" || fail "timing: $s.tgz lacks its record"
done
sed -n 1p "$tmp/timing/calls" | grep -q -- "--device cuda .*--batch 10" || fail "timing: first run not batched on cuda"
sed -n 2p "$tmp/timing/calls" | grep -q -- "cifar10_reduced_class0.toml .*--jobs 1" || fail "timing: second run not alone"

# A failed batched run: the full CIFAR-10 run is not started.
FAKE_FAIL=10 run_plan failed 600
grep -q table1_cifar10.toml "$tmp/failed/calls" && fail "failed: the full run started after a failed batched run"
grep -q "skip table1_cifar10: .*batched rc 1" "$tmp/failed/out/log.txt" || fail "failed: no skip line"

# A stage that outruns the time: the deadline is 40 s away and a stage gets at
# most what is left less 15 s, so the first is stopped at 25 s and still packs
# what it wrote; the rest no longer fit (under 20 s) and are skipped.
FAKE_SLEEP=60 run_plan cut 40
grep -q "stage cifar10_reduced_batch10: rc 124" "$tmp/cut/out/log.txt" || fail "cut: the stage was not stopped at its limit"
[ -f "$tmp/cut/out/cifar10_reduced_batch10.tgz" ] || fail "cut: the stopped stage's records were not packed"
grep -q "skip cifar10_reduced_alone" "$tmp/cut/out/log.txt" || fail "cut: the next stage was not skipped"
[ "$(wc -l <"$tmp/cut/calls")" = 1 ] || fail "cut: stages ran after the time was spent"

# The table1_cifar10 plan: the committed records go along, --batch from BATCH.
BATCH=20 run_plan table 600 table1_cifar10
grep -q -- "experiments/table1_cifar10.toml .*--batch 20" "$tmp/table/calls" || fail "table: not run with --batch 20"
tar -tzf "$tmp/table/out/table1_cifar10.tgz" | grep -q "^table1_cifar10/records/cifar10/dcae/" \
  || fail "table: the committed records did not travel into the results folder"
# With the reference's source carried, it runs first on cuda for both datasets.
mkdir -p "$tmp/carry/reference/src" "$tmp/bin"
cat >"$tmp/bin/python3" <<'SHIM'
#!/usr/bin/env bash
echo "python3 $*" >>"$FAKE_CALLS"
echo '{"dataset": "stand-in"}'
SHIM
chmod +x "$tmp/bin/python3"
PATH="$tmp/bin:$PATH" CARRY="$tmp/carry" run_plan reference 600 batch_k
grep -q "reference_epochs.py $tmp/carry/reference/src 5 cuda mnist 3" "$tmp/reference/calls" || fail "reference: MNIST not run on cuda"
grep -q "reference_epochs.py $tmp/carry/reference/src 3 cuda cifar10 0" "$tmp/reference/calls" || fail "reference: CIFAR-10 not run"
[ "$(sed -n 1p "$tmp/reference/calls" | cut -c1-7)" = python3 ] || fail "reference: not run before the plan"
grep -q stand-in "$tmp/reference/out/reference_cifar10.json" || fail "reference: its JSON was not kept in \$OUT"
# The fp32 plan: the two reduced CIFAR-10 stages on cuda-fp32; DEVICE sets the others'.
run_plan fp32 600 fp32
[ "$(grep -c -- "--device cuda-fp32 " "$tmp/fp32/calls")" = 2 ] || fail "fp32: not two runs on cuda-fp32"
DEVICE=cuda-fp32 run_plan table32 600 table1_cifar10
grep -q -- "--device cuda-fp32 " "$tmp/table32/calls" || fail "DEVICE did not set the table plan's device"
echo "gpu_device.sh: ok"
