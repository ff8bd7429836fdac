"""Folds over every fact (site/folds.py): brought up to date from the facts that changed, they
equal the same fold made from every fact, through any sequence of edits."""

from __future__ import annotations

import dataclasses
import random

import pytest

from sourcebook.content.model import PartialDate
from sourcebook.engine.pipeline import build_in_memory
from sourcebook.research.model import Fact
from sourcebook.site.factpages import _topics_of, order_of_events
from sourcebook.site.folds import SOURCES, Grouped, changes_between, count, group, grouping, tally
from sourcebook.site.pages.entities import _entities_of
from sourcebook.site.pages.home import _support_by_source, _topic_counts
from sourcebook.site.views import _support


@tally
def _words(fact: Fact) -> list[str]:
    return fact.statement.lower().split()  # repeats count twice


@grouping(order_of_events)
def _years(fact: Fact) -> list[str]:
    return [str(fact.date.year)] if fact.date else []


FOLDS = [_topics_of, _entities_of, _years, _words, _topic_counts, _support_by_source, _support]


@pytest.fixture(scope="module")
def facts() -> tuple[Fact, ...]:
    from pathlib import Path
    return build_in_memory(Path(__file__).resolve().parents[1]).research.facts


def _edited(fact: Fact, rng: random.Random, topics: list[str]) -> Fact:
    """The fact with one thing changed: its date, its topics, its statement or its speakers."""
    match rng.randrange(4):
        case 0:
            return dataclasses.replace(fact, date=rng.choice(
                [None, PartialDate(2020), PartialDate(2021, 4), PartialDate(2021, 4, 6)]))
        case 1:
            return dataclasses.replace(fact, topics=tuple(rng.sample(topics, rng.randrange(3))))
        case 2:
            return dataclasses.replace(fact, statement=fact.statement + " again and again")
    return dataclasses.replace(fact, speakers=fact.speakers[:-1] or ("sergei-lavrov",))


def test_folds_brought_up_to_date_equal_folds_made_from_every_fact(facts):
    rng = random.Random(7)
    topics = sorted({t for f in facts for t in f.topics})
    current = {f.id: f for f in facts}
    state = {fold.name: _made(fold, current, None) for fold in FOLDS}
    for step in range(40):
        before = dict(current)
        for fact_id in rng.sample(sorted(current), 3):  # three facts change
            current[fact_id] = _edited(current[fact_id], rng, topics)
        if step % 5 == 0:  # a fact goes, another comes
            gone = rng.choice(sorted(current))
            new = dataclasses.replace(current.pop(gone), id=f"new-fact-{step}")
            current[new.id] = new
        changed = [i for i in before.keys() | current.keys() if before.get(i) is not current.get(i)]
        changes = changes_between(state, before, current, changed)
        earlier = {name: _snapshot(value) for name, value in state.items()}
        state = {fold.name: _made(fold, current, changes) for fold in FOLDS}
        for fold in FOLDS:
            assert _snapshot(state[fold.name]) == _snapshot(_made(fold, current, None)), \
                (step, fold.name)
        # The last build's folds are left as they were (a failed build falls back on them).
        assert {name: _snapshot(value) for name, value in changes.earlier.items()} == earlier


def test_a_group_no_change_touched_keeps_its_tuple(facts):
    current = {f.id: f for f in facts}
    first = _made(_topics_of, current, None)
    fact = facts[0]
    current[fact.id] = dataclasses.replace(fact, statement=fact.statement + " (edited)")
    changes = changes_between({_topics_of.name: first}, {f.id: f for f in facts}, current,
                              [fact.id])
    second = group(_topics_of, current.values(), changes)
    assert isinstance(first, Grouped)
    for topic_id, shown in second.members.items():
        assert (shown is first.members[topic_id]) == (topic_id not in fact.topics)


def _made(fold, facts: dict[str, Fact], changes):
    ordered = [facts[i] for i in sorted(facts)]
    return count(fold, ordered, changes) if hasattr(fold, "counts") else \
        group(fold, ordered, changes)


def _snapshot(value) -> object:
    if isinstance(value, Grouped):
        return {name: tuple(repr(item) for item in items) for name, items in value.members.items()}
    return dict(sorted(value.items(), key=repr))


def test_folds_over_the_sources_brought_up_to_date_equal_folds_made_from_every_source():
    """The archive's rows (a grouping that makes an item of each source) and the data files'
    per-source sizes (weighed tallies) through edits of titles, dates and passages, and
    sources that come and go."""
    from pathlib import Path

    from sourcebook.site.exports.annotations import _frame_bytes
    from sourcebook.site.exports.csv import _source_bytes
    from sourcebook.site.exports.facts_json import _source_line_bytes
    from sourcebook.site.pages.about import _latest_dates
    from sourcebook.site.pages.archive import _archived
    from sourcebook.site.pages.entities import _names_in
    from sourcebook.site.pages.outlets import _by_outlet, _without_outlet
    from sourcebook.site.views import _source_sizes
    sources = build_in_memory(Path(__file__).resolve().parents[1]).research.sources
    folds = [_archived, _frame_bytes, _source_bytes, _source_line_bytes, _latest_dates,
             _names_in, _source_sizes, _by_outlet, _without_outlet]
    rng = random.Random(11)
    current = {s.id: s for s in sources}
    state = {fold.name: _made(fold, current, None) for fold in folds}
    for step in range(30):
        before = dict(current)
        source_id = rng.choice(sorted(current))
        record = current[source_id]
        match step % 4:
            case 0:
                doc = dataclasses.replace(record.doc, title=record.doc.title + " (updated)",
                                          outlet=rng.choice([None, "The Hindu", "the hindu"]))
            case 1:
                doc = dataclasses.replace(record.doc, published=rng.choice(
                    [None, PartialDate(2016), PartialDate(2021, 4, 6)]))
            case 2:
                doc = dataclasses.replace(record.doc, retrieved=PartialDate(2030, 1, 2))
                record = dataclasses.replace(record, passages=record.passages[1:],
                                             names=record.names[1:])
            case _:
                doc = dataclasses.replace(record.doc, id=f"new-source-{step}")
                del current[source_id]
        current[doc.id] = dataclasses.replace(record, doc=doc)
        changed = [i for i in before.keys() | current.keys() if before.get(i) is not current.get(i)]
        changes = changes_between(state, before, current, changed, SOURCES)
        state = {fold.name: _made(fold, current, changes) for fold in folds}
        for fold in folds:
            assert _snapshot(state[fold.name]) == _snapshot(_made(fold, current, None)), \
                (step, fold.name)


def test_a_fold_no_change_touched_is_the_last_builds_very_value(facts):
    current = {f.id: f for f in facts}
    first = {fold.name: _made(fold, current, None) for fold in (_topics_of, _topic_counts)}
    fact = facts[0]
    current[fact.id] = dataclasses.replace(fact)  # another object, equal: nothing moves
    changes = changes_between(first, {f.id: f for f in facts}, current, [fact.id])
    assert group(_topics_of, current.values(), changes) is first[_topics_of.name]
    assert count(_topic_counts, current.values(), changes) is first[_topic_counts.name]
    current[fact.id] = dataclasses.replace(fact, topics=fact.topics[1:])
    changes = changes_between(first, {f.id: f for f in facts}, current, [fact.id])
    assert count(_topic_counts, current.values(), changes) is not first[_topic_counts.name]
