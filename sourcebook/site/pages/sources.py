"""Source pages, sources/<source>/: the archived article, its boilerplate set apart, each cited
passage highlighted with an id and followed by links back to every fact and topic citing it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ... import routes
from ...anchoring.model import AnchoredExclude
from ...content.languages import language_name, other_language
from ...content.model import PartialDate, SiteConfig, Stance
from ...research.model import SourceRecord
from ...routes import Url
from ...selectors.fragment import passage_fragment
from ...selectors.quote import Span
from ..exports.originals import original_url
from ..exports.references import cite_links
from ..factpages import fact_place
from ..jsonld import CONTEXT, article, with_url
from ..kinds import Here, PageKind, SearchRecord, search_words
from ..reader import Reader, query
from ..views import TopicLink, date_fields, source_label, topic_links, topic_titles
from .archive import NAME as ARCHIVE
from .outlets import source_outlet


@dataclass(frozen=True, slots=True)
class Backref:
    """What a source page says of a fact that cites it: for the back-links of its passages."""

    fact_id: str
    statement: str
    topics: tuple[tuple[str, str, Url], ...]  # (topic id, its title, the fact's entry there)
    against: tuple[str, ...] = ()  # anchors of this source's passages that dispute the fact


def _keys(read: Reader) -> list[str]:
    return [record.id for record in read.sources()]


def _record(read: Reader, source_id: str) -> SourceRecord:
    record = read.source(source_id)
    assert record is not None  # pages are only planned for existing sources
    return record


@query
def backrefs(read: Reader, source_id: str) -> tuple[Backref, ...]:
    """The facts that cite this source, with their topics' titles, in fact-id order."""
    record = read.source(source_id)
    if record is None:
        return ()
    titles = read.query(topic_titles)
    cited = sorted({fid for p in record.passages for fid in p.fact_ids})
    refs = []
    for fact in (read.fact(fid) for fid in cited):
        if fact is not None:
            refs.append(Backref(fact.id, fact.statement,
                                tuple((t, titles.get(t, t), read.query(fact_place, fact.id, t))
                                      for t in fact.topics),
                                tuple(sorted(e.anchor for e in fact.evidence
                                             if e.source_id == source_id
                                             and e.stance is Stance.DISPUTES))))
    return tuple(refs)


def _view(read: Reader, here: Here) -> dict[str, Any]:
    record = _record(read, here.key)
    refs = read.query(backrefs, record.id)
    topic_ids = {t for ref in refs for t, _, _ in ref.topics}
    citing: tuple[TopicLink, ...] = tuple(t for t in read.query(topic_links) if t.id in topic_ids)
    retrieved, retrieved_iso = date_fields(record.doc.retrieved)
    config = read.config()
    label = source_label(record, config.language)
    return {"source": record.doc, "label": label, "seed": record.seed,
            "language": language_name(label.lang) if label.lang else "",
            "page_lang": config.language if label.lang else "",
            "outlet": read.query(source_outlet, record.id),
            "address_date": "" if record.doc.published else address_date(record.doc.url),
            "seed_url": routes.seed_text(record.id), "retrieved": retrieved,
            "original": original_view(record),
            "cite_links": cite_links(record.id),
            "retrieved_iso": retrieved_iso, "blocks": article_blocks(record, refs),
            "passage_count": len(record.passages), "citing_topics": citing,
            "index_url": routes.listing(ARCHIVE), "current": ARCHIVE,
            "jsonld": _jsonld(read.config(), record)}


@dataclass(frozen=True, slots=True)
class OriginalView:
    """The archived original as a source page describes it."""

    url: Url  # the published copy
    kind: str  # HTML, MHTML, PDF, WARC
    size: str  # "123 KB"
    as_text: bool  # published as plain text (a saved page)
    sha256: str
    fetched: str  # "2026-12-04 16:20 UTC", or ""
    fetched_iso: str
    redirects: tuple[str, ...]


def original_view(record: SourceRecord) -> OriginalView | None:
    """What the source page says of the source's archived original, if it has one."""
    original = record.doc.original
    if original is None:
        return None
    fetched = original.fetched or ""
    return OriginalView(original_url(record.id, original), original.kind,
                        human_size(original.size),
                        original.published_suffix != original.suffix, original.sha256,
                        f"{fetched[:10]} {fetched[11:16]} UTC" if fetched else "", fetched,
                        original.redirects)


def human_size(count: int) -> str:
    """A file's size as a reader reads it: 812 bytes, 123 KB, 4.2 MB."""
    if count < 1024:
        return f"{count} byte{'s' if count != 1 else ''}"
    if count < 2**20:
        return f"{round(count / 1024)} KB"
    return f"{count / 2**20:.1f} MB"


_ADDRESS_DATE = re.compile(r"/((?:19|20)\d\d)/(0[1-9]|1[0-2])(?:/(0[1-9]|[12]\d|3[01]))?/")


def address_date(url: str | None) -> str:
    """The date an article's address suggests (`…/2022/04/…` → "April 2022"), for a source
    whose text gives none: a clue shown as such, never taken for the publication date."""
    match = _ADDRESS_DATE.search(url or "")
    if match is None:
        return ""
    year, month, day = match.groups()
    return date_fields(PartialDate(int(year), int(month), int(day) if day else None))[0]


def _jsonld(config: SiteConfig, record: SourceRecord) -> dict[str, Any]:
    data = {"@context": CONTEXT, **article(record)}
    data["inLanguage"] = record.doc.language_or(config.language)
    archive = config.absolute(routes.source(record.id))
    if archive:
        data["mainEntityOfPage"] = archive
    original = record.doc.original
    copies = [config.absolute(original_url(record.id, original)) if original else "",
              record.doc.archive_url or ""]
    if any(copies):
        data["archivedAt"] = [copy for copy in copies if copy]
    text = record.seed.text
    language = {"inLanguage": record.doc.language} if record.doc.language else {}
    data["hasPart"] = [with_url({"@type": "Quotation", "text": text[p.start:p.end], **language},
                                config.absolute(routes.passage(record.id, p.anchor)))
                       for p in record.passages]
    return data


def _search(read: Reader) -> Iterator[SearchRecord]:
    language = read.config().language
    for record in sorted(read.sources(), key=lambda r: r.id):
        doc = record.doc
        dates = [doc.published.iso(), doc.published.human()] if doc.published else []
        yield SearchRecord("source", doc.title,
                           search_words(doc.outlet or "", doc.author or "", doc.agency or "",
                                        *dates),
                           routes.source(doc.id), source_label(record, language).byline,
                           other_language(doc.language, language))


# --- the archived article, as a tree of blocks and nested passages ---


@dataclass
class Node:
    """A piece of an article: plain text, a highlighted passage, or boilerplate."""

    kind: str  # "text" | "passage" | "boilerplate"
    text: str = ""
    anchor: str = ""
    label: str = ""
    children: list[Node] = field(default_factory=list)
    number: int = 0  # a passage's number on the page, shown at its start and in its note
    start: int = -1  # where a text node begins in the seed (the preview maps selections by it)


@dataclass(frozen=True, slots=True)
class BacklinkView:
    """A link from a passage back to a fact that cites it, on one of the fact's topic pages."""

    url: Url
    topic: str
    statement: str
    against: bool


@dataclass(frozen=True, slots=True)
class PassageNote:
    """What follows a passage: its number, its excerpt, links to the facts that cite it, and a
    link to it in the original article, if known."""

    number: int
    anchor: str
    url: Url  # the passage itself
    excerpt: str
    backlinks: tuple[BacklinkView, ...]
    original: str  # the passage in the original article (a text-fragment link), or ""


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph of the article: its nodes, and notes for the passages that begin in it."""

    boilerplate: bool
    label: str
    nodes: tuple[Node, ...]
    notes: tuple[PassageNote, ...]


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    kind: str
    anchor: str = ""
    label: str = ""
    number: int = 0


def passage_numbers(record: SourceRecord) -> dict[str, int]:
    """Each passage's number, from 1 in the order they begin (an enclosing one first), so that
    neighbouring highlights are told apart by more than colour."""
    ordered = sorted(record.passages, key=lambda p: (p.start, -p.end, p.anchor))
    return {passage.anchor: n for n, passage in enumerate(ordered, start=1)}


def article_blocks(record: SourceRecord, refs: tuple[Backref, ...]) -> list[Block]:
    """The archived text as paragraphs: passages nested as highlights, boilerplate set apart,
    and after each paragraph the notes of the passages that begin in it."""
    text = record.seed.text
    numbers = passage_numbers(record)
    spans = [_Span(p.start, p.end, "passage", p.anchor, number=numbers[p.anchor])
             for p in record.passages]
    spans += [_Span(e.span.start, e.span.end, "boilerplate",
                    label=f"Excluded: {e.reason}" if e.reason else "Excluded")
              for e in _merged_excludes(record)]
    spans.sort(key=lambda s: (s.start, -s.end))
    notes = _passage_notes(record, refs, numbers)
    blocks = []
    for start, end in _block_ranges(text, spans):
        inside = [s for s in spans if start <= s.start and s.end <= end]
        nodes = _nest(text, start, end, inside)
        whole = [s for s in inside if s.kind == "boilerplate"
                 and not text[start:s.start].strip() and not text[s.end:end].strip()]
        if whole:
            blocks.append(Block(True, whole[0].label, tuple(nodes[0].children)
                                if len(nodes) == 1 else tuple(nodes), ()))
            continue
        block_notes = tuple(notes[s.anchor] for s in inside if s.kind == "passage")
        blocks.append(Block(False, "", tuple(nodes), block_notes))
    return blocks


def _merged_excludes(record: SourceRecord) -> list[AnchoredExclude]:
    merged: list[AnchoredExclude] = []
    for exclude in record.excludes:  # sorted by span
        if merged and exclude.span.start <= merged[-1].span.end:
            last = merged[-1]
            if exclude.span.end > last.span.end:
                merged[-1] = AnchoredExclude(Span(last.span.start, exclude.span.end), last.reason)
            continue
        merged.append(exclude)
    return merged


def _block_ranges(text: str, spans: list[_Span]) -> list[tuple[int, int]]:
    """Lines are paragraphs, but a span that crosses a line break joins those lines."""
    lines = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    ranges: list[tuple[int, int]] = []
    for start, end in lines:
        if ranges and any(s.start < ranges[-1][1] + 1 and s.end > start and s.start < start
                          for s in spans):
            ranges[-1] = (ranges[-1][0], end)
        else:
            ranges.append((start, end))
    return [(s, e) for s, e in ranges if text[s:e].strip()]


def _nest(text: str, start: int, end: int, spans: list[_Span]) -> list[Node]:
    """Text between start and end, with spans (sorted, nested, never crossing) as children."""
    nodes: list[Node] = []
    pos = start
    i = 0
    while i < len(spans):
        span = spans[i]
        if span.start > pos:
            nodes.append(Node("text", text[pos:span.start].replace("\r", ""), start=pos))
        inner = []
        j = i + 1
        while j < len(spans) and spans[j].start < span.end:
            inner.append(spans[j])
            j += 1
        nodes.append(Node(span.kind, anchor=span.anchor, label=span.label,
                          children=_nest(text, span.start, span.end, inner),
                          number=span.number))
        pos = max(pos, span.end)
        i = j
    if pos < end:
        nodes.append(Node("text", text[pos:end].replace("\r", ""), start=pos))
    return nodes


def _passage_notes(record: SourceRecord, refs: tuple[Backref, ...],
                   numbers: dict[str, int]) -> dict[str, PassageNote]:
    by_id = {r.fact_id: r for r in refs}
    notes = {}
    for passage in record.passages:
        links = [BacklinkView(place, title, ref.statement, passage.anchor in ref.against)
                 for ref in (by_id[f] for f in passage.fact_ids if f in by_id)
                 for _, title, place in ref.topics]
        excerpt = " ".join(record.seed.text[passage.start:passage.end].split())
        if len(excerpt) > 70:
            excerpt = excerpt[:67].rstrip() + "…"
        original = (passage_fragment(record.doc.url, record.seed.text, passage.start,
                                     passage.end) if record.doc.url else "")
        notes[passage.anchor] = PassageNote(numbers[passage.anchor], passage.anchor,
                                            routes.passage(record.id, passage.anchor), excerpt,
                                            tuple(links), original)
    return notes


SOURCE = PageKind("source", "source.html", routes.source, _view, keys=_keys, search=_search,
                  finds=("source",))
