"""The about page, about/: how this research was made and how a reader can check it, written
from the project's own settings and figures (issue 15: the method was buried on the data page).
"""

from __future__ import annotations

import datetime
from typing import Any

from ... import routes
from ...content.model import PartialDate
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
        dates = [d for s in read.sources() for d in (s.doc.retrieved, s.doc.published) if d]
        if not dates:
            return "", ""
        date = max(dates, key=lambda d: d.sort_key)
    return date.human(), date.iso()


def _view(read: Reader, here: Here) -> dict[str, Any]:
    updated, updated_iso = read.query(last_updated)
    return {"counts": read.query(counts), "support": read.query(research_support),
            "updated": updated, "updated_iso": updated_iso, "description": DESCRIPTION,
            "current": NAME,
            "jsonld": page_of_site(read.config(), here.url, "AboutPage", TITLE, DESCRIPTION)}


ABOUT = PageKind(NAME, "about.html", lambda _key: routes.listing(NAME), _view,
                 menu="About", menu_order=60)
