"""Reading the project's files, and only those: regular files inside the project, never through
a symbolic link, each within its size limit (docs/format.md, "Inputs and limits").

A link could publish any file of the machine that builds the site (a seed linked to
.git/config would put the deploy token on a web page), so a link among the inputs is an error,
as is anything that cannot be read; each says where, and what to do.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from pathlib import Path

from .diagnostics import Diagnostics, Location

LINK_HINT = "copy the file into the project instead of linking to it"


def link_error(diags: Diagnostics, rel: str) -> None:
    """Report an input that is a symbolic link, at the link."""
    diags.error(Location(rel), "this is a symbolic link: the build reads only files inside the "
                "project", LINK_HINT)


def folder_ok(root: Path, rel: str, diags: Diagnostics) -> bool:
    """Whether a folder of the project can be read from: every part of its path below the
    project a real folder, not a link (a missing folder is the caller's to report)."""
    path = root
    for part in Path(rel).parts:
        path = path / part
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            return False
        if stat.S_ISLNK(mode):
            link_error(diags, path.relative_to(root).as_posix() + "/")
            return False
    return True


def listed(root: Path, folder: str, suffix: str, diags: Diagnostics) -> list[str]:
    """The files of a project folder whose names end in `suffix`, by name: hidden files are
    left out, and a link among them is an error."""
    if not folder_ok(root, folder, diags):
        return []
    found = []
    try:
        entries = sorted(os.scandir(root / folder), key=lambda e: e.name)
    except FileNotFoundError:
        return []
    for entry in entries:
        if entry.name.startswith(".") or not entry.name.endswith(suffix):
            continue
        rel = f"{folder}/{entry.name}"
        if entry.is_symlink():
            link_error(diags, rel)
        elif entry.is_file(follow_symlinks=False):
            found.append(rel)
    return found


RECENT_NS = 2_000_000_000


def file_identity(root: Path, rel: str) -> tuple[int, int, int, int] | None:
    """(inode, mtime, ctime, size) of a project file that is a regular file and not a link,
    else None: equal identities mean the file was not written since, so what was read from
    it may be reused without reading it again. A file changed in the last RECENT_NS has none:
    the clock's granularity could hide a second write of the same size (git's "racy" case)."""
    try:
        info = os.lstat(f"{root}/{rel}")  # no Path objects: called for every input file
    except OSError:
        return None
    return identity_of(info)


def identity_of(info: os.stat_result) -> tuple[int, int, int, int] | None:
    """The identity (as file_identity) of a file from its lstat."""
    if not stat.S_ISREG(info.st_mode) or time.time_ns() - info.st_ctime_ns < RECENT_NS:
        return None
    return (info.st_ino, info.st_mtime_ns, info.st_ctime_ns, info.st_size)


def read(root: Path, rel: str, diags: Diagnostics, limit: int, what: str = "file",
         setting: str = "file_bytes") -> bytes | None:
    """A project file's bytes, or None with the reason reported at the file. `limit` is the
    most bytes it may have (`limits.<setting>` in content/site.yaml raises it)."""
    folder = str(Path(rel).parent)
    if folder != "." and not folder_ok(root, folder, diags):
        if not os.path.lexists(root / folder):
            diags.error(Location(rel), "the file is missing")
        return None
    try:
        fd = os.open(root / rel, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        _read_error(diags, rel, exc)
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            diags.error(Location(rel), "this is not a file", f"put a {what} here, or remove it")
            return None
        if info.st_size > limit:
            diags.error(Location(rel), f"the {what} is {_size(info.st_size)}, over the limit of "
                        f"{_size(limit)}",
                        f"if it is meant to be this big, raise `limits: {{{setting}: …}}` in "
                        "content/site.yaml")
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(limit + 1)[:limit]
    except OSError as exc:
        _read_error(diags, rel, exc)
        return None
    finally:
        os.close(fd)


def _read_error(diags: Diagnostics, rel: str, exc: OSError) -> None:
    if exc.errno == errno.ELOOP:
        link_error(diags, rel)
    elif exc.errno == errno.ENOENT:
        diags.error(Location(rel), "the file disappeared while the build was reading the project",
                    "build again once the files have stopped changing")
    elif exc.errno in (errno.EACCES, errno.EPERM):
        diags.error(Location(rel), "the file cannot be read: permission denied",
                    "give yourself permission to read it, e.g. `chmod u+r` on it")
    else:
        diags.error(Location(rel), f"the file cannot be read: {exc.strerror or exc}")


def _size(count: int) -> str:
    return f"{count / 2**20:.1f} MB" if count >= 2**20 else f"{count:,} bytes"

