"""Draft a skeleton annotation for a new seed (the logic behind `python build.py new`).

Everything here is a guess made by simple rules about how scraped news pages look: the
headline, the dateline, a byline, an agency credit (metadata.py), the boilerplate to exclude
(boilerplate.py), and the sentences likely to carry claims. Each guess keeps where it came
from, and the YAML says so in a `# guessed:` comment (draft_yaml.py), because the researcher
must check every one against the article.

Exclude quotes and candidate quotes are different: they are proved, not guessed. Each is
described by the selector module (selectors.quote.QuoteIndex.describe), with the shortest
prefix or suffix that makes it match exactly once, so the skeleton loads and anchors as written.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Iterable, Sequence

from ..research.factfile import yaml_quote
from ..selectors.names import NameFinder
from ..selectors.normalize import normalize
from ..selectors.quote import QuoteIndex, Span
from .boilerplate import Exclude, line_excludes, passage_text, unique_excludes
from .locales import script_language
from .metadata import (
    WIRE,
    Credit,
    Dateline,
    find_agency_credit,
    find_byline,
    find_dateline,
    find_name_line,
    full_dates,
    labelled_dates,
)
from .sentences import Line, line_text, sentence_spans, split_lines

# --- the result ---


@dataclasses.dataclass(frozen=True, slots=True)
class Origin:
    """Where a guess came from: a line of the seed (1-based) and the words that gave it away."""

    line: int
    text: str


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
        """Why the sentence was picked, for its `# guessed:` comment."""
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
    """The guesses for one seed; draft_yaml.render_yaml writes them as an annotation."""

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
    no_date: str = "no dateline in the seed"  # why no date was guessed, as the draft says it
    language: str | None = None  # "ru", "hi": guessed from the script; None for the site's
    script: str | None = None  # the script that gave the language away ("Cyrillic")
    page: PageFacts | None = None  # set by `import`: the page's own metadata and the original


@dataclasses.dataclass(frozen=True, slots=True)
class PageFacts:
    """What `import` knows of a seed's page, beyond its text: the page's own metadata (each
    value with where it was read), the day of retrieval and the archived original."""

    guesses: tuple[tuple[str, str, str], ...]  # (annotation key, value, where it was read)
    retrieved: str  # YYYY-MM-DD
    file: str  # archive/<name>.<suffix>
    sha256: str
    fetched: str | None = None  # when the bytes were downloaded, UTC, YYYY-MM-DDTHH:MM:SSZ
    redirects: tuple[str, ...] = ()

    def guess(self, key: str) -> tuple[str, str] | None:
        """The value of a key and where it was read, if the page gave one."""
        return next(((value, where) for k, value, where in self.guesses if k == key), None)



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
    return passage_text(" ".join(kept))


@dataclasses.dataclass(frozen=True, slots=True)
class Headline:
    """The guessed title, the line it came from, and whether the page seemed to have no headline
    (the title is then a placeholder)."""

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
    for whole in sentence_spans(line):
        span = after_junk(line, whole, junk)
        if span is not None and not _overlaps(span, junk):
            sentence = passage_text(line_text(line, span))
            return sentence if len(sentence) <= 120 else sentence[:117].rsplit(" ", 1)[0] + "…"
    return _residual(line, junk)


def _overlaps(span: tuple[int, int], others: Iterable[tuple[int, int]]) -> bool:
    return any(start < span[1] and span[0] < end for start, end in others)


def after_junk(line: Line, span: tuple[int, int],
               junk: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    """The sentence without the junk that opens it, or None if nothing is left.

    A wire dateline opens the first paragraph ("NEW DELHI, Dec 10 (Reuters) - India said…"):
    the dateline is boilerplate, the rest of the sentence may be a claim."""
    start, end = span
    moved = True
    while moved:
        moved = False
        for junk_start, junk_end in junk:
            if junk_start <= start < junk_end:
                start, moved = junk_end, True
        while start < end and line.text[start - line.start].isspace():
            start += 1
    return (start, end) if start < end else None


# --- candidate claims ---


def named_in(finder: NameFinder, text: str) -> tuple[tuple[str, str], ...]:
    """(topic or entity id, the name seen, normalised), each id once, in order of appearance."""
    seen: dict[str, str] = {}
    for match, owners in finder.matches(text):
        for owner in owners:
            seen.setdefault(owner, normalize(match.group()))
    return tuple(seen.items())


_NUMBER = re.compile(r"(?<![\w-])[$£€₹]?\d[\d,.]*%?")
_QUOTATION = re.compile(r"\"|[\u00ab\u00bb\u201e]|(?<![\w'])'(?=\w)|(?<=[\w.,!?])'(?!\w)")
MIN_CANDIDATE_WORDS = 4


def numbers_in(text: str) -> tuple[str, ...]:
    """The numbers in the text (amounts, percentages), each once, in order."""
    found = [n.rstrip(".,") for n in _NUMBER.findall(text)]
    return tuple(dict.fromkeys(n for n in found if n))


def has_quotation(text: str) -> bool:
    """Quotation marks, not apostrophes: a ' counts only when it opens or closes words."""
    return _QUOTATION.search(normalize(text)) is not None


def find_candidates(seed: QuoteIndex, lines: Sequence[Line], junk: Sequence[tuple[int, int]],
                    skip: set[int], topics: NameFinder, entities: NameFinder) -> list[Candidate]:
    """Sentences outside the boilerplate that name a topic or an entity, or carry numbers
    or a quotation."""
    found = []
    for line in lines:
        if line.number in skip:
            continue
        quoting = False  # inside a quotation that spans sentences: "We share… And we know…"
        for whole in sentence_spans(line):
            span = after_junk(line, whole, junk)
            if span is None:
                continue
            text = line_text(line, span)
            inside, quoting = quoting, quoting ^ (normalize(text).count('"') % 2 == 1)
            if _overlaps(span, junk) or len(text.split()) < MIN_CANDIDATE_WORDS:
                continue
            candidate = Candidate(passage_text(text), line.number, *span,
                                  topics=named_in(topics, text),
                                  entities=named_in(entities, text), numbers=numbers_in(text),
                                  quotation=inside or has_quotation(text))
            if candidate.why:
                found.append(_with_context(seed, candidate))
    return found


def _with_context(seed: QuoteIndex, candidate: Candidate) -> Candidate:
    described = seed.describe(Span(candidate.start, candidate.end))
    if described is None:
        return candidate
    return dataclasses.replace(candidate, prefix=described.prefix, suffix=described.suffix)


# --- the draft ---


def draft_annotation(seed_id: str, text: str,
                     topics: Sequence[tuple[str, Sequence[str]]],
                     entities: Sequence[tuple[str, str, Sequence[str]]],
                     unsure: Sequence[tuple[int, int]] = ()) -> Draft:
    """Guess a skeleton annotation for a seed.

    text is the seed as decoded (UTF-8, BOM dropped, line endings kept); topics are (id,
    aliases including the title); entities are (id, name, aliases); unsure are the spans
    `import` kept though its extractor took them for page furniture, proposed as exclusions."""
    seed = QuoteIndex(text)
    lines = split_lines(text)
    datelines = find_datelines(lines)
    bylines = [b for line in lines if (b := find_byline(line))] or _name_lines(lines)
    byline = bylines[0] if bylines else None
    agency = next((a for line in lines if (a := find_agency_credit(line))), None)
    if agency is None and byline and WIRE.fullmatch(byline[1]):
        agency = Credit(byline[1], byline[0].line)  # "By Jane Doe, Reuters"
    author = byline[0] if byline else None
    # "NEW DELHI, Dec 10 (Reuters) -" credits the wire too, but its line goes on with the
    # article: it names the agency without making its line a credit line.
    wire = next((d for d in datelines.values() if d.agency), None)

    found = [e for line in lines for e in line_excludes(
        line, datelines.get(line.number), agency, author.value if author else None,
        author.line.number if author else None)]
    found += [Exclude(passage_text(text[start:end]), UNSURE, _line_of(lines, start), start, end)
              for start, end in unsure]
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
    published, published_from = _published(list(datelines.values()), byline, lines)
    agency_from = (Origin(agency.line.number, agency.line.text) if agency
                   else Origin(wire.line, wire.text) if wire else None)
    return Draft(
        seed_id=seed_id,
        title=headline.title or seed_id,
        title_from=Origin(headline.line.number, headline.line.text) if headline.line else None,
        no_headline=headline.no_headline,
        published=published,
        published_from=published_from,
        no_date=_why_no_date(list(datelines.values())),
        author=author.value if author else None,
        author_from=Origin(author.line.number, author.line.text) if author else None,
        agency=agency.value if agency else wire.agency if wire else None,
        agency_from=agency_from,
        excludes=tuple(excludes),
        suggestions=tuple(suggestions),
        candidates=tuple(candidates),
        language=language[0] if (language := script_language(text)) else None,
        script=language[1] if language else None,
    )


UNSURE = "Page furniture in the text extractor's judgement (kept in the seed: check it)"


def _line_of(lines: Sequence[Line], offset: int) -> int:
    """The number of the line an offset of the seed is on."""
    return next((line.number for line in reversed(lines) if line.start <= offset), 1)


def _name_lines(lines: Sequence[Line]) -> list[tuple[Credit, str]]:
    """Bylines that are a name alone ("Иван Петров", "राहुल सिंह, नई दिल्ली"), read only
    before the article's first paragraph."""
    found = []
    for line in lines:
        if len(line.text.split()) >= PROSE_WORDS:
            break
        if name := find_name_line(line):
            found.append(name)
    return found


PROSE_WORDS = 12  # a line this long is a paragraph of the article, not page furniture


def find_datelines(lines: Sequence[Line]) -> dict[int, Dateline]:
    """The datelines of the seed, by line number. A place alone ("NEW DELHI: The Centre
    said…") counts only up to the first paragraph: further down, a name in capitals before a
    colon is a speaker in a transcript ("RAO: We will see.")."""
    found = {}
    prose = False
    for line in lines:
        dateline = find_dateline(line)
        if dateline and not (dateline.place_only and prose):
            found[line.number] = dateline
        prose = prose or len(line.text.split()) >= PROSE_WORDS
    return found


def _published(datelines: Sequence[Dateline], byline: tuple[Credit, str] | None,
               lines: Sequence[Line]) -> tuple[str | None, Origin | None]:
    """The first dateline's publication date, or else one after the byline ("By X | April 6,
    2021"), or else a dateline's day and month with the year of another date of the article.

    An update date ("Updated: …", "Last modified …") is never the publication date: if the
    seed has only that, no date is guessed, and the update line is excluded as such."""
    for dateline in datelines:
        if dateline.date:
            return dateline.date, Origin(dateline.line, dateline.text)
    if byline and (iso := labelled_dates(byline[1])[0]):
        return iso, Origin(byline[0].line.number, byline[0].line.text)
    partial = next((d for d in datelines if d.month_day), None)
    if partial is None or partial.month_day is None:
        return None, None
    guessed = _with_year(partial.month_day, datelines, byline, lines)
    if guessed is None:
        return None, None  # "Dec 10 (Reuters)" and no year anywhere: the researcher knows it
    iso, line = guessed
    return iso, Origin(partial.line, f"{partial.text} [year from line {line}]")


def _why_no_date(datelines: Sequence[Dateline]) -> str:
    """What the draft says when it guesses no publication date."""
    yearless = next((d for d in datelines if d.month_day and not d.date), None)
    if yearless is not None:
        return f"the dateline on line {yearless.line} gives no year"
    updated = next((d for d in datelines if d.updated and not d.date), None)
    if updated is not None:
        return (f"only an update date, on line {updated.line}, which is not the publication "
                "date")
    return "no dateline in the seed"


def _with_year(month_day: tuple[int, int], datelines: Sequence[Dateline],
               byline: tuple[Credit, str] | None,
               lines: Sequence[Line]) -> tuple[str, int] | None:
    """A day and month dated with the year of another date of the article, and that date's
    line. The page's own dates (an update date, a date by the byline) come first: they are
    on or after the dateline, so a Dec 31 dateline updated on Jan 1 belongs to the year
    before. Failing those, the year of the latest full date in the text."""
    page = [(d.updated, d.line) for d in datelines if d.updated]
    if byline:
        page += [(iso, byline[0].line.number) for iso in labelled_dates(byline[1]) if iso]
    month, day = month_day
    if page:
        ref, line = page[0]
        year = int(ref[:4])
        guess = _date(year, month, day)
        if guess is not None and guess.isoformat() > ref:
            guess = _date(year - 1, month, day)
        return (guess.isoformat(), line) if guess else None
    body = [(iso, line.number) for line in lines for iso in full_dates(line.text)]
    if not body:
        return None
    ref, line = max(body)
    guess = _date(int(ref[:4]), month, day)
    return (guess.isoformat(), line) if guess else None


def _date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:  # 29 February of a year that has none
        return None


def _repeated_headline(seed: QuoteIndex, lines: Sequence[Line],
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
        described = seed.describe(Span(line.start, line.end), suffix_first=True)
        if described and described.suffix:
            suggestions.append(Exclude(passage_text(line.text),
                                       "Headline repeated by the page scrape",
                                       line.number, line.start, line.end, suffix=described.suffix))
    return suggestions, repeats
