"""The write stage: where the files of the site go (a sink for the render stage), and the
atomic replacement of site/.

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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..content.layout import SITE_DIR
from ..diagnostics import OutputRefused
from .state import MARKER

if TYPE_CHECKING:
    from ..site.render import SiteFile

MARKER_TEXT = b"This folder is built by sourcebook and replaced whole by each build. Site id: "
PROJECT_FOLDERS = ("seeds", "archive", "content", "templates", "sourcebook", "tests", ".git")


@dataclass(frozen=True)
class Marker:
    """What a built site says about itself in its marker file."""

    site_id: str
    files: frozenset[str] | None  # every file it wrote (None if built by an older version)


def marker_bytes(identity: str, paths: Iterable[str]) -> bytes:
    """The marker file: the site's id, then every file the build wrote."""
    listing = "".join(f"{path}\n" for path in sorted(paths))
    return MARKER_TEXT + identity.encode() + b"\nfiles:\n" + listing.encode("utf-8")


def read_marker(site: Path) -> Marker | None:
    """A built site's marker, or None if the folder has none."""
    try:
        text = (site / MARKER).read_text(encoding="utf-8", errors="replace")
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None
    first, _, rest = text.partition("\n")
    files = frozenset(rest.removeprefix("files:\n").splitlines()) \
        if rest.startswith("files:\n") else None
    return Marker(first.rsplit(" ", 1)[-1].strip(), files)


def check_output(root: Path, site: Path, built_here: dict[str, str]) -> None:
    """Raise OutputRefused if the build must not replace `site`: the project itself, a file,
    a folder that this project did not build (`built_here`: output folder → the id of the
    site this project last built there), or one holding files the build did not write
    (they would be lost). The project's own site/ is its own, even after the project moved."""
    site, root = site.resolve(), root.resolve()
    if site == root or root.is_relative_to(site):
        raise OutputRefused(f"{site} holds the project itself")
    for name in PROJECT_FOLDERS:
        if site == root / name or site.is_relative_to(root / name):
            raise OutputRefused(f"{site} is inside the project's {name}/ folder")
    if site.exists() and not site.is_dir():
        raise OutputRefused(f"{site} is a file, not a folder")
    if not site.is_dir() or not any(site.iterdir()):
        return
    marker = read_marker(site)
    if marker is None:
        raise OutputRefused(f"{site} is not empty and was not built by sourcebook")
    if site != root / SITE_DIR and built_here.get(str(site)) != marker.site_id:
        raise OutputRefused(f"{site} was built by another sourcebook project (or by this one "
                            "before its .sourcebook-cache/ was removed); delete it first if it "
                            "may go")
    if marker.files is None:
        return  # the project's own site/, from an older version: it held only built files
    foreign = sorted(set(_files_in(site)) - marker.files - {MARKER})
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3
                                          else "")
        raise OutputRefused(f"{site} holds files the build did not write, which replacing it "
                            f"would lose: {shown}. Move them into templates/static/ (copied into "
                            "every build) or elsewhere")


def _files_in(folder: Path) -> Iterator[str]:
    for parent, _, names in os.walk(folder):
        rel = Path(parent).relative_to(folder)
        for name in names:
            yield (rel / name).as_posix()


def leftover_prefixes(site: Path) -> tuple[str, str]:
    """The names of the staging and old folders of a build into `site`, which live beside it:
    .<name>.tmp-… and .<name>.old-…"""
    return f".{site.name}.tmp-", f".{site.name}.old-"


def clean_leftovers(site: Path) -> None:
    """Remove what a killed build into `site` left (the caller holds the output's lock, so no
    build is using them); if it died between the two renames of the fallback swap, the old
    site is complete: put it back."""
    tmp_prefix, old_prefix = leftover_prefixes(site)
    olds = sorted(site.parent.glob(f"{old_prefix}*"))
    if not site.exists() and len(olds) == 1 and (olds[0] / MARKER).is_file():
        os.rename(olds[0], site)
        olds = []
    for leftover in [*site.parent.glob(f"{tmp_prefix}*"), *olds]:
        shutil.rmtree(leftover, ignore_errors=True)


SiteFiles = dict[str, tuple[str, tuple[int, int]]]  # path → (sha256, (mtime_ns, size))


@dataclass(frozen=True)
class Written:
    """What committing a site did: the record of its files, its id, and how many files changed."""

    files: SiteFiles  # every file of the new site
    site_id: str
    written: int  # files whose bytes changed (the rest were kept from the last build)


def site_id(files: Iterable[SiteFile]) -> str:
    """A digest of the whole site's content: the same inputs give the same id."""
    hasher = hashlib.sha256()
    for file in sorted(files, key=lambda f: f.path):
        hasher.update(f"{file.path}\0{file.sha256}\n".encode())
    return hasher.hexdigest()


def new_staging(site: Path) -> Path:
    """A fresh folder beside `site` where the new site is assembled (leftovers removed first)."""
    clean_leftovers(site)
    return Path(tempfile.mkdtemp(prefix=leftover_prefixes(site)[0], dir=site.parent))


def _staged(folder: Path, path: str, chunks: Iterable[bytes]) -> str:
    """Write a file into a folder piece by piece; return the hash of its bytes."""
    target = folder / path
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with target.open("wb") as handle:
        for data in chunks:
            digest.update(data)
            handle.write(data)
    return digest.hexdigest()


class StagingLost(OSError):
    """A file the build wrote into its staging folder is gone: the site is not swapped in."""


class SiteFolder:
    """The `build` sink: the new site is assembled in a staging folder beside the old one,
    files streamed to disk as they are made; an unchanged file is hard-linked from the old
    site. `commit` swaps the whole folder in; `abandon` removes it."""

    def __init__(self, site: Path, previous: SiteFiles | None = None) -> None:
        self.site = site
        self.previous = previous or {}
        self.intact = verified_site_files(site, self.previous)
        self.staging = new_staging(site)

    def store(self, path: str, chunks: Iterable[bytes]) -> tuple[str, bytes | None]:
        """Write a new file into the staging folder."""
        return _staged(self.staging, path, chunks), None

    def keeps(self, path: str, sha256: str) -> bool:
        """Whether site/ still holds the last build's file, untouched and with this hash."""
        return path in self.intact and self.previous[path][0] == sha256

    def commit(self, files: Iterable[SiteFile]) -> Written:
        """Complete the staging folder with the kept files, swap it in as site/, and return what was
        written; on failure the staging folder is removed."""
        files = list(files)
        identity = site_id(files)
        tmp = self.staging
        record: SiteFiles = {}
        written = 0
        try:
            (tmp / MARKER).write_bytes(marker_bytes(identity, (f.path for f in files)))
            for file in files:
                target = tmp / file.path
                if not target.exists():  # kept: link the last build's copy
                    if not self.keeps(file.path, file.sha256):
                        raise StagingLost(f"{tmp}: {file.path} is missing; another process "
                                          "changed the folder while the site was built")
                    target.parent.mkdir(parents=True, exist_ok=True)
                    if not _link(self.site / file.path, target):
                        shutil.copyfile(self.site / file.path, target)
                # Written unless site/ still held the last build's copy: a deleted site/ is
                # made again in full, and says so.
                written += not self.keeps(file.path, file.sha256)
                record[file.path] = (file.sha256, file_stat(target) or (0, 0))
            tmp.chmod(0o755)
            _swap(tmp, self.site)
        except BaseException:
            self.abandon()
            raise
        return Written(record, identity, written)

    def abandon(self) -> None:
        """Remove the staging folder; site/ stays as it was."""
        shutil.rmtree(self.staging, ignore_errors=True)


class InMemory:
    """The preview's sink: every file held in memory; the last good build's are kept."""

    def __init__(self, previous: dict[str, bytes] | None = None,
                 hashes: dict[str, str] | None = None) -> None:
        self.previous = previous or {}
        # The hashes of the previous files, when the caller knows them (hashing a large
        # site's every page again would cost more than the rebuild it serves).
        self._hashes = hashes if hashes is not None else {
            path: hashlib.sha256(data).hexdigest() for path, data in self.previous.items()}

    def store(self, path: str, chunks: Iterable[bytes]) -> tuple[str, bytes | None]:
        """Hold a new file's bytes in memory."""
        content = b"".join(chunks)
        return hashlib.sha256(content).hexdigest(), content

    def keeps(self, path: str, sha256: str) -> bool:
        """Whether the last good build held this file with this hash."""
        return self._hashes.get(path) == sha256

    def pages(self, files: Iterable[SiteFile]) -> dict[str, bytes]:
        """Every file's bytes: the new ones, and the kept ones from the last build."""
        return {f.path: f.content if f.content is not None else self.previous[f.path]
                for f in files}


class Nowhere:
    """The `check` sink: files are made (to find every error) and hashed, never kept. What
    the last build made unchanged need not be made again."""

    def store(self, path: str, chunks: Iterable[bytes]) -> tuple[str, bytes | None]:
        """Hash a new file and keep nothing."""
        digest = hashlib.sha256()
        for data in chunks:
            digest.update(data)
        return digest.hexdigest(), None

    def keeps(self, path: str, sha256: str) -> bool:
        """Always: nothing is written, so a file with unchanged reads need not be made again."""
        return True


def verified_site_files(site: Path, previous: SiteFiles) -> frozenset[str]:
    """The files of the last build that are still in site/ exactly as it wrote them."""
    return frozenset(path for path, (_, stat) in previous.items()
                     if file_stat(site / path) == stat)


def file_stat(path: Path) -> tuple[int, int] | None:
    """A file's (mtime_ns, size), or None if there is no such file."""
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
    old = Path(tempfile.mkdtemp(prefix=leftover_prefixes(site)[1], dir=site.parent))
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
