"""A page's own metadata, each value with where it was read: JSON-LD (schema.org NewsArticle),
Open Graph, Highwire `citation_*` tags, `<time datetime>`, `<link rel=canonical>`,
`<html lang>`, and htmldate as the last resort for the publication date.

"Modified" is never taken for "published": dateModified, article:modified_time and an update
<time> fill `modified` only, and a date htmldate finds is dropped when it is the modified date."""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import html as lxml_html

from ..content.languages import canonical_tag, is_language_tag
from .extract import squash

KEYS = ("title", "author", "outlet", "published", "modified", "url", "canonical", "language")
_ARTICLE_TYPES = re.compile(r"(?:\w+)?(?:Article|Posting|Report)$|^(?:WebPage|Report)$")
_DATE = re.compile(r"(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?(?![\d])")
_UPDATE_WORDS = re.compile(r"updat|modif|revis|edited", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Guess:
    """A metadata value and where it was read ("JSON-LD datePublished")."""

    value: str
    source: str


def page_metadata(html: str, address: Guess | None = None,
                  exact: bool = False) -> dict[str, Guess]:
    """The page's title, author(s), outlet, published and modified dates, address and
    language, each with where it came from; keys of KEYS, absent when not found.

    address is where the page came from, if known. An exact one (a download's final address,
    a WARC's target, an MHTML's location) is the `url`, and the page's own word for its
    address, if it differs, the `canonical`; otherwise the page's own word comes first."""
    try:
        tree = lxml_html.document_fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):
        return {}
    meta = _meta_tags(tree)
    found: dict[str, Guess] = {}
    for key, guess in (*_canonical(tree), *_jsonld(tree), *_open_graph(meta), *_citation(meta),
                       *_html(tree, meta)):
        if key not in found and guess.value:
            found[key] = guess
    if address is not None and (exact or "url" not in found):
        own = found.get("url")
        found["url"] = address
        if own is not None and own.value != address.value:
            found["canonical"] = own
    if "published" not in found:
        dated = _htmldate(html, found.get("url"))
        if dated and dated != (found.get("modified") or Guess("", "")).value:
            found["published"] = Guess(dated, "htmldate, from the page's text and markup")
    return {key: found[key] for key in KEYS if key in found}


def iso_date(text: str) -> str:
    """The date at the start of a metadata value (2024-03-18T07:30:00+01:00, 2023/11/02,
    2020) as YYYY, YYYY-MM or YYYY-MM-DD, as written (no conversion of time zones); ""
    if it is none."""
    match = _DATE.match(text.strip())
    if not match:
        return ""
    year, month, day = match.groups()
    try:
        datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return ""
    return "-".join([year, *(f"{int(p):02d}" for p in (month, day) if p)])


def names(value: object) -> list[str]:
    """Person or organisation names of a JSON-LD author or publisher value."""
    if isinstance(value, str):
        return [value] if not value.startswith(("http://", "https://")) else []
    if isinstance(value, dict):
        return names(value.get("name"))
    if isinstance(value, list):
        return [n for item in value for n in names(item)]
    return []


def joined_names(found: list[str]) -> str:
    """Names as a byline writes them: "A", "A and B", "A, B and C"."""
    unique = list(dict.fromkeys(squash(n) for n in found if squash(n)))
    if len(unique) <= 2:
        return " and ".join(unique)
    return ", ".join(unique[:-1]) + " and " + unique[-1]


def _meta_tags(tree: lxml_html.HtmlElement) -> dict[str, list[str]]:
    """<meta> values by lowercased property or name, in page order."""
    found: dict[str, list[str]] = {}
    for tag in tree.iter("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").lower()
        content = tag.get("content")
        if key and content and content.strip():
            found.setdefault(key, []).append(squash(content))
    return found


def _jsonld_objects(tree: lxml_html.HtmlElement) -> Iterator[dict]:
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack[:0] = item
            elif isinstance(item, dict):
                yield item
                if isinstance(item.get("@graph"), list):
                    stack[:0] = item["@graph"]


def _types(item: dict) -> list[str]:
    kind = item.get("@type")
    return [kind] if isinstance(kind, str) else [k for k in kind or [] if isinstance(k, str)]


def _jsonld(tree: lxml_html.HtmlElement) -> Iterator[tuple[str, Guess]]:
    articles = [item for item in _jsonld_objects(tree)
                if any(_ARTICLE_TYPES.search(t) for t in _types(item))]
    # An *Article before a WebPage: the article is what the page is about.
    articles.sort(key=lambda item: not any(t.endswith(("Article", "Posting"))
                                           for t in _types(item)))
    for item in articles:
        kind = _types(item)[0]

        def where(key: str, kind: str = kind) -> str:
            return f"JSON-LD {kind} {key}"

        for key, field in (("title", "headline"), ("title", "name")):
            if isinstance(item.get(field), str):
                yield key, Guess(squash(item[field]), where(field))
        yield "author", Guess(joined_names(names(item.get("author"))), where("author"))
        yield "outlet", Guess(joined_names(names(item.get("publisher"))[:1]), where("publisher"))
        for key, field in (("published", "datePublished"), ("modified", "dateModified")):
            if isinstance(item.get(field), str):
                yield key, Guess(iso_date(item[field]), where(field))
        language = item.get("inLanguage")
        if isinstance(language, dict):
            language = language.get("alternateName") or language.get("name")
        if isinstance(language, str):
            yield "language", Guess(_language(language), where("inLanguage"))
        for field in ("url", "mainEntityOfPage"):
            value = item.get(field)
            value = value.get("@id") if isinstance(value, dict) else value
            if isinstance(value, str) and value.startswith(("http://", "https://")):
                yield "url", Guess(value, where(field))


def _first(meta: dict[str, list[str]], key: str) -> str:
    return meta.get(key, [""])[0]


def _open_graph(meta: dict[str, list[str]]) -> Iterator[tuple[str, Guess]]:
    for key, tag, convert in (("title", "og:title", str), ("outlet", "og:site_name", str),
                              ("published", "article:published_time", iso_date),
                              ("modified", "article:modified_time", iso_date),
                              ("modified", "og:updated_time", iso_date),
                              ("url", "og:url", _web_address),
                              ("language", "og:locale", _language)):
        yield key, Guess(convert(_first(meta, tag)), f"Open Graph {tag}")
    authors = [a for a in meta.get("article:author", []) if not a.startswith("http")]
    yield "author", Guess(joined_names(authors), "Open Graph article:author")


def _citation(meta: dict[str, list[str]]) -> Iterator[tuple[str, Guess]]:
    yield "title", Guess(_first(meta, "citation_title"), "citation_title")
    yield "author", Guess(joined_names(meta.get("citation_author", [])), "citation_author")
    for tag in ("citation_journal_title", "citation_conference_title", "citation_publisher",
                "citation_technical_report_institution", "citation_dissertation_institution"):
        yield "outlet", Guess(_first(meta, tag), tag)
    for tag in ("citation_publication_date", "citation_date", "citation_online_date"):
        yield "published", Guess(iso_date(_first(meta, tag)), tag)
    for tag in ("citation_abstract_html_url", "citation_fulltext_html_url",
                "citation_pdf_url", "citation_public_url"):
        yield "url", Guess(_web_address(_first(meta, tag)), tag)
    yield "language", Guess(_language(_first(meta, "citation_language")), "citation_language")


def _html(tree: lxml_html.HtmlElement, meta: dict[str, list[str]]) -> Iterator[tuple[str, Guess]]:
    """Plain HTML: <time datetime>, <html lang>, <meta name=author>, <h1>, <title>."""
    for time in tree.iter("time"):
        value = iso_date(time.get("datetime") or "")
        if not value:
            continue
        if _is_update(time):
            yield "modified", Guess(value, "an update <time datetime> of the page")
        else:
            yield "published", Guess(value, "the first <time datetime> of the page")
    yield "language", Guess(_language(tree.get("lang") or tree.get("xml:lang") or ""),
                            "<html lang>")
    yield "language", Guess(_language(_first(meta, "content-language")),
                            "<meta http-equiv=content-language>")
    yield "author", Guess(_first(meta, "author"), "<meta name=author>")
    for h1 in tree.iter("h1"):
        yield "title", Guess(squash(h1.text_content()), "the page's <h1>")
        break
    title = tree.find(".//title")
    if title is not None:
        yield "title", Guess(_without_site(squash(title.text_content()), meta), "<title>")


def _canonical(tree: lxml_html.HtmlElement) -> Iterator[tuple[str, Guess]]:
    """<link rel=canonical>: the page's own word on its address, before any other."""
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            yield "url", Guess(_web_address(link.get("href") or ""), "<link rel=canonical>")


def _is_update(time: lxml_html.HtmlElement) -> bool:
    """A <time> that dates an update: itemprop dateModified, or labelled so ("Updated …")."""
    if (time.get("itemprop") or "") == "dateModified":
        return True
    if (time.get("itemprop") or "") == "datePublished" or time.get("pubdate") is not None:
        return False
    parent = time.getparent()
    before = (parent.text or "") if parent is not None else ""
    names = " ".join(f"{n.get('class') or ''} {n.get('id') or ''}"
                     for n in (time, *([parent] if parent is not None else [])))
    return bool(_UPDATE_WORDS.search(before) or _UPDATE_WORDS.search(names))


def _without_site(title: str, meta: dict[str, list[str]]) -> str:
    """A <title> without the site's name after a bar or a dash ("Headline | Site")."""
    parts = re.split(r"\s+[|\u2013\u2014-]\s+", title)
    return parts[0] if len(parts) > 1 and len(parts[0].split()) >= 3 else title


def _web_address(text: str) -> str:
    return text if text.startswith(("http://", "https://")) else ""


def _language(text: str) -> str:
    tag = text.strip().replace("_", "-")
    return canonical_tag(tag) if tag and is_language_tag(tag) else ""


def _htmldate(html: str, url: Guess | None) -> str:
    from htmldate import find_date

    try:
        found = find_date(html, original_date=True, extensive_search=False,
                          url=url.value if url else None)
    except (ValueError, TypeError):
        return ""
    return iso_date(found or "")


def pdf_metadata(info: dict[str, str]) -> dict[str, Guess]:
    """The document information of a PDF: /Title, /Author, /CreationDate (as the publication
    date, which it often is not: marked for checking) and /ModDate (only ever `modified`)."""
    found: dict[str, Guess] = {}
    for key, field, convert in (("title", "/Title", squash), ("author", "/Author", squash),
                                ("published", "/CreationDate", _pdf_date),
                                ("modified", "/ModDate", _pdf_date)):
        value = convert(str(info.get(field) or ""))
        if value:
            found[key] = Guess(value, f"the PDF's {field[1:]}" + (
                " (the day the file was made)" if field == "/CreationDate" else ""))
    return found


def _pdf_date(text: str) -> str:
    """D:20200630120000Z → 2020-06-30."""
    digits = text.removeprefix("D:")
    if len(digits) >= 8 and digits[:8].isdigit():
        return iso_date(f"{digits[:4]}-{digits[4:6]}-{digits[6:8]}")
    return ""
