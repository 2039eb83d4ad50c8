#!/usr/bin/env bash
# Where a training step's time goes: runs build/ocb_profile_step on the
# encoder and autoencoder of CIFAR-10, MNIST and GTSRB (one thread, the
# protocol's batch sizes, the pinned kernel families every ocbench run uses;
# every convolution on ocbench's direct kernels since 2026-12-02, so oneDNN's
# setting no longer moves these steps), and writes results/performance/profile.md
# from the traces (tests/bench/profile_step.py). Run on an idle machine; the
# page records the load average it was made under.
set -euo pipefail
cd "$(dirname "$0")/../.."
cmake --build build --target ocb_profile_step > /dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
steps=${OCB_PROFILE_STEPS:-5}
warmup=${OCB_PROFILE_WARMUP:-5}
out=results/performance/profile.md
load=$(cut -d' ' -f1-3 /proc/loadavg)
source tests/bench/cpu_name.sh
cpu=$(cpu_name)
{
  echo "# Where a training step's time goes"
  echo
  echo "Written by \`tests/bench/profile.sh\` on ${cpu} ($(nproc --all) hardware threads), ocbench $(git rev-parse --short=12 HEAD),"
  echo "load average ${load} when it started. One thread; after ${warmup} warm-up steps, ${steps} Adam steps timed without the"
  echo "profiler, then ${steps} more under LibTorch's profiler (\`build/ocb_profile_step\`, half a GiB of heap touched first so"
  echo "that the profiler's growing event lists cannot push the step's buffers onto fresh pages); self time is each op's own time without the ops it calls, so"
  echo "the op rows of a table add up to the step. \`ocb::*\` are ocbench's direct kernels (forward);"
  echo "\`CppNode<...>\` their backward (input and weight gradients), every convolution of every network;"
  echo "\`aten::mm\` the dense layers (OpenBLAS)."
  echo
} > "$out.tmp"
profile() {  # title arch mode [env...]
  local title=$1 arch=$2 mode=$3
  shift 3
  local trace="$work/$arch-$mode.json"
  local line
  line=$(env "$@" ./build/ocb_profile_step "$arch" "$mode" native "$steps" "$trace" "$warmup")
  echo "$line" >&2
  python3 tests/bench/profile_step.py "$title" "$trace" "$steps" >> "$out.tmp"
  local plain=${line##*unprofiled }
  echo "Without the profiler: ${plain%% ms a step*} ms a step (mean of ${steps}, timed just before the profiled steps)." >> "$out.tmp"
  echo >> "$out.tmp"
  echo "Numerics: \`${line##*numerics }\`." >> "$out.tmp"
  echo >> "$out.tmp"
}
profile "CIFAR-10 autoencoder (pretraining), batch 200" cifar10_lenet autoencoder
profile "CIFAR-10 encoder (Deep SVDD), batch 200" cifar10_lenet encoder
profile "MNIST autoencoder (pretraining), batch 200" mnist_lenet autoencoder
profile "MNIST encoder (Deep SVDD), batch 200" mnist_lenet encoder
profile "GTSRB autoencoder (pretraining), batch 64" gtsrb_lenet autoencoder
mv "$out.tmp" "$out"
echo "wrote $out"
