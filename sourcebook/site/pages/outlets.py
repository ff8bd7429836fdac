"""Outlets: an index, outlets/, and a page per outlet, outlets/<outlet>/, with the outlet's
archived articles (agency copies noted), the facts it reports, and how often another
independent report corroborates them.

What an outlet is (its description, kind and home page) comes from content/outlets.yaml, when it
describes the outlet; source pages show it too, next to the outlet's name (`source_outlet`).

An outlet is the `outlet` an annotation names; names that differ only in case or punctuation
("Mint", "mint") are one outlet. Its id is the name made an id. Sources without an outlet are
on no outlet page. Corroboration is counted as everywhere (research.corroboration): a copy of
a wire story counts as the agency's report, not the outlet's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ... import routes
from ...content.ids import slugify
from ...content.model import Stance
from ...research.corroboration import name_id, reporter
from ...research.model import Fact, SourceRecord
from ...routes import Url
from ..factpages import chronological, fact_home
from ..folds import SOURCES, by_id, grouping, tally
from ..jsonld import CONTEXT, page_of_site, part_of_site, with_url
from ..kinds import Here, PageKind, SearchRecord, search_words
from ..reader import Reader, query
from ..views import SourceLabel, citing, source_label

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
class OutletAbout:
    """What pages say of an outlet: its page, and what content/outlets.yaml says of it."""

    id: str
    url: Url  # the outlet's page
    description: str  # "" when content/outlets.yaml does not describe it
    kind: str  # newspaper, wire agency … or ""
    home: str  # its home page, or ""
    home_label: str  # the home page's host, as the link shows it

    @property
    def jsonld(self) -> dict[str, str]:
        """What the outlet's schema.org NewsMediaOrganization adds: its description and
        home page, when known."""
        found = {"description": self.description, "url": self.home}
        return {key: value for key, value in found.items() if value}


@dataclass(frozen=True, slots=True)
class OutletRow:
    """An outlet as the index lists it: how many articles and reported facts, and how many of the
    facts it supports another independent report corroborates."""

    id: str
    name: str
    url: Url
    articles: int
    facts: int
    supported: int  # the facts its articles support (not only dispute)
    corroborated: int  # of those, the ones another independent report supports too
    kind: str  # what content/outlets.yaml calls it (newspaper …), or ""


def outlet_key(name: str) -> str:
    """An outlet's id in its address: its name made an id (`Indian Defence News` →
    indian-defence-news); a name with letters outside a-z also gets a short hash of its
    name_id, so that outlets named in any script each get an address of their own."""
    slug = slugify(name)
    if slug.replace("-", "") == name_id(name):
        return slug
    tag = hashlib.blake2b(name_id(name).encode(), digest_size=4).hexdigest()
    return f"{slug if slug != 'id' else 'outlet'}-{tag}"


def _named_outlet(record: SourceRecord) -> tuple[str, str]:
    return (record.id, record.doc.outlet or "")


@grouping(by_id, over=SOURCES, item=_named_outlet)
def _by_outlet(record: SourceRecord) -> tuple[str, ...]:
    """Each source under its outlet's name_id (as (source, outlet name as it writes it))."""
    return (name_id(record.doc.outlet),) if record.doc.outlet else ()


@query
def outlets(read: Reader) -> dict[str, Outlet]:
    """Every outlet, by id; names that are one by name_id are one outlet, named as its first
    article (by source name) writes it."""
    made = [Outlet(outlet_key(articles[0][1]), articles[0][1], tuple(i for i, _ in articles))
            for articles in read.grouped(_by_outlet).values()]
    return {outlet.id: outlet for outlet in sorted(made, key=lambda o: o.id)}


@query
def outlet_about(read: Reader, outlet_id: str) -> OutletAbout | None:
    """The outlet's page and what content/outlets.yaml says of it; None for no outlet."""
    outlet = read.query(outlets).get(outlet_id)
    if outlet is None:
        return None
    described = read.outlet_description(name_id(outlet.name))
    if described is None:
        return OutletAbout(outlet.id, routes.member(NAME, outlet.id), "", "", "", "")
    home = described.url
    return OutletAbout(outlet.id, routes.member(NAME, outlet.id), described.description,
                       described.kind, home, urlsplit(home).netloc.removeprefix("www.")
                       if home else "")


@query
def source_outlet(read: Reader, source_id: str) -> OutletAbout | None:
    """The outlet of a source, as its page shows it; None for a source that names none."""
    found = [o.id for o in read.query(outlets).values() if source_id in o.sources]
    return read.query(outlet_about, found[0]) if found else None


@query
def reported_facts(read: Reader, outlet_id: str) -> tuple[Fact, ...]:
    """The facts with evidence from the outlet's articles, in the order of events."""
    outlet = read.query(outlets).get(outlet_id)
    own = set(outlet.sources) if outlet else set()
    return tuple(chronological(f for f in read.facts()
                               if any(e.source_id in own for e in f.evidence)))


def _reported(read: Reader, outlet: Outlet) -> tuple[ReportedFact, ...]:
    """Each fact the outlet reports, with the independent reports that support it other than
    the outlet's own articles' reporters (the outlet, or the agency whose copy it ran)."""
    shown = []
    for fact in read.query(reported_facts, outlet.id):
        mine = [e for e in fact.evidence if e.source_id in outlet.sources]
        own = {reporter(citing(read, e.source_id).doc)[0] for e in mine}
        others: dict[str, str] = {}
        for evidence in fact.evidence:
            if evidence.stance is Stance.SUPPORTS:
                key, name = reporter(citing(read, evidence.source_id).doc)
                if key not in own:
                    others.setdefault(key, name)
        shown.append(ReportedFact(
            fact.statement, read.query(fact_home, fact.id),
            all(e.stance is Stance.DISPUTES for e in mine),
            tuple(sorted(others.values(), key=str.casefold))))
    return tuple(shown)


@query
def outlet_rows(read: Reader) -> tuple[OutletRow, ...]:
    """Every outlet as the index lists it, by name."""
    rows = []
    for outlet in read.query(outlets).values():
        facts = _reported(read, outlet)
        supported = [f for f in facts if not f.disputes]
        about = read.query(outlet_about, outlet.id)
        rows.append(OutletRow(outlet.id, outlet.name, routes.member(NAME, outlet.id),
                              len(outlet.sources), len(facts), len(supported),
                              sum(1 for f in supported if f.others),
                              about.kind if about else ""))
    return tuple(sorted(rows, key=lambda r: (r.name.casefold(), r.id)))


@query
def unnamed_outlets(read: Reader) -> int:
    """How many sources name no outlet."""
    return read.tally(_without_outlet)["unnamed"]


@tally(over=SOURCES)
def _without_outlet(record: SourceRecord) -> tuple[str, ...]:
    return () if record.doc.outlet else ("unnamed",)


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
        articles.append(Article(source_label(record, read.config().language),
                                routes.source(source_id),
                                record.doc.agency or ""))
    facts = _reported(read, outlet)
    supported = [f for f in facts if not f.disputes]
    config = read.config()
    about = read.query(outlet_about, outlet.id)
    assert about is not None
    jsonld = with_url({"@context": CONTEXT, "@type": "CollectionPage", "name": outlet.name,
                       "about": {"@type": "NewsMediaOrganization", "name": outlet.name,
                                 **about.jsonld},
                       "isPartOf": part_of_site(config)}, config.absolute(here.url))
    return {"outlet": outlet, "about": about, "articles": tuple(articles), "facts": facts,
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
