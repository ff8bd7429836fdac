"""A smoke run of the benchmark (N=20, one run, without Hugo), so that it keeps working.
Timings are only printed, never asserted: speed targets live in bench/RESULTS.md."""

import subprocess
import sys

from conftest import REPO


def test_the_benchmark_runs_end_to_end():
    result = subprocess.run([sys.executable, str(REPO / "bench/run.py"), "--sizes", "20",
                             "--runs", "1", "--no-hugo", "--bundled"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    cases = [line.split("|")[2].strip() for line in result.stdout.splitlines()
             if line.startswith("| ") and "ms |" in line]
    assert cases == ["the bundled site, cold", "first build ever (writes every fact file)",
                     "cold full build", "no-op rebuild",
                     "one annotation edited, fresh process", "one annotation edited, inside serve",
                     "one template edited (source.html)", "check"]
