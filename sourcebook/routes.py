"""The route table: every URL of a built site, and every fragment id a link may aim at.

Nothing else in sourcebook assembles a path of the site. A `Url` is site-relative (no leading
slash): "" is the home page, "topics/s-400/" a topic, "data/facts.json" a file. A page turns
one into the link it prints with its `Linker`, always relative to itself, so that the same
files work at a domain root and under https://user.github.io/<repo>/. Absolute URLs, which only
canonical links, feeds, the sitemap and JSON-LD need, come from `absolute`.

The format reference (docs/format.md, "The site") lists these routes for readers of the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit


@dataclass(frozen=True, slots=True, order=True)
class Url:
    """A place in the site: a site-relative path, and optionally a fragment id on that page and
    a query (the filters a list page applies when it opens, as `support=single`)."""

    path: str
    fragment: str = ""
    query: str = ""

    def __str__(self) -> str:
        """The site-relative href, as facts.json and the fact files publish it."""
        query = f"?{self.query}" if self.query else ""
        return f"{self.path}{query}#{self.fragment}" if self.fragment else self.path + query

    def at(self, fragment: str) -> Url:
        """The same page (with the same query), scrolled to the element with this id."""
        return Url(self.path, fragment, self.query)

    @property
    def page(self) -> Url:
        """The page without its fragment or query."""
        return Url(self.path)

    @classmethod
    def for_path(cls, path: str) -> Url:
        """The URL a site-relative request path names ('' or 'topics/s-400/')."""
        return cls(path)

    @property
    def file(self) -> str:
        """The file in the built site that serves this URL."""
        return self.path + "index.html" if self.path == "" or self.path.endswith("/") else self.path


# --- pages ---


def home() -> Url:
    """The home page."""
    return Url("")


def topic(topic_id: str) -> Url:
    """A topic's page: its introduction and its facts."""
    return Url(f"topics/{topic_id}/")


def topic_page(topic_id: str, number: int) -> Url:
    """Page `number` (from 1) of a topic too long for one page: the first is the topic's own
    page, the others follow it (topics/<topic>/page/2/)."""
    return topic(topic_id) if number == 1 else Url(f"topics/{topic_id}/page/{number}/")


def source(source_id: str) -> Url:
    """A source's page: the archived article with its cited passages highlighted."""
    return Url(f"sources/{source_id}/")


def seed_text(source_id: str) -> Url:
    """The archived text of a source, byte for byte."""
    return Url(f"sources/{source_id}/seed.txt")


def original(source_id: str, suffix: str) -> Url:
    """A source's archived original, byte for byte: sources/<source>/original<suffix>, where
    the suffix is the archive file's, with `.txt` added for a saved page (HTML, MHTML), so that
    it is served as plain text and never runs on the site's origin."""
    return Url(f"sources/{source_id}/original{suffix}")


def reference_file(source_id: str, suffix: str) -> Url:
    """A source's reference for reference managers: reference.json (CSL-JSON), reference.bib
    (BibTeX) or reference.ris (RIS)."""
    return Url(f"sources/{source_id}/reference.{suffix}")


def entity(entity_id: str) -> Url:
    """The page of a person or an organisation."""
    return Url(f"entities/{entity_id}/")


def listing(name: str) -> Url:
    """A page that lists or searches the research: entities, outlets, timeline, search, data."""
    return Url(f"{name}/")


def listing_page(name: str, number: int) -> Url:
    """Page `number` (from 1) of a long listing: the first is the listing itself, the others
    follow it (sources/page/2/). A source id never clashes: sources/page/ would be a source's
    own page, and listing pages are one folder deeper."""
    return listing(name) if number == 1 else Url(f"{name}/page/{number}/")


def member(listing_name: str, key: str) -> Url:
    """One page under a listing, such as an outlet's: outlets/<key>/."""
    return Url(f"{listing_name}/{key}/")


def not_found() -> Url:
    """GitHub Pages serves it for every missing address, at any depth."""
    return Url("404.html")


def file(path: str) -> Url:
    """A file at the site's root or in a folder of it: data/facts.json, feed.xml, robots.txt."""
    return Url(path)


def data_file(name: str) -> Url:
    """A file of the open data: data/facts.json, data/facts.csv …"""
    return Url(f"data/{name}")


def gzipped(file: Url) -> Url:
    """The gzip-compressed copy of a file: data/facts.json.gz for a large data/facts.json."""
    return Url(f"{file.path}.gz")


def static(name: str) -> Url:
    """A file of the theme's static/ folder: style.css, search.js."""
    return Url(f"static/{name}")


# --- fragments: the ids that links aim at ---


def fact_anchor(fact_id: str) -> str:
    """The id of a fact's entry on every page that shows it."""
    return f"f-{fact_id}"


def passage_anchor(fact_id: str, n: int = 1) -> str:
    """The id of a highlighted passage on its source page, named after its first fact; a second
    passage named after the same fact gets -2, and so on."""
    return f"p-{fact_id}" if n == 1 else f"p-{fact_id}-{n}"


def citation_anchor(number: int) -> str:
    """The id of the numbered citation [number] on a page."""
    return f"cite-{number}"


def intro_mark_anchor(fact_id: str, n: int) -> str:
    """The id of the n-th (from 1) footnote mark citing a fact in a topic's introduction: where
    the fact's back-link returns the reader."""
    return f"ref-{fact_id}-{n}"


def year_anchor(year: str) -> str:
    """The heading of a year's facts in a list ('undated' for the facts without a date)."""
    return f"y-{year}"


def passage(source_id: str, anchor: str) -> Url:
    """A highlighted passage: where a piece of evidence points."""
    return source(source_id).at(anchor)


FILTER_ANCHOR = "fact-filter"  # where a list's filter bar is, there without JavaScript too


def filtered(page: Url, **facets: str) -> Url:
    """A list page opened at its filter bar with these filters set (`?status=disputed`); the
    page's script applies them, and without JavaScript the page shows every fact."""
    return Url(page.path, FILTER_ANCHOR, urlencode(sorted(facets.items())))


def fact(fact_id: str, topic_id: str, number: int = 1) -> Url:
    """A fact's entry on page `number` of a topic's pages. Which page holds it is the site's
    to say (site/factpages.py: `fact_home`, `fact_place`)."""
    return topic_page(topic_id, number).at(fact_anchor(fact_id))


# The routes a template may name in url_for("name", *args).
BY_NAME = ("home", "topic", "source", "seed_text", "entity", "listing", "member", "not_found",
           "file", "data_file", "static")


# --- links as pages print them ---


def root_prefix(page: Url, base_path: str) -> str:
    """The prefix from a page back to the site root: '' at the top, '../../' two folders down.
    404.html is served at any depth, so its links start from the base path instead."""
    if page == not_found():
        return base_path
    depth = page.file.count("/")
    return "../" * depth


class Linker:
    """Turns site URLs into the links one page prints: relative to that page."""

    __slots__ = ("page", "prefix")

    def __init__(self, page: Url, base_path: str = "/") -> None:
        self.page = page
        self.prefix = root_prefix(page, base_path)  # once: a page prints many links

    def __call__(self, target: Url) -> str:
        """The link from this page to `target`: a bare fragment on the same page."""
        if target.path == self.page.path and (target.fragment or target.query):
            return str(Url("", target.fragment, target.query))  # "#cite-3", "?status=disputed"
        return self.prefix + str(target) or "./"


def base_path(base_url: str) -> str:
    """The URL path the site is served under, always with a trailing slash: '/repo/'."""
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def has_absolute_base(base_url: str) -> bool:
    """Whether base_url names a host, so that absolute URLs can be made from it."""
    return bool(urlsplit(base_url).netloc)


def absolute(base_url: str, target: Url) -> str:
    """The absolute URL of a site URL, for canonical links, feeds, the sitemap and JSON-LD;
    '' when base_url is only a path."""
    return base_url + str(target) if has_absolute_base(base_url) else ""
