"""data/annotations.jsonld: every highlighted passage as a W3C Web Annotation.

Each annotation targets the seed file the site publishes (text/plain, UTF-8). Its
TextPositionSelector counts Unicode code points of the seed text (the file decoded as UTF-8,
less a leading BOM), so text[start:end] is the quote exactly; its TextQuoteSelector carries up
to 32 code points of context on each side (selectors.quote.surrounding), as Hypothesis does.
URLs are absolute where base_url allows, else from the base path: a relative URL would resolve
against the collection's own address.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

from ... import routes
from ...research.model import Passage, SourceRecord
from ...routes import Url
from ...selectors.quote import Span, surrounding
from ..factpages import fact_home
from ..reader import Reader, query
from ..views import counts
from .downloads import download

ROUTE = routes.data_file("annotations.jsonld")
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_CHARS = 32  # the longest prefix and suffix a TextQuoteSelector carries


def web_annotations(read: Reader) -> dict:
    """The AnnotationCollection as one value (for tests and small sets). Annotations come in
    source order, then passage order (by position in the seed)."""
    return json.loads("".join(web_annotation_chunks(read)))


def web_annotation_chunks(read: Reader) -> Iterator[str]:
    """The collection's JSON text, one annotation a line, made one annotation at a time so that
    a big research set is never held whole in memory."""
    href = _href(read)
    total = sum(len(record.passages) for record in read.sources())
    head, tail = _frame(read, total)
    yield head
    separator = ""
    for record in read.sources():
        for passage in record.passages:
            yield separator + _item_line(read, record, passage, href)
            separator = ITEM_SEPARATOR
    yield tail


ITEM_SEPARATOR = ",\n"


def _href(read: Reader) -> Callable[[Url], str]:
    config = read.config()

    def href(url: Url) -> str:
        return config.absolute(url) or config.base_path + str(url)
    return href


def _frame(read: Reader, total: int) -> tuple[str, str]:
    """The text before the first annotation and after the last (all of it, if none)."""
    href = _href(read)
    collection = {"@context": ANNO_CONTEXT, "id": href(ROUTE),
                  "type": "AnnotationCollection", "label": read.config().title, "total": total}
    if not total:
        return json.dumps(collection, ensure_ascii=False) + "\n", ""
    page_id = href(ROUTE.at("page-1"))
    page = {"id": page_id, "type": "AnnotationPage", "startIndex": 0}
    return (json.dumps(collection, ensure_ascii=False)[:-1] + ',\n "first": '
            + json.dumps(page, ensure_ascii=False)[:-1] + ', "items": [\n',
            '\n ]},\n "last": ' + json.dumps(page_id, ensure_ascii=False) + "}\n")


def _item_line(read: Reader, record: SourceRecord, passage: Passage,
               href: Callable[[Url], str]) -> str:
    return "  " + json.dumps(_annotation(read, record, passage, href), ensure_ascii=False)


@query
def source_annotation_bytes(read: Reader, source_id: str) -> tuple[int, int]:
    """How many annotations a source has, and the bytes of their lines (separators apart);
    kept by a rebuild while the source, its facts and their permalinks are unchanged."""
    record = read.source(source_id)
    if record is None:
        return 0, 0
    href = _href(read)
    return len(record.passages), sum(len(_item_line(read, record, p, href).encode("utf-8"))
                                     for p in record.passages)


def annotations_size(read: Reader) -> int:
    """The exact size of annotations.jsonld in bytes, without writing it."""
    total = size = 0
    for record in read.sources():
        count, line_bytes = read.query(source_annotation_bytes, record.id)
        total += count
        size += line_bytes
    head, tail = _frame(read, total)
    separators = len(ITEM_SEPARATOR) * (total - 1) if total else 0
    return len(head.encode("utf-8")) + size + separators + len(tail.encode("utf-8"))


def _annotation(read: Reader, record: SourceRecord, passage: Passage,
                href: Callable[[Url], str]) -> dict:
    language = read.config().language
    text = record.seed.text
    body: list[dict] = []
    for fact_id in passage.fact_ids:
        fact = read.fact(fact_id)
        assert fact is not None
        body.append({"type": "TextualBody", "value": fact.statement, "format": "text/plain",
                     "language": language, "purpose": "describing"})
        if fact.topics:  # where the fact is shown
            body.append({"type": "SpecificResource", "purpose": "linking",
                         "source": href(read.query(fact_home, fact.id))})
        body.extend({"type": "TextualBody", "value": e.note, "format": "text/plain",
                     "language": language, "purpose": "commenting"}
                    for e in fact.evidence
                    if e.note and e.source_id == passage.source_id and e.anchor == passage.anchor)
    quote: dict = {"type": "TextQuoteSelector", "exact": text[passage.start:passage.end]}
    prefix, suffix = surrounding(text, Span(passage.start, passage.end), CONTEXT_CHARS)
    if prefix:
        quote["prefix"] = prefix
    if suffix:
        quote["suffix"] = suffix
    return {
        "id": href(routes.passage(passage.source_id, passage.anchor)),
        "type": "Annotation",
        "motivation": "describing",
        "body": body,
        "target": {
            "type": "SpecificResource",
            "source": href(routes.seed_text(passage.source_id)),
            "selector": [quote, {"type": "TextPositionSelector", "start": passage.start,
                                 "end": passage.end}],
        },
    }


def _describe(read: Reader) -> str:
    return (f"One annotation per highlighted passage ({read.query(counts)['passages']}), "
            "targeting the archived text with a TextQuoteSelector and a TextPositionSelector, "
            "its body the statements of the facts that cite it.")


ANNOTATIONS = download("W3C Web Annotation (JSON-LD)", "application/ld+json", ROUTE,
                       web_annotation_chunks, annotations_size, _describe, "Web Annotations")
