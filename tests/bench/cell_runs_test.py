#!/usr/bin/env python3
"""cell_runs.py on hand-made records: one row per run (slow ones kept), the
fastest and median run, the count within the limit, equal AUCs and score
bytes said as such (all kept or only some), and a folder holding another cell refused by name."""
import json
import os
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
script = os.path.join(here, "cell_runs.py")


def run_folder(root, name, total, auc=0.88, cell="c1", scores=b"s"):
    folder = os.path.join(root, name)
    os.makedirs(os.path.join(folder, "records", "mnist", "x"))
    os.makedirs(os.path.join(folder, "scores"))
    r = {"status": "ok", "cell_id": cell, "label": "deep_svdd_one_class", "dataset": "mnist", "normal_class": 3,
         "seed": 1, "threads": 1, "started_at": "2026-01-01T10:00:00Z", "metrics": {"auc": auc},
         "scores_file": f"scores/{cell}.scores.gz", "provenance": {"git_commit": "abcdef0123", "cpu": "Test CPU"},
         "timing": {"total_s": total, "pretrain_s": total * 0.6, "train_s": total * 0.3},
         "training": {"pretraining": {"epoch_seconds": [0.3, 0.2, 0.25]}, "train": {"epoch_seconds": [0.1, 0.12]}}}
    json.dump(r, open(os.path.join(folder, "records", "mnist", "x", cell + ".json"), "w"))
    open(os.path.join(folder, r["scores_file"]), "wb").write(scores)
    return folder


def check(cond, what):
    if not cond:
        sys.exit(f"FAIL: {what}")


with tempfile.TemporaryDirectory() as tmp:
    folders = [run_folder(tmp, "1", 58.0), run_folder(tmp, "2", 75.0), run_folder(tmp, "3", 61.0)]
    out = os.path.join(tmp, "page.md")
    subprocess.run([sys.executable, script, out] + folders, check=True, capture_output=True)
    page = open(out).read()
    check(page.count("| `") == 3, "one row per run, the slow one included")
    check("Fastest run 58.0 s, median 61.0 s, slowest 75.0 s; 1 of 3 within 60 s." in page, "summary line:\n" + page)
    check("0.200 / 0.250" in page and "0.100 / 0.110" in page, "fastest / median epoch per phase")
    check("byte-identical" in page and "same AUC" in page, "equal AUCs and score bytes said")
    subprocess.run([sys.executable, script, out, "--limit", "80"] + folders, check=True, capture_output=True)
    check("3 of 3 within 80 s." in open(out).read(), "--limit")
    # A run whose AUC and scores differ is said to differ.
    odd = run_folder(tmp, "4", 59.0, auc=0.87, scores=b"t")
    subprocess.run([sys.executable, script, out] + folders + [odd], check=True, capture_output=True)
    page = open(out).read()
    check("2 different AUCs" in page and "(of 4 runs) have 2 different contents." in page, "differences said:\n" + page)
    # Score files kept for only some runs: equal ones are said to be equal, with how many were compared.
    os.remove(os.path.join(odd, "scores", "c1.scores.gz"))
    os.remove(os.path.join(folders[0], "scores", "c1.scores.gz"))
    subprocess.run([sys.executable, script, out] + folders + [odd], check=True, capture_output=True)
    page = open(out).read()
    check("the 2 score files kept on the machine that wrote this page (of 4 runs) are byte-identical." in page,
          "a partial set of equal score files said as such:\n" + page)
    # Another cell in the list is refused, naming the folder.
    other = run_folder(tmp, "5", 50.0, cell="c2")
    p = subprocess.run([sys.executable, script, out] + folders + [other], capture_output=True, text=True)
    check(p.returncode != 0 and other in p.stderr, "another cell refused by folder: " + p.stderr)
print("ok")
