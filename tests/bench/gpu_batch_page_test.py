#!/usr/bin/env python3
"""gpu_batch_page.py on hand-made records: GPU-seconds a cell from a run's
wall time, the throughput of batched against alone, AUC differences by cell
id, a missing Deep SVDD group of a seed taken at the slowest measured one,
the table's GPU-hours, and nvidia-smi's busy share."""
import json
import os
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))


def record(folder, cell, label, seed, secs, auc, start, end, device="cuda", k=None, epochs=None):
    os.makedirs(os.path.join(folder, "records", label), exist_ok=True)
    r = {"status": "ok", "cell_id": cell, "label": label, "seed": seed, "timing": {"total_s": secs},
         "started_at": start, "finished_at": end, "metrics": {"auc": auc}, "scores_file": f"scores/{cell}.gz",
         "provenance": {"git_commit": "abcdef0123456789", "git_dirty": False}, "device": device,
         "method_report": {"batched": {"train": k}} if k else {}, "dataset": "mnist"}
    if epochs:
        r["method_report"]["training"] = {phase: {"epoch_seconds": e} for phase, e in epochs.items()}
    json.dump(r, open(os.path.join(folder, "records", label, cell + ".json"), "w"))


def expect(text, needle):
    if needle not in text:
        sys.exit(f"expected {needle!r} in the page:\n{text}")


with tempfile.TemporaryDirectory() as tmp:
    b, a, cpu, full = (os.path.join(tmp, n) for n in ("batched", "alone", "cpu", "full"))
    # Batched: 4 cells in 100 s of wall time (two groups of K = 2, 60 s and 40 s).
    record(b, "c1", "dcae", 1, 60, 0.90, "2026-01-01T10:00:00Z", "2026-01-01T10:01:00Z", k=2)
    record(b, "c2", "dcae", 1, 60, 0.80, "2026-01-01T10:00:00Z", "2026-01-01T10:01:00Z", k=2)
    record(b, "c3", "svdd", 1, 40, 0.70, "2026-01-01T10:01:00Z", "2026-01-01T10:01:40Z", k=2)
    record(b, "c4", "svdd", 1, 40, 0.60, "2026-01-01T10:01:00Z", "2026-01-01T10:01:40Z", k=2)
    # Alone: 2 cells in 80 s of wall time, 40 GPU-seconds a cell: batched gives 1.6x the throughput.
    record(a, "c1", "dcae", 1, 50, 0.91, "2026-01-01T11:00:00Z", "2026-01-01T11:00:50Z")
    record(a, "c3", "svdd", 1, 30, 0.70, "2026-01-01T11:00:50Z", "2026-01-01T11:01:20Z")
    # CPU records of the same cells: AUC differences 2 and 4 points.
    record(cpu, "c1", "dcae", 1, 500, 0.92, "2026-01-01T09:00:00Z", "2026-01-01T09:10:00Z", device="cpu")
    record(cpu, "c3", "svdd", 1, 500, 0.66, "2026-01-01T09:00:00Z", "2026-01-01T09:10:00Z", device="cpu")
    # The full schedule: 4 seeds in the table, seed 3 batched with a pretraining group of 240 s and one of
    # the two Deep SVDD groups (60 s); the other is taken at 60 s: 6 minutes a seed, 0.4 GPU-hours.
    for c, seed in (("s1", 1), ("s2", 2), ("s4", 4)):
        record(full, c, "one", seed, 10, 0.5, "2026-01-01T08:00:00Z", "2026-01-01T08:00:10Z", device="cpu")
    record(full, "f1", "dcae", 3, 240, 0.5, "2026-01-01T12:00:00Z", "2026-01-01T12:04:00Z", k=10)
    record(full, "f2", "soft", 3, 60, 0.5, "2026-01-01T12:04:00Z", "2026-01-01T12:05:00Z", k=10)
    record(full, "f3", "one", 1, 70, 0.5, "2026-01-01T12:04:00Z", "2026-01-01T12:05:00Z")  # cuda, alone
    smi = os.path.join(tmp, "smi.csv")
    open(smi, "w").write("timestamp, utilization.gpu [%], memory.used [MiB], clocks.sm [MHz]\n"
                         "t, 0 %, 0 MiB, 345 MHz\nt, 90 %, 2048 MiB, 1980 MHz\nt, 96 %, 3072 MiB, 1980 MHz\n"
                         "t, 98 %, 1024 MiB, 1980 MHz\n")
    # The same four cells with K = 4: 80 s of wall time, 20 GPU-seconds a cell (1.25x the K = 2 run's 25).
    k4 = os.path.join(tmp, "k4")
    for c, label, secs in (("c1", "dcae", 48), ("c2", "dcae", 48), ("c3", "svdd", 32), ("c4", "svdd", 32)):
        record(k4, c, label, 1, secs, 0.5, "2026-01-01T13:00:00Z", "2026-01-01T13:01:20Z", k=4)
    out = os.path.join(tmp, "page.md")
    subprocess.run([sys.executable, os.path.join(here, "gpu_batch_page.py"), out, "--pair", b, a, "--cpu", cpu,
                    "--full", full, "--sizes", b, k4, "--smi", smi], check=True, stdout=subprocess.DEVNULL)
    page = open(out).read()
    expect(page, "Batched: 4 cells in 100 s of wall time, 25.0 GPU-seconds a cell")
    expect(page, "Alone: 2 cells in 80 s, 40.0 GPU-seconds a cell. Throughput: **1.60x**")
    expect(page, "| dcae | 2 | 2 | 60.0 s | 30.00 s | 50.00 s | 0.60x |")
    expect(page, "| svdd | 2 | 2 | 40.0 s | 20.00 s | 30.00 s | 0.67x |")
    expect(page, "Same cells batched and alone (same GPU): 2 cells, mean |ΔAUC| 0.50 points, largest 1.00")
    expect(page, "made on the CPU: 2 cells, mean |ΔAUC| 3.00 points, largest 4.00")
    expect(page, "| 3 | 240 s (K = 10) | ≈60 s (not measured: the slowest Deep SVDD group) | 60 s (K = 10) | 6.0 min |")
    expect(page, "the table's 4 seeds of these 3 deep columns take **0.40 GPU-hours**")
    expect(page, "(3 samples): utilization median 96 %, lowest 90 %")
    expect(page, "at most 3.0 GiB of memory")
    expect(page, "| `batched` | 4 | 2 | 25.00 (1.00x the first) | 30.00 s | 20.00 s |")
    expect(page, "| `k4` | 4 | 4 | 20.00 (1.25x the first) | 12.00 s | 8.00 s |")
    # Against the reference: its epochs (2.0 s and 1.0 s) against the one-class cells' median epochs,
    # alone (0.5 and 0.25 s: 4.0x) and batched over K = 2 (0.6 / 2 and 0.4 / 2 s: 6.7x and 5.0x).
    b2, a2, ref = os.path.join(tmp, "b2"), os.path.join(tmp, "a2"), os.path.join(tmp, "reference_mnist.json")
    for c in ("o1", "o2"):
        record(b2, c, "deep_svdd_one_class", 1, 9, 0.5, "2026-01-01T14:00:00Z", "2026-01-01T14:00:10Z", k=2,
               epochs={"pretraining": [0.6, 0.6, 0.9], "train": [0.4, 0.4, 0.1]})
    record(a2, "o1", "deep_svdd_one_class", 1, 9, 0.5, "2026-01-01T15:00:00Z", "2026-01-01T15:00:10Z",
           epochs={"pretraining": [0.5, 0.5, 0.6], "train": [0.25, 0.25, 0.3]})
    json.dump({"torch": "2.11", "device": "Test GPU", "dataset": "mnist", "normal_class": 3, "epochs": 3,
               "ae_epoch_s": 2.0, "svdd_epoch_s": 1.0}, open(ref, "w"))
    subprocess.run([sys.executable, os.path.join(here, "gpu_batch_page.py"), out, "--pair", b2, a2, "--reference", ref],
                   check=True, stdout=subprocess.DEVNULL)
    page = open(out).read()
    expect(page, "| mnist | pretraining | 2.0000 s | 0.5000 s | 4.0x | 0.3000 s | 6.7x |")
    expect(page, "| mnist | train | 1.0000 s | 0.2500 s | 4.0x | 0.2000 s | 5.0x |")
    expect(page, "the reference on Test GPU, torch 2.11, mnist class 3, median of 3 epochs")

    # Bad arguments name what was wrong.
    bad = subprocess.run([sys.executable, os.path.join(here, "gpu_batch_page.py"), out, "--pair", b, a, "--bogus"],
                         capture_output=True, text=True)
    if bad.returncode == 0 or "--bogus" not in bad.stderr:
        sys.exit(f"an unknown argument should fail naming it: {bad.returncode} {bad.stderr}")
print("gpu_batch_page.py: ok")
