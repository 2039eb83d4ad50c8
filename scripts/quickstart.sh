#!/usr/bin/env bash
# From a fresh clone to a regenerated quick Table 1 in one command: installs
# the Debian packages, builds, runs experiments/quick/table1_quick.toml on two
# workers, and prints the table (also written to results/quick_table1/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
source scripts/data-env.sh
./build/ocbench run experiments/quick/table1_quick.toml --jobs 2
./build/ocbench table experiments/quick/table1_quick.toml --write
