"""Builds to compare, for the incremental-equals-clean tests and others: a project's input files
saved and put back, a clean build of them, and a built site's and the fact files' contents."""

from __future__ import annotations

import shutil
from pathlib import Path

from sourcebook.diagnostics import ContentError
from sourcebook.engine.pipeline import MemoryBuild, build_in_memory
from sourcebook.engine.settings import Settings

INPUTS = ("seeds", "archive", "content", "templates")


def snapshot(root: Path) -> dict[str, bytes]:
    """Every input file's bytes, to undo a step."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for top in INPUTS for p in sorted((root / top).rglob("*")) if (root / top).is_dir()
            if p.is_file() and not p.relative_to(root).as_posix().startswith("content/facts/")}


def restore(root: Path, files: dict[str, bytes]) -> None:
    """Put the input files back as a snapshot holds them."""
    for rel in set(snapshot(root)) - set(files):
        (root / rel).unlink()
    for rel, data in files.items():
        path = root / rel
        if not path.is_file() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)


def clean_build(root: Path, scratch: Path,
                settings: Settings | None = None) -> MemoryBuild | list[str]:
    """The project's inputs built from nothing: every file, or every diagnostic."""
    if scratch.exists():
        shutil.rmtree(scratch)
    for top in INPUTS:
        if (root / top).is_dir():
            shutil.copytree(root / top, scratch / top, ignore=shutil.ignore_patterns("facts"))
    try:
        return build_in_memory(scratch, settings)
    except ContentError as exc:
        return [d.format() for d in exc.diagnostics.sorted()]


def site_files(site: Path) -> dict[str, bytes]:
    """A built site's files, but for the marker that says a build made it."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and p.name != ".sourcebook-build"}


def fact_files(root: Path) -> dict[str, str]:
    """The fact files a project holds, by path."""
    return {p.relative_to(root).as_posix(): p.read_text("utf-8")
            for p in sorted((root / "content/facts").glob("*.yaml"))}


def expected_fact_files(build: MemoryBuild) -> dict[str, str]:
    """The fact files a build says the project should hold, by path."""
    return {f.path: f.text for f in build.research.fact_files}
