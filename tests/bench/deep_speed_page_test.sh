#!/usr/bin/env bash
# deep.md's page writer (tests/bench/deep_speed_page.py) on the record of a
# fresh one-epoch speed cell, with a benchmark file and a reference of known
# figures: the page must come out, with the reference side by side, the
# cell's epoch counts and each case's share of the peak; and without a
# reference it must say so.
#   tests/bench/deep_speed_page_test.sh OCBENCH
source "$(dirname "$0")/../cli/prelude.sh"
src=$(cd "$here/../.." && pwd)
printf 'name = "speed"\nseeds = [1]\n[datasets.mnist]\nclasses = [3]\n[methods.deep_svdd_one_class]\nmethod = "deep_svdd"\nae_epochs = 2\nepochs = 1\n' \
  > "$work/exp.toml"
"$ocbench" run "$work/exp.toml" --results-dir "$work/r" --cache-dir "$work/cache" --threads 1 --no-download > "$work/run.log" 2>&1 \
  || { cat "$work/run.log"; exit 1; }
cat > "$work/bench.json" <<'JSON'
{"benchmarks": [
 {"name": "peak_fma/0/min_time:0.500", "label": "peak avx512 (16 lanes)", "cpu_time": 3.0, "GFLOP/s": 160e9},
 {"name": "peak_fma/1/min_time:0.500", "label": "peak avx2 (8 lanes)", "cpu_time": 3.0, "GFLOP/s": 80e9},
 {"name": "conv_layer/0/0/min_time:0.500", "label": "mnist.conv1 native", "cpu_time": 5.0, "GFLOP/s": 40e9, "inside": 0.9},
 {"name": "conv_layer/1/0/min_time:0.500", "label": "mnist.conv1 torch", "cpu_time": 20.0, "GFLOP/s": 10e9},
 {"name": "train_step/mnist_encoder/0/min_time:1.000", "label": "mnist_lenet encoder native", "cpu_time": 8.0, "GFLOP/s": 50e9, "inside": 0.75},
 {"name": "train_step/mnist_encoder/1/min_time:1.000", "label": "mnist_lenet encoder torch", "cpu_time": 30.0, "GFLOP/s": 13e9},
 {"name": "train_step/mnist_autoencoder/0/min_time:1.000", "label": "mnist_lenet autoencoder native", "cpu_time": 20.0, "GFLOP/s": 40e9, "inside": 0.5},
 {"name": "norm_act_layer/0/1/min_time:0.500", "label": "mnist.bn1 backward", "cpu_time": 0.5, "GB/s": 23.4e9},
 {"name": "peak_fma/0/min_time:0.500", "error_occurred": true, "error_message": "this CPU lacks the instruction set"}
]}
JSON
echo '{"torch": "1.13", "threads": 1, "train_images": 6131, "epochs": 5, "ae_epoch_s": 4.0, "svdd_epoch_s": 1.0, "wall_s": 30}' \
  > "$work/reference.json"
echo 1901612d595e > "$work/reference.commit"
page=$(python3 "$src/tests/bench/deep_speed_page.py" "$work")
fail() { echo "FAIL: $*"; printf '%s\n' "$page"; exit 1; }
grep -q "autoencoder 2 epochs, one-class Deep SVDD 1 epochs" <<< "$page" || fail "the cell's epoch counts are not on the page"
grep -q "Deep-SVDD-PyTorch 1901612d595e" <<< "$page" || fail "the reference run is not named"
grep -Eq '^\| autoencoder epoch \| [0-9.]+ s \| 4.00 s \| [0-9.]+x \|$' <<< "$page" || fail "no autoencoder row beside the reference"
grep -Eq '^\| one cell \(pretraining \+ one objective\) \| [0-9]+ s \| 750 s \|' <<< "$page" || fail "no cell row (150 x 4.0 + 150 x 1.0 s)"
grep -q "^| mnist.conv1 | native | 5.00 | 40.0 | 25 % | 36.0 | 22 % |$" <<< "$page" || fail "no share of the peak for a case"
grep -q "^| mnist.conv1 | torch | 20.00 | 10.0 | 6 % | - | - |$" <<< "$page" || fail "a case without the inside share"
grep -q "^| mnist.bn1 | backward | 0.500 | 23.4 |$" <<< "$page" || fail "no row for a fused norm layer"
grep -q "^| mnist.bn1 backward |" <<< "$page" && fail "a fused norm layer in the convolutions' table"
# The targets' table: 0.8 GFLOP a step, 0.4 of it inside the image, x 31 steps
# in 0.2 s = 62 GFLOP/s, 39 % of 160; 0.4 GFLOP, 0.3 inside, x 31 in 0.08 s =
# 116 GFLOP/s, 73 %.
grep -q "^| MNIST autoencoder | 0.800 | 0.400 | 0.620 | 0.20 | 62 | 39 % |$" <<< "$page" || fail "no autoencoder target row"
grep -q "^| MNIST encoder | 0.400 | 0.300 | 0.248 | 0.08 | 116 | 73 % |$" <<< "$page" || fail "no encoder target row"
rm "$work/reference.json"
page=$(python3 "$src/tests/bench/deep_speed_page.py" "$work")
grep -q "No reference in this run" <<< "$page" || fail "without a reference the page does not say so"
# The speed scripts that write the CPU themselves name it as the record does.
source "$src/tests/bench/cpu_name.sh"
record_cpu=$(python3 -c 'import glob, json, sys; print(json.load(open(glob.glob(sys.argv[1] + "/records/**/*.json", recursive=True)[0]))["provenance"]["cpu"])' "$work/r")
[ "$(cpu_name)" = "$record_cpu" ] || fail "cpu_name says '$(cpu_name)', the record '$record_cpu'"
echo "deep.md's writer reads a fresh record"
