"""What a build is asked for beside the project's files (a light module: the command line and
the no-op check import it without the pipeline)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    """What a build is asked for beside the project's files."""

    base_url: str | None = None  # --base-url: overrides site.yaml's
    strict: bool = False  # warnings fail the build
