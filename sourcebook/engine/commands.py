"""The commands' work, on the one engine: `build` (to a site folder, with the saved build state),
`check` (the same stages, nothing written, and the fact files compared), and the preview's
rebuilds (in memory). The command line only reads arguments and prints what these return."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..content.layout import FACTS_DIR
from ..diagnostics import ContentError, Diagnostics, Location
from .lock import build_lock
from .settings import Settings
from .state import (
    BuildState,
    input_stats,
    load_outputs,
    load_quick,
    load_state,
    save_outputs,
    save_state,
    user_cache_dir,
)

if TYPE_CHECKING:
    from ..authoring.coverage import CoverageReport
    from ..site.reader import Record
    from ..site.render import Later
    from .pipeline import Built, Engine

# The pipeline, its sinks and the fact files are imported where they are used: a build that
# finds nothing changed must stay light.


def _warn(message: str) -> None:
    """A problem with the build's own files (not the content): said, and the build goes on."""
    print(f"warning: {message}", file=sys.stderr)


@dataclass(frozen=True)
class BuildReport:
    """What `build` did: the build (None when nothing had changed) and what it wrote."""

    site: Path
    built: Built | None  # None when nothing changed since the last build
    pages_made: int = 0  # HTML pages rendered (the other files made are data files)
    files_written: int = 0
    files: int = 0
    fact_files_written: int = 0
    seconds: float = 0.0


def build_site(root: Path, settings: Settings, site: Path) -> BuildReport:
    """Build the project into `site` (replaced whole, atomically) and update content/facts/.
    Raise ContentError, leaving both as they were, if the content has errors, and
    OutputRefused if `site` is not the build's to replace."""
    with build_lock(root, site, wait=_warn):
        return _build_site(root, settings, site)


def _run(settings: Settings, site: Path) -> tuple:
    """What, beside the inputs, a build's output depends on (saved with its state)."""
    return (settings.base_url, settings.strict, os.environ.get("SOURCE_DATE_EPOCH"), str(site))


def current_site(root: Path, site: Path) -> dict[str, tuple[str, tuple[int, int]]] | None:
    """The files of `site` (path → hash and stat, as written), if the last build with the
    default settings made it from the inputs as they are now; else None. The preview serves
    them while it makes its own first build."""
    state = load_quick(root)
    return state.site_files() if state.up_to_date(root, _run(Settings(), site), site) else None


def _build_site(root: Path, settings: Settings, site: Path) -> BuildReport:
    started = time.perf_counter()
    run = _run(settings, site)
    if load_quick(root, warn=_warn).up_to_date(root, run, site):
        return BuildReport(site, None)  # an untouched site of this project's: nothing is lost
    from .output import SiteFolder, check_output
    from .pipeline import Engine

    outputs = load_outputs(root)
    check_output(root, site, outputs)  # under the lock: another build may just have made it
    state = load_state(root, warn=_warn)
    inputs = input_stats(root)  # before reading: a change during the build is seen next time
    cache = user_cache_dir()
    engine = Engine(root, settings, records=state.records, fact_files=state.fact_files,
                    bytecode_dir=cache / "jinja" if cache else None, one_shot=True)
    sink = SiteFolder(site, state.site_files)
    try:
        built = engine.build(sink)
        if settings.strict:  # warnings fail a strict build: the coverage's too, as in check
            from ..diagnostics import ContentError

            diags = Diagnostics(list(built.diagnostics.items))
            uncovered_mentions(built, diags)
            if diags.warnings:
                raise ContentError(diags)
        facts_written = engine.write_fact_files(built)
        written = sink.commit(built.rendered.files)
    finally:
        sink.abandon()  # gone already once swapped in
    save_outputs(root, {**outputs, str(site.resolve()): written.site_id})
    save_state(root, BuildState(state.version, run, inputs, engine.records, written.files,
                                written.site_id, engine.fact_files))
    pages = sum(1 for path in built.rendered.made if path.endswith(".html"))
    return BuildReport(site, built, pages, written.written,
                       len(written.files), facts_written, time.perf_counter() - started)


@dataclass(frozen=True)
class CheckReport:
    """What `check` found: every problem, and the coverage of topic mentions."""

    built: Built | None  # None when the content has errors
    diagnostics: Diagnostics  # every error and warning, fact files and coverage included
    coverage: CoverageReport | None = None
    # Fact files the next build writes, updates and removes (not problems unless strict).
    pending: tuple[int, int, int] = (0, 0, 0)


def check_project(root: Path, settings: Settings) -> CheckReport:
    """Everything `build` verifies, plus: does every topic mention in a seed have a claim or an
    exclusion, and are the committed fact files current? Writes nothing. Fact files that the
    next build will write are not a problem of the content: they are counted, and only
    `--strict` (CI's guard: what is committed must be current) makes them errors."""
    from ..diagnostics import ContentError
    from .factfiles import stale_fact_files
    from .output import Nowhere
    from .pipeline import Engine

    state = load_state(root, warn=_warn)  # read only: check writes nothing, not even the cache
    engine = Engine(root, Settings(settings.base_url), records=state.records, one_shot=True)
    try:
        built = engine.build(Nowhere())
    except ContentError as exc:
        return CheckReport(None, exc.diagnostics)
    diags = Diagnostics(list(built.diagnostics.items))
    changed, extra = stale_fact_files(root, built.research.fact_files, state.fact_files)
    missing = [path for path in changed if not (root / path).is_file()]
    outdated = [path for path in changed if path not in missing]
    if settings.strict:
        _stale(diags, [
            (missing, "no fact file yet for this new fact: `python build.py` writes it"),
            (outdated, "the fact file is out of date"),
            (extra, "the fact file belongs to no fact any more")])
    coverage = uncovered_mentions(built, diags)
    return CheckReport(built, diags, coverage, (len(missing), len(outdated), len(extra)))


def uncovered_mentions(built: Built, diags: Diagnostics) -> CoverageReport:
    """The coverage of topic mentions; each uncovered one is a warning in `diags`. `check`
    always reports it, `build --strict` too, so that both fail on the same content."""
    from ..authoring.coverage import coverage_report, report_uncovered

    coverage = coverage_report(built.research)
    report_uncovered(coverage, built.research, diags)
    return coverage


def _stale(diags: Diagnostics, groups: list[tuple[list[str], str]], shown: int = 5) -> None:
    """Stale fact files as errors, per kind the first few by name and then a count; the first
    error carries the one hint that fixes them all."""
    hints = ["run `python build.py`, which updates content/facts/, and commit it"]
    for paths, message in groups:
        located = [(Location(path), message) for path in paths[:shown]]
        if len(paths) > shown:
            located.append((Location(f"{FACTS_DIR}/"), f"{len(paths) - shown} more: {message}"))
        for location, text in located:
            diags.error(location, text, *hints)
            hints = []


@dataclass(frozen=True)
class PreviewBuild:
    """One good build of the preview: every file of the site in memory."""

    built: Built
    pages: dict[str, bytes]  # every file of the site
    fact_files_written: int


class PreviewBuilder:
    """The preview's builds: in memory, reusing everything the last good build made; the
    fact files are kept current as `build` keeps them.

    With `lazy_exports` (as `serve` runs it), a rebuild makes only the pages: each data file
    (facts.json, the search index, the feed …) is made when first asked for, from the last
    good build, and kept while what it reads is unchanged."""

    def __init__(self, root: Path, settings: Settings | None = None,
                 lazy_exports: bool = False) -> None:
        from .pipeline import Engine

        # No forking beside the server's threads; compiled templates stay in memory.
        self.engine: Engine = Engine(root, settings or Settings(), parallel=False,
                                     defer_exports=lazy_exports, index_ahead=True)
        self.pages: dict[str, bytes] = {}
        self._hashes: dict[str, str] = {}
        self._later: Later | None = None
        # Each data file made so far: its record, its bytes, and the build it was made or
        # found current for (an earlier build's is checked again before it is served).
        self._exports: dict[str, tuple[Record, bytes, Later]] = {}
        self._pruned_for: Later | None = None  # the build whose gone files were forgotten
        self._lock = threading.Lock()  # a rebuild and a data file asked for, one at a time
        self._changed: set[str] | None = set()  # handed to a rebuild, not yet to a load
        self._retired: list[Later] = []  # earlier builds' data files, freed by release()

    def rebuild(self, changed: Collection[str] | None = None) -> PreviewBuild:
        """Build; raise ContentError and keep the last good pages if the content has errors.
        `changed`: the input paths that may have changed since the last rebuild began, as a
        watcher whose snapshot was taken before it tells them (no other seed or annotation
        is looked at); None: every file is proved unchanged by its identity."""
        from .output import InMemory

        with self._lock:
            # What a rebuild that failed before its load was handed is the next one's too.
            self._changed = None if changed is None or self._changed is None \
                else self._changed | set(changed)
            sink = InMemory(self.pages, self._hashes)
            with build_lock(self.engine.root, None, wait=_warn):  # it writes content/facts/
                changed, self._changed = self._changed, set()
                try:
                    built = self.engine.build(sink, changed)
                except ContentError:  # raised once the load is done: it saw the changes
                    raise
                except BaseException:  # the load may not have seen them: look at every file
                    self.engine.loaded.forget()
                    raise
                written = self.engine.write_fact_files(built)
            self.pages = sink.pages(built.rendered.files)
            self._hashes = {f.path: f.sha256 for f in built.rendered.files}
            if self._later is not None:
                self._retired.append(self._later)
            self._later = built.rendered.later
            return PreviewBuild(built, self.pages, written)

    def release(self) -> None:
        """Free what earlier builds left behind (their research and query answers, held by
        their data files): freeing it takes a third of a second at 1,000 sources, so the
        preview does it once idle, not between a save and its pages."""
        with self._lock:
            retired, self._retired = self._retired, []
        retired.clear()  # the last references: freed here, outside the lock

    def later(self, path: str) -> bytes | None:
        """A data file the last good build left to be made (made now, or kept from an earlier
        build if what it reads is unchanged); None if that build has no such file. Raise
        ValueError if its template fails."""
        with self._lock:
            later = self._later
            if later is None or path not in later.paths:
                return None
            if self._pruned_for is not later:  # the first file asked of this build
                self._exports = {p: e for p, e in self._exports.items() if p in later.paths}
                self._pruned_for = later
            found = self._exports.get(path)
            if found is not None and found[2] is later:
                return found[1]
            record, data = later.make(path, found[:2] if found else None)
            self._exports[path] = (record, data, later)
            return data
