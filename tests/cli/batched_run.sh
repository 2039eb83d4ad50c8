#!/usr/bin/env bash
# `ocbench run --batch 3` against a plain run of the same experiment, each into
# a fresh results folder and cache: the three classes' autoencoders must have
# pretrained as one network, and so must their soft-boundary Deep SVDDs (the
# records say so), and every record's AUC and score file must be the plain
# run's, byte for byte.
source "$(dirname "$0")/prelude.sh"

"$ocbench" run "$here/batched.toml" --results-dir "$work/alone" --cache-dir "$work/cache-alone" --no-download > "$work/log1" 2>&1 \
  || { echo "FAIL: the plain run failed"; cat "$work/log1"; exit 1; }
"$ocbench" run "$here/batched.toml" --results-dir "$work/together" --cache-dir "$work/cache-together" --no-download --batch 3 \
  > "$work/log2" 2>&1 || { echo "FAIL: the batched run failed"; cat "$work/log2"; exit 1; }

grep -q "note: --batch 3 on the CPU" "$work/log2" || { echo "FAIL: no note that --batch gains nothing on the CPU"; cat "$work/log2"; exit 1; }

python3 - "$work/alone" "$work/together" <<'PY'
import json, pathlib, sys
alone, together = map(pathlib.Path, sys.argv[1:])
records = sorted((alone / "records").rglob("*.json"))
assert len(records) == 6, f"expected 6 records, got {len(records)}"
for a in records:
    rel = a.relative_to(alone)
    b = together / rel
    ra, rb = json.loads(a.read_text()), json.loads(b.read_text())
    assert ra["status"] == rb["status"] == "ok", rel
    batched = rb["method_report"].get("batched", {})
    if rb["label"] == "deep_svdd_soft":
        # The autoencoders were pretrained by whichever cell of the class came first.
        assert batched.get("train") == 3, f"{rel}: batched {batched}, expected train 3"
    pre = rb["method_report"]["pretraining"]
    if not pre["cached"]:
        assert batched.get("pretrain") == 3, f"{rel}: batched {batched}, expected pretrain 3"
    assert "batched" not in ra["method_report"], f"{rel}: the plain run says it batched"
    assert ra["metrics"]["auc"] == rb["metrics"]["auc"], f"{rel}: AUC {ra['metrics']['auc']} alone, {rb['metrics']['auc']} batched"
    sa, sb = alone / ra["scores_file"], together / rb["scores_file"]
    assert sa.read_bytes() == sb.read_bytes(), f"{rel}: score files differ"
print(f"batched run: {len(records)} records, each the plain run's byte for byte")
PY
