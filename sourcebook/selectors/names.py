"""Finding names in text: topic aliases and entity names, in any script, as whole words,
case-sensitive, and compared as quotes are (any dash for '-', any apostrophe for "'", any
whitespace run for a space, composed or decomposed characters alike). One finder serves the
facts stage (which entities a statement names), the coverage report of `check` (which seed
sentences mention a topic) and `new` (candidate claims).

A word is a run of letters, marks and digits (selectors.wordchars), so a Devanagari name is
never found inside a longer word, whatever vowel sign, virama or nukta follows it. Names are
literal: "Лавров" finds "Лавров", not "Лаврова" or "ЛАВРОВ" (docs/format.md: a researcher lists
the inflected forms a source uses as aliases). A name is normalised as quotes are (NFKC), and
each of its characters also matches its other canonical forms in the text: "क़" (U+0958), "क़"
(U+0915 U+093C), "é" as one code point or as "e" and U+0301.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .normalize import normalize
from .wordchars import find_whole, whole_words

_DASHES = "[-\u2010\u2011\u2012\u2013\u2014\u2015\u2212]"
_APOSTROPHES = "['\u2018\u2019\u201a\u201b\u2032]"
# The Indic letters with a nukta that Unicode never composes (composition exclusions): NFC and
# NFKC write them decomposed, so a name holds "क" U+093C where a seed may hold U+0958.
_PRECOMPOSED = {unicodedata.normalize("NFD", c): c for c in (
    "\u0958\u0959\u095a\u095b\u095c\u095d\u095e\u095f\u09dc\u09dd\u09df"
    "\u0a33\u0a36\u0a59\u0a5a\u0a5b\u0a5e\u0b5c\u0b5d")}


def _clusters(name: str) -> list[str]:
    """The name cut before each character that combines with nothing before it."""
    out: list[str] = []
    for char in name:
        if out and unicodedata.combining(char):
            out[-1] += char
        else:
            out.append(char)
    return out


def _forms(cluster: str) -> str:
    """A regular expression for a character and its marks in any canonical form."""
    if cluster.isascii():
        return re.escape(cluster)
    decomposed = unicodedata.normalize("NFD", cluster)
    forms = {cluster, unicodedata.normalize("NFC", cluster), decomposed}
    if decomposed[:2] in _PRECOMPOSED:
        forms.add(_PRECOMPOSED[decomposed[:2]] + decomposed[2:])
    if len(forms) == 1:
        return re.escape(cluster)
    return "(?:" + "|".join(map(re.escape, sorted(forms, key=lambda f: (-len(f), f)))) + ")"


def _loose(name: str) -> str:
    """A regular expression for the normalised name that also matches its typographic and
    canonically equivalent forms."""
    parts = []
    for cluster in _clusters(name):
        if cluster == "-":
            parts.append(_DASHES)
        elif cluster == "'":
            parts.append(_APOSTROPHES)
        elif cluster == " ":
            parts.append(r"\s+")
        else:
            parts.append(_forms(cluster))
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class NameFinder:
    """Finds names in text, and which topics or entities each one names."""

    owners: dict[str, tuple[str, ...]]  # normalised name -> the topic or entity ids it names
    pattern: re.Pattern[str] | None  # every name; search it with wordchars.find_whole

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
        pattern = whole_words("|".join(map(_loose, keys))) if keys else None
        return cls({k: tuple(v) for k, v in owners.items()}, pattern)

    def key(self) -> str:
        """A digest of the names and their owners: equal finders find the same things."""
        return hashlib.blake2b(repr(sorted(self.owners.items())).encode(),
                               digest_size=16).hexdigest()

    def matches(self, text: str) -> Iterator[tuple[re.Match[str], tuple[str, ...]]]:
        """Each name in the text, with its position there and the ids it names."""
        if self.pattern is None:
            return
        for match in find_whole(self.pattern, text):
            yield match, self.owners[normalize(match.group())]

    def owners_in(self, text: str) -> tuple[str, ...]:
        """The ids the text names, sorted."""
        return tuple(sorted({o for _, owners in self.matches(text) for o in owners}))
