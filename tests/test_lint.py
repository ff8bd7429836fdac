"""The code base stays ruff-clean (configuration in pyproject.toml)."""

import subprocess
import sys

from conftest import REPO


def test_ruff_is_clean():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "sourcebook", "tests", "bench",
                             "build.py"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
