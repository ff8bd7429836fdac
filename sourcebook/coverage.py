"""The coverage report of `check`: which sentences of the seeds mention a topic and are not yet
annotated. A mention is a topic alias (S-400, CAATSA, …) as a whole word; its sentence is
covered when a cited passage or an exclusion overlaps it, or when it is the headline that the
annotation's title repeats. Uncovered sentences are warnings."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .diagnostics import Diagnostics, Location
from .model import Research, SourceRecord, Topic
from .normalize import normalize

SEEDS_DIR = "seeds"
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"
# A sentence ends at . ! or ? (and any closing quotes) before whitespace, or at a line break.
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*[ \t]+|\r?\n")


@dataclass(frozen=True, slots=True)
class Mention:
    source_id: str
    topic_id: str
    alias: str
    start: int  # code points in the seed's text
    sentence: tuple[int, int]
    state: str  # "cited", "excluded" or "uncovered"


@dataclass(frozen=True, slots=True)
class Share:
    """How the mentions of one source or one topic are annotated."""

    name: str
    cited: int
    excluded: int
    uncovered: int

    @property
    def total(self) -> int:
        return self.cited + self.excluded + self.uncovered

    @property
    def annotated_percent(self) -> int:
        return round(100 * (self.cited + self.excluded) / self.total) if self.total else 100

    def as_json(self) -> dict:
        return {"name": self.name, "mentions": self.total, "cited": self.cited,
                "excluded": self.excluded, "uncovered": self.uncovered,
                "annotated_percent": self.annotated_percent}


@dataclass(frozen=True, slots=True)
class CoverageReport:
    mentions: tuple[Mention, ...]
    by_source: tuple[Share, ...]
    by_topic: tuple[Share, ...]

    @property
    def uncovered(self) -> tuple[Mention, ...]:
        return tuple(m for m in self.mentions if m.state == "uncovered")

    def as_json(self) -> dict:
        return {"sources": [s.as_json() for s in self.by_source],
                "topics": [t.as_json() for t in self.by_topic]}


def alias_pattern(aliases: tuple[str, ...]) -> re.Pattern[str] | None:
    """Whole-word matches of any alias; any dash or hyphen character stands for '-'."""
    words = sorted({a.strip() for a in aliases if a.strip()}, key=lambda a: (-len(a), a))
    if not words:
        return None
    escaped = [re.escape(w).replace(r"\-", f"[{DASHES}]") for w in words]
    return re.compile(r"(?<!\w)(?:" + "|".join(escaped) + r")(?!\w)")


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans, trimmed of surrounding whitespace; never across a line break."""
    spans, start = [], 0
    for match in SENTENCE_END.finditer(text):
        spans.append((start, match.start() + len(match.group().rstrip(" \t\r\n"))))
        start = match.end()
    spans.append((start, len(text)))
    trimmed = []
    for begin, end in spans:
        chunk = text[begin:end]
        lead = len(chunk) - len(chunk.lstrip())
        if chunk.strip():
            trimmed.append((begin + lead, begin + len(chunk.rstrip())))
    return trimmed


def coverage_report(research: Research) -> CoverageReport:
    patterns = [(t, p) for t in research.topics if (p := alias_pattern(t.aliases))]
    mentions = [m for record in research.sources for m in _mentions(record, patterns)]
    by_source = tuple(_share(record.id, [m for m in mentions if m.source_id == record.id])
                      for record in research.sources)
    by_topic = tuple(_share(topic.id, [m for m in mentions if m.topic_id == topic.id])
                     for topic, _ in patterns)
    return CoverageReport(tuple(mentions), by_source, by_topic)


def _mentions(record: SourceRecord,
              patterns: list[tuple[Topic, re.Pattern[str]]]) -> Iterator[Mention]:
    text = record.seed.text
    spans = sentences(text)
    starts = [s for s, _ in spans]
    cited = [(p.start, p.end) for p in record.passages]
    excluded = [(e.span.start, e.span.end) for e in record.excludes]
    excluded += _title_lines(text, record.doc.title)
    for topic, pattern in patterns:
        for match in pattern.finditer(text):
            sentence = spans[max(bisect.bisect_right(starts, match.start()) - 1, 0)]
            state = ("cited" if _overlaps(sentence, cited) else
                     "excluded" if _overlaps(sentence, excluded) else "uncovered")
            yield Mention(record.id, topic.id, match.group(), match.start(), sentence, state)


def _title_lines(text: str, title: str) -> list[tuple[int, int]]:
    """The lines that are the headline itself: the title already shows them."""
    wanted = " ".join(normalize(title).split())
    spans, start = [], 0
    for line in text.splitlines(keepends=True):
        if wanted and " ".join(normalize(line).split()) == wanted:
            spans.append((start, start + len(line.rstrip())))
        start += len(line)
    return spans


def _overlaps(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(start < span[1] and span[0] < end for start, end in others)


def _share(name: str, mentions: list[Mention]) -> Share:
    states = [m.state for m in mentions]
    return Share(name, states.count("cited"), states.count("excluded"),
                 states.count("uncovered"))


def report_uncovered(report: CoverageReport, research: Research, diags: Diagnostics) -> None:
    """One warning per uncovered sentence, at its place in the seed."""
    texts = {r.id: r.seed.text for r in research.sources}
    seen: dict[tuple[str, tuple[int, int]], list[Mention]] = {}
    for mention in report.uncovered:
        seen.setdefault((mention.source_id, mention.sentence), []).append(mention)
    for (source_id, (start, end)), found in sorted(seen.items()):
        text = texts[source_id]
        line = text.count("\n", 0, start) + 1
        col = start - (text.rfind("\n", 0, start) + 1) + 1
        names = ", ".join(sorted({f"{m.alias} ({m.topic_id})" for m in found}))
        sentence = " ".join(text[start:end].split())
        shown = sentence if len(sentence) <= 120 else sentence[:117] + "…"
        diags.warning(Location(f"{SEEDS_DIR}/{source_id}.txt", line, col),
                      f"a sentence mentions {names} but no claim or exclusion covers it",
                      f"the sentence: {shown}",
                      f"cite it in content/sources/{source_id}.yaml under claims, or add it "
                      "to exclude with a reason if it carries no claim")


def format_shares(report: CoverageReport) -> list[str]:
    """The per-source and per-topic table that `check` prints."""
    lines = ["coverage of topic mentions (cited + excluded of all):"]
    for label, shares in (("source", report.by_source), ("topic", report.by_topic)):
        for share in shares:
            lines.append(f"  {label} {share.name}: {share.cited + share.excluded}/{share.total} "
                         f"annotated ({share.annotated_percent} %): {share.cited} cited, "
                         f"{share.excluded} excluded, {share.uncovered} uncovered")
    return lines
