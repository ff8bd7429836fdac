"""schema.org JSON-LD pieces that several page kinds use: the site, an article, a quotation, a
page of the site. Each kind builds its own page's data from these.

Absolute URLs come from base_url through the route table; where base_url is only a path, a
URL is left out rather than guessed.
"""

from __future__ import annotations

from typing import Any

from .. import routes
from ..content.model import SiteConfig
from ..research.model import Evidence, SourceRecord
from ..routes import Url

CONTEXT = "https://schema.org"


def with_url(data: dict[str, Any], url: str) -> dict[str, Any]:
    """The data, with its `url` set when there is one."""
    if url:
        data["url"] = url
    return data


def website(config: SiteConfig) -> dict[str, Any]:
    """The site itself, as the home page describes it."""
    return with_url({"@context": CONTEXT, "@type": "WebSite", "name": config.title,
                     "description": config.description, "inLanguage": config.language},
                    config.absolute(routes.home()))


def part_of_site(config: SiteConfig) -> dict[str, Any]:
    """The site, as a page's `isPartOf` names it."""
    return with_url({"@type": "WebSite", "name": config.title}, config.absolute(routes.home()))


def page_of_site(config: SiteConfig, url: Url, kind: str, name: str,
                 description: str) -> dict[str, Any]:
    """A listing page (entities, timeline, search …) as a schema.org page of the site."""
    return with_url({"@context": CONTEXT, "@type": kind, "name": name,
                     "description": description, "inLanguage": config.language,
                     "isPartOf": part_of_site(config)},
                    config.absolute(url))


def article(record: SourceRecord) -> dict[str, Any]:
    """A source as the NewsArticle it was."""
    doc = record.doc
    data: dict[str, Any] = {"@type": "NewsArticle", "headline": doc.title}
    if doc.published:
        data["datePublished"] = doc.published.iso()
    if doc.author:
        data["author"] = {"@type": "Person", "name": doc.author}
    if doc.outlet:
        data["publisher"] = {"@type": "Organization", "name": doc.outlet}
    if doc.url:
        data["url"] = doc.url
    if doc.language:
        data["inLanguage"] = doc.language
    if doc.trans_title:
        data["alternativeHeadline"] = doc.trans_title
    return data


def quotation(config: SiteConfig, evidence: Evidence, record: SourceRecord) -> dict[str, Any]:
    """A piece of evidence: the quotation, part of its article, at its archived passage."""
    data: dict[str, Any] = {"@type": "Quotation", "text": evidence.quote,
                            "isPartOf": article(record)}
    if evidence.language:
        data["inLanguage"] = evidence.language
    if evidence.translation:  # schema.org: a translation is a work of its own
        data["workTranslation"] = {"@type": "Quotation", "text": evidence.translation,
                                   "inLanguage": config.language,
                                   **({"translator": {"@type": "Person",
                                                      "name": evidence.translator}}
                                      if evidence.translator else {})}
    archived = config.absolute(evidence.href)
    if archived:
        data["url"] = archived
    return data
