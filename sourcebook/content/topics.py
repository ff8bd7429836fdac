"""Topics: content/topics/<topic>.md, front matter and a Markdown introduction that cites facts.

A citation is `[@fact-id]` (docs/format.md, "Citing facts"). Which ones are citations is
decided by the Markdown parse itself (content.dialect): inside code, inside raw HTML, and after
a backslash (`\\[@…]`) the syntax is text, both here and when the introduction is rendered.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostics, Location, text_location
from ..files import listed, read
from ..memo import Memo
from .dialect import CITATION, cited_ids
from .fields import Fields
from .ids import ID_RULE, is_id
from .layout import TOPICS_DIR
from .model import FactCitation, Limits, Topic
from .schema import TOPIC, Format
from .textio import decode_text
from .yamldoc import DEFAULT_LIMITS, parse_yaml


def load_topics(root: Path, diags: Diagnostics, memo: Memo, allow_raw_html: bool = False,
                limits: Limits = DEFAULT_LIMITS) -> dict[str, Topic]:
    """Every topic, by id; an unchanged file is not parsed again. Whether raw HTML is allowed
    decides what the introduction's Markdown cites."""
    topics: dict[str, Topic] = {}
    for rel in listed(root, TOPICS_DIR, ".md", diags):
        data = read(root, rel, diags, limits.file_bytes, "topic")
        if data is None:
            continue
        stem = Path(rel).stem
        topic = memo.call(
            "topic", (rel, hashlib.sha256(data).hexdigest(), allow_raw_html, limits),
            lambda d, rel=rel, data=data, stem=stem: _parse_topic(stem, rel, data, d,
                                                                 allow_raw_html, limits),
            diags)
        if topic is not None:
            topics[topic.id] = topic
    return topics


def _parse_topic(stem: str, rel: str, data: bytes, diags: Diagnostics, allow_raw_html: bool,
                 limits: Limits) -> Topic | None:
    text = decode_text(data, rel, diags)
    return (read_topic(stem, rel, text, diags, allow_raw_html, limits) if text is not None
            else None)


def split_front_matter(text: str) -> tuple[str, str, int] | str:
    """(front matter, body, the body's first line number), or what is wrong with it."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n") != "---":
        return "the topic has no front matter"
    for i in range(1, len(lines)):
        if lines[i].rstrip("\r\n") in ("---", "..."):
            return "".join(lines[1:i]), "".join(lines[i + 1:]), i + 2
    return "the front matter is not closed"


def read_topic(topic_id: str, rel: str, text: str, diags: Diagnostics,
               allow_raw_html: bool = False, limits: Limits = DEFAULT_LIMITS) -> Topic | None:
    """A topic file's text as a Topic, or None with its problems reported."""
    if not is_id(topic_id):
        diags.error(Location(rel), f"'{topic_id}' is not a valid topic id",
                    f"name topic files with {ID_RULE}, e.g. s-400.md")
        return None
    parts = split_front_matter(text)
    if isinstance(parts, str):
        diags.error(Location(rel), parts,
                    "start the file with a '---' line, then `title: …`, then another '---' line")
        return None
    front, body, body_line = parts
    values = front_matter_values(front, rel, TOPIC, diags, limits)
    if values is None:
        return None
    citations = located_citations(body, rel, body_line, allow_raw_html)
    return Topic(
        id=topic_id,
        path=rel,
        title=values["title"] or topic_id,
        summary=values["summary"] or "",
        aliases=tuple(a for a, _ in values["aliases"]),
        order=values["order"],
        body=body,
        citations=tuple(citations),
        general=values["general"],
    )


def front_matter_values(front: str, rel: str, form: Format, diags: Diagnostics,
                        limits: Limits) -> dict[str, Any] | None:
    """The front matter's fields as the format reads them, or None with its problems reported."""
    doc = parse_yaml(front, rel, diags, line_offset=1, limits=limits)
    if doc is None:
        return None
    fields = Fields(doc, diags)
    return fields.read_all(form) if fields.require_mapping(form.name) else None


def located_citations(body: str, rel: str, body_line: int,
                      allow_raw_html: bool) -> tuple[FactCitation, ...]:
    """The body's citations, each at its line and column in the file (the body starts at
    `body_line`)."""
    citations = []
    for fact_id, offset in citations_in(body, allow_raw_html=allow_raw_html):
        at = text_location(rel, body, offset)
        citations.append(FactCitation(fact_id, Location(rel, body_line + at.line - 1, at.col)))
    return tuple(citations)


def citations_in(markdown: str, *, allow_raw_html: bool = False) -> list[tuple[str, int]]:
    """Each `[@fact-id]` of a Markdown text that is a citation: (the id, its offset). The parse
    says how many times each id is cited; the first that many occurrences are placed."""
    cited = Counter(cited_ids(markdown, allow_raw_html=allow_raw_html))
    found = []
    for match in CITATION.finditer(markdown):
        if cited[match.group(1)] > 0:
            cited[match.group(1)] -= 1
            found.append((match.group(1), match.start()))
    return found
