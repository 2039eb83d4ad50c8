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

When FOLDER holds bench.json (Google Benchmark's JSON of `ocb_bench`'s
peak_fma and train_step cases for the cell's network, made in the same run),
the page also says what the schedule's arithmetic is (each step's FLOPs,
counted with every tap of every 5x5 window and with only the taps inside the
image, times the steps of each epoch), the rate the measured cell reached,
and what a cell of TARGET_HOURS (default 1.5, the speed issue's) would need
of the core's measured peak.

With --measured RESULTS (a table's results folder, repeatable), the page
also lists the cells there that ran the whole schedule on the CPU with their
own pretraining (none from the cache): what such a cell took, measured to
the end, from its record's timing, beside the estimate.

usage: tests/bench/cell_estimate.py FOLDER AE_EPOCHS EPOCHS [TARGET_HOURS] [--measured RESULTS]... > PAGE.md
"""
import argparse
import glob
import json
import os
import statistics
import sys

BATCH = 200  # the paper's and the cell's batch size


def main():
    ap = argparse.ArgumentParser(usage=__doc__.strip().splitlines()[-1].replace("usage: ", ""))
    ap.add_argument("folder")
    ap.add_argument("ae_epochs", type=int)
    ap.add_argument("epochs", type=int)
    ap.add_argument("target_hours", type=float, nargs="?", default=1.5)
    ap.add_argument("--measured", action="append", default=[], metavar="RESULTS")
    a = ap.parse_args()
    folder, ae_epochs, epochs, target_h = a.folder, a.ae_epochs, a.epochs, a.target_hours
    recs = []
    for f in sorted(glob.glob(f"{folder}/records/**/*.json", recursive=True)):
        r = json.load(open(f))
        if r.get("status") == "ok" and "training" in r:
            recs.append((f, r))
    if not recs:
        sys.exit(f"{folder}: no ok record with per-epoch training times")
    print("# A paper-schedule deep cell on one core, from measured epochs\n")
    args = " ".join(sys.argv[1:])
    print(f"Written by `tests/bench/cell_estimate.py {args}` from the committed records of a "
          "short timing run (its own folder, not a table's records). Each phase's median epoch is multiplied by the "
          "schedule's epochs, and the run's time outside its epochs (loading and preparing the data, the centre, "
          "scoring) is added once.\n")
    print("| cell | CPU | commit | threads | pretraining epochs run | median s | training epochs run | median s | "
          "outside the epochs | estimate at the schedule |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    estimates = []
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
        estimates.append((r, outside, est))
    bench = os.path.join(folder, "bench.json")
    if os.path.exists(bench):
        arithmetic(bench, estimates, ae_epochs, epochs, target_h)
    for results in a.measured:
        measured(results, ae_epochs, epochs, target_h)


def measured(results, ae_epochs, epochs, target_h):
    """The cells of a results folder (a table's, or a whole-schedule timing run's) that ran the whole schedule on the CPU
    with their own pretraining, as their records timed them."""
    if not os.path.isdir(os.path.join(results, "records")):
        sys.exit(f"{results}: no records folder")
    rows = []
    for f in sorted(glob.glob(f"{results}/records/**/*.json", recursive=True)):
        try:
            r = json.load(open(f))
        except (OSError, ValueError) as e:
            sys.exit(f"{f}: not a JSON record ({e})")
        tr = r.get("training", {})
        if (r.get("status") != "ok" or r.get("device") != "cpu" or
                r.get("method_report", {}).get("pretraining", {}).get("cached", True)):
            continue
        ae = tr.get("pretraining", {}).get("epoch_seconds", [])
        sv = tr.get("train", {}).get("epoch_seconds", [])
        if len(ae) != ae_epochs or len(sv) != epochs:
            continue
        rows.append((f, r, ae, sv))
    print(f"\n## Measured to the end: `{results}`\n")
    if not rows:
        print(f"No record there of a cell that ran {ae_epochs} + {epochs} epochs on the CPU with its own pretraining.")
        return
    print(f"The cells of that folder that ran the whole schedule ({ae_epochs} + {epochs} epochs) on the CPU and "
          "pretrained their own autoencoder (a cell whose pretraining came from the cache is left out), from their "
          "records' `timing` and per-epoch seconds: wall time, and the records do not say what else the machine "
          "ran meanwhile.\n")
    print("| cell | CPU | commit | threads | pretraining | median epoch | training | median epoch | cell | "
          f"against {target_h:g} hours |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for f, r, ae, sv in rows:
        p = r["provenance"]
        cell = f"{r['label']} on {r['dataset']} class {r['normal_class']} seed {r['seed']}"
        commit = p["git_commit"][:12] + (" (uncommitted changes)" if p.get("git_dirty") else "")
        total = r["timing"]["total_s"]
        print(f"| {cell} | {p['cpu']} | {commit} | {r['threads']} | {sum(ae) / 3600:.2f} h | "
              f"{statistics.median(ae):.2f} s | {sum(sv) / 3600:.2f} h | {statistics.median(sv):.2f} s | "
              f"{total / 3600:.2f} core-hours | {total / 3600 / target_h:.2f}x |")


def arithmetic(path, estimates, ae_epochs, epochs, target_h):
    """The schedule's FLOPs from the benchmark's train_step cases, against the
    measured estimate and the target."""
    try:
        cases = [b for b in json.load(open(path))["benchmarks"] if not b.get("error_occurred")]
    except (OSError, ValueError, KeyError) as e:
        sys.exit(f"{path}: not Google Benchmark JSON ({e})")
    peaks = [b["GFLOP/s"] / 1e9 for b in cases if b["name"].startswith("peak_fma")]
    if not peaks:
        sys.exit(f"{path}: no peak_fma case")
    peak = max(peaks)
    # The cell's network is the one whose steps the benchmark ran (the
    # script that made bench.json picks them).
    steps, archs = {}, set()
    for b in cases:
        label = b.get("label", "").split(" ")
        if b["name"].startswith("train_step/") and label[-1] == "native":
            archs.add(label[0])
            steps[label[1]] = b
    if len(archs) != 1 or set(steps) != {"autoencoder", "encoder"}:
        sys.exit(f"{path}: needs the native train_step cases of one network's autoencoder and encoder "
                 f"(has {sorted(archs) or 'none'}: {sorted(steps)})")
    arch = archs.pop()
    for r, outside, est in estimates:
        n_steps = -(-r["data"]["n_train"] // BATCH)
        print(f"\nThe arithmetic of this cell at the schedule, from `ocb_bench`'s `train_step` cases of `{arch}` "
              f"(one step of batch {BATCH}: the forward pass, every weight gradient, every input gradient but the "
              f"image's) and its {r['data']['n_train']} training images ({n_steps} steps an epoch), with the core's "
              f"peak measured in the same run (`peak_fma`: {peak:.0f} GFLOP/s). \"Every tap\" counts every tap of "
              "every 5x5 window, as the benchmarks' rates do; \"inside\" only those that land inside the image, "
              "not on its zero padding: what a convolution that skipped the padding would have to do.\n")
        print("| phase | GFLOP a step, every tap | inside | benchmark: ms a step | epochs | TFLOP, every tap | "
              "TFLOP inside |")
        print("|---|---|---|---|---|---|---|")
        total = total_in = 0.0
        for name, kind, n in [("pretraining (autoencoder)", "autoencoder", ae_epochs),
                              ("training (encoder)", "encoder", epochs)]:
            b = steps[kind]
            gflop = b["GFLOP/s"] / 1e9 * b["cpu_time"] / 1e3
            inside = gflop * b["inside"]
            total += gflop * n_steps * n / 1e3
            total_in += inside * n_steps * n / 1e3
            print(f"| {name} | {gflop:.2f} | {inside:.2f} | {b['cpu_time']:.0f} | {n} | "
                  f"{gflop * n_steps * n / 1e3:.0f} | {inside * n_steps * n / 1e3:.0f} |")
        epochs_s = est - outside
        target_s = target_h * 3600 - outside
        print(f"\nThe estimate's {epochs_s / 3600:.2f} hours of epochs run {1e3 * total / epochs_s:.0f} GFLOP/s "
              f"counting every tap ({100e3 * total / epochs_s / peak:.0f} % of the peak) and "
              f"{1e3 * total_in / epochs_s:.0f} GFLOP/s of the taps inside ({100e3 * total_in / epochs_s / peak:.0f} %). "
              f"A cell of {target_h:g} hours, with the same {outside:.0f} s outside the epochs, needs "
              f"{1e3 * total_in / target_s:.0f} GFLOP/s inside the image ({100e3 * total_in / target_s / peak:.0f} % "
              f"of the peak; {100e3 * total / target_s / peak:.0f} % counting every tap).")


if __name__ == "__main__":
    main()
