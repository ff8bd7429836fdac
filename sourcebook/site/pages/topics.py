"""Topic pages, topics/<topic>/: the introduction with its citations, then every fact of the
topic with its numbered evidence.

An introduction may cite any fact of the project. A cited fact of another topic is shown
after the topic's own, under "Cited from other topics", with a link to the topic where it
belongs: its footnote marks lead to its citations on this page, so their previews work too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from markupsafe import Markup

from ... import routes
from ...content.model import SiteConfig, Stance, Topic
from ...research.model import Evidence, Fact
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
def cited_elsewhere(read: Reader, topic_id: str) -> tuple[str, ...]:
    """The facts the topic's introduction cites that are not on the topic, in order of first
    citation (unknown ids are the facts stage's to report)."""
    topic = read.topic(topic_id)
    found: dict[str, None] = {}
    for citation in topic.citations if topic else ():
        fact = read.fact(citation.fact_id)
        if fact is not None and topic_id not in fact.topics:
            found.setdefault(fact.id)
    return tuple(found)


def _view(read: Reader, here: Here) -> dict[str, Any]:
    topic = topic_of(read, here.key)
    facts = read.query(topic_facts, topic.id)
    shown = fact_views(read, facts)
    elsewhere = [fact for fid in read.query(cited_elsewhere, topic.id)
                 if (fact := read.fact(fid)) is not None]
    first = sum(len(view.citations) for view in shown) + 1
    also = fact_views(read, elsewhere, first)
    config = read.config()
    intro = render_markdown(topic.body, _targets(here, [*shown, *also]),
                            allow_raw_html=config.allow_raw_html)
    return {"topic": topic, "intro": Markup(intro), "facts": tuple(shown),
            "also_cited": tuple(also), "topic_titles": read.query(topic_titles),
            "source_count": len({s for f in facts for s in f.source_ids}),
            "summary": support_summary(facts), "current": topic.id,
            "jsonld": _jsonld(read, config, topic, facts)}


def _targets(here: Here, shown: list[FactView]) -> dict[str, CitationTarget]:
    """What each [@fact-id] links to: the fact's supporting citations on this page."""
    return {f.id: CitationTarget(
        tuple((str(c.number), here.link(here.url.at(c.anchor))) for c in f.supports),
        f.statement, here.link(here.url.at(f.anchor)) if f.disputed else "")
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
