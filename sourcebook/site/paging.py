"""Paged listings: a listing too long for one page (the archive of sources, the timeline, a
topic's facts) is cut into pages of a fixed number of items, the first at the listing's own
address and the others at <listing>/page/<n>/ (routes.listing_page, routes.topic_page). A
listing's page key is '' for the first, then '2', '3' …"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .. import routes
from ..content.model import PartialDate
from ..routes import Url


@dataclass(frozen=True, slots=True)
class PageLink:
    """One page of a paged listing, as its page navigation links to it."""

    number: int
    url: Url
    current: bool
    label: str = ""  # what the page holds, when the numbers alone do not say (a date range)


def page_count(total: int, size: int) -> int:
    """How many pages `total` items take at `size` a page: at least one."""
    return max(1, -(-total // size))


def page_key(number: int) -> str:
    """The key of page `number` (from 1): '' for the first, as menus name the listing."""
    return "" if number == 1 else str(number)


def page_number(key: str) -> int:
    """The number of the page with this key."""
    return int(key or 1)


def page_keys(total: int, size: int) -> list[str]:
    """The keys of every page of a listing of `total` items."""
    return [page_key(n) for n in range(1, page_count(total, size) + 1)]


def page_numbers(pages: tuple[tuple[str, ...], ...]) -> dict[str, int]:
    """The page (from 1) that lists each item, by item, from the items of each page."""
    return {item: number for number, items in enumerate(pages, start=1) for item in items}


def page_url(name: str, key: str) -> Url:
    """The address of the page with this key of the listing `name`."""
    return routes.listing_page(name, page_number(key))


def page_links(name: str, count: int, current: int, labels: tuple[str, ...] = (),
               route: Callable[[int], Url] | None = None) -> tuple[PageLink, ...]:
    """The page navigation of a listing of `count` pages: every page, the current one marked,
    each with its label if `labels` gives one. `route` gives page n's address when it is not
    the listing `name`'s (a topic's pages)."""
    url = route or (lambda n: routes.listing_page(name, n))
    return tuple(PageLink(n, url(n), n == current, labels[n - 1] if n <= len(labels) else "")
                 for n in range(1, count + 1))


def dates_label(dates: Sequence[PartialDate | None]) -> str:
    """What a page of facts in the order of events covers, from the dates of its first and
    last fact: 'October 2018 to April 2021' (with an en dash for 'to'), one date, or
    'undated'."""
    words = [d.human() if d else "undated" for d in dates]
    return words[0] if len(set(words)) == 1 else f"{words[0]} \u2013 {words[-1]}"
