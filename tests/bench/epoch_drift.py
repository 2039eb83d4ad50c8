#!/usr/bin/env python3
"""Does an epoch get slower as training goes on? (denormal floats would do
that: Deep SVDD pulls representations towards c and weight decay shrinks
weights.) Reads every committed record that keeps per-epoch seconds (the
tables' and the timing runs' under results/performance/, a timing study one
row) and writes results/performance/epoch_drift.md: per experiment, method label and
training phase, the ratio of the mean of the last 10 epochs to the first 10
(median and range over records). A ratio near 1 everywhere means no drift.

usage: tests/bench/epoch_drift.py [results]
"""
import glob
import json
import os
import statistics
import sys
from collections import defaultdict


def phases(report, path=""):
    """(phase path, epoch seconds) of every training curve in a method report."""
    if isinstance(report, dict):
        for key, value in report.items():
            if key == "epoch_seconds" and isinstance(value, list):
                yield path.strip("/"), value
            else:
                yield from phases(value, f"{path}/{key}")


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "results"
    ratios = defaultdict(list)
    for f in sorted(glob.glob(f"{root}/**/records/**/*.json", recursive=True)):
        r = json.load(open(f))
        if r.get("status") != "ok":
            continue
        experiment = os.path.relpath(f, root).split("/records/")[0]
        if experiment.startswith("performance/"):
            # A timing study's runs (performance/<study>/<run>) count as one row per study.
            experiment = "/".join(experiment.split("/")[:2])
        for phase, secs in phases({k: v for k, v in r.items() if k in ("training", "method_report")}):
            if len(secs) < 40:
                continue
            first, last = statistics.mean(secs[:10]), statistics.mean(secs[-10:])
            if first > 0:
                ratios[(experiment, r["label"], phase, len(secs))].append(last / first)
    out = ["# Epoch time over training", "",
           "Written by `tests/bench/epoch_drift.py` from the committed run records that keep per-epoch seconds "
           "(`training.*.epoch_seconds`; older records lack them). Ratio: mean seconds of the last 10 epochs over "
           "the first 10, per record; a growing epoch time (denormal floats as weights and representations shrink) "
           "would show as ratios well above 1. The tables' records were made on busy 2-core machines with `--jobs 2`, so single "
           "ratios carry the noise of the other cell; the timing runs under `performance/` (whole tables at `--jobs 2`, "
           "single cells alone) ran with no other run of ours on the machine (the VM host still adds its noise).", "",
           "| results | label | phase | epochs | records | median ratio | min | max |", "|---|---|---|---|---|---|---|---|"]
    every = []
    for (experiment, label, phase, epochs), rs in sorted(ratios.items()):
        every += rs
        out.append(f"| {experiment} | {label} | {phase} | {epochs} | {len(rs)} | {statistics.median(rs):.2f} | {min(rs):.2f} | {max(rs):.2f} |")
    if every:
        out += ["", f"All {len(every)} training curves: median ratio {statistics.median(every):.2f}, "
                    f"{sum(r > 1.5 for r in every)} above 1.5, {sum(r < 1 / 1.5 for r in every)} below 1/1.5."]
    os.makedirs(f"{root}/performance", exist_ok=True)
    with open(f"{root}/performance/epoch_drift.md", "w") as fh:
        fh.write("\n".join(out) + "\n")
    print(f"{root}/performance/epoch_drift.md: {len(every)} curves")


if __name__ == "__main__":
    main()
