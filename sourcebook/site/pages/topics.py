"""Topic pages, topics/<topic>/: the introduction with its citations, then every fact of the
topic with its numbered evidence.

Footnotes are numbered in reading order, as Wikipedia numbers references: the facts the
introduction cites are listed first, in the order it first cites them, each with back-links
(^ a b) to the marks that cite it; the topic's other facts follow by date. An introduction may
cite any fact of the project: one of another topic is listed with the cited ones, with a link to
the topic where it belongs, so its marks and previews work here too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ... import routes
from ...content.model import SiteConfig, Stance, Topic
from ...research.model import Evidence, Fact
from ..filters import LONG_LIST, filter_bar, support_links, year_groups
from ..jsonld import CONTEXT, part_of_site, quotation, with_url
from ..kinds import Here, PageKind, SearchRecord, search_words
from ..markdown import CitationTarget, render_markdown
from ..reader import Reader, query
from ..views import (
    FactView,
    citing,
    fact_views,
    listed_topics,
    support_summary,
    topic_facts,
    topic_of,
    topic_titles,
)


def _keys(read: Reader) -> list[str]:
    return [topic.id for topic in read.topics()]


@query
def intro_order(read: Reader, topic_id: str) -> tuple[tuple[str, int], ...]:
    """The facts the topic's introduction cites, in the order it first cites them, each with
    how many times it is cited (unknown ids are the facts stage's to report)."""
    topic = read.topic(topic_id)
    found: Counter[str] = Counter()
    for citation in topic.citations if topic else ():
        if read.fact(citation.fact_id) is not None:
            found[citation.fact_id] += 1
    return tuple(found.items())  # a Counter keeps the order of first insertion


@dataclass(frozen=True, slots=True)
class BackLink:
    """A link from a fact back to one of the introduction's marks that cite it."""

    text: str  # "^" for the only mark; "a", "b", … for several, as Wikipedia labels them
    aria_label: str
    href: str


def _view(read: Reader, here: Here) -> dict[str, Any]:
    topic = topic_of(read, here.key)
    facts = read.query(topic_facts, topic.id)
    cited = read.query(intro_order, topic.id)
    cited_ids = {fact_id for fact_id, _ in cited}
    # Footnotes are numbered in reading order: the facts the introduction cites come first, in
    # the order it cites them (a fact of another topic among them), then the rest by date.
    first = fact_views(read, [fact for fid, _ in cited if (fact := read.fact(fid)) is not None])
    rest = fact_views(read, [f for f in facts if f.id not in cited_ids],
                      sum(len(view.citations) for view in first) + 1)
    config = read.config()
    intro = render_markdown(topic.body, _targets(here, first),
                            routes.intro_mark_anchor, allow_raw_html=config.allow_raw_html)
    titles = read.query(topic_titles)
    away = {f.id: titles.get(f.topics[0], f.topics[0]) for f in first
            if f.topics and topic.id not in f.topics}
    return {"topic": topic, "intro": Markup(intro), "cited": tuple(first), "facts": tuple(rest),
            "backlinks": _backlinks(here, cited), "shown_under": away,
            "topic_titles": titles, "bar": filter_bar((*first, *rest), titles, topic.id),
            "groups": year_groups(rest, here.url.page) if len(rest) > LONG_LIST else (),
            "support_links": support_links(here.url.page),
            "fact_count": len(facts),
            "source_count": len({s for f in facts for s in f.source_ids}),
            "summary": support_summary(facts), "current": topic.id,
            "jsonld": _jsonld(read, config, topic, facts)}


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


def _jsonld(read: Reader, config: SiteConfig, topic: Topic,
            facts: tuple[Fact, ...]) -> dict[str, Any]:
    """The topic page as a CollectionPage of schema.org Claims, each appearing in Quotations
    from the archived NewsArticles."""
    page = routes.topic(topic.id)
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
    """Every topic, then every fact (found on its first topic's page), each by id."""
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
                           routes.fact(fact.id, fact.topics),
                           " · ".join(p for p in (", ".join(names), date) if p))


TOPIC = PageKind("topic", "topic.html", routes.topic, _view, keys=_keys, search=_search,
                 finds=("topic", "fact"))
