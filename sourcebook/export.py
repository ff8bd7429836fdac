"""Open data: site/data/facts.json, as PRODUCT.md's site contract describes it, extended."""

from __future__ import annotations

import json
from collections.abc import Iterator

from .facts import fact_record
from .model import Fact, Research, SourceRecord


def facts_document(research: Research) -> dict:
    return {name: list(records) for name, records in _sections(research).items()}


def facts_json_chunks(research: Research) -> Iterator[str]:
    """facts.json as text, one record a line, made one record at a time so that a big
    research set is never held whole in memory (json's C encoder does not indent)."""
    yield "{\n"
    for i, (name, records) in enumerate(_sections(research).items()):
        yield ("" if i == 0 else ",\n") + f"  {json.dumps(name)}: ["
        separator = "\n"
        for record in records:
            yield separator + "    " + json.dumps(record, ensure_ascii=False)
            separator = ",\n"
        yield "\n  ]" if separator != "\n" else "]"
    yield "\n}\n"


def _sections(research: Research) -> dict[str, Iterator[dict]]:
    return {
        "facts": (_fact(fact) for fact in research.facts),
        "sources": (_source(record) for record in research.sources),
        "topics": ({"id": topic.id, "title": topic.title, "href": f"topics/{topic.id}/"}
                   for topic in research.topics),
        "entities": ({"id": e.id, "name": e.name, "kind": e.kind, "role": e.role,
                      "aliases": list(e.aliases), "href": f"entities/{e.id}/"}
                     for e in research.entities.values()),
    }


def _fact(fact: Fact) -> dict:
    """The fact as its fact file has it, plus the entities its statement names."""
    record = fact_record(fact)
    evidence = record.pop("evidence")
    if fact.mentions:
        record["mentions"] = list(fact.mentions)
    record["evidence"] = evidence
    return record


def _source(record: SourceRecord) -> dict:
    doc = record.doc
    return {
        "id": record.id,
        "title": doc.title,
        "published": doc.published.iso() if doc.published else None,
        "url": doc.url,
        "sha256": record.seed.sha256,
        "href": f"sources/{record.id}/",
        "outlet": doc.outlet,
        "agency": doc.agency,
        "author": doc.author,
        "retrieved": doc.retrieved.iso() if doc.retrieved else None,
        "seed_href": f"sources/{record.id}/seed.txt",
    }
