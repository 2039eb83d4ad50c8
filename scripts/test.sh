#!/usr/bin/env bash
# The test suite in one command: installs the Debian packages, builds, and
# runs every test with CTest (unit, conformance, command-line). Tests that
# read the real datasets find them through OCBENCH_DATA (see data-env.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test
bash scripts/build.sh
source scripts/data-env.sh
ctest --test-dir build -j 2 --output-on-failure "$@"
