"""The facts stage: anchored claims → facts with evidence, passages, and the YAML fact files."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import chain
from typing import TypeVar

from .. import routes
from ..anchoring.model import AnchoredClaim, AnchoredSource
from ..content.fields import did_you_mean
from ..content.model import (
    ClaimSpec,
    Entity,
    FactCitation,
    FactStatus,
    OutletDescription,
    PartialDate,
    Project,
    Stance,
    Status,
)
from ..diagnostics import Diagnostics, Location
from ..memo import Memo
from ..selectors.names import NameFinder
from .corroboration import independent_reports, name_id, reporter
from .factfile import fact_file
from .model import Evidence, Fact, FactFile, Passage, Research, SourceRecord

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Cited:
    """A claim together with its passage anchor, while facts are assembled."""

    claim: AnchoredClaim
    anchor: str


def build_research(project: Project, anchored: tuple[AnchoredSource, ...],
                   diags: Diagnostics, memo: Memo | None = None,
                   earlier: Research | None = None) -> Research:
    """The research: claims grouped into facts (one statement, the union of their topics),
    each fact's evidence, corroboration, status and the entities it names, the passages of
    each source, and the fact files. Disagreements and unknown references are reported.
    With `earlier` (the last good build's research, made with the same `memo`), a fact none
    of whose sources changed is taken from it as it is."""
    topics = tuple(sorted(project.topics.values(), key=lambda t: (t.order, t.id)))
    topic_rank = {t.id: i for i, t in enumerate(topics)}
    published = {s.doc.id: s.doc.published for s in anchored}
    reporters = {s.doc.id: reporter(s.doc) for s in anchored}
    names = NameFinder.of((e.id, (e.name, *e.aliases)) for e in project.entities.values())
    names_key = names.key()
    cited, records = _passages(anchored, _names_in_seeds(anchored, names, names_key, memo),
                               memo)
    context = _FactContext(topic_rank, published, reporters, names, project.statuses,
                           (tuple(topic_rank), names_key))
    reuse = _reuse(earlier, records, topic_rank, project) if memo else None
    if reuse is None:
        groups = _by_fact(chain.from_iterable(cited), None)
    else:  # only the claims of the facts to make again, from the sources that cite them
        where = {record.id: n for n, record in enumerate(records)}
        sources = reuse.sources | {e.source_id for fact_id in reuse.touched
                                   if (fact := reuse.earlier.fact_index.get(fact_id))
                                   for e in fact.evidence}
        groups = _by_fact(chain.from_iterable(cited[n] for n in sorted(
            where[s] for s in sources if s in where)), reuse.touched)
    assembled = {fact_id: _fact(fact_id, items, context, diags, memo)
                 for fact_id, items in groups.items()}
    made = _made(reuse, assembled)
    outlets = described_outlets(project, diags)
    research = Research(
        config=project.config.counted({"sources": len(records), "facts": len(made),
                                       "topics": len(topics)}),
        facts=tuple(fact for fact, _ in made),
        sources=records,
        topics=topics,
        entities=dict(sorted(project.entities.items())),
        findings=project.findings,
        outlets=outlets,
        fact_files=tuple(file for _, file in made),
    )
    known = research.fact_index
    _check_citations((*(c for t in topics for c in t.citations),
                      *(project.findings.citations if project.findings else ())), known, diags)
    _check_statuses(project.statuses, known, diags)
    _check_resolutions(project.statuses, known, diags)
    return research


def _made(reuse: _Reuse | None, assembled: dict[str, tuple[Fact, FactFile]],
          ) -> list[tuple[Fact, FactFile]]:
    """Every fact with its fact file, by id: those made again, and the others as they were."""
    if reuse is None:
        return [assembled[fact_id] for fact_id in sorted(assembled)]
    earlier = reuse.earlier
    made = [assembled.get(fact.id) or (fact, file) if fact.id in reuse.touched else (fact, file)
            for fact, file in zip(earlier.facts, earlier.fact_files, strict=True)
            if fact.id not in reuse.touched or fact.id in assembled]
    new = assembled.keys() - earlier.fact_index.keys()
    if new:
        made = sorted((*made, *(assembled[i] for i in new)), key=lambda pair: pair[0].id)
    return made


@dataclass(frozen=True, slots=True)
class _FactContext:
    """What a fact takes from beyond its own claims."""

    topic_rank: dict[str, int]
    published: dict[str, PartialDate | None]
    reporters: dict[str, tuple[str, str]]
    names: NameFinder
    statuses: dict[str, FactStatus]
    shared: tuple[tuple[str, ...], str]  # what every fact depends on: topic order, the names

    def key(self, fact_id: str, items: list[_Cited]) -> tuple:
        """All of it that one fact's result depends on, beside its claims themselves."""
        sources = [i.claim.spec.source_id for i in items]
        return (fact_id, tuple(i.anchor for i in items),
                tuple(self.published.get(s) for s in sources),
                tuple(self.reporters.get(s) for s in sources), self.shared,
                self.statuses.get(fact_id))


def _fact(fact_id: str, items: list[_Cited], context: _FactContext, diags: Diagnostics,
          memo: Memo | None) -> tuple[Fact, FactFile]:
    """One fact and its fact file. With `memo`, a fact whose claims are the very objects of
    the last build (anchoring hands out the same ones while a source is unchanged), in the
    same context, is the last build's object: later stages recognise it and reuse their work."""
    def compute(local: Diagnostics) -> tuple[Fact, FactFile]:
        fact = _assemble_fact(fact_id, items, context.topic_rank, context.published, local)
        fact = dataclasses.replace(
            fact, reporters=independent_reports(fact, context.reporters),
            mentions=context.names.owners_in(fact.statement),
            status=context.statuses.get(fact_id))
        return fact, fact_file(fact)

    if memo is None:
        return compute(diags)
    return memo.call_same("fact", context.key(fact_id, items), tuple(i.claim for i in items),
                          compute, diags)


def _names_in_seeds(anchored: tuple[AnchoredSource, ...], names: NameFinder, names_key: str,
                    memo: Memo | None) -> list[tuple[str, ...]]:
    """The entities each seed's text names, one scan per seed for every name at once; kept
    by the seed's hash and the names, so an edit rescans only the seeds it changed."""
    found = []
    for source in anchored:
        text = source.seed.text
        if memo is None:
            found.append(names.owners_in(text))
        else:
            found.append(memo.call("names in seed", (source.seed.sha256, names_key),
                                   lambda _, text=text: names.owners_in(text), Diagnostics()))
    return found


def _passages(
    anchored: tuple[AnchoredSource, ...], named: list[tuple[str, ...]], memo: Memo | None,
) -> tuple[list[tuple[_Cited, ...]], tuple[SourceRecord, ...]]:
    """Each source's passages and its cited claims. With `memo`, a source anchored as in the
    last build keeps its record object, which later stages recognise."""
    cited: list[tuple[_Cited, ...]] = []
    records = []
    for source, entities in zip(anchored, named, strict=True):
        if memo is None:
            record, claims = _source_passages(source, entities)
        else:
            record, claims = memo.call_same(
                "passages", source.doc.id, (source, entities),
                lambda _, source=source, entities=entities: _source_passages(source, entities),
                Diagnostics())
        records.append(record)
        cited.append(claims)
    return cited, tuple(records)


def _source_passages(source: AnchoredSource,
                     entities: tuple[str, ...]) -> tuple[SourceRecord, tuple[_Cited, ...]]:
    """Group a source's claims by span into passages; a passage's anchor comes from its
    first fact."""
    by_span: dict[tuple[int, int], list[AnchoredClaim]] = defaultdict(list)
    for claim in source.claims:
        by_span[(claim.span.start, claim.span.end)].append(claim)
    used: set[str] = set()
    passages = []
    cited: list[_Cited] = []
    for (start, end), claims in sorted(by_span.items()):
        anchor = _unique_anchor(claims[0].spec.fact_id, used)
        fact_ids = tuple(dict.fromkeys(c.spec.fact_id for c in claims))
        passages.append(Passage(source.doc.id, anchor, start, end, fact_ids))
        cited.extend(_Cited(c, anchor) for c in claims)
    return (SourceRecord(source.doc, source.seed, tuple(passages), source.excludes, entities),
            tuple(cited))


def _unique_anchor(fact_id: str, used: set[str]) -> str:
    n = 1
    while (anchor := routes.passage_anchor(fact_id, n)) in used:
        n += 1
    used.add(anchor)
    return anchor


def _by_fact(cited: Iterable[_Cited], only: set[str] | None) -> dict[str, list[_Cited]]:
    """The claims of each fact (of the facts `only`, if given), in the order given."""
    groups: dict[str, list[_Cited]] = defaultdict(list)
    for item in cited:
        fact_id = item.claim.spec.fact_id
        if only is None or fact_id in only:
            groups[fact_id].append(item)
    return groups


@dataclass(frozen=True)
class _Reuse:
    """What a build takes from the last one: its research, whose facts are kept but those
    `touched`, and the sources that changed since."""

    earlier: Research
    touched: set[str]
    sources: set[str]


def _reuse(earlier: Research | None, records: tuple[SourceRecord, ...],
           topic_rank: dict[str, int], project: Project) -> _Reuse | None:
    """What of the last build's facts this build would make again as they are: every fact
    but those a changed source cites (or cited), or whose status changed. A source anchored
    as before keeps its record object, and with it its claims, date and outlet. None if the
    topics' order or the entities' names, which every fact depends on, changed."""
    if earlier is None or tuple(t.id for t in earlier.topics) != tuple(topic_rank) \
            or _names(earlier.entities) != _names(project.entities):
        return None
    before = earlier.source_index
    now = {record.id: record for record in records}
    touched: set[str] = set()
    sources = set()
    for source_id in before.keys() | now.keys():
        old, new = before.get(source_id), now.get(source_id)
        if old is not new:
            sources.add(source_id)
            touched.update(fact_id for record in (old, new) if record is not None
                           for passage in record.passages for fact_id in passage.fact_ids)
    statuses = project.statuses
    touched.update(fact_id for fact_id in statuses
                   if (fact := earlier.fact_index.get(fact_id)) is not None
                   and fact.status != statuses[fact_id])
    touched.update(fact.id for fact_id, fact in earlier.fact_index.items()
                   if fact.status is not None and fact_id not in statuses)
    return _Reuse(earlier, touched, sources)


def _names(entities: Mapping[str, Entity]) -> list[tuple[str, str, tuple[str, ...]]]:
    return sorted((e.id, e.name, e.aliases) for e in entities.values())


def _assemble_fact(fact_id: str, items: list[_Cited], topic_rank: dict[str, int],
                   published: dict[str, PartialDate | None], diags: Diagnostics) -> Fact:
    """A fact from its claims: one statement and date (disagreement is an error), the union
    of their topics, the evidence (supporting first, then by date and source)."""
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
    return Fact(
        id=fact_id,
        statement=statement or "",
        topics=tuple(topics),
        date=date,
        speakers=tuple(dict.fromkeys(e.speaker for e in evidence if e.speaker)),
        evidence=tuple(evidence),
    )


def _check_statuses(statuses: dict[str, FactStatus], fact_ids: Mapping[str, Fact],
                    diags: Diagnostics) -> None:
    for fact_id, status in sorted(statuses.items()):
        if fact_id not in fact_ids:
            diags.error(status.location, f"status for unknown fact '{fact_id}'",
                        *(did_you_mean(fact_id, fact_ids)
                          or ["use a fact id from content/sources/*.yaml"]))


def described_outlets(project: Project, diags: Diagnostics) -> dict[str, OutletDescription]:
    """content/outlets.yaml's descriptions by the name_id of their outlet (names that differ
    only in case or punctuation are one outlet); describing an outlet that no annotation names,
    or one outlet twice, is an error."""
    named: dict[str, str] = {}
    for doc in sorted(project.sources.values(), key=lambda d: d.id):
        if doc.outlet:
            named.setdefault(name_id(doc.outlet), doc.outlet)
    described: dict[str, OutletDescription] = {}
    for outlet in project.outlets.values():
        key = name_id(outlet.name)
        if key not in named:
            diags.error(outlet.location, f"no source names the outlet '{outlet.name}'",
                        *(did_you_mean(outlet.name, named.values())
                          or [f"outlets the sources name: {', '.join(sorted(named.values()))}"
                              if named else "no annotation names an outlet yet"]),
                        "describe an outlet as the annotations' `outlet:` lines name it")
        elif key in described:
            diags.error(outlet.location,
                        f"'{outlet.name}' is the outlet '{described[key].name}' again",
                        f"names that differ only in case or punctuation are one outlet: "
                        f"describe it once, line {described[key].location.line}")
        else:
            described[key] = outlet
    return dict(sorted(described.items()))


def _check_resolutions(statuses: dict[str, FactStatus], facts: Mapping[str, Fact],
                       diags: Diagnostics) -> None:
    """A `resolved` status settles evidence against a fact: on a fact with none it is a slip."""
    for fact_id in sorted(statuses):
        status, fact = statuses[fact_id], facts.get(fact_id)
        if (fact is not None and status.status is Status.RESOLVED
                and not any(e.stance is Stance.DISPUTES for e in fact.evidence)):
            diags.error(status.location,
                        f"status 'resolved' for fact '{fact.id}', which no evidence disputes",
                        "'resolved' settles a dispute: use it for a fact cited with "
                        "'stance: disputes', or choose another status")


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


def _check_citations(citations: tuple[FactCitation, ...], fact_ids: Mapping[str, Fact],
                     diags: Diagnostics) -> None:
    """Every [@fact-id] of the topics' introductions and the key findings names a fact."""
    for citation in citations:
        if citation.fact_id not in fact_ids:
            diags.error(citation.location, f"unknown fact '{citation.fact_id}' cited",
                        *(did_you_mean(citation.fact_id, fact_ids)
                          or ["cite a fact id used in content/sources/*.yaml: [@fact-id]"]))
