"""The write stage: atomic replacement of site/ and of the fact files.

site/ is built in a temporary folder beside it and swapped in only when complete, so a failed
or killed build leaves the previous site whole. Leftover temporary folders are removed first.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .facts import FACT_FILE_HEADER, FACTS_DIR
from .model import FactFile
from .render import Page

TMP_PREFIX = ".site.tmp-"
OLD_PREFIX = ".site.old-"
MARKER = ".sourcebook-build"  # in every built site: only such a folder is ever replaced
MARKER_TEXT = b"This folder is built by sourcebook and replaced whole by each build.\n"
PROJECT_FOLDERS = ("seeds", "content", "templates", "sourcebook", "tests", ".git")


def unsafe_output(root: Path, site: Path) -> str | None:
    """Why `site` must not be replaced by a build, or None when it may be."""
    site, root = site.resolve(), root.resolve()
    if site == root or root.is_relative_to(site):
        return f"{site} holds the project itself"
    for name in PROJECT_FOLDERS:
        if site == root / name or site.is_relative_to(root / name):
            return f"{site} is inside the project's {name}/ folder"
    if site.exists() and not site.is_dir():
        return f"{site} is a file, not a folder"
    built_before = (site / MARKER).is_file() or (site / "data" / "facts.json").is_file()
    if site.is_dir() and any(site.iterdir()) and not built_before:
        return f"{site} is not empty and was not built by sourcebook"
    return None


def clean_leftovers(root: Path) -> None:
    for leftover in root.glob(f"{TMP_PREFIX}*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in root.glob(f"{OLD_PREFIX}*"):
        shutil.rmtree(leftover, ignore_errors=True)


def write_site(root: Path, site: Path, pages: Iterable[Page]) -> int:
    """Write every page into a fresh folder, then swap it in for `site`. Returns the count."""
    clean_leftovers(root)
    tmp = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=root))
    count = 0
    try:
        (tmp / MARKER).write_bytes(MARKER_TEXT)
        for page in pages:
            target = tmp / page.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(page.content)
            count += 1
        tmp.chmod(0o755)
        _swap(tmp, site)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return count


def _swap(new: Path, site: Path) -> None:
    """Replace site with new; at every instant one complete site is in place or being renamed."""
    if not site.exists():
        os.rename(new, site)
        return
    old = Path(tempfile.mkdtemp(prefix=OLD_PREFIX, dir=site.parent))
    os.rmdir(old)
    os.rename(site, old)
    os.rename(new, site)
    shutil.rmtree(old, ignore_errors=True)


def atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def stale_fact_files(root: Path, fact_files: Iterable[FactFile]) -> tuple[list[str], list[str]]:
    """(files whose content differs or is missing, generated files that no fact needs)."""
    wanted = {f.path: f.text for f in fact_files}
    changed = [path for path, text in sorted(wanted.items())
               if not (root / path).is_file()
               or (root / path).read_text(encoding="utf-8") != text]
    extra = [p for p in _generated_files(root) if p not in wanted]
    return changed, extra


def _generated_files(root: Path) -> list[str]:
    folder = root / FACTS_DIR
    found = []
    for path in sorted(folder.glob("*.yaml")):
        with path.open(encoding="utf-8", errors="replace") as handle:
            if handle.read(len(FACT_FILE_HEADER)) == FACT_FILE_HEADER:
                found.append(path.relative_to(root).as_posix())
    return found


def write_fact_files(root: Path, fact_files: Iterable[FactFile]) -> int:
    """Write changed fact files atomically; remove generated ones that no fact needs."""
    fact_files = list(fact_files)
    changed, extra = stale_fact_files(root, fact_files)
    texts = {f.path: f.text for f in fact_files}
    for path in changed:
        atomic_write(root / path, texts[path].encode("utf-8"))
    for path in extra:
        (root / path).unlink()
    return len(changed) + len(extra)
