"""The archive, sources/: every archived source, oldest first (undated last), with its outlet,
date and how many passages it has cited; in pages of PAGE_SIZE (sources/page/2/, …) so that a
page stays light however large the archive grows. The home page lists only the latest and
links here."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from ... import routes
from ...research.model import SourceRecord
from ...routes import Url
from ..folds import SOURCES, grouping
from ..jsonld import page_of_site
from ..kinds import Here, PageKind
from ..paging import page_count, page_keys, page_links, page_number, page_url
from ..reader import Reader, query
from ..views import SourceLabel, in_page, source_label

NAME = "sources"
TITLE = "Sources"
DESCRIPTION = "Every archived source, with its outlet, its date and how many passages it has cited."
PAGE_SIZE = 200  # sources per page: about 50 KB of HTML


@dataclass(frozen=True, slots=True)
class SourceRow:
    """A source as lists show it, with how many passages it has cited."""

    label: SourceLabel
    url: Url
    passages: int


def _row(record: SourceRecord) -> SourceRow:
    return SourceRow(source_label(record), routes.source(record.id), len(record.passages))


def rows_in_page(rows: tuple[SourceRow, ...], page_language: str) -> tuple[SourceRow, ...]:
    """Rows as a page in `page_language` lists them (views.in_page): the rows are made
    without the site's settings, so that they do not depend on them."""
    return tuple(row if not row.label.lang else
                 dataclasses.replace(row, label=in_page(row.label, page_language))
                 for row in rows)


def _oldest_first(record: SourceRecord) -> tuple[str, str]:
    published = record.doc.published
    return (published.iso() if published else "9999", record.id)


@grouping(_oldest_first, over=SOURCES, item=_row)
def _archived(_record: SourceRecord) -> tuple[str]:
    return ("all",)


@query
def source_rows(read: Reader) -> tuple[SourceRow, ...]:
    """Every source, oldest first, undated last (a rebuild remakes the rows of the sources
    that changed only)."""
    return read.grouped(_archived).get("all", ())


def _keys(read: Reader) -> list[str]:
    return page_keys(len(read.sources()), PAGE_SIZE)


def archive_page(key: str) -> Url:
    """Page `key` ('', '2', '3' …) of the archive."""
    return page_url(NAME, key)


def _view(read: Reader, here: Here) -> dict[str, Any]:
    rows = read.query(source_rows)
    number = page_number(here.key)
    first = (number - 1) * PAGE_SIZE
    pages = page_links(NAME, page_count(len(rows), PAGE_SIZE), number)
    return {"rows": rows_in_page(rows[first:first + PAGE_SIZE], read.config().language),
            "total": len(rows), "first": first + 1,
            "number": number,
            "pages": pages, "description": DESCRIPTION, "current": NAME,
            "jsonld": page_of_site(read.config(), here.url, "CollectionPage", TITLE,
                                   DESCRIPTION)}


ARCHIVE = PageKind(NAME, "archive.html", archive_page, _view, keys=_keys, menu="Sources",
                   menu_order=5)
