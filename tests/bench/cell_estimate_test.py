#!/usr/bin/env python3
"""cell_estimate.py on hand-made records: the estimate is the time outside
the epochs plus each phase's median epoch times the schedule's epochs; a
failed record is left out; a record whose pretraining came from the cache,
or a folder without records, is an error naming the cause. With a
bench.json beside the records, the page adds the schedule's arithmetic (every
tap and inside the image), the rate reached and what the target needs of the
peak; a bench.json without a peak or with two networks' steps is refused.
With --measured, the CPU cells of a table's folder that ran the whole
schedule with their own pretraining are listed as measured (not a GPU cell,
not one with its pretraining from the cache, not a shorter schedule)."""
import json
import os
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
script = os.path.join(here, "cell_estimate.py")


def record(folder, name, status="ok", cached=False, device="cpu"):
    os.makedirs(os.path.join(folder, "records", "one_class"), exist_ok=True)
    r = {"status": status, "label": "one_class", "dataset": "cifar10", "normal_class": 5, "seed": 1, "threads": 1,
         "device": device,
         # epochs 4, 2, 3 (median 3) and 1, 2, 1 (median 1); 18 s in all, so 5 s outside the epochs
         "training": {"pretraining": {"epoch_seconds": [4.0, 2.0, 3.0]}, "train": {"epoch_seconds": [1.0, 2.0, 1.0]}},
         "timing": {"total_s": 18.0}, "data": {"n_train": 1000}, "method_report": {"pretraining": {"cached": cached}},
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
    # The arithmetic: 1000 images are 5 steps of 200. Autoencoder steps of 40
    # GFLOP (100 ms at 400 GFLOP/s), half inside the image; encoder steps of
    # 20 GFLOP, 3/4 inside.
    cases = [
        {"name": "peak_fma/0", "label": "peak avx512 (16 lanes)", "cpu_time": 1.0, "GFLOP/s": 100e9},
        {"name": "peak_fma/1", "label": "peak avx2 (8 lanes)", "cpu_time": 1.0, "GFLOP/s": 60e9},
        {"name": "train_step/x_autoencoder/0", "label": "x_lenet autoencoder native", "cpu_time": 100.0,
         "GFLOP/s": 400e9, "inside": 0.5},
        {"name": "train_step/x_autoencoder/1", "label": "x_lenet autoencoder torch", "cpu_time": 300.0,
         "GFLOP/s": 133e9, "inside": 0.5},
        {"name": "train_step/x_encoder/0", "label": "x_lenet encoder native", "cpu_time": 50.0, "GFLOP/s": 400e9,
         "inside": 0.75},
    ]
    json.dump({"benchmarks": cases}, open(os.path.join(run, "bench.json"), "w"))
    out = subprocess.run([sys.executable, script, run, "350", "150", "0.25"], capture_output=True, text=True,
                         check=True).stdout
    lines = out.splitlines()
    # 40 x 5 x 350 = 70 TFLOP (35 inside); 20 x 5 x 150 = 15 (11.25 inside)
    for want in ["| pretraining (autoencoder) | 40.00 | 20.00 | 100 | 350 | 70 | 35 |",
                 "| training (encoder) | 20.00 | 15.00 | 50 | 150 | 15 | 11 |"]:
        if want not in lines:
            fail("no arithmetic row " + want, out)
    # 85 TFLOP in the estimate's 1200 s of epochs: 71 GFLOP/s (71 % of 100),
    # 46.25 inside: 39 GFLOP/s; 0.25 h less 5 s outside is 895 s: 52 GFLOP/s
    # inside (52 %), 95 % counting every tap.
    for want in ["run 71 GFLOP/s counting every tap (71 % of the peak)", "39 GFLOP/s of the taps inside (39 %)",
                 "A cell of 0.25 hours", "needs 52 GFLOP/s inside the image (52 % of the peak; 95 % counting every tap)"]:
        if want not in out:
            fail("the arithmetic's summary lacks: " + want, out)
    json.dump({"benchmarks": cases + [dict(cases[2], label="y_lenet autoencoder native")]},
              open(os.path.join(run, "bench.json"), "w"))
    p = subprocess.run([sys.executable, script, run, "350", "150"], capture_output=True, text=True)
    if p.returncode == 0 or "one network" not in p.stderr:
        fail("two networks' steps were not refused", p.stdout + p.stderr)
    json.dump({"benchmarks": cases[2:]}, open(os.path.join(run, "bench.json"), "w"))
    p = subprocess.run([sys.executable, script, run, "350", "150"], capture_output=True, text=True)
    if p.returncode == 0 or "no peak_fma" not in p.stderr:
        fail("a benchmark without the peak was not refused", p.stdout + p.stderr)
    os.remove(os.path.join(run, "bench.json"))
    record(run, "c", cached=True)
    p = subprocess.run([sys.executable, script, run, "350", "150"], capture_output=True, text=True)
    if p.returncode == 0 or "from the cache" not in p.stderr:
        fail("a cached pretraining was not refused", p.stdout + p.stderr)
    p = subprocess.run([sys.executable, script, os.path.join(tmp, "empty"), "350", "150"], capture_output=True, text=True)
    if p.returncode == 0 or "no ok record" not in p.stderr:
        fail("an empty folder was not refused", p.stdout + p.stderr)
    # Measured to the end: a table folder with a CPU cell of the schedule
    # (here 3 + 3 epochs, 18 s), a GPU one, one with a cached pretraining and
    # a failed one; only the first is listed.
    run = os.path.join(tmp, "run2")
    record(run, "a")
    table = os.path.join(tmp, "table")
    record(table, "cpu")
    record(table, "gpu", device="cuda")
    record(table, "cached", cached=True)
    record(table, "failed", status="failed")
    out = subprocess.run([sys.executable, script, run, "3", "3", "0.01", "--measured", table], capture_output=True,
                         text=True, check=True).stdout
    want = ("| one_class on cifar10 class 5 seed 1 | Test CPU | abcdef012345 | 1 | 0.00 h | 3.00 s | 0.00 h | 1.00 s | "
            "0.01 core-hours | 0.50x |")
    if want not in out.splitlines():
        fail("no measured row " + want, out)
    if out.count("| one_class on") != 1 + 1:  # the estimate's row and one measured row
        fail("a GPU, cached or failed record was listed as measured", out)
    out = subprocess.run([sys.executable, script, run, "350", "150", "--measured", table], capture_output=True,
                         text=True, check=True).stdout
    if "No record there of a cell that ran 350 + 150 epochs" not in out:
        fail("a shorter schedule was listed as measured", out)
    p = subprocess.run([sys.executable, script, run, "350", "150", "--measured", os.path.join(tmp, "nowhere")],
                       capture_output=True, text=True)
    if p.returncode == 0 or "no records folder" not in p.stderr:
        fail("a missing results folder was not refused", p.stdout + p.stderr)
print("cell_estimate.py extrapolates from the median epochs")
