"""URL text fragments: links that make a browser scroll to and highlight a quoted passage.

Implements the syntax of the WICG "URL Fragment Text Directives" draft
(https://wicg.github.io/scroll-to-text-fragment/)::

    #:~:text=[prefix-,]textStart[,textEnd][,-suffix]

Each term is percent-encoded; only the spec's ``TextDirectiveExplicitChar`` characters are left
as they are, so '-', ',' and '&' (the directive's own syntax), spaces, '%' and '#' are always
encoded. Browsers match terms case- and accent-insensitively, on whole words, and each term only
within one block of the page, so ``passage_fragment`` never lets a term cross a line break of the
seed text and adds prefix/suffix context whenever the start of a passage is ambiguous.
"""

from __future__ import annotations

import functools
import unicodedata

from .quote import first_unique

# TextDirectiveExplicitChar: [a-zA-Z0-9] | "!" | "$" | "'" | "(" | ")" | "*" | "+" | "." | "/" |
# ":" | ";" | "=" | "?" | "@" | "_" | "~". Everything else is sent as %XX of its UTF-8 bytes.
EXPLICIT_CHARS = frozenset(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!$'()*+./:;=?@_~"
)

LONG_WORDS = 10  # a quote with more words than this is sent as textStart,textEnd
EDGE_WORDS = 4  # words in each of textStart and textEnd
CONTEXT_WORDS = (3, 6, 10)  # prefix/suffix sizes tried in turn until the start is unique


def collapse(text: str) -> str:
    """Whitespace runs as one space, trimmed: the text as a browser renders and matches it."""
    return " ".join(text.split())


def encode_term(text: str) -> str:
    """One directive term, whitespace-collapsed and percent-encoded (UTF-8, uppercase hex)."""
    return "".join(chr(byte) if byte in EXPLICIT_CHARS else f"%{byte:02X}"
                   for byte in collapse(text).encode("utf-8"))


def directive(start: str, end: str = "", *, prefix: str = "", suffix: str = "") -> str:
    """``text=[prefix-,]start[,end][,-suffix]`` from chosen terms; empty ones are left out."""
    if not collapse(start):
        raise ValueError("a text directive needs a non-empty textStart")
    parts = [encode_term(start)]
    if collapse(end):
        parts.append(encode_term(end))
    if collapse(prefix):
        parts.insert(0, encode_term(prefix) + "-")
    if collapse(suffix):
        parts.append("-" + encode_term(suffix))
    return "text=" + ",".join(parts)


def text_directive(quote: str, *, prefix: str = "", suffix: str = "",
                   long_words: int = LONG_WORDS, edge_words: int = EDGE_WORDS) -> str:
    """The text directive for a quote (no leading ``#:~:``).

    A quote of more than ``long_words`` words becomes ``textStart,textEnd``: its first and last
    ``edge_words`` words (only when those do not overlap).
    """
    if edge_words < 1:
        raise ValueError("edge_words must be at least 1")
    words = quote.split()
    if not words:
        raise ValueError("cannot build a text directive for an empty quote")
    if len(words) > long_words and len(words) >= 2 * edge_words:
        return directive(" ".join(words[:edge_words]), " ".join(words[-edge_words:]),
                         prefix=prefix, suffix=suffix)
    return directive(" ".join(words), prefix=prefix, suffix=suffix)


def strip_fragment(url: str) -> str:
    """The URL without its fragment (and the '#')."""
    return url.split("#", 1)[0]


def fragment_url(url: str, quote: str, *, prefix: str = "", suffix: str = "") -> str:
    """``url`` with any existing fragment replaced by ``#:~:text=…`` for the quote."""
    return f"{strip_fragment(url)}#:~:{text_directive(quote, prefix=prefix, suffix=suffix)}"


def _last_line(text: str) -> str:
    lines = text.rstrip().splitlines()
    return lines[-1] if lines else ""


def _first_line(text: str) -> str:
    lines = text.lstrip().splitlines()
    return lines[0] if lines else ""


def context_words(text: str, start: int, end: int, words: int = 3) -> tuple[str, str]:
    """Up to ``words`` words right before ``text[start:end]`` and right after it, collapsed.

    Each side stays within one line (the nearest non-blank one), since a browser matches a
    context term only inside one block of the page.
    """
    if words < 1:
        return "", ""
    before = _last_line(text[:start]).split()[-words:]
    after = _first_line(text[end:]).split()[:words]
    return " ".join(before), " ".join(after)


@functools.lru_cache(maxsize=1024)  # a seed is folded once for all of its passages
def fold(text: str) -> str:
    """Text as a browser compares it: collapsed, case-folded, accents and other marks dropped."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return collapse(bare.casefold())


def count_occurrences(text: str, term: str) -> int:
    """How often ``term`` occurs in ``text`` (overlapping), compared as a browser would."""
    haystack, needle = fold(text), fold(term)
    if not needle:
        return 0
    count, at = 0, haystack.find(needle)
    while at != -1:
        count += 1
        at = haystack.find(needle, at + 1)
    return count


def needs_context(text: str, quote_start_words: str) -> bool:
    """Whether the textStart term occurs more than once in the text (so the browser could pick
    the wrong one). Whitespace-, case- and accent-insensitive, like the browser's match."""
    return count_occurrences(text, quote_start_words) > 1


def _glued(left: str, right: str) -> bool:
    """Whether a boundary between these characters falls inside a word."""
    return bool(left) and bool(right) and left.isalnum() and right.isalnum()


def passage_terms(text: str, start: int, end: int) -> tuple[str, str]:
    """(textStart, textEnd) for ``text[start:end]``; textEnd is "" when the quote fits whole.

    A passage over several lines is always a range, with each term inside its own line.
    """
    lines = [ln.split() for ln in text[start:end].splitlines() if ln.split()]
    if not lines:
        raise ValueError(f"no words in text[{start}:{end}]")
    words = [w for line in lines for w in line]
    if len(lines) == 1 and (len(words) <= LONG_WORDS or len(words) < 2 * EDGE_WORDS):
        return " ".join(words), ""
    return " ".join(lines[0][:EDGE_WORDS]), " ".join(lines[-1][-EDGE_WORDS:])


def passage_fragment(url: str, text: str, start: int, end: int) -> str:
    """The best text-fragment link to ``text[start:end]`` on the page at ``url``.

    The plain quote (or its first and last words) when its start occurs once in ``text``;
    otherwise, or when the passage begins or ends inside a word, with the words around it as
    ``prefix-`` and ``-suffix``, grown until prefix and start together occur only once.
    """
    if not 0 <= start < end <= len(text):
        raise ValueError(f"bad passage offsets {start}:{end} for a text of length {len(text)}")
    first, last = passage_terms(text, start, end)
    ambiguous = (
        needs_context(text, first)
        or (last and count_occurrences(text[start:end], last) > 1)
        or _glued(text[start - 1:start], text[start])
        or _glued(text[end - 1], text[end:end + 1])
    )
    prefix = suffix = ""
    if ambiguous:  # the widest context when none is unique
        prefix, suffix = first_unique(
            (context_words(text, start, end, size) for size in CONTEXT_WORDS),
            lambda context: not context[0]
            or count_occurrences(text, f"{context[0]} {first}") <= 1,
        ) or context_words(text, start, end, CONTEXT_WORDS[-1])
    return f"{strip_fragment(url)}#:~:{directive(first, last, prefix=prefix, suffix=suffix)}"
