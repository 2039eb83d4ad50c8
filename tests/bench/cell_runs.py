#!/usr/bin/env python3
"""Repeated timing runs of one cell: reads the results folders given (each
one run of experiments/studies/speed_mnist_cell.toml, or any experiment with
one deep cell, into its own folder with a fresh cache) and writes a Markdown
page with one row per run (in the order they started), from its record: when it ran, the commit that made
it, the cell's total seconds, its pretraining and training seconds, each
phase's fastest and median epoch, and the AUC. Below the rows: the fastest
and the median run, how many ran within a limit (--limit, seconds; 60 by
default, the speed issue's first target), and whether every run gave the same
AUC and score file (the bytes, where the folders keep them).

Every folder given is a row: a run is never left out for being slow, since a
busy host only slows a run down (the fastest is the least disturbed, the
median what a user meets).

usage: tests/bench/cell_runs.py OUT.md [--limit SECONDS] FOLDER...
"""
import glob
import hashlib
import json
import os
import statistics
import sys


def the_record(folder):
    found = []
    for f in sorted(glob.glob(f"{folder}/records/**/*.json", recursive=True)):
        r = json.load(open(f))
        if r.get("status") == "ok":
            found.append(r)
    if len(found) != 1:
        sys.exit(f"{folder}: expected one finished cell record, found {len(found)}")
    return found[0]


def phase(record, name):
    t = record.get("training", {}).get(name, {})
    epochs = t.get("epoch_seconds") or []
    if not epochs:
        return "–", "–"
    return f"{min(epochs):.3f}", f"{statistics.median(epochs):.3f}"


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    out, rest = argv[0], argv[1:]
    limit = 60.0
    if rest[:1] == ["--limit"]:
        limit, rest = float(rest[1]), rest[2:]
    if not rest:
        sys.exit("no results folders given")
    runs = sorted(((folder, the_record(folder)) for folder in rest), key=lambda fr: fr[1]["started_at"])
    first = runs[0][1]
    cell = f"{first['label']} on {first['dataset']} class {first['normal_class']} seed {first['seed']}"
    lines = [
        "# One cell, timed again and again",
        "",
        f"Written by `tests/bench/cell_runs.py` from the records of {len(runs)} runs of {cell}, each into its own "
        f"folder with a fresh cache (so each pretrains), on {first['provenance'].get('cpu', 'an unnamed CPU')}, "
        f"{first.get('threads', '?')} thread per cell. Seconds from each record's `timing` (total, pretraining, "
        "training) and `training.*.epoch_seconds` (fastest and median epoch).",
        "",
        "| run | started (UTC) | commit | total s | pretraining s | training s | pretraining epoch fastest / median s "
        "| training epoch fastest / median s | AUC |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    totals, aucs, digests, kept = [], set(), set(), 0
    for folder, r in runs:
        if r["cell_id"] != first["cell_id"]:
            sys.exit(f"{folder}: a different cell ({r['cell_id']}) from {runs[0][0]} ({first['cell_id']})")
        t = r["timing"]
        p_fast, p_med = phase(r, "pretraining")
        s_fast, s_med = phase(r, "train")
        prov = r["provenance"]
        commit = prov["git_commit"][:7] + (" (dirty)" if prov.get("git_dirty") else "")
        totals.append(t["total_s"])
        aucs.add(r["metrics"]["auc"])
        scores = os.path.join(folder, r["scores_file"])
        if os.path.exists(scores):
            kept += 1
            digests.add(hashlib.sha256(open(scores, "rb").read()).hexdigest())
        lines.append(f"| `{os.path.relpath(folder)}` | {r['started_at'].replace('T', ' ').rstrip('Z')} | {commit} | "
                     f"{t['total_s']:.1f} | {t.get('pretrain_s', 0):.1f} | {t.get('train_s', 0):.1f} | "
                     f"{p_fast} / {p_med} | {s_fast} / {s_med} | {100 * r['metrics']['auc']:.2f} |")
    within = sum(s <= limit for s in totals)
    same = "Every run gave the same AUC" if len(aucs) == 1 else f"The runs gave {len(aucs)} different AUCs"
    if digests:
        verdict = "are byte-identical" if len(digests) == 1 else f"have {len(digests)} different contents"
        same += f"; the {kept} score files kept on the machine that wrote this page (of {len(runs)} runs) {verdict}."
    else:
        same += "; no score files kept on the machine that wrote this page."
    lines += [
        "",
        f"Fastest run {min(totals):.1f} s, median {statistics.median(totals):.1f} s, slowest {max(totals):.1f} s; "
        f"{within} of {len(totals)} within {limit:g} s.",
        "",
        same,
        "",
    ]
    open(out, "w").write("\n".join(lines))
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
