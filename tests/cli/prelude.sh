# Sourced by the command-line test scripts (first argument: the ocbench
# binary): strict mode, $ocbench, $here (this folder), a scratch folder $work
# removed on exit, and the data root required.
set -euo pipefail
ocbench=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
: "${OCBENCH_DATA:?set OCBENCH_DATA to the data root}"
