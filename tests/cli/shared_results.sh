#!/usr/bin/env bash
# Cells of one run that compute the same thing from the same bytes share it
# (core/shared_results.hpp): OC-SVM's and KDE's training-set distances,
# KDE's search and scores (KDE draws no random numbers), OC-SVM's grid of
# models (only the holdout that picks one differs between seeds). End to end:
# a run of two OC-SVM and two KDE columns with the same parameters over two
# classes and two seeds, with two workers, gives the same AUCs and
# byte-identical score files as a run with --share-mb 0, and its records say
# which cell took what: per class and seed one KDE column computes, the other
# takes its search and scores; one OC-SVM column trains the grid, the other
# takes it; OC-SVM and KDE compute the distances once. The seeds
# subsample different training sets (max_train), so nothing crosses seeds.
# The --share-mb 0 run's records say nothing was shared.
source "$(dirname "$0")/prelude.sh"
fail() { echo "FAIL: $*"; exit 1; }
cat > "$work/shared.toml" <<'TOML'
name = "shared"
seeds = [1, 2]
[datasets.mnist]
classes = [3, 7]
max_train = 600
max_test = 800
[methods.ocsvm]
gamma_log2 = [-6, -5]
[methods.ocsvm_again]
method = "ocsvm"
gamma_log2 = [-6, -5]
[methods.kde]
bandwidth_log2 = [2.0, 2.5, 3.0]
[methods.kde_again]
method = "kde"
bandwidth_log2 = [2.0, 2.5, 3.0]
TOML
for mode in on off; do
  extra=()
  [ "$mode" = off ] && extra=(--share-mb 0)
  "$ocbench" run "$work/shared.toml" --results-dir "$work/$mode" --cache-dir "$work/cache" --jobs 2 --no-download \
    "${extra[@]}" > "$work/$mode.log" 2>&1 || { cat "$work/$mode.log"; fail "run ($mode)"; }
done
"$ocbench" run "$work/shared.toml" --results-dir "$work/bad" --share-mb -1 > "$work/bad.log" 2>&1 && fail "--share-mb -1 accepted"
grep -q -- "--share-mb" "$work/bad.log" || { cat "$work/bad.log"; fail "--share-mb -1: the error does not name the option"; }
python3 - "$work" <<'PY'
import gzip, json, pathlib, sys
work = pathlib.Path(sys.argv[1])
def records(mode):
    out = {}
    for f in (work / mode / "records").rglob("*.json"):
        r = json.loads(f.read_text())
        out[(r["label"], r["normal_class"], r["seed"])] = r
    return out
on, off = records("on"), records("off")
assert len(on) == len(off) == 16, (len(on), len(off))
for key, r in on.items():
    o = off[key]
    assert r["metrics"]["auc"] == o["metrics"]["auc"], f"{key}: AUC {r['metrics']['auc']} shared, {o['metrics']['auc']} alone"
    a = gzip.decompress((work / "on" / r["scores_file"]).read_bytes())
    b = gzip.decompress((work / "off" / o["scores_file"]).read_bytes())
    assert a == b, f"{key}: the score files differ"
    assert "shared" not in o["method_report"], f"{key}: --share-mb 0 yet {o['method_report']['shared']}"
for c in (3, 7):
    for seed in (1, 2):
        kde = [on[(label, c, seed)]["method_report"]["shared"] for label in ("kde", "kde_again")]
        computed = [s for s in kde if s["search"] is False]
        took = [s for s in kde if s["search"] is True]
        assert len(computed) == 1 and len(took) == 1, f"class {c} seed {seed}: {kde}"
        assert took[0] == {"search": True, "scores": 2}, f"class {c} seed {seed}: {took[0]}"
        assert computed[0]["scores"] == 0, f"class {c} seed {seed}: {computed[0]}"
        svm = [on[(label, c, seed)]["method_report"]["shared"] for label in ("ocsvm", "ocsvm_again")]
        trained = [s for s in svm if s["grid"] is False]
        assert len(trained) == 1 and {"grid": True} in svm, f"class {c} seed {seed}: {svm}"
        # The distances: computed by the OC-SVM that trained or the KDE that searched, taken by the other.
        firsts = sorted([trained[0]["train_distances"], computed[0]["train_distances"]])
        assert firsts == [False, True], f"class {c} seed {seed}: train_distances {firsts}"
print("16 cells: same AUCs and score files with and without sharing; the records say what was shared")
PY
