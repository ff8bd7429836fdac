"""Diagnostics: located, human-readable problems, collected rather than raised one by one."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from .selectors.position import line_col


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True, slots=True)
class Location:
    """A place in a file: 1-based line and column (columns count code points)."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


def text_location(path: str, text: str, offset: int) -> Location:
    """The line and column of a code-point offset in a file's text."""
    return Location(path, *line_col(text, offset))


@dataclass(frozen=True, slots=True)
class Diagnostic:
    location: Location
    message: str
    severity: Severity = Severity.ERROR
    hints: tuple[str, ...] = ()

    def format(self) -> str:
        lines = [f"{self.location}: {self.severity.value}: {self.message}"]
        lines.extend(f"  hint: {hint}" for hint in self.hints)
        return "\n".join(lines)

    def as_json(self) -> dict:
        """The record `check --format json` prints: stable keys for editors and CI."""
        return {"path": self.location.path, "line": self.location.line,
                "col": self.location.col, "severity": self.severity.value,
                "message": self.message, "hints": list(self.hints)}


@dataclass
class Diagnostics:
    """A collector that every stage appends to; the pipeline stops after a stage with errors."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, location: Location, message: str, *hints: str) -> None:
        self.items.append(Diagnostic(location, message, Severity.ERROR, tuple(hints)))

    def warning(self, location: Location, message: str, *hints: str) -> None:
        self.items.append(Diagnostic(location, message, Severity.WARNING, tuple(hints)))

    def extend(self, other: Diagnostics) -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.items)

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=lambda d: (d.location, d.message))


class ContentError(Exception):
    """Raised by the pipeline when a stage finished with errors; carries all of them."""

    def __init__(self, diagnostics: Diagnostics) -> None:
        super().__init__(f"{len(diagnostics.errors)} content error(s)")
        self.diagnostics = diagnostics
