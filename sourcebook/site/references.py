"""A source's reference, as reference managers (Zotero, Mendeley, EndNote, JabRef) read it.

A `Reference` is built once from a source's annotation (`reference`); three serialisers write it
as CSL-JSON (`csl_item`), BibTeX (`bibtex_entry`) and RIS (`ris_record`), so the field mapping
lives here once. Output is deterministic: the same annotation gives the same bytes.

- Authors: the annotation's `author` is a byline, "Lalit K Jha" or "A and B" or "A, B". Each
  name is split into family and given name only when it is clearly "Given Family" (two to four
  capitalised words, the last not an initial, none a word an organisation's name uses);
  anything else (a desk, an agency, a name in a script without case) is kept whole, as CSL's
  `literal` (BibTeX: in braces; RIS: as written).
- The translated title: CSL has no trans-title (its `original-title` is for a translation's
  original, the other way round), so it goes in `note`, "Translated title: …", as does the
  wire `agency`; Zotero keeps `note` in its Extra field.
- The language: the annotation's, else the site's; BibTeX's `langid` is its English name in
  lower case (`english`, `russian`), as babel and polyglossia name languages.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ..content.languages import english_name
from ..content.model import PartialDate, SourceDoc
from .citeformats import bibtex_text

ORGANISATION_WORDS = frozenset({
    "agency", "bureau", "correspondent", "correspondents", "desk", "editor", "editorial",
    "editors", "network", "news", "newsdesk", "online", "post", "press", "reporter", "service",
    "staff", "team", "times", "web", "writer", "wire"})
_AUTHORS_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&)\s*")
_CAPITALISED = re.compile(r"[^\W\d_][^\W\d_'\u2019.-]*(?:['\u2019-][^\W\d_]+)*\.?")


@dataclass(frozen=True, slots=True)
class Name:
    """An author: a person's family and given names, or a name kept whole (`literal`)."""

    family: str = ""
    given: str = ""
    literal: str = ""

    def csl(self) -> dict[str, str]:
        """The name as a CSL-JSON name variable."""
        return {"literal": self.literal} if self.literal else {"family": self.family,
                                                                 "given": self.given}

    def inverted(self) -> str:
        """'Family, Given' (RIS, BibTeX), or the whole name."""
        return self.literal or f"{self.family}, {self.given}"


@dataclass(frozen=True, slots=True)
class Reference:
    """What a reference manager needs of a source; `id` is the source's name."""

    id: str
    title: str
    container: str  # the outlet ("" if none): the item is then a web page
    authors: tuple[Name, ...]
    issued: PartialDate | None
    accessed: PartialDate | None
    url: str
    language: str  # a BCP 47 tag
    note: str  # the translated title and the agency, if any

    @property
    def is_news(self) -> bool:
        """A newspaper article when the outlet is known, else a web page."""
        return bool(self.container)


def split_authors(byline: str) -> tuple[Name, ...]:
    """The names of a byline: "A and B", "A, B", "A & B"; each as `person_name` reads it."""
    return tuple(person_name(part) for part in _AUTHORS_SPLIT.split(byline.strip()) if part)


def person_name(name: str) -> Name:
    """A name split into family and given where it is clearly "Given Family", else whole."""
    words = name.split()
    clear = (2 <= len(words) <= 4
             and all(_CAPITALISED.fullmatch(w) and w[0].isupper() for w in words)
             and not words[-1].endswith(".") and len(words[-1]) > 1
             and not words[-1].isupper()
             and not any(w.strip(".").casefold() in ORGANISATION_WORDS for w in words))
    if not clear:
        return Name(literal=" ".join(words))
    return Name(family=words[-1], given=" ".join(words[:-1]))


def reference(doc: SourceDoc, site_language: str) -> Reference:
    """The reference of a source, from its annotation."""
    notes = []
    if doc.trans_title:
        by = f" ({doc.translator})" if doc.translator else ""
        notes.append(f"Translated title{by}: {doc.trans_title}")
    if doc.agency:
        notes.append(f"Agency: {doc.agency}")
    return Reference(doc.id, _line(doc.title), _line(doc.outlet or ""),
                     split_authors(doc.author) if doc.author else (), doc.published,
                     doc.retrieved, doc.url or "", doc.language_or(site_language),
                     _line("; ".join(notes)))


def _line(text: str) -> str:
    """Whitespace collapsed: reference formats keep a field on one line."""
    return " ".join(text.split())


# --- CSL-JSON ---


def csl_item(ref: Reference) -> dict:
    """The reference as a CSL-JSON item (the citation style language's input format)."""
    item: dict = {"id": ref.id, "type": "article-newspaper" if ref.is_news else "webpage",
                  "title": ref.title}
    if ref.container:
        item["container-title"] = ref.container
    if ref.authors:
        item["author"] = [name.csl() for name in ref.authors]
    if ref.issued:
        item["issued"] = _date_parts(ref.issued)
    if ref.accessed:
        item["accessed"] = _date_parts(ref.accessed)
    if ref.url:
        item["URL"] = ref.url
    item["language"] = ref.language
    if ref.note:
        item["note"] = ref.note
    return item


def _date_parts(date: PartialDate) -> dict:
    parts = [date.year, *([date.month] if date.month else []), *([date.day] if date.day else [])]
    return {"date-parts": [parts]}


def csl_json(items: list[dict]) -> str:
    """CSL-JSON items as a file: a JSON array, two-space indents, a final newline."""
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


# --- BibTeX (BibLaTeX's fields, which Zotero and JabRef read; BibTeX ignores the others) ---


def bibtex_entry(ref: Reference) -> str:
    """The reference as a BibTeX entry, keyed by the source's name: @article in a newspaper,
    else @online; text escaped by citeformats.bibtex_text (one place for it)."""
    fields: list[tuple[str, str]] = [("title", bibtex_text(ref.title))]
    if ref.authors:
        fields.append(("author", " and ".join(
            f"{{{bibtex_text(n.literal)}}}" if n.literal else
            f"{bibtex_text(n.family)}, {bibtex_text(n.given)}" for n in ref.authors)))
    if ref.container:
        fields.append(("journal", bibtex_text(ref.container)))
    if ref.issued:
        fields += [("date", ref.issued.iso()), ("year", str(ref.issued.year))]
    if ref.url:
        fields.append(("url", _bibtex_url(ref.url)))
    if ref.accessed:
        fields.append(("urldate", ref.accessed.iso()))
    name = english_name(ref.language)
    if name:
        fields.append(("langid", re.sub(r"[^a-z]", "", name.casefold())))
    fields.append(("language", ref.language))
    if ref.note:
        fields.append(("note", bibtex_text(ref.note)))
    body = ",\n".join(f"  {key} = {{{value}}}" for key, value in fields)
    return f"@{'article' if ref.is_news else 'online'}{{{ref.id},\n{body}\n}}\n"


def _bibtex_url(url: str) -> str:
    """A URL as BibLaTeX's verbatim `url` field takes it: as written, but the characters that
    would unbalance the braces or escape percent-encoded (%7B, %7D, %5C)."""
    return url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


# --- RIS ---


def ris_record(ref: Reference) -> str:
    """The reference as an RIS record (CRLF line ends, "TAG  - value" lines, ending ER)."""
    lines = [("TY", "NEWS" if ref.is_news else "ELEC"), ("ID", ref.id), ("TI", ref.title)]
    if ref.container:
        lines.append(("T2", ref.container))
    lines += [("AU", name.inverted()) for name in ref.authors]
    if ref.issued:
        lines += [("PY", f"{ref.issued.year:04d}"), ("DA", _ris_date(ref.issued))]
    if ref.url:
        lines.append(("UR", ref.url))
    if ref.accessed:
        lines.append(("Y2", _ris_date(ref.accessed)))
    lines.append(("LA", ref.language))
    if ref.note:
        lines.append(("N1", ref.note))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)


def _ris_date(date: PartialDate) -> str:
    """RIS's YYYY/MM/DD/ form; an unknown month or day is left empty (2022/04//)."""
    month = f"{date.month:02d}" if date.month else ""
    day = f"{date.day:02d}" if date.day else ""
    return f"{date.year:04d}/{month}/{day}/"
