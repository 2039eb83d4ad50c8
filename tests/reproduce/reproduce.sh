#!/usr/bin/env bash
# Reruns experiments/ci/reproduce.toml from scratch and compares every cell
# with its committed record in results/reproduce/: the same numerics
# signature, the same AUC, and the same score file byte for byte (the
# decompressed samples). With --update, regenerates the committed records
# instead (after an intended change, with the method's numerics_version bumped).
#   tests/reproduce/reproduce.sh OCBENCH [--update]
source "$(dirname "$0")/../cli/prelude.sh"
src=$(cd "$here/../.." && pwd)
exp=$src/experiments/ci/reproduce.toml
committed=$src/results/reproduce
if [ "${2:-}" = "--update" ]; then
  rm -rf "$committed/records" "$committed/scores"
  "$ocbench" run "$exp" --results-dir "$committed" --cache-dir "$work/cache" --jobs 2 --no-download
  (cd "$src" && "$ocbench" table "$exp" --results-dir "$committed" --write > /dev/null)
  echo "regenerated $committed"
  exit 0
fi
"$ocbench" run "$exp" --results-dir "$work/r" --cache-dir "$work/cache" --jobs 2 --no-download > "$work/log" 2>&1 \
  || { cat "$work/log"; exit 1; }
python3 - "$committed" "$work/r" <<'PY'
import gzip, json, pathlib, sys
committed, fresh = map(pathlib.Path, sys.argv[1:])
def cells(root):
    out = {}
    for f in (root / "records").rglob("*.json"):
        r = json.loads(f.read_text())
        out[r["cell_id"]] = r
    return out
old, new = cells(committed), cells(fresh)
if not old:
    sys.exit(f"FAIL: no committed records in {committed} (tests/reproduce/reproduce.sh OCBENCH --update makes them)")
bad = []
for cid, r in sorted(old.items(), key=lambda kv: (kv[1]["dataset"], kv[1]["label"])):
    what = f"{r['label']} on {r['dataset']} class {r['normal_class']} seed {r['seed']}"
    n = new.get(cid)
    if n is None:
        bad.append(f"{what}: not rerun (cell id {cid} changed?)")
        continue
    if n["numerics"]["signature"] != r["numerics"]["signature"]:
        bad.append(f"{what}: numerics {n['numerics']['signature']!r}, committed {r['numerics']['signature']!r}")
        continue
    a = gzip.decompress((committed / r["scores_file"]).read_bytes())
    b = gzip.decompress((fresh / n["scores_file"]).read_bytes())
    if a != b or n["metrics"]["auc"] != r["metrics"]["auc"]:
        bad.append(f"{what}: scores differ (AUC {n['metrics']['auc']!r}, committed {r['metrics']['auc']!r})")
    else:
        print(f"  same bytes: {what} (AUC {r['metrics']['auc']:.6f}, {r['numerics']['signature']})")
print(f"{len(old) - len(bad)} of {len(old)} committed cells reproduced byte for byte")
if bad:
    print("FAIL:\n  " + "\n  ".join(bad))
    print("An intended change of numerics: bump the method's numerics_version, then regenerate with "
          "tests/reproduce/reproduce.sh OCBENCH --update and commit results/reproduce/.")
    sys.exit(1)
PY
