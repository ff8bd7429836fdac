"""Topic pages, topics/<topic>/: the introduction with its citations, then every fact of the
topic with its numbered evidence; a topic of more than PAGE_FACTS facts goes on at
topics/<topic>/page/2/ … (factpages.py plans the pages, so that every link to a fact finds the
page that holds it).

Footnotes are numbered in reading order, as Wikipedia numbers references: the facts the
introduction cites are listed first, in the order it first cites them, each with back-links
(^ a b) to the marks that cite it; the topic's other facts follow by date. An introduction may
cite any fact of the project: one of another topic is listed with the cited ones, with a link to
the topic where it belongs, so its marks and previews work here too. The introduction and the
facts it cites are on the first page; each later page numbers its citations from [1].
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ... import routes
from ...content.model import SiteConfig, Stance, Topic
from ...research.model import Evidence, Fact
from ...routes import Url
from .. import factpages
from ..factpages import (
    chronological,
    fact_home,
    intro_order,
    topic_outline,
    topic_page_count,
    topic_page_numbers,
    topic_pages,
)
from ..filters import LONG_LIST, NO_LINKS, YearLink, filter_bar, support_links, year_groups
from ..jsonld import CONTEXT, part_of_site, quotation, with_url
from ..kinds import Here, PageKind, SearchRecord, search_words
from ..markdown import CitationTarget, render_markdown
from ..paging import dates_label, page_links
from ..reader import Reader, query
from ..views import (
    FactView,
    SupportSummary,
    citing,
    fact_views,
    listed_topics,
    support_summary,
    topic_of,
    topic_titles,
)


def _keys(read: Reader) -> list[str]:
    """Each topic's pages: its id for the first, '<topic>/<n>' for page n."""
    return [topic.id if n == 1 else f"{topic.id}/{n}" for topic in read.topics()
            for n in range(1, read.query(topic_page_count, topic.id) + 1)]


def topic_page_url(key: str) -> Url:
    """The page with this key: topics/<topic>/, or topics/<topic>/page/<n>/."""
    topic_id, _, number = key.partition("/")
    return routes.topic_page(topic_id, int(number or 1))


@dataclass(frozen=True, slots=True)
class BackLink:
    """A link from a fact back to one of the introduction's marks that cite it."""

    text: str  # "^" for the only mark; "a", "b", … for several, as Wikipedia labels them
    aria_label: str
    href: str


@query
def topic_heading(read: Reader, topic_id: str) -> Topic | None:
    """The topic as its later pages show it: without its introduction, so that editing the
    introduction changes only the first page."""
    topic = read.topic(topic_id)
    return dataclasses.replace(topic, body="", citations=()) if topic else None


@dataclass(frozen=True, slots=True)
class TopicPlan:
    """What every page of a topic shows of the whole topic: its figures, its years and the
    labels of its pages. A page reads this and its own facts, never the whole list, so an
    edited fact re-makes only the page that lists it (and the first, for a cited one)."""

    fact_count: int
    source_count: int
    summary: SupportSummary
    years: tuple[YearLink, ...]
    labels: tuple[str, ...]


@query
def topic_plan(read: Reader, topic_id: str) -> TopicPlan:
    """The topic's plan (see TopicPlan)."""
    facts = read.query(topic_outline, topic_id)
    pages = read.query(topic_pages, topic_id)
    return TopicPlan(len(facts), len({s for f in facts for s in f.source_ids}),
                     support_summary(facts), _year_links(read, topic_id),
                     _page_labels(read, topic_id, pages))


def _view(read: Reader, here: Here) -> dict[str, Any]:
    topic_id, _, key_number = here.key.partition("/")
    number = int(key_number or 1)
    topic = topic_of(read, topic_id) if number == 1 else read.query(topic_heading, topic_id)
    assert topic is not None  # pages are only planned for existing topics
    plan = read.query(topic_plan, topic.id)
    pages = read.query(topic_pages, topic.id)
    cited = read.query(intro_order, topic.id) if number == 1 else ()
    cited_ids = {fact_id for fact_id, _ in cited}
    # This page's facts of the topic, in the topic's order of events.
    own = chronological(fact for fid in pages[number - 1]
                        if (fact := read.fact(fid)) is not None and topic.id in fact.topics)
    paged = len(pages) > 1
    # Footnotes are numbered in reading order: the facts the introduction cites come first, in
    # the order it cites them (a fact of another topic among them), then the rest by date.
    first = fact_views(read, [fact for fid, _ in cited if (fact := read.fact(fid)) is not None])
    rest = fact_views(read, [f for f in own if f.id not in cited_ids],
                      sum(len(view.citations) for view in first) + 1)
    config = read.config()
    intro = render_markdown(topic.body, _targets(here, first), routes.intro_mark_anchor,
                            allow_raw_html=config.allow_raw_html) if number == 1 else ""
    titles = read.query(topic_titles)
    away = {f.id: titles.get(f.topics[0], f.topics[0]) for f in first
            if f.topics and topic.id not in f.topics}
    return {"topic": topic, "intro": Markup(intro), "cited": tuple(first), "facts": tuple(rest),
            "backlinks": _backlinks(here, cited), "shown_under": away,
            "topic_titles": titles, "bar": filter_bar((*first, *rest), titles, topic.id),
            # Grouped by year on every page of a paged topic: its table of contents links to
            # the years of every page.
            "groups": year_groups(rest, here.url.page) if paged or len(rest) > LONG_LIST
            else (),
            "years": plan.years,
            # A paged topic cannot filter all its facts at once: the figures stay text.
            "support_links": NO_LINKS if paged else support_links(here.url.page),
            "fact_count": plan.fact_count,
            "source_count": plan.source_count,
            "summary": plan.summary, "current": topic.id,
            "number": number, "page_size": factpages.PAGE_FACTS,
            "first_page": routes.topic(topic.id),
            "pages": page_links(topic.id, len(pages), number, plan.labels,
                                lambda n: routes.topic_page(topic.id, n)),
            "jsonld": _jsonld(read, config, topic, here.url, tuple(own))}


def _page_labels(read: Reader, topic_id: str,
                 pages: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
    """What each page of a topic covers: the dates of its facts in the order of events (not
    those the introduction cites, on the first page), or 'introduction' for a first page that
    holds only those."""
    cited = {fact_id for fact_id, _ in read.query(intro_order, topic_id)}
    dates = {fact.id: fact.date for fact in read.query(topic_outline, topic_id)}

    def label(ids: tuple[str, ...]) -> str:
        shown = [fact_id for fact_id in ids if fact_id not in cited]
        return dates_label([dates.get(shown[0]), dates.get(shown[-1])]) if shown else ""
    return tuple(label(ids) or "introduction" for ids in pages)


def _year_links(read: Reader, topic_id: str) -> tuple[YearLink, ...]:
    """The table of contents of the topic's facts by year (not those the introduction cites):
    each year's count, linked to its heading on the page where it begins."""
    cited = {fact_id for fact_id, _ in read.query(intro_order, topic_id)}
    where = read.query(topic_page_numbers, topic_id)
    years: dict[str, list[int]] = {}
    for fact in read.query(topic_outline, topic_id):
        if fact.id not in cited:
            year = str(fact.date.year) if fact.date else "undated"
            years.setdefault(year, []).append(where.get(fact.id, 1))
    return tuple(YearLink(routes.year_anchor(year), "Undated" if year == "undated" else year,
                          len(found), routes.topic_page(topic_id, found[0]).at(
                              routes.year_anchor(year)))
                 for year, found in sorted(years.items(),
                                           key=lambda item: (item[0] == "undated", item[0])))


def _backlinks(here: Here, cited: tuple[tuple[str, int], ...]) -> dict[str, tuple[BackLink, ...]]:
    """Each cited fact's links back to the marks citing it: one, or a, b, c … for several."""
    return {fact_id: tuple(
        BackLink(_letters(n), f"Back to citation {_letters(n)} in the introduction",
                 here.link(here.url.at(routes.intro_mark_anchor(fact_id, n))))
        if times > 1 else
        BackLink("^", "Back to where the introduction cites it",
                 here.link(here.url.at(routes.intro_mark_anchor(fact_id, n))))
        for n in range(1, times + 1)) for fact_id, times in cited}


def _letters(n: int) -> str:
    """a, b, … z, aa, ab, … for the n-th back-link (from 1)."""
    label = ""
    while n:
        n, rest = divmod(n - 1, 26)
        label = chr(ord("a") + rest) + label
    return label


def _targets(here: Here, shown: list[FactView]) -> dict[str, CitationTarget]:
    """What each [@fact-id] links to: the fact's supporting citations on this page."""
    return {f.id: CitationTarget(
        tuple((str(c.number), here.link(here.url.at(c.anchor))) for c in f.supports),
        f.statement,
        tuple((str(c.number), here.link(here.url.at(c.anchor))) for c in f.disputes)
        or ((("", here.link(here.url.at(f.anchor))),) if f.disputed else ()))
        for f in shown}


def _jsonld(read: Reader, config: SiteConfig, topic: Topic, page: Url,
            facts: tuple[Fact, ...]) -> dict[str, Any]:
    """The topic page as a CollectionPage of schema.org Claims (the topic's facts on this
    page), each appearing in Quotations from the archived NewsArticles."""
    claims = []
    for fact in facts:
        claim: dict[str, Any] = {"@type": "Claim", "text": fact.statement}
        if config.has_absolute_base:
            claim["@id"] = config.absolute(page.at(routes.fact_anchor(fact.id)))
        if fact.date:
            claim["temporalCoverage"] = fact.date.iso()
        claim["appearance"] = [_quotation(read, config, e) for e in fact.evidence
                               if e.stance is Stance.SUPPORTS]
        reviews = [{"@type": "Review", "reviewBody": e.note or "This source disputes the claim.",
                    "citation": _quotation(read, config, e)}
                   for e in fact.evidence if e.stance is Stance.DISPUTES]
        if reviews:
            claim["review"] = reviews
        claims.append(claim)
    return with_url({"@context": CONTEXT, "@type": "CollectionPage",
                     "name": topic.title, "description": topic.summary,
                     "isPartOf": part_of_site(config),
                     "mainEntity": {"@type": "ItemList", "numberOfItems": len(claims),
                                    "itemListElement": claims}},
                    config.absolute(page))


def _quotation(read: Reader, config: SiteConfig, evidence: Evidence) -> dict[str, Any]:
    return quotation(config, evidence, citing(read, evidence.source_id))


def _search(read: Reader) -> Iterator[SearchRecord]:
    """Every topic, then every fact (found where its permalink is), each by id."""
    for topic in sorted(read.query(listed_topics), key=lambda t: t.id):
        yield SearchRecord("topic", topic.title, search_words(*topic.aliases),
                           routes.topic(topic.id), topic.summary)
    titles = read.query(topic_titles)
    for fact in sorted(read.facts(), key=lambda f: f.id):
        names = [titles.get(t, t) for t in fact.topics]
        speakers = [entity.name if (entity := read.entity(s)) else s for s in fact.speakers]
        # Every spelling of the people it names finds it: "Jayashankar" as "Jaishankar".
        spellings = [alias for e in (*fact.speakers, *fact.mentions)
                     if (entity := read.entity(e)) for alias in entity.aliases]
        date = fact.date.human() if fact.date else ""
        # What the page marks it with is what a reader searches for: "disputed", "outdated".
        marks = [*(["disputed"] if fact.disputed else []),
                 *(["single source"] if fact.single_source else []),
                 *([fact.status.status.value.replace("-", " ")] if fact.status else [])]
        yield SearchRecord("fact", fact.statement,
                           search_words(*names, *speakers, *spellings, *marks,
                                        *(e.quote for e in fact.evidence)),
                           read.query(fact_home, fact.id),
                           " · ".join(p for p in (", ".join(names), date) if p))


TOPIC = PageKind("topic", "topic.html", topic_page_url, _view, keys=_keys, search=_search,
                 finds=("topic", "fact"))
