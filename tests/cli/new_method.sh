#!/usr/bin/env bash
# What the README tells a new user to do, done literally: copy this tree, put
# the README's example method into methods/mean_distance/, add the README's one
# CMake line, build, run the CI gate experiment for the new label, and check it
# against the committed baseline: reported as new (exit 0; with --strict exit
# 7), added by --update-baseline, then passing, the other labels untouched.
# Builds through ccache (the copy compiles like this tree, so it mostly hits).
source "$(dirname "$0")/prelude.sh"
src=$(cd "$here/../.." && pwd)
tree=$work/tree
mkdir -p "$tree"
(cd "$src" && git ls-files -co --exclude-standard -z | tar --null -T - -cf -) | tar -xf - -C "$tree"
# The README's example, verbatim.
mkdir -p "$tree/methods/mean_distance"
awk '/^\/\/ methods\/mean_distance\/mean_distance.cpp$/ {on = 1} on && /^```$/ {exit} on' "$src/README.md" \
  > "$tree/methods/mean_distance/mean_distance.cpp"
grep -q 'OCB_REGISTER_METHOD(MeanDistance, "mean_distance"' "$tree/methods/mean_distance/mean_distance.cpp" \
  || { echo "FAIL: the README's example method was not found"; exit 1; }
line=$(grep -m 1 '^ocb_method(mean_distance ' "$src/README.md")
[ -n "$line" ] || { echo "FAIL: the README's CMake line was not found"; exit 1; }
echo "$line" >> "$tree/methods/CMakeLists.txt"

werror=$(grep -s '^OCB_WERROR:BOOL=' "$src/build/CMakeCache.txt" | cut -d= -f2)
export CCACHE_BASEDIR=$tree CCACHE_NOHASHDIR=1
cmake -S "$tree" -B "$tree/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DOCB_WERROR="${werror:-OFF}" -DOCB_BUILD_TESTS=OFF \
  -DOCB_BUILD_BENCHMARKS=OFF > "$work/configure.log" 2>&1 || { cat "$work/configure.log"; exit 1; }
cmake --build "$tree/build" -j 2 --target ocbench > "$work/build.log" 2>&1 || { tail -n 30 "$work/build.log"; exit 1; }
bin=$tree/build/ocbench
cd "$tree"
"$bin" methods mean_distance | grep -q "distance to the training mean" || { echo "FAIL: ocbench methods does not list it"; exit 1; }
"$bin" run experiments/ci/gate.toml --only mean_distance --results-dir "$work/gate" --cache-dir "$work/cache" --no-download \
  > "$work/run.log" 2>&1 || { cat "$work/run.log"; exit 1; }
cp experiments/ci/gate_baseline.json "$work/baseline.json"
check() { "$bin" check experiments/ci/gate.toml --only mean_distance --results-dir "$work/gate" --baseline "$work/baseline.json" "$@"; }
rc=0; check > "$work/check1" 2>&1 || rc=$?
[ $rc -eq 0 ] && grep -q "| mean_distance | mnist | 0 | 1 | — | .* | new: not in the baseline" "$work/check1" \
  || { echo "FAIL: the new label is not reported as new with exit 0 (exit $rc)"; cat "$work/check1"; exit 1; }
rc=0; check --strict > "$work/check2" 2>&1 || rc=$?
[ $rc -eq 7 ] || { echo "FAIL: --strict gave exit $rc for a new label, expected 7"; cat "$work/check2"; exit 1; }
check --update-baseline > "$work/update" 2>&1 || { cat "$work/update"; exit 1; }
rc=0; check > "$work/check3" 2>&1 || rc=$?
[ $rc -eq 0 ] && grep -q "6 of 6 cells pass" "$work/check3" || { echo "FAIL: after --update-baseline: exit $rc"; cat "$work/check3"; exit 1; }
python3 - "$src/experiments/ci/gate_baseline.json" "$work/baseline.json" <<'PY' || exit 1
import json, sys
old, new = (json.load(open(f))["cells"] for f in sys.argv[1:])
rest = [c for c in new if c["label"] != "mean_distance"]
assert rest == old, "the other labels' baseline cells changed"
assert sum(c["label"] == "mean_distance" for c in new) == 6
assert json.load(open(sys.argv[2]))["labels_added"] == ["mean_distance"]
PY
echo "new method: built from one folder and one CMake line, gated as new (exit 0, --strict 7), added by --update-baseline"
