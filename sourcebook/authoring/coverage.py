"""The coverage report of `check`: which sentences of the seeds mention a topic and are not yet
annotated. A mention is a topic alias (S-400, CAATSA, …) as a whole word; its sentence is
covered when a cited passage or an exclusion overlaps it, or when it is the headline that the
annotation's title repeats. Uncovered sentences are warnings."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..content.layout import annotation_path
from ..diagnostics import Diagnostics, text_location
from ..research.model import Research, SourceRecord
from ..selectors.names import NameFinder
from ..selectors.normalize import normalize
from .sentences import sentences


@dataclass(frozen=True, slots=True)
class Mention:
    """A topic alias in a seed, its sentence, and whether a passage or exclusion covers it."""

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
        """How many mentions there are."""
        return self.cited + self.excluded + self.uncovered

    @property
    def annotated_percent(self) -> int:
        """The share of mentions cited or excluded, as a whole percentage (100 if none)."""
        return round(100 * (self.cited + self.excluded) / self.total) if self.total else 100

    def as_json(self) -> dict:
        """The share as `check --format json` reports it."""
        return {"name": self.name, "mentions": self.total, "cited": self.cited,
                "excluded": self.excluded, "uncovered": self.uncovered,
                "annotated_percent": self.annotated_percent}


@dataclass(frozen=True, slots=True)
class CoverageReport:
    """Every topic mention in the seeds, and how annotated they are per source and per topic."""

    mentions: tuple[Mention, ...]
    by_source: tuple[Share, ...]
    by_topic: tuple[Share, ...]

    @property
    def uncovered(self) -> tuple[Mention, ...]:
        """The mentions whose sentence no passage or exclusion covers."""
        return tuple(m for m in self.mentions if m.state == "uncovered")

    def as_json(self) -> dict:
        """The shares per source and per topic, as `check --format json` reports them."""
        return {"sources": [s.as_json() for s in self.by_source],
                "topics": [t.as_json() for t in self.by_topic]}


def alias_pattern(aliases: tuple[str, ...]) -> re.Pattern[str] | None:
    """Whole-word matches of any alias, as names are found everywhere (selectors.names): search
    it with selectors.wordchars.find_whole, which also rejects a match after a mark."""
    return NameFinder.of([("", aliases)]).pattern


def coverage_report(research: Research) -> CoverageReport:
    """Every mention of a topic's alias in the seeds: cited, excluded or uncovered."""
    topics = [t for t in research.topics if alias_pattern(t.aliases)]
    # One pass over each seed for every alias of every topic.
    finder = NameFinder.of((t.id, t.aliases) for t in topics)
    mentions = [m for record in research.sources for m in _mentions(record, finder)]
    by_source: dict[str, list[Mention]] = {r.id: [] for r in research.sources}
    by_topic: dict[str, list[Mention]] = {t.id: [] for t in topics}
    for mention in mentions:
        by_source[mention.source_id].append(mention)
        by_topic[mention.topic_id].append(mention)
    return CoverageReport(tuple(mentions),
                          tuple(_share(name, found) for name, found in by_source.items()),
                          tuple(_share(name, found) for name, found in by_topic.items()))


def _mentions(record: SourceRecord, finder: NameFinder) -> Iterator[Mention]:
    text = record.seed.text
    matches = list(finder.matches(text))
    if not matches:  # most of a big set: skip the sentence split
        return
    spans = sentences(text)
    starts = [s for s, _ in spans]
    cited = [(p.start, p.end) for p in record.passages]
    excluded = [(e.span.start, e.span.end) for e in record.excludes]
    excluded += _title_lines(text, record.doc.title)
    for match, topic_ids in matches:
        sentence = spans[max(bisect.bisect_right(starts, match.start()) - 1, 0)]
        state = ("cited" if _overlaps(sentence, cited) else
                 "excluded" if _overlaps(sentence, excluded) else "uncovered")
        for topic_id in topic_ids:
            yield Mention(record.id, topic_id, match.group(), match.start(), sentence, state)


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
    seeds = {r.id: r.seed for r in research.sources}
    seen: dict[tuple[str, tuple[int, int]], list[Mention]] = {}
    for mention in report.uncovered:
        seen.setdefault((mention.source_id, mention.sentence), []).append(mention)
    for (source_id, (start, end)), found in sorted(seen.items()):
        seed = seeds[source_id]
        text = seed.text
        names = ", ".join(sorted({f"{m.alias} ({m.topic_id})" for m in found}))
        sentence = " ".join(text[start:end].split())
        shown = sentence if len(sentence) <= 120 else sentence[:117] + "…"
        diags.warning(text_location(seed.path, text, start),
                      f"a sentence mentions {names} but no claim or exclusion covers it",
                      f"the sentence: {shown}",
                      f"cite it in {annotation_path(source_id)} under claims, or add it "
                      "to exclude with a reason if it carries no claim")


SHOW_ALL_SOURCES = 20  # above this, only the sources with uncovered mentions are listed


def format_shares(report: CoverageReport) -> list[str]:
    """The per-source and per-topic table that `check` prints; a big set lists only the
    sources that still have uncovered mentions."""
    sources = report.by_source
    complete = [s for s in sources if not s.uncovered]
    if len(sources) > SHOW_ALL_SOURCES:
        sources = tuple(s for s in sources if s.uncovered)
    lines = ["coverage of topic mentions (cited + excluded of all):"]
    for label, shares in (("source", sources), ("topic", report.by_topic)):
        for share in shares:
            lines.append(f"  {label} {share.name}: {share.cited + share.excluded}/{share.total} "
                         f"annotated ({share.annotated_percent} %): {share.cited} cited, "
                         f"{share.excluded} excluded, {share.uncovered} uncovered")
    if len(report.by_source) > SHOW_ALL_SOURCES:
        lines.insert(1, f"  {len(complete)} of {len(report.by_source)} sources have every "
                        "mention annotated (the others are listed)")
    return lines
