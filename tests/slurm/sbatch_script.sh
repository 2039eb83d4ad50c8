#!/usr/bin/env bash
# The sbatch scripts `ocbench slurm` writes for a fixed experiment and fixed
# options, against committed expected files: a change of their flags shows in
# review. The working folder and the binary's path are replaced by @WORKDIR@
# and @OCBENCH@. With UPDATE=1 the expected files are rewritten.
source "$(dirname "$0")/../cli/prelude.sh"
expected=$here/../slurm/expected
mkdir -p "$work/w"
cp "$here/../slurm/slurm_test.toml" "$work/w/exp.toml"
cd "$work/w"
"$ocbench" slurm exp.toml --shards 3 --throttle 2 --partition short --time 1:00:00 --mem 8G --cpus-per-task 2 --account lab \
  --qos normal --sbatch-line=--constraint=avx2 --requeue --signal-seconds 300 --results-dir shared/results --cache-dir shared/cache \
  --data-dir /data/ocbench > "$work/out" 2>&1 || { cat "$work/out"; exit 1; }
bin=$(realpath "$ocbench")
status=0
for f in array.sbatch collect.sbatch; do
  got=$(sed -e "s|$work/w|@WORKDIR@|g" -e "s|$bin|@OCBENCH@|g" "shared/results/slurm/$f")
  if [ "${UPDATE:-0}" = 1 ]; then printf '%s\n' "$got" > "$expected/$f"; continue; fi
  diff <(printf '%s\n' "$got") "$expected/$f" || { echo "FAIL: $f differs from tests/slurm/expected/$f (UPDATE=1 rewrites it)"; status=1; }
done
# The plan holds every cell, each in one of the 3 shards, groups (shared pretraining) together.
python3 - shared/results/slurm/plan-1.json <<'PY' || status=1
import json, sys
p = json.load(open(sys.argv[1]))
assert p["shards"] == 3 and len(p["cells"]) == 16, (p["shards"], len(p["cells"]))
assert sorted({c["shard"] for c in p["cells"]}) == [1, 2, 3]
PY
# GPU tasks: the gres line, and the run on CUDA with cells batched per GPU.
"$ocbench" slurm exp.toml --shards 2 --gpus 1 --batch 4 --results-dir gpu/results --cache-dir gpu/cache > "$work/out-gpu" 2>&1 \
  || { cat "$work/out-gpu"; exit 1; }
grep -q "^#SBATCH --gres=gpu:1$" gpu/results/slurm/array.sbatch || { echo "FAIL: no --gres=gpu:1 line"; status=1; }
grep -q -- "--device cuda --batch 4 --no-download$" gpu/results/slurm/array.sbatch \
  || { cat gpu/results/slurm/array.sbatch; echo "FAIL: the GPU task does not run --device cuda --batch 4"; status=1; }
[ $status -eq 0 ] && echo "sbatch scripts as expected"
exit $status
