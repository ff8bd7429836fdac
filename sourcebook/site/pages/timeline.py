"""The timeline, timeline/: every dated fact in the order of events, grouped by year, each date
at its precision; a chart of facts per topic and year; a topic filter."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ... import routes
from ...research.model import Fact
from ...routes import Url
from ..charts import TimelineSeries, timeline_svg
from ..filters import filter_bar
from ..jsonld import page_of_site
from ..kinds import Here, PageKind
from ..reader import Reader, query
from ..views import FactView, chronological, fact_views, listed_topics, topic_titles

NAME = "timeline"
TITLE = "Timeline"
DESCRIPTION = "Every dated fact in the order of events, with the precision of each date."


@dataclass(frozen=True, slots=True)
class TimelineYear:
    """The dated facts of one year, as the timeline shows them."""

    year: int
    facts: tuple[FactView, ...]


@dataclass(frozen=True, slots=True)
class TopicFilter:
    """A topic of the timeline's filter, with how many dated facts it has."""

    id: str
    title: str
    count: int


@dataclass(frozen=True, slots=True)
class YearRow:
    """A row of the timeline's table (what phones show instead of the chart): a year, the
    link to its part of the list, and its dated facts per shown topic."""

    year: int
    url: Url
    counts: tuple[int, ...]


def year_rows(years: tuple[TimelineYear, ...],
              shown: tuple[TopicFilter, ...]) -> tuple[YearRow, ...]:
    """The table's rows, one per year, counting each shown topic's facts."""
    return tuple(YearRow(y.year, routes.listing(NAME).at(f"y-{y.year}"),
                         tuple(sum(topic.id in fact.topics for fact in y.facts)
                               for topic in shown)) for y in years)


@query
def dated_facts(read: Reader) -> tuple[Fact, ...]:
    """Every dated fact, in the order of events."""
    return tuple(f for f in chronological(read.facts()) if f.date is not None)


def timeline_years(views: list[FactView]) -> tuple[TimelineYear, ...]:
    """The facts grouped by year, each group in the order given."""
    years: dict[int, list[FactView]] = {}
    for view in views:
        years.setdefault(int(view.date_iso[:4]), []).append(view)
    return tuple(TimelineYear(year, tuple(items)) for year, items in years.items())


def timeline_series(read: Reader, dated: tuple[Fact, ...], here: Here) -> list[TimelineSeries]:
    """Facts per topic and year, for the timeline chart."""
    series = []
    for topic in read.query(listed_topics):
        years: dict[int, int] = {}
        for fact in dated:
            if topic.id in fact.topics and fact.date is not None:
                years[fact.date.year] = years.get(fact.date.year, 0) + 1
        if years:
            series.append(TimelineSeries(topic.id, topic.title,
                                         here.link(routes.topic(topic.id)),
                                         tuple(sorted(years.items()))))
    return series


def timeline_description(dated: tuple[Fact, ...]) -> str:
    """The chart in words: how many dated facts, over which years, in how many topics."""
    if not dated:
        return "No dated facts yet."
    first, last = dated[0].date, dated[-1].date
    assert first is not None and last is not None
    return (f"{len(dated)} dated facts from {first.year} to {last.year}, in "
            f"{len({t for f in dated for t in f.topics})} topics; each circle's area shows how "
            "many facts of a topic fall in a year. The list below gives every fact.")


def _view(read: Reader, here: Here) -> dict[str, Any]:
    dated = read.query(dated_facts)
    chart = timeline_svg(timeline_series(read, dated, here), id_prefix="timeline-chart",
                         title="Facts per topic and year",
                         description=timeline_description(dated))
    undated = tuple(f for f in read.facts() if f.date is None)
    # A topic whose facts are all undated is still on the page (issue 15: AK-203 was missing).
    filters = tuple(TopicFilter(t.id, t.title, sum(t.id in f.topics for f in (*dated, *undated)))
                    for t in read.query(listed_topics))
    views = fact_views(read, (*dated, *undated))  # one numbering of citations: unique ids
    years = timeline_years(views[:len(dated)])
    shown = tuple(f for f in filters if any(f.id in fact.topics for fact in dated))  # table
    titles = read.query(topic_titles)
    return {"years": years, "bar": filter_bar(views, titles), "shown": shown,
            "rows": year_rows(years, shown),
            "chart": Markup(chart), "undated": views[len(dated):],
            "undated_url": routes.listing(NAME).at("undated"),
            "topic_titles": titles, "description": DESCRIPTION,
            "current": NAME,
            "jsonld": page_of_site(read.config(), here.url, "CollectionPage", TITLE,
                                   DESCRIPTION)}


TIMELINE = PageKind(NAME, "timeline.html", lambda _key: routes.listing(NAME), _view,
                    menu="Timeline", menu_order=10)
