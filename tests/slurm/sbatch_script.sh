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
# --cuda-fp32 (or [slurm] cuda_fp32 = true): the tasks run float32 convolutions, and a refresh plan's rule
# (which cells count as done) names that device.
"$ocbench" slurm exp.toml --shards 2 --gpus 1 --cuda-fp32 --refresh-numerics --results-dir fp32/results --cache-dir fp32/cache > "$work/out-fp32" 2>&1 \
  || { cat "$work/out-fp32"; exit 1; }
grep -q -- "--device cuda-fp32 --refresh-numerics --no-download$" fp32/results/slurm/array.sbatch \
  || { cat fp32/results/slurm/array.sbatch; echo "FAIL: the task does not run --device cuda-fp32"; status=1; }
grep -q '"device": *"cuda-fp32"' fp32/results/slurm/plan-1.json || { echo "FAIL: the plan's rule does not name cuda-fp32"; status=1; }
printf '\n[slurm]\ngpus = 1\ncuda_fp32 = true\n' >> exp.toml
"$ocbench" slurm exp.toml --shards 2 --results-dir key/results --cache-dir key/cache > "$work/out-key" 2>&1 \
  || { cat "$work/out-key"; exit 1; }
grep -q -- "--device cuda-fp32 --no-download$" key/results/slurm/array.sbatch || { echo "FAIL: [slurm] cuda_fp32 ignored"; status=1; }
sed 's/^cuda_fp32 = true$/cuda_fp32 = "yes"/' exp.toml > bad.toml
if "$ocbench" slurm bad.toml --shards 2 --results-dir bad/results > "$work/out-bad" 2>&1; then
  echo "FAIL: cuda_fp32 = \"yes\" was accepted"; status=1
elif ! grep -q "slurm.cuda_fp32.*boolean" "$work/out-bad"; then
  cat "$work/out-bad"; echo "FAIL: the error does not name slurm.cuda_fp32 and what it must be"; status=1
fi
[ $status -eq 0 ] && echo "sbatch scripts as expected"
exit $status
