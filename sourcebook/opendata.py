"""Open data beside facts.json: the evidence as CSV, the passages as W3C Web Annotations.

Values are exact. facts_csv writes every cell as the research has it: it does not prefix
cells that begin with "=", "+", "-" or "@" against spreadsheet formula injection, because that
would change the data (a quote may really begin with "-"). Whoever opens the file in a
spreadsheet should import its columns as text. Quoting follows RFC 4180: a cell holding a comma,
a double quote, a CR or an LF is quoted, and its quotes are doubled.

web_annotations describes each highlighted passage as an Annotation on the seed file the site
publishes (text/plain, UTF-8). Its TextPositionSelector counts Unicode code points of the seed
text (the file decoded as UTF-8, less a leading BOM), so text[start:end] is the quote exactly.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator

from .model import Evidence, Fact, Passage, Research, SourceRecord

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_CHARS = 32  # the longest prefix and suffix a TextQuoteSelector carries

CSV_COLUMNS = ("fact_id", "statement", "topics", "fact_date", "speakers", "source_id",
               "source_title", "outlet", "published", "source_url", "stance", "quote", "start",
               "end", "note", "passage_href")


def facts_csv(research: Research) -> bytes:
    """One row per piece of evidence, facts by id, each fact's evidence in its order."""
    sources = research.source_index
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    for fact in sorted(research.facts, key=lambda f: f.id):
        for evidence in fact.evidence:
            writer.writerow(_csv_row(fact, evidence, sources[evidence.source_id]))
    return out.getvalue().encode("utf-8")


def _csv_row(fact: Fact, evidence: Evidence, record: SourceRecord) -> list[str | int]:
    doc = record.doc
    return [fact.id, fact.statement, ";".join(fact.topics),
            fact.date.iso() if fact.date else "", ";".join(fact.speakers),
            record.id, doc.title, doc.outlet or "", doc.published.iso() if doc.published else "",
            doc.url or "", evidence.stance.value, evidence.quote, evidence.start, evidence.end,
            evidence.note or "", evidence.href]


def web_annotations(research: Research, seed_href: Callable[[str], str],
                    page_href: Callable[[str], str],
                    collection_path: str = "data/annotations.jsonld") -> dict:
    """An AnnotationCollection (JSON-LD, Web Annotation Data Model) of every passage.

    seed_href(source_id) is the URL of the source's published seed text file; page_href(rel)
    turns a site-relative path (with any fragment) into the URL to publish, absolute or not.
    A relative URL resolves against the document's own URL, so a caller publishing the
    collection at collection_path without an absolute base should return root-relative paths.
    Annotations come in source order, then passage order (by position in the seed).
    """
    return json.loads("".join(web_annotation_chunks(research, seed_href, page_href,
                                                    collection_path)))


def web_annotation_chunks(research: Research, seed_href: Callable[[str], str],
                          page_href: Callable[[str], str],
                          collection_path: str = "data/annotations.jsonld") -> Iterator[str]:
    """The collection's JSON text, one annotation a line, made one annotation at a time so that
    a big research set is never held whole in memory (see web_annotations)."""
    total = sum(len(record.passages) for record in research.sources)
    collection = {"@context": ANNO_CONTEXT, "id": page_href(collection_path),
                  "type": "AnnotationCollection", "label": research.config.title,
                  "total": total}
    if not total:
        yield json.dumps(collection, ensure_ascii=False) + "\n"
        return
    page_id = page_href(f"{collection_path}#page-1")
    page = {"id": page_id, "type": "AnnotationPage", "startIndex": 0}
    yield (json.dumps(collection, ensure_ascii=False)[:-1] + ',\n "first": '
           + json.dumps(page, ensure_ascii=False)[:-1] + ', "items": [\n')
    separator = ""
    for record in research.sources:
        for passage in record.passages:
            item = _annotation(research, record, passage, seed_href, page_href)
            yield separator + "  " + json.dumps(item, ensure_ascii=False)
            separator = ",\n"
    yield '\n ]},\n "last": ' + json.dumps(page_id, ensure_ascii=False) + "}\n"


def _annotation(research: Research, record: SourceRecord, passage: Passage,
                seed_href: Callable[[str], str], page_href: Callable[[str], str]) -> dict:
    text = record.seed.text
    body: list[dict] = []
    for fact_id in passage.fact_ids:
        fact = research.fact_index[fact_id]
        body.append({"type": "TextualBody", "value": fact.statement, "format": "text/plain",
                     "language": research.config.language, "purpose": "describing"})
        if fact.topics:  # a fact is shown on its first topic's page
            body.append({"type": "SpecificResource", "purpose": "linking",
                         "source": page_href(f"topics/{fact.topics[0]}/#f-{fact.id}")})
        body.extend({"type": "TextualBody", "value": e.note, "format": "text/plain",
                     "language": research.config.language, "purpose": "commenting"}
                    for e in fact.evidence
                    if e.note and e.source_id == passage.source_id and e.anchor == passage.anchor)
    quote: dict = {"type": "TextQuoteSelector", "exact": text[passage.start:passage.end]}
    if prefix := text[max(0, passage.start - CONTEXT_CHARS):passage.start]:
        quote["prefix"] = prefix
    if suffix := text[passage.end:passage.end + CONTEXT_CHARS]:
        quote["suffix"] = suffix
    return {
        "id": page_href(f"sources/{passage.source_id}/#{passage.anchor}"),
        "type": "Annotation",
        "motivation": "describing",
        "body": body,
        "target": {
            "type": "SpecificResource",
            "source": seed_href(passage.source_id),
            "selector": [quote, {"type": "TextPositionSelector", "start": passage.start,
                                 "end": passage.end}],
        },
    }
