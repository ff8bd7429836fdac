"""The home page: the research question, how well supported the facts are, the topics, the
coverage matrix of sources by topics, and the sources."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ... import routes
from ...content.model import Stance
from ...routes import Url
from ..charts import MatrixColumn, MatrixRow, matrix_svg
from ..filters import support_links
from ..jsonld import website
from ..kinds import Here, PageKind
from ..markdown import CitationTarget, render_markdown
from ..reader import Reader, query
from ..views import (
    FactView,
    SourceLabel,
    counts,
    fact_views,
    research_support,
    source_label,
    topic_facts,
)
from .timeline import NAME as TIMELINE_NAME


@dataclass(frozen=True, slots=True)
class TopicCard:
    """A topic as the home page shows it, with how many facts and sources it has."""

    id: str
    title: str
    summary: str
    url: Url
    fact_count: int
    source_count: int
    corroborated: int  # facts on two or more independent reports
    disputed: int
    general: bool  # a catch-all topic, shown after the others


@dataclass(frozen=True, slots=True)
class SourceRow:
    """A source as the home page lists it, with how many passages it has."""

    label: SourceLabel
    url: Url
    passages: int


@dataclass(frozen=True, slots=True)
class Coverage:
    """Per source and topic, how many facts the source supports; per topic, how many sources."""

    sources: tuple[tuple[str, str, tuple[int, ...]], ...]  # (source id, label, counts)
    topics: tuple[tuple[str, str, int], ...]  # (topic id, title, sources supporting it)


@query
def topic_cards(read: Reader) -> tuple[TopicCard, ...]:
    """Every topic's card, in the topics' order, catch-all (general) topics last."""
    cards = []
    for topic in read.topics():
        facts = read.query(topic_facts, topic.id)
        sources = {s for f in facts for s in f.source_ids}
        cards.append(TopicCard(topic.id, topic.title, topic.summary, routes.topic(topic.id),
                               len(facts), len(sources), sum(not f.single_source for f in facts),
                               sum(f.disputed for f in facts), topic.general))
    return tuple(sorted(cards, key=lambda card: card.general))


@query
def source_rows(read: Reader) -> tuple[SourceRow, ...]:
    """Every source, oldest first, undated last."""
    rows = [SourceRow(source_label(s), routes.source(s.id), len(s.passages))
            for s in read.sources()]
    return tuple(sorted(rows, key=lambda r: (r.label.date_iso or "9999", r.label.id)))


@query
def coverage(read: Reader) -> Coverage:
    """The coverage matrix: per source (oldest first) and topic, how many facts it supports."""
    counts: dict[str, dict[str, int]] = {s.id: {} for s in read.sources()}
    for fact in read.facts():
        supporting = {e.source_id for e in fact.evidence if e.stance is Stance.SUPPORTS}
        for source_id in supporting:
            for topic_id in fact.topics:
                row = counts.setdefault(source_id, {})
                row[topic_id] = row.get(topic_id, 0) + 1
    topics = read.topics()
    rows = tuple((row.label.id, row.label.citation, tuple(counts[row.label.id].get(t.id, 0)
                                                          for t in topics))
                 for row in read.query(source_rows))
    columns = tuple((t.id, t.title, sum(1 for s in counts if counts[s].get(t.id)))
                    for t in topics)
    return Coverage(rows, columns)


def coverage_description(rows: tuple[MatrixRow, ...], columns: tuple[MatrixColumn, ...]) -> str:
    """The matrix in words, naming the topics that only one source covers."""
    thin = [c.label for c in columns if c.total_sources == 1]
    text = (f"{len(rows)} sources against {len(columns)} topics; each cell gives the number of "
            "facts a source supports in a topic.")
    if thin:
        text += f" Covered by one source only: {', '.join(thin)}."
    return text


@dataclass(frozen=True, slots=True)
class KeyFindings:
    """content/findings.md as the home page shows it: its title, its text with numbered
    citation marks, and the cited facts in that numbering, each with its evidence strength."""

    title: str
    html: Markup
    facts: tuple[FactView, ...]  # FactView.number is the number its marks show


def key_findings(read: Reader, here: Here) -> KeyFindings | None:
    """The key findings, each citation a mark that links to its fact's evidence; None without
    a findings file."""
    findings = read.findings()
    if findings is None:
        return None
    cited = [fact for fact_id in dict.fromkeys(c.fact_id for c in findings.citations)
             if (fact := read.fact(fact_id)) is not None]
    views = fact_views(read, cited)
    targets = {view.id: CitationTarget(
        ((str(view.number), here.link(view.home)),), view.statement,
        (("", here.link(view.home)),) if view.disputed else ()) for view in views}
    html = render_markdown(findings.body, targets, routes.intro_mark_anchor,
                           allow_raw_html=read.config().allow_raw_html)
    return KeyFindings(findings.title, Markup(html), tuple(views))


def _view(read: Reader, here: Here) -> dict[str, Any]:
    table = read.query(coverage)
    rows = tuple(MatrixRow(label, here.link(routes.source(sid)), counts)
                 for sid, label, counts in table.sources)
    columns = tuple(MatrixColumn(title, here.link(routes.topic(tid)), total)
                    for tid, title, total in table.topics)
    matrix = matrix_svg(rows, columns, id_prefix="coverage",
                        title="Which sources cover which topics",
                        description=coverage_description(rows, columns))
    cards = read.query(topic_cards)
    return {"cards": tuple(c for c in cards if not c.general),
            "general_cards": tuple(c for c in cards if c.general),
            "sources": read.query(source_rows),
            "fact_count": read.query(counts)["facts"], "summary": read.query(research_support),
            "support_links": support_links(routes.listing(TIMELINE_NAME)),
            "findings": key_findings(read, here),
            "matrix": Markup(matrix), "rows": rows, "columns": columns,
            "jsonld": website(read.config())}


HOME = PageKind("home", "home.html", lambda _key: routes.home(), _view)
