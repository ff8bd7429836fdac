"""The about page, about/: how this research was made and how a reader can check it, written
from the project's own settings and figures (issue 15: the method was buried on the data page).
"""

from __future__ import annotations

import datetime
from typing import Any

from ... import routes
from ...content.model import PartialDate
from ...research.model import SourceRecord
from ..folds import SOURCES, grouping
from ..jsonld import page_of_site
from ..kinds import Here, PageKind
from ..reader import Reader, query
from ..views import counts, research_support

NAME = "about"
TITLE = "About this research"
DESCRIPTION = "How this research was made, what was checked, and how to check a fact yourself."


@query
def last_updated(read: Reader) -> tuple[str, str]:
    """When the research was last updated, as (words, ISO date): SOURCE_DATE_EPOCH if the
    build has one, otherwise the latest date the sources give (retrieved or published). Never
    the clock: the same inputs give the same page."""
    config = read.config()
    if config.source_date_epoch is not None:
        day = datetime.datetime.fromtimestamp(config.source_date_epoch, datetime.UTC).date()
        date = PartialDate(day.year, day.month, day.day)
    else:
        dated = read.grouped(_latest_dates).get("dated")
        if not dated:
            return "", ""
        date = dated[-1]
    return date.human(), date.iso()


def _latest_date(record: SourceRecord) -> PartialDate | None:
    """The latest date a source gives: when it was retrieved, or published."""
    dates = [d for d in (record.doc.retrieved, record.doc.published) if d]
    return max(dates, key=lambda d: d.sort_key) if dates else None


def _by_latest_date(record: SourceRecord) -> tuple[tuple[int, ...], str]:
    date = _latest_date(record)
    return (date.sort_key if date else (), record.id)


@grouping(_by_latest_date, over=SOURCES, item=_latest_date)
def _latest_dates(record: SourceRecord) -> tuple[str, ...]:
    """Every source with a date, latest last (a rebuild moves only a source whose dates
    changed)."""
    return ("dated",) if _latest_date(record) else ()


def _view(read: Reader, here: Here) -> dict[str, Any]:
    updated, updated_iso = read.query(last_updated)
    return {"counts": read.query(counts), "support": read.query(research_support),
            "updated": updated, "updated_iso": updated_iso, "description": DESCRIPTION,
            "current": NAME,
            "jsonld": page_of_site(read.config(), here.url, "AboutPage", TITLE, DESCRIPTION)}


ABOUT = PageKind(NAME, "about.html", lambda _key: routes.listing(NAME), _view,
                 menu="About", menu_order=60)
