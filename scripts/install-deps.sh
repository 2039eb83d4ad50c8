#!/usr/bin/env bash
# Installs the Debian packages ocbench builds and runs with. Idempotent: a
# package already present is left alone, so a second run costs one dpkg query.
# With --test, also what the test suite exercises for real: a one-node Slurm
# (slurm-wlm, munge), the fuzzers (clang, libFuzzer) and a headless Chromium for
# the HTML pages.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libtorch-dev libopenblas0-pthread
  libeigen3-dev libsvm-dev
  libtomlplusplus-dev libcli11-dev nlohmann-json3-dev libfmt-dev
  catch2 libbenchmark-dev
  zlib1g-dev liblzma-dev libssl-dev libpng-dev
  gnuplot-nox curl xz-utils fonts-dejavu-core
  dataset-fashion-mnist
)
if [ "${1:-}" = "--test" ]; then
  packages+=(slurm-wlm munge python3 clang libfuzzer-14-dev chromium-headless-shell)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "ocbench: installing ${missing[*]}" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
