"""Edit-to-screen latency of `python build.py serve` on the bundled site.

Opens a topic page in headless Chromium, edits one annotation's statement N times, and for each
edit measures from the moment the file is written to the moment the browser has the reloaded
page with the new text (the navigation's domContentLoadedEventEnd, on the same clock).

    python bench/edit_to_screen.py [--edits 15]
"""

from __future__ import annotations

import argparse
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[1]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ANNOTATION = "content/sources/003_4197f04110c4ab2c.yaml"
STATEMENT = ("Indian diplomats raised the question of obtaining the S-400 at the "
             "Jaishankar\u2013Lavrov talks on 6 April 2021.")
FACT = "#f-india-raised-s400-at-lavrov-talks .statement"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in ("seeds", "content"):
            shutil.copytree(REPO / name, root / name)
        server = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--root", str(root),
                                   "serve", "--port", "0"], stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True)
        url = next(m.group(1) for line in server.stdout
                   if (m := re.match(r"Serving on (\S+)", line)))
        try:
            latencies = measure(root, url + "topics/s-400/", args.edits)
        finally:
            server.send_signal(signal.SIGINT)
            server.communicate(timeout=10)
    print(f"edits: {len(latencies)}")
    print("edit-to-screen ms: " + ", ".join(f"{x:.0f}" for x in latencies))
    print(f"median: {statistics.median(latencies):.0f} ms, min {min(latencies):.0f} ms, "
          f"max {max(latencies):.0f} ms")
    return 0


def measure(root: Path, url: str, edits: int) -> list[float]:
    annotation = root / ANNOTATION
    original = annotation.read_text(encoding="utf-8")
    latencies = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        page = browser.new_page()
        page.goto(url)
        for n in range(edits):
            text = f"Edit number {n}, Indian diplomats asked about the S-400."
            time.sleep(0.3)  # let the previous reload settle, as a person typing would
            written = time.time() * 1000
            annotation.write_text(original.replace(STATEMENT, text), encoding="utf-8")
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                try:
                    if page.locator(FACT).text_content(timeout=200) == text:
                        break
                except Exception:  # the page is between documents
                    pass
                time.sleep(0.005)
            else:
                raise SystemExit(f"edit {n} never reached the page")
            shown = page.evaluate("performance.timeOrigin + performance.getEntriesByType("
                                  "'navigation')[0].domContentLoadedEventEnd")
            latencies.append(shown - written)
        browser.close()
    return latencies


if __name__ == "__main__":
    sys.exit(main())
