#!/usr/bin/env python3
"""A full-schedule deep cell's time from a short timing run: reads the ok
records of FOLDER (a timing run with few epochs, e.g. CIFAR-10 at 10 + 10,
made by tests/bench/cifar10_cell.sh) and, from each record's measured
per-epoch seconds (training.<phase>.epoch_seconds), writes a Markdown page
with the time the same cell would take at AE_EPOCHS pretraining epochs and
EPOCHS training epochs: the run's time outside the epochs (data, centre,
scoring), plus each phase's median epoch times the schedule's epochs. Epoch
times do not grow over training (results/performance/epoch_drift.md), so the
median of a short run stands for the long one.

usage: tests/bench/cell_estimate.py FOLDER AE_EPOCHS EPOCHS > PAGE.md
"""
import glob
import json
import statistics
import sys


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.strip().splitlines()[-1])
    folder, ae_epochs, epochs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    recs = []
    for f in sorted(glob.glob(f"{folder}/records/**/*.json", recursive=True)):
        r = json.load(open(f))
        if r.get("status") == "ok" and "training" in r:
            recs.append((f, r))
    if not recs:
        sys.exit(f"{folder}: no ok record with per-epoch training times")
    print("# A paper-schedule deep cell on one core, from measured epochs\n")
    print(f"Written by `tests/bench/cell_estimate.py {folder} {ae_epochs} {epochs}` from the committed records of a "
          "short timing run (its own folder, not a table's records). Each phase's median epoch is multiplied by the "
          "schedule's epochs, and the run's time outside its epochs (loading and preparing the data, the centre, "
          "scoring) is added once.\n")
    print("| cell | CPU | commit | threads | pretraining epochs run | median s | training epochs run | median s | "
          "outside the epochs | estimate at the schedule |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for f, r in recs:
        tr, p = r["training"], r["provenance"]
        if r["method_report"].get("pretraining", {}).get("cached"):
            sys.exit(f"{f}: its pretraining came from the cache; the run must pretrain")
        ae, sv = tr["pretraining"]["epoch_seconds"], tr["train"]["epoch_seconds"]
        outside = r["timing"]["total_s"] - sum(ae) - sum(sv)
        est = outside + ae_epochs * statistics.median(ae) + epochs * statistics.median(sv)
        cell = f"{r['label']} on {r['dataset']} class {r['normal_class']} seed {r['seed']}"
        commit = p["git_commit"][:12] + (" (uncommitted changes)" if p.get("git_dirty") else "")
        print(f"| {cell} | {p['cpu']} | {commit} | {r['threads']} "
              f"| {len(ae)} | {statistics.median(ae):.2f} | {len(sv)} | {statistics.median(sv):.2f} | "
              f"{outside:.0f} s | {est / 3600:.2f} core-hours ({ae_epochs} + {epochs} epochs) |")


if __name__ == "__main__":
    main()
