"""Open data: site/data/facts.json, exactly as PRODUCT.md's site contract describes it."""

from __future__ import annotations

from .model import Research


def facts_document(research: Research) -> dict:
    return {
        "facts": [
            {
                "id": fact.id,
                "statement": fact.statement,
                "topics": list(fact.topics),
                "evidence": [
                    {"source": e.source_id, "quote": e.quote, "start": e.start, "end": e.end,
                     "stance": e.stance.value, "href": e.href}
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
            }
            for record in research.sources
        ],
        "topics": [
            {"id": topic.id, "title": topic.title, "href": f"topics/{topic.id}/"}
            for topic in research.topics
        ],
    }
