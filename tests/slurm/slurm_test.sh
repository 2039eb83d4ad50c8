#!/usr/bin/env bash
# ocbench on a real one-node Slurm (tests/slurm/cluster.sh): an experiment
# submitted as a job array of 4 with a throttle of 2, one task cancelled in
# the middle of a cell, the missing shards resubmitted; then every cell has
# exactly one ok record, no claim or temporary file is left, and the collect
# job's table is byte-identical to that of a plain local run. Also two
# unsharded `ocbench run` at once on one folder: no cell runs twice.
# Needs root (slurmd starts the jobs) and Debian's slurm-wlm and munge.
source "$(dirname "$0")/../cli/prelude.sh"
if [ "$(id -u)" -ne 0 ]; then echo "skipped: a one-node Slurm needs root here"; exit 77; fi
for tool in munged slurmctld slurmd sbatch squeue scancel; do
  command -v "$tool" > /dev/null || { echo "FAIL: $tool not installed (scripts/install-deps.sh --test installs slurm-wlm and munge)"; exit 1; }
done
source "$here/../slurm/cluster.sh"
trap 'cluster_stop; [ -n "${KEEP_WORK:-}" ] || rm -rf "$work"' EXIT
cluster_start "$work/cluster"

mkdir -p "$work/w"
cp "$here/../slurm/slurm_test.toml" "$work/w/exp.toml"
cd "$work/w"
results=results/slurm_test
fail() { echo "FAIL: $*"; for f in "$results"/slurm/*.out; do echo "== $f"; tail -n 15 "$f"; done; exit 1; }
wait_jobs() {  # until none of the given jobs is pending or running (3 min at most)
  for _ in $(seq 900); do
    [ -z "$(squeue -h -j "$1" 2>/dev/null)" ] && return 0
    sleep 0.2
  done
  fail "jobs $1 still running after 3 minutes"
}

read -r array collect < <("$ocbench" slurm exp.toml --shards 4 --throttle 2 --cpus-per-task 1 --data-dir "$OCBENCH_DATA" --submit)
[ -n "$collect" ] || fail "ocbench slurm --submit printed no job ids"
grep -q -- "--array=0-3%2" "$results/slurm/array.sbatch" || fail "the array script lacks --array=0-3%2"

# Cancel the task that holds a DCAE claim, in the middle of its cell.
victim=
for _ in $(seq 600); do
  victim=$(python3 - "$results" <<'PY'
import json, pathlib, sys
res = pathlib.Path(sys.argv[1])
plan = {c["id"]: c["cell"] for c in json.load(open(res / "slurm/plan-1.json"))["cells"]}
for claim in res.glob("claims/*.claim"):
    try:
        owner = json.load(open(claim))
    except (OSError, ValueError):
        continue
    if "'dcae'" in plan.get(claim.stem, ""):
        print(owner["slurm_job"])
        break
PY
)
  [ -n "$victim" ] && break
  sleep 0.1
done
[ -n "$victim" ] || fail "no task was seen running a DCAE cell"
sleep 1
scancel "$victim"
echo "cancelled task $victim in the middle of a cell"
wait_jobs "$array,$collect"
task=${victim#*_}
grep -q "stopped by a signal" "$results/slurm/plan-1_${array}_${task}.out" || fail "the cancelled task's log does not say it stopped on the signal"

missing=$("$ocbench" status exp.toml --missing-shards)
[ -n "$missing" ] || fail "ocbench status --missing-shards lists no shard after a cancelled task"
echo "shards with work left: $missing"
read -r array2 collect2 < <("$ocbench" slurm exp.toml --only-missing --throttle 2 --cpus-per-task 1 --data-dir "$OCBENCH_DATA" --submit)
grep -q -- "--array=$missing%2" "$results/slurm/array.sbatch" || fail "the resubmission does not run exactly tasks $missing"
wait_jobs "$array2,$collect2"

# Every cell exactly one ok record; nothing left behind.
python3 - "$results" <<'PY' || fail "records are not one ok record per cell"
import json, pathlib, sys, collections
recs = list(pathlib.Path(sys.argv[1], "records").rglob("*.json"))
ids = collections.Counter(json.load(open(r))["cell_id"] for r in recs)
assert len(recs) == 16 and len(ids) == 16, (len(recs), len(ids))
assert all(json.load(open(r))["status"] == "ok" for r in recs)
PY
left=$(find "$results" cache -name '*.claim' -o -name '*.tmp.*' | wc -l)
[ "$left" -eq 0 ] || fail "$left claim or temporary files left: $(find "$results" cache -name '*.claim' -o -name '*.tmp.*')"
[ -z "$("$ocbench" status exp.toml --missing-shards)" ] || fail "status still lists shards with work"

# The collect job's table against a plain local run.
"$ocbench" run exp.toml --results-dir "$work/local" --cache-dir "$work/local-cache" --jobs 2 --no-download > "$work/local.log" 2>&1 \
  || fail "the local run failed: $(tail -n 5 "$work/local.log")"
"$ocbench" table exp.toml --results-dir "$work/local" --write 2> /dev/null > /dev/null
cmp "$results/table.md" "$work/local/table.md" || fail "the collect job's table differs from a local run's: $(diff "$results/table.md" "$work/local/table.md")"

# Two unsharded runs at once on one folder: each cell runs once.
"$ocbench" run exp.toml --results-dir "$work/both" --cache-dir "$work/both-cache" --no-download > "$work/a.log" 2>&1 &
a=$!
"$ocbench" run exp.toml --results-dir "$work/both" --cache-dir "$work/both-cache" --no-download > "$work/b.log" 2>&1 &
b=$!
wait $a || fail "first concurrent run failed: $(tail -n 5 "$work/a.log")"
wait $b || fail "second concurrent run failed: $(tail -n 5 "$work/b.log")"
ran=$(grep -h "\] ok " "$work/a.log" "$work/b.log" | sed -E "s/.*ok +('[^']+' on [a-z_]+ class [0-9]+ seed [0-9]+).*/\1/" | sort)
[ "$(echo "$ran" | wc -l)" -eq 16 ] || fail "the two runs ran $(echo "$ran" | wc -l) cells, not 16"
[ -z "$(echo "$ran" | uniq -d)" ] || fail "cells ran twice: $(echo "$ran" | uniq -d)"
cmp <(sed -n '1,/^Numerics/p' "$work/local/table.md") <("$ocbench" table exp.toml --results-dir "$work/both" 2>/dev/null | sed -n '1,/^Numerics/p') \
  || fail "the concurrent runs' table differs from the local run's"
echo "slurm: array of 4 (throttle 2), task $victim cancelled mid-cell, tasks $missing resubmitted; 16 cells, one ok record each; collect table identical to a local run; two concurrent runs ran $(echo "$ran" | wc -l) cells once each ($(grep -c '\] ok ' "$work/a.log") + $(grep -c '\] ok ' "$work/b.log"))"
