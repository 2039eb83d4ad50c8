#!/usr/bin/env python3
"""table_time.py on hand-made records: core-hours are the summed cell times,
wall runs from the first start to the last end, failed records are left out,
and --same-as counts equal AUCs and byte-identical score files (one of each
kind of mismatch planted); cells that took shared results are counted by what
they took."""
import json
import os
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))


def record(folder, cell, label, secs, auc, start, end, status="ok", scores=b"", device="cpu", batched=None, shared=None):
    os.makedirs(os.path.join(folder, "records", label), exist_ok=True)
    r = {"status": status, "cell_id": cell, "label": label, "timing": {"total_s": secs}, "started_at": start,
         "finished_at": end, "metrics": {"auc": auc}, "scores_file": f"scores/{cell}.scores.gz", "threads": 1,
         "numerics": {"signature": "v1 test"}, "provenance": {"git_commit": "abcdef0123456789", "cpu": "Test CPU"},
         "device": device, "method_report": {"batched": batched} if batched else {}}
    if shared is not None:
        r["method_report"]["shared"] = shared
    json.dump(r, open(os.path.join(folder, "records", label, cell + ".json"), "w"))
    if scores:
        os.makedirs(os.path.join(folder, "scores"), exist_ok=True)
        open(os.path.join(folder, r["scores_file"]), "wb").write(scores)


with tempfile.TemporaryDirectory() as tmp:
    run, table = os.path.join(tmp, "run"), os.path.join(tmp, "table")
    record(run, "a", "kde", 1800, 0.9, "2026-01-01T10:00:00Z", "2026-01-01T10:30:00Z", scores=b"x")
    record(run, "b", "kde", 600, 0.8, "2026-01-01T10:00:00Z", "2026-01-01T10:10:00Z", scores=b"y",
           shared={"search": True, "scores": 2})
    record(run, "c", "ocsvm", 3600, 0.7, "2026-01-01T10:30:00Z", "2026-01-01T11:30:00Z",
           shared={"grid": False, "train_distances": True})
    record(run, "d", "ocsvm", 99999, 0.5, "2026-01-01T09:00:00Z", "2026-01-01T12:00:00Z", status="failed")
    record(table, "a", "kde", 1, 0.9, "2025-01-01T10:00:00Z", "2025-01-01T10:00:01Z", scores=b"x")
    record(table, "b", "kde", 1, 0.8, "2025-01-01T10:00:00Z", "2025-01-01T10:00:01Z", scores=b"z")
    record(table, "c", "ocsvm", 1, 0.70000001, "2025-01-01T10:00:00Z", "2025-01-01T10:00:01Z")
    out = os.path.join(tmp, "t.md")
    subprocess.run([sys.executable, os.path.join(here, "table_time.py"), out, "--same-as", table, run], check=True,
                   capture_output=True)
    page = open(out).read()
expect = [
    "| kde | 2 | 0.667 | 1200.0 s | 1800.0 s |",
    "| ocsvm | 1 | 1.000 | 3600.0 s | 3600.0 s |",
    "| **all** | 3 | 1.667 | | |",
    "Wall time 90.0 min for 1.667 core-hours",
    "3 of 3 cells have a record there; 2 of them the same AUC to the last bit.",
    "both (on the machine that wrote this page): 2, byte-identical: 1.",
    "numerics `v1 test`",
    "2 cells took results that an earlier cell of the same run had computed from the same bytes "
    "(`method_report.shared`: kde scores 1, kde search 1, ocsvm train distances 1)",
]
missing = [e for e in expect if e not in page]
if "GPU" in page or "as one network" in page:
    missing.append("(no GPU or batched sentence for CPU records made alone)")
# A GPU run with batched cells: GPU-hours are the wall time.
with tempfile.TemporaryDirectory() as tmp:
    gpu = os.path.join(tmp, "gpu")
    record(gpu, "e", "dcae", 300, 0.6, "2026-01-01T10:00:00Z", "2026-01-01T10:05:00Z", device="cuda",
           batched={"pretrain": 10})
    record(gpu, "f", "deep_svdd_soft", 400, 0.6, "2026-01-01T10:00:00Z", "2026-01-01T10:45:00Z", device="cuda",
           batched={"pretrain": 10, "train": 20})
    record(gpu, "g", "deep_svdd_soft", 10, 0.6, "2026-01-01T10:00:00Z", "2026-01-01T10:01:00Z", device="cuda")
    out = os.path.join(tmp, "g.md")
    subprocess.run([sys.executable, os.path.join(here, "table_time.py"), out, gpu], check=True, capture_output=True)
    gpu_page = open(out).read()
if "earlier cell" in gpu_page:
    missing.append("(no sentence on shared results where no record took any)")
for e in ["3 of 3 cells ran on a GPU (`--device cuda`): 0.750 GPU-hours",
          "2 cells trained with others as one network (`--batch`, groups of up to 20)"]:
    if e not in gpu_page:
        missing.append(e)
if missing:
    sys.exit("missing from the pages:\n" + "\n".join(missing) + "\n--- page:\n" + page + "\n--- GPU page:\n" + gpu_page)
print("ok")
