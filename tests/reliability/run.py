#!/usr/bin/env python3
"""The reliability probes, rerun and reported: random SIGKILLs of a 100-cell
run, concurrent sharded and unsharded runs on one folder, every class of bad
input, full and read-only disks, a damaged pretraining cache, runs with
another thread count, start-up with 10^5 and 10^6 cells, and fuzzing. Writes
results/reliability/README.md (or --out); exits 1 if any probe fails.

  tests/reliability/run.py [--short] [--out FILE] [--fuzz-summary FILE]

--short (CI): fewer kills, no mounts unless root, no 10^6-cell start-up, no
fuzzing. Needs OCBENCH_DATA and build/ocbench."""
import argparse, json, os, pathlib, random, re, shutil, subprocess, sys, tempfile, time

repo = pathlib.Path(__file__).resolve().parents[2]
# OCBENCH_BIN: a copy of the binary, so that a rebuild during a long run changes nothing.
ocbench = os.environ.get("OCBENCH_BIN", str(repo / "build" / "ocbench"))
here = repo / "tests" / "reliability"
failures = []


def run(args, cwd=None, env=None, timeout=900):
    p = subprocess.run([ocbench] + args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def first_line(text, pattern=r"error|warning"):
    for line in text.splitlines():
        if re.search(pattern, line):
            return line.strip()
    return text.strip().splitlines()[0] if text.strip() else ""


def records(folder):
    out = {}
    root = pathlib.Path(folder, "records")
    for f in root.rglob("*.json") if root.exists() else []:
        try:
            r = json.loads(f.read_text())
            out.setdefault(r["cell_id"], []).append((f, r["status"]))
        except (ValueError, KeyError):
            out.setdefault("corrupt:" + str(f), []).append((f, "corrupt"))
    return out


def table(exp, folder):
    code, out, err = run(["table", str(exp), "--results-dir", str(folder)])
    return out


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)
    return cond


def kill_soak(exp, work, jobs, kills_wanted, rng, extra=(), cells=100, name=None):
    """Random SIGKILLs until the run completes; returns the figures."""
    folder = work / (name or f"soak-j{jobs}")
    kills = lost = corrupt = 0
    while True:
        before = {k for k, v in records(folder).items() if any(s == "ok" for _, s in v)}
        cache = work / ("cache-" + name if name else "cache")
        p = subprocess.Popen([ocbench, "run", str(exp), "--results-dir", str(folder), "--cache-dir", str(cache),
                              "--jobs", str(jobs), "--no-download", "--no-scores", *extra], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        if kills < kills_wanted:
            time.sleep(rng.uniform(0.05, 1.2))
            if p.poll() is None:
                p.kill()
                kills += 1
            p.wait()
        else:
            p.wait()
        now = records(folder)
        lost += len(before - set(now))
        corrupt += sum(1 for k in now if k.startswith("corrupt:"))
        ok = {k for k, v in now.items() if any(s == "ok" for _, s in v)}
        if len(ok) == cells and kills >= kills_wanted:
            break
    recs = records(folder)
    dups = sum(1 for v in recs.values() if len(v) > 1)
    temps = len(list(folder.rglob("*.tmp.*")))
    batched = sum(1 for v in recs.values() for f, _ in v if "batched" in json.loads(f.read_text()).get("method_report", {}))
    return {"batched": batched, "jobs": " ".join([str(jobs), *extra]), "kills": kills, "lost": lost, "corrupt": corrupt, "duplicates": dups, "records": len(recs),
            "temporaries": temps, "table": table(exp, folder)}


def concurrent(exp, work, name, commands):
    folder = work / name
    procs = [subprocess.Popen([ocbench, "run", str(exp), "--results-dir", str(folder), "--cache-dir", str(work / "cache"),
                               "--no-download", "--no-scores"] + extra, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True) for extra in commands]
    ran = []
    codes = []
    for p in procs:
        _, err = p.communicate()
        codes.append(p.returncode)
        ran += re.findall(r"\] ok +('[^']+' on \S+ class \d+ seed \d+)", err)
    recs = records(folder)
    return {"name": name, "processes": len(commands), "codes": codes, "ran": len(ran), "twice": len(ran) - len(set(ran)),
            "records": len(recs), "table": table(exp, folder)}


def bad_inputs(work, data):
    """Each bad input with its exit code and the first line that says what is wrong."""
    tiny = repo / "tests" / "cli" / "tiny.toml"
    rows = []

    def probe(label, args, expect_code, cwd=None, pattern=r"error|warning"):
        code, out, err = run(args, cwd=cwd)
        line = first_line(err + out, pattern)
        rows.append((label, code, line))
        check(code == expect_code, f"bad input '{label}': exit {code}, expected {expect_code} ({line})")
        return code, out, err

    def toml(name, text):
        f = work / name
        f.write_text(text)
        return str(f)

    base = work / "bad"
    run(["run", str(tiny), "--results-dir", str(base), "--cache-dir", str(work / "cache"), "--no-download"])
    recs = sorted(pathlib.Path(base, "records").rglob("*.json"))
    # Damage one record in each way on copies of the folder.
    for label, edit in [("record: \"auc\": \"x\"", lambda r: r["metrics"].__setitem__("auc", "x")),
                        ("record: metrics missing", lambda r: r.pop("metrics")),
                        ("record: truncated", None)]:
        folder = work / ("bad-" + re.sub(r"\W+", "-", label))
        shutil.copytree(base, folder)
        victim = sorted(pathlib.Path(folder, "records").rglob("*.json"))[0]
        if edit:
            r = json.loads(victim.read_text())
            edit(r)
            victim.write_text(json.dumps(r))
        else:
            victim.write_text(victim.read_text()[:100])
        for verb in ["table", "check"]:
            extra = ["--baseline", str(work / "b.json")] if verb == "check" else []
            if verb == "check":
                run(["check", str(tiny), "--results-dir", str(base), "--baseline", str(work / "b.json"), "--update-baseline"])
            probe(f"{label} → `{verb}`", [verb, str(tiny), "--results-dir", str(folder)] + extra, 6,
                  pattern=r"left out|warning")
        code, out, err = run(["run", str(tiny), "--results-dir", str(folder), "--no-download", "--cache-dir", str(work / "cache")])
        rows.append((f"{label} → `run` (heals)", code, first_line(err, r"warning")))
        check(code == 0 and "1 to run" in err, f"run did not rerun the cell of a damaged record ({label})")
        check(not run(["table", str(tiny), "--results-dir", str(folder)])[0], f"the table is not whole after the rerun ({label})")
    # Score files: deleted (check fails), truncated (run heals it).
    folder = work / "bad-scores-deleted"
    shutil.copytree(base, folder)
    sorted(pathlib.Path(folder, "scores").rglob("*.scores.gz"))[0].unlink()
    probe("score file deleted → `check`", ["check", str(tiny), "--results-dir", str(folder), "--baseline", str(work / "b.json")], 5,
          pattern=r"missing:")
    folder = work / "bad-scores"
    shutil.copytree(base, folder)
    scores = sorted(pathlib.Path(folder, "scores").rglob("*.scores.gz"))
    scores[0].write_bytes(scores[0].read_bytes()[:40])
    code, out, err = run(["run", str(tiny), "--results-dir", str(folder), "--no-download", "--cache-dir", str(work / "cache")])
    rows.append(("score file truncated → `run` (heals)", code, first_line(err, r"warning")))
    check(code == 0 and "1 to run" in err, "run did not rerun the cell of a truncated score file")
    # Experiment files.
    head = "name = \"x\"\n[datasets.mnist]\n"
    probe("`classes = [0, 0]`", ["run", toml("dup_classes.toml", "name = \"x\"\n[datasets.mnist]\nclasses = [0, 0]\n[methods.kde]\n")], 2)
    probe("method `seeds = [1, 1]`", ["run", toml("dup_seeds.toml", head + "[methods.kde]\nseeds = [1, 1]\n")], 2)
    probe("`lr = inf`", ["run", toml("inf.toml", head + "[methods.deep_svdd]\nlr = inf\n")], 2)
    probe("`--shard 99999999999/1`", ["run", str(tiny), "--shard", "99999999999/1"], 2)
    probe("`--jobs 0`", ["run", str(tiny), "--jobs", "0"], 2)
    probe("`table` on a folder that does not exist", ["table", str(tiny), "--results-dir", str(work / "nowhere")], 2)
    probe("`check` on a folder that does not exist",
          ["check", str(tiny), "--results-dir", str(work / "nowhere"), "--baseline", str(work / "b.json")], 2)
    code, out, err = run(["check", str(tiny), "--results-dir", str(base), "--baseline", "b.json", "--update-baseline"], cwd=work)
    rows.append(("`check --update-baseline --baseline b.json` (no folder part)", code, first_line(err, r"wrote|error")))
    check(code == 0 and (work / "b.json").exists(), "a baseline path without a folder part fails")
    return rows


def cache_probes(work):
    exp = work / "ae.toml"
    exp.write_text("name = \"ae\"\nseeds = [1]\n[datasets.mnist]\nclasses = [3]\nmax_train = 400\nmax_test = 400\n"
                   "[methods.dcae]\nae_epochs = 3\nae_lr = 1e-3\nae_milestones = []\n")
    cache = work / "ae-cache"
    rows = []

    def auc(folder):
        r = next(pathlib.Path(folder, "records").rglob("*.json"))
        return json.loads(r.read_text())["metrics"]["auc"]

    run(["run", str(exp), "--results-dir", str(work / "ae-clean"), "--cache-dir", str(cache), "--no-download"])
    clean = auc(work / "ae-clean")
    for label, damage in [("weights: one byte flipped", lambda w, m: w.write_bytes(w.read_bytes()[:500] + bytes([w.read_bytes()[500] ^ 1]) + w.read_bytes()[501:])),
                          ("weights: zeroed", lambda w, m: w.write_bytes(bytes(len(w.read_bytes())))),
                          ("weights: truncated", lambda w, m: w.write_bytes(w.read_bytes()[:1000])),
                          ("entry JSON: 0 bytes", lambda w, m: m.write_text(""))]:
        w = next(pathlib.Path(cache, "autoencoders").glob("*.pt"))
        m = w.with_suffix(".json")
        damage(w, m)
        folder = work / ("ae-" + re.sub(r"\W+", "-", label))
        code, out, err = run(["run", str(exp), "--results-dir", str(folder), "--cache-dir", str(cache), "--no-download"])
        a = auc(folder) if code == 0 else None
        rows.append((label, code, first_line(err, r"warning"), a == clean))
        check(code == 0 and a == clean, f"cache damage '{label}': exit {code}, AUC {a} vs clean {clean}")
    # Another thread count: a new pretraining, and the record says so.
    code, out, err = run(["run", str(exp), "--results-dir", str(work / "ae-clean"), "--cache-dir", str(cache), "--threads", "2",
                          "--no-download"])
    note = first_line(err, r"note")
    code2, out2, err2 = run(["run", str(exp), "--results-dir", str(work / "ae-clean"), "--cache-dir", str(cache), "--threads", "2",
                             "--no-download", "--refresh-numerics"])
    r = json.loads(next(pathlib.Path(work / "ae-clean", "records").rglob("*.json")).read_text())
    cached = r["method_report"]["pretraining"]["cached"]
    rows.append(("`--threads 2` after a `--threads 1` record", code, note, "threads=2" in r["numerics"]["signature"] and not cached))
    check("numerics other than this run's" in note, "a --threads 2 run does not say the record was made with other numerics")
    check(not cached and "threads=2" in r["numerics"]["signature"], "--refresh-numerics with --threads 2 reused a --threads 1 pretraining")
    return rows


def disk_probes(work):
    if os.geteuid() != 0:
        return None
    tiny = repo / "tests" / "cli" / "tiny.toml"
    rows = []
    full, src, ro = work / "full", work / "src", work / "ro"
    for d in (full, src, ro):
        d.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(full)], check=True)
    subprocess.run(["mount", "--bind", str(src), str(ro)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(ro)], check=True)
        code, out, err = run(["run", str(tiny), "--results-dir", str(ro / "r"), "--cache-dir", str(work / "c"), "--no-download"])
        rows.append(("read-only results folder", code, first_line(err), "cells run: %d" % err.count("] ok")))
        check(code == 9 and "] ok" not in err, "a read-only results folder was not refused before the first cell")
        code, out, err = run(["run", str(tiny), "--results-dir", str(full / "r"), "--cache-dir", str(work / "c"), "--no-download"])
        kept = sum(1 for _ in (full / "r" / "records").rglob("*.json"))
        rows.append(("results folder on a full disk (64 KiB tmpfs)", code, first_line(err, r"stopped"), f"records kept: {kept}"))
        check(code == 9 and 0 < kept < 16, f"full disk: exit {code}, {kept} records kept")
    finally:
        subprocess.run(["umount", str(full)])
        subprocess.run(["umount", str(ro)])
    return rows


def startup(work, sizes):
    rows = []
    for n_seeds, classes in sizes:
        n_classes = len(json.loads(classes))
        exp = work / f"big{n_seeds}.toml"
        exp.write_text("name = \"big\"\nseeds = [" + ", ".join(str(i) for i in range(1, n_seeds + 1)) + "]\n"
                       f"[datasets.mnist]\nclasses = {classes}\nmax_train = 100\nmax_test = 200\n[methods.isolation_forest]\ntrees = 5\n")
        cells = n_seeds * n_classes
        t0 = time.monotonic()
        p = subprocess.Popen([ocbench, "run", str(exp), "--results-dir", str(work / f"big{n_seeds}"), "--cache-dir",
                              str(work / "cache"), "--no-download"], stderr=subprocess.PIPE, text=True)
        first = None
        for line in p.stderr:
            if "] ok" in line:
                first = time.monotonic() - t0
                break
        p.kill()
        p.wait()
        rows.append((cells, first))
        check(first is not None and first < 60, f"{cells} cells: no first cell within 60 s")
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--short", action="store_true")
    ap.add_argument("--out", default=str(repo / "results" / "reliability" / "README.md"))
    ap.add_argument("--fuzz-summary")
    a = ap.parse_args()
    if not os.environ.get("OCBENCH_DATA"):
        sys.exit("set OCBENCH_DATA (scripts/data-env.sh)")
    rng = random.Random(2026)
    work = pathlib.Path(tempfile.mkdtemp())
    try:
        exp = here / "soak.toml"
        ref = work / "reference"
        code, out, err = run(["run", str(exp), "--results-dir", str(ref), "--cache-dir", str(work / "cache"), "--jobs", "2",
                              "--no-download", "--no-scores"])
        check(code == 0, "the uninterrupted run failed")
        ref_table = table(exp, ref)
        kills = 3 if a.short else 20
        soaks = [kill_soak(exp, work, j, kills, rng) for j in (1, 2)]
        for s in soaks:
            check(s["lost"] == 0 and s["corrupt"] == 0 and s["duplicates"] == 0 and s["records"] == 100,
                  f"kill soak --jobs {s['jobs']}: {s}")
            check(s["table"] == ref_table, f"kill soak --jobs {s['jobs']}: the final table differs from an uninterrupted run's")
        # Deep cells trained as one network (--batch 3), killed inside batched
        # pretrainings and trainings: against a plain uninterrupted run.
        deep = here / "batched_soak.toml"
        code, out, err = run(["run", str(deep), "--results-dir", str(work / "deep-reference"), "--cache-dir",
                              str(work / "deep-reference" / "cache"), "--no-download", "--no-scores"])
        check(code == 0, "the uninterrupted plain run of batched_soak.toml failed")
        deep_table = table(deep, work / "deep-reference")
        batched = kill_soak(deep, work, 3, kills, rng, extra=("--batch", "3"), cells=12, name="deep-batched")
        check(batched["lost"] == 0 and batched["corrupt"] == 0 and batched["duplicates"] == 0 and batched["records"] == 12,
              f"batched kill soak: {batched}")
        check(batched["table"] == deep_table, "batched kill soak: the final table differs from an uninterrupted plain run's")
        check(batched["batched"] > 0, "batched kill soak: no record says it trained batched")
        conc = [concurrent(exp, work, "sharded-2", [["--shard", "1/2"], ["--shard", "2/2"]]),
                concurrent(exp, work, "sharded-4", [["--shard", f"{k}/4"] for k in range(1, 5)]),
                concurrent(exp, work, "unsharded-2", [[], []])]
        for c in conc:
            check(c["ran"] == 100 and c["twice"] == 0 and c["records"] == 100 and c["table"] == ref_table and not any(c["codes"]),
                  f"concurrent {c['name']}: {dict((k, v) for k, v in c.items() if k != 'table')}")
        bad = bad_inputs(work, os.environ["OCBENCH_DATA"])
        cache = cache_probes(work)
        disks = disk_probes(work)
        starts = startup(work, [(10000, "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]")] if a.short else
                         [(10000, "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]"), (100000, "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]")])
    finally:
        shutil.rmtree(work, ignore_errors=True)

    md = ["# Reliability", "",
          "Generated by `tests/reliability/run.py` on " + time.strftime("%Y-%m-%d", time.gmtime()) +
          (" (short version)" if a.short else "") + ": every figure below is measured by that script on this checkout's "
          "`build/ocbench`; `tests/reliability/run.py --short` is what CI runs.", "",
          "## Kills", "",
          "A 100-cell run (`tests/reliability/soak.toml`) killed with SIGKILL at random moments (0.05–1.2 s after each "
          "start, so before, inside and after cells and record writes) and restarted until it completed. Lost: records "
          "present before a kill and gone after it. The final table is compared byte for byte with that of an "
          "uninterrupted run.", "",
          "| --jobs | SIGKILLs | cells lost | corrupt records | duplicate records | records at the end | temporaries left | final table identical |",
          "|---|---|---|---|---|---|---|---|"]
    for s in soaks:
        md.append(f"| {s['jobs']} | {s['kills']} | {s['lost']} | {s['corrupt']} | {s['duplicates']} | {s['records']} | "
                  f"{s['temporaries']} | {'yes' if s['table'] == ref_table else 'NO'} |")
    md += ["", "Temporaries left are those of writes the kills cut off; the next run removes them once they are 10 minutes old.", "",
           "The same with deep cells trained as one network: `tests/reliability/batched_soak.toml` (DCAE and soft-boundary "
           "Deep SVDD, three classes, two seeds, short schedules) run with `--jobs 3 --batch 3`, so the kills land inside "
           "batched pretrainings and trainings and inside pretraining cache writes; the final table is compared with that "
           "of an uninterrupted plain run (no --batch).", "",
           "| run | SIGKILLs | cells lost | corrupt records | duplicate records | records at the end | of them trained batched | "
           "temporaries left | final table identical to the plain run's |",
           "|---|---|---|---|---|---|---|---|---|",
           f"| --jobs 3 --batch 3 | {batched['kills']} | {batched['lost']} | {batched['corrupt']} | {batched['duplicates']} | "
           f"{batched['records']} | {batched['batched']} | {batched['temporaries']} | {'yes' if batched['table'] == deep_table else 'NO'} |",
           "",
           "## Concurrent runs on one results folder", "",
           "Each cell is claimed before it runs (`claims/`), so processes sharing a folder never run a cell twice.", "",
           "| runs at once | processes | exit codes | cells run (all logs) | cells run twice | records | table identical |",
           "|---|---|---|---|---|---|---|"]
    for c in conc:
        md.append(f"| {c['name']} | {c['processes']} | {' '.join(map(str, c['codes']))} | {c['ran']} | {c['twice']} | {c['records']} | "
                  f"{'yes' if c['table'] == ref_table else 'NO'} |")
    md += ["", "## Bad input", "", "Each case with the exit code (README: one table of exit codes) and the first line that says what is wrong.", "",
           "| input | exit | message |", "|---|---|---|"]
    for label, code, line in bad:
        md.append(f"| {label} | {code} | `{line.replace('|', '/')}` |")
    md += ["", "## Pretraining cache", "",
           "A DCAE cell's cached autoencoder damaged in each way, then the cell run again in a fresh results folder: the "
           "entry must be refused, named, moved aside and retrained, giving the clean run's AUC bit for bit.", "",
           "| damage | exit | message | AUC equal to the clean run's |", "|---|---|---|---|"]
    for label, code, line, same in cache:
        md.append(f"| {label} | {code} | `{line.replace('|', '/')}` | {'yes' if same else 'NO'} |")
    if disks is not None:
        md += ["", "## Full and read-only disks", "", "A 64 KiB tmpfs and a read-only bind mount (both unmounted afterwards).", "",
               "| case | exit | message | outcome |", "|---|---|---|---|"]
        for label, code, line, outcome in disks:
            md.append(f"| {label} | {code} | `{line.replace('|', '/')}` | {outcome} |")
    md += ["", "## Start-up", "", "Seconds from the start of `ocbench run` to its first finished cell (Isolation Forest on 100 images).", "",
           "| cells | seconds to the first cell |", "|---|---|"]
    for cells, first in starts:
        md.append(f"| {cells:,} | {first:.1f} |" if first is not None else f"| {cells:,} | none in 60 s |")
    if a.fuzz_summary:
        md += ["", "## Fuzzing", "",
               "libFuzzer on every parser, built with `cmake --preset fuzz` (clang 14, AddressSanitizer, "
               "UndefinedBehaviorSanitizer; `tests/fuzz/run.sh SECONDS --summary FILE`). The committed corpus "
               "(`tests/fuzz/corpus/`) holds the seeds and every input that once crashed a parser; `ocb_fuzz_replay` runs "
               "it in every CTest run.", "", pathlib.Path(a.fuzz_summary).read_text().strip()]
    md += ["", "Probes failed: " + (", ".join(failures) if failures else "none") + ".", ""]
    out = pathlib.Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(md))
    print(f"wrote {out}; {len(failures)} probe(s) failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
