"""The code base stays ruff-clean (configuration in pyproject.toml)."""

import subprocess
import sys

from conftest import REPO


def test_ruff_is_clean():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "sourcebook", "tests", "bench",
                             "build.py"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_module_is_longer_than_500_lines():
    lengths = {path.relative_to(REPO).as_posix(): len(path.read_text("utf-8").splitlines())
               for path in (REPO / "sourcebook").rglob("*.py")}
    assert {path: n for path, n in lengths.items() if n > 500} == {}
