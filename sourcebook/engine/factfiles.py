"""The write stage for the fact files: content/facts/ kept equal to the research, each file
replaced atomically, and the check that the committed files are current.

`build` proves every file current (by its recorded hash and stat, else by reading it). A
process that builds again and again (the preview) may trust its own last write: while the
folder is as that write left it (its mtime and ctime unchanged: no file was created, removed
or renamed in it since), only the files of the facts that changed are compared, written or
removed. A file removed or replaced by hand changes the folder, and the next rebuild proves
every file again, as `build` does; a file edited in place does not, and the next `build`
repairs it (so does one changed within the same tick of the file system's clock as the
preview's own write, which the folder's times cannot tell apart: the preview writes under the
build lock, so only a program that ignores it could do so).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..content.layout import FACTS_DIR
from ..research.factfile import FACT_FILE_HEADER
from ..research.model import FactFile, FactFileChanges, Research
from .output import SiteFiles, atomic_write, file_stat


def stale_fact_files(root: Path, fact_files: Iterable[FactFile],
                     known: SiteFiles | None = None) -> tuple[list[str], list[str]]:
    """(files whose content differs or is missing, generated files that no fact needs).

    A file whose (mtime, size) and hash match what the last build recorded is not read again.
    """
    changed, extra, _, _ = _compare(root, list(fact_files), known or {}, {})
    return changed, extra


FactTexts = dict[str, str]  # a fact file's path → the text last written or found there


def _compare(root: Path, fact_files: list[FactFile], known: SiteFiles, verified: FactTexts,
             tidy: bool = False) -> tuple[list[str], list[str], SiteFiles, int]:
    """stale_fact_files, the (hash, stat) of each file found current, and how many of them
    were taken as current without a stat: those whose text is the very object `verified`
    holds for it (a fact that did not change since this process wrote or checked its file).
    With `tidy`, leftovers of a killed write are removed."""
    trusted = 0
    changed = []
    current: SiteFiles = {}
    folder = os.fspath(root)
    for fact_file in fact_files:  # by path: the facts are in id order
        path, text = fact_file.path, fact_file.text
        record = known.get(path)
        if record and verified.get(path) is text:
            current[path] = record
            trusted += 1
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
    extra = _unwanted_files(root, known, {f.path for f in fact_files}, tidy)
    return sorted(changed), extra, current, trusted


def _stat(path: str) -> tuple[int, int] | None:
    """file_stat for a path given as a string (thousands of fact files: no Path objects)."""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return (st.st_mtime_ns, st.st_size)


def _text_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _unwanted_files(root: Path, known: SiteFiles, wanted: set[str], tidy: bool) -> list[str]:
    """The generated fact files that no fact needs, by name (one pass over the folder; with
    `tidy`, a leftover of a killed write is removed on the way)."""
    folder = root / FACTS_DIR
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return []
    found = []
    for entry in entries:
        name = entry.name
        if tidy and name.startswith(".") and name.endswith(".tmp"):
            Path(entry.path).unlink(missing_ok=True)
            continue
        rel = f"{FACTS_DIR}/{name}"
        if not name.endswith(".yaml") or rel in wanted:
            continue
        if rel in known or _generated(folder / name):
            found.append(rel)
    return sorted(found)


def write_fact_files(root: Path, fact_files: Iterable[FactFile], known: SiteFiles | None = None,
                     verified: FactTexts | None = None) -> tuple[int, SiteFiles, FactTexts]:
    """Write changed fact files atomically; remove generated ones that no fact needs.
    Returns the number of files touched, the (hash, stat) of every fact file, and the texts
    now known to be in them (`verified` for the next call of the same process)."""
    fact_files = list(fact_files)
    known, verified = known or {}, verified or {}
    changed, extra, record, trusted = _compare(root, fact_files, known, verified, tidy=True)
    stale = set(changed)
    texts = {f.path: f.text for f in fact_files if f.path in stale} if stale else {}
    for path in changed:
        atomic_write(root / path, texts[path].encode("utf-8"))
        record[path] = (_text_sha(texts[path]), file_stat(root / path) or (0, 0))
    for path in extra:
        (root / path).unlink()
    touched = len(changed) + len(extra)
    if (not extra and trusted + len(changed) == len(fact_files) == len(known) == len(verified)
            and stale <= known.keys() and stale <= verified.keys()):
        # The same files as last time, a few rewritten: the last call's maps, updated (their
        # order is the facts' order already), not two new maps of every file.
        return touched, {**known, **{p: record[p] for p in changed}}, {**verified, **texts}
    return (touched, {f.path: record.get(f.path, ("", (0, 0))) for f in fact_files},
            {f.path: f.text for f in fact_files if f.path in record})


Stamp = tuple[int, int, int] | None  # the folder's (mtime, ctime, inode); None if absent


@dataclass(frozen=True, slots=True)
class FolderMark:
    """What a process knows of content/facts/ after its own last write: the research whose
    fact files that write brought current (its serial), and the folder's stamp just after."""

    serial: int
    stamp: Stamp


def folder_stamp(root: Path) -> Stamp:
    """content/facts/'s stamp: any file created, removed or renamed in it changes it."""
    try:
        st = os.stat(root / FACTS_DIR)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def keep_fact_files(root: Path, research: Research, known: SiteFiles, verified: FactTexts,
                    mark: FolderMark | None) -> tuple[int, SiteFiles, FactTexts, FolderMark]:
    """write_fact_files for a process that builds again and again: with the mark of its
    last write, if this research was patched from that write's research and the folder is
    as the write left it, only the changed facts' files are compared, written or removed
    (`known` and `verified` are updated in place); else every file, and the texts this
    process wrote are trusted only while the folder is unchanged. Returns as
    write_fact_files, with the mark of this write."""
    changes, stamp = research.changes, folder_stamp(root)
    unchanged = mark is not None and mark.stamp == stamp
    if changes is not None and unchanged and changes.base == mark.serial:
        touched = _update(root, changes, known, verified)
    else:
        touched, known, verified = write_fact_files(root, research.fact_files, known,
                                                    verified if unchanged else {})
    return touched, known, verified, FolderMark(research.serial, folder_stamp(root))


def _update(root: Path, changes: FactFileChanges, known: SiteFiles,
            verified: FactTexts) -> int:
    """Bring the files of the facts made again or removed up to date, as write_fact_files
    would; return how many files were written or removed."""
    touched = 0
    folder = os.fspath(root)
    for fact_file in changes.made:
        path, text = fact_file.path, fact_file.text
        record = known.get(path)
        if record and verified.get(path) is text:
            continue
        stat, sha = _stat(os.path.join(folder, path)), _text_sha(text)
        if not (record and record[0] == sha and stat == record[1]):
            target = root / path
            if stat is None or target.read_text(encoding="utf-8") != text:
                atomic_write(target, text.encode("utf-8"))
                stat, touched = file_stat(target), touched + 1
        known[path], verified[path] = (sha, stat or (0, 0)), text
    for path in changes.removed:
        record, target = known.pop(path, None), root / path
        verified.pop(path, None)
        if target.is_file() and (record is not None or _generated(target)):
            target.unlink()
            touched += 1
    return touched


def _generated(path: Path) -> bool:
    """Whether a file begins with the fact files' header."""
    with path.open(encoding="utf-8", errors="replace") as handle:
        return handle.read(len(FACT_FILE_HEADER)) == FACT_FILE_HEADER
