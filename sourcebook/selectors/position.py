"""Text positions: code-point offsets and the 1-based line and column an editor shows."""

from __future__ import annotations


def line_col(text: str, offset: int) -> tuple[int, int]:
    """The line and column of a code-point offset: both 1-based, columns in code points."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
