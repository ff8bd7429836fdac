"""Which files a rebuild must make again, found from what changed rather than by asking every
file: the reverse of the records of what each file and each query read.

A clean check asks every read of every file again (at 10,000 sources, about 880,000 reads per
rebuild). The preview keeps, instead, each key's readers and the digest they got. A rebuild
then starts from the keys whose object differs from the last build's (the facts stage hands
out the very same object while a fact, a source or a topic is unchanged), takes their new
digests, and follows only the readers of those that changed: a query is answered again (and
followed on only if its answer changed), a file is stale. The stale files are exactly those a
full check finds: every key whose value may differ is a starting point, since a value that is
the same object is the same value, and a query is a pure function of its reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..research.model import Research
from .folds import FACTS, FOLDS, SOURCES, FoldState
from .reader import Digests, Kept, Key, QueryAnswers, Record

ReadBy = str | Key  # a file of the site (its path) or a query (its key)
Reads = Iterable[tuple[Key, str]]


class ReadIndex:
    """Each key read in the last good build: its digest then, and who read it (files and
    queries). A query no one reads any more is dropped, with its answer."""

    def __init__(self) -> None:
        self.digests: dict[Key, str] = {}
        self.readers: dict[Key, set[ReadBy]] = {}
        self.templates: set[Key] = set()  # template keys: their source is checked every time

    @classmethod
    def of(cls, records: Mapping[str, Record], answers: QueryAnswers) -> ReadIndex:
        """The index of a build's records and its answers to queries."""
        index = cls()
        for path, record in records.items():
            index._add(path, record.reads)
        for key, (reads, _, _) in answers.items():
            index._add(key, reads)
        return index

    def _add(self, reader: ReadBy, reads: Reads) -> None:
        for key, digest in reads:
            self.digests[key] = digest
            found = self.readers.get(key)
            if found is None:
                found = self.readers[key] = set()
                if key[0] == "template":
                    self.templates.add(key)
            found.add(reader)

    def stale(self, starts: Iterable[Key], digests: Digests) -> set[str]:
        """The files that read, directly or through queries, a key whose digest in this
        build (`digests`) differs from the one recorded; `starts` are the keys that may
        have changed (others are not asked)."""
        paths: set[str] = set()
        seen: set[Key] = set()
        stack = [key for key in (*starts, *self.templates) if key in self.digests]
        while stack:
            key = stack.pop()
            if key in seen:
                continue
            seen.add(key)
            try:
                same = digests.of(key) == self.digests[key]
            except Exception:  # a read that cannot be made any more: its readers are stale
                same = False
            if same:
                continue
            for reader in self.readers.get(key, ()):
                if type(reader) is str:
                    paths.add(reader)
                elif reader not in seen:
                    stack.append(reader)
        return paths

    def update(self, changes: list[tuple[ReadBy, Reads, Reads]], answers: QueryAnswers) -> None:
        """Take a build's changes: each reader made again, with what it read before and now
        (nothing now for a file gone). `answers` are the queries' answers after the build;
        one that loses its last reader is dropped from the index and from `answers`."""
        removed: list[tuple[ReadBy, Key]] = []
        for reader, before, now in changes:
            now = tuple(now)
            self._add(reader, now)
            kept = {key for key, _ in now}
            removed.extend((reader, key) for key, _ in before if key not in kept)
        for reader, key in removed:
            self._forget(reader, key, answers)

    def _forget(self, reader: ReadBy, key: Key, answers: QueryAnswers) -> None:
        stack = [(reader, key)]
        while stack:
            reader, key = stack.pop()
            found = self.readers.get(key)
            if found is None:
                continue
            found.discard(reader)
            if found:
                continue
            del self.readers[key], self.digests[key]
            self.templates.discard(key)
            if key[0] == "query" and key in answers:  # no one asks it now: drop it
                stack.extend((key, read) for read, _ in answers.pop(key)[0])


@dataclass(frozen=True)
class Since:
    """What a rebuild starts from: the last good build's research, its read index and its
    folds over every fact."""

    research: Research
    index: ReadIndex
    folds: FoldState
    plan: dict[Any, Any] = field(default_factory=dict)  # render.PlanCache: the last plan
    kept: Kept | None = None  # what its views kept


def changed_keys(old: Research, new: Research) -> Iterator[Key]:
    """The keys whose value may differ between two builds' research: those whose object is
    not the same one (a unit that did not change is handed out again as the same object),
    and the folds over a kind of unit of which one changed."""
    kinds: set[str] = set()
    for key in _changed_units(old, new):
        kinds.add({"fact": FACTS, "source": SOURCES}.get(key[0], key[0]))
        yield key
    yield from (("fold", name) for name, fold in sorted(FOLDS.items()) if fold.over in kinds)


def _changed_units(old: Research, new: Research) -> Iterator[Key]:
    if new.config is not old.config:
        yield ("config",)
    if new.findings is not old.findings:
        yield ("findings",)
    delta = new.delta if new.delta is not None and new.delta.base == old.serial else None
    # Patched from `old`, the research names the facts and sources that may differ: at
    # 10,000 sources, a pass over all of them cost more than the rest of an edit's checks.
    facts = _differing(old.fact_index, new.fact_index, delta.facts if delta else None)
    sources = _differing(old.source_index, new.source_index, delta.sources if delta else None)
    for name, changed in (("topics", not _same_items(old.topics, new.topics)),
                          ("facts", bool(facts) if delta else
                           not _same_items(old.facts, new.facts)),
                          ("sources", bool(sources) if delta else
                           not _same_items(old.sources, new.sources)),
                          ("entities", not _same_items(tuple(old.entities.values()),
                                                       tuple(new.entities.values())))):
        if changed:
            yield (name,)
    yield from (("fact", key) for key in facts)
    yield from (("source", key) for key in sources)
    for name, was, now_index in (("topic", old.topic_index, new.topic_index),
                                 ("entity", old.entities, new.entities),
                                 ("outlet description", old.outlets, new.outlets)):
        for key in _differing(was, now_index):
            yield (name, key)


def _same_items(before: tuple[object, ...], now: tuple[object, ...]) -> bool:
    return len(before) == len(now) and all(a is b for a, b in zip(before, now, strict=True))


def _differing(before: Mapping[str, object], now: Mapping[str, object],
               among: Iterable[str] | None = None) -> list[str]:
    """The names whose object differs (or that are only in one of the two); only those
    `among` are looked at, if given (every other is known to be the same object)."""
    if among is not None:
        return sorted(key for key in among if before.get(key) is not now.get(key))
    found = [key for key, value in now.items() if before.get(key) is not value]
    added = sum(1 for key in found if key not in before)
    if len(before) > len(now) - added:  # some of before's names are gone
        found.extend(key for key in before if key not in now)
    return found
