"""Russian and Hindi forms for `python build.py new`: month and weekday names, date labels,
wire agencies, byline words and the script of a seed.

Month and weekday names come from Babel's copy of the Unicode CLDR locale data, not from our
own tables: for Russian both the genitive ("14 ноября", CLDR's format context) and the
nominative ("ноябрь", stand-alone) and their abbreviations ("нояб."); for Hindi the CLDR
spelling ("नवंबर") plus the spellings Hindi papers also use, made by rule from it: a nasal
consonant with a virama for the anusvara ("नवम्बर") and a letter without its nukta ("फरवरी").
Labels, agencies and byline words are this module's own short lists.

Every pattern here matches Cyrillic or Devanagari text only, so English seeds read as before.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from babel import Locale

LANGUAGES = ("ru", "hi")

_NUKTA = "\u093c"
_VIRAMA = "\u094d"
_ANUSVARA = "\u0902"
# The nasal of each Devanagari consonant class: the anusvara before a consonant is also
# written as that class's nasal with a virama ("नवंबर" = "नवम्बर").
_NASAL_OF = {**dict.fromkeys("कखगघ", "ङ"), **dict.fromkeys("चछजझ", "ञ"),
             **dict.fromkeys("टठडढ", "ण"), **dict.fromkeys("तथदध", "न"),
             **dict.fromkeys("पफबभ", "म")}
# Spellings CLDR does not give: "अक्तूबर" beside its "अक्टूबर"; RIA Novosti's three letters
# ("14 ноя"), where CLDR has "нояб.".
_EXTRA_MONTHS = {"अक्तूबर": 10, "фев": 2, "сен": 9, "ноя": 11}


def _hindi_variants(name: str) -> set[str]:
    """name as CLDR spells it, with the anusvara written as a nasal and without nuktas."""
    spelled = {name}
    nasal = re.sub(f"{_ANUSVARA}(?=([{''.join(_NASAL_OF)}]))",
                   lambda m: _NASAL_OF[m.group(1)] + _VIRAMA, name)
    spelled.add(nasal)
    spelled |= {s.replace(_NUKTA, "") for s in spelled}
    # A precomposed nukta letter ("ज़", U+095B) decomposes to the letter and the nukta.
    spelled |= {unicodedata.normalize("NFC", unicodedata.normalize("NFD", s).replace(_NUKTA, ""))
                for s in spelled}
    return spelled


def _names(kind: str) -> dict[str, int]:
    """Lowercased month ("months") or weekday ("days") names of Russian and Hindi, with their
    number (months 1-12; weekdays 0-6), in both CLDR contexts (genitive and nominative)."""
    found: dict[str, int] = {}
    for code in LANGUAGES:
        table = getattr(Locale.parse(code), kind)
        for context in ("format", "stand-alone"):
            # Hindi papers write names in full: "जन॰" and "नव॰" are also words.
            for width in ("wide",) if code == "hi" else ("wide", "abbreviated"):
                for number, name in table[context][width].items():
                    for spelled in (_hindi_variants(name) if code == "hi" else {name}):
                        found.setdefault(spelled.rstrip(".").lower(), number)
    if kind == "months":
        found.update(_EXTRA_MONTHS)
    return found


MONTHS = _names("months")
WEEKDAYS = _names("days")


def alternation(names: Iterable[str]) -> str:
    """A regex alternation of names, longest first, so "ноября" is tried before "ноя"."""
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


MONTH_NAMES = alternation(MONTHS)
WEEKDAY_NAMES = alternation(WEEKDAYS)
# "14 ноября 2021 г.", "14 ноября 2021 года", "१४ नवंबर २०२१ ई."
YEAR_WORD = r"(?:\s*(?:г\.|года?(?![^\W\d_]))|\s*ई\.)?"
# Russian's "в 18:05" and Moscow time ("18:05 МСК").
AT_WORDS = r"в"
ZONES = r"МСК|мск"

UPDATED_WORDS = (r"(?:последнее\s+)?(?:обновлено|обновление|изменено)"
                 r"|дата\s+(?:обновления|изменения)"
                 r"|(?:अंतिम\s+)?(?:अपडेटेड|अपडेट(?:\s+किया\s+गया)?|संशोधित)")
PUBLISHED_WORDS = (r"опубликовано|дата\s+публикации|дата|создано"
                   r"|प्रकाशित(?:\s+(?:तिथि|तारीख))?|प्रकाशन\s+(?:तिथि|तारीख)|दिनांक|तारीख")

WIRE_NAMES = ("ТАСС", "РИА Новости", "РИА", "Интерфакс", "INTERFAX.RU", "Прайм", "Спутник",
              "РБК", "भाषा", "पीटीआई", "पीटीआई-भाषा", "आईएएनएस", "एएनआई", "यूएनआई", "वार्ता",
              "यूनीवार्ता")
# Words that open a credit line: "Источник: ТАСС", "स्रोत: भाषा", "इनपुट: आईएएनएस".
CREDIT_WORDS = r"источник|по\s+материалам|स्रोत|एजेंसी|इनपुट"
# Words that open a byline: "Автор: Иван Петров", "लेखक: राहुल सिंह", "द्वारा राहुल सिंह".
BYLINE_WORDS = r"авторы|автор|текст|लेखक|रिपोर्ट|द्वारा"

# Words before a colon that are labels, not a place ("ФОТО: …", "पढ़ें: …").
NOT_PLACES = frozenset(
    "фото видео автор авторы источник читайте также новости реклама текст тема справка "
    "लेखक द्वारा फोटो फ़ोटो तस्वीर पढ़ें पढ़े नोट स्रोत एजेंसी वीडियो अपडेट अपडेटेड प्रकाशित "
    "ब्रेकिंग खबर ख़बर समाचार इनपुट रिपोर्ट".split())
# Hindi words that no person's name holds: "भारत और रूस" is no byline.
NOT_IN_NAMES = frozenset(
    "और का की के में से ने को पर है हैं था थी थे यह वह एक लिए तक भी नहीं कि".split())

# A capitalised Cyrillic word ("МОСКВА", "Нью-Дели") and a Devanagari word ("दिल्ली"),
# which has no capitals.
CYRILLIC_WORD = r"[А-ЯЁ][А-ЯЁа-яё'\u2019-]*"
DEVANAGARI_WORD = r"[\u0904-\u0939\u0958-\u0961\u0972-\u097f][\u0900-\u0963\u0971-\u097f]*"


def script_language(text: str) -> tuple[str, str] | None:
    """The language a seed's script suggests, and the script: ("ru", "Cyrillic") when most of
    its letters are Cyrillic, ("hi", "Devanagari") when most are Devanagari; None otherwise
    (Latin text is the site's language)."""
    counts = {"Cyrillic": 0, "Devanagari": 0, "other": 0}
    for char in text:
        if not char.isalpha():
            continue
        if "\u0400" <= char <= "\u04ff":
            counts["Cyrillic"] += 1
        elif "\u0900" <= char <= "\u097f":
            counts["Devanagari"] += 1
        else:
            counts["other"] += 1
    script = max(("Cyrillic", "Devanagari"), key=lambda s: counts[s])
    if counts[script] * 2 <= sum(counts.values()):
        return None
    return ("ru" if script == "Cyrillic" else "hi"), script


# --- bylines ---

_DEVANAGARI_NAME = rf"{DEVANAGARI_WORD}(?:\s+{DEVANAGARI_WORD}){{0,3}}"
# "लेखक: राहुल सिंह", "द्वारा राहुल सिंह", "राहुल सिंह द्वारा", each perhaps followed by a place
# or a date after a comma or a bar ("लेखक: राहुल सिंह | नई दिल्ली").
DEVANAGARI_BYLINE = re.compile(
    rf"(?:(?:लेखक|रिपोर्ट|द्वारा)\s*:?\s+(?P<author>{_DEVANAGARI_NAME})"
    rf"|(?P<author_after>{_DEVANAGARI_NAME})\s+द्वारा)"
    r"(?:\s*[,|/\u2013\u2014-]\s*(?P<rest>.+))?")
# A line that is a name and a place, and nothing else: "राहुल सिंह, नई दिल्ली",
# "Иван Петров | Москва".
_CYRILLIC_NAME = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
NAME_AND_PLACE = re.compile(
    rf"(?P<author>{_DEVANAGARI_NAME}|{_CYRILLIC_NAME}(?:\s+{_CYRILLIC_NAME}){{1,2}})"
    rf"\s*[,|]\s*(?P<rest>{_DEVANAGARI_NAME}|{CYRILLIC_WORD}(?:\s+{CYRILLIC_WORD})?)")
# A Russian byline is often the name alone on its line, before the text: "Иван Петров".
CYRILLIC_NAME_LINE = re.compile(rf"{_CYRILLIC_NAME}(?:\s+{_CYRILLIC_NAME}){{1,2}}")


def could_be_name(name: str) -> bool:
    """A name holds no Hindi function word ("भारत और रूस" is no one's name) and no label
    ("फोटो"); names in Latin letters hold none of these words, so they always pass."""
    return not any(w.lower() in NOT_IN_NAMES or w.lower() in NOT_PLACES for w in name.split())
