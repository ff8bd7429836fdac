"""sitemap.xml: every page of the kinds that belong in it, for search engines (only with an
absolute base_url: a sitemap needs absolute URLs); and robots.txt, which points to it."""

from __future__ import annotations

from collections.abc import Iterator

from ... import routes
from ..kinds import Catalogue, Export, Here, Templates
from ..reader import Reader, query
from .feed import with_absolute_base

ROUTE = routes.file("sitemap.xml")


@query
def sitemap_urls(read: Reader) -> tuple[str, ...]:
    """The absolute URL of every page that belongs in the sitemap, in the catalogue's order."""
    catalogue: Catalogue = read.catalogue
    config = read.config()
    return tuple(config.absolute(kind.route(key)) for kind in catalogue.kinds
                 if kind.in_sitemap for key in kind.keys(read))


def _write(read: Reader, _here: Here, templates: Templates) -> Iterator[str]:
    yield templates("sitemap.xml", {"urls": read.query(sitemap_urls)})


SITEMAP = Export("Sitemap (XML)", "application/xml", lambda _key: ROUTE, _write,
                 keys=with_absolute_base,
                 describe=lambda _read: "Every page of the site, for search engines.")


def _write_robots(read: Reader, _here: Here, _templates: Templates) -> Iterator[str]:
    config = read.config()
    lines = ["User-agent: *", "Allow: /"]
    if config.has_absolute_base:
        lines.append(f"Sitemap: {config.absolute(ROUTE)}")
    yield "\n".join(lines) + "\n"


ROBOTS = Export("Text", "text/plain", lambda _key: routes.file("robots.txt"), _write_robots)
