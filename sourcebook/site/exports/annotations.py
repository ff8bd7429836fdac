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
from ...research.model import Fact, Passage, SourceRecord
from ...routes import Url
from ...selectors.quote import Span, surrounding
from ..factpages import fact_home
from ..folds import SOURCES, weighed_tally
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
    href, home = _href(read), _permalink(read)
    total = sum(len(record.passages) for record in read.sources())
    head, tail = _frame(read, total)
    yield head
    separator = ""
    for record in read.sources():
        for passage in record.passages:
            yield separator + _item_line(read, record, passage, href, home)
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
               href: Callable[[Url], str], home: Home) -> str:
    item = _annotation(record, passage, href, _body(read, passage, href, home))
    return "  " + json.dumps(item, ensure_ascii=False)


Home = Callable[[Fact], Url]  # where an annotation's body links a fact


def _permalink(read: Reader) -> Home:
    return lambda fact: read.query(fact_home, fact.id)


def _body(read: Reader, passage: Passage, href: Callable[[Url], str], home: Home) -> list[dict]:
    """An annotation's body: for each fact that cites the passage, its statement, its
    permalink and the notes of its evidence there."""
    language = read.config().language
    body: list[dict] = []
    for fact_id in passage.fact_ids:
        fact = read.fact(fact_id)
        assert fact is not None
        body.extend(_fact_body(fact, passage.source_id, passage.anchor, language,
                               lambda fact=fact: href(home(fact))))
    return body


def _fact_body(fact: Fact, source_id: str, anchor: str, language: str,
               link: Callable[[], str]) -> list[dict]:
    body: list[dict] = [{"type": "TextualBody", "value": fact.statement, "format": "text/plain",
                         "language": language, "purpose": "describing"}]
    if fact.topics:  # where the fact is shown
        body.append({"type": "SpecificResource", "purpose": "linking", "source": link()})
    here = [e for e in fact.evidence if e.source_id == source_id and e.anchor == anchor]
    body.extend({"type": "TextualBody", "value": e.note, "format": "text/plain",
                 "language": language, "purpose": "commenting"}
                for e in here if e.note)
    body.extend(_translation(e.translation, e.translator, language)
                for e in here if e.translation)
    return body


def _translation(text: str, translator: str | None, language: str) -> dict:
    """A quote's translation as a body: a TextualBody in the site's language, its translator
    its creator (the W3C model's "creator" of a body)."""
    item = {"type": "TextualBody", "value": text, "format": "text/plain", "language": language,
            "purpose": "describing"}
    if translator:
        item["creator"] = {"type": "Person", "name": translator}
    return item


def _bytes(value: object) -> int:
    return len(json.dumps(value, ensure_ascii=False).encode("utf-8"))


@query
def source_annotation_bytes(read: Reader, source_id: str) -> tuple[int, int]:
    """How many annotations a source has, and the bytes of their lines (separators apart):
    the exact figure, which reads where the topics' pages put each fact."""
    record = read.source(source_id)
    if record is None:
        return 0, 0
    href, home = _href(read), _permalink(read)
    return len(record.passages), sum(len(_item_line(read, record, p, href, home).encode("utf-8"))
                                     for p in record.passages)


@weighed_tally(over=SOURCES)
def _frame_bytes(record: SourceRecord) -> Iterator[tuple[str, int]]:
    """A source's annotations, and the bytes of their lines with an empty body and links
    without the site's prefix (both added by annotations_bounds), less the two bytes of the
    first body item's separator (it has none): the part of the size that reads the source
    alone, so a rebuild measures only the sources that changed."""
    yield "annotations", len(record.passages)
    yield "frames", sum(len("  ") + _bytes(_annotation(record, p, str, [])) - len(", ")
                        for p in record.passages)


@weighed_tally
def _body_bytes(fact: Fact) -> Iterator[tuple[str, int]]:
    """A fact's items in the bodies of the passages it cites, with an empty language and
    an empty link (added by annotations_bounds), each with its separator; and the path of its
    permalink on its topic's first page, for each link."""
    for source_id, anchor in dict.fromkeys((e.source_id, e.anchor) for e in fact.evidence):
        items = _fact_body(fact, source_id, anchor, "", lambda: "")
        yield "items", sum(_bytes(item) + len(", ") for item in items)
        yield "textual", sum(1 for item in items if item["type"] == "TextualBody")
        if fact.topics:
            yield "links", 1
            yield "paths", _bytes(str(routes.fact(fact.id, fact.topics[0]))) - 2


def annotations_size(read: Reader) -> int:
    """The exact size of annotations.jsonld in bytes, without writing it."""
    return _total(read, [read.query(source_annotation_bytes, r.id) for r in read.sources()])


def annotations_bounds(read: Reader) -> tuple[int, int]:
    """Bounds of annotations.jsonld's size that a rebuild finds cheaply (a query per
    source that reads that source alone, and a tally over the facts): the size were every
    permalink on its topic's first page, and that plus, for each permalink, the longest
    "page/<n>/" a topic's pages can add (n at most the count of facts)."""
    sums, frames = read.tally(_body_bytes), read.tally(_frame_bytes)
    prefix = _bytes(_href(read)(Url(""))) - 2  # each annotation links its passage and text
    floor = (_total(read, [(frames["annotations"],
                            frames["frames"] + 2 * frames["annotations"] * prefix)])
             + sums["items"] + sums["paths"] + sums["links"] * prefix
             + sums["textual"] * (_bytes(read.config().language) - 2))
    longest = (len(routes.topic_page("t", max(2, read.query(counts)["facts"])).path)
               - len(routes.topic("t").path))  # "page/<n>/", n with the most digits
    return floor, floor + longest * sums["links"]


def _total(read: Reader, parts: list[tuple[int, int]]) -> int:
    total = sum(count for count, _ in parts)
    head, tail = _frame(read, total)
    separators = len(ITEM_SEPARATOR) * (total - 1) if total else 0
    return (len(head.encode("utf-8")) + sum(size for _, size in parts) + separators
            + len(tail.encode("utf-8")))


def _annotation(record: SourceRecord, passage: Passage, href: Callable[[Url], str],
                body: list[dict]) -> dict:
    text = record.seed.text
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
            "source": _seed(record, href(routes.seed_text(passage.source_id))),
            "selector": [quote, {"type": "TextPositionSelector", "start": passage.start,
                                 "end": passage.end}],
        },
    }


def _seed(record: SourceRecord, address: str) -> str | dict:
    """The annotation's target resource: the seed's address, described with its language
    (the W3C model's `language` of a resource) when its annotation gives one."""
    if not record.doc.language:
        return address
    return {"id": address, "type": "Text", "format": "text/plain",
            "language": record.doc.language}


def _describe(read: Reader) -> str:
    return (f"One annotation per highlighted passage ({read.query(counts)['passages']}), "
            "targeting the archived text with a TextQuoteSelector and a TextPositionSelector, "
            "its body the statements of the facts that cite it.")


ANNOTATIONS = download("W3C Web Annotation (JSON-LD)", "application/ld+json", ROUTE,
                       web_annotation_chunks, annotations_size, _describe, "Web Annotations",
                       bounds=annotations_bounds)
