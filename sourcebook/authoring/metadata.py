"""Guessing an article's metadata from its seed: dates, the dateline, the byline and the wire
agency's credit line. Each guess keeps the line it came from (authoring.draft)."""

from __future__ import annotations

import dataclasses
import datetime
import re

from ..selectors.normalize import normalize
from .sentences import Line

_MONTHS = {name: i for i, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sept", "sep"),
    ("october", "oct"), ("november", "nov"), ("december", "dec")), start=1) for name in names}
_MONTH = r"(?P<month>(?i:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r"))\.?"
_WEEKDAY = r"(?:(?i:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?i:[a-z]*)\.?,?\s+)?"
_ORDINAL = r"(?i:st|nd|rd|th)?"
_DATE_FORMS = (
    r"(?P<iso_y>\d{4})[-/](?P<iso_m>\d{1,2})[-/](?P<iso_d>\d{1,2})(?!\d)",
    _WEEKDAY + _MONTH + r"\s+(?P<mdy_d>\d{1,2})" + _ORDINAL + r",?\s+(?P<mdy_y>\d{4})(?!\d)",
    _WEEKDAY + r"(?P<dmy_d>\d{1,2})" + _ORDINAL + r"\s+(?:of\s+)?" + _MONTH.replace(
        "month", "dmy_m") + r",?\s+(?P<dmy_y>\d{4})(?!\d)",
)
DATE = re.compile("|".join(f"(?:{form})" for form in _DATE_FORMS))
# What a dateline may add around the date: a label before it, a time and time zone after it.
_LABEL = (r"(?P<label>(?i:date|dated|published|published on|first published|updated|"
          r"updated on|last updated|posted|posted on)\s*:?\s*)?")
_TIME = (r"(?:\s*[,|-]?\s*(?:(?i:at)\s+)?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?"
         r"(?:\s*(?i:[ap]\.?m\.?))?(?:\s*\(?[A-Z]{2,5}\)?)?)?")
DATELINE = re.compile(_LABEL + r"(?P<date>" + DATE.pattern + r")" + _TIME)


def _iso_from(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    if groups["iso_y"]:
        year, month, day = groups["iso_y"], groups["iso_m"], groups["iso_d"]
    elif groups["mdy_y"]:
        year, month, day = groups["mdy_y"], groups["month"], groups["mdy_d"]
    else:
        year, month, day = groups["dmy_y"], groups["dmy_m"], groups["dmy_d"]
    number = int(month) if month.isdigit() else _MONTHS[month.lower()]
    try:
        return datetime.date(int(year), number, int(day)).isoformat()
    except ValueError:  # 31 April and the like: not a date, so not a guess
        return None


def find_date(text: str) -> str | None:
    """The first date written out in full in text, as YYYY-MM-DD."""
    for match in DATE.finditer(text):
        iso = _iso_from(match)
        if iso:
            return iso
    return None


@dataclasses.dataclass(frozen=True, slots=True)
class Dateline:
    """A dateline of the seed: its date as YYYY-MM-DD, and where it stands."""

    date: str
    line: int
    start: int  # the dateline's span in the seed (label, date, time and zone)
    end: int
    text: str


def find_dateline(line: Line) -> Dateline | None:
    """A date at the start of a line that is all date, or that labels it ("date 2022-04-23").

    A date inside a sentence ("on February 26, 2022") is news, not the article's date."""
    match = DATELINE.match(line.text)
    if not match:
        return None
    rest = line.text[match.end():].strip(" |,-")
    if rest and not match.group("label"):
        return None
    iso = _iso_from(match)
    if iso is None:
        return None
    return Dateline(iso, line.number, line.start, line.start + match.end(), match.group())


# --- byline and agency ---

_NAME = r"[A-Z][\w'.-]*(?:\s+(?:[A-Z][\w'.-]*|de|da|van|von|bin|al))*"
BYLINE = re.compile(r"(?i:by):?\s+(?P<author>" + _NAME + r"(?:\s*(?:,|and|&)\s*" + _NAME
                    + r")*?)(?:\s*[,|/\u2013\u2014-]\s*(?P<rest>.+))?")
AGENCY_CREDIT = re.compile(
    r"(?:(?i:source|agency|agencies|courtesy|via|wire)\s*:\s*(?P<named>.{2,40})"
    r"|\(?(?i:with inputs from)\s+(?P<inputs>[^)]{2,40}?)\)?\.?)")
WIRE = re.compile(r"[A-Z]{2,6}|Reuters|Bloomberg|Associated Press|Agence France-Presse")


@dataclasses.dataclass(frozen=True, slots=True)
class Credit:
    """A name read from a line of the seed (a byline's author or an agency), with that line."""

    value: str
    line: Line


def find_byline(line: Line) -> tuple[Credit, str] | None:
    """The author of a line such as "By Lalit K Jha", and what follows the name, if anything.

    Only a short line that starts with "By" and a capitalised name counts: "By using this
    site…" is a cookie banner, not a byline."""
    text = normalize(line.text)
    match = BYLINE.fullmatch(text)
    if not match or len(text.split()) > 12 or text.endswith("."):
        return None
    if len((match.group("rest") or "").split()) > 6:  # "By Friday, the Pentagon had…"
        return None
    return Credit(match.group("author").strip(" ,"), line), (match.group("rest") or "").strip()


def find_agency_credit(line: Line) -> Credit | None:
    """The wire service of a credit line ("Source: PTI"); a mention in a sentence ("according
    to news agency PTI") names whom the article quotes, not who wrote it."""
    match = AGENCY_CREDIT.fullmatch(normalize(line.text))
    if not match:
        return None
    value = (match.group("named") or match.group("inputs") or "").strip(" .")
    if len(value.split()) > 4 or not value[:1].isupper():
        return None
    return Credit(value, line)
