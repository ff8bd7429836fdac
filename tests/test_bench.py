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
                     "serve start-up, site/ current: first page",
                     "one annotation edited, fresh process", "one annotation edited, inside serve",
                     "one template edited (source.html)", "check"]
    # The reader's side: the largest page, what search loads first, the whole site.
    (measured,) = [line for line in result.stdout.splitlines() if line.startswith("| 20 |")
                   and "MB |" in line and "ms |" not in line]
    cells = [cell.strip() for cell in measured.split("|")[1:-1]]
    assert cells[1].endswith(" MB") and cells[1].split(",")[0].endswith(".html")
    assert float(cells[2].removesuffix(" MB")) > 0 and float(cells[3].removesuffix(" MB")) > 0


def test_the_floor_measures_a_built_project(project):
    """bench/floor.py times what any cold build must do (start, parse, read, write) on a built
    project, and refuses a project that has not been built."""
    floor = [sys.executable, str(REPO / "bench/floor.py"), str(project), "--runs", "1"]
    unbuilt = subprocess.run(floor, capture_output=True, text=True, timeout=120)
    assert unbuilt.returncode != 0 and "holds no built site" in unbuilt.stderr
    subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(project), "build"],
                   check=True, capture_output=True, timeout=300)
    result = subprocess.run(floor, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[2].startswith("parse 5 annotations") and lines[3].startswith("read 5 seeds")
    assert lines[-1].startswith("floor (imports + parse + read + write): ")
