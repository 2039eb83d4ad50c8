#!/usr/bin/env python3
"""What a table run cost: reads the records of one or more results folders
made by timing runs (`ocbench run ... --results-dir results/performance/<name>`,
never a table's own records) and writes a Markdown page: per folder and
method label, the cells, their summed cell time in core-hours (each cell runs
on one thread), the median and slowest cell, and the run's wall time from the
first cell's start to the last cell's end. The page says which commit,
numerics and CPU made the records, from the records themselves.

Runs on a GPU (records with "device": "cuda") get their GPU-hours: the
wall time, one GPU held throughout. Cells trained together as one network
(`run --batch`, method_report.batched) each record their group's time, so
for them the summed cell time counts a group once per cell; the page says
how many there were. Cells that took what an earlier cell of the same run
computed from the same bytes (method_report.shared: distances, KDE's search
and scores, OC-SVM's grid) are counted by what they took.

With --same-as TABLE_FOLDER, each folder's cells are also looked up in that
table's committed records: how many have the same cell id, the same AUC
(exactly), and, where both folders keep the score file, the same bytes. A
timing run that reproduces the table's cells shows that speed cost nothing.

usage: tests/bench/table_time.py OUT.md [--same-as TABLE_FOLDER] FOLDER...
"""
import datetime
import glob
import json
import os
import statistics
import sys
from collections import defaultdict


def when(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")


def records(folder):
    out = {}
    for f in sorted(glob.glob(f"{folder}/records/**/*.json", recursive=True)):
        r = json.load(open(f))
        if r.get("status") == "ok":
            out[r["cell_id"]] = r
    return out


def same_as(folder, mine, table, theirs):
    found = [k for k in mine if k in theirs]
    same_auc = sum(mine[k]["metrics"]["auc"] == theirs[k]["metrics"]["auc"] for k in found)
    both = same_bytes = 0
    for k in found:
        a, b = os.path.join(folder, mine[k]["scores_file"]), os.path.join(table, theirs[k]["scores_file"])
        if os.path.exists(a) and os.path.exists(b):
            both += 1
            same_bytes += open(a, "rb").read() == open(b, "rb").read()
    return (f"Against `{os.path.relpath(table)}`: {len(found)} of {len(mine)} cells have a record there; "
            f"{same_auc} of them the same AUC to the last bit. Score files kept by both (on the machine that wrote "
            f"this page): {both}, byte-identical: {same_bytes}.")


def folder_rows(folder, recs):
    by_label = defaultdict(list)
    for r in recs.values():
        by_label[r["label"]].append(r["timing"]["total_s"])
    if not by_label:
        sys.exit(f"{folder}: no ok records under records/")
    start = min(when(r["started_at"]) for r in recs.values())
    end = max(when(r["finished_at"]) for r in recs.values())
    commits = {r["provenance"]["git_commit"][:12] for r in recs.values()}
    numerics = {r["numerics"]["signature"] for r in recs.values()}
    cpus = {r["provenance"]["cpu"] for r in recs.values()}
    threads = {r["threads"] for r in recs.values()}
    return by_label, start, end, commits, numerics, cpus, threads


def device_lines(recs, wall):
    """GPU-hours and batched groups, where the records have them."""
    lines = []
    gpu = [r for r in recs.values() if r.get("device") == "cuda"]
    if gpu:
        lines.append(f"{len(gpu)} of {len(recs)} cells ran on a GPU (`--device cuda`): {wall / 3600:.3f} GPU-hours "
                     "of wall time for the run, one GPU held throughout.")
    batched = [r for r in recs.values() if r.get("method_report", {}).get("batched")]
    if batched:
        largest = max(max(r["method_report"]["batched"].values()) for r in batched)
        lines.append(f"{len(batched)} cells trained with others as one network (`--batch`, groups of up to {largest}); "
                     "each records its group's time, so their summed cell time counts a group once per cell.")
    return [" ".join(lines), ""] if lines else []


def shared_lines(recs):
    """What cells took from an earlier cell of the same run (method_report.shared)."""
    took = defaultdict(int)
    cells = 0
    for r in recs.values():
        shared = r.get("method_report", {}).get("shared") or {}
        taken = [f"{r['label']} {what.replace('_', ' ')}" for what, v in sorted(shared.items()) if v is True or
                 (isinstance(v, int) and not isinstance(v, bool) and v > 0)]
        cells += bool(taken)
        for t in taken:
            took[t] += 1
    if not cells:
        return []
    parts = ", ".join(f"{what} {n}" for what, n in sorted(took.items()))
    return [f"{cells} cells took results that an earlier cell of the same run had computed from the same bytes "
            f"(`method_report.shared`: {parts}); their cell time leaves that work out, counted once in the cell "
            "that did it.", ""]


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out, folders, table = sys.argv[1], sys.argv[2:], None
    if folders[0] == "--same-as":
        table, folders = folders[1], folders[2:]
    theirs = records(table) if table else {}  # read once, shared by every folder
    lines = ["# What a table run costs", "",
             f"Written by `tests/bench/table_time.py` from the records of timing runs (their own results folders, "
             "not mixed into any table's records). Core-hours are the summed cell times (`timing.total_s`); "
             "wall is from the first cell's start to the last cell's end.", ""]
    for folder in folders:
        recs = records(folder)
        by_label, start, end, commits, numerics, cpus, threads = folder_rows(folder, recs)
        wall = (end - start).total_seconds()
        total = sum(sum(v) for v in by_label.values())
        lines += [f"## `{os.path.relpath(folder)}`", "",
                  f"Made by ocbench {', '.join(sorted(commits))} on {', '.join(sorted(cpus))}; "
                  f"numerics {', '.join(f'`{n}`' for n in sorted(numerics))}; threads per cell {', '.join(map(str, sorted(threads)))}; "
                  f"{start:%Y-%m-%d %H:%M}–{end:%H:%M} UTC.", "",
                  "| label | cells | core-hours | median cell | slowest cell |", "|---|---|---|---|---|"]
        for label, secs in by_label.items():
            lines.append(f"| {label} | {len(secs)} | {sum(secs) / 3600:.3f} | {statistics.median(secs):.1f} s | {max(secs):.1f} s |")
        lines += [f"| **all** | {sum(len(v) for v in by_label.values())} | {total / 3600:.3f} | | |", "",
                  f"Wall time {wall / 60:.1f} min for {total / 3600:.3f} core-hours of cells "
                  f"({total / wall if wall > 0 else 0:.2f} cells' worth of cores busy on average).", ""]
        lines += device_lines(recs, wall)
        lines += shared_lines(recs)
        if table:
            lines += [same_as(folder, recs, table, theirs), ""]
    with open(out, "w") as f:
        f.write("\n".join(lines))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
