"""Memoised pure steps: results keyed by their exact inputs, reused from build to build.

A step's result and the diagnostics it produced are stored together and replayed on a hit, so
a cached build reports exactly what a clean one would. Entries not used by a build are dropped
when it finishes, so memory follows the project, not its history.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from .diagnostics import Diagnostic, Diagnostics

T = TypeVar("T")


class Memo:
    """Stored results of a project's pure steps, each with the diagnostics it produced."""

    def __init__(self) -> None:
        self._tables: dict[str, dict[Hashable, tuple[Any, tuple[Diagnostic, ...]]]] = {}
        self._used: dict[str, set[Hashable]] = {}
        self.computed: Counter[str] = Counter()
        # The steps a step called while it was computed: a hit on it uses them too, so they
        # are kept for when its own inputs change but theirs do not.
        self._calls: dict[tuple[str, Hashable], tuple[tuple[str, Hashable], ...]] = {}
        self._computing: list[list[tuple[str, Hashable]]] = []

    def start_build(self) -> None:
        """Begin a build: count afresh what is computed, and which entries are used."""
        self.computed.clear()
        self._used = {table: set() for table in self._tables}

    def finish_build(self) -> None:
        """End a build: drop every entry it did not use."""
        for table, entries in self._tables.items():
            used = self._used.get(table, set())
            for key in [k for k in entries if k not in used]:
                del entries[key]
                self._calls.pop((table, key), None)

    def count(self, table: str) -> int:
        """How many results a table holds."""
        return len(self._tables.get(table, {}))

    def has(self, table: str, key: Hashable) -> bool:
        """Whether a result is stored for this key (asking does not count as using it)."""
        return key in self._tables.get(table, {})

    def put(self, table: str, key: Hashable, value: object,
            diagnostics: tuple[Diagnostic, ...]) -> None:
        """Store a result computed elsewhere (by a worker process)."""
        self._tables.setdefault(table, {})[key] = (value, diagnostics)
        self.computed[table] += 1

    def call(self, table: str, key: Hashable, compute: Callable[[Diagnostics], T],
             diags: Diagnostics) -> T:
        """compute(diagnostics) once per distinct key; later calls replay the stored result."""
        return self._call(table, key, None, compute, diags)

    def call_same(self, table: str, key: Hashable, inputs: tuple[object, ...],
                  compute: Callable[[Diagnostics], T], diags: Diagnostics) -> T:
        """As `call`, for a step whose inputs are immutable objects that an earlier step
        hands out again while they are unchanged: the stored result is replayed only for
        equal inputs, compared item by item (by identity first, so unchanged objects cost
        nothing) and never hashed: they may be large."""
        return self._call(table, key, inputs, compute, diags)

    def _call(self, table: str, key: Hashable, inputs: tuple[object, ...] | None,
              compute: Callable[[Diagnostics], T], diags: Diagnostics) -> T:
        entries = self._tables.setdefault(table, {})
        self._used.setdefault(table, set()).add(key)
        if self._computing:
            self._computing[-1].append((table, key))
        hit = entries.get(key)
        if hit is not None and inputs is not None and not _same(hit[0][0], inputs):
            hit = None
        if hit is None:
            local = Diagnostics()
            self._computing.append([])
            try:
                value = compute(local)
            finally:
                inner = self._computing.pop()
            if inner:
                self._calls[(table, key)] = tuple(inner)
                if self._computing:
                    self._computing[-1].extend(inner)
            hit = ((inputs, value) if inputs is not None else value, tuple(local.items))
            entries[key] = hit
            self.computed[table] += 1
        else:
            inner = list(self._calls.get((table, key), ()))
            for inner_table, inner_key in inner:
                self._used.setdefault(inner_table, set()).add(inner_key)
            if self._computing:
                self._computing[-1].extend(inner)
        diags.items.extend(hit[1])
        return hit[0][1] if inputs is not None else hit[0]


def _same(kept: tuple[object, ...], inputs: tuple[object, ...]) -> bool:
    return kept == inputs  # a tuple compares its items by identity first: fast when unchanged
