#!/usr/bin/env bash
# A paper-schedule CIFAR-10 cell on one core, estimated from measured epochs:
# runs one CIFAR-10 cell (one-class Deep SVDD with its pretraining, class 5,
# seed 1, the table's weight decay) at 10 + 10 epochs, one thread, fresh
# cache, into results/performance/cifar10_cell_epochs (only its records are
# kept), then ocb_bench's peak and CIFAR-10 training-step cases (their FLOP
# counts) into the same folder's bench.json, and writes
# results/performance/cifar10_cell.md with tests/bench/cell_estimate.py at the
# paper's 350 + 150 epochs against the speed issue's 1.5 hours, beside the
# CPU cells of Table 1 CIFAR-10 that ran the whole schedule (measured to the
# end). About eleven minutes; run on an idle machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/data-env.sh
cmake --build build --target ocbench ocb_bench > /dev/null  # time the code as it stands
out=results/performance/cifar10_cell_epochs
[ ! -e "$out" ] || { echo "$0: $out exists; move it away to measure afresh" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./build/ocbench run tests/bench/cifar10_cell_epochs.toml --results-dir "$out" --cache-dir "$work/cache" --threads 1 \
  --no-download > "$work/run.log" 2>&1 || { cat "$work/run.log"; exit 1; }
rm -rf "$out/claims" "$out/scores" "$out/representations" "$out/explanations"
./build/ocb_bench --benchmark_filter='peak_fma|train_step/cifar_(encoder|autoencoder)/0' \
  --benchmark_out="$out/bench.json" --benchmark_out_format=json > "$work/bench.log" 2>&1 || { cat "$work/bench.log"; exit 1; }
# Beside the table's CPU cells, the whole-schedule timing run when it has been
# made (about 1.3 hours on one core):
#   ocbench run tests/bench/cifar10_cell_full.toml --results-dir results/performance/cifar10_cell_full \
#     --cache-dir <fresh folder> --threads 1 --no-download
measured=(--measured results/table1_cifar10)
[ ! -d results/performance/cifar10_cell_full/records ] || measured+=(--measured results/performance/cifar10_cell_full)
python3 tests/bench/cell_estimate.py "$out" 350 150 1.5 "${measured[@]}" > results/performance/cifar10_cell.md
cat results/performance/cifar10_cell.md
