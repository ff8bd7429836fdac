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
    changed, extra, _ = _compare(root, list(fact_files), known or {})
    return changed, extra


def _compare(root: Path, fact_files: list[FactFile],
             known: SiteFiles) -> tuple[list[str], list[str], SiteFiles]:
    """stale_fact_files, and the (hash, stat) of each file found current."""
    wanted = {f.path: f.text for f in fact_files}
    changed = []
    current: SiteFiles = {}
    folder = os.fspath(root)
    for path, text in sorted(wanted.items()):
        record = known.get(path)
        verified = _SHAS.get(id(text))
        if record and verified is not None and verified[0] is text and verified[1] == record[0]:
            current[path] = record  # this process wrote or checked it, and its text is the same
            continue
        stat = _stat(os.path.join(folder, path))
        sha = _text_sha(text)
        if record and record[0] == sha and stat == record[1]:
            current[path] = record
            continue
        target = root / path
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            changed.append(path)
        elif stat is not None:
            current[path] = (sha, stat)
    extra = [p for p in _generated_files(root, known) if p not in wanted]
    return changed, extra, current


def _stat(path: str) -> tuple[int, int] | None:
    """file_stat for a path given as a string (thousands of fact files: no Path objects)."""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return (st.st_mtime_ns, st.st_size)


# id of a fact file's text → (the text, its hash), for the files the last write_fact_files of
# this process wrote or found current: the preview's next rebuild trusts those whose text is
# the very same object (a fact that did not change) without a stat. A new process checks all.
_SHAS: dict[int, tuple[str, str]] = {}


def _text_sha(text: str) -> str:
    """The text's SHA-256, once per text object: the facts stage hands out the same fact file
    (and text) for a fact that did not change."""
    found = _SHAS.get(id(text))
    if found is None or found[0] is not text:
        found = _SHAS[id(text)] = (text, hashlib.sha256(text.encode("utf-8")).hexdigest())
    return found[1]


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
    changed, extra, record = _compare(root, fact_files, known or {})
    texts = {f.path: f.text for f in fact_files}
    for path in changed:
        atomic_write(root / path, texts[path].encode("utf-8"))
        record[path] = (_text_sha(texts[path]), file_stat(root / path) or (0, 0))
    for path in extra:
        (root / path).unlink()
    _SHAS.clear()
    _SHAS.update((id(f.text), (f.text, record[f.path][0])) for f in fact_files
                 if f.path in record)
    return len(changed) + len(extra), {f.path: record.get(f.path, ("", (0, 0)))
                                       for f in fact_files}
