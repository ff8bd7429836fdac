"""static/search-index.js: the search page's index, one record per thing a page kind makes
findable (each kind's `search`: topics and facts, sources, entities, outlets …).

The index is a script that assigns a global (``window.SOURCEBOOK_SEARCH``) rather than JSON
fetched with XHR, so search also works when the site is opened from ``file://``. Nothing is
HTML-escaped here: ``static/search.js`` inserts every string with ``textContent``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from ... import routes
from ..kinds import Catalogue, Export, Here, SearchRecord, Templates
from ..reader import Reader

NAME = "search-index.js"
GLOBAL = "window.SOURCEBOOK_SEARCH"


def search_records(read: Reader) -> list[SearchRecord]:
    """Every record, kind by kind in the catalogue's order."""
    return list(_records(read))


def _records(read: Reader) -> Iterator[SearchRecord]:
    catalogue: Catalogue = read.catalogue
    for kind in catalogue.kinds:
        if kind.search is not None:
            yield from kind.search(read)


def search_index_js(read: Reader) -> bytes:
    """``window.SOURCEBOOK_SEARCH = [...];`` as UTF-8: compact JSON, the same bytes every build.

    "</" is written "<\\/" (the same string to JSON and to JavaScript) so the text can never
    close a <script> element, and U+2028/U+2029 are escaped for older JavaScript parsers.
    """
    return "".join(search_index_chunks(read)).encode()


def search_index_chunks(read: Reader) -> Iterator[str]:
    """search_index_js as text, one record at a time (never the whole index in memory)."""
    yield f"{GLOBAL} = ["
    for i, record in enumerate(_records(read)):
        text = json.dumps(record.as_json(), ensure_ascii=False, separators=(",", ":"))
        yield ("," if i else "") + (text.replace("</", "<\\/")
                                    .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    yield "];\n"


def _write(read: Reader, _here: Here, _templates: Templates) -> Iterator[str]:
    return search_index_chunks(read)


def _describe(read: Reader) -> str:
    catalogue: Catalogue = read.catalogue
    kinds = [name for kind in catalogue.kinds for name in kind.finds]
    named = ", ".join(kinds[:-1]) + " and " + kinds[-1] if len(kinds) > 1 else "".join(kinds)
    return f"The search index of the search page: one record per {named or 'nothing'}."


SEARCH_INDEX = Export("JavaScript (JSON)", "text/javascript",
                      lambda _key: routes.static(NAME), _write, describe=_describe)
