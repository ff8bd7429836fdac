"""Folds over every fact, or every source, that a rebuild brings up to date from the units that
changed, instead of going over every unit again: at 10,000 sources a whole pass costs about
100 ms, and the home page, the topics, the entities and the data files' sizes each need one
after any edit.

- A **tally** counts, for each unit, the keys it yields (a topic's facts, a source's support in
  a topic …), summed over every unit. A rebuild takes the last build's sums, minus what the
  changed units counted then, plus what they count now: integer sums, so exactly the clean
  count. When the changed units count the same as before, it is the last build's very Counter.
- A **grouping** files each unit under the groups it yields (its topics, its speakers …), each
  group in one total order (its key ends with the unit's id), as the unit itself or as what
  `item` makes of it (a row of a list). A rebuild takes each changed unit out of the groups it
  was in and puts it into the groups it is in now, by bisection: a sorted list of unique keys
  is the same however it was made. A group no change touched keeps its very tuple, so what
  reads it sees an unchanged object; a grouping no change touched is the last build's.

A fold is declared once (`@tally`, `@weighed_tally`, `@grouping`, each over FACTS unless told
SOURCES) and read through `Reader.tally` and `Reader.grouped`, which record a read of the fold
itself: a page or a query that reads one is made again when the fold's value changes, not on
every change of a unit. Read a tally by key, or sum over it: the order of its keys is not the
same after a rebuild as after a clean build.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

FACTS = "facts"  # the units a fold goes over: the research's facts …
SOURCES = "sources"  # … or its sources (SourceRecord)

Counts = Callable[[Any], Iterable[Hashable]]  # the keys one unit counts toward (repeats add)
Groups = Callable[[Any], Iterable[str]]  # the groups one unit is filed under
Order = Callable[[Any], tuple[Any, ...]]  # a total order: the last item is the unit's id


@dataclass(frozen=True)
class Tally:
    """A declared tally: the sum over every unit of the keys `counts` yields."""

    name: str
    counts: Counts
    weighed: bool = False  # `counts` yields (key, amount) pairs, not keys
    over: str = FACTS


@dataclass(frozen=True)
class Grouping:
    """A declared grouping: every unit under each group `groups` yields, in `order`, as
    `item` makes it (the unit itself without one)."""

    name: str
    groups: Groups
    order: Order
    over: str = FACTS
    item: Callable[[Any], Any] | None = None


Fold = Tally | Grouping
FOLDS: dict[str, Fold] = {}  # every declared fold, by name: a read of a fold names it


def by_id(unit: Any) -> tuple[str]:
    """The order of units by id (a source's name): the research's own order."""
    return (unit.id,)


def _declared(fold: Fold) -> Fold:
    FOLDS[fold.name] = fold
    return fold


def _name(function: Callable[..., Any]) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def tally(counts: Counts | None = None, *, over: str = FACTS) -> Any:
    """Declare a tally (a decorator, bare or with `over`): `counts(unit)` yields the keys the
    unit counts toward."""
    def declare(function: Counts) -> Tally:
        return _declared(Tally(_name(function), function, over=over))  # type: ignore[return-value]
    return declare(counts) if counts is not None else declare


def weighed_tally(amounts: Callable[[Any], Iterable[tuple[Hashable, int]]] | None = None, *,
                  over: str = FACTS) -> Any:
    """Declare a tally of amounts (a decorator, bare or with `over`): `amounts(unit)` yields
    (key, amount) pairs, such as the bytes a fact's line takes in a data file."""
    def declare(function: Callable[[Any], Iterable[tuple[Hashable, int]]]) -> Tally:
        return _declared(Tally(_name(function), function, weighed=True,  # type: ignore
                               over=over))
    return declare(amounts) if amounts is not None else declare


def grouping(order: Order, *, over: str = FACTS,
             item: Callable[[Any], Any] | None = None) -> Callable[[Groups], Grouping]:
    """Declare a grouping (a decorator with its order): `groups(unit)` yields its groups."""
    def declare(groups: Groups) -> Grouping:
        return _declared(Grouping(_name(groups), groups, order, over, item))  # type: ignore
    return declare


@dataclass(frozen=True)
class Grouped:
    """A grouping's state: each group's (key, item) pairs in order, and its items as a tuple."""

    keyed: dict[str, list[tuple[tuple[Any, ...], Any]]]
    members: dict[str, tuple[Any, ...]]  # by group name, sorted


FoldState = dict[str, Counter[Hashable] | Grouped]  # a fold's name → its value in a build
UnitPairs = tuple[tuple[Any, ...], tuple[Any, ...]]  # changed units as they were, as they are


@dataclass(frozen=True)
class UnitChanges:
    """How this build's units differ from those of the build that made `earlier`: for each
    kind of unit, the units as they were and as they are, for the ids that changed (None
    where a unit is absent)."""

    earlier: FoldState
    units: dict[str, UnitPairs]

    def of(self, over: str) -> UnitPairs:
        """The changed units of one kind (FACTS or SOURCES): before, after."""
        return self.units.get(over, ((), ()))


def count(fold: Tally, units: Iterable[Any], changes: UnitChanges | None) -> Counter[Hashable]:
    """A tally's sums: from the last build's and the changed units, or over every unit."""
    earlier = changes.earlier.get(fold.name) if changes is not None else None
    if not isinstance(earlier, Counter):
        return _counted(fold, units)
    assert changes is not None
    before, after = changes.of(fold.over)
    gone = _counted(fold, (unit for unit in before if unit is not None))
    came = _counted(fold, (unit for unit in after if unit is not None))
    if gone == came:  # the changes count what they counted: the very same sums
        return earlier
    sums = earlier.copy()
    sums.subtract(gone)
    sums.update(came)
    for key in [key for key, n in sums.items() if n == 0]:
        del sums[key]  # as a clean count has it: no key counted zero times
    return sums


def _counted(fold: Tally, units: Iterable[Any]) -> Counter[Hashable]:
    """What these units count toward, summed."""
    if not fold.weighed:
        return Counter(key for unit in units for key in fold.counts(unit))
    sums: Counter[Hashable] = Counter()
    for unit in units:
        for key, amount in fold.counts(unit):  # type: ignore[misc]
            sums[key] += amount
    return +sums  # as a plain tally has it: no key at zero


def _entries(fold: Grouping, unit: Any) -> list[tuple[str, tuple[Any, ...], Any]]:
    """Where a unit is filed: (group, key, item) for each of its groups."""
    if unit is None:
        return []
    key = fold.order(unit)
    item = fold.item(unit) if fold.item is not None else unit
    return [(name, key, item) for name in fold.groups(unit)]


def group(fold: Grouping, units: Iterable[Any], changes: UnitChanges | None) -> Grouped:
    """A grouping: from the last build's and the changed units, or from every unit."""
    earlier = changes.earlier.get(fold.name) if changes is not None else None
    if not isinstance(earlier, Grouped):
        keyed: dict[str, list[tuple[tuple[Any, ...], Any]]] = {}
        for key, unit in sorted((fold.order(unit), unit) for unit in units):
            item = fold.item(unit) if fold.item is not None else unit
            for name in fold.groups(unit):
                keyed.setdefault(name, []).append((key, item))
        return Grouped(keyed, {name: tuple(i for _, i in keyed[name]) for name in sorted(keyed)})
    assert changes is not None
    moves = [(was, now) for was, now in (
        (_entries(fold, old), _entries(fold, new)) for old, new in zip(*changes.of(fold.over),
                                                                       strict=True))
        if was != now]  # a unit filed as before, with an equal item, moves nothing
    if not moves:
        return earlier
    keyed = dict(earlier.keyed)
    touched: set[str] = set()

    def entries(name: str) -> list[tuple[tuple[Any, ...], Any]]:
        if name not in touched:  # copied before its first change: the last build's stays
            touched.add(name)
            keyed[name] = list(keyed.get(name, ()))
        return keyed[name]

    for was, _ in moves:
        for name, key, _ in was:
            found = entries(name)
            del found[bisect.bisect_left(found, (key,))]
    for _, now in moves:
        for name, key, item in now:
            found = entries(name)
            found.insert(bisect.bisect_left(found, (key,)), (key, item))
    for name in [name for name in touched if not keyed[name]]:
        del keyed[name]
    members = {name: earlier.members[name] if name not in touched else
               tuple(i for _, i in keyed[name]) for name in sorted(keyed)}
    return Grouped(keyed, members)


def changes_between(earlier: FoldState, before: Mapping[str, Any], after: Mapping[str, Any],
                    unit_ids: Iterable[str], over: str = FACTS,
                    also: UnitChanges | None = None) -> UnitChanges:
    """The changes of these unit ids (facts, or SOURCES), for the folds of `earlier` (the
    last build's); `also` holds the changes of another kind of unit, kept."""
    ids = sorted(unit_ids)
    pairs = (tuple(before.get(i) for i in ids), tuple(after.get(i) for i in ids))
    return UnitChanges(earlier, {**(also.units if also else {}), over: pairs})
