"""Finding names in text: topic aliases and entity names, as whole words, case-sensitive, and
compared as quotes are (any dash for '-', any apostrophe for "'", any whitespace run for a
space). One finder serves the facts stage (which entities a statement names), the coverage
report of `check` (which seed sentences mention a topic) and `new` (candidate claims)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .normalize import normalize

_DASHES = "[-\u2010\u2011\u2012\u2013\u2014\u2015\u2212]"
_APOSTROPHES = "['\u2018\u2019\u201a\u201b\u2032]"


def _loose(name: str) -> str:
    """A regular expression for the normalised name that also matches its typographic forms."""
    parts = []
    for char in name:
        if char == "-":
            parts.append(_DASHES)
        elif char == "'":
            parts.append(_APOSTROPHES)
        elif char == " ":
            parts.append(r"\s+")
        else:
            parts.append(re.escape(char))
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class NameFinder:
    """Finds names in text, and which topics or entities each one names."""

    owners: dict[str, tuple[str, ...]]  # normalised name -> the topic or entity ids it names
    pattern: re.Pattern[str] | None

    @classmethod
    def of(cls, named: Iterable[tuple[str, Iterable[str]]]) -> NameFinder:
        """From (owner id, its names) pairs; several owners may share a name."""
        owners: dict[str, list[str]] = {}
        for owner, names in named:
            for name in names:
                key = normalize(name)
                if key and owner not in owners.setdefault(key, []):
                    owners[key].append(owner)
        keys = sorted(owners, key=lambda n: (-len(n), n))  # the longest name wins
        pattern = (re.compile(r"(?<!\w)(?:" + "|".join(map(_loose, keys)) + r")(?!\w)")
                   if keys else None)
        return cls({k: tuple(v) for k, v in owners.items()}, pattern)

    def key(self) -> str:
        """A digest of the names and their owners: equal finders find the same things."""
        return hashlib.blake2b(repr(sorted(self.owners.items())).encode(),
                               digest_size=16).hexdigest()

    def matches(self, text: str) -> Iterator[tuple[re.Match[str], tuple[str, ...]]]:
        """Each name in the text, with its position there and the ids it names."""
        if self.pattern is None:
            return
        for match in self.pattern.finditer(text):
            yield match, self.owners[normalize(match.group())]

    def owners_in(self, text: str) -> tuple[str, ...]:
        """The ids the text names, sorted."""
        return tuple(sorted({o for _, owners in self.matches(text) for o in owners}))
