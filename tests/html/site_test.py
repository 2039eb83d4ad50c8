#!/usr/bin/env python3
"""The HTML results site in a real browser. In a scratch folder laid out like
a checkout (experiments/, results/ with the paper's tables and a copy of the
committed MNIST Table 1 records and score files), runs `ocbench report --all`,
then opens the index and every experiment page it wrote in headless Chromium
(tests/html/browser_check.py: network off, no console error, no request
leaving the file, the page's self-check, table cells against `ocbench table
--format csv`, the figure count against the files drawn) and keeps the
screenshots in SHOTS (default build/html-screenshots).

Usage: site_test.py OCBENCH [SHOTS]. Exits 77 (skipped) when no Chromium is
installed and OCB_REQUIRE_BROWSER is unset; CI sets it."""
import os, pathlib, re, shutil, subprocess, sys, tempfile

here = pathlib.Path(__file__).resolve().parent
repo = here.parents[1]
sys.path.insert(0, str(here))
import browser_check  # noqa: E402

MAX_PAGE_BYTES = 5_000_000


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
        (work / "experiments").mkdir()
        for name in ("table1_mnist.toml", "extended_mnist.toml", "table1_cifar10.toml"):
            shutil.copy(repo / "experiments" / name, work / "experiments" / name)
        shutil.copytree(repo / "results" / "paper", work / "results" / "paper")
        src = repo / "results" / "table1_mnist"
        for label in ("ocsvm", "kde", "isolation_forest", "dcae", "deep_svdd_soft", "deep_svdd_one_class", "hybrid_svdd", "dasvdd",
                      "deep_sad"):
            shutil.copytree(src / "records" / "mnist" / label, work / "results" / "table1_mnist" / "records" / "mnist" / label)
        shutil.copytree(src / "scores", work / "results" / "table1_mnist" / "scores")

        p = subprocess.run([ocbench, "report", "--all"], cwd=work, capture_output=True, text=True)
        if p.returncode != 0:
            print(p.stdout, p.stderr)
            sys.exit(f"FAIL: ocbench report --all exited {p.returncode}")
        index = work / "results" / "index.html"
        pages = [work / "results" / "table1_mnist" / "index.html", work / "results" / "table1_mnist" / "extended_mnist" / "index.html"]
        for f in [index] + pages:
            if not f.exists():
                failures.append(f"report --all wrote no {f.relative_to(work)}")
        if failures:
            raise SystemExit("\n".join("FAIL " + f for f in failures))

        # The index links every page that exists, names the experiment that was not run.
        text = index.read_text()
        links = re.findall(r'href="([^"]+)"', text)
        for page in pages:
            rel = os.path.relpath(page, index.parent)
            if rel not in links:
                failures.append(f"the index does not link {rel}")
        for link in links:
            if not (index.parent / link).exists():
                failures.append(f"the index links {link}, which does not exist")
        if "table1_cifar10" not in text or "not run here" not in text:
            failures.append("the index does not list table1_cifar10 as not run")

        profile = tempfile.mkdtemp()
        browser = browser_check.Browser(browser_check.find_browser(), profile)
        try:
            found, _ = browser_check.check_page(browser, str(index), None, 0, str(shots))
            failures += [f"index.html: {f}" for f in found]
            for page, exp in zip(pages, ("table1_mnist.toml", "extended_mnist.toml")):
                csv_path = work / (exp + ".csv")
                t = subprocess.run([ocbench, "table", "experiments/" + exp, "--format", "csv"], cwd=work, capture_output=True, text=True)
                csv_path.write_text(t.stdout)
                drawn = {f.stem for f in (page.parent / "plots").iterdir() if f.suffix in (".png", ".svg")}
                found, n = browser_check.check_page(browser, str(page), str(csv_path), len(drawn), str(shots))
                size = page.stat().st_size
                if size > MAX_PAGE_BYTES:
                    found.append(f"{size} bytes, over the {MAX_PAGE_BYTES} allowed")
                print(f"{page.relative_to(work)}: {n} figures, {size / 1e6:.2f} MB, {len(found)} problems")
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
