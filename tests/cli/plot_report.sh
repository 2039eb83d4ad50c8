#!/usr/bin/env bash
# `ocbench plot` and `ocbench report` on a small finished run: every figure is
# a real PNG (and SVG where drawn by gnuplot) with content, Figure 2 grids come
# out for the labels asked for, and the report holds the table, the seed
# counts and links to figures that exist.
source "$(dirname "$0")/prelude.sh"
fail() { echo "FAIL: $*"; exit 1; }

"$ocbench" run "$here/tiny.toml" --results-dir "$work/r" --no-download > "$work/run.log" 2>&1 || { cat "$work/run.log"; fail "run"; }
"$ocbench" plot "$here/tiny.toml" --results-dir "$work/r" --images kde > "$work/plot.log" 2>&1 || { cat "$work/plot.log"; fail "plot"; }
is_png() { [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] && [ "$(stat -c %s "$1")" -gt 1000 ]; }
for stem in roc_mnist_class0 roc_mnist_class3 auc_mnist; do
  is_png "$work/r/plots/$stem.png" || fail "$stem.png is missing or not a PNG with content"
  grep -q "<svg" "$work/r/plots/$stem.svg" || fail "$stem.svg is missing or not SVG"
done
# The critical-difference diagram is ocbench's own SVG (no gnuplot, no PNG).
grep -q 'class="cd-diagram"' "$work/r/plots/cd_mnist.svg" || fail "cd_mnist.svg is missing or not the CD diagram"
grep -q "kde (" "$work/r/plots/cd_mnist.svg" || fail "the CD diagram has no kde label"
grep -q "kde (AUC" "$work/r/plots/roc_mnist_class0.svg" || fail "the ROC figure has no kde curve in its legend"
for k in 0 1 2 3; do is_png "$work/r/plots/figure2_mnist_kde_class$k.png" || fail "figure 2 grid for class $k"; done
[ ! -e "$work/r/plots/figure2_mnist_isolation_forest_class0.png" ] || fail "figure 2 drawn for a label not asked for"

"$ocbench" report "$here/tiny.toml" --results-dir "$work/r" --images kde > "$work/report.log" 2>&1 || { cat "$work/report.log"; fail "report"; }
page="$work/r/report.md"
[ -f "$page" ] || fail "no report.md"
grep -q "| normal class | isolation_forest | kde |" "$page" || fail "the report has no results table"
grep -q "| mnist | kde | 8 | 8 | 0 | 0 |" "$page" || fail "the report does not count 8 ok cells for kde"
grep -q "Wilcoxon" "$page" || fail "the report has no Wilcoxon comparison"
grep -q "cd_mnist.svg" "$page" || fail "the report does not show the CD diagram"
for img in $(grep -o '([^()]*\.\(png\|svg\))' "$page" | tr -d '()'); do
  [ -f "$work/r/$img" ] || fail "the report links $img, which does not exist"
done
html="$work/r/index.html"
[ -f "$html" ] || fail "report wrote no index.html"
grep -q 'data-key="mnist|0|kde"' "$html" || fail "index.html has no kde cell for class 0"
! grep -qE '(src|href)="(https?:)?//' "$html" || fail "index.html refers to something outside itself"
echo "plot and report: $(ls "$work/r/plots" | wc -l) files, report links $(grep -c '\.png)' "$page") figures"
