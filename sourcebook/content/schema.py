"""The content formats, declared once: each file kind's keys, what each holds, and an example.

The load stage reads every file through these declarations (unknown keys, required keys,
types and choices), docs/format.md documents the same fields, and the tests enumerate them to
edit every field of every kind of file. A new field is added here and read in the loader of
its file; nothing else lists keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .model import Limits, Stance, Status


class Holds(StrEnum):
    """What a field's value is."""

    TEXT = "text"  # one piece of text, trimmed
    RAW_TEXT = "raw text"  # text whose edges are kept (a prefix or suffix)
    DATE = "date"  # YYYY, YYYY-MM or YYYY-MM-DD
    URL = "url"  # an http(s) address
    URLS = "urls"  # a list of http(s) addresses
    TIMESTAMP = "timestamp"  # a moment in UTC: YYYY-MM-DDTHH:MM:SSZ
    SHA256 = "sha256"  # 64 lowercase hexadecimal digits
    LANGUAGE = "language"  # a BCP 47 language tag: ru, hi, pt-BR (content/languages.py)
    ID = "id"  # [a-z0-9-]+ (docs/format.md, "Ids")
    TEXTS = "texts"  # a list of texts (one text counts as a list of one)
    CHOICE = "choice"  # one of `choices`
    BOOL = "bool"
    INT = "int"
    COUNT = "count"  # a whole number above zero
    MAPPING = "mapping"  # a mapping of another format
    ENTRIES = "entries"  # a list of mappings of another format


@dataclass(frozen=True, slots=True)
class Field:
    """One key of a format: what its value holds, whether it is required, and how it is checked."""

    name: str
    holds: Holds
    required: bool = False
    example: str = "…"  # shown in the hint when the field is missing
    choices: tuple[str, ...] = ()
    default: object = None  # for BOOL, INT and CHOICE
    refers_to: str = ""  # "topic" or "entity": the value names one (checked by the loader)
    entries: Format | None = None  # for MAPPING and ENTRIES


@dataclass(frozen=True, slots=True)
class Format:
    """One kind of content file, or one kind of entry inside a file."""

    name: str  # how messages call a value of this format: "an annotation", "a claim"
    fields: tuple[Field, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        """The names of the format's fields, in their declared order."""
        return tuple(f.name for f in self.fields)



def _choices(values: type[StrEnum]) -> tuple[str, ...]:
    return tuple(v.value for v in values)


_DEFAULT = Limits()
LIMITS = Format("limits", tuple(Field(name, Holds.COUNT, default=getattr(_DEFAULT, name))
                                for name in Limits.__dataclass_fields__))

SITE = Format("site.yaml", (
    Field("title", Holds.TEXT, required=True, example="My research"),
    Field("description", Holds.TEXT),
    Field("question", Holds.TEXT),
    Field("base_url", Holds.TEXT, example="https://you.github.io/repo/"),
    Field("language", Holds.LANGUAGE, example="en"),
    Field("licence", Holds.TEXT, example="CC BY 4.0"),
    Field("allow_raw_html", Holds.BOOL, default=False),
    Field("limits", Holds.MAPPING, entries=LIMITS),
))

EXCLUDE = Format("an exclude entry", (
    Field("quote", Holds.TEXT, required=True, example='"the boilerplate text"'),
    Field("prefix", Holds.RAW_TEXT),
    Field("suffix", Holds.RAW_TEXT),
    Field("reason", Holds.TEXT, example="Cookie banner"),
))

CLAIM = Format("a claim", (
    Field("fact", Holds.ID, required=True, example="some-id"),
    Field("quote", Holds.TEXT, required=True, example='"the exact words in the seed"'),
    Field("prefix", Holds.RAW_TEXT),
    Field("suffix", Holds.RAW_TEXT),
    Field("topics", Holds.TEXTS, refers_to="topic"),
    Field("statement", Holds.TEXT),
    Field("speaker", Holds.TEXT, refers_to="entity"),
    Field("date", Holds.DATE),
    Field("stance", Holds.CHOICE, choices=_choices(Stance), default=Stance.SUPPORTS.value),
    Field("note", Holds.TEXT),
    Field("trans_quote", Holds.TEXT),  # the quote's translation (Wikipedia's trans-quote)
    Field("translator", Holds.TEXT),  # who translated it, if not the annotation's translator
))

ORIGINAL = Format("the archived original", (
    Field("file", Holds.TEXT, required=True, example="archive/<source>.html"),
    Field("sha256", Holds.SHA256, required=True, example="<the file's SHA-256: 64 hex digits>"),
    Field("fetched", Holds.TIMESTAMP),  # when these bytes were downloaded (UTC)
    Field("redirects", Holds.URLS),  # the addresses the download was redirected through
))

ANNOTATION = Format("an annotation", (
    Field("title", Holds.TEXT, required=True, example="The article's headline"),
    Field("language", Holds.LANGUAGE, example="ru"),  # the site's language when not given
    Field("trans_title", Holds.TEXT),  # the title's translation (Wikipedia's trans-title)
    Field("translator", Holds.TEXT),  # who translated the title and the quotes
    Field("outlet", Holds.TEXT),
    Field("author", Holds.TEXT),
    Field("agency", Holds.TEXT),
    Field("published", Holds.DATE),
    Field("url", Holds.URL),
    Field("archive_url", Holds.URL),  # a web archive's copy (Wayback, archive.today)
    Field("original", Holds.MAPPING, entries=ORIGINAL),  # the original kept in archive/
    Field("retrieved", Holds.DATE),
    Field("exclude", Holds.ENTRIES, entries=EXCLUDE),  # an entry may also be just the quote
    Field("claims", Holds.ENTRIES, entries=CLAIM),
))

TOPIC = Format("the front matter", (
    Field("title", Holds.TEXT, required=True, example="S-400"),
    Field("summary", Holds.TEXT),
    Field("aliases", Holds.TEXTS),
    Field("order", Holds.INT, default=1000),
    Field("general", Holds.BOOL, default=False),
))

FINDINGS = Format("the findings' front matter", (
    Field("title", Holds.TEXT, example="Key findings"),
))

ENTITY = Format("an entity", (
    Field("name", Holds.TEXT, required=True, example="Full Name"),
    Field("kind", Holds.CHOICE, choices=("person", "organisation"), default="person"),
    Field("role", Holds.TEXT),
    Field("aliases", Holds.TEXTS),
))

# What an outlet is, in a word (content/outlets.yaml `kind`).
OUTLET_KINDS = ("newspaper", "magazine", "broadcaster", "wire agency", "news site", "portal",
                "aggregator", "blog", "government")

OUTLET = Format("an outlet", (
    Field("description", Holds.TEXT, required=True,
          example="Who publishes it and what kind of outlet it is"),
    Field("kind", Holds.CHOICE, choices=OUTLET_KINDS, default=""),
    Field("url", Holds.URL, example="https://www.example.com/"),  # its home page
))

STATUS = Format("a status", (
    Field("status", Holds.CHOICE, required=True, example="disputed", choices=_choices(Status)),
    Field("reason", Holds.TEXT, required=True, example="Why, in a sentence a reader can check"),
    Field("date", Holds.DATE),
))

# Every format, by the file it describes (entries under the file that holds them).
FORMATS: dict[str, Format] = {
    "content/site.yaml": SITE,
    "content/site.yaml limits": LIMITS,
    "content/sources/<source>.yaml": ANNOTATION,
    "content/sources/<source>.yaml claims[]": CLAIM,
    "content/sources/<source>.yaml exclude[]": EXCLUDE,
    "content/sources/<source>.yaml original": ORIGINAL,
    "content/topics/<topic>.md front matter": TOPIC,
    "content/findings.md front matter": FINDINGS,
    "content/entities.yaml <entity>": ENTITY,
    "content/status.yaml <fact>": STATUS,
    "content/outlets.yaml <outlet>": OUTLET,
}
