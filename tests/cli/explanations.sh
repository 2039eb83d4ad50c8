#!/usr/bin/env bash
# What a deep run adds beyond AUC, end to end: one-class Deep SVDD on the CI
# gate's small MNIST subsets (quick schedule) records the thresholds from its
# training scores, the oracle F1 and the adaptive Mahalanobis score; keeps a
# sample of test representations and Grad-CAM heatmaps of the most anomalous
# test images; `table --metric` shows F1; `plot` draws a t-SNE and a Grad-CAM
# grid per class; the report's page embeds them.
source "$(dirname "$0")/prelude.sh"
fail() { echo "FAIL: $*"; exit 1; }
src=$(cd "$here/../.." && pwd)
exp=$src/experiments/ci/gate.toml
r=$work/r
"$ocbench" run "$exp" --results-dir "$r" --cache-dir "$work/cache" --only deep_svdd_one_class --jobs 2 --no-download > "$work/run.log" 2>&1 \
  || { cat "$work/run.log"; fail "run"; }
python3 - "$r" <<'PY' || exit 1
import json, pathlib, sys
root = pathlib.Path(sys.argv[1])
recs = [json.loads(f.read_text()) for f in (root / "records").rglob("*.json")]
assert len(recs) == 6, f"{len(recs)} records, 6 expected"
for r in recs:
    m = r["metrics"]
    t = m.get("thresholds", {})
    missing = {"p95", "p99", "mean+3sd", "oracle_f1", "adaptive_mahalanobis_p95"} - set(t)
    assert not missing, f"{r['cell_id']}: thresholds lack {missing}"
    for name, d in t.items():
        n = d["tp"] + d["fp"] + d["tn"] + d["fn"]
        assert n == r["data"]["n_test"], f"{name}: {n} decisions for {r['data']['n_test']} test samples"
        assert 0 <= d["f1"] <= 1
    # The oracle is the best F1 there is.
    assert all(t["oracle_f1"]["f1"] >= d["f1"] - 1e-12 for d in t.values()), "a policy beats the oracle"
    assert 0 <= m["mahalanobis_auc"] <= 1
    assert (root / r["scores_file"]).exists()
    rep = root / r["scores_file"].replace("scores/", "representations/", 1).replace(".scores.gz", ".reps.gz")
    assert rep.exists(), f"no representation sample {rep}"
    cam = root / r["scores_file"].replace("scores/", "explanations/", 1).replace(".scores.gz", ".cam.gz")
    assert cam.exists(), f"no Grad-CAM heatmaps {cam}"
print(f"{len(recs)} records with thresholds, oracle F1 and Mahalanobis AUC")
PY
"$ocbench" table "$exp" --results-dir "$r" --metric f1:p95 > "$work/f1.md" 2> "$work/f1.err" || { cat "$work/f1.err"; fail "table --metric f1:p95"; }
grep -q "F1 in % at the 95th percentile of the training scores" "$work/f1.md" || fail "the F1 table has no caption saying what it shows"
grep -qE '^\| 0 \|.*[0-9]+\.[0-9] ± [0-9]+\.[0-9]' "$work/f1.md" || fail "the F1 table has no value for class 0"
! grep -q '\[' "$work/f1.md" || fail "the F1 table sets the paper's AUC beside F1"
"$ocbench" table "$exp" --results-dir "$r" --metric mahalanobis --format csv > "$work/m.csv" 2> /dev/null || fail "table --metric mahalanobis"
grep -q "^dataset,normal_class,method,n_seeds,mahalanobis_mean" "$work/m.csv" || fail "the Mahalanobis CSV is not named after its metric"
grep -qE "^mnist,0,deep_svdd_one_class,2,[0-9]+\.[0-9]{4}," "$work/m.csv" || fail "no Mahalanobis AUC for class 0 over two seeds"
"$ocbench" report "$exp" --results-dir "$r" > "$work/report.log" 2>&1 || { cat "$work/report.log"; fail "report"; }
for k in 0 3 7; do
  [ -s "$r/plots/tsne_mnist_deep_svdd_one_class_class$k.png" ] || fail "no t-SNE figure for class $k"
  [ -s "$r/plots/gradcam_mnist_deep_svdd_one_class_class$k.png" ] || fail "no Grad-CAM figure for class $k"
done
grep -q 'data-figure="gradcam_mnist_deep_svdd_one_class_class3"' "$r/images.html" || fail "the image-grid page does not embed the Grad-CAM figure"
grep -q 'href="images.html"' "$r/index.html" || fail "the page does not link its image-grid page"
grep -q 'data-figure="tsne_mnist_deep_svdd_one_class_class0"' "$r/images.html" || fail "the image page does not embed the t-SNE figure"
if grep -q 'data-figure="tsne_' "$r/index.html"; then fail "t-SNE figures belong on the image page (the experiment page has a 2 MiB budget)"; fi
grep -q 'data-f1p95=' "$r/index.html" || fail "the page has no F1 values to switch to"
echo "explanations: thresholds, oracle F1, Mahalanobis AUC, representations, heatmaps, F1 table, t-SNE and Grad-CAM figures, page"
