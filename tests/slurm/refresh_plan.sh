#!/usr/bin/env bash
# `ocbench slurm --refresh-numerics` and `status`: records made at other numerics (here
# with --native-kernels, whose signature differs from the pinned one) are
# recorded for a plain plan (nothing to submit) but work for a refresh plan;
# the plan says so, its tasks run with --refresh-numerics, `status
# --missing-shards` and `--only-missing` keep to the plan's rule after one
# shard has been rerun. No cluster needed: the tasks are run as Slurm would.
source "$(dirname "$0")/../cli/prelude.sh"
cd "$work"
cat > exp.toml <<'EOF'
name = "refresh_plan"
seeds = [1]
[datasets.mnist]
classes = [0, 1, 2, 3]
max_train = 300
max_test = 300
[methods.isolation_forest]
EOF
fail() { echo "FAIL: $*"; exit 1; }
"$ocbench" run exp.toml --native-kernels --no-scores > run.log 2>&1 || { cat run.log; fail "the native-kernels run"; }

"$ocbench" status exp.toml > status0.log
grep -q "^4 ok cells were made at numerics other than" status0.log || { cat status0.log; fail "status does not count the cells at other numerics"; }
"$ocbench" slurm exp.toml --shards 2 > plain.log 2>&1 || { cat plain.log; fail "plain plan"; }
grep -q "every cell is recorded; nothing to submit" plain.log || { cat plain.log; fail "a plain plan should have nothing to submit"; }
[ ! -e results/refresh_plan/slurm/plan-1.json ] || fail "a plain plan with nothing to do wrote a plan"

"$ocbench" slurm exp.toml --refresh-numerics --shards 2 > refresh.log 2>&1 || { cat refresh.log; fail "refresh plan"; }
plan=results/refresh_plan/slurm/plan-1.json
python3 - "$plan" <<'PY' || fail "the refresh plan"
import json, sys
p = json.load(open(sys.argv[1]))
assert p["shards"] == 2 and len(p["cells"]) == 4, (p["shards"], len(p["cells"]))
assert p["refresh_numerics"] == {"device": "cpu", "threads": 1}, p.get("refresh_numerics")
PY
grep -q -- "--refresh-numerics --no-download" results/refresh_plan/slurm/array.sbatch || fail "the array task does not refresh"

# Task 0 as Slurm would run it (the array script's command, shard 1 of 2).
"$ocbench" run exp.toml --plan "$plan" --shard 1/2 --refresh-numerics --no-scores > task0.log 2>&1 || { cat task0.log; fail "task 0"; }
[ "$(grep -c ' ok ' task0.log)" = 2 ] || { cat task0.log; fail "task 0 should rerun its 2 cells"; }
left=$("$ocbench" status exp.toml --missing-shards)
[ "$left" = 1 ] || fail "after task 0, status --missing-shards says '$left', not 1"
"$ocbench" status exp.toml > status1.log
grep -q -- "(--refresh-numerics" status1.log || fail "status does not say the plan refreshes"
grep -q "^2 ok cells were made at numerics other than" status1.log || { cat status1.log; fail "after task 0, status should count 2 cells at other numerics"; }
"$ocbench" slurm exp.toml --only-missing > again.log 2>&1 || { cat again.log; fail "--only-missing"; }
grep -q "^#SBATCH --array=1$" results/refresh_plan/slurm/array.sbatch || { cat results/refresh_plan/slurm/array.sbatch; fail "--only-missing should resubmit task 1 only"; }
grep -q -- "--refresh-numerics" results/refresh_plan/slurm/array.sbatch || fail "--only-missing dropped the plan's --refresh-numerics"
if "$ocbench" slurm exp.toml --only-missing --refresh-numerics > both.log 2>&1; then fail "--only-missing with --refresh-numerics should be refused"; fi
echo "refresh plans as expected"
