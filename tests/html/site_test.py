#!/usr/bin/env python3
"""The HTML results site in a real browser. In a scratch copy of the
checkout's experiments/ and results/ (records, score files, paper tables; no
pages or figures), runs `ocbench report --all`, then opens the index and every
experiment page it wrote (and each one's image-grid page) in headless Chromium
(tests/html/browser_check.py: network off, no console error, no request
leaving the file, the page's self-check, table cells against `ocbench table
--format csv`, the figure count against the files drawn) and keeps the
screenshots in SHOTS (default build/html-screenshots).

Usage: site_test.py OCBENCH [SHOTS]. Exits 77 (skipped) when no Chromium is
installed and OCB_REQUIRE_BROWSER is unset; CI sets it."""
import csv, io, os, pathlib, re, shutil, subprocess, sys, tempfile, tomllib

here = pathlib.Path(__file__).resolve().parent
repo = here.parents[1]
sys.path.insert(0, str(here))
import browser_check  # noqa: E402

MAX_PAGE_BYTES = 2 * 1024 * 1024  # the repository keeps no file over 2 MiB


def main():
    ocbench = os.path.abspath(sys.argv[1])
    shots = pathlib.Path(sys.argv[2] if len(sys.argv) > 2 else repo / "build" / "html-screenshots").resolve()
    if not browser_check.find_browser():
        if os.environ.get("OCB_REQUIRE_BROWSER"):
            sys.exit("FAIL: no Chromium installed (scripts/install-deps.sh --test installs chromium-headless-shell)")
        print("SKIP: no Chromium installed")
        return 77
    if not os.environ.get("OCBENCH_DATA"):
        sys.exit("FAIL: OCBENCH_DATA unset (the Figure 2 grids need MNIST)")
    failures = []
    work = pathlib.Path(tempfile.mkdtemp())
    try:
        # Every experiment file and every committed record, score file and
        # paper table; none of the committed pages or figures (all are redrawn).
        shutil.copytree(repo / "experiments", work / "experiments")
        shutil.copytree(repo / "results", work / "results",
                        ignore=lambda d, names: [n for n in names if n in ("plots", "claims") or n.endswith(".html")])
        p = subprocess.run([ocbench, "report", "--all"], cwd=work, capture_output=True, text=True)
        if p.returncode != 0:
            print(p.stdout, p.stderr)
            sys.exit(f"FAIL: ocbench report --all exited {p.returncode}")
        index = work / "results" / "index.html"
        if not index.exists():
            sys.exit("FAIL: report --all wrote no results/index.html")
        # Every page it wrote: the paths it printed, with the experiment each belongs to.
        pages = []
        for exp in sorted((work / "experiments").rglob("*.toml")):
            t = subprocess.run([ocbench, "table", str(exp.relative_to(work)), "--format", "csv"], cwd=work, capture_output=True, text=True)
            if t.returncode != 0:
                continue  # not run here: no page
            pages.append((exp, t.stdout))
        written = [work / l for l in p.stdout.splitlines() if l.endswith("index.html") and not l.startswith("results/index.html")]
        if len(written) != len(pages):
            failures.append(f"report --all wrote {len(written)} pages for {len(pages)} experiments with records")

        # status.md, the index's markdown twin: each table's band counts per
        # dataset, as its CSV gives them class by class.
        status = work / "results" / "status.md"
        if not status.exists():
            failures.append("report --all wrote no results/status.md")
        else:
            st = status.read_text()
            for exp, table_csv in pages:
                name = tomllib.loads(exp.read_text()).get("name")
                if not name:
                    continue  # named by a parent file (extends): not worth resolving here
                counts = {}
                for row in csv.DictReader(io.StringIO(table_csv)):
                    if row["within_paper_band"] in ("0", "1"):
                        c = counts.setdefault(row["dataset"], [0, 0])
                        c[0] += int(row["within_paper_band"])
                        c[1] += 1
                for dataset, (within, of) in counts.items():
                    if not re.search(rf"^\| {re.escape(name)} \| {re.escape(dataset)} \| .* \| {within}/{of} \|$", st, re.M):
                        failures.append(f"status.md lacks {name} on {dataset}: {within}/{of} within the paper's band (its table.csv)")
            if "| experiment | file | ok | failed | missing |" not in st:
                failures.append("status.md has no table of cells per experiment")

        # The index links every page that exists, names the experiment that was not run.
        text = index.read_text()
        links = re.findall(r'href="([^"]+)"', text)
        for page in written:
            rel = os.path.relpath(page, index.parent)
            if rel not in links:
                failures.append(f"the index does not link {rel}")
        for link in links:
            if not (index.parent / link).exists():
                failures.append(f"the index links {link}, which does not exist")
        if "not run here" not in text:
            failures.append("the index lists no experiment as not run here (experiments/ci/gate.toml has no records)")

        profile = tempfile.mkdtemp()
        browser = browser_check.Browser(browser_check.find_browser(), profile)
        try:
            found, _ = browser_check.check_page(browser, str(index), None, 0, str(shots))
            failures += [f"index.html: {f}" for f in found]
            for (exp, csv_text), page in zip(pages, written):
                csv_path = work / (exp.stem + ".csv")
                csv_path.write_text(csv_text)
                drawn = {f.stem for f in (page.parent / "plots").iterdir() if f.suffix in (".png", ".svg")} if (page.parent / "plots").exists() else set()
                grids = {d for d in drawn if d.startswith(("figure2_", "figure4_", "gradcam_", "tsne_"))}
                found, n = browser_check.check_page(browser, str(page), str(csv_path), len(drawn - grids), str(shots))
                # images.html, or images-<dataset>.html per dataset of a many-dataset study.
                images = sorted(page.parent.glob("images*.html"))
                if grids and not images:
                    found.append("image grids were drawn but no image page was written")
                shown = 0
                for im in images:
                    more, m = browser_check.check_page(browser, str(im), None, None, str(shots))
                    found += [f"{im.name}: {f}" for f in more]
                    shown += m
                    n += m
                if images and shown != len(grids):
                    found.append(f"the image pages show {shown} grids, {len(grids)} were drawn")
                for f in [page] + images:
                    if f.stat().st_size > MAX_PAGE_BYTES:
                        found.append(f"{f.name}: {f.stat().st_size} bytes, over the {MAX_PAGE_BYTES} allowed")
                print(f"{page.relative_to(work)} ({exp.relative_to(work)}): {n} figures, {page.stat().st_size / 1e6:.2f} MB, {len(found)} problems")
                failures += [f"{page.relative_to(work)}: {f}" for f in found]
        finally:
            browser.close()
            shutil.rmtree(profile, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for f in failures:
        print("FAIL " + f)
    print(f"html site: {'ok' if not failures else str(len(failures)) + ' failures'}; screenshots in {shots}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
