"""Typed, located access to the fields of a YAML mapping, for every content format.

`Fields.read_all(format)` reads a mapping as its declaration in schema.py says. Each accessor
records a located diagnostic and returns a neutral value instead of raising, so one run reports
every problem in a file.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Iterable
from typing import Any

from ..diagnostics import Diagnostics, Location
from .ids import ID_RULE, is_id, slugify
from .languages import canonical_tag, is_language_tag, tag_hints
from .model import PartialDate
from .schema import Field, Format, Holds
from .yamldoc import KeyPath, YamlDoc

DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_HTTP_URL = re.compile(r"https?://\S+")
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_SHA256 = re.compile(r"[0-9a-f]{64}")

_TYPE_NAMES = {str: "text", int: "a whole number", bool: "true or false", list: "a list",
               dict: "a mapping"}


def describe(value: Any) -> str:
    """What kind of YAML value this is, as a message names it: 'text', 'a list', 'nothing' …"""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    for kind, name in _TYPE_NAMES.items():
        if isinstance(value, kind):
            return name
    return type(value).__name__


def did_you_mean(word: str, choices: Iterable[str]) -> list[str]:
    """A hint naming the choice closest to a misspelt word, or none if nothing is close."""
    matches = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return [f"did you mean '{matches[0]}'?"] if matches else []


def parse_date(text: str) -> PartialDate | None:
    """A YYYY, YYYY-MM or YYYY-MM-DD date, or None if the text is not a real date."""
    match = DATE.fullmatch(text)
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        datetime.date(year or 1, month or 1, day or 1)
    except ValueError:
        return None
    return PartialDate(year or 0, month, day)


class Fields:
    """Reads one mapping inside a YamlDoc, at a key path."""

    def __init__(self, doc: YamlDoc, diags: Diagnostics, path: KeyPath = ()) -> None:
        self.doc = doc
        self.diags = diags
        self.path = path
        value = doc.data
        for key in path:
            value = value[key]
        self.mapping: dict[str, Any] = value if isinstance(value, dict) else {}

    def require_mapping(self, what: str) -> bool:
        """Whether the value at this path is a mapping; if not, report it, naming it as `what`."""
        value = self.doc.data
        for key in self.path:
            value = value[key]
        if isinstance(value, dict):
            return True
        if value is None and not self.path:
            self.diags.error(self.doc.loc(), f"{what} is empty",
                             "write one `key: value` per line, starting with `title: …`")
            return False
        self.diags.error(
            self.doc.loc(*self.path),
            f"{what} must be a mapping of 'key: value' lines, not {describe(value)}",
            "write one `key: value` per line; see README.md, 'Content formats'",
        )
        return False

    def read_all(self, form: Format) -> dict[str, Any]:
        """Every field of the format that is not a list of entries, by name; unknown keys
        are reported."""
        self.check_keys(form.keys)
        return {f.name: self.read(f) for f in form.fields if f.holds is not Holds.ENTRIES}

    def read(self, field: Field) -> Any:
        """One field's value as its declaration says, or a neutral value (reported)."""
        name = field.name
        match field.holds:
            case Holds.TEXT:
                return self.text(name, required=field.required, example=field.example)
            case Holds.RAW_TEXT:
                return self.raw_text(name)
            case Holds.DATE:
                return self.date(name)
            case Holds.LANGUAGE:
                return self.language(name)
            case Holds.URL:
                return self.url(name, field.example if field.example != "…" else "")
            case Holds.URLS:
                return tuple(self.url_list(name))
            case Holds.TIMESTAMP:
                return self.timestamp(name)
            case Holds.SHA256:
                return self.sha256(name, required=field.required, example=field.example)
            case Holds.ID:
                return self.identifier(name, required=field.required)
            case Holds.TEXTS:
                return self.text_list(name)
            case Holds.CHOICE:
                return self.choice(field)
            case Holds.BOOL:
                return self.boolean(name, bool(field.default))
            case Holds.INT:
                return self.integer(name, int(field.default or 0))
            case Holds.COUNT:
                return self.count(name, int(field.default or 1))
            case Holds.MAPPING:
                assert field.entries is not None
                if self.mapping.get(name) is None:
                    return {f.name: f.default for f in field.entries.fields}
                inner = Fields(self.doc, self.diags, (*self.path, name))
                if not inner.require_mapping(f"'{name}'"):
                    return {f.name: f.default for f in field.entries.fields}
                return inner.read_all(field.entries)
        raise ValueError(f"{name}: {field.holds} is read by its loader")

    def choice(self, field: Field) -> str | None:
        """The value if it is one of the field's choices; if it is absent or not one (reported), the
        default, or None for a required field."""
        value = self.text(field.name, required=field.required, example=field.example)
        if value is None:
            return None if field.required else str(field.default)
        if value not in field.choices:
            self.diags.error(self.loc(field.name), f"unknown {field.name} '{value}'",
                             *(did_you_mean(value, field.choices)
                               or [f"use one of: {', '.join(field.choices)}"]))
            return None if field.required else str(field.default)
        return value

    def url(self, key: str, example: str = "") -> str | None:
        """An http(s) address, or None if it is absent or not one (reported); the hint shows
        the example, else an article's address."""
        value = self.text(key)
        if value is not None and not _HTTP_URL.fullmatch(value):
            self.diags.error(self.loc(key), f"'{key}' must be an http(s) address, not '{value}'",
                             f"write the full address, e.g. {example}" if example else
                             "write the article's full address, e.g. https://example.com/story")
            return None
        return value

    def url_list(self, key: str) -> list[str]:
        """A list of http(s) addresses; each that is not one is reported and left out."""
        found = []
        for value, path in self.text_list(key):
            if _HTTP_URL.fullmatch(value):
                found.append(value)
            else:
                self.diags.error(self.doc.loc(*path), f"each entry of '{key}' must be an "
                                 f"http(s) address, not '{value}'",
                                 "write the full address, e.g. https://example.com/story")
        return found

    def timestamp(self, key: str) -> str | None:
        """A moment in UTC, YYYY-MM-DDTHH:MM:SSZ; None if it is absent or not one (reported)."""
        value = self.text(key)
        if value is None:
            return None
        try:
            ok = bool(_TIMESTAMP.fullmatch(value)) and bool(
                datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ"))
        except ValueError:
            ok = False
        if not ok:
            self.diags.error(self.loc(key), f"'{key}' is not a time in UTC: '{value}'",
                             "write YYYY-MM-DDTHH:MM:SSZ, e.g. 2026-12-04T16:20:11Z (the Z "
                             "says UTC)")
            return None
        return value

    def sha256(self, key: str, *, required: bool = False, example: str = "…") -> str | None:
        """A SHA-256 as 64 lowercase hexadecimal digits; None if it is absent (reported when
        required) or not one (reported)."""
        value = self.text(key, required=required, example=example)
        if value is None:
            return None
        if not _SHA256.fullmatch(value):
            self.diags.error(self.loc(key), f"'{key}' must be 64 lowercase hexadecimal digits",
                             *(["write it in lowercase"] if _SHA256.fullmatch(value.lower())
                               else ["compute it with `sha256sum FILE` and copy the 64 "
                                     "digits"]))
            return None
        return value

    def language(self, key: str) -> str | None:
        """A well-formed BCP 47 language tag in its usual case; None if it is absent or not a
        tag (reported, with the tag meant when the value names a language)."""
        value = self.text(key)
        if value is None:
            return None
        if not is_language_tag(value):
            self.diags.error(self.loc(key), f"'{key}' is not a language tag: '{value}'",
                             *tag_hints(value))
            return None
        return canonical_tag(value)

    def check_keys(self, allowed: Iterable[str]) -> None:
        """Report every key of the mapping that is not allowed, with the closest allowed one."""
        allowed = list(allowed)
        for key in self.mapping:
            if key not in allowed:
                self.diags.error(
                    self.doc.key_loc(*self.path, key),
                    f"unknown key '{key}'",
                    *(did_you_mean(str(key), allowed)
                      or [f"allowed keys: {', '.join(allowed)}"]),
                )

    def loc(self, key: str) -> Location:
        """Where a key's value starts, or the nearest enclosing value if the key is absent."""
        return self.doc.loc(*self.path, key)

    def _missing(self, key: str, example: str) -> None:
        self.diags.error(
            self.doc.key_loc(*self.path) if self.path else self.doc.loc(),
            f"missing required field '{key}'",
            f"add a line such as `{key}: {example}`",
        )

    def text(self, key: str, *, required: bool = False, example: str = "…") -> str | None:
        """The text of a key, trimmed; None if it is absent (reported when required), empty or not
        text (reported)."""
        if key not in self.mapping:
            if required:
                self._missing(key, example)
            return None
        value = self.mapping[key]
        if value is None or (isinstance(value, str) and not value.strip()):
            self.diags.error(self.loc(key), f"'{key}' is empty",
                             f"write the text it needs, or remove the '{key}' line")
            return None
        if isinstance(value, (bool, list, dict)):
            self.diags.error(self.loc(key), f"'{key}' must be text, not {describe(value)}",
                             "put text in quotes if it starts with [ { or contains ': '")
            return None
        return str(value).strip()

    def raw_text(self, key: str) -> str:
        """Text whose surrounding whitespace matters to nobody but may be empty (prefix)."""
        value = self.mapping.get(key)
        if value is None:
            return ""
        if isinstance(value, (list, dict, bool)):
            self.diags.error(self.loc(key), f"'{key}' must be text, not {describe(value)}",
                             "put the words in quotes")
            return ""
        return str(value)

    def boolean(self, key: str, default: bool) -> bool:
        """A true or false value; the default if it is absent or not a boolean (reported)."""
        value = self.mapping.get(key, default)
        if not isinstance(value, bool):
            self.diags.error(self.loc(key), f"'{key}' must be true or false",
                             f"write `{key}: true` or `{key}: false`")
            return default
        return value

    def count(self, key: str, default: int) -> int:
        """A whole number above zero."""
        value = self.integer(key, default)
        if value < 1:
            self.diags.error(self.loc(key), f"'{key}' must be above zero",
                             f"write e.g. `{key}: {default}`")
            return default
        return value

    def integer(self, key: str, default: int) -> int:
        """A whole number; the default if it is absent or not a whole number (reported)."""
        value = self.mapping.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.diags.error(self.loc(key), f"'{key}' must be a whole number",
                             f"write e.g. `{key}: {default if default < 1000 else 1}`")
            return default
        return value

    def text_list(self, key: str) -> list[tuple[str, KeyPath]]:
        """A list of texts (a single text is accepted as a list of one)."""
        if key not in self.mapping or self.mapping[key] is None:
            return []
        value = self.mapping[key]
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return [(str(value).strip(), (*self.path, key))]
        if not isinstance(value, list):
            self.diags.error(self.loc(key), f"'{key}' must be a list, not {describe(value)}",
                             f"write `{key}: [first, second]`")
            return []
        items: list[tuple[str, KeyPath]] = []
        for i, item in enumerate(value):
            if isinstance(item, (str, int)) and not isinstance(item, bool) and str(item).strip():
                items.append((str(item).strip(), (*self.path, key, i)))
            else:
                self.diags.error(self.doc.loc(*self.path, key, i),
                                 f"each entry of '{key}' must be non-empty text",
                                 f"write `{key}: [first, second]`")
        return items

    def date(self, key: str) -> PartialDate | None:
        """A date at its precision; None if it is absent or not a valid date (reported)."""
        if key not in self.mapping or self.mapping[key] is None:
            return None
        raw = str(self.mapping[key]).strip()
        parsed = parse_date(raw)
        if parsed is None:
            self.diags.error(
                self.loc(key),
                f"'{key}' is not a valid date: '{raw}'",
                "write YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2018-10 or 2022-04-23",
            )
        return parsed

    def identifier(self, key: str, *, required: bool = False) -> str | None:
        """A valid id; None if it is absent (reported when required) or invalid (reported)."""
        value = self.text(key, required=required, example="some-id")
        if value is None:
            return None
        if not is_id(value):
            self.diags.error(self.loc(key), f"'{value}' is not a valid id",
                             f"ids use {ID_RULE}, e.g. '{slugify(value)}'")
            return None
        return value
