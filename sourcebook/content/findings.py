"""Key findings: content/findings.md (optional), what the research found, in a few sentences
that cite facts with `[@fact-id]` as topic introductions do. The home page shows them first,
each citation linked to its fact and with the evidence behind it.

The file may start with front matter (`title:`, by default "Key findings"); the rest is
Markdown, usually a short list.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..diagnostics import Diagnostics, Location
from ..files import read
from .layout import FINDINGS_FILE
from .model import Findings, Limits
from .schema import FINDINGS
from .textio import decode_text
from .topics import front_matter_values, located_citations, split_front_matter
from .yamldoc import DEFAULT_LIMITS

DEFAULT_TITLE = "Key findings"


def load_findings(root: Path, diags: Diagnostics, allow_raw_html: bool = False,
                  limits: Limits = DEFAULT_LIMITS) -> Findings | None:
    """content/findings.md, or None when the project has none (or it cannot be read)."""
    if not os.path.lexists(root / FINDINGS_FILE):
        return None
    data = read(root, FINDINGS_FILE, diags, limits.file_bytes, "findings")
    text = decode_text(data, FINDINGS_FILE, diags) if data is not None else None
    return read_findings(text, diags, allow_raw_html, limits) if text is not None else None


def read_findings(text: str, diags: Diagnostics, allow_raw_html: bool = False,
                  limits: Limits = DEFAULT_LIMITS) -> Findings | None:
    """The findings file's text as Findings, or None with its problems reported."""
    title, body, body_line = DEFAULT_TITLE, text, 1
    if text.startswith("---"):
        parts = split_front_matter(text)
        if isinstance(parts, str):
            diags.error(Location(FINDINGS_FILE), parts,
                        "close the front matter with a '---' line, or leave it out")
            return None
        front, body, body_line = parts
        values = front_matter_values(front, FINDINGS_FILE, FINDINGS, diags, limits)
        if values is None:
            return None
        title = values["title"] or DEFAULT_TITLE
    return Findings(FINDINGS_FILE, title, body,
                    located_citations(body, FINDINGS_FILE, body_line, allow_raw_html))
