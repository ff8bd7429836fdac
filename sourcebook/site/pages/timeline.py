"""The timeline, timeline/: every dated fact in the order of events, grouped by year, each date
at its precision; a chart of facts per topic and period (a year, or the quarters or months of a
year dense with facts: see ``timebins``), with a table for phones; a filter bar.

A long timeline is cut into pages of PAGE_FACTS facts (timeline/page/2/ …), each page labelled
with the dates it covers; the chart is on the first, and its years link to the page where each
begins."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from markupsafe import Markup

from ... import routes
from ...content.model import PartialDate
from ...research.model import Fact
from ...routes import Url
from ..charts import TimelineSeries, timeline_svg
from ..factpages import order_of_events
from ..filters import filter_bar
from ..folds import grouping
from ..jsonld import page_of_site
from ..kinds import Here, PageKind
from ..paging import dates_label, page_key, page_links, page_number, page_numbers, page_url
from ..reader import Reader, query
from ..timebins import binning_note, period_of, timeline_periods
from ..views import FactView, fact_views, listed_topics, topic_titles

NAME = "timeline"
TITLE = "Timeline"
DESCRIPTION = "Every dated fact in the order of events, with the precision of each date."
PAGE_FACTS = 500  # facts a page: about 400 KB of HTML


@dataclass(frozen=True, slots=True)
class TimelineYear:
    """The dated facts of one year, as the timeline shows them."""

    year: int
    facts: tuple[FactView, ...]

    @property
    def anchor(self) -> str:
        """The id of the year's heading."""
        return routes.year_anchor(str(self.year))


@dataclass(frozen=True, slots=True)
class PeriodRow:
    """A row of the timeline's table (what phones show instead of the chart): a column of the
    chart (a year, or a quarter or month of a dense year), the link to its year's part of the
    list, and its dated facts per shown topic."""

    label: str
    url: Url
    counts: tuple[int, ...]


def period_rows(series: list[TimelineSeries],
                year_url: Callable[[int], Url]) -> tuple[PeriodRow, ...]:
    """The table's rows: the chart's periods that hold facts, counting each topic's facts
    (series in the order of the table's columns)."""
    periods = timeline_periods([s.dates for s in series])
    counts = [Counter(period_of(periods, date) for date in s.dates) for s in series]
    return tuple(PeriodRow(p.label, year_url(p.year),
                           tuple(c[p] for c in counts))
                 for p in periods if any(c[p] for c in counts))


class Moment(NamedTuple):
    """What the timeline's plan and chart read of a fact: not its statement, so that editing
    one leaves them as they are."""

    id: str
    date: PartialDate | None
    topics: tuple[str, ...]


def _moment(fact: Fact) -> Moment:
    return Moment(fact.id, fact.date, fact.topics)


@query
def dated_facts(read: Reader) -> tuple[Moment, ...]:
    """Every dated fact, in the order of events."""
    return read.grouped(_dated_or_not).get("dated", ())


@grouping(order_of_events, item=_moment)
def _dated_or_not(fact: Fact) -> tuple[str]:
    return ("dated",) if fact.date is not None else ("undated",)


def undated_facts(read: Reader) -> tuple[Moment, ...]:
    """Every fact without a date, by id."""
    return read.grouped(_dated_or_not).get("undated", ())


def timeline_years(views: list[FactView]) -> tuple[TimelineYear, ...]:
    """The facts grouped by year, each group in the order given."""
    years: dict[int, list[FactView]] = {}
    for view in views:
        years.setdefault(int(view.date_iso[:4]), []).append(view)
    return tuple(TimelineYear(year, tuple(items)) for year, items in years.items())


@dataclass(frozen=True, slots=True)
class ChartData:
    """What the chart and its table show: each listed topic's dated facts as (year, month or
    None), and the chart in words. Statements play no part, so editing one leaves it as is."""

    series: tuple[tuple[str, str, tuple[tuple[int, int | None], ...]], ...]  # id, title, dates
    description: str


@query
def chart_data(read: Reader) -> ChartData:
    """The chart's series, topic by topic in the listed topics' order."""
    dated = read.query(dated_facts)
    series = []
    for topic in read.query(listed_topics):
        dates = tuple((f.date.year, f.date.month) for f in dated
                      if topic.id in f.topics and f.date is not None)
        if dates:
            series.append((topic.id, topic.title, dates))
    return ChartData(tuple(series), timeline_description(dated))


def timeline_description(dated: tuple[Moment, ...]) -> str:
    """The chart in words: how many dated facts, over which years, in how many topics."""
    if not dated:
        return "No dated facts yet."
    first, last = dated[0].date, dated[-1].date
    assert first is not None and last is not None
    return (f"{len(dated)} dated facts from {first.year} to {last.year}, in "
            f"{len({t for f in dated for t in f.topics})} topics; each circle's area shows how "
            "many facts of a topic fall in a year. The list below gives every fact.")


@query
def timeline_pages(read: Reader) -> tuple[tuple[str, ...], ...]:
    """The fact ids of each page, in the timeline's order: dated facts by date, then undated."""
    ordered = [*read.query(dated_facts), *undated_facts(read)]
    return tuple(tuple(f.id for f in ordered[start:start + PAGE_FACTS])
                 for start in range(0, max(len(ordered), 1), PAGE_FACTS))


@query
def timeline_page_count(read: Reader) -> int:
    """How many pages the timeline has (one, until it holds more than PAGE_FACTS facts)."""
    return len(read.query(timeline_pages))


@dataclass(frozen=True, slots=True)
class TimelinePlan:
    """The pages of the timeline, as every page needs them: which facts each shows and its
    label, the page where each year begins, and where the undated facts are."""

    pages: tuple[tuple[str, ...], ...]  # fact ids, page by page
    labels: tuple[str, ...]
    year_pages: tuple[tuple[int, int], ...]  # (year, the page where it begins)
    undated_count: int
    undated_page: int  # where the undated facts begin


@query
def timeline_plan(read: Reader) -> TimelinePlan:
    """The timeline's plan: a page reads it and its own facts, never the whole list, so an
    edited fact re-makes only the page that shows it."""
    pages = read.query(timeline_pages)
    where = page_numbers(pages)
    year_pages: dict[int, int] = {}
    for fact in read.query(dated_facts):
        assert fact.date is not None
        year_pages.setdefault(fact.date.year, where[fact.id])
    undated = [f.id for f in undated_facts(read)]
    ordered = [*read.query(dated_facts), *undated_facts(read)]
    labels = tuple(dates_label([ordered[start].date, ordered[start + len(ids) - 1].date])
                   if ids else "" for start, ids in zip(
                       range(0, PAGE_FACTS * len(pages), PAGE_FACTS), pages, strict=True))
    return TimelinePlan(pages, labels, tuple(year_pages.items()), len(undated),
                        where[undated[0]] if undated else 1)


def _keys(read: Reader) -> list[str]:
    return [page_key(n) for n in range(1, read.query(timeline_page_count) + 1)]


def _view(read: Reader, here: Here) -> dict[str, Any]:
    plan = read.query(timeline_plan)
    number = page_number(here.key)
    first_of_year = dict(plan.year_pages)

    def year_url(year: int) -> Url:
        return routes.listing_page(NAME, first_of_year.get(year, 1)).at(
            routes.year_anchor(str(year)))

    facts = [fact for fid in plan.pages[number - 1] if (fact := read.fact(fid)) is not None]
    on_page = tuple(f for f in facts if f.date is not None)
    views = fact_views(read, facts)  # one numbering of citations: unique ids
    years = timeline_years(views[:len(on_page)])
    titles = read.query(topic_titles)
    chart, rows, shown = "", (), ()
    if number == 1:  # the chart and its table
        data = read.query(chart_data)
        series = [TimelineSeries(topic_id, title, here.link(routes.topic(topic_id)), dates)
                  for topic_id, title, dates in data.series]
        chart = timeline_svg(series, id_prefix="timeline-chart",
                             title="Facts per topic and period", description=data.description)
        rows = period_rows(series, year_url)
        charted = {s.topic_id for s in series}
        shown = tuple(t for t in read.query(listed_topics) if t.id in charted)
    return {"years": years, "bar": filter_bar(views, titles), "shown": shown,
            "rows": rows, "chart": Markup(chart), "chart_note": binning_note(),
            "undated": views[len(on_page):], "undated_count": plan.undated_count,
            "undated_url": routes.listing_page(NAME, plan.undated_page).at("undated"),
            "pages": page_links(NAME, len(plan.pages), number, plan.labels),
            "number": number, "page_size": PAGE_FACTS,
            "topic_titles": titles, "description": DESCRIPTION,
            "current": NAME,
            "jsonld": page_of_site(read.config(), here.url, "CollectionPage", TITLE,
                                   DESCRIPTION)}


TIMELINE = PageKind(NAME, "timeline.html", lambda key: page_url(NAME, key), _view, keys=_keys,
                    menu="Timeline", menu_order=10)
