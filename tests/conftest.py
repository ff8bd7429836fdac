"""Shared fixtures: a scratch copy of the bundled project, and one built site for the session."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from playwright.sync_api import Browser, sync_playwright

from sourcebook.cli import main

# No time limit on a property's examples: speed is measured in bench/, and a loaded machine
# (CI, a build beside the tests) must not fail a test that checks what the code does.
settings.register_profile("sourcebook", deadline=None)
settings.load_profile("sourcebook")

REPO = Path(__file__).resolve().parents[1]
# Debian's chromium, headless, with background networking off (Playwright never downloads a
# browser here; the machine's network is closed).
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def copy_project(target: Path) -> Path:
    """A copy of the bundled research project (seeds, content, and archive/ and templates/ if
    it has them), without site/."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("seeds", "archive", "content", "templates"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, target / name)
    return target


def project_file(root: Path, rel: str) -> Path:
    """A project file to edit: for templates/…, the project's own copy (own_template)."""
    if rel.startswith("templates/"):
        return own_template(root, rel.removeprefix("templates/"))
    return root / rel


def own_template(root: Path, name: str) -> Path:
    """The project's own copy of a template (or static/ file), made from the default theme's if
    the project has none yet: how a researcher starts customising one."""
    from sourcebook.theme import THEME_DIR

    path = root / "templates" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(THEME_DIR / name, path)
    return path


def generate_project(root: Path, sources: int) -> Path:
    """A synthetic research project of this many sources (bench/generate.py, seed 1)."""
    subprocess.run([sys.executable, str(REPO / "bench/generate.py"), "--sources", str(sources),
                    str(root)], check=True, capture_output=True)
    return root


def run_cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `python build.py` as a user would, in a fresh process."""
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(root), *args],
        capture_output=True, text=True, cwd=root, timeout=120,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled project, built once; returns the project root (site/ inside it)."""
    root = copy_project(tmp_path_factory.mktemp("built") / "project")
    assert main(["--root", str(root), "build"]) == 0
    return root


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def facts_json(built: Path) -> dict:
    return json.loads((built / "site" / "data" / "facts.json").read_text(encoding="utf-8"))
