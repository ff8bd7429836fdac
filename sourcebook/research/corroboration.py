"""Corroboration: which independent reports support a fact. Copies of one wire story in several
outlets are one report (docs/format.md, "How support is counted")."""

from __future__ import annotations

from ..content.ids import slugify
from ..content.model import SourceDoc, Stance
from .model import Fact


def reporter_id(name: str) -> str:
    """One id per reporter: names that differ only in case or punctuation ("Mint", "mint.")
    are one outlet or agency, here and on the outlet pages."""
    return slugify(name)


def reporter_key(doc: SourceDoc) -> str:
    """Who did the reporting, for counting independent support: the wire agency if the story
    came from one (its copies in several outlets are one report), else the outlet, else the
    source itself (an article of unknown origin counts as its own report)."""
    return doc.agency or doc.outlet or f"source {doc.id}"


def independent_reports(fact: Fact, reporters: dict[str, str]) -> tuple[str, ...]:
    """The distinct reporters of the supporting evidence (one name each, by reporter_id),
    sorted."""
    seen: dict[str, str] = {}
    for evidence in fact.evidence:
        if evidence.stance is Stance.SUPPORTS:
            name = reporters.get(evidence.source_id, f"source {evidence.source_id}")
            seen.setdefault(reporter_id(name), name)
    return tuple(sorted(seen.values(), key=str.casefold))
