# Sourced by the speed scripts: a scratch folder ($work, removed on exit),
# run_config FILE [ocbench run options...], which runs a committed experiment
# file and leaves the records in $work/r (the log in $work/run.log, printed
# on failure), and run_one_cell DATASET CLASS METHODS [options...], the same
# for seed 1 of one normal class and the methods given as TOML tables.
source scripts/data-env.sh
# Time the code as it stands: a stale binary would time an older commit.
cmake --build build --target ocbench > /dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run_config() {
  local config=$1
  shift
  ./build/ocbench run "$config" --results-dir "$work/r" --no-download "$@" > "$work/run.log" 2>&1 || { cat "$work/run.log"; exit 1; }
}
run_one_cell() {
  local dataset=$1 k=$2 methods=$3
  shift 3
  printf 'name = "speed"\nseeds = [1]\n[datasets.%s]\nclasses = [%s]\n%s\n' "$dataset" "$k" "$methods" > "$work/exp.toml"
  run_config "$work/exp.toml" "$@"
}
