"""data/facts.json: every fact with its evidence, every source with the hash of its archived
text, every topic and entity (docs/format.md, "data/facts.json"; schema in
research/schemas/facts.schema.json)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from ... import routes
from ...research.factfile import fact_record
from ...research.model import Fact, SourceRecord
from ..folds import SOURCES, weighed_tally
from ..reader import Reader
from ..views import counts, listed_topics
from .downloads import download
from .originals import original_url

ROUTE = routes.data_file("facts.json")


def facts_document(read: Reader) -> dict:
    """facts.json as one value (for tests and small sets)."""
    return {name: list(records) for name, records in _sections(read).items()}


def facts_json_chunks(read: Reader) -> Iterator[str]:
    """facts.json as text, one record a line, made one record at a time so that a big
    research set is never held whole in memory (json's C encoder does not indent)."""
    yield "{\n"
    for i, (name, records) in enumerate(_sections(read).items()):
        yield ("" if i == 0 else ",\n") + _opening(name)
        separator = "\n"
        for record in records:
            yield separator + LINE_INDENT + _line(record)
            separator = ",\n"
        yield "\n  ]" if separator != "\n" else "]"
    yield "\n}\n"


LINE_INDENT = "    "


def _opening(name: str) -> str:
    return f"  {json.dumps(name)}: ["


def _line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False)


def _bytes(text: str) -> int:
    return len(text.encode("utf-8"))


@weighed_tally
def _fact_line_bytes(fact: Fact) -> Iterator[tuple[str, int]]:
    yield "facts", _bytes(_line(_fact(fact)))


@weighed_tally(over=SOURCES)
def _source_line_bytes(record: SourceRecord) -> Iterator[tuple[str, int]]:
    yield "sources", _bytes(_line(_source(record)))


def facts_json_size(read: Reader) -> int:
    """The exact size of facts.json in bytes, without writing it: the facts' and the sources'
    lines from tallies (a rebuild re-measures only those that changed), the short lists here."""
    facts, sources, sizes = (read.tally(_fact_line_bytes), read.tally(_source_line_bytes),
                             read.query(counts))
    lines = {"facts": (sizes["facts"], facts["facts"]),
             "sources": (sizes["sources"], sources["sources"])}
    for name, records in _listings(read).items():
        sizes = [_bytes(_line(record)) for record in records]
        lines[name] = (len(sizes), sum(sizes))
    size = len("{\n") + len("\n}\n") + len(",\n") * (len(lines) - 1)
    for name, (count, total) in lines.items():
        size += len(_opening(name))
        size += total + count * len(LINE_INDENT) + 2 * count - 1 + len("\n  ]") if count else 1
    return size


def _sections(read: Reader) -> dict[str, Iterator[dict]]:
    return {"facts": (_fact(fact) for fact in read.facts()),
            "sources": (_source(record) for record in read.sources()),
            **_listings(read)}


def _listings(read: Reader) -> dict[str, Iterator[dict]]:
    """The sections after the facts and the sources: short lists, measured whole."""
    return {
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
    languages = {name: value for name, value in (("language", doc.language),
                                                ("trans_title", doc.trans_title),
                                                ("translator", doc.translator)) if value}
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
        "archive_url": doc.archive_url,
        "seed_href": str(routes.seed_text(record.id)),
        **languages,
        **({"original": {"href": str(original_url(record.id, doc.original)),
                         "sha256": doc.original.sha256, "fetched": doc.original.fetched,
                         "redirects": list(doc.original.redirects)}}
           if doc.original else {}),
    }


def _describe(read: Reader) -> str:
    return (f"Every fact ({read.query(counts)['facts']}), with its evidence: the exact "
            "quotation, its code-point offsets in the archived text and the link to the "
            "passage; every source with the SHA-256 of its archived text; every topic and "
            "entity.")


FACTS_JSON = download("JSON", "application/json", ROUTE, facts_json_chunks, facts_json_size,
                      _describe, "JSON")
