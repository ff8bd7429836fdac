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
from ..kinds import Export, Here, Templates
from ..reader import Reader
from ..views import counts

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
    config = read.config()

    def href(url: Url) -> str:
        return config.absolute(url) or config.base_path + str(url)

    total = sum(len(record.passages) for record in read.sources())
    collection = {"@context": ANNO_CONTEXT, "id": href(ROUTE),
                  "type": "AnnotationCollection", "label": config.title, "total": total}
    if not total:
        yield json.dumps(collection, ensure_ascii=False) + "\n"
        return
    page_id = href(ROUTE.at("page-1"))
    page = {"id": page_id, "type": "AnnotationPage", "startIndex": 0}
    yield (json.dumps(collection, ensure_ascii=False)[:-1] + ',\n "first": '
           + json.dumps(page, ensure_ascii=False)[:-1] + ', "items": [\n')
    separator = ""
    for record in read.sources():
        for passage in record.passages:
            item = _annotation(read, record, passage, href)
            yield separator + "  " + json.dumps(item, ensure_ascii=False)
            separator = ",\n"
    yield '\n ]},\n "last": ' + json.dumps(page_id, ensure_ascii=False) + "}\n"


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


def _write(read: Reader, _here: Here, _templates: Templates) -> Iterator[str]:
    return web_annotation_chunks(read)


def _describe(read: Reader) -> str:
    return (f"One annotation per highlighted passage ({read.query(counts)['passages']}), "
            "targeting the archived text with a TextQuoteSelector and a TextPositionSelector, "
            "its body the statements of the facts that cite it.")


ANNOTATIONS = Export("W3C Web Annotation (JSON-LD)", "application/ld+json",
                     lambda _key: ROUTE, _write, describe=_describe,
                     footer="Web Annotations")
