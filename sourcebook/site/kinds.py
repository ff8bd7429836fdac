"""How a page kind and an export are declared: each is one value, registered in catalogue.py.

A page kind says which pages it has (one per key), where each lives (a route), the template
that shows it and the view that fills the template from the research. An export says the
same of a data file, and how to write it. Everything that lists pages or files (the sitemap,
the menus, the search index, the data page, the footer) is derived from these declarations,
so adding a kind is one module and its template, plus one line in the catalogue.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..diagnostics import Location
from ..routes import Linker, Url
from .reader import Reader

SINGLE = ("",)  # the keys of a kind with just one page
GZIP_KEY = "gz"  # the key of a download published gzip-compressed (exports/downloads.py)


def single(_read: Reader) -> Iterable[str]:
    """The one key of a kind or export that has a single file."""
    return SINGLE


@dataclass(frozen=True, slots=True)
class Here:
    """The file being made: its key within its kind, its URL, and its links."""

    key: str
    url: Url
    link: Linker


@dataclass(frozen=True, slots=True)
class SearchRecord:
    """One entry of the search index (docs/format.md, "The search index")."""

    kind: str  # topic, fact, source, entity, outlet, …
    title: str
    text: str  # more words that find it
    url: Url
    meta: str  # the line shown under the title
    lang: str = ""  # the title's language when it is not the site's (its `lang` attribute)

    def as_json(self) -> dict[str, str]:
        """The entry as the search index publishes it (`lang` only when there is one)."""
        data = {"kind": self.kind, "title": self.title, "text": self.text,
                "href": str(self.url), "meta": self.meta}
        if self.lang:
            data["lang"] = self.lang
        return data


def search_words(*parts: str) -> str:
    """The non-empty parts, each once, in order, separated by spaces: a record's `text`."""
    return " ".join(dict.fromkeys(p.strip() for p in parts if p and p.strip()))


@dataclass(frozen=True)
class PageKind:
    """One kind of HTML page."""

    name: str  # also what `current` is on its pages, for the menus
    template: str
    route: Callable[[str], Url]
    view: Callable[[Reader, Here], dict[str, Any]]  # the template's context for one page
    keys: Callable[[Reader], Iterable[str]] = single
    menu: str = ""  # its label in the Explore menu, if it has one
    menu_order: int = 0
    in_sitemap: bool = True
    search: Callable[[Reader], Iterator[SearchRecord]] | None = None
    finds: tuple[str, ...] = ()  # the kinds of search record `search` yields


@dataclass(frozen=True)
class Export:
    """One data file of the site (or one per key, such as each source's archived text)."""

    format: str
    media_type: str
    route: Callable[[str], Url]
    write: Callable[[Reader, Here, Templates], Iterable[str | bytes]]
    keys: Callable[[Reader], Iterable[str]] = single
    describe: Callable[[Reader], str] | None = None  # on the data page, if it is listed there
    footer: str = ""  # its label in the footer's "Open data" line, if it is there
    per_key: bool = False  # a file for each key (each source, say), not one file
    size: Callable[[Reader], int] | None = None  # a download's exact size (exports/downloads.py)
    size_bounds: Callable[[Reader], tuple[int, int]] | None = None  # cheaper: least, most

    @property
    def name(self) -> str:
        """The file as the data page names it; "<id>" stands for each key. A download
        published gzip-compressed keeps the name of its complete file here."""
        return self.route("<id>" if self.per_key else "").file

    def published(self, read: Reader) -> tuple[tuple[Url, bool], ...]:
        """The files this build publishes of a one-file export, each with whether it is
        gzip-compressed: the file, or its .gz past the size limit, or none."""
        return tuple((self.route(key), key == GZIP_KEY) for key in self.keys(read))


Templates = Callable[[str, dict[str, Any]], str]  # render a template with a context


class InputChanged(Exception):
    """An input file that an export copies (an archived original) is no longer what the load
    stage checked: the build fails, and the next one reports what changed."""

    def __init__(self, location: Location, message: str, hint: str) -> None:
        super().__init__(message)
        self.location, self.message, self.hint = location, message, hint


@dataclass(frozen=True)
class MenuItem:
    """A link in a menu or the footer: the kind or file it names, its label and its URL."""

    name: str
    label: str
    url: Url


@dataclass(frozen=True)
class Catalogue:
    """Every page kind and export of the site, in the order the sitemap and the data page
    list them."""

    kinds: tuple[PageKind, ...]
    exports: tuple[Export, ...]

    @property
    def menu(self) -> tuple[MenuItem, ...]:
        """The Explore menu: the kinds that have a menu label, in their order."""
        return tuple(MenuItem(k.name, k.menu, k.route(""))
                     for k in sorted((k for k in self.kinds if k.menu),
                                     key=lambda k: k.menu_order))

    def footer(self, read: Reader) -> tuple[MenuItem, ...]:
        """The exports the footer links to (a download as the file this build publishes)."""
        return tuple(MenuItem(e.name, f"{e.footer} (gzip)" if packed else e.footer, url)
                     for e in self.exports if e.footer for url, packed in e.published(read))

