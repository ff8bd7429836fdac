"""The facts stage: anchored claims → facts with evidence, passages, and the YAML fact files."""

from __future__ import annotations

import dataclasses
import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from .diagnostics import Diagnostics, Location
from .fields import did_you_mean
from .layout import FACT_FILE_HEADER, FACTS_DIR
from .memo import Memo
from .model import (
    AnchoredClaim,
    AnchoredSource,
    ClaimSpec,
    Evidence,
    Fact,
    FactFile,
    FactStatus,
    PartialDate,
    Passage,
    Project,
    Research,
    SourceDoc,
    SourceRecord,
    Stance,
    Topic,
)
from .names import NameFinder

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Cited:
    """A claim together with its passage anchor, while facts are assembled."""

    claim: AnchoredClaim
    anchor: str


def build_research(project: Project, anchored: tuple[AnchoredSource, ...],
                   diags: Diagnostics, memo: Memo | None = None) -> Research:
    topics = tuple(sorted(project.topics.values(), key=lambda t: (t.order, t.id)))
    topic_rank = {t.id: i for i, t in enumerate(topics)}
    published = {s.doc.id: s.doc.published for s in anchored}
    reporters = {s.doc.id: reporter_key(s.doc) for s in anchored}
    cited, records = _passages(anchored)
    facts = _assemble_facts(cited, topic_rank, published, diags)
    fact_ids = {f.id for f in facts}
    _check_topic_citations(topics, fact_ids, diags)
    _check_statuses(project.statuses, fact_ids, diags)
    names = NameFinder.of((e.id, (e.name, *e.aliases)) for e in project.entities.values())
    facts = tuple(dataclasses.replace(
        f, reporters=_independent_reports(f, reporters), mentions=names.owners_in(f.statement),
        status=project.statuses.get(f.id)) for f in facts)
    return Research(
        config=project.config,
        facts=facts,
        sources=records,
        topics=topics,
        entities=dict(sorted(project.entities.items())),
        fact_files=tuple(memo.call("fact file", f, lambda _, f=f: fact_file(f), diags)
                         if memo else fact_file(f) for f in facts),
    )


def _passages(
    anchored: tuple[AnchoredSource, ...],
) -> tuple[list[_Cited], tuple[SourceRecord, ...]]:
    """Group claims by span into passages; a passage's anchor comes from its first fact."""
    cited: list[_Cited] = []
    records = []
    for source in anchored:
        by_span: dict[tuple[int, int], list[AnchoredClaim]] = defaultdict(list)
        for claim in source.claims:
            by_span[(claim.span.start, claim.span.end)].append(claim)
        used: set[str] = set()
        passages = []
        for (start, end), claims in sorted(by_span.items()):
            anchor = _unique_anchor(f"p-{claims[0].spec.fact_id}", used)
            fact_ids = tuple(dict.fromkeys(c.spec.fact_id for c in claims))
            passages.append(Passage(source.doc.id, anchor, start, end, fact_ids))
            cited.extend(_Cited(c, anchor) for c in claims)
        records.append(SourceRecord(source.doc, source.seed, tuple(passages), source.excludes))
    return cited, tuple(records)


def _unique_anchor(base: str, used: set[str]) -> str:
    anchor, n = base, 2
    while anchor in used:
        anchor, n = f"{base}-{n}", n + 1
    used.add(anchor)
    return anchor


def _assemble_facts(cited: list[_Cited], topic_rank: dict[str, int],
                    published: dict[str, PartialDate | None],
                    diags: Diagnostics) -> tuple[Fact, ...]:
    groups: dict[str, list[_Cited]] = defaultdict(list)
    for item in cited:
        groups[item.claim.spec.fact_id].append(item)
    facts = []
    for fact_id in sorted(groups):
        items = groups[fact_id]
        statement = _agreed(items, "statement", lambda s: s.statement,
                            lambda s: s.statement_location, diags)
        date = _agreed(items, "date", lambda s: s.date, lambda s: s.date_location, diags)
        topics = sorted({t for i in items for t in i.claim.spec.topics},
                        key=lambda t: (topic_rank.get(t, len(topic_rank)), t))
        first = items[0].claim.spec
        if statement is None:
            diags.error(first.location, f"fact '{fact_id}' has no statement",
                        "give one of its claims `statement: …` in your own words")
        if not topics:
            diags.error(first.location, f"fact '{fact_id}' has no topic",
                        "give one of its claims `topics: [topic-id]`")
        evidence = sorted((_evidence(i) for i in items),
                          key=lambda e: (e.stance is Stance.DISPUTES,
                                         _date_key(published.get(e.source_id)),
                                         e.source_id, e.start))
        facts.append(Fact(
            id=fact_id,
            statement=statement or "",
            topics=tuple(topics),
            date=date,
            speakers=tuple(dict.fromkeys(e.speaker for e in evidence if e.speaker)),
            evidence=tuple(evidence),
        ))
    return tuple(facts)


def reporter_key(doc: SourceDoc) -> str:
    """Who did the reporting, for counting independent support: the wire agency if the story
    came from one (its copies in several outlets are one report), else the outlet, else the
    source itself (an article of unknown origin counts as its own report)."""
    return doc.agency or doc.outlet or f"source {doc.id}"


def _independent_reports(fact: Fact, reporters: dict[str, str]) -> tuple[str, ...]:
    """The distinct reporters of the supporting evidence, compared without case."""
    seen: dict[str, str] = {}
    for evidence in fact.evidence:
        if evidence.stance is Stance.SUPPORTS:
            name = reporters.get(evidence.source_id, f"source {evidence.source_id}")
            seen.setdefault(name.casefold(), name)
    return tuple(sorted(seen.values(), key=str.casefold))


def _check_statuses(statuses: dict[str, FactStatus], fact_ids: set[str],
                    diags: Diagnostics) -> None:
    for fact_id, status in sorted(statuses.items()):
        if fact_id not in fact_ids:
            diags.error(status.location, f"status for unknown fact '{fact_id}'",
                        *(did_you_mean(fact_id, fact_ids)
                          or ["use a fact id from content/sources/*.yaml"]))


def _date_key(date: PartialDate | None) -> tuple[int, int, int, int]:
    return (1, 0, 0, 0) if date is None else (0, *date.sort_key)


def _agreed(items: list[_Cited], name: str, get: Callable[[ClaimSpec], T | None],
            where: Callable[[ClaimSpec], Location], diags: Diagnostics) -> T | None:
    """The one value that every claim giving it agrees on; a disagreement names both places."""
    value = None
    first_loc: Location | None = None
    for item in items:
        candidate = get(item.claim.spec)
        if candidate is None:
            continue
        if value is None:
            value, first_loc = candidate, where(item.claim.spec)
        elif candidate != value:
            diags.error(
                where(item.claim.spec),
                f"fact '{item.claim.spec.fact_id}' has two different {name}s",
                f"the other {name} is at {first_loc}: '{value}'",
                f"give the {name} once, or make both the same; use another fact id "
                "if they are different facts",
            )
    return value


def _evidence(item: _Cited) -> Evidence:
    spec = item.claim.spec
    return Evidence(
        fact_id=spec.fact_id,
        source_id=spec.source_id,
        quote=item.claim.quote,
        start=item.claim.span.start,
        end=item.claim.span.end,
        stance=spec.stance,
        anchor=item.anchor,
        speaker=spec.speaker,
        date=spec.date,
        note=spec.note,
    )


def _check_topic_citations(topics: tuple[Topic, ...], fact_ids: set[str],
                           diags: Diagnostics) -> None:
    for topic in topics:
        for citation in topic.citations:
            if citation.fact_id not in fact_ids:
                diags.error(citation.location, f"unknown fact '{citation.fact_id}' cited",
                            *(did_you_mean(citation.fact_id, fact_ids)
                              or ["cite a fact id used in content/sources/*.yaml: [@fact-id]"]))


# --- fact files ---


def fact_record(fact: Fact) -> dict:
    """The fact as the fact files and their schema describe it: optional keys are omitted."""
    record: dict = {"id": fact.id, "statement": fact.statement, "topics": list(fact.topics)}
    if fact.date:
        record["date"] = fact.date.iso()
    if fact.speakers:
        record["speakers"] = list(fact.speakers)
    record["disputed"] = fact.disputed
    record["independent_reports"] = list(fact.reporters)
    if fact.status:
        record["status"] = status_record(fact.status)
    record["evidence"] = []
    for e in fact.evidence:
        item: dict = {"source": e.source_id, "quote": e.quote, "start": e.start, "end": e.end,
                      "stance": e.stance.value, "href": e.href}
        if e.speaker:
            item["speaker"] = e.speaker
        if e.date:
            item["date"] = e.date.iso()
        if e.note:
            item["note"] = e.note
        record["evidence"].append(item)
    return record


def status_record(status: FactStatus) -> dict:
    record = {"status": status.status.value, "reason": status.reason}
    if status.date:
        record["date"] = status.date.iso()
    return record


def fact_file(fact: Fact) -> FactFile:
    return FactFile(f"{FACTS_DIR}/{fact.id}.yaml", FACT_FILE_HEADER + emit_yaml(fact_record(fact)))


# YAML accepts these raw inside a double-quoted scalar; anything else is escaped.
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd"
                            "\U00010000-\U0010ffff]")


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    quoted = json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted one
    return _NOT_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}"
                              if ord(m.group()) < 0x10000 else f"\\U{ord(m.group()):08x}",
                              quoted)


def emit_yaml(record: dict, indent: str = "") -> str:
    """A small, fast, deterministic YAML writer for fact records: block mappings, lists of
    scalars in flow style, lists of mappings as block sequences, JSON-quoted strings."""
    lines = []
    for key, value in record.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{indent}{key}:")
            for item in value:
                body = emit_yaml(item, indent + "  ")
                lines.append(f"{indent}- {body[len(indent) + 2:]}".rstrip("\n"))
        elif isinstance(value, list):
            lines.append(f"{indent}{key}: [{', '.join(_scalar(v) for v in value)}]")
        elif isinstance(value, dict):
            lines.append(f"{indent}{key}:")
            lines.append(emit_yaml(value, indent + "  ").rstrip("\n"))
        else:
            lines.append(f"{indent}{key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"
