"""What the facts stage makes: facts with their evidence, passages, and the research as a whole.

This is what the site is rendered from; docs/format.md describes how it is published (the fact
files and data/facts.json).
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass, field
from typing import Any

from .. import routes
from ..anchoring.model import AnchoredExclude
from ..content.model import (
    Entity,
    FactStatus,
    Findings,
    OutletDescription,
    PartialDate,
    Seed,
    SiteConfig,
    SourceDoc,
    Stance,
    Status,
    Topic,
)


@dataclass(frozen=True, slots=True)
class Evidence:
    """One claim as evidence for a fact: the quote's place in its source, its stance and details."""

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
    language: str | None = None  # its source's language, when the annotation gives one
    translation: str | None = None  # the claim's trans_quote
    translator: str | None = None  # the claim's translator, else its source's (with a translation)

    @property
    def href(self) -> routes.Url:
        """The passage this evidence rests on."""
        return routes.passage(self.source_id, self.anchor)


@dataclass(frozen=True, slots=True)
class Fact:
    """A fact: one statement, with the evidence of every claim that cites it."""

    id: str
    statement: str
    topics: tuple[str, ...]
    date: PartialDate | None
    speakers: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    # The independent reports that support the fact: one per wire agency, else per outlet,
    # else per source (see corroboration.reporter_key); two articles of one wire count once.
    reporters: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()  # entities the statement names (by name or alias)
    status: FactStatus | None = None

    @property
    def disputed(self) -> bool:
        """Whether any evidence disputes the fact, or its status says it is disputed; a
        `resolved` status settles the evidence against it."""
        status = self.status.status if self.status else None
        if status is Status.RESOLVED:
            return False
        return status is Status.DISPUTED or any(e.stance is Stance.DISPUTES
                                                for e in self.evidence)

    @property
    def single_source(self) -> bool:
        """Whether at most one independent report supports the fact."""
        return len(self.reporters) <= 1

    @property
    def source_ids(self) -> tuple[str, ...]:
        """The sources of the evidence, each once, in the evidence's order."""
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
    names: tuple[str, ...] = ()  # the entities whose name or alias the seed's text contains

    @property
    def id(self) -> str:
        """The source's name."""
        return self.doc.id


@dataclass(frozen=True, slots=True)
class FactFile:
    """A generated YAML fact file: its path relative to the project root and its text."""

    path: str
    text: str


_SERIALS = itertools.count(1)


@dataclass(frozen=True, slots=True)
class FactFileChanges:
    """How a research's fact files differ from those of an earlier research of the same
    process (its `serial` is `base`): the files of the facts made again or new (perhaps
    equal to what they were), and the paths of the facts gone. Every other file is the
    very object it was."""

    base: int
    made: tuple[FactFile, ...]
    removed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Delta:
    """Which facts and sources of a research may not be the very objects of the research of
    this process it was patched from (whose `serial` is `base`): every other one is."""

    base: int
    facts: frozenset[str]
    sources: frozenset[str]


@dataclass(frozen=True)
class Research:  # not slotted: the indexes are cached properties
    """The verified research: what the render stage needs, and nothing it must recompute."""

    config: SiteConfig
    facts: tuple[Fact, ...]
    sources: tuple[SourceRecord, ...]
    topics: tuple[Topic, ...]
    entities: dict[str, Entity]
    fact_files: tuple[FactFile, ...]
    findings: Findings | None = None  # content/findings.md
    # content/outlets.yaml, by the name_id of the outlet each describes
    outlets: dict[str, OutletDescription] = field(default_factory=dict)
    # Not part of the research, but of how it was made in this process: a number of its own,
    # its fact files' changes and its facts' and sources' since the research it was patched
    # from (None if made whole), and what the facts stage keeps to patch it next time.
    serial: int = field(default_factory=lambda: next(_SERIALS), compare=False, repr=False)
    changes: FactFileChanges | None = field(default=None, compare=False, repr=False)
    delta: Delta | None = field(default=None, compare=False, repr=False)
    trail: Any = field(default=None, compare=False, repr=False)

    def primed(self, fact_index: dict[str, Fact] | None,
               source_index: dict[str, SourceRecord] | None) -> Research:
        """This research, with its indexes (those given) kept from the last build and patched
        rather than made again; each must equal what the property would make, in its order."""
        if fact_index is not None:
            self.__dict__["fact_index"] = fact_index
        if source_index is not None:
            self.__dict__["source_index"] = source_index
        return self

    @functools.cached_property
    def fact_index(self) -> dict[str, Fact]:
        """Every fact, by id."""
        return {fact.id: fact for fact in self.facts}

    @functools.cached_property
    def source_index(self) -> dict[str, SourceRecord]:
        """Every source, by name."""
        return {record.id: record for record in self.sources}

    @functools.cached_property
    def topic_index(self) -> dict[str, Topic]:
        """Every topic, by id."""
        return {topic.id: topic for topic in self.topics}
