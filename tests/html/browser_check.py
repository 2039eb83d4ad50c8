#!/usr/bin/env python3
"""Opens HTML pages in a real headless Chromium with the network disabled and
checks them through the DevTools protocol (spoken over --remote-debugging-pipe,
so nothing listens on a port):

- no console message of level error or warning, no uncaught exception;
- no request other than file: and data: URLs, and no failed request;
- the page's own self-check (<body data-check>) says "ok": every figure
  decoded, no label of the critical-difference diagram outside its picture;
- with --expect-csv: the results tables hold exactly the cells of
  `ocbench table --format csv` (same keys, means to 4 decimals, seed counts),
  and the cell colours agree with its within_paper_band column;
- with --expect-figures N: the page holds N figures;
- clicking a cell opens the seed panel with one row per record;
- a full-page screenshot is written to --screenshots.

Usage: browser_check.py PAGE [--expect-csv CSV] [--expect-figures N] [--screenshots DIR]
Exit 0 when every check passes, 1 otherwise (each failure printed)."""
import argparse, base64, csv, json, os, pathlib, shutil, subprocess, sys, tempfile, time


def find_browser():
    for name in ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class Browser:
    """A Chromium started with --remote-debugging-pipe: messages are JSON
    terminated by NUL, written to the browser's fd 3, read from its fd 4."""

    def __init__(self, exe, profile):
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()
        # --disable-dev-shm-usage: containers often give /dev/shm only 64 MB.
        args = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--remote-debugging-pipe", f"--user-data-dir={profile}",
                # No network: names resolve nowhere and any proxy use fails.
                "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--allow-file-access-from-files"]
        if os.path.basename(exe) == "chromium-headless-shell":
            args.remove("--headless")
        self.proc = subprocess.Popen(args, pass_fds=(3, 4), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, preexec_fn=lambda: (os.dup2(to_browser_r, 3), os.dup2(from_browser_w, 4)))
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def send(self, method, params=None, session=None, timeout=60):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.to_browser, json.dumps(msg).encode() + b"\0")
        deadline = time.time() + timeout
        while time.time() < deadline:
            m = self.read(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)
        raise TimeoutError(method)

    def read(self, deadline):
        while b"\0" not in self.buffer:
            if time.time() > deadline:
                raise TimeoutError("no message from the browser")
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError("the browser closed its pipe")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def wait_event(self, method, timeout=60):
        deadline = time.time() + timeout
        for i, e in enumerate(self.events):
            if e.get("method") == method:
                return self.events.pop(i)
        while time.time() < deadline:
            m = self.read(deadline)
            if m.get("method") == method:
                return m
            self.events.append(m)
        raise TimeoutError(method)

    def close(self):
        try:
            self.send("Browser.close", timeout=10)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def check_page(browser, page, expect_csv, expect_figures, screenshots):
    failures = []
    url = pathlib.Path(page).resolve().as_uri()
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "Log", "Network"):
        browser.send(f"{domain}.enable", session=session)
    browser.send("Emulation.setDeviceMetricsOverride", {"width": 1400, "height": 1000, "deviceScaleFactor": 1, "mobile": False},
                 session=session)
    browser.events.clear()
    browser.send("Page.navigate", {"url": url}, session=session)
    browser.wait_event("Page.loadEventFired")

    def js(expr):
        r = browser.send("Runtime.evaluate", {"expression": expr, "returnByValue": True, "awaitPromise": True}, session=session)
        if "exceptionDetails" in r:
            raise RuntimeError(f"{expr[:60]}: {r['exceptionDetails']}")
        return r["result"].get("value")

    # Give the load handler's self-check its turn.
    for _ in range(50):
        if js("document.body.dataset.check || ''"):
            break
        time.sleep(0.1)
    state = js("document.body.dataset.check || ''")
    if state != "ok":
        failures.append(f"self-check: {state or 'never ran'}")

    if expect_csv:
        rows = list(csv.DictReader(open(expect_csv)))
        dom = js("""Array.from(document.querySelectorAll('table.results td.cell')).map(td => ({
            key: td.dataset.key, auc: td.dataset.auc || null, n: td.dataset.n || null, cls: td.className}))""")
        by_key = {d["key"]: d for d in dom}
        if len(dom) != len(rows):
            failures.append(f"table cells: {len(dom)} in the page, {len(rows)} in the CSV")
        for r in rows:
            key = f"{r['dataset']}|{r['normal_class']}|{r['method']}"
            d = by_key.get(key)
            if d is None:
                failures.append(f"cell {key}: in the CSV, not in the page")
                continue
            if r["auc_mean"]:
                if d["auc"] is None or abs(float(d["auc"]) - float(r["auc_mean"])) > 5e-5 or d["n"] != r["n_seeds"]:
                    failures.append(f"cell {key}: page {d['auc']} (n={d['n']}), CSV {r['auc_mean']} (n={r['n_seeds']})")
                band = r.get("within_paper_band", "")
                want = {"1": "within", "0": "miss", "": "nopaper"}[band]
                if want not in d["cls"].split():
                    failures.append(f"cell {key}: coloured '{d['cls']}', the CSV says within_paper_band={band!r}")
            elif d["auc"] is not None:
                failures.append(f"cell {key}: the page shows {d['auc']}, the CSV has no result")
        # A click on the first cell with a result opens its seeds.
        first = next((r for r in rows if r["auc_mean"]), None)
        if first:
            key = f"{first['dataset']}|{first['normal_class']}|{first['method']}"
            n = js(f"""(() => {{ const td = document.querySelector('td.cell[data-key="{key}"]'); td.click();
                const p = document.getElementById('detail');
                return p.classList.contains('open') ? p.querySelectorAll('tbody tr').length : -1; }})()""")
            if n < int(first["n_seeds"]):
                failures.append(f"clicking {key}: the seed panel shows {n} rows, the cell has {first['n_seeds']} seeds")
            js("document.getElementById('detail').classList.remove('open')")
        # Sorting by a column puts its best cell first.
        order = js("""(() => { const t = document.querySelector('table.results'); const th = t.querySelector('th.sortable[data-col="0"]');
            th.click(); const v = Array.from(t.tBodies[0].rows).map(r => Number(r.cells[1].dataset.auc || -1e9));
            return v; })()""")
        if order and order != sorted(order, reverse=True):
            failures.append(f"sorting by the first column did not order it: {order}")

    figures = js("document.querySelectorAll('figure').length")
    if expect_figures is not None and figures != expect_figures:
        failures.append(f"figures: {figures} in the page, {expect_figures} expected")

    if screenshots:
        pathlib.Path(screenshots).mkdir(parents=True, exist_ok=True)
        js("window.scrollTo(0, 0)")
        shot = browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session=session)
        out = pathlib.Path(screenshots) / (pathlib.Path(page).parent.name + "_" + pathlib.Path(page).stem + ".png")
        out.write_bytes(base64.b64decode(shot["data"]))
        print(f"  screenshot: {out}")

    # What happened while it loaded and ran.
    time.sleep(0.2)
    try:
        browser.send("Runtime.evaluate", {"expression": "0"}, session=session)  # flushes pending events
    except Exception:
        pass
    for e in browser.events:
        method, p = e.get("method"), e.get("params", {})
        if method == "Runtime.consoleAPICalled" and p.get("type") in ("error", "warning", "assert"):
            failures.append("console " + p["type"] + ": " + " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
        elif method == "Runtime.exceptionThrown":
            failures.append("uncaught exception: " + json.dumps(p.get("exceptionDetails", {}))[:300])
        elif method == "Log.entryAdded" and p.get("entry", {}).get("level") in ("error", "warning"):
            failures.append("log: " + p["entry"].get("text", "") + " " + p["entry"].get("url", ""))
        elif method == "Network.requestWillBeSent":
            u = p.get("request", {}).get("url", "")
            if not (u.startswith("file:") or u.startswith("data:")):
                failures.append("request to the network: " + u)
        elif method == "Network.loadingFailed":
            failures.append("failed request: " + p.get("errorText", "") + " " + str(p.get("requestId")))
    browser.send("Target.closeTarget", {"targetId": target})
    return failures, figures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("page")
    ap.add_argument("--expect-csv")
    ap.add_argument("--expect-figures", type=int)
    ap.add_argument("--screenshots")
    a = ap.parse_args()
    exe = find_browser()
    if not exe:
        sys.exit("no Chromium found (Debian: apt-get install chromium-headless-shell)")
    profile = tempfile.mkdtemp()
    browser = Browser(exe, profile)
    try:
        failures, figures = check_page(browser, a.page, a.expect_csv, a.expect_figures, a.screenshots)
    finally:
        browser.close()
        shutil.rmtree(profile, ignore_errors=True)
    size = os.path.getsize(a.page)
    print(f"{a.page}: {figures} figures, {size / 1e6:.2f} MB, {'ok' if not failures else str(len(failures)) + ' problems'}")
    for f in failures:
        print("  FAIL " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
