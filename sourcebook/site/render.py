"""The render stage: the research → every file of the site, re-making only what changed.

Each page kind and export of the catalogue declares its files (artifacts). The record of the
last build says, for each one, what it read and the hash of what it wrote. If every read still
gets the same (reader.Digests.changed) and the sink still holds that file, it is kept as it
is; otherwise it is made again, and its reads are recorded afresh. No person lists what a page
depends on: incremental builds equal clean ones by construction.

Every page made is scanned for citation syntax that reached it unresolved; that fails the
build. Writing the files is the sink's job (engine.output), so `check` renders the same way
and writes nothing.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import jinja2

from .. import routes
from ..content.dialect import CITATION
from ..content.layout import TEMPLATES_DIR
from ..diagnostics import Diagnostics, Location, text_location
from ..files import LINK_HINT, folder_ok, link_error, read
from ..research.model import Research
from ..routes import Linker, Url
from ..theme import THEME_DIR, THEME_STATIC
from .folds import SOURCES, FoldState, changes_between
from .invalidation import ReadBy, ReadIndex, Since, changed_keys
from .kinds import Catalogue, Export, Here, InputChanged, PageKind
from .reader import Digests, Kept, Key, QueryAnswers, Reader, Reads, Record, UnitDigests
from .templates import (
    TEMPLATE_SUFFIXES,
    Environment,
    LinkedTemplate,
    render,
    template_source,
)
from .views import topic_links

MapItems = Callable[[Callable[[Any], Any], list[Any]], list[Any]]  # how to run work in parallel

STATIC_DIR = f"{TEMPLATES_DIR}/static"
STATIC_BYTES = 100 * 2**20  # GitHub Pages refuses larger files


@dataclass(frozen=True, slots=True)
class SiteFile:
    """A file of the new site: `content` is None when the sink keeps it (staged on disk, or
    unchanged since the last build)."""

    path: str
    sha256: str
    content: bytes | None = None


class Sink(Protocol):
    """Where the files go (engine.output has one for a site folder, memory, and nowhere)."""

    def store(self, path: str, chunks: Iterable[bytes]) -> tuple[str, bytes | None]:
        """Take a new file; return its hash, and its bytes if they are to be kept in memory.
        Called in worker processes too."""

    def keeps(self, path: str, sha256: str) -> bool:
        """Whether the last build's file, with this hash, is still there to be kept."""


@dataclass(frozen=True, slots=True)
class Artifact:
    """One file the catalogue declares: a page, or a data file."""

    kind: PageKind | Export
    key: str
    url: Url
    path: str  # the file in the built site (url.file, taken once)

    @classmethod
    def of(cls, kind: PageKind | Export, key: str) -> Artifact:
        """The file of `kind` with this key, at its route."""
        url = kind.route(key)
        return cls(kind, key, url, url.file)


# The last build's plan, kind by kind: its keys and its artifacts (kept while the keys are).
PlanCache = dict[PageKind | Export, tuple[tuple[str, ...], list[Artifact]]]


@dataclass(frozen=True)
class Rendered:
    """What the render stage made: every file of the site, and the records the next build needs."""

    files: tuple[SiteFile, ...]  # every file of the site, by path
    records: dict[str, Record]  # every artifact's record, for the next build
    made: tuple[str, ...]  # the artifacts made this time (the others were kept)
    units: UnitDigests  # the digests of research units, for the next build
    queries: QueryAnswers = dataclasses.field(default_factory=dict)  # for the next build
    later: Later | None = None  # the exports left to be made when asked for (the preview's)
    index: ReadIndex | None = None  # who read what, for the next build (the preview's)
    folds: FoldState = dataclasses.field(default_factory=dict)  # for the next build
    plan: PlanCache = dataclasses.field(default_factory=dict)  # for the next build
    kept: Kept | None = None  # what the views kept, for the next build (the preview's)


@dataclass(frozen=True)
class _Made:
    path: str
    sha256: str
    content: bytes | None
    reads: Reads | tuple[tuple[Key, str], ...]  # recorded (with digests) where it was made
    problems: tuple[tuple[Location, str, str], ...] = ()  # (where, message, hint)


def plan(read: Reader, catalogue: Catalogue, pages: bool = True, exports: bool = True,
         earlier: PlanCache | None = None, kept: PlanCache | None = None) -> list[Artifact]:
    """Every artifact of the site for this research, kinds first, then exports (the pages or
    the exports only, if the other is turned off). A kind whose keys are those of `earlier`
    (the last build's plan) keeps its artifacts; `kept` receives this plan."""
    kinds = (*(catalogue.kinds if pages else ()), *(catalogue.exports if exports else ()))
    artifacts: list[Artifact] = []
    for kind in kinds:
        keys = tuple(kind.keys(read))
        found = earlier.get(kind) if earlier is not None else None
        made = found[1] if found is not None and found[0] == keys else \
            [Artifact.of(kind, key) for key in keys]
        if kept is not None:
            kept[kind] = (keys, made)
        artifacts.extend(made)
    counted = Counter(a.path for a in artifacts)
    if len(counted) < len(artifacts):  # a bug in the catalogue, not in the content
        shared = sorted(path for path, n in counted.items() if n > 1)
        raise ValueError(f"the catalogue routes several files to {', '.join(shared)}")
    return artifacts


def render_site(research: Research, env: jinja2.Environment, catalogue: Catalogue,
                root: Path, diags: Diagnostics, previous: dict[str, Record], sink: Sink,
                map_items: MapItems | None = None, units: UnitDigests | None = None,
                defer_exports: bool = False, queries: QueryAnswers | None = None,
                since: Since | None = None, one_shot: bool = False) -> Rendered:
    """Make every stale file of the site, keep the others; problems go to `diags`. `units`
    are the digests of research units an earlier build took (objects that did not change),
    `queries` its answers to queries (reused where what they read is unchanged). With
    `since` (the last good build's research and read index, which it updates), only the
    readers of what changed are checked.
    With `defer_exports` (the preview), the data files are neither checked nor made: they
    are left in `Rendered.later`, to be made from this build's research when asked for.
    With `one_shot` (no later build reuses this one's answers: `build`, `check`), each file's
    reads are recorded with their digests where it is made, in a worker process if need be,
    so that the parent never computes what only the pages read, and neither answers to
    queries nor digests of units are returned: the records alone are kept."""
    if isinstance(env, Environment):
        env.refresh()
        env.fragments.start_build(keep=since is not None)
    starts = list(changed_keys(since.research, research)) if since else []
    changes = changes_between(
        since.folds, since.research.source_index, research.source_index,
        [key[1] for key in starts if key[0] == "source"], SOURCES,
        changes_between(since.folds, since.research.fact_index, research.fact_index,
                        [key[1] for key in starts if key[0] == "fact"])) if since else None
    digests = Digests(research, template_source(env), catalogue, units, queries, changes)
    digests.kept = Kept(since.kept) if since else None
    digests.keep_answers = not (one_shot and since is None)
    planned: PlanCache = {}
    artifacts = plan(Reader(digests), catalogue, exports=not defer_exports,
                     earlier=since.plan if since else None, kept=planned)
    static_files = _static_paths(root, diags)
    taken = {a.path for a in artifacts} & set(static_files)
    for path in sorted(taken):
        diags.error(Location(f"templates/static/{static_files[path]}"),
                    f"this static file would replace {path}, which the build makes",
                    "rename or remove the file in templates/static/")
    if taken:
        return Rendered((), {}, (), {})
    if since is None:
        stale = [a for a in artifacts if _stale(a, previous.get(a.path), digests, sink)]
    else:
        dirty = since.index.stale(starts, digests)
        stale = [a for a in artifacts if a.path in dirty or _lost(previous.get(a.path), a, sink)]
    try:
        for name in sorted({a.kind.template for a in stale if isinstance(a.kind, PageKind)}):
            env.get_template(name)  # compile here, once, before any worker starts
    except LinkedTemplate as exc:
        diags.error(Location(f"{TEMPLATES_DIR}/{exc.name}"), str(exc.message), LINK_HINT)
        return Rendered((), {}, (), {})
    except jinja2.TemplateSyntaxError as exc:
        diags.error(Location(template_file(exc.filename, exc.name), exc.lineno or 1, 1),
                    f"template error: {exc.message}",
                    "see Jinja's template syntax, and README.md, 'Templates'")
        return Rendered((), {}, (), {})
    maker = _Maker(env, digests, sink, one_shot and since is None)
    results = (map_items or _serial)(maker.make, stale)
    failures = [r for r in results if not isinstance(r, _Made)]
    if failures:
        location, message, hint = failures[0]
        diags.error(location, message, hint)
        return Rendered((), {}, (), {})
    made = {r.path: r for r in results}
    for result in made.values():
        for location, message, hint in result.problems:
            diags.error(location, message, hint)
    files, records = [], {}
    pairs: dict[tuple[Key, str], tuple[Key, str]] = {}  # each read once, shared by its records
    for artifact in artifacts:
        if artifact.path in made:
            result = made[artifact.path]
            reads = result.reads if isinstance(result.reads, tuple) else \
                digests.recorded(result.reads)
            records[artifact.path] = Record(tuple([pairs.setdefault(r, r) for r in reads]),
                                            result.sha256)
            files.append(SiteFile(artifact.path, result.sha256, result.content))
        else:
            record = previous[artifact.path]
            records[artifact.path] = record
            files.append(SiteFile(artifact.path, record.sha256))
    files.extend(_static_files(root, static_files, diags, sink))
    later = Later(maker, catalogue, set(static_files)) if defer_exports else None
    ordered = tuple(sorted(files, key=lambda f: f.path))
    if since is None and one_shot:
        return Rendered(ordered, records, tuple(sorted(made)), {}, {}, later, plan=planned)
    if since is None:
        return Rendered(ordered, records, tuple(sorted(made)), digests.units(),
                        digests.queries(), later, folds=digests.folds, plan=planned)
    answers = {**(queries or {}), **digests.queries()}
    changes: list[tuple[ReadBy, Iterable[tuple[Key, str]], Iterable[tuple[Key, str]]]] = [
        (path, previous[path].reads if path in previous else (), records[path].reads)
        for path in made]
    changes.extend((path, record.reads, ()) for path, record in previous.items()
                   if path not in records)
    changes.extend((key, digests.earlier_reads(key), answers[key][0])
                   for key in digests.answered_again())
    since.index.update(changes, answers)
    live = len(research.facts) + len(research.sources) + len(research.topics)
    return Rendered(ordered, records, tuple(sorted(made)),
                    digests.all_units(live + len(research.entities)), answers, later,
                    since.index, digests.folds, planned, digests.kept)


class Later:
    """The data files a preview build left to be made when first asked for: a save then
    costs only the pages it changes, not every whole-project export. Each is made from the
    research of the build that left it, so it matches the pages served with it."""

    def __init__(self, maker: _Maker, catalogue: Catalogue, static: set[str]) -> None:
        self._maker = maker
        self._catalogue = catalogue
        self._static = static

    @functools.cached_property
    def _planned(self) -> dict[str, Artifact]:
        """The data files, planned when first asked for (their keys may read the whole
        research). A static file of the same name is served instead, as `build` reports."""
        return {a.path: a for a in plan(Reader(self._maker.digests), self._catalogue,
                                        pages=False) if a.path not in self._static}

    @functools.cached_property
    def paths(self) -> frozenset[str]:
        """The files left to be made."""
        return frozenset(self._planned)

    def make(self, path: str, kept: tuple[Record, bytes] | None) -> tuple[Record, bytes]:
        """The file, and the record of what it read: `kept` (an earlier build's) if none of
        its reads changed, else made again. Raise ValueError on a template error (or an input
        that changed since it was loaded)."""
        digests = self._maker.digests
        if kept is not None and not digests.changed(kept[0].reads):
            return kept
        result = self._maker.make(self._planned[path])
        if not isinstance(result, _Made):
            location, message, _hint = result
            raise ValueError(f"{location}: {message}")
        assert result.content is not None  # the preview's sink keeps every file in memory
        return Record(digests.recorded(result.reads), result.sha256), result.content


def _serial(function: Callable[[Artifact], Any], items: list[Artifact]) -> list[Any]:
    return [function(item) for item in items]


def _stale(artifact: Artifact, record: Record | None, digests: Digests, sink: Sink) -> bool:
    return _lost(record, artifact, sink) or digests.changed(record.reads)  # type: ignore


def _lost(record: Record | None, artifact: Artifact, sink: Sink) -> bool:
    """Whether the last build's file is gone: never made, or no longer in the sink."""
    return record is None or not sink.keeps(artifact.path, record.sha256)


class _Maker:
    """Makes one artifact, recording its reads (run in worker processes too)."""

    def __init__(self, env: jinja2.Environment, digests: Digests, sink: Sink,
                 record: bool = False) -> None:
        self.env = env
        self.digests = digests
        self.sink = sink
        self.record = record  # record the reads with their digests here (see render_site)

    def make(self, artifact: Artifact) -> _Made | tuple[Location, str, str]:
        """Make one artifact and hand it to the sink; a template error, or an input an export
        copies that changed since it was loaded, returns (where, message, hint)."""
        reads: Reads = set()
        read = Reader(self.digests, reads)
        base = read.config().base_path if artifact.url == routes.not_found() else "/"
        here = Here(artifact.key, artifact.url, Linker(artifact.url, base))
        try:
            if isinstance(artifact.kind, PageKind):
                html = self._page(artifact.kind, read, here)
                chunks: Iterable[bytes] = (html.encode("utf-8"),)
                problems = unresolved_citations(artifact.path, html)
            else:
                chunks = _encoded(artifact.kind.write(read, here, self._templates(read, here)))
                problems = ()
            sha, content = self.sink.store(artifact.path, chunks)
        except jinja2.TemplateError as exc:
            return (template_location(exc), f"template error: {exc}",
                    "check the names the template uses; see README.md, 'Templates'")
        except InputChanged as exc:
            return exc.location, exc.message, exc.hint
        return _Made(artifact.path, sha, content,
                     self.digests.recorded(reads) if self.record else reads, problems)

    def _page(self, kind: PageKind, read: Reader, here: Here) -> str:
        config = read.config()
        catalogue: Catalogue = read.catalogue
        context: dict[str, Any] = {
            "site": config, "nav": read.query(topic_links), "explore": catalogue.menu,
            "footer_exports": catalogue.footer(read), "current": "", "jsonld": {},
            "canonical": "" if here.url == routes.not_found() else config.absolute(here.url),
        }
        context.update(kind.view(read, here))
        return render(self.env, kind.template, context, here.link, read)

    def _templates(self, read: Reader, here: Here) -> Any:
        def render_template(name: str, context: dict[str, Any]) -> str:
            return render(self.env, name, {"site": read.config(), **context}, here.link, read)
        return render_template


def _encoded(chunks: Iterable[str | bytes]) -> Iterator[bytes]:
    for chunk in chunks:
        yield chunk.encode("utf-8") if isinstance(chunk, str) else chunk


def _static_paths(root: Path, diags: Diagnostics) -> dict[str, Path | str]:
    """The static files: their path in the site → the project's file (its name in
    templates/static/) or, where the project has none, the default theme's (a Path). Hidden
    files are left out; a link in the project is an error, as for every input."""
    found: dict[str, Path | str] = {}
    for path in sorted(THEME_STATIC.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            found[routes.static(path.relative_to(THEME_STATIC).as_posix()).file] = path
    if not folder_ok(root, STATIC_DIR, diags):
        return dict(sorted(found.items()))
    for folder, dirs, names in os.walk(root / STATIC_DIR):
        here = Path(folder)
        for name in sorted(dirs):
            if (here / name).is_symlink():
                link_error(diags, (here / name).relative_to(root).as_posix() + "/")
        for name in sorted(names):
            path = here / name
            if name.startswith("."):
                continue
            if path.is_symlink():
                link_error(diags, path.relative_to(root).as_posix())
            elif path.is_file():
                rel = path.relative_to(root / STATIC_DIR).as_posix()
                found[routes.static(rel).file] = rel
    return dict(sorted(found.items()))


def _static_files(root: Path, paths: dict[str, Path | str], diags: Diagnostics,
                  sink: Sink) -> list[SiteFile]:
    """The static files, copied as they are."""
    files = []
    for rel, source in paths.items():
        data = source.read_bytes() if isinstance(source, Path) else \
            read(root, f"{STATIC_DIR}/{source}", diags, STATIC_BYTES, "static file")
        if data is not None:
            sha, content = sink.store(rel, (data,))
            files.append(SiteFile(rel, sha, content))
    return files


def template_file(filename: str | None, name: str | None) -> str:
    """How an error names a template's file: templates/<name> for the project's own, the full
    path for one of the default theme (to override it, copy it into templates/)."""
    if filename and Path(filename).is_relative_to(THEME_DIR):
        return Path(filename).as_posix()
    if filename and TEMPLATES_DIR in Path(filename).parts:
        parts = Path(filename).parts
        return "/".join(parts[len(parts) - parts[::-1].index(TEMPLATES_DIR) - 1:])
    return f"{TEMPLATES_DIR}/{name or Path(filename or '').name}"


def template_location(exc: Exception) -> Location:
    """The innermost template frame of a rendering error."""
    tb = exc.__traceback__
    found = Location("templates/")
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return Location(template_file(exc.filename, exc.name), exc.lineno or 1, 1)
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(TEMPLATE_SUFFIXES):
            template = tb.tb_frame.f_globals.get("__jinja_template__")
            lineno = template.get_corresponding_lineno(tb.tb_lineno) if template else tb.tb_lineno
            found = Location(template_file(name, None), lineno, 1)
        tb = tb.tb_next
    return found


# Text a browser shows: everything but tags (with their attributes), comments, and the
# contents of script, style, code and pre, where the syntax may stand as written.
_NOT_TEXT = re.compile(r"<(script|style|code|pre)\b[^>]*>.*?</\1\s*>|<!--.*?-->|<[^>]*>",
                       re.DOTALL | re.IGNORECASE)


def unresolved_citations(path: str, html: str) -> tuple[tuple[Location, str, str], ...]:
    """Each `[@…]` that a built page shows as text: a claim that lost its link."""
    if "[@" not in html:  # nearly every page: text that templates print is neutralised
        return ()
    text = _NOT_TEXT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), html)
    return tuple(
        (text_location(path, text, match.start()),
         f"the built page shows the citation '{match.group()}' as text, without its link",
         "cite facts in a topic's introduction as [@fact-id], with an id from "
         "content/sources/*.yaml; to show the syntax itself, write \\[@…]")
        for match in CITATION.finditer(text))

