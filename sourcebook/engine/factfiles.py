"""The write stage for the fact files: content/facts/ kept equal to the research, each file
replaced atomically, and the check that the committed files are current."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from ..content.layout import FACTS_DIR
from ..research.factfile import FACT_FILE_HEADER
from ..research.model import FactFile
from .output import SiteFiles, atomic_write, file_stat


def stale_fact_files(root: Path, fact_files: Iterable[FactFile],
                     known: SiteFiles | None = None) -> tuple[list[str], list[str]]:
    """(files whose content differs or is missing, generated files that no fact needs).

    A file whose (mtime, size) and hash match what the last build recorded is not read again.
    """
    known = known or {}
    wanted = {f.path: f.text for f in fact_files}
    changed = []
    for path, text in sorted(wanted.items()):
        record = known.get(path)
        if record and record[0] == _text_sha(text) and file_stat(root / path) == record[1]:
            continue
        target = root / path
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            changed.append(path)
    extra = [p for p in _generated_files(root, known) if p not in wanted]
    return changed, extra


def _text_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _generated_files(root: Path, known: SiteFiles) -> list[str]:
    folder = root / FACTS_DIR
    if not folder.is_dir():
        return []
    found = []
    for name in sorted(e.name for e in os.scandir(folder) if e.name.endswith(".yaml")):
        rel = f"{FACTS_DIR}/{name}"
        if rel in known:
            found.append(rel)
            continue
        with (folder / name).open(encoding="utf-8", errors="replace") as handle:
            if handle.read(len(FACT_FILE_HEADER)) == FACT_FILE_HEADER:
                found.append(rel)
    return found


def write_fact_files(root: Path, fact_files: Iterable[FactFile],
                     known: SiteFiles | None = None) -> tuple[int, SiteFiles]:
    """Write changed fact files atomically; remove generated ones that no fact needs.
    Returns the number of files touched and the (hash, stat) of every fact file."""
    fact_files = list(fact_files)
    for leftover in (root / FACTS_DIR).glob(".*.tmp"):  # from a write that was killed
        leftover.unlink(missing_ok=True)
    changed, extra = stale_fact_files(root, fact_files, known)
    texts = {f.path: f.text for f in fact_files}
    for path in changed:
        atomic_write(root / path, texts[path].encode("utf-8"))
    for path in extra:
        (root / path).unlink()
    record = {f.path: (_text_sha(f.text), file_stat(root / f.path) or (0, 0)) for f in fact_files}
    return len(changed) + len(extra), record
