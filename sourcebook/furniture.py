"""What a published site needs besides its pages: feed, sitemap, robots.txt, structured data.

Every absolute URL is built from base_url; every date comes from the content or from
SOURCE_DATE_EPOCH, never from the clock.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace

from .model import (
    Entity,
    Evidence,
    Fact,
    PartialDate,
    Research,
    SiteConfig,
    SourceRecord,
    Stance,
    Topic,
)

NO_DATE = "1970-01-01T00:00:00Z"


@dataclass(frozen=True, slots=True)
class FeedEntry:
    id: str
    title: str
    link: str
    updated: str  # RFC 3339
    summary: str
    category: str


@dataclass(frozen=True, slots=True)
class Feed:
    id: str
    updated: str
    self_link: str
    entries: tuple[FeedEntry, ...]


def rfc3339(date: PartialDate) -> str:
    return f"{date.year:04d}-{date.month or 1:02d}-{date.day or 1:02d}T00:00:00Z"


def build_time(config: SiteConfig) -> str | None:
    if config.source_date_epoch is None:
        return None
    moment = datetime.datetime.fromtimestamp(config.source_date_epoch, datetime.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def first_published(fact: Fact, published: dict[str, PartialDate | None]) -> PartialDate | None:
    """When the press first carried a fact: its earliest dated source."""
    dates = [d for e in fact.evidence if (d := published.get(e.source_id)) is not None]
    return min(dates, key=lambda d: d.sort_key) if dates else None


def feed(research: Research) -> Feed:
    """Sources and facts, newest publication first (a fact's is its earliest source's)."""
    config = research.config
    published = {s.id: s.doc.published for s in research.sources}
    dated: list[tuple[PartialDate | None, FeedEntry]] = []
    for record in research.sources:
        link = config.absolute(f"sources/{record.id}/")
        dated.append((record.doc.published, FeedEntry(
            link, f"Source: {record.doc.title}", link, "",
            f"{len(record.passages)} passages cited", "source")))
    for fact in research.facts:
        link = config.absolute(f"topics/{fact.topics[0]}/#f-{fact.id}") if fact.topics else ""
        sources = len(fact.source_ids)
        dated.append((first_published(fact, published), FeedEntry(
            link, fact.statement, link, "",
            f"{sources} source{'s' * (sources != 1)}" + (" · disputed" if fact.disputed else ""),
            "fact")))
    newest = max((d for d, _ in dated if d is not None), key=lambda d: d.sort_key, default=None)
    updated = build_time(config) or (rfc3339(newest) if newest else NO_DATE)
    # An undated entry is as new as the feed. Newest first; ties in a fixed order.
    entries = sorted((replace(e, updated=rfc3339(d) if d else updated) for d, e in dated),
                     key=lambda e: (_descending(e.updated), e.category, e.id))
    return Feed(config.absolute(""), updated, config.absolute("feed.xml"), tuple(entries))


def _descending(text: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in text)


def sitemap_urls(research: Research) -> tuple[str, ...]:
    config = research.config
    paths = [""] + [f"topics/{t.id}/" for t in research.topics]
    paths += [f"sources/{s.id}/" for s in research.sources]
    paths += ["entities/"] + [f"entities/{e}/" for e in research.entities]
    paths += ["timeline/", "data/"]  # the search page asks not to be indexed
    return tuple(config.absolute(p) for p in paths)


def robots_txt(config: SiteConfig) -> str:
    lines = ["User-agent: *", "Allow: /"]
    if config.has_absolute_base:
        lines.append(f"Sitemap: {config.absolute('sitemap.xml')}")
    return "\n".join(lines) + "\n"


# --- schema.org JSON-LD for each page ---


def _with_url(data: dict, url: str) -> dict:
    if url:
        data["url"] = url
    return data


def home_jsonld(config: SiteConfig) -> dict:
    return _with_url({"@context": "https://schema.org", "@type": "WebSite", "name": config.title,
                      "description": config.description, "inLanguage": config.language},
                     config.absolute(""))


def topic_jsonld(config: SiteConfig, topic: Topic, facts: list[Fact],
                 sources: dict[str, SourceRecord]) -> dict:
    """The topic page as a CollectionPage of schema.org Claims, each appearing in Quotations
    from the archived NewsArticles."""
    page_url = config.absolute(f"topics/{topic.id}/")
    claims = []
    for fact in facts:
        claim: dict = {"@type": "Claim", "text": fact.statement}
        if page_url:
            claim["@id"] = f"{page_url}#f-{fact.id}"
        if fact.date:
            claim["temporalCoverage"] = fact.date.iso()
        claim["appearance"] = [_quotation(config, e, sources[e.source_id])
                               for e in fact.evidence if e.stance is Stance.SUPPORTS]
        reviews = [{"@type": "Review", "reviewBody": e.note or "This source disputes the claim.",
                    "citation": _quotation(config, e, sources[e.source_id])}
                   for e in fact.evidence if e.stance is Stance.DISPUTES]
        if reviews:
            claim["review"] = reviews
        claims.append(claim)
    return _with_url({"@context": "https://schema.org", "@type": "CollectionPage",
                      "name": topic.title, "description": topic.summary,
                      "isPartOf": _with_url({"@type": "WebSite", "name": config.title},
                                            config.absolute("")),
                      "mainEntity": {"@type": "ItemList", "numberOfItems": len(claims),
                                     "itemListElement": claims}},
                     page_url)


def _quotation(config: SiteConfig, evidence: Evidence, record: SourceRecord) -> dict:
    quotation: dict = {"@type": "Quotation", "text": evidence.quote,
                       "isPartOf": _article(config, record)}
    archived = config.absolute(evidence.href)
    if archived:
        quotation["url"] = archived
    return quotation


def _article(config: SiteConfig, record: SourceRecord) -> dict:
    doc = record.doc
    data: dict = {"@type": "NewsArticle", "headline": doc.title}
    if doc.published:
        data["datePublished"] = doc.published.iso()
    if doc.author:
        data["author"] = {"@type": "Person", "name": doc.author}
    if doc.outlet:
        data["publisher"] = {"@type": "Organization", "name": doc.outlet}
    if doc.url:
        data["url"] = doc.url
    return data


def entity_jsonld(config: SiteConfig, entity: Entity) -> dict:
    data: dict = {"@context": "https://schema.org",
                  "@type": "Person" if entity.kind == "person" else "Organization",
                  "name": entity.name}
    if entity.role:
        data["description"] = entity.role
    if entity.aliases:
        data["alternateName"] = list(entity.aliases)
    return _with_url(data, config.absolute(f"entities/{entity.id}/"))


def page_jsonld(config: SiteConfig, path: str, kind: str, name: str, description: str) -> dict:
    """A listing page (entities, timeline, search) as a schema.org WebPage of the site."""
    return _with_url({"@context": "https://schema.org", "@type": kind, "name": name,
                      "description": description, "inLanguage": config.language,
                      "isPartOf": _with_url({"@type": "WebSite", "name": config.title},
                                            config.absolute(""))},
                     config.absolute(path))


def data_jsonld(config: SiteConfig, files: tuple[DataFile, ...]) -> dict:
    """The data page as a schema.org Dataset whose distributions are the published files."""
    distribution = [_with_url({"@type": "DataDownload", "name": f.name,
                               "encodingFormat": f.media_type, "description": f.description},
                              config.absolute(f.name))
                    for f in files if f.linked]
    data: dict = {"@context": "https://schema.org", "@type": "Dataset",
                  "name": f"{config.title}: facts and evidence",
                  "description": config.description, "inLanguage": config.language,
                  "distribution": distribution}
    if config.licence:
        data["license"] = config.licence
    return _with_url(data, config.absolute("data/"))


def source_jsonld(config: SiteConfig, record: SourceRecord) -> dict:
    data = {"@context": "https://schema.org", **_article(config, record),
            "inLanguage": config.language}
    archive = config.absolute(f"sources/{record.id}/")
    if archive:
        data["mainEntityOfPage"] = archive
    text = record.seed.text
    data["hasPart"] = [_with_url({"@type": "Quotation", "text": text[p.start:p.end]},
                                 f"{archive}#{p.anchor}" if archive else "")
                       for p in record.passages]
    return data


# --- the data page ---


@dataclass(frozen=True, slots=True)
class DataFile:
    name: str  # its path under the site root; "<id>" stands for each source's id
    format: str
    media_type: str
    description: str

    @property
    def linked(self) -> bool:
        """One file that a page can link to, not a pattern for one per source."""
        return "<" not in self.name


def data_files(research: Research) -> tuple[DataFile, ...]:
    facts, sources = len(research.facts), len(research.sources)
    evidence = sum(len(f.evidence) for f in research.facts)
    passages = sum(len(s.passages) for s in research.sources)
    return (
        DataFile("data/facts.json", "JSON", "application/json",
                 f"Every fact ({facts}), with its evidence: the exact quotation, its code-point "
                 "offsets in the archived text and the link to the passage; every source with "
                 "the SHA-256 of its archived text; every topic and entity."),
        DataFile("data/facts.csv", "CSV (RFC 4180, UTF-8)", "text/csv",
                 f"One row per piece of evidence ({evidence}): fact, statement, topics, date, "
                 "source, stance, quotation and offsets. Values are exact; a spreadsheet may "
                 "treat a cell that starts with = + - or @ as a formula."),
        DataFile("data/annotations.jsonld", "W3C Web Annotation (JSON-LD)",
                 "application/ld+json",
                 f"One annotation per highlighted passage ({passages}), targeting the archived "
                 "text with a TextQuoteSelector and a TextPositionSelector, its body the "
                 "statements of the facts that cite it."),
        DataFile("data/fact-file.schema.json", "JSON Schema", "application/schema+json",
                 "The schema of the fact files in content/facts/."),
        DataFile("data/facts.schema.json", "JSON Schema", "application/schema+json",
                 "The schema of data/facts.json."),
        DataFile("static/search-index.js", "JavaScript (JSON)", "text/javascript",
                 "The search index: facts, sources and entities, as used by the search page."),
        DataFile("sources/<id>/seed.txt", "Plain text (UTF-8)", "text/plain",
                 f"The archived text of each source ({sources}), byte for byte as collected; "
                 "its SHA-256 is on the source's page and in facts.json."),
    )
