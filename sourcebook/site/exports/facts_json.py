"""data/facts.json: every fact with its evidence, every source with the hash of its archived
text, every topic and entity (docs/format.md, "data/facts.json"; schema in
research/schemas/facts.schema.json)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from ... import routes
from ...research.factfile import fact_record
from ...research.model import Fact, SourceRecord
from ..kinds import Export, Here, Templates
from ..reader import Reader
from ..views import counts, listed_topics

ROUTE = routes.data_file("facts.json")


def facts_document(read: Reader) -> dict:
    """facts.json as one value (for tests and small sets)."""
    return {name: list(records) for name, records in _sections(read).items()}


def facts_json_chunks(read: Reader) -> Iterator[str]:
    """facts.json as text, one record a line, made one record at a time so that a big
    research set is never held whole in memory (json's C encoder does not indent)."""
    yield "{\n"
    for i, (name, records) in enumerate(_sections(read).items()):
        yield ("" if i == 0 else ",\n") + f"  {json.dumps(name)}: ["
        separator = "\n"
        for record in records:
            yield separator + "    " + json.dumps(record, ensure_ascii=False)
            separator = ",\n"
        yield "\n  ]" if separator != "\n" else "]"
    yield "\n}\n"


def _sections(read: Reader) -> dict[str, Iterator[dict]]:
    return {
        "facts": (_fact(fact) for fact in read.facts()),
        "sources": (_source(record) for record in read.sources()),
        "topics": ({"id": topic.id, "title": topic.title, "href": str(routes.topic(topic.id))}
                   for topic in read.query(listed_topics)),
        "entities": ({"id": e.id, "name": e.name, "kind": e.kind, "role": e.role,
                      "aliases": list(e.aliases), "href": str(routes.entity(e.id))}
                     for e in read.entities()),
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
        "href": str(routes.source(record.id)),
        "outlet": doc.outlet,
        "agency": doc.agency,
        "author": doc.author,
        "retrieved": doc.retrieved.iso() if doc.retrieved else None,
        "archive": doc.archive,
        "seed_href": str(routes.seed_text(record.id)),
    }


def _write(read: Reader, _here: Here, _templates: Templates) -> Iterator[str]:
    return facts_json_chunks(read)


def _describe(read: Reader) -> str:
    return (f"Every fact ({read.query(counts)['facts']}), with its evidence: the exact "
            "quotation, its code-point offsets in the archived text and the link to the "
            "passage; every source with the SHA-256 of its archived text; every topic and "
            "entity.")


FACTS_JSON = Export("JSON", "application/json", lambda _key: ROUTE, _write,
                    describe=_describe, footer="JSON")
