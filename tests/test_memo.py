"""The memo keeps what a build used, including the steps a reused step once called."""

from __future__ import annotations

from sourcebook.diagnostics import Diagnostics
from sourcebook.memo import Memo


def parse(memo: Memo, text: str, calls: list[str]) -> str:
    def compute(_: Diagnostics) -> str:
        calls.append(text)
        return text.upper()
    return memo.call("parse", text, compute, Diagnostics())


def read(memo: Memo, name: str, stamp: int, text: str, calls: list[str]) -> str:
    """A file's parse, kept by its stamp; the parse itself kept by the text."""
    return memo.call("file", (name, stamp), lambda _: parse(memo, text, calls), Diagnostics())


def test_a_reused_step_keeps_the_steps_it_called():
    memo, calls = Memo(), []
    for stamp in (1, 1, 1):  # built three times, the file unchanged: read once
        memo.start_build()
        assert read(memo, "a", stamp, "same", calls) == "SAME"
        memo.finish_build()
    # Touched but not changed: a new stamp, the same text. The parse is still kept.
    memo.start_build()
    assert read(memo, "a", 2, "same", calls) == "SAME"
    memo.finish_build()
    assert calls == ["same"]
    assert memo.computed == {"file": 1}


def test_what_no_build_uses_is_dropped():
    memo, calls = Memo(), []
    memo.start_build()
    read(memo, "a", 1, "old", calls)
    memo.finish_build()
    memo.start_build()
    read(memo, "a", 2, "new", calls)
    memo.finish_build()
    assert memo.count("parse") == 1 and memo.count("file") == 1
