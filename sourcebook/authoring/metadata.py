"""Guessing an article's metadata from its seed: dates, the dateline, the byline and the wire
agency's credit line. Each guess keeps the line it came from (authoring.draft).

The forms are those of wire services (Reuters, AP, AFP, PTI, ANI, IANS) and of Indian and
international newspapers, as their pages are scraped:

- date lines: "December 10, 2024 18:05 IST", "Dec 10, 2024, 06:05 PM IST", "10 December 2024",
  "2024-12-10T18:05:00+05:30", labelled or not ("Published: …", "Last Updated: …");
- place-led datelines: "NEW DELHI, Dec 10 (Reuters) -", "WASHINGTON (AP) —",
  "New Delhi [India], December 10 (ANI):", "New Delhi, December 10, 2024 18:05 IST",
  "NEW DELHI:";
- bylines: "By Rahul Singh", "Written by A and B", "Rahul Singh | New Delhi", and a wire alone
  ("Reuters"), which credits the agency, not an author.

"Updated" and "Modified" dates are kept apart: they are never the publication date.

Russian and Hindi pages are read too (issue 17), their names and words from authoring.locales:
"14 ноября 2021 г.", "14.11.2021", "१४ नवंबर २०२१"; "Опубликовано: …", "Обновлено: …",
"प्रकाशित: …", "अपडेट: …"; TASS's "МОСКВА, 14 ноября. /ТАСС/.", RIA Novosti's "МОСКВА, 14 ноя
— РИА Новости.", PTI Bhasha's "नई दिल्ली, 14 नवंबर (भाषा)"; "Автор: Иван Петров", "लेखक: …",
"… द्वारा", and a name alone before the text ("Иван Петров", "राहुल सिंह, नई दिल्ली").
"""

from __future__ import annotations

import dataclasses
import datetime
import re

from ..selectors.normalize import normalize
from ..selectors.wordchars import LETTER  # what must not follow a month name
from . import locales
from .sentences import Line

_MONTHS = {name: i for i, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sept", "sep"),
    ("october", "oct"), ("november", "nov"), ("december", "dec")), start=1) for name in names}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_MONTHS.update(locales.MONTHS)  # Russian and Hindi, from CLDR (authoring.locales)


def _month(group: str) -> str:
    # (?![a-z]): "Mar" must not be the start of "Marathi", nor "May" of "Mayor"; nor "мая"
    # of "маяк".
    return (rf"(?P<{group}>(?i:{_MONTH_NAMES})(?![A-Za-z])"
            rf"|(?i:{locales.MONTH_NAMES})(?!{LETTER}))\.?")


_WEEKDAY = (r"(?:(?:(?i:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?i:[a-z]*)"
            rf"|(?i:{locales.WEEKDAY_NAMES})(?!{LETTER}))\.?,?\s+)?")
_ORDINAL = r"(?i:st|nd|rd|th)?"
# \d is any script's digit: "१४ नवंबर २०२१" reads as "14 नवंबर 2021" (int() reads them too).
_DATE_FORMS = (
    r"(?P<iso_y>\d{4})[-/](?P<iso_m>\d{1,2})[-/](?P<iso_d>\d{1,2})(?!\d)",
    _WEEKDAY + _month("mdy_m") + r"\s+(?P<mdy_d>\d{1,2})" + _ORDINAL
    + r",?\s+(?P<mdy_y>\d{4})(?!\d)",
    _WEEKDAY + r"(?P<dmy_d>\d{1,2})" + _ORDINAL + r"\s+(?:of\s+)?" + _month("dmy_m")
    + r",?\s+(?P<dmy_y>\d{4})(?!\d)" + locales.YEAR_WORD,
    # Day first with dots, as Russian pages write it ("14.11.2021"); never month first.
    r"(?<![\d.])(?P<dot_d>\d{1,2})\.(?P<dot_m>\d{1,2})\.(?P<dot_y>\d{4})(?![\d.]\d)"
    + locales.YEAR_WORD,
)
# Day and month without the year, as wire datelines write them ("Dec 10 (Reuters)"); only
# ever read in a dateline, never in running text. Tried after the full forms.
_PARTIAL_FORMS = (
    _WEEKDAY + _month("md_m") + r"\s+(?P<md_d>\d{1,2})" + _ORDINAL
    + r"(?!\d|[:.]\d|,?\s+\d{4})",
    _WEEKDAY + r"(?P<dm_d>\d{1,2})" + _ORDINAL + r"\s+(?:of\s+)?" + _month("dm_m")
    + r"(?!,?\s+\d{4})",
)
DATE = re.compile("|".join(f"(?:{form})" for form in _DATE_FORMS))
_ANY_DATE = "|".join(f"(?:{form})" for form in (*_DATE_FORMS, *_PARTIAL_FORMS))

# What a dateline may add around the date: a label before it, a time and time zone after it
# (or before it, as AP writes "Updated 6:05 PM EST, December 10, 2024").
_UPDATED_WORDS = (r"(?:last\s+)?(?:updated|modified|edited|revised)(?:\s+(?:on|at))?"
                  rf"|{locales.UPDATED_WORDS}")
_PUBLISHED_WORDS = (r"dated|date|(?:first\s+|originally\s+)?(?:published|posted)(?:\s+(?:on|at))?"
                    rf"|created(?:\s+on)?|{locales.PUBLISHED_WORDS}")
_LABEL = (rf"(?P<label>(?:(?P<updated>(?i:{_UPDATED_WORDS}))|(?i:{_PUBLISHED_WORDS}))"
          r"\s*[:\u2013\u2014-]?\s*)?")
_CLOCK = r"(?:\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s*(?i:[ap]\.?m\.?))?|\d{1,2}\s*(?i:[ap]\.?m\.?))"
_ZONE = (r"(?:\s*(?i:hrs|hours)\.?)?(?:\s*\(?(?:(?:GMT|UTC)\s*[+-]\s*\d{1,2}(?::?\d{2})?"
         r"|[+-]\d{2}:?\d{2}|[A-Z]{2,5}|" + locales.ZONES + r")\)?(?![A-Za-z]))?")
_ISO_TIME = r"T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"
_TIME = (rf"(?:{_ISO_TIME}|\s*[,|/\u2013\u2014-]?\s*(?:(?i:at|{locales.AT_WORDS})\s+)?"
         rf"{_CLOCK}{_ZONE})?")
_LEAD_TIME = rf"(?:{_CLOCK}{_ZONE}\s*,?\s*)?"
DATELINE = re.compile(_LABEL + _LEAD_TIME + r"(?P<date>" + _ANY_DATE + r")" + _TIME)
_BETWEEN_DATES = re.compile(r"[\s|,;/\u2022\u00b7\u2013\u2014-]*")

# Wire services, as datelines and credit lines name them.
WIRE_NAMES = ("Reuters", "AP", "AFP", "PTI", "ANI", "IANS", "UNI", "Bloomberg", "Xinhua",
              "TASS", "DPA", "dpa", "EFE", "Kyodo", "Yonhap", "Sputnik", "CNN", "Anadolu",
              "IRNA", "APP", "UNB", "BSS", "Associated Press", "Agence France-Presse",
              "Press Trust of India", "Asian News International", "Indo-Asian News Service",
              "United News of India", *locales.WIRE_NAMES)
_WIRE_NAME = "|".join(re.escape(n) for n in sorted(WIRE_NAMES, key=len, reverse=True))

# A place as datelines write it: "NEW DELHI", "New Delhi [India]", "KYIV, Ukraine",
# "WASHINGTON, D.C.", "LONDON/NEW DELHI". Never a month or a weekday ("December 10, 2024").
_NOT_A_DATE = (rf"(?!(?i:{_MONTH_NAMES}|(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)"
               r"(?:day)?)(?![A-Za-z]))"
               rf"(?!(?i:{locales.MONTH_NAMES}|{locales.WEEKDAY_NAMES})(?!{LETTER}))")
# "МОСКВА", "НЬЮ-ДЕЛИ", "नई दिल्ली" too.
_PLACE_WORD = (_NOT_A_DATE + r"(?:[A-Z][A-Za-z.'\u2019-]*"
               rf"|{locales.CYRILLIC_WORD}|{locales.DEVANAGARI_WORD})")
_PLACE_NAME = rf"{_PLACE_WORD}(?:\s+(?:(?:of|de|da|del|la|el|al|and|&)\s+)?{_PLACE_WORD}){{0,3}}"
_PLACE = (rf"(?P<place>{_PLACE_NAME}(?:\s*/\s*{_PLACE_NAME})*(?:\s*\[[^\]\n]{{2,30}}\])?"
          rf"(?:,\s*{_PLACE_NAME}(?:\s*\[[^\]\n]{{2,30}}\])?)?)")
PLACE_DATELINE = re.compile(
    rf"(?:{_PLACE}\s*)?"
    rf"(?:(?:\s*[,|.]\s*|\s+)?(?P<date>{_ANY_DATE}){_TIME})?"
    rf"\s*(?:\(\s*(?P<agency>{_WIRE_NAME})\s*\)"
    # TASS: "МОСКВА, 14 ноября. /ТАСС/."; RIA Novosti: "МОСКВА, 14 ноя — РИА Новости."
    rf"|\.?\s*/\s*(?P<agency_slash>{_WIRE_NAME})\s*/\.?"
    rf"|[\u2013\u2014-]\s*(?P<agency_dash>{locales.alternation(locales.WIRE_NAMES)})\.(?=\s|$))?"
    r"(?P<sep>\s*[:\u2013\u2014-]+(?=\s|$))?")
_PLACE_ALONE = re.compile(_PLACE_NAME)
# The paragraph after "NEW DELHI:": prose that ends like a sentence, not a headline's tail.
_SENTENCE = re.compile(r"\S.*[.!?\u0964][\"'\u201d\u2019\u00bb)]*")  # \u0964: the danda
# Capitalised words that open a line with a colon but are not places ("IMAGE: …").
_NOT_PLACES = frozenset(
    "also alert analysis breaking by caption credit disclaimer editor editor's exclusive "
    "explained fact file image listen live news note photo photos pic picture read report "
    "source update updates video watch warning".split()) | locales.NOT_PLACES


def _parts(match: re.Match[str]) -> tuple[str | None, tuple[int, int] | None]:
    """The full date (YYYY-MM-DD) or else the (month, day) of a date match; (None, None) if
    the date does not exist (31 April)."""
    groups = match.groupdict()
    for y, m, d in (("iso_y", "iso_m", "iso_d"), ("mdy_y", "mdy_m", "mdy_d"),
                    ("dmy_y", "dmy_m", "dmy_d"), ("dot_y", "dot_m", "dot_d"),
                    (None, "md_m", "md_d"), (None, "dm_m", "dm_d")):
        if groups.get(m):
            month = groups[m]
            number = int(month) if month.isdigit() else _MONTHS[month.lower()]
            year = int(groups[y]) if y else 2000  # a leap year: 29 February may stand alone
            try:
                day = datetime.date(year, number, int(groups[d]))
            except ValueError:  # 31 April and the like: not a date, so not a guess
                return None, None
            return (day.isoformat(), None) if y else (None, (number, day.day))
    return None, None


def find_date(text: str) -> str | None:
    """The first date written out in full in text, as YYYY-MM-DD."""
    for match in DATE.finditer(text):
        iso, _ = _parts(match)
        if iso:
            return iso
    return None


def full_dates(text: str) -> list[str]:
    """Every date written out in full in text, as YYYY-MM-DD, in order."""
    return [iso for match in DATE.finditer(text) if (iso := _parts(match)[0])]


def labelled_dates(text: str) -> tuple[str | None, str | None]:
    """The first publication date and the first update date written in full in text ("Rahul
    Singh | Updated: Dec 10, 2024"): an "Updated"/"Modified" date is never the publication
    date."""
    published = updated = None
    for match in DATELINE.finditer(text):
        iso, _ = _parts(match)
        if iso and match.group("updated"):
            updated = updated or iso
        elif iso:
            published = published or iso
    return published, updated


def without_dates(text: str) -> str:
    """text without its dates and their labels, times and zones."""
    return DATELINE.sub(" ", text)


@dataclasses.dataclass(frozen=True, slots=True)
class Dateline:
    """A dateline of the seed, and where it stands.

    date is the publication date as YYYY-MM-DD, if the line gives one with its year;
    month_day is (month, day) when it gives no year ("Dec 10 (Reuters)"); updated is an
    update date ("Last Updated: …"), kept apart because it is never the publication date;
    agency is the wire service it names ("(Reuters)")."""

    date: str | None
    line: int
    start: int  # the dateline's span in the seed (label, date, time and zone)
    end: int
    text: str
    updated: str | None = None
    month_day: tuple[int, int] | None = None
    agency: str | None = None

    @property
    def place_only(self) -> bool:
        """The line gives a place and nothing else ("NEW DELHI: The Centre said…")."""
        return (self.date is None and self.month_day is None and self.updated is None
                and self.agency is None)

    @property
    def update_only(self) -> bool:
        """The line gives an update date and no publication date or place."""
        return self.updated is not None and self.date is None and self.month_day is None


def find_dateline(line: Line) -> Dateline | None:
    """The dateline at the start of a line: a line that is all date ("December 10, 2024 18:05
    IST"), a labelled date ("Published: …", "Updated: …"), or a place-led dateline ("NEW
    DELHI, Dec 10 (Reuters) -", "WASHINGTON (AP) —"), which may open the first paragraph.

    A date inside a sentence ("on February 26, 2022") is news, not the article's date."""
    return _date_led(line) or _place_led(line)


def _date_led(line: Line) -> Dateline | None:
    """One or more dates from the start of the line ("Published: … | Updated: …")."""
    text = line.text
    published = updated = None
    month_day = None
    labelled = False
    pos = end = 0
    while (match := DATELINE.match(text, pos)) and match.end() > pos:
        iso, partial = _parts(match)
        if iso is None and partial is None:
            break  # 31 April: not a date
        if partial and not match.group("label"):
            break  # "Dec 10" alone opens many a sentence; a label makes it a dateline
        if match.group("updated"):
            updated = updated or iso
        else:
            published = published or iso
            month_day = month_day or partial
        labelled = labelled or bool(match.group("label"))
        end = match.end()
        pos = _BETWEEN_DATES.match(text, end).end()  # type: ignore[union-attr]
    if not end:
        return None
    rest = text[end:].strip(" |,-\u2013\u2014")
    if rest and not labelled and not (text[end:].lstrip().startswith("|")
                                      and _PLACE_ALONE.fullmatch(rest)):
        return None  # "February 26, 2022: Russia attacked Kyiv." is a sentence
    # "December 10, 2024 | New Delhi": the place is part of the dateline
    end = len(text) if rest and not labelled else end
    return Dateline(published, line.number, line.start, line.start + end, text[:end],
                    updated=updated, month_day=month_day)


def _place_led(line: Line) -> Dateline | None:
    text = line.text
    match = PLACE_DATELINE.match(text)
    if not match or not (match.group("place") or match.group("agency")
                         or match.group("agency_slash") or match.group("agency_dash")):
        return None
    place, sep = match.group("place"), match.group("sep")
    agency = match.group("agency") or match.group("agency_slash") or match.group("agency_dash")
    rest = text[match.end():].strip()
    iso = partial = None
    if match.group("date"):
        iso, partial = _parts(match)
        if iso is None and partial is None:
            return None
    if agency:
        pass  # "(Reuters)" after a place or a date: a wire dateline, with or without a date
    elif iso or partial:
        if rest and not sep:
            return None  # "Moscow, December 10 was cold": a sentence
    elif not (place and sep and _caps_place(place) and _SENTENCE.fullmatch(rest)):
        return None  # a place alone counts only as "NEW DELHI: The Centre said… ."
    end = len(text[:match.end()].rstrip())
    return Dateline(iso, line.number, line.start, line.start + end, text[:end],
                    month_day=partial, agency=agency)


def _caps_place(place: str) -> bool:
    """"NEW DELHI" in capitals, which is how a dateline with no date sets its place; not a
    label such as "IMAGE" or "EXCLUSIVE"."""
    words = place.replace("/", " ").split()
    # Devanagari has no capitals: "नई दिल्ली:" is a place if it is short and no label.
    caps = (place.upper() == place if not re.search(locales.DEVANAGARI_WORD, place)
            else len(words) <= 3)
    return (caps and sum(c.isalpha() for c in place) >= 3
            and not any(w.lower().strip(".,") in _NOT_PLACES for w in words))


# --- byline and agency ---

_NAME = r"[A-ZА-ЯЁ][\w'.-]*(?:\s+(?:[A-ZА-ЯЁ][\w'.-]*|de|da|van|von|bin|al))*"
BYLINE = re.compile(r"(?i:(?:(?:written|reported|story)\s+)?by|" + locales.BYLINE_WORDS
                    + r"):?\s+(?P<author>" + _NAME
                    + r"(?:\s*(?:,|and|&)\s*" + _NAME
                    + r")*?)(?:\s*[,|/\u2013\u2014-]\s*(?P<rest>.+))?")
# "Rahul Singh | New Delhi", "Rahul Singh / TNN / Updated: …": a name first, then a bar.
_BARE_BYLINE = re.compile(r"(?P<author>[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){1,3})\s*[|/]\s*"
                          r"(?P<rest>.+)")
_BARE_FIRST = re.compile(r"[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,2}")  # a place or a desk
# Words of a section menu or a label, which a person's name does not hold ("World News | India").
_NOT_NAMES = frozenset(
    "news world india latest home business sport sports opinion politics top live update "
    "updates video videos photos national international nation city cities edition breaking "
    "trending more stories story section tech science health lifestyle entertainment markets "
    "economy defence defense features analysis explained press releases contact about us "
    "privacy policy terms subscribe login sign e-paper epaper gallery podcast podcasts "
    "newsletter newsletters careers advertise web shows games quiz topics tags".split())
AGENCY_CREDIT = re.compile(
    r"(?:(?i:source|agency|agencies|courtesy|via|wire)\s*:\s*(?P<named>.{2,40})"
    rf"|\(?(?i:{locales.CREDIT_WORDS})\s*:\s*(?P<named_intl>[^()]{{2,40}}?)\)?\.?"
    r"|\(?(?i:with inputs from)\s+(?P<inputs>[^)]{2,40}?)\)?\.?"
    r"|\(?(?i:with)\s+(?P<with>[A-Z][\w-]*(?:\s*(?:,|and|&)\s*[A-Z][\w-]*)*)\s+(?i:inputs?)\)?\.?"
    rf"|(?:(?i:by)\s+)?(?P<wire>{_WIRE_NAME})(?:\s+(?i:staff|desk|news service))?)")
WIRE = re.compile(r"[A-Z]{2,6}|Reuters|Bloomberg|Associated Press|Agence France-Presse|"
                  + locales.alternation(locales.WIRE_NAMES))
_WIRE_ONLY = re.compile(rf"(?:{_WIRE_NAME})(?:\s+(?i:staff|desk|news service))?")


@dataclasses.dataclass(frozen=True, slots=True)
class Credit:
    """A name read from a line of the seed (a byline's author or an agency), with that line."""

    value: str
    line: Line


def find_byline(line: Line) -> tuple[Credit, str] | None:
    """The author of a line such as "By Lalit K Jha", "Written by A and B" or "Rahul Singh |
    New Delhi", and what follows the name, if anything (a place, a desk, a date).

    Only a short line counts: "By using this site…" is a cookie banner, not a byline. A wire
    alone ("By Reuters") is an agency, which find_agency_credit reads."""
    text = normalize(line.text)
    match = BYLINE.fullmatch(text) or locales.DEVANAGARI_BYLINE.fullmatch(text)
    bare = match is None
    if bare:
        match = _BARE_BYLINE.fullmatch(text)
    if not match or text.endswith("."):
        return None
    author = (match.groupdict().get("author") or match.group("author_after")).strip(" ,")
    if not locales.could_be_name(author):
        return None
    rest = (match.group("rest") or "").strip()
    # A date in the byline line ("| Updated: December 10, 2024 18:05 IST") is not prose.
    if len(without_dates(text).split()) > 12 or len(without_dates(rest).split()) > 6:
        return None  # "By Friday, the Pentagon had…"
    if _WIRE_ONLY.fullmatch(author):
        return None
    if bare and not _bare_byline(author, rest):
        return None
    return Credit(author, line), rest


def _bare_byline(author: str, rest: str) -> bool:
    """A name with no "By" is a byline only if it is not a menu entry and a place, a desk or
    a date follows it."""
    if any(word.lower() in _NOT_NAMES for word in author.split()):
        return False
    first = re.split(r"\s*[|/]\s*", rest, maxsplit=1)[0]
    return bool(_BARE_FIRST.fullmatch(first) or DATELINE.match(first))


def find_agency_credit(line: Line) -> Credit | None:
    """The wire service of a credit line ("Source: PTI", "(With inputs from ANI)", a line
    that is just "Reuters"); a mention in a sentence ("according to news agency PTI") names
    whom the article quotes, not who wrote it."""
    match = AGENCY_CREDIT.fullmatch(normalize(line.text))
    if not match:
        return None
    value = (match.group("named") or match.group("named_intl") or match.group("inputs")
             or match.group("with") or match.group("wire") or "").strip(" .")
    if len(value.split()) > 4 or not _capital(value[:1]):
        return None
    return Credit(value, line)


def _capital(char: str) -> bool:
    """A capital letter, or a letter of a script without capitals (Devanagari)."""
    return char.isupper() or (char.isalpha() and not char.islower())


def find_name_line(line: Line) -> tuple[Credit, str] | None:
    """A byline with no "By" that names its author and nothing else, as Russian and Hindi
    pages set it: "Иван Петров", "राहुल सिंह, नई दिल्ली". Only the lines before the article's
    first paragraph are worth asking (authoring.draft): further down, such a line is a
    caption or a heading."""
    text = normalize(line.text)
    if locales.CYRILLIC_NAME_LINE.fullmatch(text) and not _WIRE_ONLY.fullmatch(text):
        author, rest = text, ""
    elif match := locales.NAME_AND_PLACE.fullmatch(text):
        author, rest = match.group("author"), match.group("rest")
    else:
        return None
    if not locales.could_be_name(f"{author} {rest}"):
        return None
    return Credit(author, line), rest
