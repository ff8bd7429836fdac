"""The pipeline: load → anchor and verify → facts → render, stopping after a stage with errors.

Writing is left to the caller (cli), so `check` runs the same stages and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .anchor import anchor_project
from .diagnostics import ContentError, Diagnostics
from .facts import build_research
from .load import load_project
from .model import Research
from .render import Page, render_site


@dataclass(frozen=True)
class BuildResult:
    research: Research
    pages: tuple[Page, ...]
    diagnostics: Diagnostics


def run(root: Path, *, base_url: str | None = None, strict: bool = False) -> BuildResult:
    """Run every stage in memory; raise ContentError with all diagnostics on failure."""
    diags = Diagnostics()

    def stop_if_failed() -> None:
        if diags.has_errors() or (strict and diags.warnings):
            raise ContentError(diags)

    project = load_project(root, diags, base_url)
    # Anchoring what did load is independent per source: report its errors in the same run.
    anchored = anchor_project(project, diags)
    stop_if_failed()
    research = build_research(project, anchored, diags)
    stop_if_failed()
    pages = render_site(research, root / "templates", diags)
    stop_if_failed()
    return BuildResult(research, pages, diags)
