"""The write stage: atomic replacement of site/ and of the fact files.

site/ is built in a temporary folder beside it and swapped in only when complete, so a failed
or killed build leaves the previous site whole. Leftover temporary folders are removed first.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .layout import FACT_FILE_HEADER, FACTS_DIR

if TYPE_CHECKING:
    from .model import FactFile
    from .render import Page

TMP_PREFIX = ".site.tmp-"
OLD_PREFIX = ".site.old-"
MARKER = ".sourcebook-build"  # in every built site: only such a folder is ever replaced
MARKER_TEXT = b"This folder is built by sourcebook and replaced whole by each build. Site id: "
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


def clean_leftovers(root: Path, site: Path) -> None:
    """Remove what a killed build left; if it died between the two renames of the fallback
    swap, the old site is complete: put it back."""
    olds = sorted(root.glob(f"{OLD_PREFIX}*"))
    if not site.exists() and len(olds) == 1 and (olds[0] / MARKER).is_file():
        os.rename(olds[0], site)
        olds = []
    for leftover in [*root.glob(f"{TMP_PREFIX}*"), *olds]:
        shutil.rmtree(leftover, ignore_errors=True)


SiteFiles = dict[str, tuple[str, tuple[int, int]]]  # path → (sha256, (mtime_ns, size))


@dataclass(frozen=True)
class Written:
    files: SiteFiles  # every file of the new site
    site_id: str
    written: int  # files whose bytes were written (the rest were linked unchanged)


def site_id(pages: Iterable[Page]) -> str:
    """A digest of the whole site's content: the same inputs give the same id."""
    hasher = hashlib.sha256()
    for page in sorted(pages, key=lambda p: p.path):
        hasher.update(f"{page.path}\0{page.sha256}\n".encode())
    return hasher.hexdigest()


def new_staging(root: Path, site: Path) -> Path:
    """A fresh folder beside `site` where the new site is assembled (leftovers removed first)."""
    clean_leftovers(root, site)
    return Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=root))


def write_site(root: Path, site: Path, pages: Iterable[Page],
               previous: SiteFiles | None = None, staging: Path | None = None) -> Written:
    """Build the new site in a fresh folder (or `staging`, which holds the staged pages), then
    swap it in for `site`.

    A file whose bytes are unchanged since the previous build (same hash, and its copy in
    site/ untouched since) is hard-linked from the old site instead of being written again.
    """
    pages = list(pages)
    previous = previous or {}
    tmp = staging or new_staging(root, site)
    files: SiteFiles = {}
    written = 0
    identity = site_id(pages)
    try:
        (tmp / MARKER).write_bytes(MARKER_TEXT + identity.encode() + b"\n")
        made: set[Path] = set()
        for page in pages:
            target = tmp / page.path
            known = previous.get(page.path)
            if page.staged:  # already in tmp; it counts as written only if it changed
                written += not (known and known[0] == page.sha256)
                files[page.path] = (page.sha256, _stat(target) or (0, 0))
                continue
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            old = site / page.path
            if known and known[0] == page.sha256 and _stat(old) == known[1] and _link(old, target):
                pass
            elif page.content is None:
                raise RuntimeError(f"{page.path}: no content and no intact copy to reuse")
            else:
                target.write_bytes(page.content)
                written += 1
            files[page.path] = (page.sha256, _stat(target) or (0, 0))
        tmp.chmod(0o755)
        _swap(tmp, site)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Written(files, identity, written)


def verified_site_files(site: Path, previous: SiteFiles) -> frozenset[str]:
    """The files of the last build that are still in site/ exactly as it wrote them."""
    return frozenset(path for path, (_, stat) in previous.items() if _stat(site / path) == stat)


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    return (st.st_mtime_ns, st.st_size)


def _link(source: Path, target: Path) -> bool:
    try:
        os.link(source, target)
    except OSError:
        return False
    return True


def _swap(new: Path, site: Path) -> None:
    """Replace site with new. Where the system can, the two folders trade places in one atomic
    step, so at every instant `site` is a complete site, the old one or the new one."""
    if not site.exists():
        os.rename(new, site)
        return
    if _exchange(new, site):
        shutil.rmtree(new, ignore_errors=True)  # `new` now holds the old site
        return
    old = Path(tempfile.mkdtemp(prefix=OLD_PREFIX, dir=site.parent))
    os.rmdir(old)
    os.rename(site, old)  # a kill here is repaired by clean_leftovers on the next run
    os.rename(new, site)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with Linux's renameat2(RENAME_EXCHANGE); False if unsupported."""
    renameat2 = getattr(_libc(), "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.ENOSYS, errno.EINVAL, errno.EPERM, errno.EOPNOTSUPP):
        return False  # no such call, or a file system without it: fall back
    raise OSError(error, os.strerror(error), str(b))


@functools.cache
def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:  # pragma: no cover - not a POSIX C library
        return None


def atomic_write(path: Path, data: bytes) -> None:
    """Write beside the file, then rename over it: readers see the old bytes or the new."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


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
        if record and record[0] == _text_sha(text) and _stat(root / path) == record[1]:
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
    record = {f.path: (_text_sha(f.text), _stat(root / f.path) or (0, 0)) for f in fact_files}
    return len(changed) + len(extra), record
