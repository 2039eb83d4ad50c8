#!/usr/bin/env bash
# Times ocbench's shallow baselines against scikit-learn on the same machine,
# same split, preprocessing, grids and (for OC-SVM) the same labelled holdout,
# and writes the comparison to results/performance/shallow.md.
# Needs Debian's python3-sklearn and OCBENCH_DATA; run on an idle machine.
# usage: tests/bench/compare_sklearn.sh [dataset] [class]
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! /usr/bin/python3 -c 'import sklearn' 2> /dev/null; then
  echo "compare_sklearn.sh: /usr/bin/python3 has no scikit-learn (Debian: apt-get install python3-sklearn)" >&2
  exit 2
fi
dataset=${1:-mnist}
k=${2:-3}
source tests/bench/one_cell.sh
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
run_one_cell "$dataset" "$k" $'[methods.ocsvm]\n[methods.kde]\n[methods.isolation_forest]'
holdout=$(ls "$work"/r/scores/$dataset/ocsvm/*.scores.gz)
/usr/bin/python3 tests/bench/python/sklearn_baselines.py "$dataset" "$k" ocsvm kde if --holdout-from "$holdout" > "$work/sklearn.log"
mkdir -p results/performance
python3 - "$work" "$dataset" "$k" > results/performance/shallow.md <<'PY'
import glob, json, re, sys, subprocess, platform
work, dataset, k = sys.argv[1:]
ours = {}
for f in glob.glob(f"{work}/r/records/*/*/*.json"):
    r = json.load(open(f))
    t = r["timing"]
    ours[r["label"]] = (t["fit_s"] + t["score_s"], 100 * r["metrics"]["auc"], r["provenance"])
theirs = {}
for line in open(f"{work}/sklearn.log"):
    m = re.match(r"sklearn (\w+) \S+ class \d+: auc ([\d.]+)\s+([\d.]+) s", line)
    if m:
        theirs[{"if": "isolation_forest"}.get(m[1], m[1])] = (float(m[3]), float(m[2]))
prov = next(iter(ours.values()))[2]
sk = subprocess.run(["/usr/bin/python3", "-c", "import sklearn; print(sklearn.__version__)"], capture_output=True, text=True).stdout.strip()
print(f"# Shallow baselines: ocbench against scikit-learn\n")
print(f"{dataset} normal class {k}, seed 1, the paper's protocol (OC-SVM: 2 nu x 10 gamma with a 10 % labelled test holdout, "
      f"the same holdout on both sides; KDE: 5-fold CV over 10 bandwidths; IF: 100 trees x 256 samples). "
      f"Time = fit + score in seconds, one thread each (OPENBLAS_NUM_THREADS=1). "
      f"Written by `tests/bench/compare_sklearn.sh` on {prov['cpu']} ({prov['hardware_threads']} threads), "
      f"ocbench {prov['git_commit'][:12]}, scikit-learn {sk}.\n")
print("| method | ocbench s | scikit-learn s | speed-up | ocbench AUC | scikit-learn AUC | Δ AUC |")
print("|---|---|---|---|---|---|---|")
for m in ["ocsvm", "kde", "isolation_forest"]:
    if m in ours and m in theirs:
        (to, ao, _), (ts, as_) = ours[m], theirs[m]
        print(f"| {m} | {to:.2f} | {ts:.2f} | {ts / to:.1f}x | {ao:.2f} | {as_:.2f} | {ao - as_:+.2f} |")
PY
cat results/performance/shallow.md
