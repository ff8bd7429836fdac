"""Language tags (BCP 47, RFC 5646): which are well formed, their usual spelling, the hint for a
language written as its name, and which scripts run right to left.

A source's `language` and the site's are such tags (docs/format.md, "Languages"); pages mark
every quotation, title and passage in a language other than the page's with them.
"""

from __future__ import annotations

import functools
import re

# RFC 5646's langtag, without the grandfathered tags: a primary language of two or three letters
# (with up to three extended subtags), then a script, a region, variants, extensions and a
# private use part; or a private use tag alone (x-…).
_TAG = re.compile(
    r"""(?:
      (?P<language>[a-z]{2,3}(?:-[a-z]{3}){0,3})
      (?:-(?P<script>[a-z]{4}))?
      (?:-(?P<region>[a-z]{2}|[0-9]{3}))?
      (?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*
      (?:-[a-wyz0-9](?:-[a-z0-9]{2,8})+)*
      (?:-x(?:-[a-z0-9]{1,8})+)?
    | x(?:-[a-z0-9]{1,8})+ )""",
    re.VERBOSE | re.IGNORECASE)

# Languages by their own names (and two common English names CLDR does not use), for the hint
# when a name is written instead of a tag ("русский" → ru); English names come from Babel's
# CLDR data (_english_names).
_OWN_NAMES = {
    "русский": "ru", "английский": "en", "हिन्दी": "hi", "हिंदी": "hi", "français": "fr",
    "deutsch": "de", "español": "es", "português": "pt", "中文": "zh", "українська": "uk",
    "اردو": "ur", "العربية": "ar", "bengali": "bn", "farsi": "fa",
}


@functools.cache
def _english_names() -> dict[str, str]:
    """Every language CLDR names, by its tag: 'ru' → 'Russian' (Babel, imported only here: a
    build that shows no language name never loads it)."""
    from babel import Locale

    return {tag: name for tag, name in Locale("en").languages.items() if "_" not in tag}


# Languages written right to left in their usual script (a script subtag overrides).
_RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ku", "pa-arab",
                            "ps", "sd", "ug", "ur", "yi"})
_RTL_SCRIPTS = frozenset({"arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "rohg"})


def is_language_tag(tag: str) -> bool:
    """Whether the text is a well-formed BCP 47 language tag (ru, hi, pt-BR, zh-Hant)."""
    return _TAG.fullmatch(tag) is not None


def canonical_tag(tag: str) -> str:
    """A well-formed tag in its usual case: the language in lower case, a script in title case,
    a region in upper case (PT-br → pt-BR, zh-hant → zh-Hant)."""
    parts = tag.split("-")
    out = [parts[0].lower()]
    extension = len(parts[0]) == 1  # after a singleton (x-, u-…) every part is lower case
    for part in parts[1:]:
        if extension or len(part) == 1:
            extension = True
            out.append(part.lower())
        elif len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif (len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit()):
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


def tag_hints(text: str) -> list[str]:
    """What the tag should have been, for a value that is not a well-formed tag."""
    fixed = text.strip().replace("_", "-")
    if fixed != text and is_language_tag(fixed):
        return [f"did you mean `{canonical_tag(fixed)}`? tags join their parts with '-'"]
    named = tag_for_name(text)
    if named:
        return [f"did you mean `{named}`? write the language's BCP 47 tag, not its name"]
    return ["write a BCP 47 language tag such as ru, hi, en, pt-BR or zh-Hant "
            "(https://www.w3.org/International/questions/qa-choosing-language-tags)"]


def primary(tag: str) -> str:
    """The primary language of a tag, in lower case: pt-BR → pt."""
    return tag.split("-", 1)[0].lower()


def same_language(tag: str, other: str) -> bool:
    """Whether two tags name the same language (case aside): `en` and `EN` do, `en` and
    `en-GB` do not, so a page in `en` marks a passage in `en-GB`."""
    return tag.casefold() == other.casefold()


def english_name(tag: str) -> str | None:
    """The tag's primary language in English, as CLDR names it ('ru' → 'Russian'), or None."""
    return _english_names().get(primary(tag))


def tag_for_name(name: str) -> str | None:
    """The tag of a language written as its name, in English or its own ('Russian',
    'русский', 'english' → 'en'), or None."""
    key = name.strip().casefold()
    return _OWN_NAMES.get(key) or next(
        (tag for tag, known in _english_names().items() if known.casefold() == key), None)


def language_name(tag: str) -> str:
    """The language as a reader names it: 'Russian (ru)', or the tag alone for a language
    CLDR has no name for."""
    name = english_name(tag)
    return f"{name} ({tag})" if name else tag


def direction(tag: str) -> str:
    """'rtl' for a language written right to left, else '' (left to right needs no `dir`)."""
    parts = [p.lower() for p in tag.split("-")]
    scripts = [p for p in parts[1:] if len(p) == 4 and p.isalpha()]
    if scripts:
        return "rtl" if scripts[0] in _RTL_SCRIPTS else ""
    return "rtl" if parts[0] in _RTL_LANGUAGES else ""


def other_language(tag: str | None, page: str) -> str:
    """The tag when a text in it sits on a page in the language `page`, else '': what a
    `lang` attribute needs to say (nothing when the text is in the page's language)."""
    if not tag or same_language(tag, page):
        return ""
    return tag
