"""What the load stage reads: the project's files as typed, located, frozen values.

Every later stage takes these as they are and makes new values of its own; nothing is mutated
across stages. The formats are described in docs/format.md.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from .. import routes
from ..diagnostics import Location


class Stance(StrEnum):
    """What a claim's quote does to its fact: support it or dispute it."""

    SUPPORTS = "supports"
    DISPUTES = "disputes"


class Status(StrEnum):
    """A researcher's verdict on a fact, like Wikipedia's inline maintenance tags."""

    DISPUTED = "disputed"  # reliable sources disagree
    OUTDATED = "outdated"  # true when reported, overtaken by events since
    UNVERIFIED = "unverified"  # reported, but not yet confirmed by an independent source
    FAILED_VERIFICATION = "failed-verification"  # the sources do not bear it out
    RESOLVED = "resolved"  # the researcher settled the evidence against it (the reason says how)


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to the year, the month or the day: 2018, 2018-10 or 2018-10-05."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """Less precise dates sort before more precise ones within their period."""
        return (self.year, self.month or 0, self.day or 0)

    @property
    def precision(self) -> str:
        """How precise the date is: 'day', 'month' or 'year'."""
        return "day" if self.day else "month" if self.month else "year"

    def iso(self) -> str:
        """The date in ISO 8601 at its precision: 2018, 2018-10 or 2018-10-05."""
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def human(self) -> str:
        """The date as a reader would write it: 2018, October 2018 or 5 October 2018."""
        months = ("January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December")
        if self.day and self.month:
            return f"{self.day} {months[self.month - 1]} {self.year}"
        if self.month:
            return f"{months[self.month - 1]} {self.year}"
        return str(self.year)

    def __str__(self) -> str:
        return self.iso()


@dataclass(frozen=True, slots=True)
class Limits:
    """How big inputs may be, against mistakes and hostile files (content/site.yaml `limits:`;
    docs/format.md, "Inputs and limits")."""

    seed_bytes: int = 16 * 2**20  # a seed file
    file_bytes: int = 2 * 2**20  # an annotation, a topic, entities.yaml, status.yaml
    value_chars: int = 20_000  # one value of a YAML file (a warning at a quarter of it)
    yaml_aliases: int = 20  # YAML aliases (*name) expanded in one file
    yaml_depth: int = 40  # how deeply YAML values nest
    original_bytes: int = 50 * 2**20  # an archived original (GitHub warns of files over 50 MB)


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """The site's settings: content/site.yaml, with --base-url and SOURCE_DATE_EPOCH applied."""

    title: str
    description: str
    question: str
    base_url: str
    language: str
    licence: str
    allow_raw_html: bool = False
    source_date_epoch: int | None = None  # SOURCE_DATE_EPOCH: the build's only clock
    limits: Limits = Limits()

    @property
    def base_path(self) -> str:
        """The URL path the site is served under, always with a trailing slash: '/repo/'."""
        return routes.base_path(self.base_url)

    @property
    def has_absolute_base(self) -> bool:
        """Whether base_url names a host, so that absolute URLs can be made from it."""
        return routes.has_absolute_base(self.base_url)

    def absolute(self, url: routes.Url) -> str:
        """The absolute URL of a site URL ('' when base_url is only a path)."""
        return routes.absolute(self.base_url, url)

    def counted(self, counts: dict[str, int]) -> SiteConfig:
        """These settings with `{sources}`, `{facts}` and `{topics}` in the description and the
        question replaced by the research's counts, so that they stay true."""
        def fill(text: str) -> str:
            return COUNT_PLACEHOLDER.sub(lambda m: f"{counts.get(m.group(1), m.group(0))}", text)
        return dataclasses.replace(self, description=fill(self.description),
                                   question=fill(self.question))


# `{sources}` in the description or the question: a count the build fills in.
COUNT_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
COUNTS = ("sources", "facts", "topics")


@dataclass(frozen=True, slots=True)
class Seed:
    """An archived article: its text is the file's bytes as UTF-8, with a leading BOM dropped."""

    id: str
    path: str
    text: str
    sha256: str


@dataclass(frozen=True, slots=True)
class QuoteSelector:
    """A W3C-style TextQuoteSelector as the researcher wrote it, with where it was written."""

    quote: str
    prefix: str
    suffix: str
    location: Location


@dataclass(frozen=True, slots=True)
class ClaimSpec:
    """A claim as its annotation writes it: a quote that supports or disputes a fact, with where
    each part was written."""

    source_id: str
    index: int
    fact_id: str
    selector: QuoteSelector
    topics: tuple[str, ...]
    statement: str | None
    speaker: str | None
    date: PartialDate | None
    stance: Stance
    note: str | None
    location: Location
    topic_locations: tuple[Location, ...]
    statement_location: Location
    speaker_location: Location
    date_location: Location
    trans_quote: str | None = None  # the quote's translation, shown with it (never instead)
    translator: str | None = None  # who translated it: its own translator, else the annotation's
    language: str | None = None  # its source's language (None: the site's)


@dataclass(frozen=True, slots=True)
class ExcludeSpec:
    """A passage of a seed that an annotation sets apart as boilerplate, and why."""

    selector: QuoteSelector
    reason: str | None


# The suffixes an archived original may have, by the kind of page each holds. An original is
# published byte for byte; a saved page (HTML, MHTML) with `.txt` added, so that the site's
# host serves it as plain text and no script in it ever runs on the site's origin.
ORIGINAL_KINDS = {".html": "HTML", ".htm": "HTML", ".mhtml": "MHTML", ".mht": "MHTML",
                  ".pdf": "PDF", ".warc": "WARC", ".warc.gz": "WARC (gzip)"}
ORIGINAL_AS_TEXT = (".html", ".htm", ".mhtml", ".mht")


def original_suffix(file: str) -> str:
    """The suffix of an archived original's file name that says its kind ('.warc.gz', '.html'),
    or '' if it is none of ORIGINAL_KINDS."""
    name = file.rsplit("/", 1)[-1].lower()
    return next((s for s in sorted(ORIGINAL_KINDS, key=len, reverse=True)
                 if name.endswith(s) and len(name) > len(s)), "")


@dataclass(frozen=True, slots=True)
class Original:
    """An annotation's `original:`: the page as it was saved or downloaded, kept in the project
    as archive/<name>.<suffix>, with the SHA-256 of its bytes recorded when it was imported."""

    file: str  # archive/<name>.<suffix>, relative to the project
    sha256: str  # 64 lowercase hex digits
    fetched: str | None  # YYYY-MM-DDTHH:MM:SSZ (UTC): when these bytes were downloaded
    redirects: tuple[str, ...]  # the addresses a download was redirected through, in order
    location: Location  # of the `original:` key
    file_location: Location
    sha256_location: Location
    size: int = 0  # the file's bytes: set by the load stage once it has checked the file
    at: str = ""  # the file's path on this machine: set with `size` (the export copies it)

    @property
    def suffix(self) -> str:
        """The suffix that says its kind: '.html', '.warc.gz' …"""
        return original_suffix(self.file)

    @property
    def kind(self) -> str:
        """What the file holds, as a reader is told: HTML, MHTML, PDF, WARC."""
        return ORIGINAL_KINDS[self.suffix]

    @property
    def published_suffix(self) -> str:
        """The suffix of the published copy: a saved page's with `.txt` added."""
        return self.suffix + (".txt" if self.suffix in ORIGINAL_AS_TEXT else "")


@dataclass(frozen=True, slots=True)
class SourceDoc:
    """An annotation: content/sources/<id>.yaml."""

    id: str
    path: str
    title: str
    outlet: str | None
    author: str | None
    agency: str | None
    published: PartialDate | None
    url: str | None
    retrieved: PartialDate | None  # when the researcher saved the seed
    exclude: tuple[ExcludeSpec, ...]
    claims: tuple[ClaimSpec, ...]
    digest: str = ""  # sha256 of the annotation file: with the seed's, the anchoring's inputs
    archive_url: str | None = None  # a web archive's copy of the original page
    original: Original | None = None  # the original kept in archive/ (`original:`)
    language: str | None = None  # a BCP 47 tag; None: the site's language
    trans_title: str | None = None  # the title's translation
    translator: str | None = None  # who translated the title and the quotes

    def language_or(self, site_language: str) -> str:
        """The language the source is written in: its own, else the site's."""
        return self.language or site_language


@dataclass(frozen=True, slots=True)
class FactCitation:
    """An inline [@fact-id] citation in a topic introduction."""

    fact_id: str
    location: Location


@dataclass(frozen=True, slots=True)
class Topic:
    """A topic: content/topics/<topic>.md, its front matter and its introduction citing facts."""

    id: str
    path: str
    title: str
    summary: str
    aliases: tuple[str, ...]
    order: int
    body: str
    citations: tuple[FactCitation, ...]
    general: bool = False  # a catch-all for facts that fit no other topic: shown after the rest


@dataclass(frozen=True, slots=True)
class Findings:
    """content/findings.md: the research's key findings, Markdown that cites facts."""

    path: str
    title: str
    body: str
    citations: tuple[FactCitation, ...]


@dataclass(frozen=True, slots=True)
class Entity:
    """A person or an organisation of content/entities.yaml, which claims may name as speaker."""

    id: str
    name: str
    kind: str
    role: str
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FactStatus:
    """content/status.yaml: a fact's status, why, and since when."""

    fact_id: str
    status: Status
    reason: str
    date: PartialDate | None
    location: Location


@dataclass(frozen=True, slots=True)
class OutletDescription:
    """content/outlets.yaml: what an outlet is (who publishes it, what kind of outlet), so that
    readers can judge its reports."""

    name: str  # the outlet as the file names it (as annotations write it)
    description: str
    kind: str  # one of schema.OUTLET_KINDS, or ""
    url: str  # its home page, or ""
    location: Location  # of its key in the file


@dataclass(frozen=True, slots=True)
class Project:
    """Everything the load stage read, not yet checked against the seeds."""

    root: Path
    config: SiteConfig
    seeds: dict[str, Seed]
    sources: dict[str, SourceDoc]
    topics: dict[str, Topic]
    entities: dict[str, Entity]
    statuses: dict[str, FactStatus]
    findings: Findings | None = None
    outlets: dict[str, OutletDescription] = dataclasses.field(default_factory=dict)
