"""feed.xml: an Atom feed of the sources and facts, newest publication first (a fact's is its
earliest source's). Only with an absolute base_url: Atom needs absolute links.

Every date comes from the content, or from SOURCE_DATE_EPOCH for the feed's `updated`; never
from the clock.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, replace

from ... import routes
from ...content.languages import language_name, other_language
from ...content.model import PartialDate, SiteConfig
from ...research.model import Fact, SourceRecord
from ..factpages import fact_home
from ..kinds import Export, Here, Templates
from ..reader import Reader, query

ROUTE = routes.file("feed.xml")
NO_DATE = "1970-01-01T00:00:00Z"


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry of the feed: a source or a fact."""

    id: str
    title: str
    link: str
    updated: str  # RFC 3339
    summary: str
    category: str
    lang: str = ""  # the title's language when it is not the feed's (its xml:lang)


@dataclass(frozen=True, slots=True)
class Feed:
    """The Atom feed: its id, when it was last updated, its own address and its entries."""

    id: str
    updated: str
    self_link: str
    entries: tuple[FeedEntry, ...]


def rfc3339(date: PartialDate) -> str:
    """A date as an RFC 3339 time, midnight UTC; a missing month or day counts as the first."""
    return f"{date.year:04d}-{date.month or 1:02d}-{date.day or 1:02d}T00:00:00Z"


def build_time(config: SiteConfig) -> str | None:
    """SOURCE_DATE_EPOCH as an RFC 3339 time, or None when it is not set."""
    if config.source_date_epoch is None:
        return None
    moment = datetime.datetime.fromtimestamp(config.source_date_epoch, datetime.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def first_published(fact: Fact, published: dict[str, PartialDate | None]) -> PartialDate | None:
    """When the press first carried a fact: its earliest dated source."""
    dates = [d for e in fact.evidence if (d := published.get(e.source_id)) is not None]
    return min(dates, key=lambda d: d.sort_key) if dates else None


@query
def feed(read: Reader) -> Feed:
    """Sources and facts, newest publication first."""
    config = read.config()
    sources = read.sources()
    published = {s.id: s.doc.published for s in sources}
    dated: list[tuple[PartialDate | None, FeedEntry]] = []
    for record in sources:
        link = config.absolute(routes.source(record.id))
        dated.append((record.doc.published, _source_entry(record, link, config.language)))
    for fact in read.facts():
        link = config.absolute(read.query(fact_home, fact.id)) if fact.topics else ""
        count = len(fact.source_ids)
        dated.append((first_published(fact, published), FeedEntry(
            link, fact.statement, link, "",
            f"{count} source{'s' * (count != 1)}" + (" · disputed" if fact.disputed else ""),
            "fact")))
    newest = max((d for d, _ in dated if d is not None), key=lambda d: d.sort_key, default=None)
    updated = build_time(config) or (rfc3339(newest) if newest else NO_DATE)
    # An undated entry is as new as the feed. Newest first; ties in a fixed order.
    entries = sorted((replace(e, updated=rfc3339(d) if d else updated) for d, e in dated),
                     key=lambda e: (_descending(e.updated), e.category, e.id))
    return Feed(config.absolute(routes.home()), updated, config.absolute(ROUTE),
                tuple(entries))


def _source_entry(record: SourceRecord, link: str, language: str) -> FeedEntry:
    """A source's entry; a title in another language than the feed's is the title alone
    (with its xml:lang), and the summary says the language and gives its translation."""
    doc = record.doc
    cited = f"{len(record.passages)} passages cited"
    lang = other_language(doc.language, language)
    if not lang:
        return FeedEntry(link, f"Source: {doc.title}", link, "", cited, "source")
    translated = f" Title translated: {doc.trans_title}." if doc.trans_title else ""
    return FeedEntry(link, doc.title, link, "",
                     f"Source in {language_name(lang)}.{translated} {cited}", "source", lang)


def _descending(text: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in text)


def with_absolute_base(read: Reader) -> list[str]:
    """One file, when base_url is absolute; none otherwise."""
    return [""] if read.config().has_absolute_base else []


def _write(read: Reader, _here: Here, templates: Templates) -> Iterator[str]:
    yield templates("feed.xml", {"feed": read.query(feed)})


FEED = Export("Atom", "application/atom+xml", lambda _key: ROUTE, _write,
              keys=with_absolute_base,
              describe=lambda _read: "An Atom feed of the sources and facts, newest "
                                     "publication first.")
