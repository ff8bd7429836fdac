"""Tracked reading of the research: the only way a page or an export sees the research.

Every read is recorded with a digest of what it returned: the site settings, a topic, a fact,
a source, an entity, one of the lists of them, a template, or a query (a pure function of
other reads, declared with `@query`). The next build asks for the same reads again and
re-makes a page exactly when one of them now returns something else, so what a page depends
on is derived by the machine, never listed by hand.

Queries give early cut-off: a page that reads `topic_facts("quad")` depends on that list of
facts, not on every fact of the project, and a page that reads a count depends on the count.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import pickle
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from ..content.model import Entity, Findings, OutletDescription, Seed, SiteConfig, SourceDoc, Topic
from ..research.model import Fact, Research, SourceRecord
from .folds import FACTS, FOLDS, FoldState, Grouped, Grouping, Tally, UnitChanges, count, group

T = TypeVar("T")
Key = tuple[str, ...]
Reads = set[Key]  # what one artifact read (their digests are taken once, by the parent process)
UnitDigests = dict[int, tuple[object, str]]  # id of a unit → (the unit, kept alive; its digest)
# A query's answer in an earlier build: what it read (with digests), its value and its digest.
QueryAnswers = dict[Key, tuple[tuple[tuple[Key, str], ...], Any, str]]


@dataclass(frozen=True, slots=True)
class Record:
    """What the last build knew of one file: what making it read, and the hash it wrote."""

    reads: tuple[tuple[Key, str], ...]
    sha256: str


_QUERIES: dict[str, Callable[..., Any]] = {}
_UNITS = (Fact, SourceRecord, Topic, Entity, SiteConfig)


def query(function: Callable[..., T]) -> Callable[..., T]:
    """Declare a pure function of the research (its first argument a Reader) as a query
    that pages may read through `Reader.query`. A query must be total: a later build asks it
    again with the same arguments, when the topic or source they name may be gone (return
    None or an empty value then)."""
    _QUERIES[_query_name(function)] = function
    return function


_NAMES: dict[Callable[..., Any], str] = {}  # one string per query, shared by every read of it


def _query_name(function: Callable[..., Any]) -> str:
    name = _NAMES.get(function)
    if name is None:
        name = _NAMES[function] = f"{function.__module__}.{function.__qualname__}"
    return name


_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


class _Pickler(pickle.Pickler):
    """Pickles values without the memo (so equal values give equal bytes, shared or not).
    A unit of the research inside the value stands in by its own digest, an annotation by the
    hash of its file (it is a function of those bytes), and a seed by its hash; any other data
    class by its fields (fast: the slotted classes' own pickling is pure Python)."""

    def __init__(self, file: io.BytesIO, digests: Digests, top: object) -> None:
        super().__init__(file, protocol=5)
        self.fast = True
        self.digests = digests
        self.top = top

    def reducer_override(self, obj: object) -> Any:
        """The reduction of an instance of a class (never called for str, int, tuple …)."""
        cls = type(obj)
        if obj is not self.top:
            if cls is Seed:
                return str, (f"seed {obj.id} {obj.path} {obj.sha256}",)  # type: ignore
            if cls is SourceDoc and obj.digest:  # type: ignore[attr-defined]
                return str, (f"doc {obj.path} {obj.digest}",)  # type: ignore[attr-defined]
            if cls in _UNITS:
                return str, (self.digests.unit(obj),)
        if dataclasses.is_dataclass(cls):
            return cls, tuple(getattr(obj, name) for name in _field_names(cls))
        return NotImplemented


def digest(value: object, digests: Digests | None = None) -> str:
    """A digest of a value of the research: equal values give equal digests in every process."""
    if digests is not None and type(value) is tuple and (text := digests.cached(value)):
        return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()  # as below, known
    if digests is not None and _units_only(value):
        # A list of facts or sources (or of such lists): its units' digests, each computed
        # once, rather than a pickle of the whole.
        return hashlib.blake2b(_unit_text(value, digests).encode(), digest_size=16).hexdigest()
    buffer = io.BytesIO()
    _Pickler(buffer, digests or Digests(None), value).dump(value)
    return hashlib.blake2b(buffer.getvalue(), digest_size=16).hexdigest()


def _units_only(value: object) -> bool:
    """Whether the value is a tuple of units (as its first item is: a list of facts or of
    sources, its items' digests then stand in for it, whatever the rest), a tuple of such
    tuples, or a dict of them by name. Only first items are looked at: a list may hold every
    fact of the project."""
    if type(value) is dict:
        return all(type(k) is str and (v == () or _units_only(v)) for k, v in value.items())
    if type(value) is not tuple or not value:
        return False
    if type(value[0]) in _UNITS:
        return True
    return all(v == () or _units_only(v) for v in value) and any(value)


def _unit_text(value: object, digests: Digests) -> str:
    if type(value) is dict:
        return "{" + " ".join(f"{json.dumps(k)}:{_unit_text(v, digests)}"
                              for k, v in value.items()) + "}"
    if type(value) is tuple and (not value or type(value[0]) is tuple):
        return "(" + " ".join(_unit_text(v, digests) for v in value) + ")"
    return digests.list_of_units(value)  # type: ignore[arg-type]


class Digests:
    """One build's answers: the value and digest of every key anyone reads, computed once."""

    def __init__(self, research: Research | None,
                 template_source: Callable[[str], str | None] | None = None,
                 catalogue: object = None, units: UnitDigests | None = None,
                 queries: QueryAnswers | None = None,
                 changes: UnitChanges | None = None) -> None:
        self.research = research
        self.template_source = template_source
        self.catalogue = catalogue
        self._values: dict[Key, Any] = {}
        self._digests: dict[Key, str] = {}
        # The digests of unit objects, also from earlier builds: a unit is immutable, and the
        # facts stage hands out the same object for a fact that did not change.
        self._earlier = units or {}
        self._units: UnitDigests = {}
        # Queries' answers, also from the last build: one whose reads all get the same as then
        # is answered as then, without running it (what it read is recorded, as for a page).
        self._earlier_queries = queries or {}
        # What each query asked this build read: a set if it ran, or the earlier record
        # (already sorted, with digests) if it was answered as in the last build.
        self._query_reads: dict[Key, Reads | tuple[tuple[Key, str], ...]] = {}
        # The folds over every fact this build made, from the last build's and the facts
        # that changed since (`changes`), if it has them.
        self._changes = changes
        self.folds: FoldState = {}
        self.kept: Kept | None = None  # what page views keep between preview builds
        # False in a one-shot build: no later build asks for this one's answers, so what each
        # query read is neither tracked nor kept (`queries` then lists none).
        self.keep_answers = True

    def unit(self, obj: object) -> str:
        """The digest of a fact, source, topic, entity or the settings, computed once per object."""
        return self.cached(obj) or self._keep(obj, digest(obj, self))

    def cached(self, obj: object) -> str | None:
        """The kept digest of a unit or a tuple of units (made in this build or the last,
        for this very object), or None."""
        found = self._units.get(id(obj)) or self._earlier.get(id(obj))
        if found is None or found[0] is not obj:
            return None
        self._units[id(obj)] = found
        return found[1]

    def _keep(self, obj: object, found: str) -> str:
        self._units[id(obj)] = (obj, found)  # the object is kept alive: its id stays its own
        return found

    def list_of_units(self, values: tuple[object, ...]) -> str:
        """The digest of a tuple of units, kept as a unit's is (by the object): a topic's
        facts are the same tuple from build to build while none of them changes."""
        found = self.cached(values)
        if found is None:
            text = " ".join(self.units_of(values))
            found = self._keep(values, "units " + hashlib.blake2b(text.encode(),
                                                                  digest_size=16).hexdigest())
        return found

    def units_of(self, values: tuple[object, ...]) -> list[str]:
        """The digests of many units (`unit` of each, with the lookups inlined: a list may
        hold every fact of the project)."""
        units, earlier = self._units, self._earlier
        found = []
        for obj in values:
            known = units.get(id(obj))
            if known is None or known[0] is not obj:
                known = earlier.get(id(obj))
                if known is None or known[0] is not obj:
                    known = (obj, digest(obj, self))
                units[id(obj)] = known
            found.append(known[1])
        return found

    def units(self) -> UnitDigests:
        """The unit digests this build used, for the next build."""
        return self._units

    def value(self, key: Key) -> Any:
        """What `key` reads in this build, computed once."""
        if key not in self._values:
            self._values[key] = self._evaluate(key)
        return self._values[key]

    def of(self, key: Key) -> str:
        """The digest of what `key` reads in this build."""
        found = self._digests.get(key)
        if found is None:
            if key[0] == "template":
                source = self.template_source(key[1]) if self.template_source else None
                found = hashlib.blake2b((source or "\0missing").encode(),
                                        digest_size=16).hexdigest()
            else:
                value = self.value(key)
                found = self._digests.get(key)  # a query answered as in the last build
                if found is None and key[0] == "fold":
                    found = self._fold_digest(value)
                elif found is None:
                    found = self.unit(value) if type(value) in _UNITS else digest(value, self)
            self._digests[key] = found
        return found

    def _evaluate(self, key: Key) -> Any:
        research = self.research
        assert research is not None
        kind, *args = key
        match kind:
            case "config":
                return research.config
            case "topics":
                return research.topics
            case "topic":
                return research.topic_index.get(args[0])
            case "facts":
                return research.facts
            case "fact":
                return research.fact_index.get(args[0])
            case "sources":
                return research.sources
            case "source":
                return research.source_index.get(args[0])
            case "entities":
                return tuple(research.entities.values())
            case "entity":
                return research.entities.get(args[0])
            case "findings":
                return research.findings
            case "outlet description":
                return research.outlets.get(args[0])
            case "query":
                return self._query(key)
            case "fold":
                found = self.fold(FOLDS[args[0]])
                return found.members if isinstance(found, Grouped) else found
        raise KeyError(key)

    def _query(self, key: Key) -> Any:
        earlier = self._earlier_queries.get(key)
        if earlier is not None and not self.changed(earlier[0]):
            self._digests[key] = earlier[2]
            self._query_reads[key] = earlier[0]
            return earlier[1]
        if not self.keep_answers:
            return _QUERIES[key[1]](Reader(self), *key[2:])
        reads: Reads = set()
        value = _QUERIES[key[1]](Reader(self, reads), *key[2:])
        self._query_reads[key] = reads
        return value

    def fold(self, fold: Tally | Grouping) -> Counter[Hashable] | Grouped:
        """A fold's value in this build, made once."""
        found = self.folds.get(fold.name)
        if found is None:
            assert self.research is not None
            units = self.research.facts if fold.over == FACTS else self.research.sources
            found = self.folds[fold.name] = count(fold, units, self._changes) \
                if isinstance(fold, Tally) else group(fold, units, self._changes)
        return found

    def _fold_digest(self, value: Counter[Hashable] | dict[str, tuple[Any, ...]]) -> str:
        """A fold's digest, kept with the value: a fold no change touched is the same object.
        A tally's keys are sorted first (a rebuild leaves them in another order)."""
        found = self.cached(value)
        if found is None:
            if isinstance(value, Counter):
                found = digest(tuple(sorted(value.items())), self)
            else:  # a grouping: each group's digest is kept with its tuple, which a rebuild
                # keeps while no change touches the group
                found = digest(tuple((name, self._group_digest(items))
                                     for name, items in value.items()))
            found = self._keep(value, found)
        return found

    def _group_digest(self, items: tuple[Any, ...]) -> str:
        if items and type(items[0]) in _UNITS:
            return self.list_of_units(items)
        return self.cached(items) or self._keep(items, digest(items, self))

    def queries(self) -> QueryAnswers:
        """This build's answers to every query asked, for the next build."""
        return {key: (reads if isinstance(reads, tuple) else self.recorded(reads),
                      self._values[key], self.of(key))
                for key, reads in self._query_reads.items() if key in self._values}

    def answered_again(self) -> list[Key]:
        """The queries this build ran (rather than answering as the last build did)."""
        return [key for key, reads in self._query_reads.items()
                if not isinstance(reads, tuple) and key in self._values]

    def earlier_reads(self, key: Key) -> tuple[tuple[Key, str], ...]:
        """What a query read in the last build, as recorded then (nothing if it was new)."""
        earlier = self._earlier_queries.get(key)
        return earlier[0] if earlier is not None else ()

    def all_units(self, live: int) -> UnitDigests:
        """The unit digests of this build and the earlier ones, for a rebuild that asks only
        what changed; past twice `live` entries, only those of this build's research are kept."""
        merged = self._earlier
        merged.update(self._units)
        if len(merged) > 2 * live + 16 and self.research is not None:
            research = self.research
            alive = {id(u) for u in (research.config, *research.facts, *research.sources,
                                     *research.topics, *research.entities.values())}
            merged = {k: v for k, v in merged.items() if k in alive}
        return merged

    def recorded(self, reads: Reads) -> tuple[tuple[Key, str], ...]:
        """What a page, a data file or a query read, as the next build checks it: each key
        with its digest in this build, sorted."""
        return tuple(sorted((key, self.of(key)) for key in reads))

    def changed(self, reads: Iterable[tuple[Key, str]]) -> bool:
        """Whether any of these reads, recorded in an earlier build, now gets something else."""
        try:
            return any(self.of(key) != old for key, old in reads)
        except Exception:  # a read that cannot be made any more (a query gone): make it again
            return True


class Kept:
    """Values a page's view made from units of the research, kept from one preview build to
    the next by the very objects they were made from (`get` checks them): a fact's view,
    say, made again only when its fact, its sources or its speakers are other objects. A
    build keeps what it used or made; what the last one kept and this one did not use is
    dropped."""

    def __init__(self, earlier: Kept | None = None) -> None:
        self.now: dict[tuple[Any, ...], tuple[tuple[object, ...], Any]] = {}
        self._last = earlier.now if earlier is not None else {}

    def get(self, key: tuple[Any, ...], made_of: tuple[object, ...]) -> Any:
        """What was kept for `key` from these very objects, or None."""
        found = self.now.get(key) or self._last.get(key)
        if found is None or len(found[0]) != len(made_of) or \
                not all(a is b for a, b in zip(found[0], made_of, strict=True)):
            return None
        self.now[key] = found
        return found[1]

    def put(self, key: tuple[Any, ...], made_of: tuple[object, ...], value: Any) -> None:
        """Keep a value made of these objects (kept alive with it, so their ids stay theirs)."""
        self.now[key] = (made_of, value)


class Reader:
    """What a page kind or an export may read; with `reads`, every read is recorded there.

    Lists are in the research's order: topics by their `order`, facts by id, sources by name,
    entities by id. A missing id reads as None, and that is recorded too: the page changes
    when the fact appears.
    """

    def __init__(self, digests: Digests, reads: Reads | None = None) -> None:
        self._digests = digests
        self._reads = reads

    def _get(self, *key: str) -> Any:
        if self._reads is not None:
            self._reads.add(key)
        return self._digests.value(key)

    @property
    def kept(self) -> Kept | None:
        """What views keep between preview builds (None in a one-shot build). A value kept
        there must be a function of the objects it is kept by, read through this reader."""
        return self._digests.kept

    @property
    def catalogue(self) -> Any:
        """The page kinds and exports of the site: code, not data, so not recorded."""
        return self._digests.catalogue

    def config(self) -> SiteConfig:
        """The site's settings."""
        return self._get("config")

    def topics(self) -> tuple[Topic, ...]:
        """Every topic, in the topics' order."""
        return self._get("topics")

    def topic(self, topic_id: str) -> Topic | None:
        """The topic with this id, or None."""
        return self._get("topic", topic_id)

    def facts(self) -> tuple[Fact, ...]:
        """Every fact, by id."""
        return self._get("facts")

    def fact(self, fact_id: str) -> Fact | None:
        """The fact with this id, or None."""
        return self._get("fact", fact_id)

    def sources(self) -> tuple[SourceRecord, ...]:
        """Every source, by name."""
        return self._get("sources")

    def source(self, source_id: str) -> SourceRecord | None:
        """The source with this name, or None."""
        return self._get("source", source_id)

    def entities(self) -> tuple[Entity, ...]:
        """Every entity, by id."""
        return self._get("entities")

    def entity(self, entity_id: str) -> Entity | None:
        """The entity with this id, or None."""
        return self._get("entity", entity_id)

    def findings(self) -> Findings | None:
        """The key findings (content/findings.md), or None when the project has none."""
        return self._get("findings")

    def outlet_description(self, outlet_name_id: str) -> OutletDescription | None:
        """What content/outlets.yaml says of the outlet with this name_id, or None."""
        return self._get("outlet description", outlet_name_id)

    def template(self, name: str) -> None:
        """Record that a template was used (its source is what counts)."""
        if self._reads is not None:
            self._reads.add(("template", name))

    def tally(self, fold: Tally) -> Mapping[Hashable, int]:
        """A tally's sums over every unit (folds.py); the page depends on the sums."""
        value = self._get("fold", fold.name)
        assert isinstance(value, Counter)
        return value

    def grouped(self, fold: Grouping) -> dict[str, tuple[Any, ...]]:
        """A grouping's items by group, groups sorted (folds.py); the page depends on the
        groups."""
        value = self._get("fold", fold.name)
        assert isinstance(value, dict)
        return value

    def query(self, function: Callable[..., T], *args: str | int) -> T:
        """The value of a query, computed once per build; the page depends on the value only."""
        name = _query_name(function)
        if name not in _QUERIES:
            raise KeyError(f"{name} is not declared with @query")
        return self._get("query", name, *args)
