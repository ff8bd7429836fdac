"""The README's two set-up commands, verbatim, in a fresh copy of the repository (its tracked
files only, as a clean clone has them) with no virtual environment yet: the first installs into
a new .venv/ and builds the bundled site; the second installs the test dependencies and runs
pytest (here on one test file, through PYTEST_ADDOPTS, so that the suite does not run itself)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from conftest import REPO


def readme_commands() -> tuple[str, str]:
    """The two commands of the README's quick start, as written there."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Quick start\n.*?```sh\n(.*?)```", readme, re.DOTALL)
    assert block, "the README has no quick start code block"
    commands = [line for line in block.group(1).splitlines()
                if line.strip() and not line.startswith("#")]
    assert len(commands) == 2, commands
    return commands[0], commands[1]


def fresh_copy(target: Path) -> Path:
    """The repository's tracked files, as they are in the working tree."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True,
                            check=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        source = REPO / rel
        if source.is_file():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / rel)
    return target


def run(command: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    return subprocess.run(["bash", "-c", command], cwd=cwd, capture_output=True, text=True,
                          env={**clean, **env}, timeout=900)


def test_the_readme_commands_work_verbatim_on_a_fresh_copy(tmp_path):
    build, test = readme_commands()
    root = fresh_copy(tmp_path / "clone")
    assert not (root / ".venv").exists() and not (root / "site").exists()

    built = run(build, root)
    assert built.returncode == 0, built.stderr[-3000:]
    assert "built site/" in built.stdout
    assert (root / "site/index.html").is_file()
    assert (root / ".venv/bin/sourcebook").is_file()  # the console script, installed

    tested = run(test, root, PYTEST_ADDOPTS="-q -p no:cacheprovider tests/test_routes.py")
    assert tested.returncode == 0, (tested.stdout + tested.stderr)[-3000:]
    assert re.search(r"\d+ passed", tested.stdout), tested.stdout[-2000:]
    assert (root / ".tools/node_modules/vnu-jar").is_dir()
