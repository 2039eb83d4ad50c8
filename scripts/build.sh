#!/usr/bin/env bash
# Configures (once) and builds ocbench with the CMake preset $OCB_PRESET
# (default "release"; CI uses "ci", which adds -Werror). Two parallel jobs:
# a translation unit with LibTorch takes ~1 GB and ~14 s to compile.
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${OCB_PRESET:-release}
# ccache keys on paths relative to the checkout, so other checkouts (a fresh
# clone, tests/cli/new_method.sh's copy) hit the same cache.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}" CCACHE_NOHASHDIR=1
if [ ! -f "build/CMakeCache.txt" ] || [ "${OCB_RECONFIGURE:-0}" = 1 ]; then
  cmake --preset "$preset" > /dev/null
fi
cmake --build --preset "$preset" -j "${OCB_BUILD_JOBS:-2}"
