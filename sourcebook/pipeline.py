"""The pipeline: load → anchor and verify → facts → render, stopping after a stage with errors.

Writing is left to the caller (cli, serve), so `check` runs the same stages and writes nothing.
A BuildSession keeps what the stages may reuse between builds in one process (the preview).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .anchor import anchor_project
from .diagnostics import ContentError, Diagnostics
from .facts import build_research
from .load import load_project
from .memo import Memo
from .model import Research
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


def run(root: Path, *, base_url: str | None = None, strict: bool = False) -> BuildResult:
    """One clean build in memory; raise ContentError with all diagnostics on failure."""
    return BuildSession(root, base_url, strict).build()
