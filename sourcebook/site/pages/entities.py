"""People and organisations: the index, entities/, and a page per entity, entities/<id>/, with
what it stated (it is a claim's speaker) and the facts whose statement names it."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ... import routes
from ...content.languages import other_language
from ...content.model import Entity
from ...research.model import Fact, SourceRecord
from ...routes import Url
from ..factpages import order_of_events
from ..folds import SOURCES, by_id, grouping
from ..jsonld import CONTEXT, page_of_site, with_url
from ..kinds import Here, PageKind, SearchRecord, search_words
from ..reader import Reader, query
from ..views import fact_views, topic_titles

NAME = "entities"
TITLE = "People and organisations"
FULL_FACTS = 40  # past this many facts, each is a line linking to its evidence (page weight)
DESCRIPTION = ("Everyone the sources quote or name, with the facts they stated and the facts "
               "about them.")


@dataclass(frozen=True, slots=True)
class EntityRow:
    """An entity as the index lists it: how many facts it stated, and how many others name it."""

    id: str
    name: str
    kind: str
    role: str
    aliases: tuple[str, ...]
    url: Url
    stated: int
    about: int


@query
def entity_index(read: Reader) -> dict[str, tuple[tuple[Fact, ...], tuple[Fact, ...]]]:
    """Per entity: the facts it stated, and the other facts that name it; in date order."""
    groups = read.grouped(_entities_of)
    return {e.id: (groups.get(f"said {e.id}", ()), groups.get(f"named {e.id}", ()))
            for e in read.entities()}


@grouping(order_of_events)
def _entities_of(fact: Fact) -> Iterator[str]:
    """"said <entity>" for each speaker of the fact, "named <entity>" for each other entity
    its statement names."""
    for speaker in dict.fromkeys(fact.speakers):
        yield f"said {speaker}"
    for entity in dict.fromkeys(fact.mentions):
        if entity not in fact.speakers:
            yield f"named {entity}"


@query
def entity_facts(read: Reader, entity_id: str) -> tuple[tuple[Fact, ...], tuple[Fact, ...]]:
    """The facts one entity stated, and the facts that name it."""
    return read.query(entity_index).get(entity_id, ((), ()))


@dataclass(frozen=True, slots=True)
class NamedIn:
    """An archived source whose text names an entity (by name or alias)."""

    title: str
    url: Url
    lang: str = ""  # the title's language, if the annotation gives one (other_language decides)


def _named_in(record: SourceRecord) -> NamedIn:
    return NamedIn(record.doc.title, routes.source(record.doc.id), record.doc.language or "")


@grouping(by_id, over=SOURCES, item=_named_in)
def _names_in(record: SourceRecord) -> tuple[str, ...]:
    return record.names


@query
def named_in_index(read: Reader) -> dict[str, tuple[NamedIn, ...]]:
    """Each entity's archived sources whose text names it (by name or alias), in source
    order; the facts stage found the names, one scan per seed."""
    return read.grouped(_names_in)


@query
def entity_named_in(read: Reader, entity_id: str) -> tuple[NamedIn, ...]:
    """The archived sources whose text names the entity, in source order: a way on from an
    entity that no fact quotes or names yet."""
    return read.query(named_in_index).get(entity_id, ())


@query
def entity_rows(read: Reader) -> tuple[EntityRow, ...]:
    """Every entity as the index lists it: by kind, then name."""
    index = read.query(entity_index)
    rows = [EntityRow(e.id, e.name, e.kind, e.role, e.aliases, routes.entity(e.id),
                      len(index[e.id][0]), len(index[e.id][1])) for e in read.entities()]
    return tuple(sorted(rows, key=lambda r: (r.kind, r.name.casefold(), r.id)))


def _index_view(read: Reader, here: Here) -> dict[str, Any]:
    rows = read.query(entity_rows)
    return {"people": tuple(r for r in rows if r.kind == "person"),
            "organisations": tuple(r for r in rows if r.kind != "person"),
            "description": DESCRIPTION, "current": NAME,
            "jsonld": page_of_site(read.config(), here.url, "CollectionPage", TITLE,
                                   DESCRIPTION)}


def _entity(read: Reader, entity_id: str) -> Entity:
    entity = read.entity(entity_id)
    assert entity is not None  # pages are only planned for existing entities
    return entity


def _entity_view(read: Reader, here: Here) -> dict[str, Any]:
    entity = _entity(read, here.key)
    stated, about = read.query(entity_facts, entity.id)
    shown = fact_views(read, (*stated, *about))
    language = read.config().language
    return {"entity": entity, "stated": tuple(shown[:len(stated)]),
            "about": tuple(shown[len(stated):]), "topic_titles": read.query(topic_titles),
            "compact": len(shown) > FULL_FACTS, "full_facts": FULL_FACTS,
            "named_in": tuple(dataclasses.replace(n, lang=other_language(n.lang, language))
                              for n in read.query(entity_named_in, entity.id)),
            "index_url": routes.listing(NAME), "current": NAME,
            "jsonld": _jsonld(read, entity)}


def _jsonld(read: Reader, entity: Entity) -> dict[str, Any]:
    data: dict[str, Any] = {"@context": CONTEXT,
                            "@type": "Person" if entity.kind == "person" else "Organization",
                            "name": entity.name}
    if entity.role:
        data["description"] = entity.role
    if entity.aliases:
        data["alternateName"] = list(entity.aliases)
    return with_url(data, read.config().absolute(routes.entity(entity.id)))


def _search(read: Reader) -> Iterator[SearchRecord]:
    for entity in sorted(read.entities(), key=lambda e: e.id):
        yield SearchRecord("entity", entity.name, search_words(entity.role, *entity.aliases),
                           routes.entity(entity.id), entity.role)


INDEX = PageKind(NAME, "entities.html", lambda _key: routes.listing(NAME), _index_view,
                 menu="People", menu_order=20)
ENTITY = PageKind("entity", "entity.html", routes.entity, _entity_view,
                  keys=lambda read: [e.id for e in read.entities()], search=_search,
                  finds=("entity",))
