"""The data classes that cross stage boundaries: load → anchor → facts → render → write.

Each stage takes the previous stage's output and returns a new, frozen value; nothing is
mutated across stages.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

from .diagnostics import Location

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SOURCE_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


class Stance(StrEnum):
    SUPPORTS = "supports"
    DISPUTES = "disputes"


class Status(StrEnum):
    """A researcher's verdict on a fact, like Wikipedia's inline maintenance tags."""

    DISPUTED = "disputed"  # reliable sources disagree
    OUTDATED = "outdated"  # true when reported, overtaken by events since
    UNVERIFIED = "unverified"  # reported, but not yet confirmed by an independent source
    FAILED_VERIFICATION = "failed-verification"  # the sources do not bear it out


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
        return "day" if self.day else "month" if self.month else "year"

    def iso(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def human(self) -> str:
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
class SiteConfig:
    title: str
    description: str
    question: str
    base_url: str
    language: str
    licence: str
    allow_raw_html: bool = False
    source_date_epoch: int | None = None  # SOURCE_DATE_EPOCH: the build's only clock

    @property
    def base_path(self) -> str:
        """The URL path the site is served under, always with a trailing slash: '/repo/'."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @property
    def has_absolute_base(self) -> bool:
        return bool(urlsplit(self.base_url).netloc)

    def absolute(self, rel: str) -> str:
        """The absolute URL of a site-relative path ('' when base_url is only a path)."""
        return self.base_url + rel if self.has_absolute_base else ""


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


@dataclass(frozen=True, slots=True)
class ExcludeSpec:
    selector: QuoteSelector
    reason: str | None


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


@dataclass(frozen=True, slots=True)
class FactCitation:
    """An inline [@fact-id] citation in a topic introduction."""

    fact_id: str
    location: Location


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    path: str
    title: str
    summary: str
    aliases: tuple[str, ...]
    order: int
    body: str
    citations: tuple[FactCitation, ...]


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    name: str
    kind: str
    role: str
    aliases: tuple[str, ...]


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


# --- anchor stage output ---


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class AnchoredClaim:
    spec: ClaimSpec
    span: Span
    quote: str  # seed.text[span.start:span.end]


@dataclass(frozen=True, slots=True)
class AnchoredExclude:
    span: Span
    reason: str | None


@dataclass(frozen=True, slots=True)
class AnchoredSource:
    doc: SourceDoc
    seed: Seed
    claims: tuple[AnchoredClaim, ...]
    excludes: tuple[AnchoredExclude, ...]


# --- facts stage output ---


@dataclass(frozen=True, slots=True)
class Evidence:
    fact_id: str
    source_id: str
    quote: str
    start: int
    end: int
    stance: Stance
    anchor: str
    speaker: str | None
    date: PartialDate | None
    note: str | None

    @property
    def href(self) -> str:
        return f"sources/{self.source_id}/#{self.anchor}"


@dataclass(frozen=True, slots=True)
class FactStatus:
    """content/status.yaml: a fact's status, why, and since when."""

    fact_id: str
    status: Status
    reason: str
    date: PartialDate | None
    location: Location


@dataclass(frozen=True, slots=True)
class Fact:
    id: str
    statement: str
    topics: tuple[str, ...]
    date: PartialDate | None
    speakers: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    # The independent reports that support the fact: one per wire agency, else per outlet,
    # else per source (see facts.reporter_key); two articles of one wire count once.
    reporters: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()  # entities the statement names (by name or alias)
    status: FactStatus | None = None

    @property
    def disputed(self) -> bool:
        return (any(e.stance is Stance.DISPUTES for e in self.evidence)
                or (self.status is not None and self.status.status is Status.DISPUTED))

    @property
    def single_source(self) -> bool:
        return len(self.reporters) <= 1

    @property
    def source_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.source_id for e in self.evidence))


@dataclass(frozen=True, slots=True)
class Passage:
    """A highlighted stretch of a seed; several claims may cite the same one."""

    source_id: str
    anchor: str
    start: int
    end: int
    fact_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """A source as the site shows it: the annotation, its seed, its passages."""

    doc: SourceDoc
    seed: Seed
    passages: tuple[Passage, ...]
    excludes: tuple[AnchoredExclude, ...]

    @property
    def id(self) -> str:
        return self.doc.id


@dataclass(frozen=True, slots=True)
class FactFile:
    """A generated YAML fact file: its path relative to the project root and its text."""

    path: str
    text: str


@dataclass(frozen=True)
class Research:  # not slotted: fact_index is a cached property
    """The verified research: what the render stage needs, and nothing it must recompute."""

    config: SiteConfig
    facts: tuple[Fact, ...]
    sources: tuple[SourceRecord, ...]
    topics: tuple[Topic, ...]
    entities: dict[str, Entity]
    fact_files: tuple[FactFile, ...]

    @functools.cached_property
    def fact_index(self) -> dict[str, Fact]:
        return {fact.id: fact for fact in self.facts}

    @functools.cached_property
    def source_index(self) -> dict[str, SourceRecord]:
        return {record.id: record for record in self.sources}
