"""The client-side search index, as a JavaScript file: one record per topic, fact, source and
entity.

The index is a script that assigns a global (``window.SOURCEBOOK_SEARCH``) rather than JSON
fetched with XHR, so search also works when the site is opened from ``file://``. Nothing is
HTML-escaped here: ``static/search.js`` inserts every string with ``textContent``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from .model import Entity, Fact, Research, SourceRecord, Topic
from .views import source_label

GLOBAL = "window.SOURCEBOOK_SEARCH"


def _join(parts: list[str]) -> str:
    """Non-empty parts, each once, in order, separated by spaces."""
    return " ".join(dict.fromkeys(p.strip() for p in parts if p and p.strip()))


def _fact_record(fact: Fact, titles: dict[str, str], entities: dict[str, Entity]) -> dict:
    topic_titles = [titles.get(t, t) for t in fact.topics]
    speakers = [entities[s].name if s in entities else s for s in fact.speakers]
    quotes = [e.quote for e in fact.evidence]
    date = fact.date.human() if fact.date else ""
    first_topic = fact.topics[0] if fact.topics else ""
    return {
        "kind": "fact",
        "title": fact.statement,
        "text": _join([*topic_titles, *speakers, *quotes]),
        "href": f"topics/{first_topic}/#f-{fact.id}",
        "meta": " · ".join(p for p in (", ".join(topic_titles), date) if p),
    }


def _source_record(record: SourceRecord) -> dict:
    doc = record.doc
    label = source_label(record)
    dates = [doc.published.iso(), doc.published.human()] if doc.published else []
    return {
        "kind": "source",
        "title": doc.title,
        "text": _join([doc.outlet or "", doc.author or "", doc.agency or "", *dates]),
        "href": f"sources/{doc.id}/",
        "meta": label.byline,
    }


def _topic_record(topic: Topic) -> dict:
    return {
        "kind": "topic",
        "title": topic.title,
        "text": _join(list(topic.aliases)),
        "href": f"topics/{topic.id}/",
        "meta": topic.summary,
    }


def _entity_record(entity: Entity) -> dict:
    return {
        "kind": "entity",
        "title": entity.name,
        "text": _join([entity.role, *entity.aliases]),
        "href": f"entities/{entity.id}/",
        "meta": entity.role,
    }


def search_records(research: Research) -> list[dict]:
    """One record per topic, fact, source and entity, in that order, each by id."""
    return list(_records(research))


def _records(research: Research) -> Iterator[dict]:
    titles = {t.id: t.title for t in research.topics}
    yield from (_topic_record(t) for t in sorted(research.topics, key=lambda t: t.id))
    yield from (_fact_record(f, titles, research.entities)
                for f in sorted(research.facts, key=lambda f: f.id))
    yield from (_source_record(s) for s in sorted(research.sources, key=lambda s: s.id))
    yield from (_entity_record(e) for e in sorted(research.entities.values(), key=lambda e: e.id))


def search_index_js(research: Research) -> bytes:
    """``window.SOURCEBOOK_SEARCH = [...];`` as UTF-8: compact JSON, the same bytes every build.

    "</" is written "<\\/" (the same string to JSON and to JavaScript) so the text can never
    close a <script> element, and U+2028/U+2029 are escaped for older JavaScript parsers.
    """
    return "".join(search_index_chunks(research)).encode()


def search_index_chunks(research: Research) -> Iterator[str]:
    """search_index_js as text, one record at a time (never the whole index in memory)."""
    yield f"{GLOBAL} = ["
    for i, record in enumerate(_records(research)):
        text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        yield ("," if i else "") + (text.replace("</", "<\\/")
                                    .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    yield "];\n"
