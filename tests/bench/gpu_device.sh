#!/usr/bin/env bash
# Batched GPU runs on a lent device machine (the workplace's `device` tool),
# in three stages because one call carries at most 64 MiB:
#   setup   unpack the carried Debian libraries ($CARRY/ocbdeps.tar.xz) into
#           /opt/ocbdeps, copy carried data, start the CUDA build of ocbench
#           in the background (its own session, so it outlives the call)
#   data    copy the data files carried by this call
#   run SECONDS [timing|table1_cifar10|batch_k|fp32]   wait for the build, then
#           (with the reference's source carried, it first) run, each
#           under a time limit, until SECONDS from now. timing (the default,
#           what made results/performance/gpu_h200_2026-12-01): CIFAR-10
#           reduced schedule (10 classes, --batch 10), the same for class 0
#           alone, MNIST Table 1 seed 1 (--batch 10), MNIST class 3 alone, and
#           CIFAR-10 Table 1's deep cells without a record (--batch 10; seed 3
#           on 2026-12-01, with experiments/gpu/table1_cifar10_seed3.toml,
#           since removed) with what time is left.
#           table1_cifar10: the CIFAR-10 deep cells that have no record yet
#           (the committed records travel with the tree), --batch ${BATCH:-10},
#           seed by seed; a group in flight at the deadline is lost, the
#           finished ones are kept. batch_k: MNIST's deep cells of two seeds
#           on a short schedule (experiments/gpu/mnist_batch_k.toml) with
#           --batch 20, then --batch 10. fp32: the timing plan's CIFAR-10
#           reduced stages with --device cuda-fp32 (no TF32). DEVICE sets the
#           device of the other plans (default cuda). Each stage's records go
#           to $OUT/<stage>.tgz.
# How it was called (2026-12-01): the tree that travels must stay under
# 64 MiB, so everything under results/ except results/paper (and, for the
# table1_cifar10 plan, results/table1_cifar10/records) was moved aside for the
# calls and back after. .devcarry1 held ocbdeps.tar.xz (Debian bookworm's
# libfmt-dev, nlohmann-json3-dev, libtomlplusplus-dev, libcli11-dev,
# libeigen3-dev, libsvm-dev, libopenblas-pthread-dev, zlib1g-dev, libpng-dev,
# liblzma-dev, libssl-dev and their libraries, unpacked with dpkg -x, static
# libraries and documents removed) and two CIFAR-10 batches;
# .devcarry2 two more batches and MNIST; .devcarry3 the rest. Calls, each
# within the machine's 30 s of warmth after the one before:
#   CARRY=.devcarry1 bash tests/bench/gpu_device.sh setup
#   CARRY=.devcarry2 bash tests/bench/gpu_device.sh data
#   CARRY=.devcarry3 bash tests/bench/gpu_device.sh run 560
# To time the PyTorch reference on the same GPU, put its src/ (a checkout of
# lukasruff/Deep-SVDD-PyTorch, under 100 KB) into the last call's carried
# folder as reference/src.
# Carried data lies under $CARRY/data/<dataset>/ (CARRY, default .devcarry).
# Provenance: on 2026-12-01 a .git arrived with the tree, as of the session's
# start, so the records name that commit, dirty, with the SHA-256 of the
# difference; a tree without .git would record commit "unknown".
set -u
stage=${1:?setup, data or run SECONDS}
C=${CARRY:-.devcarry}   # the folder this call carried
P=/opt/ocbdeps
L=$P/usr/lib/x86_64-linux-gnu
S=${OCB_GPU_STATE:-/tmp}   # where the build, data, results and logs go (tests point it elsewhere)
BUILD=${OCB_GPU_BUILD:-$S/build-cuda}
DATA=$S/ocbdata
OUT=${OUT:-$S/out}
mkdir -p "$OUT" "$DATA"
log() { echo "[$(date +%T)] $*" | tee -a "$OUT/log.txt"; }

copy_data() {
  [ -d "$C/data" ] && cp -r "$C/data/." "$DATA"/
  log "data now: $(cd "$DATA" && find . -type f | sort | tr '\n' ' ')"
}

case "$stage" in
setup)
  nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm --format=csv | tee -a "$OUT/log.txt"
  mkdir -p "$P" && tar -xJf "$C/ocbdeps.tar.xz" -C "$P" || exit 1
  # Debian's -dev links point at absolute /lib paths: link to the carried
  # copies for the linker; at run time the system's own zlib and lzma load.
  ln -sf "$P/lib/x86_64-linux-gnu/libz.so.1" "$L/libz.so"
  ln -sf "$P/lib/x86_64-linux-gnu/liblzma.so.5" "$L/liblzma.so"
  copy_data
  export PATH=/usr/local/cuda/bin:$PATH
  torch_prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
  log "torch $(python3 -c 'import torch; print(torch.__version__, torch.version.cuda)') at $torch_prefix; $(nproc) cores; g++ $(g++ -dumpfullversion)"
  setsid nohup bash -c "cmake -S . -B $BUILD -G Ninja -DCMAKE_BUILD_TYPE=Release -DOCB_BUILD_TESTS=OFF \
      -DOCB_BUILD_BENCHMARKS=OFF -DCMAKE_PREFIX_PATH='$P/usr;$torch_prefix' -DBLA_VENDOR=OpenBLAS \
      -DCMAKE_LIBRARY_PATH=$L/openblas-pthread \
      '-DCMAKE_CXX_FLAGS=-isystem $P/usr/include/x86_64-linux-gnu' \
      && cmake --build $BUILD -j$(nproc) --target ocbench; echo \$? > $S/build.rc" \
      >$S/build.log 2>&1 </dev/null &
  sleep 20
  log "build started; configure so far:"; tail -5 $S/build.log | tee -a "$OUT/log.txt"
  ;;
data)
  copy_data
  log "build: $(tail -1 $S/build.log)"
  ;;
run)
  deadline=$(( $(date +%s) + ${2:?seconds available} ))
  plan=${3:-timing}
  copy_data
  while [ ! -f $S/build.rc ] && [ "$(date +%s)" -lt "$deadline" ]; do sleep 2; done
  tail -15 $S/build.log >>"$OUT/log.txt"
  # Each call sends the tree again, which can break a build in flight (a
  # header missing for a moment): finish it now that the tree holds still.
  if [ -f "$BUILD/build.ninja" ]; then
    cmake --build "$BUILD" -j"$(nproc)" --target ocbench >$S/build2.log 2>&1; echo $? >$S/build.rc
  fi
  tail -3 $S/build2.log >>"$OUT/log.txt" 2>/dev/null
  if [ "$(cat $S/build.rc 2>/dev/null)" != 0 ]; then log "build failed or unfinished"; tail -40 $S/build2.log; exit 1; fi
  log "build done"
  export OCBENCH_DATA=$DATA LD_LIBRARY_PATH=$L:$L/openblas-pthread${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  nvidia-smi --query-gpu=timestamp,utilization.gpu,memory.used,clocks.sm --format=csv -l 2 >"$OUT/smi.csv" 2>&1 &
  deep=(--only dcae --only deep_svdd_soft --only deep_svdd_one_class)
  # The PyTorch reference on the same GPU, when its source was carried
  # ($CARRY/reference/src, a checkout's src/ of Deep-SVDD-PyTorch): a few
  # epochs of MNIST class 3 and CIFAR-10 class 0 (gpu_batch_page.py --reference).
  if [ -d "$C/reference/src" ]; then
    ref_src=$(cd "$C/reference/src" && pwd)
    for job in "mnist 3 5" "cifar10 0 3"; do
      set -- $job
      log "reference: $1 class $2, $3 epochs"
      (cd tests/bench/python && timeout 120 python3 reference_epochs.py "$ref_src" "$3" cuda "$1" "$2") \
        >"$OUT/reference_$1.json" 2>>"$OUT/log.txt" || log "reference $1 failed"
    done
  fi
  # run_stage NAME MAX_SECONDS EXPERIMENT [run options]: records to $OUT/NAME.tgz
  run_stage() {
    local name=$1 limit=$2 exp=$3; shift 3
    local left=$(( deadline - $(date +%s) - 15 ))
    [ "$limit" -gt "$left" ] && limit=$left
    if [ "$limit" -lt 20 ]; then log "skip $name: ${left}s left"; return 1; fi
    local t0; t0=$(date +%s)
    log "stage $name: ocbench run $exp $* (at most ${limit}s)"
    timeout -s TERM -k 10 "$limit" "$BUILD/ocbench" run "$exp" --device "${DEVICE:-cuda}" --no-download "${deep[@]}" \
      --results-dir "$S/res/$name" --cache-dir "$S/cache/$name" "$@" >>"$OUT/log.txt" 2>&1
    local rc=$?
    log "stage $name: rc $rc, $(( $(date +%s) - t0 )) s"
    tar -czf "$OUT/$name.tgz" -C $S/res "$name" 2>/dev/null
    echo $(( $(date +%s) - t0 )) >"$S/$name.seconds"
    return $rc
  }
  # The table's committed records go into its results folder, so that only
  # the cells without one run.
  with_table_records() { mkdir -p "$S/res/table1_cifar10" && cp -r results/table1_cifar10/records "$S/res/table1_cifar10/"; }
  trap 'kill %1 2>/dev/null' EXIT   # nvidia-smi
  case "$plan" in
  table1_cifar10)
    with_table_records || exit 1
    run_stage table1_cifar10 99999 experiments/table1_cifar10.toml --batch "${BATCH:-10}"
    ;;
  fp32)
    # The timing plan's first two stages with float32 convolutions (no TF32):
    # does the gap between a cell batched and alone close, and at what cost?
    DEVICE=cuda-fp32
    run_stage cifar10_reduced_batch10_fp32 150 experiments/table1_cifar10_reduced.toml --batch 10
    run_stage cifar10_reduced_alone_fp32 60 experiments/gpu/cifar10_reduced_class0.toml --jobs 1
    ;;
  batch_k)
    run_stage mnist_batch_k20 90 experiments/gpu/mnist_batch_k.toml --batch 20
    run_stage mnist_batch_k10 90 experiments/gpu/mnist_batch_k.toml --batch 10
    ;;
  timing)
    run_stage cifar10_reduced_batch10 150 experiments/table1_cifar10_reduced.toml --batch 10
    batched_ok=$?
    run_stage cifar10_reduced_alone 60 experiments/gpu/cifar10_reduced_class0.toml --jobs 1
    run_stage mnist_seed1_batch10 200 experiments/gpu/table1_mnist_seed1.toml --batch 10
    run_stage mnist_class3_alone 60 experiments/gpu/mnist_class3.toml --jobs 1
    # The full schedule is 13x the reduced one's epochs (350 + 150 + 150
    # against 20 + 15 + 15); its pretraining alone is 7x. Start only if that fits.
    reduced=$(cat "$S/cifar10_reduced_batch10.seconds" 2>/dev/null || echo 9999)
    left=$(( deadline - $(date +%s) - 15 ))
    if [ "$batched_ok" = 0 ] && [ $(( reduced * 7 )) -lt "$left" ]; then
      with_table_records
      run_stage table1_cifar10 "$left" experiments/table1_cifar10.toml --batch 10
    else
      log "skip table1_cifar10: reduced run ${reduced}s (batched rc $batched_ok), ${left}s left"
    fi
    ;;
  *)
    log "unknown plan '$plan' (known: timing, table1_cifar10, batch_k, fp32)"; exit 2
    ;;
  esac
  ;;
esac
