"""Quote normalisation with a map back to code-point offsets in the original text.

The steps, in order (docs/format.md, "Quote matching"): typographic quotes and dashes to
ASCII; Unicode NFKC; every run of whitespace to one space. Each normalised character remembers
the original span it came from, so a match in normalised text becomes exact offsets in the seed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_PUNCTUATION = str.maketrans({
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
})
_WHITESPACE = re.compile(r"\s+")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def normalize(text: str) -> str:
    """The normalised form of a quote, prefix or suffix: trimmed, one space between words."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text.translate(_PUNCTUATION))).strip()


@dataclass(frozen=True)
class NormalizedText:
    """Normalised text; starts[i] and ends[i] give the original span of character i."""

    text: str
    starts: list[int]
    ends: list[int]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets of the normalised slice [start, end); end > start."""
        return self.starts[start], self.ends[end - 1]


def _starts_segment(char: str) -> bool:
    # Combining marks and Hangul medial/final jamo compose with what precedes them.
    return unicodedata.combining(char) == 0 and not ("\u1160" <= char <= "\u11ff")


class _MappedBuilder:
    """Collects output text with, for every output character, its original span."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []

    def copy(self, text: str, lo: int, hi: int) -> None:
        """text[lo:hi] unchanged: each character maps to itself."""
        self.out.append(text[lo:hi])
        self.starts.extend(range(lo, hi))
        self.ends.extend(range(lo + 1, hi + 1))

    def nfkc(self, text: str, lo: int, hi: int) -> None:
        """NFKC of text[lo:hi]: every output character maps to the whole segment."""
        piece = unicodedata.normalize("NFKC", text[lo:hi])
        self.out.append(piece)
        self.starts.extend([lo] * len(piece))
        self.ends.extend([hi] * len(piece))

    def result(self) -> tuple[str, list[int], list[int]]:
        """The text collected so far, with the original start and end of each of its characters."""
        return "".join(self.out), self.starts, self.ends


def _nfkc_with_map(text: str, *, whole_runs: bool = False) -> tuple[str, list[int], list[int]]:
    """NFKC, applied segment by segment so that every output character has a source span.

    Segments start at characters that compose with nothing before them; with whole_runs,
    each run of non-ASCII characters (and the character before it) is one segment.
    """
    if text.isascii():
        return text, list(range(len(text))), list(range(1, len(text) + 1))
    built = _MappedBuilder()
    pos = 0
    for run in _NON_ASCII_RUN.finditer(text):
        # The ASCII character before a run may be the base of a combining mark in it.
        run_start = run.start() - 1 if run.start() > pos else run.start()
        built.copy(text, pos, run_start)
        seg_start = run_start
        for i in range(run_start + 1, run.end() + 1):
            if i == run.end() or (not whole_runs and _starts_segment(text[i])):
                built.nfkc(text, seg_start, i)
                seg_start = i
        pos = run.end()
    built.copy(text, pos, len(text))
    joined, starts, ends = built.result()
    if not whole_runs and joined != unicodedata.normalize("NFKC", text):
        # A composition across our segment boundaries (very rare scripts): use larger
        # segments. Matches are re-verified against the seed anyway.
        return _nfkc_with_map(text, whole_runs=True)
    return joined, starts, ends


def normalize_with_map(original: str) -> NormalizedText:
    """Normalise a whole seed once, keeping the offset map (not trimmed: offsets matter)."""
    text, starts, ends = _nfkc_with_map(original.translate(_PUNCTUATION))
    out: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    pos = 0
    for run in _WHITESPACE.finditer(text):
        a, b = run.span()
        if b - a == 1 and text[a] == " ":
            continue  # a single plain space is already normal
        out.append(text[pos:a])
        new_starts.extend(starts[pos:a])
        new_ends.extend(ends[pos:a])
        out.append(" ")
        new_starts.append(starts[a])
        new_ends.append(ends[b - 1])
        pos = b
    out.append(text[pos:])
    new_starts.extend(starts[pos:])
    new_ends.extend(ends[pos:])
    return NormalizedText("".join(out), new_starts, new_ends)
