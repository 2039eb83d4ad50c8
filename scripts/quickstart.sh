#!/usr/bin/env bash
# From a fresh clone to a regenerated quick Table 1 in one command: installs
# the Debian packages, builds, runs experiments/quick/table1_quick.toml on two
# workers, prints the table (also written to results/quick_table1/) and writes
# its HTML page (results/quick_table1/index.html).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
source scripts/data-env.sh
./build/ocbench run experiments/quick/table1_quick.toml --jobs 2
./build/ocbench table experiments/quick/table1_quick.toml --write
# The same results as a page to open in any browser (one self-contained file).
./build/ocbench report experiments/quick/table1_quick.toml > /dev/null
echo "Open results/quick_table1/index.html in a browser for the page: sortable table, seeds per cell, figures."
