#!/usr/bin/env bash
# Reruns experiments/ci/reproduce.toml from scratch and compares every cell
# with its committed record in results/reproduce/: the same numerics
# signature, the same AUC, and the same scores byte for byte (the decompressed
# test samples, and the training scores where both files keep them). With --update, regenerates the committed records
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
import gzip, hashlib, json, pathlib, sys
committed, fresh = map(pathlib.Path, sys.argv[1:])
def cells(root):
    out = {}
    for f in (root / "records").rglob("*.json"):
        r = json.loads(f.read_text())
        out[r["cell_id"]] = r
    return out
def split(raw):
    """(test block, training block or None) of a decompressed score file."""
    head = len(b"ocbench-scores-v1\n")
    n = int.from_bytes(raw[head:head + 8], "little")
    end = head + 8 + 9 * n
    return raw[head:end], (raw[end:] if raw.startswith(b"ocbench-scores-v2\n") else None)
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
    a = split(gzip.decompress((committed / r["scores_file"]).read_bytes()))
    raw = gzip.decompress((fresh / n["scores_file"]).read_bytes())
    b = split(raw)
    # The record's SHA-256 is the file's, and where the committed record has one, the same.
    if n.get("scores_sha256") != hashlib.sha256(raw).hexdigest():
        bad.append(f"{what}: the record's scores_sha256 is not its score file's")
        continue
    if r.get("scores_sha256") and r["scores_sha256"] != n["scores_sha256"]:
        bad.append(f"{what}: scores_sha256 {n['scores_sha256']}, committed {r['scores_sha256']}")
        continue
    # The test scores always; the training scores where both files keep them
    # (files written before v2 have none).
    if a[0] != b[0] or (a[1] is not None and b[1] is not None and a[1] != b[1]) or n["metrics"]["auc"] != r["metrics"]["auc"]:
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
