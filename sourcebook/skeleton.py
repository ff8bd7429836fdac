"""Draft a skeleton annotation for a new seed (the logic behind `python build.py new`).

Everything here is a guess made by simple rules about how scraped news pages look: the
headline, the dateline, a byline, an agency credit, the boilerplate to exclude, and the
sentences likely to carry claims. Each guess keeps where it came from, and the YAML says so in a
`# guessed:` comment, because the researcher must check every one against the article.

Exclude quotes are different: they are proved, not guessed. Each one matches exactly once in
the seed under the same normalisation and search as anchor.py, so the skeleton loads and
anchors as written.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import re
from collections.abc import Iterable, Sequence

from .anchor import occurrences
from .names import NameFinder
from .normalize import NormalizedText, normalize, normalize_with_map
from .sentences import Line, line_text, sentence_spans, split_lines

# --- the result ---


@dataclasses.dataclass(frozen=True, slots=True)
class Origin:
    """Where a guess came from: a line of the seed (1-based) and the words that gave it away."""

    line: int
    text: str


@dataclasses.dataclass(frozen=True, slots=True)
class Exclude:
    """A boilerplate passage; start and end are code points in the seed's text."""

    quote: str
    reason: str
    line: int
    start: int
    end: int
    suffix: str = ""  # set only on suggestions, whose quote alone matches several places


@dataclasses.dataclass(frozen=True, slots=True)
class Candidate:
    """A sentence that may carry a claim, and why it was picked."""

    quote: str
    line: int
    start: int
    end: int
    topics: tuple[tuple[str, str], ...] = ()  # (topic id, the alias seen)
    entities: tuple[tuple[str, str], ...] = ()  # (entity id, the name or alias seen)
    numbers: tuple[str, ...] = ()
    quotation: bool = False
    prefix: str = ""  # the words before it, when the sentence alone matches several places
    suffix: str = ""

    @property
    def why(self) -> str:
        parts = []
        if self.topics:
            parts.append("topic " + ", ".join(f"{t} ({yaml_quote(a)})" for t, a in self.topics))
        if self.entities:
            parts.append("entity " + ", ".join(f"{e} ({yaml_quote(a)})" for e, a in self.entities))
        if self.numbers:
            parts.append("numbers " + ", ".join(self.numbers))
        if self.quotation:
            parts.append("quotation")
        return "; ".join(parts)


@dataclasses.dataclass(frozen=True, slots=True)
class Draft:
    """The guesses for one seed; to_yaml() writes them as content/sources/<seed_id>.yaml."""

    seed_id: str
    title: str
    title_from: Origin | None
    no_headline: bool
    published: str | None
    published_from: Origin | None
    author: str | None
    author_from: Origin | None
    agency: str | None
    agency_from: Origin | None
    excludes: tuple[Exclude, ...]
    suggestions: tuple[Exclude, ...]  # excludes that need a suffix: written commented out
    candidates: tuple[Candidate, ...]

    def to_yaml(self) -> str:
        return render_yaml(self)


# --- the seed, split into lines and normalised once ---


@dataclasses.dataclass(frozen=True, slots=True)
class SeedText:
    """The seed's text with its normalised form, to prove that a passage matches only once."""

    text: str
    norm: NormalizedText

    @classmethod
    def of(cls, text: str) -> SeedText:
        return cls(text, normalize_with_map(text))

    def matches(self, quote: str) -> list[int]:
        """Where a normalised quote starts in the normalised seed, proved as anchor.py does."""
        found = []
        for at in occurrences(self.norm.text, quote):
            start, end = self.norm.original_span(at, at + len(quote))
            if normalize(self.text[start:end]) == quote:
                found.append(at)
        return found

    def own_match(self, start: int, end: int) -> tuple[str, list[int], int | None]:
        """The normalised quote of seed[start:end], all its matches, and which one is this."""
        quote = normalize(self.text[start:end])
        matches = self.matches(quote) if quote else []
        mine = next((m for m in matches
                     if self.norm.original_span(m, m + len(quote)) == (start, end)), None)
        return quote, matches, mine

    def is_unique(self, start: int, end: int) -> bool:
        _, matches, mine = self.own_match(start, end)
        return len(matches) == 1 and mine is not None

    def line_of(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1


def _passage(text: str) -> str:
    """A passage as it is quoted: the seed's own characters, each whitespace run one space."""
    return " ".join(text.split())


# --- dates ---

_MONTHS = {name: i for i, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sept", "sep"),
    ("october", "oct"), ("november", "nov"), ("december", "dec")), start=1) for name in names}
_MONTH = r"(?P<month>(?i:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r"))\.?"
_WEEKDAY = r"(?:(?i:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?i:[a-z]*)\.?,?\s+)?"
_ORDINAL = r"(?i:st|nd|rd|th)?"
_DATE_FORMS = (
    r"(?P<iso_y>\d{4})[-/](?P<iso_m>\d{1,2})[-/](?P<iso_d>\d{1,2})(?!\d)",
    _WEEKDAY + _MONTH + r"\s+(?P<mdy_d>\d{1,2})" + _ORDINAL + r",?\s+(?P<mdy_y>\d{4})(?!\d)",
    _WEEKDAY + r"(?P<dmy_d>\d{1,2})" + _ORDINAL + r"\s+(?:of\s+)?" + _MONTH.replace(
        "month", "dmy_m") + r",?\s+(?P<dmy_y>\d{4})(?!\d)",
)
DATE = re.compile("|".join(f"(?:{form})" for form in _DATE_FORMS))
# What a dateline may add around the date: a label before it, a time and time zone after it.
_LABEL = (r"(?P<label>(?i:date|dated|published|published on|first published|updated|"
          r"updated on|last updated|posted|posted on)\s*:?\s*)?")
_TIME = (r"(?:\s*[,|-]?\s*(?:(?i:at)\s+)?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?"
         r"(?:\s*(?i:[ap]\.?m\.?))?(?:\s*\(?[A-Z]{2,5}\)?)?)?")
DATELINE = re.compile(_LABEL + r"(?P<date>" + DATE.pattern + r")" + _TIME)


def _iso_from(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    if groups["iso_y"]:
        year, month, day = groups["iso_y"], groups["iso_m"], groups["iso_d"]
    elif groups["mdy_y"]:
        year, month, day = groups["mdy_y"], groups["month"], groups["mdy_d"]
    else:
        year, month, day = groups["dmy_y"], groups["dmy_m"], groups["dmy_d"]
    number = int(month) if month.isdigit() else _MONTHS[month.lower()]
    try:
        return datetime.date(int(year), number, int(day)).isoformat()
    except ValueError:  # 31 April and the like: not a date, so not a guess
        return None


def find_date(text: str) -> str | None:
    """The first date written out in full in text, as YYYY-MM-DD."""
    for match in DATE.finditer(text):
        iso = _iso_from(match)
        if iso:
            return iso
    return None


@dataclasses.dataclass(frozen=True, slots=True)
class Dateline:
    date: str
    line: int
    start: int  # the dateline's span in the seed (label, date, time and zone)
    end: int
    text: str


def find_dateline(line: Line) -> Dateline | None:
    """A date at the start of a line that is all date, or that labels it ("date 2022-04-23").

    A date inside a sentence ("on February 26, 2022") is news, not the article's date."""
    match = DATELINE.match(line.text)
    if not match:
        return None
    rest = line.text[match.end():].strip(" |,-")
    if rest and not match.group("label"):
        return None
    iso = _iso_from(match)
    if iso is None:
        return None
    return Dateline(iso, line.number, line.start, line.start + match.end(), match.group())


# --- byline and agency ---

_NAME = r"[A-Z][\w'.-]*(?:\s+(?:[A-Z][\w'.-]*|de|da|van|von|bin|al))*"
BYLINE = re.compile(r"(?i:by):?\s+(?P<author>" + _NAME + r"(?:\s*(?:,|and|&)\s*" + _NAME
                    + r")*?)(?:\s*[,|/\u2013\u2014-]\s*(?P<rest>.+))?")
AGENCY_CREDIT = re.compile(
    r"(?:(?i:source|agency|agencies|courtesy|via|wire)\s*:\s*(?P<named>.{2,40})"
    r"|\(?(?i:with inputs from)\s+(?P<inputs>[^)]{2,40}?)\)?\.?)")
_WIRE = re.compile(r"[A-Z]{2,6}|Reuters|Bloomberg|Associated Press|Agence France-Presse")


@dataclasses.dataclass(frozen=True, slots=True)
class Credit:
    value: str
    line: Line


def find_byline(line: Line) -> tuple[Credit, str] | None:
    """The author of a line such as "By Lalit K Jha", and what follows the name, if anything.

    Only a short line that starts with "By" and a capitalised name counts: "By using this
    site…" is a cookie banner, not a byline."""
    text = normalize(line.text)
    match = BYLINE.fullmatch(text)
    if not match or len(text.split()) > 12 or text.endswith("."):
        return None
    if len((match.group("rest") or "").split()) > 6:  # "By Friday, the Pentagon had…"
        return None
    return Credit(match.group("author").strip(" ,"), line), (match.group("rest") or "").strip()


def find_agency_credit(line: Line) -> Credit | None:
    """The wire service of a credit line ("Source: PTI"); a mention in a sentence ("according
    to news agency PTI") names whom the article quotes, not who wrote it."""
    match = AGENCY_CREDIT.fullmatch(normalize(line.text))
    if not match:
        return None
    value = (match.group("named") or match.group("inputs") or "").strip(" .")
    if len(value.split()) > 4 or not value[:1].isupper():
        return None
    return Credit(value, line)


# --- boilerplate ---

# Whole lines that pages add around every article (matched after normalisation, any case).
_BOILERPLATE = tuple((re.compile(pattern, re.IGNORECASE), reason) for pattern, reason in (
    (r"(?:post|add|leave|write|submit) (?:a|your|the first|the) (?:comment|reply)\b.*",
     "Comment widget"),
    (r"\d+ comments?|comments?(?: \(\d+\))?|(?:view|show|load|read) (?:all )?comments?",
     "Comment widget"),
    (r"what's your reaction\??|how do you feel about this (?:article|story)\??",
     "Reaction widget"),
    (r"read (?:all )?the latest (?:\w+ )?news(?: here)?\.?|read more\b.{0,150}"
     r"|also read\b.{0,150}|click here\b.{0,80}", "Site link"),
    (r"recommended (?:by|for you)\b.{0,60}|sponsored(?: content| stories)?|advertisement"
     r"|promoted(?: content)?|trending(?: now)?|most (?:read|popular)|you may also like\b.{0,80}"
     r"|related (?:news|stories|articles)", "Site widget"),
    (r"(?:©|\(c\)|copyright\b).*|.{0,300}\ball rights reserved\b.{0,300}", "Copyright notice"),
    (r"(?:image|photo|photograph|picture|pic|file photo|representational image)"
     r"(?: \([^)]*\))?\s*:.*", "Photo caption"),
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


def _line_excludes(line: Line, dateline: Dateline | None, agency: Credit | None,
                   author: str | None, byline_line: int | None) -> list[Exclude]:
    """The boilerplate in one line: a dateline, a cookie banner, or a whole furniture line."""
    found = []
    after = line.start
    if dateline is not None:
        found.append(Exclude(_passage(dateline.text), "Dateline", line.number, dateline.start,
                             dateline.end))
        after = dateline.end
    reason = boilerplate_reason(line.text) if dateline is None else None
    if agency is not None and agency.line == line:
        reason = "Agency credit"
    elif author and line.number != byline_line and normalize(line.text) == normalize(author):
        reason = "Byline repeated at the end"
    if reason:
        found.append(Exclude(_passage(line.text), reason, line.number, line.start, line.end))
        return found
    banner = cookie_banner(line, after)
    if banner:
        quote = _passage(line.text[banner[0] - line.start:banner[1] - line.start])
        found.append(Exclude(quote, "Cookie banner", line.number, *banner))
    return found


def _merge(seed: SeedText, first: Exclude, second: Exclude) -> Exclude:
    reasons = first.reason if first.reason == second.reason else (
        f"{first.reason}; {second.reason}")
    return Exclude(_passage(seed.text[first.start:second.end]), reasons, first.line,
                   first.start, second.end)


def _adjacent(seed: SeedText, first: Exclude, second: Exclude) -> bool:
    return first.end <= second.start and not seed.text[first.end:second.start].strip()


def unique_excludes(seed: SeedText, found: Iterable[Exclude]) -> list[Exclude]:
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
        while not seed.is_unique(item.start, item.end) and i < len(pending) and _adjacent(
                seed, item, pending[i]):
            item = _merge(seed, item, pending[i])
            i += 1
        if seed.is_unique(item.start, item.end):
            kept.append(item)
        elif kept and _adjacent(seed, kept[-1], item):
            merged = _merge(seed, kept[-1], item)
            if seed.is_unique(merged.start, merged.end):
                kept[-1] = merged
    return kept


def context_for(seed: SeedText, start: int, end: int,
                suffix_first: bool = False) -> tuple[str, str] | None:
    """(prefix, suffix), one of them empty, of the fewest words that pick the passage at
    seed[start:end] out of its several matches; ("", "") when it is unique already."""
    quote, matches, mine = seed.own_match(start, end)
    if mine is None:
        return None
    if len(matches) == 1:
        return "", ""
    text = seed.norm.text
    before = text[:mine].rstrip().split(" ")
    after = text[mine + len(quote):].lstrip().split(" ")
    prefixes = [(" ".join(before[-n:]).strip(), "") for n in range(1, 9)]
    suffixes = [("", " ".join(after[:n]).strip()) for n in range(1, 9)]
    for prefix, suffix in (suffixes + prefixes) if suffix_first else (prefixes + suffixes):
        if (prefix or suffix) and [m for m in matches if _fits(text, m, len(quote), prefix,
                                                               suffix)] == [mine]:
            return prefix, suffix
    return None


def _fits(text: str, at: int, length: int, prefix: str, suffix: str) -> bool:
    """As anchor.py reads a prefix (ending right before) and a suffix (starting right after)."""
    if prefix and not text[:at].rstrip().endswith(prefix):
        return False
    return not (suffix and not text[at + length:].lstrip().startswith(suffix))


# --- headline ---

HEADLINE_MAX_WORDS = 16  # a standfirst or a first paragraph is longer


def looks_like_headline(text: str) -> bool:
    """A short single line that does not end like a sentence."""
    words = text.split()
    if not 3 <= len(words) <= HEADLINE_MAX_WORDS or len(text) > 160:
        return False
    if text.rstrip("\"'\u201d\u2019").endswith((".", ",", ";")):
        return False
    return re.search(r"[.!?][\"'\u201d\u2019]?\s+[A-Z]", text) is None


def _residual(line: Line, junk: Sequence[tuple[int, int]]) -> str:
    """The line's text outside the junk spans, whitespace collapsed."""
    kept = []
    pos = line.start
    for start, end in sorted(junk):
        if end <= line.start or start >= line.end:
            continue
        kept.append(line.text[pos - line.start:max(start, pos) - line.start])
        pos = max(pos, end)
    kept.append(line.text[pos - line.start:])
    return _passage(" ".join(kept))


@dataclasses.dataclass(frozen=True, slots=True)
class Headline:
    title: str
    line: Line | None
    no_headline: bool


def find_headline(lines: Sequence[Line], junk: Sequence[tuple[int, int]],
                  skip: set[int]) -> Headline:
    """The first substantial line, if it looks like a headline. If it reads like body text,
    the page had no headline line: its first sentence stands in as a placeholder."""
    for line in lines:
        if line.number in skip:
            continue
        rest = _residual(line, junk)
        if len(rest.split()) < 3:
            continue  # short junk: a section name, a stray word
        if looks_like_headline(rest):
            return Headline(rest, line, False)
        return Headline(_placeholder(line, junk), line, True)
    return Headline("", None, True)


def _placeholder(line: Line, junk: Sequence[tuple[int, int]]) -> str:
    for span in sentence_spans(line):
        if not _overlaps(span, junk):
            sentence = _passage(line_text(line, span))
            return sentence if len(sentence) <= 120 else sentence[:117].rsplit(" ", 1)[0] + "…"
    return _residual(line, junk)


def _overlaps(span: tuple[int, int], others: Iterable[tuple[int, int]]) -> bool:
    return any(start < span[1] and span[0] < end for start, end in others)


# --- candidate claims ---


def named_in(finder: NameFinder, text: str) -> tuple[tuple[str, str], ...]:
    """(topic or entity id, the name seen, normalised), each id once, in order of appearance."""
    seen: dict[str, str] = {}
    for match, owners in finder.matches(text):
        for owner in owners:
            seen.setdefault(owner, normalize(match.group()))
    return tuple(seen.items())


_NUMBER = re.compile(r"(?<![\w-])[$£€₹]?\d[\d,.]*%?")
_QUOTATION = re.compile(r"\"|(?<![\w'])'(?=\w)|(?<=[\w.,!?])'(?!\w)")
MIN_CANDIDATE_WORDS = 4


def numbers_in(text: str) -> tuple[str, ...]:
    found = [n.rstrip(".,") for n in _NUMBER.findall(text)]
    return tuple(dict.fromkeys(n for n in found if n))


def has_quotation(text: str) -> bool:
    """Quotation marks, not apostrophes: a ' counts only when it opens or closes words."""
    return _QUOTATION.search(normalize(text)) is not None


def find_candidates(seed: SeedText, lines: Sequence[Line], junk: Sequence[tuple[int, int]],
                    skip: set[int], topics: NameFinder, entities: NameFinder) -> list[Candidate]:
    """Sentences outside the boilerplate that name a topic or an entity, or carry numbers
    or a quotation."""
    found = []
    for line in lines:
        if line.number in skip:
            continue
        quoting = False  # inside a quotation that spans sentences: "We share… And we know…"
        for span in sentence_spans(line):
            text = line_text(line, span)
            inside, quoting = quoting, quoting ^ (normalize(text).count('"') % 2 == 1)
            if _overlaps(span, junk) or len(text.split()) < MIN_CANDIDATE_WORDS:
                continue
            candidate = Candidate(_passage(text), line.number, *span, topics=named_in(topics, text),
                                  entities=named_in(entities, text), numbers=numbers_in(text),
                                  quotation=inside or has_quotation(text))
            if candidate.why:
                found.append(_with_context(seed, candidate))
    return found


def _with_context(seed: SeedText, candidate: Candidate) -> Candidate:
    context = context_for(seed, candidate.start, candidate.end)
    if not context:
        return candidate
    return dataclasses.replace(candidate, prefix=context[0], suffix=context[1])


# --- the draft ---


def draft_annotation(seed_id: str, text: str,
                     topics: Sequence[tuple[str, Sequence[str]]],
                     entities: Sequence[tuple[str, str, Sequence[str]]]) -> Draft:
    """Guess a skeleton annotation for a seed.

    text is the seed as decoded (UTF-8, BOM dropped, line endings kept); topics are (id,
    aliases including the title); entities are (id, name, aliases)."""
    seed = SeedText.of(text)
    lines = split_lines(text)
    datelines = {line.number: d for line in lines if (d := find_dateline(line))}
    bylines = [b for line in lines if (b := find_byline(line))]
    byline = bylines[0] if bylines else None
    agency = next((a for line in lines if (a := find_agency_credit(line))), None)
    if agency is None and byline and _WIRE.fullmatch(byline[1]):
        agency = Credit(byline[1], byline[0].line)  # "By Jane Doe, Reuters"
    author = byline[0] if byline else None

    found = [e for line in lines for e in _line_excludes(
        line, datelines.get(line.number), agency, author.value if author else None,
        author.line.number if author else None)]
    excludes = unique_excludes(seed, found)
    junk = [(e.start, e.end) for e in found]
    meta_lines = {line.number for line in (author.line if author else None,
                                           agency.line if agency else None) if line}
    headline = find_headline(lines, junk, meta_lines)
    suggestions, repeats = _repeated_headline(seed, lines, headline)
    skip = meta_lines | repeats | ({headline.line.number}
                                   if headline.line and not headline.no_headline else set())
    candidates = find_candidates(seed, lines, junk, skip, NameFinder.of(topics), NameFinder.of(
        (entity_id, (name, *aliases)) for entity_id, name, aliases in entities))
    dateline = next(iter(datelines.values()), None)
    published, published_from = _published(dateline, byline)
    return Draft(
        seed_id=seed_id,
        title=headline.title or seed_id,
        title_from=Origin(headline.line.number, headline.line.text) if headline.line else None,
        no_headline=headline.no_headline,
        published=published,
        published_from=published_from,
        author=author.value if author else None,
        author_from=Origin(author.line.number, author.line.text) if author else None,
        agency=agency.value if agency else None,
        agency_from=Origin(agency.line.number, agency.line.text) if agency else None,
        excludes=tuple(excludes),
        suggestions=tuple(suggestions),
        candidates=tuple(candidates),
    )


def _published(dateline: Dateline | None,
               byline: tuple[Credit, str] | None) -> tuple[str | None, Origin | None]:
    """The dateline's date, or else a date after the byline ("By X | Updated April 6, 2021")."""
    if dateline is not None:
        return dateline.date, Origin(dateline.line, dateline.text)
    if byline and (iso := find_date(byline[1])):
        return iso, Origin(byline[0].line.number, byline[0].line.text)
    return None, None


def _repeated_headline(seed: SeedText, lines: Sequence[Line],
                       headline: Headline) -> tuple[list[Exclude], set[int]]:
    """Later copies of the headline: not claims, and worth excluding; the copy matches the
    headline too, so the suggestion needs a suffix and is left for the researcher to accept."""
    if headline.line is None or headline.no_headline:
        return [], set()
    same = normalize(headline.line.text)
    suggestions, repeats = [], set()
    for line in lines:
        if line.number <= headline.line.number or normalize(line.text) != same:
            continue
        repeats.add(line.number)
        context = context_for(seed, line.start, line.end, suffix_first=True)
        if context and context[1]:
            suggestions.append(Exclude(_passage(line.text), "Headline repeated by the page scrape",
                                       line.number, line.start, line.end, suffix=context[1]))
    return suggestions, repeats


# --- YAML ---

# YAML cannot hold these raw in a double-quoted scalar (or reads them as line breaks).
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
_PLAIN_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def yaml_quote(value: str) -> str:
    """A double-quoted YAML scalar: JSON's escapes are YAML's, plus a few YAML forbids raw."""
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}",
                            json.dumps(value, ensure_ascii=False))


def _yaml_id(value: str) -> str:
    return value if _PLAIN_ID.fullmatch(value) else yaml_quote(value)


def _from(origin: Origin | None, what: str) -> str:
    if origin is None:
        return f"# guessed: {what}"
    shown = origin.text if len(origin.text) <= 80 else origin.text[:79] + "…"
    return f"# guessed: {what} {yaml_quote(shown)}, line {origin.line}"


def render_yaml(draft: Draft) -> str:
    lines = [
        f"# Skeleton annotation of seeds/{draft.seed_id}.txt, drafted by `python build.py new`.",
        "# Every value marked `guessed:` was read from the seed by simple rules: check it "
        "against the",
        "# article. Still to do: outlet, url and retrieved; review `exclude`; cite the claims.",
    ]
    lines += _metadata_lines(draft)
    lines += _exclude_lines(draft)
    lines += _claim_lines(draft)
    return "\n".join(lines) + "\n"


def _metadata_lines(draft: Draft) -> list[str]:
    lines = []
    if draft.no_headline:
        lines += ["# The seed has no headline line: the title below is its first sentence, "
                  "a placeholder.", "# Write a descriptive title."]
        title_note = _from(draft.title_from, "placeholder from the first sentence of")
    else:
        title_note = _from(draft.title_from, "headline")
    lines.append(f"title: {yaml_quote(draft.title)}  {title_note}")
    lines.append('# outlet: ""  # the publication the text was found in')
    for key, value, origin, what in (
            ("author", draft.author, draft.author_from, "byline"),
            ("agency", draft.agency, draft.agency_from, "credit line"),
    ):
        if value is None:
            lines.append(f'# {key}: ""  # guessed: no {what} in the seed')
        else:
            lines.append(f"{key}: {yaml_quote(value)}  {_from(origin, what)}")
    if draft.published is None:
        lines.append("# published: YYYY-MM-DD  # guessed: no dateline in the seed")
    else:
        lines.append(f"published: {draft.published}  {_from(draft.published_from, 'dateline')}")
    lines.append('# url: ""  # the original article\'s address')
    lines.append("# retrieved: YYYY-MM-DD  # the day you saved the text")
    return lines


def _exclude_lines(draft: Draft) -> list[str]:
    if not draft.excludes and not draft.suggestions:
        return ["exclude:  # guessed: no boilerplate found"]
    lines = ["exclude:"]
    for item in draft.excludes:
        lines += [f"  # guessed: {item.reason.lower()}, line {item.line}",
                  f"  - quote: {yaml_quote(item.quote)}",
                  f"    reason: {yaml_quote(item.reason)}"]
    for item in draft.suggestions:
        lines += [f"  # guessed: {item.reason.lower()}, line {item.line}; it matches the "
                  "headline too, so it needs its suffix. To exclude it, uncomment:",
                  f"  # - quote: {yaml_quote(item.quote)}",
                  f"  #   suffix: {yaml_quote(item.suffix)}",
                  f"  #   reason: {yaml_quote(item.reason)}"]
    return lines


def _claim_lines(draft: Draft) -> list[str]:
    lines = [
        "claims:",
        "# Candidate claims: sentences that name a topic or an entity, or carry numbers or a",
        "# quotation. To cite one, uncomment it (remove the '#' from each of its lines), give",
        "# the fact an id ([a-z0-9-]+), trim the quote to the words that carry the claim (keep",
        "# any prefix or suffix only if the shorter quote still matches several places), check",
        "# its topics, and add `statement:` unless the fact has one in another source.",
    ]
    if not draft.candidates:
        lines.append("# guessed: no candidate sentences found")
    for item in draft.candidates:
        lines += ["#", f"# guessed: line {item.line}: {item.why}",
                  "#  - fact: <fact-id>",
                  f"#    quote: {yaml_quote(item.quote)}"]
        if item.prefix:
            lines.append(f"#    prefix: {yaml_quote(item.prefix)}")
        if item.suffix:
            lines.append(f"#    suffix: {yaml_quote(item.suffix)}")
        if item.topics:
            lines.append(f"#    topics: [{', '.join(_yaml_id(t) for t, _ in item.topics)}]")
    return lines
