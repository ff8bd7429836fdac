"""Where each fact is shown: the order of a topic's facts, the pages they are cut into, and so
the page that holds a fact, which every link to the fact aims at.

A topic lists first the facts its introduction cites, in the order it first cites them (so its
footnotes read [1], [2] …), then its other facts in the order of events. A topic with more
than PAGE_FACTS facts is cut into pages of PAGE_FACTS: the first, topics/<topic>/, holds the
introduction and the facts it cites, the others follow at topics/<topic>/page/<n>/.

Every page plan is a query, so a page that links to a fact depends on the page it is on: when
an edit moves the fact to another page, the links to it are made again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

from .. import routes
from ..content.model import FactStatus, PartialDate
from ..research.model import Fact
from ..routes import Url
from .folds import grouping
from .paging import page_numbers
from .reader import Reader, query

PAGE_FACTS = 200  # facts a topic page shows: about 3 KB each with their evidence, ~600 KB


def order_of_events(fact: Fact) -> tuple[bool, tuple[int, ...], str]:
    """Dated facts first, oldest first; a less precise date sorts before a precise one in its
    period (2018 before 2018-10 before 2018-10-05); then by id (so no two facts tie)."""
    return (fact.date is None, fact.date.sort_key if fact.date else (), fact.id)


def chronological(facts: Iterable[Fact]) -> list[Fact]:
    """The facts in the order of events (order_of_events)."""
    return sorted(facts, key=order_of_events)


@grouping(order_of_events)
def _topics_of(fact: Fact) -> tuple[str, ...]:
    return fact.topics


@query
def facts_by_topic(read: Reader) -> dict[str, tuple[Fact, ...]]:
    """Each topic's facts in the order of events (topics by id)."""
    return read.grouped(_topics_of)


@query
def topic_facts(read: Reader, topic_id: str) -> tuple[Fact, ...]:
    """A topic's facts in the order of events: dated ones first, oldest first."""
    return read.query(facts_by_topic).get(topic_id, ())


class Outline(NamedTuple):
    """What a topic's plan reads of a fact: its place and its support, not its statement or
    quotations, so that editing those leaves the plan as it is."""

    id: str
    date: PartialDate | None
    source_ids: tuple[str, ...]
    single_source: bool
    disputed: bool
    status: FactStatus | None


def _outline(fact: Fact) -> Outline:
    return Outline(fact.id, fact.date, fact.source_ids, fact.single_source, fact.disputed,
                   fact.status)


@grouping(order_of_events, item=_outline)
def _outlines_by_topic(fact: Fact) -> tuple[str, ...]:
    return fact.topics


@query
def topic_outline(read: Reader, topic_id: str) -> tuple[Outline, ...]:
    """A topic's facts as outlines, in the order of events (topic_facts)."""
    return read.grouped(_outlines_by_topic).get(topic_id, ())


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


@query
def topic_pages(read: Reader, topic_id: str) -> tuple[tuple[str, ...], ...]:
    """The fact ids each page of the topic lists, in the topic's order: on the first, the
    facts its introduction cites (one of another topic among them), then the topic's other
    facts by date, PAGE_FACTS a page. Always at least one page."""
    cited = [fact_id for fact_id, _ in read.query(intro_order, topic_id)]
    shown = set(cited)
    rest = [f.id for f in read.query(topic_outline, topic_id) if f.id not in shown]
    room = max(PAGE_FACTS - len(cited), 0)  # the introduction's facts are all on the first
    pages = [tuple(cited + rest[:room])]
    pages += [tuple(rest[start:start + PAGE_FACTS]) for start in range(room, len(rest), PAGE_FACTS)]
    return tuple(pages)


@query
def topic_page_count(read: Reader, topic_id: str) -> int:
    """How many pages a topic has (one, until it holds more than PAGE_FACTS facts)."""
    return len(read.query(topic_pages, topic_id))


@query
def topic_page_numbers(read: Reader, topic_id: str) -> dict[str, int]:
    """The page (from 1) of the topic that lists each fact it shows, by fact id."""
    return page_numbers(read.query(topic_pages, topic_id))


@query
def fact_place(read: Reader, fact_id: str, topic_id: str) -> Url:
    """A fact's entry on the page of a topic that lists it (the topic's first page if the
    topic does not list it)."""
    number = read.query(topic_page_numbers, topic_id).get(fact_id, 1)
    return routes.fact(fact_id, topic_id, number)


@query
def fact_home(read: Reader, fact_id: str) -> Url:
    """The fact's permalink: its entry on the page of its first topic that lists it ("", the
    home page, for a fact without a topic)."""
    fact = read.fact(fact_id)
    if fact is None or not fact.topics:
        return routes.home()
    return read.query(fact_place, fact_id, fact.topics[0])
