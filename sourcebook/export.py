"""Open data: site/data/facts.json, as PRODUCT.md's site contract describes it, extended."""

from __future__ import annotations

from .facts import status_record
from .model import Fact, Research


def facts_document(research: Research) -> dict:
    return {
        "facts": [
            {
                "id": fact.id,
                "statement": fact.statement,
                "topics": list(fact.topics),
                **_fact_extras(fact),
                "evidence": [
                    {"source": e.source_id, "quote": e.quote, "start": e.start, "end": e.end,
                     "stance": e.stance.value, "href": e.href,
                     **({"speaker": e.speaker} if e.speaker else {}),
                     **({"note": e.note} if e.note else {})}
                    for e in fact.evidence
                ],
            }
            for fact in research.facts
        ],
        "sources": [
            {
                "id": record.id,
                "title": record.doc.title,
                "published": record.doc.published.iso() if record.doc.published else None,
                "url": record.doc.url,
                "sha256": record.seed.sha256,
                "href": f"sources/{record.id}/",
                "outlet": record.doc.outlet,
                "agency": record.doc.agency,
                "author": record.doc.author,
                "retrieved": record.doc.retrieved.iso() if record.doc.retrieved else None,
                "seed_href": f"sources/{record.id}/seed.txt",
            }
            for record in research.sources
        ],
        "topics": [
            {"id": topic.id, "title": topic.title, "href": f"topics/{topic.id}/"}
            for topic in research.topics
        ],
        "entities": [
            {"id": e.id, "name": e.name, "kind": e.kind, "role": e.role,
             "aliases": list(e.aliases), "href": f"entities/{e.id}/"}
            for e in research.entities.values()
        ],
    }


def _fact_extras(fact: Fact) -> dict:
    """The fields beyond the PRODUCT.md contract (which they extend, never break)."""
    extras: dict = {}
    if fact.date:
        extras["date"] = fact.date.iso()
    if fact.speakers:
        extras["speakers"] = list(fact.speakers)
    if fact.mentions:
        extras["mentions"] = list(fact.mentions)
    extras["disputed"] = fact.disputed
    extras["independent_reports"] = list(fact.reporters)
    if fact.status:
        extras["status"] = status_record(fact.status)
    return extras
