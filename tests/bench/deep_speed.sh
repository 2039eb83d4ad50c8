#!/usr/bin/env bash
# Times one MNIST cell of the paper's deep schedule (class 3, seed 1:
# autoencoder 150 epochs + one-class Deep SVDD 150 epochs, batch 200, one
# thread, fresh pretraining; experiments/studies/speed_mnist_cell.toml, the
# cell mnist_cell.md times again and again) and the per-layer / per-step
# Google Benchmark cases, and writes results/performance/deep.md beside the
# PyTorch reference measured in the same run: with OCB_REFERENCE set to a
# checkout of Deep-SVDD-PyTorch (github.com/lukasruff/Deep-SVDD-PyTorch) and
# Debian's python3-torch, its own networks and trainers run a few epochs on
# the same class (tests/bench/python/reference_epochs.py); without it, the
# page quotes the figures measured for issue 3 (../shared/PERF-NOTES.md) and
# says so. Run on an idle machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -n "${OCB_REFERENCE:-}" ]; then  # checked before anything is run
  if [ ! -d "$OCB_REFERENCE/src" ]; then
    echo "deep_speed.sh: OCB_REFERENCE=$OCB_REFERENCE has no src/ (expected a Deep-SVDD-PyTorch checkout)" >&2
    exit 2
  fi
  if ! /usr/bin/python3 -c 'import torch' 2> /dev/null; then
    echo "deep_speed.sh: /usr/bin/python3 has no torch for the reference (Debian: apt-get install python3-torch)" >&2
    exit 2
  fi
fi
source tests/bench/one_cell.sh
cmake --build build --target ocb_bench > /dev/null
ref_epochs=${OCB_REFERENCE_EPOCHS:-5}
if [ -n "${OCB_REFERENCE:-}" ]; then
  OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 /usr/bin/python3 tests/bench/python/reference_epochs.py \
    "$OCB_REFERENCE/src" "$ref_epochs" > "$work/reference.json" 2> "$work/reference.log" || { cat "$work/reference.log"; exit 1; }
  (cd "$OCB_REFERENCE" && git rev-parse --short=12 HEAD 2> /dev/null || echo unknown) > "$work/reference.commit"
fi
run_config experiments/studies/speed_mnist_cell.toml --cache-dir "$work/cache" --threads 1
./build/ocb_bench --benchmark_filter='peak_fma|train_step/mnist|conv_layer|norm_act_layer' --benchmark_min_time=1 --benchmark_format=json > "$work/bench.json" 2> /dev/null
mkdir -p results/performance
python3 tests/bench/deep_speed_page.py "$work" > results/performance/deep.md
cat results/performance/deep.md
