"""One build at a time: of a project, and into an output folder.

Two builds at once would each clean up the other's staging folder and could swap in half a
site. Each build therefore holds two locks while it writes: the project's
(.sourcebook-cache/lock, which also names the holder's process id) and the output folder's
(the folder that holds it: a second project building into the same place waits too). A build
that finds a lock taken says so and waits; the locks go with the process, however it ends.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .state import CACHE_DIR, cache_folder

LOCK_FILE = "lock"


@contextmanager
def build_lock(root: Path, site: Path | None,
               wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the project's lock, and the output folder's if there is one, for a block; `wait`
    is told when another build holds either, before waiting for it."""
    project = os.open(cache_folder(root) / LOCK_FILE,
                      os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    output = None
    try:
        if not _try(project):
            _tell(wait, f"another build of this project is running (pid {_holder(project)}, "
                        f"see {CACHE_DIR}/{LOCK_FILE}); waiting for it to finish")
            fcntl.flock(project, fcntl.LOCK_EX)
        os.ftruncate(project, 0)
        os.pwrite(project, f"{os.getpid()}\n".encode(), 0)
        if site is not None:
            site.parent.mkdir(parents=True, exist_ok=True)
            output = os.open(site.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            if not _try(output):
                _tell(wait, f"another build is writing into {site.parent}; waiting for it "
                            "to finish")
                fcntl.flock(output, fcntl.LOCK_EX)
        yield
    finally:
        if output is not None:
            os.close(output)
        os.close(project)  # closing releases the lock


def _try(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _holder(fd: int) -> str:
    """The process id the holder wrote, or '?' while it has not written it yet."""
    text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    return text if text.isdigit() else "?"


def _tell(wait: Callable[[str], None] | None, message: str) -> None:
    if wait is not None:
        wait(message)
