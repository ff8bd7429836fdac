"""Each source's archived original (docs/format.md, "The archived original"), published byte
for byte beside its archived text: a PDF or a WARC as it is, a saved page (HTML, MHTML) with
`.txt` added to its name, so that GitHub Pages serves it as text/plain and no script in it
ever runs on the site's origin."""

from __future__ import annotations

import os
from collections.abc import Iterator

from ... import routes
from ...content.archive import original_digest
from ...content.model import Original
from ...diagnostics import Location
from ..kinds import Export, Here, InputChanged, Templates
from ..reader import Reader, query

SUFFIX_PATTERN = ".<suffix>"  # how the data page names the suffix, which varies


@query
def original_of(read: Reader, source_id: str) -> Original | None:
    """A source's archived original as the load stage checked it, or None."""
    record = read.source(source_id)
    return record.doc.original if record else None


@query
def original_count(read: Reader) -> int:
    """How many sources have an archived original."""
    return sum(1 for record in read.sources() if record.doc.original)


def _route(key: str) -> routes.Url:
    """A key is '<source> <published suffix>' (a source name has no space)."""
    source_id, _, suffix = key.partition(" ")
    return routes.original(source_id, suffix or SUFFIX_PATTERN)


def original_url(source_id: str, original: Original) -> routes.Url:
    """Where a source's archived original is published."""
    return _route(f"{source_id} {original.published_suffix}")


def original_bytes(original: Original) -> bytes:
    """The archived original's bytes, proved to be those the load stage checked; raise
    InputChanged if the file changed since."""
    problem = ""
    try:
        fd = os.open(original.at, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        problem, data = f"the archived original could not be read again: {exc.strerror}", b""
    if not problem and original_digest(data) != original.sha256:
        problem = "the archived original changed while the site was being built"
    if problem:
        raise InputChanged(Location(original.file), problem,
                           "build again once the files have stopped changing")
    return data


def _write(read: Reader, here: Here, _templates: Templates) -> Iterator[bytes]:
    original = read.query(original_of, here.key.partition(" ")[0])
    assert original is not None and original.at, here.key
    yield original_bytes(original)


def _describe(read: Reader) -> str:
    count = read.query(original_count)
    if not count:
        return ""  # not listed on the data page
    return (f"The archived original of each source imported from the web ({count}), byte for "
            "byte as it was saved or downloaded; its SHA-256 is on the source's page and in "
            "facts.json. A saved page (HTML, MHTML) has .txt added to its name, so that it is "
            "shown as text and never runs in the browser; a PDF or a WARC keeps its name.")


ORIGINALS = Export(
    "The original as saved (HTML or MHTML as text, PDF, WARC)", "application/octet-stream",
    _route, _write,
    keys=lambda read: [f"{record.id} {record.doc.original.published_suffix}"
                       for record in read.sources() if record.doc.original],
    per_key=True, describe=_describe)
