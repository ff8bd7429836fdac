"""Builds run with Python's cyclic garbage collector paused.

A build is one pass that makes millions of small objects and almost no reference cycles: the
collector would re-scan the growing heap again and again (a fifth of a big build's time) to
free nearly nothing. Reference counting still frees everything else at once.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block; afterwards, collect as the caller had it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
