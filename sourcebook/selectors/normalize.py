"""Quote normalisation with a map back to code-point offsets in the original text.

The steps, in order (docs/format.md, "Quote matching"): typographic quotes and dashes to
ASCII; Unicode NFKC; every run of whitespace to one space. Each normalised character remembers
the original span it came from, so a match in normalised text becomes exact offsets in the seed.
"""

from __future__ import annotations

import bisect
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
    """Normalised text, with the original span of each of its characters.

    The map is kept as pieces, not per character (a seed of 6.4 MB would need two lists of
    6.4 million numbers): a piece starting at normalised offset `at[i]` either copies the
    original from `first[i]` on (`last[i]` is -1), or is the normalisation of the original
    span [first[i], last[i]), to which each of its characters maps whole.
    """

    text: str
    at: list[int]
    first: list[int]
    last: list[int]

    def span_of(self, offset: int) -> tuple[int, int]:
        """The original span of the normalised character at `offset`."""
        i = bisect.bisect_right(self.at, offset) - 1
        if self.last[i] < 0:
            start = self.first[i] + offset - self.at[i]
            return start, start + 1
        return self.first[i], self.last[i]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets of the normalised slice [start, end); end > start."""
        return self.span_of(start)[0], self.span_of(end - 1)[1]

    @property
    def starts(self) -> list[int]:
        """Each character's original start (for tests and small texts)."""
        return [self.span_of(i)[0] for i in range(len(self.text))]

    @property
    def ends(self) -> list[int]:
        """Each character's original end (for tests and small texts)."""
        return [self.span_of(i)[1] for i in range(len(self.text))]


def _starts_segment(char: str) -> bool:
    # Combining marks and Hangul medial/final jamo compose with what precedes them.
    return unicodedata.combining(char) == 0 and not ("\u1160" <= char <= "\u11ff")


class _Pieces:
    """Collects output text with the map back to the original, piece by piece."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.length = 0
        self.at: list[int] = []
        self.first: list[int] = []
        self.last: list[int] = []

    def copy(self, text: str, lo: int, hi: int) -> None:
        """text[lo:hi] unchanged: each character maps to itself."""
        if hi > lo:
            self.copied(text[lo:hi], lo)

    def copied(self, piece: str, origin: int) -> None:
        """Output that is the original from `origin` on, character for character."""
        if self.at and self.last[-1] < 0 and \
                self.first[-1] + self.length - self.at[-1] == origin:
            pass  # continues the last copied piece
        else:
            self.at.append(self.length)
            self.first.append(origin)
            self.last.append(-1)
        self.out.append(piece)
        self.length += len(piece)

    def mapped(self, piece: str, lo: int, hi: int) -> None:
        """Output each of whose characters maps to the whole original span [lo, hi)."""
        if piece:
            self.at.append(self.length)
            self.first.append(lo)
            self.last.append(hi)
            self.out.append(piece)
            self.length += len(piece)

    def nfkc(self, text: str, lo: int, hi: int) -> None:
        """NFKC of text[lo:hi]: every output character maps to the whole segment."""
        self.mapped(unicodedata.normalize("NFKC", text[lo:hi]), lo, hi)

    def result(self) -> NormalizedText:
        """The text collected so far, with its map."""
        return NormalizedText("".join(self.out), self.at, self.first, self.last)


def _nfkc_with_map(text: str, *, whole_runs: bool = False) -> NormalizedText:
    """NFKC, applied segment by segment so that every output character has a source span.

    Segments start at characters that compose with nothing before them; with whole_runs,
    each run of non-ASCII characters (and the character before it) is one segment.
    """
    built = _Pieces()
    if text.isascii():
        built.copy(text, 0, len(text))
        return built.result()
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
    result = built.result()
    if not whole_runs and result.text != unicodedata.normalize("NFKC", text):
        # A composition across our segment boundaries (very rare scripts): use larger
        # segments. Matches are re-verified against the seed anyway.
        return _nfkc_with_map(text, whole_runs=True)
    return result


def normalize_with_map(original: str) -> NormalizedText:
    """Normalise a whole seed once, keeping the offset map (not trimmed: offsets matter)."""
    nfkc = _nfkc_with_map(original.translate(_PUNCTUATION))
    text = nfkc.text
    built = _Pieces()
    piece = 0  # the piece of `nfkc` that holds `pos`
    pos = 0

    def keep(end: int) -> None:
        """Copy nfkc.text[pos:end] with its map."""
        nonlocal piece
        at = pos
        while at < end:
            while piece + 1 < len(nfkc.at) and nfkc.at[piece + 1] <= at:
                piece += 1
            stop = min(end, nfkc.at[piece + 1] if piece + 1 < len(nfkc.at) else end)
            if nfkc.last[piece] < 0:
                built.copied(text[at:stop], nfkc.first[piece] + at - nfkc.at[piece])
            else:
                built.mapped(text[at:stop], nfkc.first[piece], nfkc.last[piece])
            at = stop

    for run in _WHITESPACE.finditer(text):
        a, b = run.span()
        if b - a == 1 and text[a] == " ":
            continue  # a single plain space is already normal
        keep(a)
        built.mapped(" ", nfkc.span_of(a)[0], nfkc.span_of(b - 1)[1])
        pos = b
    keep(len(text))
    return built.result()
