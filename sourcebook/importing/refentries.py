"""Reading a reference manager's export: CSL-JSON (Zotero's "CSL JSON" export, a list of items)
and BibTeX or BibLaTeX (bibtexparser v2), each entry as the annotation fields it gives.

Each entry keeps where it stands (`path:line:col`: a JSON item's opening brace, a BibTeX
entry's `@`), so that what `import` adds to an annotation says where it came from and a problem
is located. A file that cannot be read at all is an error; a value that cannot be read (a date
in no known form, a language that is not a tag) is a warning, and that field is left out.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..content.languages import canonical_tag, is_language_tag, tag_for_name
from ..diagnostics import Diagnostics, Location, text_location

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


@dataclass(frozen=True, slots=True)
class Entry:
    """One reference of an export, as annotation values (None: the entry does not give it)."""

    location: Location
    key: str  # the CSL `id` or the BibTeX key
    title: str | None = None
    outlet: str | None = None
    author: str | None = None  # as an annotation writes a byline: "Jane Doe and John Roe"
    published: str | None = None  # ISO 8601 at its precision: 2022, 2022-04, 2022-04-23
    url: str | None = None
    language: str | None = None  # a BCP 47 tag

    def values(self) -> dict[str, str]:
        """The fields the entry gives, in the annotation's order."""
        found = {"title": self.title, "language": self.language, "outlet": self.outlet,
                 "author": self.author, "published": self.published, "url": self.url}
        return {key: value for key, value in found.items() if value}


def read_text(path: Path, shown: str, diags: Diagnostics) -> str | None:
    """A reference file's text (UTF-8, a BOM dropped), or None (reported)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        diags.error(Location(shown), f"cannot read the file: {exc.strerror or exc}",
                    "give the path of a file exported by the reference manager")
        return None
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        diags.error(text_location(shown, data[:exc.start].decode("utf-8", "replace"),
                                  exc.start), "the file is not UTF-8 text",
                    "export it again as UTF-8 (Zotero and JabRef do by default)")
        return None


# --- CSL-JSON ---


def csl_entries(text: str, shown: str, diags: Diagnostics) -> list[Entry] | None:
    """The items of a CSL-JSON file (a list of items, or one item), or None (reported)."""
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        diags.error(Location(shown, exc.lineno, exc.colno), f"not JSON: {exc.msg}",
                    "export the collection from the reference manager as CSL JSON")
        return None
    decoder = json.JSONDecoder()
    at = _skip_space(text, 0)
    items: list[tuple[object, int]] = []
    if text.startswith("[", at):
        at = _skip_space(text, at + 1)
        while not text.startswith("]", at):
            item, end = decoder.raw_decode(text, at)
            items.append((item, at))
            at = _skip_space(text, end)
            at = _skip_space(text, at + 1) if text.startswith(",", at) else at
    else:
        items.append((decoder.raw_decode(text, at)[0], at))
    entries = []
    for item, offset in items:
        location = text_location(shown, text, offset)
        if not isinstance(item, dict):
            diags.error(location, "a CSL-JSON item must be an object",
                        "the file should be a list of items, as Zotero's CSL JSON export is")
            return None
        entries.append(_csl_entry(item, location, diags))
    return entries


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t\r\n":
        at += 1
    return at


def _csl_entry(item: dict, location: Location, diags: Diagnostics) -> Entry:
    names = item.get("author")
    return Entry(
        location, str(item.get("id", "")), _text(item.get("title")),
        _text(item.get("container-title")),
        _csl_authors(names) if isinstance(names, list) else None,
        _csl_date(item.get("issued"), location, diags), _text(item.get("URL")),
        _language(_text(item.get("language")), location, diags))


def _text(value: object) -> str | None:
    """A text field, whitespace collapsed (a list, as some exporters write titles: its first)."""
    if isinstance(value, list) and value:
        value = value[0]
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return None
    return " ".join(str(value).split()) or None


def _csl_authors(names: list) -> str | None:
    """CSL names as a byline: "Given Family" (with particles and suffix) or the literal."""
    written = []
    for name in names:
        if not isinstance(name, dict):
            continue
        if literal := _text(name.get("literal")):
            written.append(literal)
            continue
        parts = [_text(name.get(key)) for key in ("given", "dropping-particle",
                                                   "non-dropping-particle", "family")]
        whole = " ".join(p for p in parts if p)
        if suffix := _text(name.get("suffix")):
            whole = f"{whole} {suffix}"
        if whole:
            written.append(whole)
    return " and ".join(written) or None


def _csl_date(value: object, location: Location, diags: Diagnostics) -> str | None:
    if not isinstance(value, dict):
        return None
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        try:
            return _iso(*(int(p) for p in parts[0][:3]))
        except (TypeError, ValueError):
            pass
    raw = _text(value.get("raw")) or _text(value.get("literal"))
    return iso_date(raw, location, diags) if raw else None


# --- dates and languages ---

_ISO = re.compile(r"(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?(?:[T ].*)?")


def iso_date(text: str, location: Location, diags: Diagnostics) -> str | None:
    """A date written 2022, 2022-04, 2022-04-23 (or with slashes, or a time after it) as ISO
    8601 at its precision; None, with a warning, for anything else."""
    match = _ISO.fullmatch(text.strip())
    if match:
        try:
            return _iso(*(int(g) for g in match.groups() if g))
        except ValueError:
            pass
    diags.warning(location, f"the date {text!r} is not in a form `import` reads, so it is "
                  "not imported", "write it as YYYY-MM-DD, YYYY-MM or YYYY")
    return None


def _iso(year: int, month: int | None = None, day: int | None = None) -> str:
    """The date as ISO 8601 at its precision; ValueError if it is no date."""
    import datetime

    if month is None:
        return f"{year:04d}"
    if day is None:
        datetime.date(year, month, 1)
        return f"{year:04d}-{month:02d}"
    return datetime.date(year, month, day).isoformat()


def _language(value: str | None, location: Location, diags: Diagnostics) -> str | None:
    """A language as a BCP 47 tag: a tag as given, or a language's name ("English")."""
    if not value:
        return None
    if is_language_tag(value):
        return canonical_tag(value)
    tag = tag_for_name(value)
    if tag is None:
        diags.warning(location, f"the language {value!r} is neither a BCP 47 tag nor a "
                      "language's name, so it is not imported",
                      "write a tag such as en, ru or pt-BR in the annotation yourself")
    return tag


# --- BibTeX ---


def bibtex_entries(text: str, shown: str, diags: Diagnostics) -> list[Entry] | None:
    """The entries of a BibTeX file, or None (reported: a block bibtexparser cannot parse)."""
    import bibtexparser

    library = bibtexparser.parse_string(text)
    for failed in library.failed_blocks:
        diags.error(Location(shown, failed.start_line + 1, 1),
                    f"cannot read this BibTeX block: {failed.error}",
                    "check its braces and commas, or export the file again")
    if library.failed_blocks:
        return None
    entries = []
    for entry in library.entries:
        location = Location(shown, entry.start_line + 1, 1)
        fields = {f.key.casefold(): str(f.value) for f in entry.fields}
        entries.append(Entry(
            location, entry.key, _latex(fields.get("title")),
            _latex(fields.get("journaltitle") or fields.get("journal")),
            _bibtex_authors(fields.get("author")), _bibtex_date(fields, location, diags),
            _bibtex_url(fields.get("url")),
            _language(_latex(fields.get("language") or fields.get("langid")), location,
                      diags)))
    return entries


# Escapes pylatexenc reads as an accent on nothing (citeformats.bibtex_text writes them for ^
# and ~): kept aside as private-use characters while the rest is decoded.
_EMPTY_ACCENTS = {r"\^{}": ("\ue000", "^"), r"\~{}": ("\ue001", "~")}


def _latex(value: str | None) -> str | None:
    """A BibTeX value as text: LaTeX escapes and accents decoded, braces dropped."""
    if not value:
        return None
    from pylatexenc.latex2text import LatexNodes2Text

    for escape, (aside, _) in _EMPTY_ACCENTS.items():
        value = value.replace(escape, aside)
    text = LatexNodes2Text(math_mode="verbatim").latex_to_text(value)
    for aside, char in _EMPTY_ACCENTS.values():
        text = text.replace(aside, char)
    return " ".join(text.split()) or None


def _split_top(value: str, separator: re.Pattern[str]) -> list[str]:
    """The value split where `separator` matches outside braces."""
    parts, depth, start = [], 0, 0
    at = 0
    while at < len(value):
        char = value[at]
        depth += (char == "{") - (char == "}")
        match = separator.match(value, at) if depth == 0 else None
        if match and match.end() > at:
            parts.append(value[start:at])
            start = at = match.end()
            continue
        at += 1
    parts.append(value[start:])
    return [p.strip() for p in parts if p.strip()]


_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_COMMA = re.compile(r",\s*")


def _bibtex_authors(value: str | None) -> str | None:
    """BibTeX names ("Family, Given and {Organisation}") as a byline ("Given Family and
    Organisation"): a name in braces is kept whole."""
    if not value:
        return None
    written = []
    for name in _split_top(value, _AND):
        parts = _split_top(name, _COMMA)
        if len(parts) >= 2:  # Family, Given  or  Family, Jr, Given
            family, given = parts[0], parts[-1]
            suffix = f" {parts[1]}" if len(parts) == 3 else ""
            name = f"{given} {family}{suffix}"
        if text := _latex(name):
            written.append(text)
    return " and ".join(written) or None


def _bibtex_date(fields: dict[str, str], location: Location,
                 diags: Diagnostics) -> str | None:
    if date := _latex(fields.get("date")):
        return iso_date(date.split("/")[0] if "/" in date and "-" in date else date, location,
                        diags)
    year = _latex(fields.get("year"))
    if not year:
        return None
    month = (_latex(fields.get("month")) or "").casefold()[:3]
    number = (MONTHS.index(month) + 1 if month in MONTHS
              else int(month) if month.isdigit() else None)
    day = _latex(fields.get("day"))
    text = year + (f"-{number}" if number else "") + (f"-{day}" if number and day else "")
    return iso_date(text, location, diags)


def _bibtex_url(value: str | None) -> str | None:
    """A URL as written (BibLaTeX's url is verbatim), less the escapes some exporters add."""
    if not value:
        return None
    return re.sub(r"\\([_%#&$~])", r"\1", value.strip().strip("{}")) or None
