"""The search page, search/: searches the index that the search-index export writes, in the
browser, offline. It asks search engines not to index it."""

from __future__ import annotations

from typing import Any

from ... import routes
from ..jsonld import page_of_site
from ..kinds import Here, PageKind
from ..reader import Reader
from ..views import counts

NAME = "search"
TITLE = "Search"
DESCRIPTION = "Search the facts, sources, people and organisations of this research."


def _view(read: Reader, here: Here) -> dict[str, Any]:
    return {"counts": read.query(counts), "description": DESCRIPTION, "current": NAME,
            "jsonld": page_of_site(read.config(), here.url, "SearchResultsPage", TITLE,
                                   DESCRIPTION)}


SEARCH = PageKind(NAME, "search.html", lambda _key: routes.listing(NAME), _view,
                  menu="Search", menu_order=40, in_sitemap=False)
