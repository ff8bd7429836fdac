"""Corroboration: which independent reports support a fact. Copies of one wire story in several
outlets are one report (docs/format.md, "How support is counted")."""

from __future__ import annotations

import re
import unicodedata

from ..content.model import SourceDoc, Stance
from .model import Fact

_NOT_NAME = re.compile(r"[\W_]+")


def name_id(name: str) -> str:
    """One id per name of an outlet or an agency: names that differ only in case, punctuation
    or spacing ("Mint", "mint.") are one; letters and digits of every script count."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return _NOT_NAME.sub("", folded) or folded


def reporter_key(doc: SourceDoc) -> str:
    """Who did the reporting, for counting independent support: the wire agency if the story
    came from one (its copies in several outlets are one report), else the outlet, else the
    source itself (an article of unknown origin counts as its own report)."""
    return doc.agency or doc.outlet or f"source {doc.id}"


def reporter(doc: SourceDoc) -> tuple[str, str]:
    """(the reporter's id, its name): an agency or outlet by name_id, an article of unknown
    origin by its source's exact name."""
    name = reporter_key(doc)
    return (name_id(name) if doc.agency or doc.outlet else f"source:{doc.id}"), name


def independent_reports(fact: Fact, reporters: dict[str, tuple[str, str]]) -> tuple[str, ...]:
    """The distinct reporters of the supporting evidence, one name each (the first spelling),
    sorted without case. `reporters` gives each source's (id, name)."""
    seen: dict[str, str] = {}
    for evidence in fact.evidence:
        if evidence.stance is Stance.SUPPORTS:
            key, name = reporters.get(evidence.source_id, (f"source:{evidence.source_id}",
                                                           f"source {evidence.source_id}"))
            seen.setdefault(key, name)
    return tuple(sorted(seen.values(), key=str.casefold))
