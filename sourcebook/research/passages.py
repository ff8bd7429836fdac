"""The facts stage's per-source part: each source's passages, its cited claims and what the
facts take from it (date, reporter), kept from build to build and patched for the sources an
edit changed, so that an edit of one annotation does not pass over every source."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .. import routes
from ..anchoring.model import AnchoredClaim, AnchoredSource
from ..content.model import PartialDate
from ..diagnostics import Diagnostics
from ..memo import Memo
from ..selectors.names import NameFinder
from .corroboration import reporter
from .model import Passage, SourceRecord


@dataclass(frozen=True, slots=True)
class Cited:
    """A claim together with its passage anchor, while facts are assembled."""

    claim: AnchoredClaim
    anchor: str


@dataclass(frozen=True)
class SourceParts:
    """What the facts stage makes of each anchored source, in the sources' order: the
    entities its seed names, its cited claims and its record; and by source name, its
    position, its date and its reporter."""

    anchored: tuple[AnchoredSource, ...]
    names_key: str
    named: tuple[tuple[str, ...], ...]
    cited: tuple[tuple[Cited, ...], ...]
    records: tuple[SourceRecord, ...]
    where: dict[str, int]
    published: dict[str, PartialDate | None]
    reporters: dict[str, tuple[str, str]]

    def record(self, source_id: str) -> SourceRecord | None:
        """A source's record, by name."""
        n = self.where.get(source_id)
        return None if n is None else self.records[n]


def source_parts(anchored: tuple[AnchoredSource, ...], names: NameFinder, names_key: str,
                 memo: Memo | None, last: SourceParts | None,
                 ) -> tuple[SourceParts, set[str] | None]:
    """Each source's parts, and the names of the sources whose record is not the very
    object of `last` (None without `last`). With `last` (this process's last good build,
    with the same names), a source anchored as then (the same object: anchoring hands out
    the same one while a source is unchanged) keeps its parts without a pass over them."""
    if last is None or last.names_key != names_key:
        named = _names_in_seeds(anchored, names, names_key, memo)
        cited, records = _passages(anchored, named, memo)
        parts = _parts(anchored, names_key, named, cited, records)
        return parts, None if last is None else _changed(last, parts)
    old = last.anchored
    if len(old) == len(anchored):
        moved = [n for n, (new, was) in enumerate(zip(anchored, old, strict=True))
                 if new is not was]
        if all(anchored[n].doc.id == old[n].doc.id for n in moved):
            return _patched(last, anchored, moved, names, memo)
    # Sources added or removed: positions move; each source is looked up by name.
    where = last.where
    kept = [n if (n := where.get(s.doc.id)) is not None and old[n] is s else None
            for s in anchored]
    named = [last.named[n] if n is not None else _names_in_seeds((s,), names, names_key,
                                                                  memo)[0]
             for s, n in zip(anchored, kept, strict=True)]
    cited, records = [], []
    for s, n, entities in zip(anchored, kept, named, strict=True):
        if n is not None and last.named[n] is entities:
            claims, record = last.cited[n], last.records[n]
        else:
            (claims,), (record,) = _passages((s,), [entities], memo)
        cited.append(claims)
        records.append(record)
    parts = _parts(anchored, names_key, named, cited, records)
    return parts, _changed(last, parts)


def _parts(anchored: tuple[AnchoredSource, ...], names_key: str,
           named: list[tuple[str, ...]], cited: list[tuple[Cited, ...]],
           records: tuple[SourceRecord, ...] | list[SourceRecord]) -> SourceParts:
    """Every source's parts, made in one pass over the sources."""
    return SourceParts(anchored, names_key, tuple(named), tuple(cited), tuple(records),
                       {record.id: n for n, record in enumerate(records)},
                       {s.doc.id: s.doc.published for s in anchored},
                       {s.doc.id: reporter(s.doc) for s in anchored})


def _patched(last: SourceParts, anchored: tuple[AnchoredSource, ...], moved: list[int],
             names: NameFinder, memo: Memo | None) -> tuple[SourceParts, set[str]]:
    """The last parts with those of the sources at `moved` (the same names) made again."""
    if not moved:
        return last, set()
    named, cited, records = list(last.named), list(last.cited), list(last.records)
    published, reporters = dict(last.published), dict(last.reporters)
    changed = set()
    for n in moved:
        source = anchored[n]
        named[n] = _names_in_seeds((source,), names, last.names_key, memo)[0]
        (cited[n],), (records[n],) = _passages((source,), [named[n]], memo)
        published[source.doc.id] = source.doc.published
        reporters[source.doc.id] = reporter(source.doc)
        if records[n] is not last.records[n]:
            changed.add(source.doc.id)
    return SourceParts(anchored, last.names_key, tuple(named), tuple(cited), tuple(records),
                       last.where, published, reporters), changed


def _changed(last: SourceParts, now: SourceParts) -> set[str]:
    """The names of the sources whose record is not the very object it was."""
    return {source_id for source_id in last.where.keys() | now.where.keys()
            if last.record(source_id) is not now.record(source_id)}


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
) -> tuple[list[tuple[Cited, ...]], tuple[SourceRecord, ...]]:
    """Each source's passages and its cited claims. With `memo`, a source anchored as in the
    last build keeps its record object, which later stages recognise."""
    cited: list[tuple[Cited, ...]] = []
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
                     entities: tuple[str, ...]) -> tuple[SourceRecord, tuple[Cited, ...]]:
    """Group a source's claims by span into passages; a passage's anchor comes from its
    first fact."""
    by_span: dict[tuple[int, int], list[AnchoredClaim]] = defaultdict(list)
    for claim in source.claims:
        by_span[(claim.span.start, claim.span.end)].append(claim)
    used: set[str] = set()
    passages = []
    cited: list[Cited] = []
    for (start, end), claims in sorted(by_span.items()):
        anchor = _unique_anchor(claims[0].spec.fact_id, used)
        fact_ids = tuple(dict.fromkeys(c.spec.fact_id for c in claims))
        passages.append(Passage(source.doc.id, anchor, start, end, fact_ids))
        cited.extend(Cited(c, anchor) for c in claims)
    return (SourceRecord(source.doc, source.seed, tuple(passages), source.excludes, entities),
            tuple(cited))


def _unique_anchor(fact_id: str, used: set[str]) -> str:
    n = 1
    while (anchor := routes.passage_anchor(fact_id, n)) in used:
        n += 1
    used.add(anchor)
    return anchor
