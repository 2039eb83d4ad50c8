#!/usr/bin/env python3
"""Every committed table is what the harness makes of the committed records:
for each experiment file whose results folder holds records, `ocbench table`
(Markdown, the default metric) must print exactly the committed table.md
(results/<name>/table.md, or results/<other>/<name>/table.md where the
experiment shares another's records, as `ocbench table --write` places it).
Fails naming the experiment and showing the first lines that differ, so a
record committed without its table regenerated (or a table edited by hand)
cannot land.

usage: committed_tables.py OCBENCH [REPO]"""
import difflib
import glob
import os
import subprocess
import sys
import tomllib

ocbench = os.path.abspath(sys.argv[1])
repo = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", ".."))
os.chdir(repo)

checked, failures = [], []
for exp in sorted(glob.glob("experiments/**/*.toml", recursive=True)):
    with open(exp, "rb") as fh:
        try:
            doc = tomllib.load(fh)
        except tomllib.TOMLDecodeError as e:
            failures.append(f"{exp}: not TOML ({e})")
            continue
    name = doc.get("name")
    if not name:
        continue
    own = os.path.join("results", name)
    results = os.path.normpath(doc.get("results_dir", own))
    if not glob.glob(os.path.join(results, "records", "**", "*.json"), recursive=True):
        continue  # never run here: nothing committed to check
    table = os.path.join(results, "table.md") if results == os.path.normpath(own) else os.path.join(results, name, "table.md")
    if not os.path.exists(table):
        failures.append(f"{exp}: records in {results}/records but no {table} (ocbench table {exp} --write)")
        continue
    made = subprocess.run([ocbench, "table", exp], capture_output=True, text=True)
    if made.returncode != 0:
        failures.append(f"{exp}: ocbench table exited {made.returncode}: {made.stderr.strip()[:500]}")
        continue
    committed = open(table).read()
    checked.append(exp)
    if made.stdout != committed:
        diff = list(difflib.unified_diff(committed.splitlines(), made.stdout.splitlines(), table, "ocbench table", lineterm="", n=0))
        failures.append(f"{exp}: {table} is not what `ocbench table {exp}` makes of the records "
                        f"(regenerate with --write):\n" + "\n".join(diff[:12]))

print(f"{len(checked)} committed tables checked: {', '.join(checked)}")
if not checked:
    failures.append("no experiment with committed records found (wrong folder?)")
if failures:
    print("\n".join(failures), file=sys.stderr)
    sys.exit(1)
