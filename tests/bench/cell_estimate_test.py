#!/usr/bin/env python3
"""cell_estimate.py on hand-made records: the estimate is the time outside
the epochs plus each phase's median epoch times the schedule's epochs; a
failed record is left out; a record whose pretraining came from the cache,
or a folder without records, is an error naming the cause."""
import json
import os
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
script = os.path.join(here, "cell_estimate.py")


def record(folder, name, status="ok", cached=False):
    os.makedirs(os.path.join(folder, "records", "one_class"), exist_ok=True)
    r = {"status": status, "label": "one_class", "dataset": "cifar10", "normal_class": 5, "seed": 1, "threads": 1,
         # epochs 4, 2, 3 (median 3) and 1, 2, 1 (median 1); 18 s in all, so 5 s outside the epochs
         "training": {"pretraining": {"epoch_seconds": [4.0, 2.0, 3.0]}, "train": {"epoch_seconds": [1.0, 2.0, 1.0]}},
         "timing": {"total_s": 18.0}, "method_report": {"pretraining": {"cached": cached}},
         "provenance": {"git_commit": "abcdef0123456789", "git_dirty": False, "cpu": "Test CPU"}}
    json.dump(r, open(os.path.join(folder, "records", "one_class", name + ".json"), "w"))


def fail(msg, out=""):
    print("FAIL:", msg)
    print(out)
    sys.exit(1)


with tempfile.TemporaryDirectory() as tmp:
    run = os.path.join(tmp, "run")
    record(run, "a")
    record(run, "b", status="failed")
    out = subprocess.run([sys.executable, script, run, "350", "150"], capture_output=True, text=True, check=True).stdout
    # 5 + 350 x 3 + 150 x 1 = 1205 s = 0.33 core-hours
    row = "| one_class on cifar10 class 5 seed 1 | Test CPU | abcdef012345 | 1 | 3 | 3.00 | 3 | 1.00 | 5 s | 0.33 core-hours (350 + 150 epochs) |"
    if row not in out.splitlines():
        fail("not the expected estimate row", out)
    if out.count("| one_class on") != 1:
        fail("the failed record was counted", out)
    record(run, "c", cached=True)
    p = subprocess.run([sys.executable, script, run, "350", "150"], capture_output=True, text=True)
    if p.returncode == 0 or "from the cache" not in p.stderr:
        fail("a cached pretraining was not refused", p.stdout + p.stderr)
    p = subprocess.run([sys.executable, script, os.path.join(tmp, "empty"), "350", "150"], capture_output=True, text=True)
    if p.returncode == 0 or "no ok record" not in p.stderr:
        fail("an empty folder was not refused", p.stdout + p.stderr)
print("cell_estimate.py extrapolates from the median epochs")
