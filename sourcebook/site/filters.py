"""How a reader slices a list of facts (a topic page, the timeline): the filter bar's facets with
their options and counts, the links that open a list already filtered, and the year groups and
table of contents of a long list.

Each fact carries its facet values (views.fact_facets) as data attributes; static/filter.js
hides the facts that do not match and reads and writes the filters in the query string
(`?status=disputed`), so a count on the page can link to its facts. Without JavaScript the bar
stays hidden and every fact is shown.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .. import routes
from ..content.model import Status
from ..research.corroboration import name_id
from ..routes import Url
from .views import STATUS_LABELS, FactView

# The facets a list can be filtered by, in the bar's order, with their labels.
FACETS = (("topic", "Topic"), ("support", "Support"), ("stance", "Evidence against"),
          ("status", "Status"), ("outlet", "Outlet"), ("year", "Year"))

# The options of the facets whose values are fixed, in the order the bar lists them.
FIXED_OPTIONS: dict[str, dict[str, str]] = {
    "support": {"corroborated": "Two or more independent reports",
                "single": "A single source"},
    "stance": {"contested": "Some evidence against it", "uncontested": "No evidence against it"},
    "status": {"disputed": "Disputed", "noted": "Any status note",
               **{status.value: STATUS_LABELS[status] for status in Status
                  if status is not Status.DISPUTED},
               "none": "No status note"},
}

LONG_LIST = 12  # a list of more facts than this is grouped by year, with a table of contents


@dataclass(frozen=True, slots=True)
class FilterOption:
    """One value of a facet, with how many of the list's facts have it."""

    value: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class FilterFacet:
    """A facet of the filter bar: a select of its options."""

    name: str
    label: str
    options: tuple[FilterOption, ...]


@dataclass(frozen=True, slots=True)
class FilterBar:
    """The filter bar of a list of facts: the facets that tell its facts apart."""

    facets: tuple[FilterFacet, ...]
    total: int
    anchor: str = routes.FILTER_ANCHOR


def filter_bar(views: Iterable[FactView], titles: dict[str, str],
               current_topic: str = "") -> FilterBar:
    """The bar for these facts. A facet is left out when choosing any of its options would
    still show every fact (a topic page is not filtered by its own topic)."""
    views = tuple(views)
    counts: dict[str, Counter[str]] = {name: Counter() for name, _ in FACETS}
    for view in views:
        for name, values in view.facets:
            counts[name].update(values.split())
    counts["topic"].pop(current_topic, None)
    outlets = {name_id(c.source.outlet): c.source.outlet for v in views for c in v.citations
               if c.source.outlet}
    labels = {"topic": titles, "outlet": outlets, "year": {"undated": "Undated"},
              **FIXED_OPTIONS}
    facets = []
    for name, label in FACETS:
        found = counts[name]
        options = tuple(FilterOption(value, labels[name].get(value, value), found[value])
                        for value in _ordered(name, found, labels[name]))
        if any(option.count < len(views) for option in options):
            facets.append(FilterFacet(name, "Also in topic" if name == "topic" and current_topic
                                      else label, options))
    return FilterBar(tuple(facets), len(views))


def _ordered(name: str, found: Counter[str], labels: dict[str, str]) -> list[str]:
    """A facet's values in the bar's order: fixed ones as declared, topics in the topics'
    order, outlets by name, years oldest first with the undated last."""
    if name in FIXED_OPTIONS or name == "topic":
        return [value for value in labels if found[value]]
    if name == "outlet":
        return sorted(found, key=lambda value: (labels[value].casefold(), value))
    return sorted(found, key=lambda value: (value == "undated", value))


@dataclass(frozen=True, slots=True)
class SupportLinks:
    """Where a page's support figures link: its list of facts, filtered to those counted."""

    corroborated: Url | None  # None: the figure is not a link (no one list holds those facts)
    single_source: Url | None
    disputed: Url | None
    flagged: Url | None


NO_LINKS = SupportLinks(None, None, None, None)


def support_links(listing: Url) -> SupportLinks:
    """The support figures' links into a list page of the same facts."""
    return SupportLinks(routes.filtered(listing, support="corroborated"),
                        routes.filtered(listing, support="single"),
                        routes.filtered(listing, status="disputed"),
                        routes.filtered(listing, status="noted"))


@dataclass(frozen=True, slots=True)
class FactGroup:
    """The facts of one year in a long list (or its undated facts), under a heading with an
    id that its table of contents links to."""

    id: str
    label: str
    facts: tuple[FactView, ...]
    dated: bool
    url: Url  # its heading, for the table of contents


@dataclass(frozen=True, slots=True)
class YearLink:
    """A year in the table of contents of a long list (or its undated facts): how many facts
    it has, and the heading where it begins (on a paged list, maybe on another page)."""

    id: str  # the id of its heading's group (year_anchor)
    label: str
    count: int
    url: Url


def year_groups(views: Iterable[FactView], page: Url) -> tuple[FactGroup, ...]:
    """Facts already in the order of events, grouped by year, the undated ones last, as the
    list on `page` shows them."""
    years: dict[str, list[FactView]] = {}
    for view in views:
        years.setdefault(view.date_iso[:4] or "undated", []).append(view)
    return tuple(FactGroup(routes.year_anchor(year), "Undated" if year == "undated" else year,
                           tuple(items), year != "undated", page.at(routes.year_anchor(year)))
                 for year, items in sorted(years.items(),
                                           key=lambda item: (item[0] == "undated", item[0])))
