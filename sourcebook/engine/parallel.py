"""Use every core for work that pays for it: forked workers inherit the data, return results.

Forking is only safe in a single-threaded process, so callers that run threads (the preview
server) keep `enabled` off. Results come back in the order of the items.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 64  # below this, starting workers costs more than it saves
# What forked workers run, and on what: set just before forking, so workers inherit them and
# only index ranges and results cross between processes.
_task: Callable[[Any], Any] | None = None
_items: Sequence[Any] = ()


def workers() -> int:
    """How many cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _die_with_parent(parent: int) -> None:
    """A worker must not outlive a build that is killed: ask Linux to kill it too."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _run_chunk(bounds: tuple[int, int]) -> list[Any]:
    assert _task is not None
    return [_task(item) for item in _items[bounds[0]:bounds[1]]]


def map_items(task: Callable[[T], R], items: Sequence[T], *, enabled: bool = True) -> list[R]:
    """[task(item) for item in items], spread over the cores when that pays off."""
    count = workers()
    if (not enabled or count < 2 or len(items) < MIN_ITEMS
            or sys.platform == "win32" or "fork" not in multiprocessing.get_all_start_methods()):
        return [task(item) for item in items]
    global _task, _items
    _task, _items = task, items
    size = max(1, len(items) // (count * 4))
    bounds = [(i, min(i + size, len(items))) for i in range(0, len(items), size)]
    try:
        with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"),
                                 initializer=_die_with_parent,
                                 initargs=(os.getpid(),)) as pool:
            return [result for chunk in pool.map(_run_chunk, bounds) for result in chunk]
    finally:
        _task, _items = None, ()
