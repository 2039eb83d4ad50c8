#!/usr/bin/env bash
# Times one MNIST cell of the paper's deep schedule (class 3, seed 1:
# autoencoder 150 epochs + one-class Deep SVDD 150 epochs, batch 200, one
# thread, fresh pretraining) and the per-layer / per-step Google Benchmark
# cases, and writes results/performance/deep.md beside the PyTorch
# reference's figures measured on the same 2-core machine type (issue 3,
# ../shared/PERF-NOTES.md). Run on an idle machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/bench/one_cell.sh
run_one_cell mnist 3 $'[methods.deep_svdd_one_class]\nmethod = "deep_svdd"' --cache-dir "$work/cache" --threads 1
./build/ocb_bench --benchmark_filter='train_step/mnist|conv_layer' --benchmark_min_time=1 --benchmark_format=json > "$work/bench.json" 2> /dev/null
mkdir -p results/performance
python3 - "$work" > results/performance/deep.md <<'PY'
import glob, json, sys
work = sys.argv[1]
r = json.load(open(glob.glob(f"{work}/r/records/*/*/*.json")[0]))
mr, t, p = r["method_report"], r["timing"], r["provenance"]
ae, sv = mr["pretraining"]["seconds"], mr["train"]["seconds"]
ne, ns = len(mr["pretraining"]["epoch_loss"]), len(mr["train"]["epoch_loss"])
ref_ae, ref_sv = 3.3, 1.2   # s/epoch, Deep-SVDD-PyTorch on one thread, same machine type (issue 3)
ref_cell = 150 * ref_ae + 150 * ref_sv
print("# Deep methods: speed against the PyTorch reference\n")
print(f"MNIST normal class 3, seed 1, the reference README's schedule (autoencoder {ne} epochs, one-class Deep SVDD {ns} "
      f"epochs, batch 200), one thread, written by `tests/bench/deep_speed.sh` on {p['cpu']} "
      f"({p['hardware_threads']} threads), ocbench {p['git_commit'][:12]}, AUC {100 * r['metrics']['auc']:.2f}.\n")
print("The reference figures are those measured for issue 3 on the same 2-core machine type with Debian's "
      "python3-torch 1.13 on one thread (autoencoder 3.3 s/epoch, Deep SVDD 1.2 s/epoch, ~10-11 min per cell; "
      "../shared/PERF-NOTES.md).\n")
print("| | ocbench | PyTorch reference | speed-up |\n|---|---|---|---|")
print(f"| autoencoder epoch | {ae / ne:.2f} s | {ref_ae:.2f} s | {ref_ae / (ae / ne):.1f}x |")
print(f"| Deep SVDD epoch | {sv / ns:.2f} s | {ref_sv:.2f} s | {ref_sv / (sv / ns):.1f}x |")
print(f"| one cell (pretraining + one objective) | {t['total_s']:.0f} s | {ref_cell:.0f} s | {ref_cell / t['total_s']:.1f}x |")
print()
print("One training step (batch 200), and each convolution layer forward + both gradients, ocbench's kernels "
      "(`native`) against LibTorch's own on the same build (`torch`), from `build/ocb_bench` (Google Benchmark, CPU time):\n")
print("| case | kernels | ms | GFLOP/s |\n|---|---|---|---|")
for b in json.load(open(f"{work}/bench.json"))["benchmarks"]:
    label = b.get("label", b["name"])
    name, _, kern = label.rpartition(" ")
    print(f"| {name} | {kern} | {b['cpu_time']:.2f} | {b.get('GFLOP/s', 0) / 1e9:.1f} |")
PY
cat results/performance/deep.md
