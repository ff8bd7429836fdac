"""The pipeline: load → anchor and verify → facts → render, stopping after a stage with errors.

Writing is left to the caller (cli, serve), so `check` runs the same stages and writes nothing.
A BuildSession keeps what the stages may reuse between builds in one process (the preview).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .anchor import anchor_key, anchor_project, anchor_source
from .diagnostics import ContentError, Diagnostics
from .facts import build_research
from .load import load_project, parse_source_file, read_seed, source_key
from .memo import Memo
from .model import Research
from .parallel import MIN_ITEMS, map_items
from .render import Page, RenderCache, render_site


@dataclass(frozen=True)
class BuildResult:
    research: Research
    pages: tuple[Page, ...]
    rendered: tuple[str, ...]  # HTML pages rendered this time; the others were unchanged
    diagnostics: Diagnostics
    page_keys: dict[str, tuple[str, Page]]  # every planned page's key digest and page


@dataclass
class BuildSession:
    """Builds one project again and again, reusing every result whose inputs are unchanged."""

    root: Path
    base_url: str | None = None
    strict: bool = False
    memo: Memo = field(default_factory=Memo)
    render_cache: RenderCache = field(default_factory=RenderCache)

    def build(self) -> BuildResult:
        """Run every stage in memory; raise ContentError with all diagnostics on failure."""
        diags = Diagnostics()
        self.memo.start_build()

        def stop_if_failed() -> None:
            if diags.has_errors() or (self.strict and diags.warnings):
                raise ContentError(diags)

        self._prefetch()
        project = load_project(self.root, diags, self.base_url, self.memo)
        # Anchoring what did load is independent per source: report its errors in the same run.
        anchored = anchor_project(project, diags, self.memo)
        stop_if_failed()
        research = build_research(project, anchored, diags, self.memo)
        stop_if_failed()
        self.memo.finish_build()
        rendered = render_site(research, self.root / "templates", diags, self.render_cache)
        stop_if_failed()
        return BuildResult(research, rendered.pages, rendered.rendered, diags,
                           dict(self.render_cache.pages))

    def _prefetch(self) -> None:
        """Parse and anchor, on every core, the annotations the memo has not seen; the stages
        then find them in the memo. Results and diagnostics are the same as in one process.
        Only a first build pays for it: later ones miss a few files, which load handles."""
        if not self.render_cache.parallel or self.memo.count("source"):
            return
        jobs = []
        for path in sorted((self.root / "content" / "sources").glob("*.yaml")):
            rel = path.relative_to(self.root).as_posix()
            data = path.read_bytes()
            if not self.memo.has("source", source_key(rel, data)):
                jobs.append((path.stem, rel, data))
        if len(jobs) < MIN_ITEMS:
            return
        for (_, rel, data), (doc, doc_diags, anchored) in zip(
                jobs, map_items(lambda job: _parse_and_anchor(self.root, *job), jobs),
                strict=True):
            self.memo.put("source", source_key(rel, data), doc, doc_diags)
            if anchored is not None:
                self.memo.put("anchor", anchored[0], anchored[1], anchored[2])


def _parse_and_anchor(root: Path, stem: str, rel: str, data: bytes) -> tuple:
    """One annotation parsed, and anchored in its seed if both are sound (a worker's job)."""
    diags = Diagnostics()
    doc = parse_source_file(stem, rel, data, diags)
    seed_path = root / "seeds" / f"{stem}.txt"
    # The seed's own problems are reported by the load stage, which reads it again.
    seed = read_seed(seed_path, Diagnostics()) if doc and seed_path.is_file() else None
    if doc is None or seed is None:
        return doc, tuple(diags.items), None
    anchor_diags = Diagnostics()
    anchored = anchor_source(doc, seed, anchor_diags)
    return doc, tuple(diags.items), (anchor_key(doc, seed), anchored, tuple(anchor_diags.items))


def run(root: Path, *, base_url: str | None = None, strict: bool = False) -> BuildResult:
    """One clean build in memory; raise ContentError with all diagnostics on failure."""
    return BuildSession(root, base_url, strict).build()
