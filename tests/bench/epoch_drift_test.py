#!/usr/bin/env python3
"""epoch_drift.py on hand-made records: a table's records one row per label
and phase, a timing study's runs (performance/<study>/<run>) one row for the
study, curves under 40 epochs and failed records left out, and the ratio of
the last ten epochs to the first ten."""
import json
import os
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
script = os.path.join(here, "epoch_drift.py")


def record(folder, cell, first, last, epochs=40, status="ok"):
    os.makedirs(os.path.join(folder, "records", "mnist", "x"), exist_ok=True)
    secs = [first] * 10 + [1.0] * (epochs - 20) + [last] * 10
    r = {"status": status, "label": "deep_svdd_one_class", "training": {"train": {"epoch_seconds": secs}}}
    json.dump(r, open(os.path.join(folder, "records", "mnist", "x", cell + ".json"), "w"))


def check(cond, what):
    if not cond:
        sys.exit(f"FAIL: {what}")


with tempfile.TemporaryDirectory() as root:
    record(os.path.join(root, "table1_mnist"), "a", 1.0, 2.0)
    record(os.path.join(root, "table1_mnist"), "b", 1.0, 1.0)
    record(os.path.join(root, "table1_mnist"), "short", 1.0, 9.0, epochs=30)       # under 40 epochs: left out
    record(os.path.join(root, "table1_mnist"), "failed", 1.0, 9.0, status="failed")  # left out
    for run in ("1", "2", "3"):
        record(os.path.join(root, "performance", "mnist_cell", run), "c", 2.0, 1.0)
    subprocess.run([sys.executable, script, root], check=True, capture_output=True)
    page = open(os.path.join(root, "performance", "epoch_drift.md")).read()
    rows = [l for l in page.splitlines() if l.startswith("| ") and not l.startswith("| results") and "---" not in l]
    check(len(rows) == 2, "one row for the table's label and phase, one for the study:\n" + page)
    check("| table1_mnist | deep_svdd_one_class | training/train | 40 | 2 | 1.50 | 1.00 | 2.00 |" in rows, "table row:\n" + page)
    check("| performance/mnist_cell | deep_svdd_one_class | training/train | 40 | 3 | 0.50 | 0.50 | 0.50 |" in rows,
          "the study's runs as one row:\n" + page)
    check("All 5 training curves: median ratio 0.50, 1 above 1.5, 3 below 1/1.5." in page, "summary:\n" + page)
print("ok")
