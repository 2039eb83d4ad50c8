#!/usr/bin/env python3
"""What `run --batch K` buys on a GPU: reads the records of batched and
alone timing runs made on one GPU (tests/bench/gpu_device.sh) and writes a
Markdown page.

- Batched against alone: for each pair of folders, the GPU seconds a cell
  costs (the run's wall time, first start to last end, over its cells) in
  each, and the throughput gained; per method label, the group's time as
  its records give it (cells trained together each record their group's
  time) and the time of the cell alone.
- Scores: each cell found in both folders of a pair (same cell id), and
  with --cpu TABLE, each batched cell found in that table's CPU records:
  the AUC differences.
- With --full TABLE: the table's batched GPU records (the paper's schedule),
  per seed and label the group's time, and what the table's deep columns
  cost per seed and for all its seeds. A label without batched records in a
  seed is taken at the slowest measured Deep SVDD group of that seed, and
  the page says so.
- With --sizes FOLDER...: runs of the same cells with different K, each
  run's GPU-seconds a cell and, per label, the group's time over K.
- With --reference JSON... (tests/bench/python/reference_epochs.py run on
  the same GPU): per dataset, the PyTorch reference's median epoch against
  ocbench's one-class Deep SVDD cells in the pairs' folders, alone and
  batched (a batched group's epoch over K), for pretraining and training.
- With --smi CSV (nvidia-smi --query-gpu=timestamp,utilization.gpu,... -l N):
  the GPU's busy share over the samples taken while it held memory.

usage: gpu_batch_page.py OUT.md --pair BATCHED ALONE [--pair ...] [--cpu TABLE]
                         [--full TABLE] [--smi CSV] [--sizes FOLDER...] [--reference JSON...]
"""
import argparse
import json
import os
import statistics
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from table_time import records, when  # noqa: E402


def wall(recs):
    return (max(when(r["finished_at"]) for r in recs) - min(when(r["started_at"]) for r in recs)).total_seconds()


def batched_k(r):
    b = r.get("method_report", {}).get("batched") or {}
    return max(b.values()) if b else 1


def by_label(recs):
    out = defaultdict(list)
    for r in recs:
        out[r["label"]].append(r)
    return out


def auc_diffs(pairs):
    d = [abs(a["metrics"]["auc"] - b["metrics"]["auc"]) for a, b in pairs]
    return f"{len(d)} cells, mean |ΔAUC| {100 * statistics.mean(d):.2f} points, largest {100 * max(d):.2f}" if d else "no cells in common"


def describe(recs):
    commits = sorted({r["provenance"]["git_commit"][:12] + (" (dirty)" if r["provenance"].get("git_dirty") else "") for r in recs})
    devices = sorted({r.get("device", "cpu") for r in recs})
    return f"ocbench {', '.join(commits)}, device {', '.join(devices)}"


def pair_section(batched_dir, alone_dir):
    b, a = list(records(batched_dir).values()), list(records(alone_dir).values())
    if not b or not a:
        sys.exit(f"{batched_dir} or {alone_dir}: no ok records")
    wb, wa = wall(b), wall(a)
    per_b, per_a = wb / len(b), wa / len(a)
    lines = [f"### `{os.path.relpath(batched_dir)}` against `{os.path.relpath(alone_dir)}`", "",
             f"Made by {describe(b + a)}. Batched: {len(b)} cells in {wb:.0f} s of wall time, "
             f"{per_b:.1f} GPU-seconds a cell. Alone: {len(a)} cells in {wa:.0f} s, {per_a:.1f} GPU-seconds a cell. "
             f"Throughput: **{per_a / per_b:.2f}x** the cells per GPU-hour.", "",
             "| label | cells batched | group (K) | group's time | per cell | alone, one cell | per cell, batched against alone |",
             "|---|---|---|---|---|---|---|"]
    lb, la = by_label(b), by_label(a)
    for label in sorted(lb):
        group = statistics.median(r["timing"]["total_s"] for r in lb[label])
        k = max(batched_k(r) for r in lb[label])
        alone = statistics.median(r["timing"]["total_s"] for r in la[label]) if label in la else float("nan")
        lines.append(f"| {label} | {len(lb[label])} | {k} | {group:.1f} s | {group / k:.2f} s | {alone:.2f} s | "
                     f"{group / k / alone:.2f}x |")
    ia = {r["cell_id"]: r for r in a}
    lines += ["", f"Same cells batched and alone (same GPU): {auc_diffs([(r, ia[r['cell_id']]) for r in b if r['cell_id'] in ia])}.", ""]
    return lines, b, a


def full_section(table):
    every = list(records(table).values())
    on_gpu = [r for r in every if r.get("device", "cpu").startswith("cuda")]  # cuda or cuda-fp32
    recs = [r for r in on_gpu if batched_k(r) > 1]
    if not recs:
        return ["No batched GPU records in `" + os.path.relpath(table) + "`.", ""]
    labels = sorted({r["label"] for r in on_gpu})
    seeds = sorted({r["seed"] for r in recs})
    n_seeds = len({r["seed"] for r in every})
    lines = [f"Records: {len(recs)} batched GPU cells in `{os.path.relpath(table)}`, seeds {', '.join(map(str, seeds))}, "
             f"made by {describe(recs)}.", "",
             "| seed | " + " | ".join(labels) + " | seed's deep columns |", "|---" * (len(labels) + 2) + "|"]
    totals = []
    for seed in seeds:
        groups = {}
        for label in labels:
            mine = [r for r in recs if r["seed"] == seed and r["label"] == label]
            if mine:
                groups[label] = (statistics.median(r["timing"]["total_s"] for r in mine), max(batched_k(r) for r in mine), False)
        svdd = [t for lab, (t, _, _) in groups.items() if lab != "dcae"]
        for label in labels:
            if label not in groups and svdd:
                groups[label] = (max(svdd), 0, True)
        total = sum(t for t, _, _ in groups.values())
        totals.append(total)
        cells = [f"{t:.0f} s (K = {k})" if not est else f"≈{t:.0f} s (not measured: the slowest Deep SVDD group)"
                 for t, k, est in (groups.get(label, (float("nan"), 0, True)) for label in labels)]
        lines.append(f"| {seed} | " + " | ".join(cells) + f" | {total / 60:.1f} min |")
    per_seed = statistics.mean(totals)
    lines += ["", f"At {per_seed / 60:.1f} GPU-minutes a seed, the table's {n_seeds} seeds of these {len(labels)} deep columns "
              f"take **{n_seeds * per_seed / 3600:.2f} GPU-hours** on this GPU (the groups' training and scoring; loading "
              "and preprocessing the data, about 10 s a run, aside).", ""]
    return lines


def sizes_section(folders):
    runs = [(f, list(records(f).values())) for f in folders]
    labels = sorted({r["label"] for _, recs in runs for r in recs})
    lines = ["| run | cells | K | GPU-seconds a cell | " + " | ".join(f"{lab}: group / K" for lab in labels) + " |",
             "|---" * (len(labels) + 4) + "|"]
    base = None
    for folder, recs in runs:
        if not recs:
            sys.exit(f"{folder}: no ok records")
        per = wall(recs) / len(recs)
        base = base or per
        groups = by_label(recs)
        cols = []
        for lab in labels:
            mine = groups.get(lab, [])
            cols.append(f"{statistics.median(r['timing']['total_s'] / batched_k(r) for r in mine):.2f} s" if mine else "–")
        lines.append(f"| `{os.path.basename(os.path.normpath(folder))}` | {len(recs)} | "
                     f"{max(batched_k(r) for r in recs)} | {per:.2f} ({base / per:.2f}x the first) | " + " | ".join(cols) + " |")
    return lines + [""]


def epoch_median(r, phase):
    secs = r.get("method_report", {}).get("training", {}).get(phase, {}).get("epoch_seconds") or []
    return statistics.median(secs) if secs else None


def reference_section(paths, recs):
    lines = ["| dataset | phase | reference epoch | ocbench alone | speed-up | ocbench batched, per cell | speed-up |",
             "|---|---|---|---|---|---|---|"]
    notes = []
    for path in paths:
        ref = json.load(open(path))
        mine = [r for r in recs if r.get("dataset") == ref["dataset"] and r["label"] == "deep_svdd_one_class"]
        notes.append(f"`{os.path.basename(path)}`: the reference on {ref.get('device', '?')}, torch {ref['torch']}, "
                     f"{ref['dataset']} class {ref.get('normal_class', '?')}, median of {ref['epochs']} epochs.")
        for phase, key in (("pretraining", "ae_epoch_s"), ("train", "svdd_epoch_s")):
            alone = [e for r in mine if batched_k(r) == 1 and (e := epoch_median(r, phase)) is not None]
            batched = [e / batched_k(r) for r in mine if batched_k(r) > 1 and (e := epoch_median(r, phase)) is not None]
            a = statistics.median(alone) if alone else None
            b = statistics.median(batched) if batched else None
            cell = lambda v: f"{v:.4f} s | {ref[key] / v:.1f}x" if v else "– | –"
            lines.append(f"| {ref['dataset']} | {phase} | {ref[key]:.4f} s | {cell(a)} | {cell(b)} |")
    return lines + [""] + notes + [""]


def smi_section(path):
    rows = [line.split(",") for line in open(path).read().splitlines()[1:] if line.count(",") >= 3]
    busy = [float(r[1].strip().rstrip("%").strip()) for r in rows if float(r[2].strip().split()[0]) > 0]
    if not busy:
        return []
    mem = max(float(r[2].strip().split()[0]) for r in rows)
    return [f"nvidia-smi, every 2 s while the runs held GPU memory ({len(busy)} samples): utilization median "
            f"{statistics.median(busy):.0f} %, lowest {min(busy):.0f} % (the share of time a kernel ran, not of the "
            f"multiprocessors busy); at most {mem / 1024:.1f} GiB of memory in use.", ""]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", metavar="OUT.md")
    parser.add_argument("--pair", nargs=2, action="append", required=True, metavar=("BATCHED", "ALONE"))
    parser.add_argument("--cpu", metavar="TABLE")
    parser.add_argument("--full", metavar="TABLE")
    parser.add_argument("--smi", metavar="CSV")
    parser.add_argument("--sizes", nargs="+", default=[], metavar="FOLDER")
    parser.add_argument("--reference", nargs="+", default=[], metavar="JSON")
    args = parser.parse_args()
    out, cpu, full, smi = args.out, args.cpu, args.full, args.smi
    lines = ["# Many cells on one GPU: `run --batch`", "",
             f"Written by `tests/bench/gpu_batch_page.py {' '.join(sys.argv[1:])}` from the records of runs made on a lent GPU by "
             "`tests/bench/gpu_device.sh`. Cells trained together as one network (`--batch K`: grouped "
             "convolutions, batched matrix products) each record their group's time; a GPU-second a cell is "
             "a run's wall time over its cells.", "", "## Batched against alone", ""]
    batched, alone_recs = [], []
    for b, a in args.pair:
        section, b_recs, a_recs = pair_section(b, a)
        lines += section
        batched += b_recs
        alone_recs += a_recs
    if cpu:
        theirs = records(cpu)
        lines += ["## Batched GPU cells against the CPU's records", "",
                  f"The same cells (same cell id) in `{os.path.relpath(cpu)}`, made on the CPU: "
                  f"{auc_diffs([(r, theirs[r['cell_id']]) for r in batched if r['cell_id'] in theirs])}.", ""]
        for label, mine in sorted(by_label([r for r in batched if r["cell_id"] in theirs]).items()):
            g = statistics.mean(r["metrics"]["auc"] for r in mine)
            c = statistics.mean(theirs[r["cell_id"]]["metrics"]["auc"] for r in mine)
            lines.append(f"- {label}: mean AUC {100 * g:.2f} batched on the GPU, {100 * c:.2f} on the CPU "
                         f"({len(mine)} cells; {auc_diffs([(r, theirs[r['cell_id']]) for r in mine])}).")
        lines.append("")
    if full:
        lines += ["## The paper's schedule, batched", ""] + full_section(full)
    if args.reference:
        lines += ["## Against the PyTorch reference on the same GPU", ""] + reference_section(args.reference, batched + alone_recs)
    if args.sizes:
        lines += ["## How large a K", "", "The same cells run with different K on the same GPU:", ""] + sizes_section(args.sizes)
    if smi:
        lines += ["## The GPU's load", ""] + smi_section(smi)
    with open(out, "w") as f:
        f.write("\n".join(lines))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
