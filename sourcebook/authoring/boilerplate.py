"""Guessing the boilerplate of a seed: whole lines of page furniture, cookie banners, datelines
and credit lines, as exclusions that anchor exactly once (the selector module proves it)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from ..selectors.normalize import normalize
from ..selectors.quote import QuoteIndex, Span
from .metadata import Credit, Dateline
from .sentences import Line, line_text, sentence_spans


@dataclasses.dataclass(frozen=True, slots=True)
class Exclude:
    """A boilerplate passage; start and end are code points in the seed's text."""

    quote: str
    reason: str
    line: int
    start: int
    end: int
    suffix: str = ""  # set only on suggestions, whose quote alone matches several places


def passage_text(text: str) -> str:
    """A passage as it is quoted: the seed's own characters, each whitespace run one space."""
    return " ".join(text.split())


# Whole lines that pages add around every article (matched after normalisation, any case).
_BOILERPLATE = tuple((re.compile(pattern, re.IGNORECASE), reason) for pattern, reason in (
    (r"(?:post|add|leave|write|submit) (?:a|your|the first|the) (?:comment|reply)\b.*",
     "Comment widget"),
    (r"\d+ comments?|comments?(?: \(\d+\))?|(?:view|show|load|read) (?:all )?comments?",
     "Comment widget"),
    (r"what's your reaction\??|how do you feel about this (?:article|story)\??",
     "Reaction widget"),
    (r"read (?:all )?the latest (?:\w+ )?news(?: here)?\.?|read more\b.{0,150}"
     r"|also read\b.{0,150}|click here\b.{0,80}"
     r"|читайте (?:также|еще|ещё)\b.{0,150}|(?:यह|ये) भी पढ़ें.{0,150}", "Site link"),
    (r"recommended (?:by|for you)\b.{0,60}|sponsored(?: content| stories)?|advertisement"
     r"|promoted(?: content)?|trending(?: now)?|most (?:read|popular)|you may also like\b.{0,80}"
     r"|related (?:news|stories|articles)|реклама|विज्ञापन", "Site widget"),
    (r"(?:©|\(c\)|copyright\b).*|.{0,300}\ball rights reserved\b.{0,300}", "Copyright notice"),
    (r"(?:image|photo|photograph|picture|pic|file photo|representational image)"
     r"(?: \([^)]*\))?\s*:.*|(?:фото|फोटो|फ़ोटो|तस्वीर)\s*:.*", "Photo caption"),
    # Reuters ends with "Reporting by X; Editing by Y": people, but not the byline's author.
    (r"\(?(?:additional |editing and )?(?:reporting|writing|editing|compiled|research"
     r"|graphics|fact-checking) by\b.{2,300}", "Reporting and editing credits"),
    (r"(?:edited|published|curated|produced|translated|updated|uploaded) by\s*:?\s*.{2,150}",
     "Editor credit"),
    (r"\(?with (?:inputs? from [^)]{2,60}|\w+(?: and \w+)? inputs?)\)?\.?", "Agency credit"),
    # "Updated 2 hours ago", "3 min read": the page's clock, not the article's.
    (r"(?:(?:last )?(?:updated|modified|published|posted)\s*:?\s*)?(?:\d+|an?|one) "
     r"(?:second|sec|minute|min|hour|hr|day|week|month|year)s? ago",
     "Relative date of the page"),
    (r"(?:reading time\s*:?\s*)?\d+\s*(?:min|mins|minutes?)(?: read)?", "Reading time"),
    (r"(?:next|previous) (?:article|story)|back to top|skip to (?:main )?content"
     r"|share(?: this)?(?: article| story)?|tweet|subscribe\b.{0,60}|follow us\b.{0,60}"
     r"|sign in|log in|sign up\b.{0,60}|home|menu|search", "Site navigation"),
))
_LABEL_LINE = re.compile(r"[A-Z][A-Z&'/-]+(?: [A-Z&'/-]+){0,2}")  # NEWS, WORLD NEWS
_COOKIE = re.compile(r"cookie", re.IGNORECASE)
_COOKIE_TALK = re.compile(r"cookie|privacy|consent|your choices|you agree|agree to|this site"
                          r"|our site|this website|partners use|personali[sz]", re.IGNORECASE)


def boilerplate_reason(text: str) -> str | None:
    """Why a whole line is page furniture rather than article text, or None."""
    norm = normalize(text)
    for pattern, reason in _BOILERPLATE:
        if pattern.fullmatch(norm):
            return reason
    if _LABEL_LINE.fullmatch(norm):
        return "Section label"
    if _is_menu(norm):
        return "Site navigation"
    return None


def _is_menu(text: str) -> bool:
    """Menu entries run together by the scrape (NewsBusinessMovies…) or set between bars."""
    run_together = (re.fullmatch(r"[A-Za-z& ]{15,}", text) is not None
                    and len(re.findall(r"[a-z][A-Z]", text)) >= 3)
    parts = re.split(r"\s*[|\u2022\u00bb]\s*", text)
    between_bars = len(parts) >= 3 and all(0 < len(p.split()) <= 4 for p in parts)
    return run_together or between_bars


def cookie_banner(line: Line, after: int) -> tuple[int, int] | None:
    """The run of sentences about cookies and privacy in a line, from offset `after` on."""
    rest = line.text[after - line.start:]
    start = after + len(rest) - len(rest.lstrip())
    spans = sentence_spans(Line(line.number, start, line.end, rest.strip()))
    talk = [_COOKIE_TALK.search(line_text(line, s)) is not None for s in spans]
    for i, span in enumerate(spans):
        if not _COOKIE.search(line_text(line, span)):
            continue
        first = i
        while first > 0 and talk[first - 1]:
            first -= 1
        last = i
        while last + 1 < len(spans) and talk[last + 1]:
            last += 1
        return spans[first][0], spans[last][1]
    return None


# --- excludes ---


def line_excludes(line: Line, dateline: Dateline | None, agency: Credit | None,
                   author: str | None, byline_line: int | None) -> list[Exclude]:
    """The boilerplate in one line: a dateline, a cookie banner, or a whole furniture line."""
    found = []
    after = line.start
    if dateline is not None:
        what = ("Update date, not the publication date" if dateline.update_only
                else "Dateline")
        found.append(Exclude(passage_text(dateline.text), what, line.number, dateline.start,
                             dateline.end))
        after = dateline.end
    # The byline's line is the author's, not furniture: "Rahul Singh | New Delhi | Dec 10,
    # 2024" is no menu.
    furniture = dateline is None and line.number != byline_line
    reason = boilerplate_reason(line.text) if furniture else None
    if agency is not None and agency.line == line:
        reason = "Agency credit"
    elif author and line.number != byline_line and normalize(line.text) == normalize(author):
        reason = "Byline repeated at the end"
    if reason:
        found.append(Exclude(passage_text(line.text), reason, line.number, line.start, line.end))
        return found
    banner = cookie_banner(line, after)
    if banner:
        quote = passage_text(line.text[banner[0] - line.start:banner[1] - line.start])
        found.append(Exclude(quote, "Cookie banner", line.number, *banner))
    return found


def _merge(seed: QuoteIndex, first: Exclude, second: Exclude) -> Exclude:
    reasons = first.reason if first.reason == second.reason else (
        f"{first.reason}; {second.reason}")
    return Exclude(passage_text(seed.text[first.start:second.end]), reasons, first.line,
                   first.start, second.end)


def _adjacent(seed: QuoteIndex, first: Exclude, second: Exclude) -> bool:
    return first.end <= second.start and not seed.text[first.end:second.start].strip()


def unique_excludes(seed: QuoteIndex, found: Iterable[Exclude]) -> list[Exclude]:
    """Keep the passages that match exactly once. One that matches several places (a byline
    repeated at the end) is lengthened over the boilerplate right after or before it; if
    that does not make it unique, it is dropped: an exclude that does not anchor breaks the
    build. Overlapping passages keep the first."""
    pending = sorted(found, key=lambda e: (e.start, -e.end))
    kept: list[Exclude] = []
    i = 0
    while i < len(pending):
        item = pending[i]
        i += 1
        if kept and item.start < kept[-1].end:
            continue
        while not _unique(seed, item) and i < len(pending) and _adjacent(seed, item, pending[i]):
            item = _merge(seed, item, pending[i])
            i += 1
        if _unique(seed, item):
            kept.append(item)
        elif kept and _adjacent(seed, kept[-1], item):
            merged = _merge(seed, kept[-1], item)
            if _unique(seed, merged):
                kept[-1] = merged
    return kept


def _unique(seed: QuoteIndex, item: Exclude) -> bool:
    """The passage's own words select it, with no context."""
    described = seed.describe(Span(item.start, item.end))
    return described is not None and not described.prefix and not described.suffix
