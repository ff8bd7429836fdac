"""View models: everything a template shows, computed in Python so templates stay logic-light."""

from __future__ import annotations

from dataclasses import dataclass, field

from .charts import MatrixColumn, MatrixRow, TimelineSeries
from .model import (
    AnchoredExclude,
    Entity,
    Fact,
    PartialDate,
    Research,
    SourceRecord,
    Span,
    Stance,
    Status,
    Topic,
)
from .textfragment import passage_fragment


@dataclass(frozen=True, slots=True)
class SourceLabel:
    """How a source is named in a citation: outlet (or title) and date."""

    id: str
    title: str
    outlet: str  # outlet, else agency, else ""
    date: str
    date_iso: str

    @property
    def name(self) -> str:
        """What a citation calls the source: its outlet, or its (shortened) title."""
        if self.outlet:
            return self.outlet
        return self.title if len(self.title) <= 60 else self.title[:57].rstrip() + "…"

    @property
    def citation(self) -> str:
        return f"{self.name}, {self.date}"

    @property
    def byline(self) -> str:
        return ", ".join(part for part in (self.outlet, self.date) if part)


def source_label(record: SourceRecord) -> SourceLabel:
    doc = record.doc
    published = doc.published
    return SourceLabel(doc.id, doc.title, doc.outlet or doc.agency or "",
                       published.human() if published else "date not given",
                       published.iso() if published else "")


@dataclass(frozen=True, slots=True)
class SpeakerView:
    id: str
    name: str
    role: str
    href: str  # the entity's page, or "" for a speaker not in entities.yaml


@dataclass(frozen=True, slots=True)
class CitationView:
    number: int
    anchor: str  # the id of the citation's entry on the page
    href: str
    source: SourceLabel
    quote: str
    disputes: bool
    note: str | None
    original: str  # the original article with a text fragment that highlights the quote, or ""


@dataclass(frozen=True, slots=True)
class StatusView:
    status: str
    label: str
    reason: str
    date: str
    date_iso: str


STATUS_LABELS = {Status.DISPUTED: "Disputed", Status.OUTDATED: "Outdated",
                 Status.UNVERIFIED: "Unverified",
                 Status.FAILED_VERIFICATION: "Failed verification"}


@dataclass(frozen=True, slots=True)
class FactView:
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
    support: str  # "2 independent reports: PTI, Mint" or "Single source: Mint"
    status: StatusView | None
    topics: tuple[str, ...]

    @property
    def supports(self) -> tuple[CitationView, ...]:
        return tuple(c for c in self.citations if not c.disputes)

    @property
    def disputes(self) -> tuple[CitationView, ...]:
        return tuple(c for c in self.citations if c.disputes)

    @property
    def single_source(self) -> bool:
        return len(self.reporters) <= 1


@dataclass(frozen=True, slots=True)
class NavItem:
    id: str
    title: str
    href: str


@dataclass(frozen=True, slots=True)
class SourceRow:
    label: SourceLabel
    href: str
    passages: int


@dataclass(frozen=True, slots=True)
class Backref:
    """What a source page says of a fact that cites it: for the back-links of its passages."""

    fact_id: str
    statement: str
    topics: tuple[tuple[str, str], ...]  # (topic id, topic title)
    against: tuple[str, ...] = ()  # anchors of this source's passages that dispute the fact


@dataclass(frozen=True, slots=True)
class TopicCard:
    id: str
    title: str
    summary: str
    href: str
    fact_count: int
    source_count: int


def date_fields(date: PartialDate | None) -> tuple[str, str]:
    return (date.human(), date.iso()) if date else ("", "")


def speaker_views(fact: Fact, entities: dict[str, Entity],
                  root: str = "") -> tuple[SpeakerView, ...]:
    views = []
    for speaker in fact.speakers:
        entity = entities.get(speaker)
        views.append(SpeakerView(speaker, entity.name if entity else speaker,
                                 entity.role if entity else "",
                                 f"{root}entities/{speaker}/" if entity else ""))
    return tuple(views)


def support_text(reporters: tuple[str, ...]) -> str:
    if not reporters:
        return "No supporting source"
    if len(reporters) == 1:
        return f"Reported only by {reporters[0]}"
    return f"{len(reporters)} independent reports: {', '.join(reporters)}"


def status_view(fact: Fact) -> StatusView | None:
    if fact.status is None:
        return None
    date, date_iso = date_fields(fact.status.date)
    return StatusView(fact.status.status.value, STATUS_LABELS[fact.status.status],
                      fact.status.reason, date, date_iso)


def topic_facts(research: Research, topic: Topic) -> list[Fact]:
    """A topic's facts in the order of events: dated ones first, oldest first."""
    return chronological([f for f in research.facts if topic.id in f.topics])


def fact_views(facts: list[Fact], research: Research, root: str) -> list[FactView]:
    """Facts as a page shows them; citations are numbered through the page, from 1."""
    records = research.source_index
    labels: dict[str, SourceLabel] = {}
    views = []
    number = 0
    for index, fact in enumerate(facts, start=1):
        citations = []
        for evidence in fact.evidence:  # supporting evidence comes first (facts stage)
            number += 1
            record = records[evidence.source_id]
            original = (passage_fragment(record.doc.url, record.seed.text, evidence.start,
                                         evidence.end) if record.doc.url else "")
            label = labels.get(evidence.source_id) or labels.setdefault(
                evidence.source_id, source_label(record))
            citations.append(CitationView(number, f"cite-{number}", root + evidence.href,
                                          label, evidence.quote,
                                          evidence.stance is Stance.DISPUTES, evidence.note,
                                          original))
        date, date_iso = date_fields(fact.date)
        views.append(FactView(
            index, fact.id, f"f-{fact.id}", fact.statement, date, date_iso,
            fact.date.precision if fact.date else "",
            speaker_views(fact, research.entities, root), fact.disputed, tuple(citations),
            len(fact.source_ids), fact.reporters, support_text(fact.reporters),
            status_view(fact), fact.topics))
    return views


def nav_items(research: Research, root: str) -> tuple[NavItem, ...]:
    return tuple(NavItem(t.id, t.title, f"{root}topics/{t.id}/") for t in research.topics)


def source_rows(research: Research) -> tuple[SourceRow, ...]:
    """The home page's list of sources, oldest first, undated last."""
    rows = [SourceRow(source_label(s), f"sources/{s.id}/", len(s.passages))
            for s in research.sources]
    return tuple(sorted(rows, key=lambda r: (r.label.date_iso or "9999", r.label.id)))


def backrefs(record: SourceRecord, research: Research) -> tuple[Backref, ...]:
    """The facts that cite this source, with their topics' titles, in fact-id order."""
    facts = research.fact_index
    titles = {t.id: t.title for t in research.topics}
    cited = sorted({fid for p in record.passages for fid in p.fact_ids if fid in facts})
    return tuple(Backref(f.id, f.statement, tuple((t, titles.get(t, t)) for t in f.topics),
                         tuple(sorted(e.anchor for e in f.evidence if e.source_id == record.id
                                      and e.stance is Stance.DISPUTES)))
                 for f in (facts[fid] for fid in cited))


def topic_cards(research: Research, root: str) -> list[TopicCard]:
    cards = []
    for topic in research.topics:
        facts = topic_facts(research, topic)
        sources = {s for f in facts for s in f.source_ids}
        cards.append(TopicCard(topic.id, topic.title, topic.summary,
                               f"{root}topics/{topic.id}/", len(facts), len(sources)))
    return cards


# --- the archived article, as a tree of blocks and nested passages ---


@dataclass
class Node:
    """A piece of an article: plain text, a highlighted passage, or boilerplate."""

    kind: str  # "text" | "passage" | "boilerplate"
    text: str = ""
    anchor: str = ""
    label: str = ""
    children: list[Node] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class BacklinkView:
    href: str
    topic: str
    statement: str
    against: bool


@dataclass(frozen=True, slots=True)
class PassageNote:
    anchor: str
    excerpt: str
    backlinks: tuple[BacklinkView, ...]
    original: str  # the passage in the original article (a text-fragment link), or ""


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph of the article: its nodes, and notes for the passages that begin in it."""

    boilerplate: bool
    label: str
    nodes: tuple[Node, ...]
    notes: tuple[PassageNote, ...]


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    kind: str
    anchor: str = ""
    label: str = ""


def article_blocks(record: SourceRecord, refs: tuple[Backref, ...], root: str) -> list[Block]:
    text = record.seed.text
    spans = [_Span(p.start, p.end, "passage", p.anchor) for p in record.passages]
    spans += [_Span(e.span.start, e.span.end, "boilerplate",
                    label=f"Excluded: {e.reason}" if e.reason else "Excluded")
              for e in _merged_excludes(record)]
    spans.sort(key=lambda s: (s.start, -s.end))
    notes = _passage_notes(record, refs, root)
    blocks = []
    for start, end in _block_ranges(text, spans):
        inside = [s for s in spans if start <= s.start and s.end <= end]
        nodes = _nest(text, start, end, inside)
        whole = [s for s in inside if s.kind == "boilerplate"
                 and not text[start:s.start].strip() and not text[s.end:end].strip()]
        if whole:
            blocks.append(Block(True, whole[0].label, tuple(nodes[0].children)
                                if len(nodes) == 1 else tuple(nodes), ()))
            continue
        block_notes = tuple(notes[s.anchor] for s in inside if s.kind == "passage")
        blocks.append(Block(False, "", tuple(nodes), block_notes))
    return blocks


def _merged_excludes(record: SourceRecord) -> list[AnchoredExclude]:
    merged: list[AnchoredExclude] = []
    for exclude in record.excludes:  # sorted by span
        if merged and exclude.span.start <= merged[-1].span.end:
            last = merged[-1]
            if exclude.span.end > last.span.end:
                merged[-1] = AnchoredExclude(Span(last.span.start, exclude.span.end), last.reason)
            continue
        merged.append(exclude)
    return merged


def _block_ranges(text: str, spans: list[_Span]) -> list[tuple[int, int]]:
    """Lines are paragraphs, but a span that crosses a line break joins those lines."""
    lines = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    ranges: list[tuple[int, int]] = []
    for start, end in lines:
        if ranges and any(s.start < ranges[-1][1] + 1 and s.end > start and s.start < start
                          for s in spans):
            ranges[-1] = (ranges[-1][0], end)
        else:
            ranges.append((start, end))
    return [(s, e) for s, e in ranges if text[s:e].strip()]


def _nest(text: str, start: int, end: int, spans: list[_Span]) -> list[Node]:
    """Text between start and end, with spans (sorted, nested, never crossing) as children."""
    nodes: list[Node] = []
    pos = start
    i = 0
    while i < len(spans):
        span = spans[i]
        if span.start > pos:
            nodes.append(Node("text", text[pos:span.start].replace("\r", "")))
        inner = []
        j = i + 1
        while j < len(spans) and spans[j].start < span.end:
            inner.append(spans[j])
            j += 1
        nodes.append(Node(span.kind, anchor=span.anchor, label=span.label,
                          children=_nest(text, span.start, span.end, inner)))
        pos = max(pos, span.end)
        i = j
    if pos < end:
        nodes.append(Node("text", text[pos:end].replace("\r", "")))
    return nodes


def _passage_notes(record: SourceRecord, refs: tuple[Backref, ...],
                   root: str) -> dict[str, PassageNote]:
    by_id = {r.fact_id: r for r in refs}
    notes = {}
    for passage in record.passages:
        links = [BacklinkView(f"{root}topics/{topic_id}/#f-{ref.fact_id}", title, ref.statement,
                              passage.anchor in ref.against)
                 for ref in (by_id[f] for f in passage.fact_ids if f in by_id)
                 for topic_id, title in ref.topics]
        excerpt = " ".join(record.seed.text[passage.start:passage.end].split())
        if len(excerpt) > 70:
            excerpt = excerpt[:67].rstrip() + "…"
        original = (passage_fragment(record.doc.url, record.seed.text, passage.start,
                                     passage.end) if record.doc.url else "")
        notes[passage.anchor] = PassageNote(passage.anchor, excerpt, tuple(links), original)
    return notes


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
        # Half up (1 of 8 is 13 %), not Python's round-half-to-even.
        return int(100 * self.corroborated / self.facts + 0.5) if self.facts else 0


def support_summary(facts: list[Fact] | tuple[Fact, ...]) -> SupportSummary:
    return SupportSummary(len(facts), sum(not f.single_source for f in facts),
                          sum(f.single_source for f in facts), sum(f.disputed for f in facts),
                          sum(f.status is not None for f in facts))


# --- people and organisations ---


@dataclass(frozen=True, slots=True)
class EntityRow:
    id: str
    name: str
    kind: str
    role: str
    aliases: tuple[str, ...]
    href: str
    stated: int
    about: int


def entity_facts(research: Research) -> dict[str, tuple[list[Fact], list[Fact]]]:
    """Per entity: the facts it stated, and the other facts that name it; in date order."""
    found: dict[str, tuple[list[Fact], list[Fact]]] = {e: ([], []) for e in research.entities}
    for fact in chronological(research.facts):
        for speaker in fact.speakers:
            if speaker in found:
                found[speaker][0].append(fact)
        for entity in fact.mentions:
            if entity in found and entity not in fact.speakers:
                found[entity][1].append(fact)
    return found


def entity_rows(research: Research, facts: dict[str, tuple[list[Fact], list[Fact]]],
                root: str) -> tuple[EntityRow, ...]:
    rows = [EntityRow(e.id, e.name, e.kind, e.role, e.aliases, f"{root}entities/{e.id}/",
                      len(facts[e.id][0]), len(facts[e.id][1]))
            for e in research.entities.values()]
    return tuple(sorted(rows, key=lambda r: (r.kind, r.name.casefold(), r.id)))


def chronological(facts: tuple[Fact, ...] | list[Fact]) -> list[Fact]:
    """Dated facts first, oldest first; a less precise date sorts before a precise one in its
    period (2018 before 2018-10 before 2018-10-05); then by id."""
    return sorted(facts, key=lambda f: (f.date is None, f.date.sort_key if f.date else (), f.id))


# --- the timeline ---


@dataclass(frozen=True, slots=True)
class TimelineYear:
    year: int
    facts: tuple[FactView, ...]


@dataclass(frozen=True, slots=True)
class TopicFilter:
    id: str
    title: str
    count: int


def timeline_years(views: list[FactView]) -> tuple[TimelineYear, ...]:
    years: dict[int, list[FactView]] = {}
    for view in views:
        years.setdefault(int(view.date_iso[:4]), []).append(view)
    return tuple(TimelineYear(year, tuple(items)) for year, items in years.items())


def topic_filters(research: Research, facts: list[Fact]) -> tuple[TopicFilter, ...]:
    return tuple(TopicFilter(t.id, t.title, sum(t.id in f.topics for f in facts))
                 for t in research.topics)


def timeline_series(research: Research, dated: list[Fact], root: str) -> list[TimelineSeries]:
    """Facts per topic and year, for the timeline chart."""
    series = []
    for topic in research.topics:
        years: dict[int, int] = {}
        for fact in dated:
            if topic.id in fact.topics and fact.date is not None:
                years[fact.date.year] = years.get(fact.date.year, 0) + 1
        if years:
            series.append(TimelineSeries(topic.id, topic.title, f"{root}topics/{topic.id}/",
                                         tuple(sorted(years.items()))))
    return series


def timeline_description(research: Research, dated: list[Fact]) -> str:
    if not dated:
        return "No dated facts yet."
    first, last = dated[0].date, dated[-1].date
    assert first is not None and last is not None
    return (f"{len(dated)} dated facts from {first.year} to {last.year}, in "
            f"{len({t for f in dated for t in f.topics})} topics; each circle's area shows how "
            "many facts of a topic fall in a year. The list below gives every fact.")


# --- coverage: which sources cover which topics ---


def coverage(research: Research, root: str) -> tuple[tuple[MatrixRow, ...],
                                                     tuple[MatrixColumn, ...]]:
    """Per source and topic, how many facts the source supports; per topic, how many sources."""
    counts: dict[str, dict[str, int]] = {s.id: {} for s in research.sources}
    for fact in research.facts:
        supporting = {e.source_id for e in fact.evidence if e.stance is Stance.SUPPORTS}
        for source_id in supporting:
            for topic_id in fact.topics:
                row = counts.setdefault(source_id, {})
                row[topic_id] = row.get(topic_id, 0) + 1
    labels = {r.label.id: r for r in source_rows(research)}
    rows = tuple(MatrixRow(labels[s].label.citation, f"{root}sources/{s}/",
                           tuple(counts[s].get(t.id, 0) for t in research.topics))
                 for s in labels)
    columns = tuple(MatrixColumn(t.title, f"{root}topics/{t.id}/",
                                 sum(1 for s in counts if counts[s].get(t.id)))
                    for t in research.topics)
    return rows, columns


def coverage_description(rows: tuple[MatrixRow, ...], columns: tuple[MatrixColumn, ...]) -> str:
    thin = [c.label for c in columns if c.total_sources == 1]
    text = (f"{len(rows)} sources against {len(columns)} topics; each cell gives the number of "
            "facts a source supports in a topic.")
    if thin:
        text += f" Covered by one source only: {', '.join(thin)}."
    return text
