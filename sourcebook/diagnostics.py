"""Diagnostics: located, human-readable problems, collected rather than raised one by one."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from enum import StrEnum

from .selectors.position import line_col


class Severity(StrEnum):
    """How serious a diagnostic is: an error fails the build, a warning only a strict one."""

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


# Text from the content (a value, a file name) is printed with control, bidirectional and
# line-breaking characters written as escapes: none can move the cursor, recolour or rewrite
# the terminal, reorder what is shown, or start a line that looks like another diagnostic.
_INVISIBLE = [*range(0x20), *range(0x7F, 0xA0), 0x061C, 0x200E, 0x200F, 0x2028, 0x2029,
              *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_VISIBLE = {code: f"\\u{code:04x}" if code > 0xFF else f"\\x{code:02x}" for code in _INVISIBLE}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem: where it is, what is wrong, and hints on how to fix it."""

    location: Location
    message: str
    severity: Severity = Severity.ERROR
    hints: tuple[str, ...] = ()

    def format(self) -> str:
        """The diagnostic as the command line prints it: `path:line:col: severity: message`, then
        one line per hint."""
        lines = [f"{self.location}: {self.severity.value}: {self.message}"]
        lines.extend(f"  hint: {hint}" for hint in self.hints)
        return "\n".join(line.translate(_VISIBLE) for line in lines)

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
        """Record an error at a location, with hints."""
        self.items.append(Diagnostic(location, message, Severity.ERROR, tuple(hints)))

    def warning(self, location: Location, message: str, *hints: str) -> None:
        """Record a warning at a location, with hints."""
        self.items.append(Diagnostic(location, message, Severity.WARNING, tuple(hints)))

    def extend(self, other: Diagnostics) -> None:
        """Add every diagnostic another collector holds."""
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Diagnostic]:
        """The errors, in the order they were recorded."""
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        """The warnings, in the order they were recorded."""
        return [d for d in self.items if d.severity is Severity.WARNING]

    def has_errors(self) -> bool:
        """Whether any error was recorded."""
        return any(d.severity is Severity.ERROR for d in self.items)

    def sorted(self) -> list[Diagnostic]:
        """Every diagnostic, by location, then message."""
        return sorted(self.items, key=lambda d: (d.location, d.message))

    def summary(self) -> str:
        """'N errors, M warnings', as a command's last line gives them."""
        errors, warnings = len(self.errors), len(self.warnings)
        return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"

    def report(self) -> None:
        """Print every diagnostic, sorted, on stderr (as every command does)."""
        for diagnostic in self.sorted():
            print(diagnostic.format(), file=sys.stderr)


class ContentError(Exception):
    """Raised by the pipeline when a stage finished with errors; carries all of them."""

    def __init__(self, diagnostics: Diagnostics) -> None:
        super().__init__(f"{len(diagnostics.errors)} content error(s)")
        self.diagnostics = diagnostics


class OutputRefused(Exception):
    """The output folder is not the build's to replace: the message says why (engine.output)."""

    hint = ("the build replaces its output folder whole; choose a new or empty folder, or one "
            "this project built")
