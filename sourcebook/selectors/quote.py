"""Text quote selectors: the one definition of "does this quote match", and of describing a
passage with the shortest context that picks it out.

A selector is the W3C TextQuoteSelector: an exact quote, with an optional prefix that must end
right before it and an optional suffix that must start right after it. Quote, prefix, suffix
and text are compared after normalisation (docs/format.md, "Quote matching"); whitespace where
the context meets the quote is ignored. A match is proved: the original text under it must
normalise back to the quote, so a match never starts or ends inside a character that
normalises to several (such as '…').

`describe` works as Apache Annotator's describeTextQuote does: it proposes contexts, shortest
first, and keeps the first one that `select` proves picks out the passage alone. So what is
described always matches, by the same code that anchors it.

Every operation is linear in the text: matching never copies the text before a match.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from .normalize import NormalizedText, normalize, normalize_with_map
from .position import line_col

C = TypeVar("C")
CONTEXT_WORDS = 8  # the longest prefix or suffix `describe` proposes, in words


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A stretch of a text in code-point offsets: text[start:end]."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class TextQuote:
    """A normalised TextQuoteSelector: exact words, with optional context on either side."""

    exact: str
    prefix: str = ""
    suffix: str = ""

    @classmethod
    def of(cls, exact: str, prefix: str = "", suffix: str = "") -> TextQuote:
        """A selector as a researcher writes it, normalised for matching."""
        return cls(normalize(exact), normalize(prefix), normalize(suffix))


def occurrences(haystack: str, needle: str) -> list[int]:
    """Every start of needle in haystack, overlapping ones included."""
    found = []
    at = haystack.find(needle)
    while at != -1:
        found.append(at)
        at = haystack.find(needle, at + 1)
    return found


def first_unique(candidates: Iterable[C], unique: Callable[[C], bool]) -> C | None:
    """The first tentative context that its matcher proves picks out only the target: the
    shape of every describer here (quotes in seeds, text fragments in browsers)."""
    return next((c for c in candidates if unique(c)), None)


def words_before(text: str, at: int, count: int) -> list[str]:
    """Up to `count` space-separated words that end right before `at` (spaces skipped)."""
    end = at
    while end > 0 and text[end - 1] == " ":
        end -= 1
    words: list[str] = []
    while end > 0 and len(words) < count:
        start = text.rfind(" ", 0, end) + 1
        if start < end:
            words.append(text[start:end])
        end = start - 1
    return words[::-1]


def words_after(text: str, at: int, count: int) -> list[str]:
    """Up to `count` space-separated words that start right after `at` (spaces skipped)."""
    words: list[str] = []
    while at < len(text) and len(words) < count:
        while at < len(text) and text[at] == " ":
            at += 1
        end = text.find(" ", at)
        end = len(text) if end == -1 else end
        if at < end:
            words.append(text[at:end])
        at = end
    return words


class QuoteIndex:
    """A text normalised once, for every selector matched in it or described from it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.norm: NormalizedText = normalize_with_map(text)

    def matches(self, exact: str) -> list[int]:
        """Where a normalised quote starts in the normalised text, each match proved."""
        return [at for at in occurrences(self.norm.text, exact) if self._proved(at, exact)]

    def _proved(self, at: int, exact: str) -> bool:
        start, end = self.norm.original_span(at, at + len(exact))
        return normalize(self.text[start:end]) == exact

    def fits(self, at: int, length: int, prefix: str, suffix: str) -> bool:
        """Whether the prefix ends right before the match at `at` and the suffix starts right
        after it (one space between them ignored: the normalised text has no longer runs)."""
        text = self.norm.text
        if prefix:
            end = at - 1 if at > 0 and text[at - 1] == " " else at
            if not text.endswith(prefix, 0, end):
                return False
        if suffix:
            begin = at + length
            begin += 1 if begin < len(text) and text[begin] == " " else 0
            if not text.startswith(suffix, begin):
                return False
        return True

    def select(self, quote: TextQuote, matches: list[int] | None = None) -> list[int]:
        """The matches of the quote that its prefix and suffix allow."""
        found = self.matches(quote.exact) if matches is None else matches
        return [at for at in found if self.fits(at, len(quote.exact), quote.prefix, quote.suffix)]

    def span(self, at: int, length: int) -> Span:
        """The original offsets of a normalised match."""
        start, end = self.norm.original_span(at, at + length)
        return Span(start, end)

    def describe(self, span: Span, *, suffix_first: bool = False,
                 words: int = CONTEXT_WORDS) -> TextQuote | None:
        """The selector for text[span] with the fewest words of context (a prefix or a
        suffix) that select it alone; None when no context of up to `words` words does, or
        when the span is not a match of its own words (it starts or ends inside a
        character that normalises to several)."""
        exact = normalize(self.text[span.start:span.end])
        matches = self.matches(exact) if exact else []
        mine = next((at for at in matches if self.span(at, len(exact)) == span), None)
        if mine is None:
            return None
        if len(matches) == 1:
            return TextQuote(exact)
        return self.describe_match(exact, mine, matches, suffix_first=suffix_first, words=words)

    def describe_match(self, exact: str, mine: int, matches: list[int], *,
                       suffix_first: bool = False,
                       words: int = CONTEXT_WORDS) -> TextQuote | None:
        """Among the given matches of `exact`, the shortest context that selects `mine`."""
        text = self.norm.text
        before = words_before(text, mine, words)
        after = words_after(text, mine + len(exact), words)
        prefixes = [TextQuote(exact, " ".join(before[-n:])) for n in range(1, len(before) + 1)]
        suffixes = [TextQuote(exact, "", " ".join(after[:n])) for n in range(1, len(after) + 1)]
        return first_unique(suffixes + prefixes if suffix_first else prefixes + suffixes,
                            lambda quote: self.select(quote, matches) == [mine])

    def describe_as_written(self, span: Span) -> TextQuote | None:
        """`describe(span)`, its quote and context in the text's own words (whitespace runs
        as one space) rather than normalised: what a researcher would have typed. Falls back
        to the normalised context when the text's own words would not select the span."""
        described = self.describe(span)
        if described is None:
            return None
        text = self.norm.text
        mine = next(at for at in self.matches(described.exact)
                    if self.span(at, len(described.exact)) == span)
        prefix = suffix = ""
        if described.prefix:
            end = mine - 1 if mine > 0 and text[mine - 1] == " " else mine
            prefix = self._written(end - len(described.prefix), end)
        if described.suffix:
            begin = mine + len(described.exact)
            begin += 1 if begin < len(text) and text[begin] == " " else 0
            suffix = self._written(begin, begin + len(described.suffix))
        written = TextQuote(" ".join(self.text[span.start:span.end].split()), prefix, suffix)
        if self.select(TextQuote.of(written.exact, prefix, suffix)) == [mine]:
            return written
        return TextQuote(written.exact, described.prefix, described.suffix)

    def _written(self, start: int, end: int) -> str:
        first, last = self.norm.original_span(start, end)
        return " ".join(self.text[first:last].split())

    def position(self, offset: int) -> tuple[int, int]:
        """The line and column of an original offset."""
        return line_col(self.text, offset)

    def original(self, at: int) -> int:
        """The original offset of a position in the normalised text."""
        return self.norm.span_of(at)[0]


def surrounding(text: str, span: Span, chars: int) -> tuple[str, str]:
    """Up to `chars` code points of the original text on each side of a span: the context a
    Web Annotation's TextQuoteSelector carries, as Hypothesis stores it."""
    return text[max(0, span.start - chars):span.start], text[span.end:span.end + chars]
