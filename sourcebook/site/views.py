"""View models that several page kinds share: a fact as pages show it, with its numbered
citations; how a source is named in a citation; support figures; the topic menu.

Links are site URLs (routes.Url), resolved by each template's `url_for`, so a view does not
depend on the page that shows it. Everything here reads the research through a Reader.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .. import routes
from ..content.languages import other_language
from ..content.model import Entity, PartialDate, Stance, Status, Topic
from ..research.corroboration import name_id
from ..research.model import Fact, SourceRecord
from ..routes import Url
from ..selectors.fragment import passage_fragment
from .citeformats import FactCitation, fact_citation
from .factpages import Outline, fact_home
from .folds import SOURCES, tally, weighed_tally
from .reader import Reader, query


@dataclass(frozen=True, slots=True)
class SourceLabel:
    """How a source is named in a citation: outlet (or title) and date."""

    id: str
    title: str
    outlet: str  # outlet, else agency, else ""
    date: str
    date_iso: str
    agency: str = ""  # the wire agency whose copy the outlet carried, if another than it
    lang: str = ""  # the title's language when it is not the page's (its `lang` attribute)
    trans_title: str = ""  # the title's translation, shown beside it
    translator: str = ""  # who translated the source's title and quotes, if the annotation says

    @property
    def name(self) -> str:
        """What a citation calls the source: its outlet (and the agency whose wire copy it
        carried), or its (shortened) title."""
        if self.outlet:
            return f"{self.outlet} ({self.agency})" if self.agency else self.outlet
        return self.title if len(self.title) <= 60 else self.title[:57].rstrip() + "…"

    @property
    def name_lang(self) -> str:
        """The `lang` of the name a citation gives: the title's, when the name is the title."""
        return "" if self.outlet else self.lang

    @property
    def citation(self) -> str:
        """The source as a citation names it: 'name, date'."""
        return f"{self.name}, {self.date}"

    @property
    def byline(self) -> str:
        """The outlet and the date, whichever are known."""
        return ", ".join(part for part in (self.outlet, self.date) if part)


@query
def cited_source(read: Reader, source_id: str) -> SourceRecord | None:
    """A source as a citation of it shows it: its metadata and archived text, without its
    claims and passages, so that a page citing it does not change when another claim does."""
    record = read.source(source_id)
    if record is None:
        return None
    return SourceRecord(dataclasses.replace(record.doc, exclude=(), claims=(), digest=""),
                        record.seed, (), ())


def citing(read: Reader, source_id: str) -> SourceRecord:
    """The cited source of a piece of evidence (the facts stage cites only anchored ones)."""
    record = read.query(cited_source, source_id)
    assert record is not None, source_id
    return record


def source_label(record: SourceRecord, page_language: str = "") -> SourceLabel:
    """How citations name a source, on a page in `page_language` (the site's); without it,
    the label keeps the source's own language, for `in_page` to compare with a page's."""
    doc = record.doc
    published = doc.published
    agency = doc.agency if doc.outlet and doc.agency and doc.agency != doc.outlet else ""
    return SourceLabel(doc.id, doc.title, doc.outlet or doc.agency or "",
                       published.human() if published else "date not given",
                       published.iso() if published else "", agency or "",
                       other_language(doc.language, page_language), doc.trans_title or "",
                       doc.translator or "")


def in_page(label: SourceLabel, page_language: str) -> SourceLabel:
    """A label made without the page's language (source_label), as a page in
    `page_language` shows it: no `lang` for a title in the page's own language."""
    if label.lang and not other_language(label.lang, page_language):
        return dataclasses.replace(label, lang="")
    return label


@dataclass(frozen=True, slots=True)
class SpeakerView:
    """A speaker of a fact, linked to their page when entities.yaml knows them."""

    id: str
    name: str
    role: str
    url: Url | None  # the entity's page; None for a speaker not in entities.yaml


@dataclass(frozen=True, slots=True)
class CitationView:
    """One numbered citation of a fact: the quote, its source, and where to read it."""

    number: int
    anchor: str  # the id of the citation's entry on the page
    href: Url  # the passage
    source: SourceLabel
    quote: str
    disputes: bool
    note: str | None
    original: str  # the original article with a text fragment that highlights the quote, or ""
    lang: str = ""  # the quote's language when it is not the page's (its `lang` attribute)
    translation: str = ""  # the quote's translation (trans_quote), shown with it
    translator: str = ""  # who translated it, if the annotation says


@dataclass(frozen=True, slots=True)
class StatusView:
    """A fact's status as pages show it: its label, why, and since when."""

    status: str
    label: str
    reason: str
    date: str
    date_iso: str


STATUS_LABELS = {Status.DISPUTED: "Disputed", Status.OUTDATED: "Outdated",
                 Status.UNVERIFIED: "Unverified",
                 Status.FAILED_VERIFICATION: "Failed verification",
                 Status.RESOLVED: "Dispute resolved"}


@dataclass(frozen=True, slots=True)
class FactView:
    """A fact as a page shows it, with its numbered citations and support."""

    number: int
    id: str
    anchor: str
    statement: str
    date: str
    date_iso: str
    date_precision: str  # "day", "month", "year" or ""
    speakers: tuple[SpeakerView, ...]
    disputed: bool
    citations: tuple[CitationView, ...]  # supporting first, then disputing, numbered in order
    source_count: int
    reporters: tuple[str, ...]
    support: str  # "2 independent reports: PTI, Mint" or "Reported only by Mint"
    status: StatusView | None
    topics: tuple[str, ...]
    home: Url  # its permalink: its entry on the page of its first topic that lists it
    cite: FactCitation  # its permalink, and how to cite it
    facets: tuple[tuple[str, str], ...] = ()  # (facet, its values joined by spaces): filters

    @property
    def supports(self) -> tuple[CitationView, ...]:
        """The citations that support the fact."""
        return tuple(c for c in self.citations if not c.disputes)

    @property
    def disputes(self) -> tuple[CitationView, ...]:
        """The citations that dispute the fact."""
        return tuple(c for c in self.citations if c.disputes)

    @property
    def single_source(self) -> bool:
        """Whether at most one independent report supports the fact."""
        return len(self.reporters) <= 1

    @property
    def self_contradicted(self) -> SourceLabel | None:
        """The one source whose own passages both support and dispute the fact (a report that
        contradicts itself, not an outside challenge), else None."""
        sources = {c.source.id: c.source for c in self.citations}
        against = {c.source.id for c in self.disputes}
        if len(sources) == 1 and against and self.supports:
            return next(iter(sources.values()))
        return None


@dataclass(frozen=True, slots=True)
class TopicLink:
    """A topic as the topic menu links to it."""

    id: str
    title: str
    url: Url


def date_fields(date: PartialDate | None) -> tuple[str, str]:
    """A date as (the date in words, ISO 8601); two empty strings for no date."""
    return (date.human(), date.iso()) if date else ("", "")


def speaker_views(read: Reader, fact: Fact) -> tuple[SpeakerView, ...]:
    """The fact's speakers, named and linked as their entities where entities.yaml knows them."""
    views = []
    for speaker in fact.speakers:
        entity: Entity | None = read.entity(speaker)
        views.append(SpeakerView(speaker, entity.name if entity else speaker,
                                 entity.role if entity else "",
                                 routes.entity(speaker) if entity else None))
    return tuple(views)


def support_text(reporters: tuple[str, ...],
                 carriers: dict[str, tuple[str, ...]] | None = None) -> str:
    """How many independent reports support a fact, and whose, in words. A wire agency's
    report names the outlets that carried it (`carriers`: agency → outlets), so that "PTI"
    is not read beside a citation of Rediff.com without an explanation."""
    carriers = carriers or {}
    named = [f"{r} (wire copy, carried by {', '.join(carriers[r])})" if carriers.get(r) else r
             for r in reporters]
    if not named:
        return "No supporting source"
    if len(named) == 1:
        return f"Reported only by {named[0]}"
    return f"{len(named)} independent reports: {', '.join(named)}"


def wire_carriers(citations: Iterable[CitationView]) -> dict[str, tuple[str, ...]]:
    """For each wire agency among the supporting citations, the outlets that carried its copy,
    sorted without case."""
    found: dict[str, set[str]] = {}
    for cite in citations:
        if not cite.disputes and cite.source.agency:
            found.setdefault(cite.source.agency, set()).add(cite.source.outlet)
    return {agency: tuple(sorted(outlets, key=str.casefold)) for agency, outlets in found.items()}


def status_view(fact: Fact) -> StatusView | None:
    """The fact's status as pages show it, or None if it has none."""
    if fact.status is None:
        return None
    date, date_iso = date_fields(fact.status.date)
    return StatusView(fact.status.status.value, STATUS_LABELS[fact.status.status],
                      fact.status.reason, date, date_iso)


def fact_facets(fact: Fact, citations: Iterable[CitationView]) -> tuple[tuple[str, str], ...]:
    """What a list's filters know of a fact, as (facet, space-separated values): its topics,
    support, stance, status, outlets and year. `filters.FACETS` names and labels them."""
    status = [*(["disputed"] if fact.disputed else []),
              *(["noted", fact.status.status.value] if fact.status else [])]
    outlets = sorted({name_id(c.source.outlet) for c in citations if c.source.outlet})
    return (("topic", " ".join(fact.topics)),
            ("support", "single" if fact.single_source else "corroborated"),
            ("stance", "contested" if any(c.disputes for c in citations) else "uncontested"),
            ("status", " ".join(dict.fromkeys(status)) or "none"),
            ("outlet", " ".join(outlets)),
            ("year", str(fact.date.year) if fact.date else "undated"))


def fact_views(read: Reader, facts: Iterable[Fact], first: int = 1) -> list[FactView]:
    """Facts as a page shows them; citations are numbered through the page from `first`.
    In the preview, a fact's view is kept while what it is made of is the same objects."""
    labels: dict[str, SourceLabel] = {}
    views = []
    number = first - 1
    kept = read.kept
    language = read.config().language
    for index, fact in enumerate(facts, start=1):
        if kept is not None:  # its reads, recorded for the page whether kept or not
            made_of = (fact, read.config(),
                       *(citing(read, e.source_id) for e in fact.evidence),
                       *(read.entity(speaker) for speaker in fact.speakers))
            key = ("fact view", fact.id, index, number, read.query(fact_home, fact.id))
            found = kept.get(key, made_of)
            if found is not None:
                views.append(found)
                number += len(fact.evidence)
                continue
        view_number = number
        citations = []
        for evidence in fact.evidence:  # supporting evidence comes first (facts stage)
            number += 1
            record = citing(read, evidence.source_id)
            original = (passage_fragment(record.doc.url, record.seed.text, evidence.start,
                                         evidence.end) if record.doc.url else "")
            label = labels.get(evidence.source_id) or labels.setdefault(
                evidence.source_id, source_label(record, language))
            citations.append(CitationView(number, routes.citation_anchor(number), evidence.href,
                                          label, evidence.quote,
                                          evidence.stance is Stance.DISPUTES, evidence.note,
                                          original, label.lang, evidence.translation or "",
                                          evidence.translator or ""))
        date, date_iso = date_fields(fact.date)
        home = read.query(fact_home, fact.id)
        evidence = tuple(dict.fromkeys(c.source.citation for c in citations if not c.disputes))
        views.append(FactView(
            index, fact.id, routes.fact_anchor(fact.id), fact.statement, date, date_iso,
            fact.date.precision if fact.date else "", speaker_views(read, fact), fact.disputed,
            tuple(citations), len(fact.source_ids), fact.reporters,
            support_text(fact.reporters, wire_carriers(citations)), status_view(fact),
            fact.topics, home,
            fact_citation(read.config(), fact.id, fact.statement, home, evidence),
            fact_facets(fact, citations)))
        if kept is not None:
            kept.put(("fact view", fact.id, index, view_number, home), made_of, views[-1])
    return views


@query
def listed_topics(read: Reader) -> tuple[Topic, ...]:
    """The topics as lists show them: without their introductions, so that editing one
    changes only its own page."""
    return tuple(dataclasses.replace(t, body="", citations=()) for t in read.topics())


@query
def topic_links(read: Reader) -> tuple[TopicLink, ...]:
    """The topic menu: every topic's title and page, in the topics' order."""
    return tuple(TopicLink(t.id, t.title, routes.topic(t.id)) for t in read.topics())


@query
def topic_titles(read: Reader) -> dict[str, str]:
    """Every topic's title, by id."""
    return {topic.id: topic.title for topic in read.topics()}


@query
def counts(read: Reader) -> dict[str, int]:
    """How big the research is: topics, facts, sources, entities, evidence and passages."""
    facts, sources = read.tally(_fact_sizes), read.tally(_source_sizes)
    return {"topics": len(read.topics()), "facts": facts["facts"], "sources": sources["sources"],
            "entities": len(read.entities()), "evidence": facts["evidence"],
            "passages": sources["passages"]}


@weighed_tally
def _fact_sizes(fact: Fact) -> Iterator[tuple[str, int]]:
    yield "facts", 1
    yield "evidence", len(fact.evidence)


@weighed_tally(over=SOURCES)
def _source_sizes(record: SourceRecord) -> Iterator[tuple[str, int]]:
    yield "sources", 1
    yield "passages", len(record.passages)


def topic_of(read: Reader, topic_id: str) -> Topic:
    """The topic with this id, which must exist."""
    topic = read.topic(topic_id)
    assert topic is not None, topic_id  # pages are only planned for existing topics
    return topic


# --- how well supported the research is ---


@dataclass(frozen=True, slots=True)
class SupportSummary:
    """The home and topic pages' figures: how many facts rest on more than one report."""

    facts: int
    corroborated: int  # two or more independent reports
    single_source: int
    disputed: int
    flagged: int  # facts with a status (outdated, unverified, …)

    @property
    def corroborated_share(self) -> int:
        """The percentage of facts that are corroborated, rounded half up; 0 without facts."""
        # Half up (1 of 8 is 13 %), not Python's round-half-to-even.
        return int(100 * self.corroborated / self.facts + 0.5) if self.facts else 0


def support_summary(facts: Iterable[Fact | Outline]) -> SupportSummary:
    """The support figures of these facts."""
    facts = tuple(facts)
    return SupportSummary(len(facts), sum(not f.single_source for f in facts),
                          sum(f.single_source for f in facts), sum(f.disputed for f in facts),
                          sum(f.status is not None for f in facts))


@tally
def _support(fact: Fact) -> Iterator[str]:
    yield "facts"
    yield "single source" if fact.single_source else "corroborated"
    if fact.disputed:
        yield "disputed"
    if fact.status is not None:
        yield "flagged"


@query
def research_support(read: Reader) -> SupportSummary:
    """The support figures of the whole research (support_summary of every fact)."""
    sums = read.tally(_support)
    return SupportSummary(sums["facts"], sums["corroborated"], sums["single source"],
                          sums["disputed"], sums["flagged"])
