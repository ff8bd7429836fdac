"""The facts stage: anchored claims → facts with evidence, passages, and the YAML fact files."""

from __future__ import annotations

import dataclasses
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import chain
from typing import TypeVar

from ..anchoring.model import AnchoredSource
from ..content.fields import did_you_mean
from ..content.model import (
    ClaimSpec,
    Entity,
    FactCitation,
    FactStatus,
    OutletDescription,
    PartialDate,
    Project,
    SourceDoc,
    Stance,
    Status,
)
from ..diagnostics import Diagnostics, Location
from ..memo import Memo
from ..selectors.names import NameFinder
from .corroboration import independent_reports, name_id
from .factfile import fact_file
from .model import Delta, Evidence, Fact, FactFile, FactFileChanges, Research, SourceRecord
from .passages import Cited, SourceParts, source_parts

T = TypeVar("T")


def build_research(project: Project, anchored: tuple[AnchoredSource, ...],
                   diags: Diagnostics, memo: Memo | None = None,
                   earlier: Research | None = None) -> Research:
    """The research: claims grouped into facts (one statement, the union of their topics),
    each fact's evidence, corroboration, status and the entities it names, the passages of
    each source, and the fact files. Disagreements and unknown references are reported.
    With `earlier` (the last good build's research, made with the same `memo`), a fact none
    of whose sources changed is taken from it as it is, and the research is that one patched:
    its sources' parts and its indexes are kept but for what the edit changed, so an edit
    costs in proportion to what it changed, not to the number of sources or facts."""
    topics = tuple(sorted(project.topics.values(), key=lambda t: (t.order, t.id)))
    topic_rank = {t.id: i for i, t in enumerate(topics)}
    trail = earlier.trail if memo is not None and earlier is not None else None
    entity_names, names, names_key = _name_finder(project, trail)
    parts, moved = source_parts(anchored, names, names_key, memo,
                                trail.parts if trail is not None else None)
    context = _FactContext(topic_rank, parts.published, parts.reporters, names,
                           project.statuses, (tuple(topic_rank), names_key))
    reuse = _reuse(earlier, trail, moved, parts, topic_rank, project)
    if reuse is None:
        groups = _by_fact(chain.from_iterable(parts.cited), None)
    else:  # only the claims of the facts to make again, from the sources that cite them
        where = parts.where
        sources = reuse.sources | {e.source_id for fact_id in reuse.touched
                                   if (fact := reuse.earlier.fact_index.get(fact_id))
                                   for e in fact.evidence}
        groups = _by_fact(chain.from_iterable(parts.cited[n] for n in sorted(
            where[s] for s in sources if s in where)), reuse.touched)
    assembled = {fact_id: _fact(fact_id, items, context, diags, memo)
                 for fact_id, items in groups.items()}
    made = _made(reuse, assembled)
    named = _kept_outlet_names(trail, parts, moved, project)
    if named is None:
        named = outlet_names(project.sources.values())
    known = made.index if made.index is not None else {fact.id: fact for fact in made.facts}
    config = project.config.counted({"sources": len(parts.records),
                                     "facts": len(made.facts), "topics": len(topics)})
    research = Research(
        # The last build's very settings while they are equal: what is kept by them stays.
        config=earlier.config if earlier is not None and earlier.config == config else config,
        facts=made.facts,
        sources=parts.records,
        topics=topics,
        entities=_kept_entities(project.entities, earlier),
        findings=project.findings,
        outlets=described_outlets(project, diags, named),
        fact_files=made.files,
        changes=made.changes,
        delta=None if reuse is None else Delta(
            reuse.earlier.serial, frozenset(reuse.touched | assembled.keys()),
            frozenset(reuse.sources)),
        trail=_Trail(parts, frozenset(fact_id for fact_id in project.statuses
                                      if fact_id in known),
                     named if len(project.sources) == len(anchored) else None,
                     (entity_names, names)),
    ).primed(known, _source_index(earlier, trail, parts, moved))
    _check_citations((*(c for t in topics for c in t.citations),
                      *(project.findings.citations if project.findings else ())), known, diags)
    _check_statuses(project.statuses, known, diags)
    _check_resolutions(project.statuses, known, diags)
    return research


def _kept_entities(entities: dict[str, Entity], earlier: Research | None) -> dict[str, Entity]:
    """The entities by id, each the last build's very object while it is equal (entities.yaml
    read again makes new ones): what pages keep by them stays."""
    last = earlier.entities if earlier is not None else {}
    return {entity_id: found if (found := last.get(entity_id)) == entity else entity
            for entity_id, entity in sorted(entities.items())}


@dataclass(frozen=True, slots=True)
class _Trail:
    """What a build of the facts stage keeps for the next to patch: each source's parts, the
    facts that have a status, the outlets the sources name, and the entities' names."""

    parts: SourceParts
    status_ids: frozenset[str]
    outlet_names: dict[str, str] | None  # of the sources, if every one of them is anchored
    names: tuple[_Named, NameFinder]  # the entities' names, and their finder


_Named = tuple[tuple[str, tuple[str, ...]], ...]  # each entity's id and names


def _name_finder(project: Project, trail: _Trail | None) -> tuple[_Named, NameFinder, str]:
    """The entities' names, their finder and its key: the last build's finder, if they are
    the same names."""
    named = tuple((e.id, (e.name, *e.aliases)) for e in project.entities.values())
    if trail is not None and trail.names[0] == named:
        return named, trail.names[1], trail.parts.names_key
    names = NameFinder.of(named)
    return named, names, names.key()


def _kept_outlet_names(trail: _Trail | None, parts: SourceParts, moved: set[str] | None,
                       project: Project) -> dict[str, str] | None:
    """The last build's outlet_names, if its sources are these (each anchored) and none of
    those that changed names another outlet; else None."""
    if trail is None or moved is None or trail.outlet_names is None \
            or parts.where is not trail.parts.where or len(project.sources) != len(parts.where):
        return None
    for source_id in moved:
        old, new = trail.parts.record(source_id), parts.record(source_id)
        if old is None or new is None or old.doc.outlet != new.doc.outlet:
            return None
    return trail.outlet_names


@dataclass(frozen=True, slots=True)
class _Made:
    """The facts and their files, in id order; the index of the facts, if kept from the last
    build; how the files differ from the last build's."""

    facts: tuple[Fact, ...]
    files: tuple[FactFile, ...]
    index: dict[str, Fact] | None
    changes: FactFileChanges | None


def _made(reuse: _Reuse | None, assembled: dict[str, tuple[Fact, FactFile]]) -> _Made:
    """Every fact with its fact file, by id: those made again, and the others as they were
    (the last build's lists, patched where a fact was made again, removed or added)."""
    if reuse is None:
        pairs = [assembled[fact_id] for fact_id in sorted(assembled)]
        return _Made(tuple(fact for fact, _ in pairs), tuple(file for _, file in pairs),
                     None, None)
    earlier = reuse.earlier
    facts, files = list(earlier.facts), list(earlier.fact_files)
    index = dict(earlier.fact_index)
    gone: list[int] = []
    # (Each a pass over the few changed: a set operation with the index would pass over it.)
    for fact_id in sorted(fact_id for fact_id in reuse.touched if fact_id in index):
        n = bisect_left(facts, fact_id, key=_fact_id)
        if fact_id in assembled:
            facts[n], files[n] = assembled[fact_id]
            index[fact_id] = facts[n]
        else:
            gone.append(n)
    removed = tuple(files[n].path for n in gone)
    for n in reversed(gone):
        del index[facts[n].id], facts[n], files[n]
    new = sorted(fact_id for fact_id in assembled if fact_id not in earlier.fact_index)
    for fact_id in new:
        n = bisect_left(facts, fact_id, key=_fact_id)
        facts.insert(n, assembled[fact_id][0])
        files.insert(n, assembled[fact_id][1])
    changes = FactFileChanges(earlier.serial,
                              tuple(assembled[fact_id][1] for fact_id in sorted(assembled)),
                              removed)
    return _Made(tuple(facts), tuple(files), None if new else index, changes)


def _fact_id(fact: Fact) -> str:
    return fact.id


def _source_index(earlier: Research | None, trail: _Trail | None, parts: SourceParts,
                  moved: set[str] | None) -> dict[str, SourceRecord] | None:
    """The last build's index of the sources, patched, if they are the same sources in the
    same order; else None (made when asked)."""
    if earlier is None or trail is None or moved is None \
            or parts.where is not trail.parts.where or "source_index" not in earlier.__dict__:
        return None
    index = dict(earlier.source_index)
    for source_id in moved:
        index[source_id] = parts.records[parts.where[source_id]]
    return index


@dataclass(frozen=True, slots=True)
class _FactContext:
    """What a fact takes from beyond its own claims."""

    topic_rank: dict[str, int]
    published: dict[str, PartialDate | None]
    reporters: dict[str, tuple[str, str]]
    names: NameFinder
    statuses: dict[str, FactStatus]
    shared: tuple[tuple[str, ...], str]  # what every fact depends on: topic order, the names

    def key(self, fact_id: str, items: list[Cited]) -> tuple:
        """All of it that one fact's result depends on, beside its claims themselves."""
        sources = [i.claim.spec.source_id for i in items]
        return (fact_id, tuple(i.anchor for i in items),
                tuple(self.published.get(s) for s in sources),
                tuple(self.reporters.get(s) for s in sources), self.shared,
                self.statuses.get(fact_id))


def _fact(fact_id: str, items: list[Cited], context: _FactContext, diags: Diagnostics,
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


def _by_fact(cited: Iterable[Cited], only: set[str] | None) -> dict[str, list[Cited]]:
    """The claims of each fact (of the facts `only`, if given), in the order given."""
    groups: dict[str, list[Cited]] = defaultdict(list)
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


def _reuse(earlier: Research | None, trail: _Trail | None, moved: set[str] | None,
           parts: SourceParts, topic_rank: dict[str, int], project: Project,
           ) -> _Reuse | None:
    """What of the last build's facts this build would make again as they are: every fact
    but those a changed source (`moved`) cites (or cited), or whose status changed. A source
    anchored as before keeps its record object, and with it its claims, date and outlet.
    None without the last build's trail, or if the topics' order or the entities' names,
    which every fact depends on, changed."""
    if earlier is None or trail is None or moved is None \
            or tuple(t.id for t in earlier.topics) != tuple(topic_rank) \
            or _names(earlier.entities) != _names(project.entities):
        return None
    touched: set[str] = set()
    for source_id in moved:
        touched.update(fact_id for record in (trail.parts.record(source_id),
                                              parts.record(source_id)) if record is not None
                       for passage in record.passages for fact_id in passage.fact_ids)
    statuses, index = project.statuses, earlier.fact_index
    touched.update(fact_id for fact_id in statuses
                   if (fact := index.get(fact_id)) is not None
                   and fact.status != statuses[fact_id])
    # The facts that had a status: each fact's status is the one its build had for it.
    touched.update(fact_id for fact_id in trail.status_ids if fact_id not in statuses)
    return _Reuse(earlier, touched, moved)


def _names(entities: Mapping[str, Entity]) -> list[tuple[str, str, tuple[str, ...]]]:
    return sorted((e.id, e.name, e.aliases) for e in entities.values())


def _assemble_fact(fact_id: str, items: list[Cited], topic_rank: dict[str, int],
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


def outlet_names(docs: Iterable[SourceDoc]) -> dict[str, str]:
    """The outlets the annotations name, by name_id: each as the first source names it."""
    named: dict[str, str] = {}
    for doc in sorted(docs, key=lambda d: d.id):
        if doc.outlet:
            named.setdefault(name_id(doc.outlet), doc.outlet)
    return named


def described_outlets(project: Project, diags: Diagnostics,
                      named: dict[str, str] | None = None) -> dict[str, OutletDescription]:
    """content/outlets.yaml's descriptions by the name_id of their outlet (names that differ
    only in case or punctuation are one outlet); describing an outlet that no annotation names,
    or one outlet twice, is an error. `named` is outlet_names of the project's sources, if
    known."""
    if named is None:
        named = outlet_names(project.sources.values())
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


def _agreed(items: list[Cited], name: str, get: Callable[[ClaimSpec], T | None],
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


def _evidence(item: Cited) -> Evidence:
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
        language=spec.language,
        translation=spec.trans_quote,
        translator=spec.translator,
    )


def _check_citations(citations: tuple[FactCitation, ...], fact_ids: Mapping[str, Fact],
                     diags: Diagnostics) -> None:
    """Every [@fact-id] of the topics' introductions and the key findings names a fact."""
    for citation in citations:
        if citation.fact_id not in fact_ids:
            diags.error(citation.location, f"unknown fact '{citation.fact_id}' cited",
                        *(did_you_mean(citation.fact_id, fact_ids)
                          or ["cite a fact id used in content/sources/*.yaml: [@fact-id]"]))
