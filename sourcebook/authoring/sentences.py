"""Lines and sentences of a seed, as spans of its text: for drafting an annotation (`new`) and
for the coverage report of `check`."""

from __future__ import annotations

import dataclasses
import re


@dataclasses.dataclass(frozen=True, slots=True)
class Line:
    """One line of the seed without its surrounding whitespace; start and end in the seed."""

    number: int
    start: int
    end: int
    text: str


def split_lines(text: str) -> list[Line]:
    """Every line with visible text (no-break spaces count as space, as in normalize)."""
    lines = []
    pos = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        if stripped:
            start = pos + len(raw) - len(raw.lstrip())
            lines.append(Line(number, start, start + len(stripped), stripped))
        pos += len(raw) + 1
    return lines


_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen lt col maj capt sgt sen rep gov st jr sr inc ltd co corp vs etc no "
    "jan feb mar apr aug sep sept oct nov dec rs e.g i.e".split())
# \u0964 and \u0965 are Devanagari's danda and double danda; \u00bb closes a Russian quotation.
_SENTENCE_END = re.compile(r"[.!?\u0964\u0965]+[\"'\u201d\u2019\u00bb)\]]*(?=\s|$)")


def sentence_spans(line: Line) -> list[tuple[int, int]]:
    """Sentences of a line as spans in the seed; an initial ("S. Jaishankar", a Cyrillic one) or a
    title ("Mr.") does not end one, and neither does a stop before a lowercase word."""
    spans = []
    begin = 0
    text = line.text
    for match in _SENTENCE_END.finditer(text):
        if not _ends_sentence(text, match):
            continue
        spans.append((begin, match.end()))
        begin = len(text) - len(text[match.end():].lstrip())
    if begin < len(text):
        spans.append((begin, len(text)))
    return [(line.start + a, line.start + b) for a, b in spans if text[a:b].strip()]


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    after = text[match.end():].lstrip()
    if after[:1].islower():
        return False
    if not match.group().startswith("."):
        return True
    word = text[:match.start()].rsplit(None, 1)[-1] if text[:match.start()].strip() else ""
    word = word.lstrip("\"'(\u201c\u2018")
    is_initial = re.fullmatch(r"(?:[^\W\d_]\.)*[^\W\d_]", word) is not None and word.isupper()
    return not is_initial and word.lower() not in _ABBREVIATIONS


def line_text(line: Line, span: tuple[int, int]) -> str:
    """The text of a span of the seed that lies within the line."""
    return line.text[span[0] - line.start:span[1] - line.start]


def sentences(text: str) -> list[tuple[int, int]]:
    """Every sentence of the text as a span, line by line (a sentence never crosses a line)."""
    return [span for line in split_lines(text) for span in sentence_spans(line)]
