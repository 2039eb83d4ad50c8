# Sourced by the speed scripts: a scratch folder ($work, removed on exit) and
# run_one_cell DATASET CLASS METHODS [ocbench run options...], which runs seed 1
# of one normal class for the methods given as TOML tables and leaves the
# records in $work/r (the log in $work/run.log, printed on failure).
source scripts/data-env.sh
# Time the code as it stands: a stale binary would time an older commit.
cmake --build build --target ocbench > /dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run_one_cell() {
  local dataset=$1 k=$2 methods=$3
  shift 3
  printf 'name = "speed"\nseeds = [1]\n[datasets.%s]\nclasses = [%s]\n%s\n' "$dataset" "$k" "$methods" > "$work/exp.toml"
  ./build/ocbench run "$work/exp.toml" --results-dir "$work/r" --no-download "$@" > "$work/run.log" 2>&1 || { cat "$work/run.log"; exit 1; }
}
