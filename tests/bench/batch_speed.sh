#!/usr/bin/env bash
# What `run --batch` costs on the CPU: the Google Benchmark case group_step
# (K MNIST autoencoder steps as one network; split layers, the CPU's path, and
# fused layers, CUDA's, here on LibTorch's CPU kernels) against one step alone,
# written to results/performance/batch_cpu.md. Run on an idle machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
cmake --build build --target ocb_bench > /dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./build/ocb_bench --benchmark_filter='group_step' --benchmark_repetitions="${OCB_BENCH_REPETITIONS:-5}" \
  --benchmark_report_aggregates_only=true --benchmark_format=json > "$work/bench.json" 2> /dev/null
source tests/bench/cpu_name.sh
cpu=$(cpu_name)
python3 - "$work/bench.json" "$cpu" "$(git rev-parse --short=12 HEAD)" "$(cut -d' ' -f1-3 /proc/loadavg)" \
  > results/performance/batch_cpu.md <<'PY'
import json, sys
bench, cpu, commit, load = json.load(open(sys.argv[1]))["benchmarks"], sys.argv[2], sys.argv[3], sys.argv[4]
medians = {b["run_name"]: b for b in bench if b.get("aggregate_name") == "median"}
print("# `run --batch` on the CPU\n")
print(f"Written by `tests/bench/batch_speed.sh` on {cpu}, ocbench {commit}, load average {load} at the end. "
      "Google Benchmark case `group_step` (tests/bench/bench_deep.cpp), medians of "
      f"{next(iter(medians.values()))['repetitions']} repetitions, one thread: K MNIST autoencoders (batch 200 each) "
      "take one Adam step as one network, as the trainer's batched steps do. Split layers are what the CPU runs "
      "(each cell's own ops, the bytes it gets alone); fused layers are what CUDA runs (one grouped convolution, one "
      "batched matrix product), here on LibTorch's CPU kernels.\n")
print("| cells (K) | layers | ms a step | ms per cell | per cell, against one alone |\n|---|---|---|---|---|")
alone = medians["group_step/1/0/min_time:1.000"]["cpu_time"]
for name, b in medians.items():
    _, k, fused, _ = name.split("/")
    per = b["cpu_time"] / int(k)
    print(f"| {k} | {'fused' if fused == '1' else 'split'} | {b['cpu_time']:.1f} | {per:.1f} | {per / alone:.2f}x |")
print("\nOn the CPU a batched cell is slower than one alone: splitting and joining the layers' activations costs "
      "copies, and LibTorch's grouped convolution on the CPU is far slower than the direct kernels. `--jobs` is the "
      "CPU's way to run cells side by side; `--batch` is for GPUs, where one launch for K cells is the point.")
PY
cat results/performance/batch_cpu.md
