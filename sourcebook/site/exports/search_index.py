"""static/search-index.js: the search page's index, one record per thing a page kind makes
findable (each kind's `search`: topics and facts, sources, entities, outlets …).

The index is a script that assigns a global (``window.SOURCEBOOK_SEARCH``) rather than JSON
fetched with XHR, so search also works when the site is opened from ``file://``. Nothing is
HTML-escaped here: ``static/search.js`` inserts every string with ``textContent``.

A large index is cut into parts of about PART_BYTES, so that the first results come after the
first part, whatever the archive's size: static/search-index.js holds the first records and
names the other parts (``window.SOURCEBOOK_SEARCH_MORE``); each part, static/search-index-<n>.js,
hands its records to the search (``window.SOURCEBOOK_SEARCH_ADD([...])``), which loads them one
after another and refines its results as they come. A small index is one file, as it always was.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from ... import routes
from ..kinds import Catalogue, Export, Here, SearchRecord, Templates
from ..reader import Reader, query

NAME = "search-index.js"
GLOBAL = "window.SOURCEBOOK_SEARCH"
MORE = "window.SOURCEBOOK_SEARCH_MORE"
ADD = "window.SOURCEBOOK_SEARCH_ADD"
PART_BYTES = 400_000  # a part of the index: what search loads before its first results


def search_records(read: Reader) -> list[SearchRecord]:
    """Every record, kind by kind in the catalogue's order."""
    return list(_records(read))


def _records(read: Reader) -> Iterator[SearchRecord]:
    catalogue: Catalogue = read.catalogue
    for kind in catalogue.kinds:
        if kind.search is not None:
            yield from kind.search(read)


def record_json(record: SearchRecord) -> str:
    """A record as compact JSON that is safe inside a script: "</" is written "<\\/" (the same
    string to JSON and to JavaScript) so the text can never close a <script> element, and
    U+2028/U+2029 are escaped for older JavaScript parsers."""
    text = json.dumps(record.as_json(), ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


@query
def search_parts(read: Reader) -> tuple[tuple[str, ...], ...]:
    """The records as JSON, cut into parts of at most PART_BYTES (a record larger than that
    is a part of its own); always at least one part."""
    parts: list[tuple[str, ...]] = []
    current: list[str] = []
    size = 0
    for record in _records(read):
        text = record_json(record)
        length = len(text.encode()) + 1
        if current and size + length > PART_BYTES:
            parts.append(tuple(current))
            current, size = [], 0
        current.append(text)
        size += length
    parts.append(tuple(current))
    return tuple(parts)


def part_name(number: int) -> str:
    """The file of part `number` (from 1): the first is search-index.js itself."""
    return NAME if number == 1 else f"search-index-{number}.js"


def search_index_js(read: Reader) -> bytes:
    """The first part, ``window.SOURCEBOOK_SEARCH = [...];``, naming the others if there are
    any, as UTF-8: the same bytes every build."""
    return "".join(search_index_chunks(read)).encode()


def search_index_chunks(read: Reader) -> Iterator[str]:
    """search_index_js as text, in pieces: its opening, the first part's records, the rest."""
    parts = read.query(search_parts)
    yield f"{GLOBAL} = ["
    yield ",".join(parts[0])
    yield "];\n"
    if len(parts) > 1:
        more = [str(routes.static(part_name(n))) for n in range(2, len(parts) + 1)]
        yield f"{MORE} = {json.dumps(more)};\n"


def _write(read: Reader, _here: Here, _templates: Templates) -> Iterator[str]:
    return search_index_chunks(read)


def _write_part(read: Reader, here: Here, _templates: Templates) -> Iterator[str]:
    parts = read.query(search_parts)
    yield f"{ADD}(["
    yield ",".join(parts[int(here.key) - 1])
    yield "]);\n"


def _describe(read: Reader) -> str:
    catalogue: Catalogue = read.catalogue
    kinds = [name for kind in catalogue.kinds for name in kind.finds]
    named = ", ".join(kinds[:-1]) + " and " + kinds[-1] if len(kinds) > 1 else "".join(kinds)
    return f"The search index of the search page: one record per {named or 'nothing'}."


SEARCH_INDEX = Export("JavaScript (JSON)", "text/javascript",
                      lambda _key: routes.static(NAME), _write, describe=_describe)

SEARCH_PARTS = Export(
    "JavaScript (JSON)", "text/javascript", lambda key: routes.static(part_name(int(key))),
    _write_part, keys=lambda read: [str(n) for n in range(2, len(read.query(search_parts)) + 1)],
    per_key=True)
