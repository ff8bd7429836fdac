"""The engine: one pipeline, load → anchor and verify → facts → render, stopping after a stage
with errors, and the fact files written when asked. `build`, `check` and `serve` all run it.

An Engine builds one project again and again and keeps what the next build may reuse: the
memo (parsed files, anchored quotes, fact files, keyed by their exact inputs) and each file's
record (what making it read). Where the files go is the sink's business (engine.output), so
`check` runs the very same stages and writes nothing.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from ..anchoring.anchor import anchor_key, anchor_project, anchor_source
from ..content.config import load_config
from ..content.layout import SOURCES_DIR, TEMPLATES_DIR, seed_path
from ..content.model import Limits
from ..content.project import LoadCache, load_project
from ..content.sources import parse_source_file, read_seed, source_key
from ..diagnostics import ContentError, Diagnostics
from ..files import listed, read
from ..memo import Memo
from ..research.facts import build_research
from ..research.model import Research
from ..site.catalogue import CATALOGUE
from ..site.folds import FoldState
from ..site.invalidation import ReadIndex, Since
from ..site.reader import Kept, QueryAnswers, Record, UnitDigests
from ..site.render import PlanCache, Rendered, Sink, render_site
from ..site.templates import Environment, make_environment
from .factfiles import FactTexts, FolderMark, keep_fact_files
from .output import SiteFiles
from .parallel import MIN_ITEMS, map_items
from .settings import Settings


@dataclass(frozen=True)
class Built:
    """What a successful build made: the research, the rendered site and the build's warnings."""

    research: Research
    rendered: Rendered
    diagnostics: Diagnostics  # the warnings of a build that succeeded


@dataclass
class Engine:
    """Builds one project again and again, reusing every result whose inputs are unchanged."""

    root: Path
    settings: Settings = field(default_factory=Settings)
    memo: Memo = field(default_factory=Memo)
    loaded: LoadCache = field(default_factory=LoadCache)  # the last load's files, each kept
    records: dict[str, Record] = field(default_factory=dict)  # of the last good build
    fact_files: SiteFiles = field(default_factory=dict)  # (hash, stat) of each fact file
    fact_texts: FactTexts = field(default_factory=dict)  # the texts this engine wrote or checked
    fact_mark: FolderMark | None = None  # content/facts/ as this engine's last write left it
    units: UnitDigests = field(default_factory=dict)  # digests of unchanged research units
    queries: QueryAnswers = field(default_factory=dict)  # the last build's answers to queries
    parallel: bool = True  # use every core (only in a single-threaded process)
    bytecode_dir: Path | None = None  # compiled templates kept between processes
    defer_exports: bool = False  # leave the data files to be made when asked for (preview)
    research: Research | None = None  # of the last good build in this process
    index_ahead: bool = False  # make the read index with the first build, not the second
    index: ReadIndex | None = None  # who read what in it (made when a second build needs it)
    folds: FoldState = field(default_factory=dict)  # its folds over every fact
    plan: PlanCache = field(default_factory=dict)  # its files, kind by kind
    kept: Kept | None = None  # what its views kept
    one_shot: bool = False  # no later build reuses this engine's answers (build, check)
    _env: Environment | None = None

    def build(self, sink: Sink, changed: Collection[str] | None = None) -> Built:
        """Run every stage; the files go to `sink`. Raise ContentError with every diagnostic
        if a stage fails; then nothing the engine keeps has changed but the memo and what
        the load read. `changed`: the input paths that may have changed since the last
        build's load began (a watcher's, whose snapshot was taken before it), so that the
        load looks at no other seed or annotation; None: every file is proved unchanged."""
        diags = Diagnostics()
        self.memo.start_build()

        def stop_if_failed() -> None:
            if diags.has_errors() or (self.settings.strict and diags.warnings):
                raise ContentError(diags)

        self._prefetch()
        project = load_project(self.root, diags, self.settings.base_url, self.memo,
                               self.loaded, changed)
        # Anchoring what did load is independent per source: report its errors in the same run.
        anchored = anchor_project(project, diags, self.memo)
        stop_if_failed()
        research = build_research(project, anchored, diags, self.memo, self.research)
        del project, anchored  # what the research does not hold is free before rendering
        stop_if_failed()
        self.memo.finish_build()
        if self.one_shot:  # no later build looks anything up: free what only they would use
            self.memo, self.loaded = Memo(), LoadCache()
        templates = self.root / TEMPLATES_DIR
        # A build that fails half-way leaves the index half-updated: it is made again.
        index, self.index = self.index, None
        since = None if self.research is None else \
            Since(self.research, index or ReadIndex.of(self.records, self.queries), self.folds,
                  self.plan, self.kept)
        rendered = render_site(research, self._environment(templates), CATALOGUE,
                               self.root, diags, self.records, sink,
                               map_items if self.parallel else None, self.units,
                               self.defer_exports, self.queries, since, self.one_shot)
        stop_if_failed()
        self.records, self.units = rendered.records, rendered.units
        self.queries, self.research, self.index = rendered.queries, research, rendered.index
        self.folds, self.plan, self.kept = rendered.folds, rendered.plan, rendered.kept
        if self.index is None and self.index_ahead:  # the first edit then waits for none
            self.index = ReadIndex.of(self.records, self.queries)
        return Built(research, rendered, diags)

    def write_fact_files(self, built: Built) -> int:
        """Bring content/facts/ up to date with a build; return how many files changed. After
        this engine's own last write, only the files of the facts that changed since are
        looked at, while nothing else changed the folder (see engine.factfiles)."""
        mark, self.fact_mark = self.fact_mark, None  # none while a write is under way
        written, self.fact_files, self.fact_texts, self.fact_mark = keep_fact_files(
            self.root, built.research, self.fact_files, self.fact_texts, mark)
        return written

    def _environment(self, templates: Path) -> Environment:
        if self._env is None:
            self._env = make_environment(templates, self.bytecode_dir)
        return self._env

    def _prefetch(self) -> None:
        """Parse and anchor, on every core, the annotations the memo has not seen; the stages
        then find them in the memo. Results and diagnostics are the same as in one process.
        Only a first build pays for it: later ones miss a few files, which load handles."""
        if not self.parallel or self.memo.count("source") or self.loaded.sources.entries:
            return
        # Problems found here are the load stage's to report, when it reads the files again.
        quiet = Diagnostics()
        limits = load_config(self.root, quiet, self.settings.base_url).limits
        jobs = []
        for rel in listed(self.root, SOURCES_DIR, ".yaml", quiet):
            data = read(self.root, rel, quiet, limits.file_bytes)
            if data is not None and not self.memo.has("source", source_key(rel, data, limits)):
                jobs.append((Path(rel).stem, rel, data))
        if len(jobs) < MIN_ITEMS:
            return
        for (_, rel, data), (doc, doc_diags, anchored) in zip(
                jobs, map_items(lambda job: _parse_and_anchor(self.root, limits, *job), jobs),
                strict=True):
            self.memo.put("source", source_key(rel, data, limits), doc, doc_diags)
            if anchored is not None:
                self.memo.put("anchor", anchored[0], anchored[1], anchored[2])


def _parse_and_anchor(root: Path, limits: Limits, stem: str, rel: str, data: bytes) -> tuple:
    """One annotation parsed, and anchored in its seed if both are sound (a worker's job)."""
    diags = Diagnostics()
    doc = parse_source_file(stem, rel, data, diags, limits)
    # The seed's own problems are reported by the load stage, which reads it again.
    seed = read_seed(root, seed_path(stem), Diagnostics(), limits) if doc else None
    if doc is None or seed is None:
        return doc, tuple(diags.items), None
    anchor_diags = Diagnostics()
    anchored = anchor_source(doc, seed, anchor_diags)
    return doc, tuple(diags.items), (anchor_key(doc, seed), anchored, tuple(anchor_diags.items))


@dataclass(frozen=True)
class MemoryBuild:
    """A clean build, with every file of the site in memory."""

    built: Built
    pages: dict[str, bytes]  # every file of the site, by path

    @property
    def research(self) -> Research:
        """The research the site was rendered from."""
        return self.built.research


def build_in_memory(root: Path, settings: Settings | None = None) -> MemoryBuild:
    """One clean build with every file in memory (for tools and tests). Raise ContentError
    with every diagnostic on failure."""
    from .output import InMemory

    sink = InMemory()
    built = Engine(root, settings or Settings(), parallel=False).build(sink)
    return MemoryBuild(built, sink.pages(built.rendered.files))
