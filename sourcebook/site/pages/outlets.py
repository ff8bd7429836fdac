"""Outlets: an index, outlets/, and a page per outlet, outlets/<outlet>/, with the outlet's
archived articles (agency copies noted), the facts it reports, and how often another
independent report corroborates them.

An outlet is the `outlet` an annotation names; names that differ only in case or punctuation
("Mint", "mint") are one outlet. Its id is the name made an id. Sources without an outlet are
on no outlet page. Corroboration is counted as everywhere (research.corroboration): a copy of
a wire story counts as the agency's report, not the outlet's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ... import routes
from ...content.model import Stance
from ...research.corroboration import reporter_id, reporter_key
from ...research.model import Fact
from ...routes import Url
from ..jsonld import CONTEXT, page_of_site, part_of_site, with_url
from ..kinds import Here, PageKind, SearchRecord, search_words
from ..reader import Reader, query
from ..views import SourceLabel, chronological, citing, source_label

NAME = "outlets"
TITLE = "Outlets"
DESCRIPTION = ("Every outlet whose articles the research archives: what each reported, and how "
               "often other independent reports corroborate it.")


@dataclass(frozen=True, slots=True)
class Outlet:
    """An outlet: its id, the name its articles give it, and those articles."""

    id: str
    name: str
    sources: tuple[str, ...]  # source ids, sorted


@dataclass(frozen=True, slots=True)
class Article:
    """One of an outlet's archived articles, as its page lists it."""

    label: SourceLabel
    url: Url
    agency: str  # the wire service whose copy it is, or ""


@dataclass(frozen=True, slots=True)
class ReportedFact:
    """A fact an outlet reported, as its page lists it."""

    statement: str
    url: Url  # where the fact is shown
    disputes: bool  # the outlet's evidence disputes the fact
    others: tuple[str, ...]  # independent reports other than the outlet's own


@dataclass(frozen=True, slots=True)
class OutletRow:
    """An outlet as the index lists it: how many articles and reported facts, and how many of the
    facts it supports another independent report corroborates."""

    id: str
    name: str
    url: Url
    articles: int
    facts: int
    corroborated: int


@query
def outlets(read: Reader) -> dict[str, Outlet]:
    """Every outlet, by id; its name as its first article (by source name) writes it."""
    found: dict[str, tuple[str, list[str]]] = {}
    for record in read.sources():
        name = record.doc.outlet
        if name:
            found.setdefault(reporter_id(name), (name, []))[1].append(record.id)
    return {key: Outlet(key, name, tuple(sorted(ids)))
            for key, (name, ids) in sorted(found.items())}


@query
def reported_facts(read: Reader, outlet_id: str) -> tuple[Fact, ...]:
    """The facts with evidence from the outlet's articles, in the order of events."""
    outlet = read.query(outlets).get(outlet_id)
    own = set(outlet.sources) if outlet else set()
    return tuple(chronological(f for f in read.facts()
                               if any(e.source_id in own for e in f.evidence)))


def _own_reporters(read: Reader, outlet: Outlet) -> set[str]:
    return {reporter_id(reporter_key(citing(read, s).doc)) for s in outlet.sources}


def _reported(read: Reader, outlet: Outlet) -> tuple[ReportedFact, ...]:
    own = _own_reporters(read, outlet)
    shown = []
    for fact in read.query(reported_facts, outlet.id):
        mine = [e for e in fact.evidence if e.source_id in outlet.sources]
        shown.append(ReportedFact(
            fact.statement, routes.fact(fact.id, fact.topics),
            all(e.stance is Stance.DISPUTES for e in mine),
            tuple(r for r in fact.reporters if reporter_id(r) not in own)))
    return tuple(shown)


@query
def outlet_rows(read: Reader) -> tuple[OutletRow, ...]:
    """Every outlet as the index lists it, by name."""
    rows = []
    for outlet in read.query(outlets).values():
        facts = _reported(read, outlet)
        rows.append(OutletRow(outlet.id, outlet.name, routes.member(NAME, outlet.id),
                              len(outlet.sources), len(facts),
                              sum(1 for f in facts if f.others and not f.disputes)))
    return tuple(sorted(rows, key=lambda r: (r.name.casefold(), r.id)))


@query
def unnamed_outlets(read: Reader) -> int:
    """How many sources name no outlet."""
    return sum(1 for record in read.sources() if not record.doc.outlet)


def _outlet(read: Reader, outlet_id: str) -> Outlet:
    outlet = read.query(outlets).get(outlet_id)
    assert outlet is not None  # pages are only planned for existing outlets
    return outlet


def _index_view(read: Reader, here: Here) -> dict[str, Any]:
    return {"rows": read.query(outlet_rows), "description": DESCRIPTION, "current": NAME,
            "unnamed": read.query(unnamed_outlets),
            "jsonld": page_of_site(read.config(), here.url, "CollectionPage", TITLE,
                                   DESCRIPTION)}


def _outlet_view(read: Reader, here: Here) -> dict[str, Any]:
    outlet = _outlet(read, here.key)
    articles = []
    for source_id in outlet.sources:
        record = citing(read, source_id)
        articles.append(Article(source_label(record), routes.source(source_id),
                                record.doc.agency or ""))
    facts = _reported(read, outlet)
    supported = [f for f in facts if not f.disputes]
    config = read.config()
    jsonld = with_url({"@context": CONTEXT, "@type": "CollectionPage", "name": outlet.name,
                       "about": {"@type": "NewsMediaOrganization", "name": outlet.name},
                       "isPartOf": part_of_site(config)}, config.absolute(here.url))
    return {"outlet": outlet, "articles": tuple(articles), "facts": facts,
            "corroborated": sum(1 for f in supported if f.others),
            "supported": len(supported), "index_url": routes.listing(NAME), "current": NAME,
            "jsonld": jsonld}


def _search(read: Reader) -> Iterator[SearchRecord]:
    for outlet in read.query(outlets).values():
        agencies = {citing(read, s).doc.agency or "" for s in outlet.sources}
        count = len(outlet.sources)
        yield SearchRecord("outlet", outlet.name, search_words(*sorted(agencies)),
                           routes.member(NAME, outlet.id),
                           f"{count} archived article{'s' * (count != 1)}")


INDEX = PageKind(NAME, "outlets.html", lambda _key: routes.listing(NAME), _index_view,
                 menu="Outlets", menu_order=30)
OUTLET = PageKind("outlet", "outlet.html", lambda key: routes.member(NAME, key), _outlet_view,
                  keys=lambda read: list(read.query(outlets)), search=_search,
                  finds=("outlet",))
