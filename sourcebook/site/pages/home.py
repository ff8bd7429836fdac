"""The home page: the research question, how well supported the facts are, the topics, the
coverage matrix of sources by topics, and the sources."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ... import routes
from ...content.model import Stance
from ...research.model import Fact
from ...routes import Url
from ..charts import MatrixColumn, MatrixRow, matrix_svg
from ..filters import NO_LINKS, support_links
from ..folds import tally
from ..jsonld import website
from ..kinds import Here, PageKind
from ..markdown import CitationTarget, render_markdown
from ..reader import Reader, query
from ..views import (
    FactView,
    counts,
    fact_views,
    research_support,
)
from .archive import NAME as ARCHIVE_NAME
from .archive import SourceRow, rows_in_page, source_rows
from .outlets import NAME as OUTLETS_NAME
from .outlets import outlets
from .timeline import NAME as TIMELINE_NAME
from .timeline import timeline_page_count


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
class Coverage:
    """Per source and topic, how many facts the source supports; per topic, how many sources."""

    sources: tuple[tuple[str, str, tuple[int, ...]], ...]  # (source id, label, counts)
    topics: tuple[tuple[str, str, int], ...]  # (topic id, title, sources supporting it)


@tally
def _topic_counts(fact: Fact) -> Iterator[tuple[str, ...]]:
    """Toward each of its topics: a fact, whether corroborated or disputed, and each of its
    sources (a source counts once per fact)."""
    for topic_id in fact.topics:
        yield ("facts", topic_id)
        if not fact.single_source:
            yield ("corroborated", topic_id)
        if fact.disputed:
            yield ("disputed", topic_id)
        for source_id in set(fact.source_ids):
            yield ("source", topic_id, source_id)


@query
def topic_cards(read: Reader) -> tuple[TopicCard, ...]:
    """Every topic's card, in the topics' order, catch-all (general) topics last."""
    counts = read.tally(_topic_counts)
    sources = Counter(key[1] for key in counts if key[0] == "source")
    cards = [TopicCard(topic.id, topic.title, topic.summary, routes.topic(topic.id),
                       counts[("facts", topic.id)], sources[topic.id],
                       counts[("corroborated", topic.id)], counts[("disputed", topic.id)],
                       topic.general) for topic in read.topics()]
    return tuple(sorted(cards, key=lambda card: card.general))


@tally
def _support_by_source(fact: Fact) -> Iterator[tuple[str, str]]:
    """(source, topic) for each source whose evidence supports the fact, and each topic."""
    for source_id in {e.source_id for e in fact.evidence if e.stance is Stance.SUPPORTS}:
        for topic_id in fact.topics:
            yield (source_id, topic_id)


@query
def coverage(read: Reader) -> Coverage:
    """The coverage matrix: per source (oldest first) and topic, how many facts it supports."""
    counts = read.tally(_support_by_source)
    topics = read.topics()
    by_source: dict[str, dict[str, int]] = {}
    for (source_id, topic_id), n in counts.items():  # each source's row, by lookups
        by_source.setdefault(source_id, {})[topic_id] = n
    none = tuple(0 for _ in topics)
    rows = tuple((row.label.id, row.label.citation,
                  tuple(found.get(t.id, 0) for t in topics)
                  if (found := by_source.get(row.label.id)) else none)
                 for row in read.query(source_rows))
    supporting = Counter(topic_id for _, topic_id in counts)  # sources per topic
    columns = tuple((t.id, t.title, supporting[t.id]) for t in topics)
    return Coverage(rows, columns)


def coverage_description(rows: tuple[MatrixRow, ...], columns: tuple[MatrixColumn, ...],
                         sources: int | None = None) -> str:
    """The matrix in words, naming the topics that only one source covers; `sources` is how
    many sources the rows count, when rows group them."""
    thin = [c.label for c in columns if c.total_sources == 1]
    if sources is not None and sources != len(rows):
        text = (f"{sources} sources in {len(rows)} rows (an outlet's sources together, the "
                f"rest summed in the last row) against {len(columns)} topics; each cell gives "
                "the number of facts the row's sources support in a topic.")
    else:
        text = (f"{len(rows)} sources against {len(columns)} topics; each cell gives the "
                "number of facts a source supports in a topic.")
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


MATRIX_ROWS = 30  # with more sources than this, the matrix groups them (grouped_coverage)
HOME_SOURCES = 20  # with more sources than this, the home page lists the latest and links on


def latest_sources(read: Reader) -> tuple[SourceRow, ...]:
    """The sources the home page lists: all of a small archive, oldest first; the latest
    HOME_SOURCES of a large one, newest first."""
    rows = read.query(source_rows)
    shown = rows if len(rows) <= HOME_SOURCES else tuple(reversed(rows[-HOME_SOURCES:]))
    return rows_in_page(shown, read.config().language)


def grouped_coverage(read: Reader,
                     table: Coverage) -> tuple[tuple[str, Url, tuple[int, ...]], ...]:
    """The coverage matrix of an archive too large for a row per source: a row per outlet (its
    sources summed) and per source without an outlet, those that support most facts first; past
    MATRIX_ROWS the rest are summed in one row that links to the archive."""
    by_source = {sid: (label, counts) for sid, label, counts in table.sources}
    width = len(table.topics)

    def summed(ids: tuple[str, ...]) -> tuple[int, ...]:
        return tuple(sum(by_source[i][1][t] for i in ids if i in by_source)
                     for t in range(width))

    found = read.query(outlets).values()
    with_outlet = {i for outlet in found for i in outlet.sources}
    rows = [(f"{o.name} ({len(o.sources)} source{'s' if len(o.sources) != 1 else ''})",
             routes.member(OUTLETS_NAME, o.id), summed(o.sources)) for o in found]
    rows += [(label, routes.source(sid), counts) for sid, (label, counts) in by_source.items()
             if sid not in with_outlet]
    rows.sort(key=lambda row: (-sum(row[2]), row[0].casefold(), str(row[1])))
    if len(rows) <= MATRIX_ROWS:
        return tuple(rows)
    rest = rows[MATRIX_ROWS - 1:]
    return (*rows[:MATRIX_ROWS - 1],
            (f"{len(rest)} more outlets and sources", routes.listing(ARCHIVE_NAME),
             tuple(sum(row[2][t] for row in rest) for t in range(width))))


def _view(read: Reader, here: Here) -> dict[str, Any]:
    table = read.query(coverage)
    grouped = len(table.sources) > MATRIX_ROWS
    rows = (tuple(MatrixRow(label, here.link(url), counts)
                  for label, url, counts in grouped_coverage(read, table)) if grouped else
            tuple(MatrixRow(label, here.link(routes.source(sid)), counts)
                  for sid, label, counts in table.sources))
    columns = tuple(MatrixColumn(title, here.link(routes.topic(tid)), total)
                    for tid, title, total in table.topics)
    matrix = matrix_svg(rows, columns, id_prefix="coverage",
                        title="Which sources cover which topics",
                        description=coverage_description(rows, columns, len(table.sources)))
    cards = read.query(topic_cards)
    return {"cards": tuple(c for c in cards if not c.general),
            "general_cards": tuple(c for c in cards if c.general),
            "sources": latest_sources(read), "source_total": len(table.sources),
            "archive_url": routes.listing(ARCHIVE_NAME),
            "grouped": grouped,
            "fact_count": read.query(counts)["facts"], "summary": read.query(research_support),
            # A paged timeline cannot filter all its facts at once: the figures stay text.
            "support_links": support_links(routes.listing(TIMELINE_NAME))
            if read.query(timeline_page_count) == 1 else NO_LINKS,
            "findings": key_findings(read, here),
            "matrix": Markup(matrix), "rows": rows, "columns": columns,
            "jsonld": website(read.config())}


HOME = PageKind("home", "home.html", lambda _key: routes.home(), _view)
