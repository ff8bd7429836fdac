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
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from ... import routes
from ..kinds import Catalogue, Export, Here, SearchRecord, Templates
from ..reader import Reader, query
from .search_words import (
    KEY_LENGTH,
    encode_ids,
    record_words,
    shard_file,
    shard_key,
    sort_key,
    word_prefixes,
)

NAME = "search-index.js"
GLOBAL = "window.SOURCEBOOK_SEARCH"
SHARDS = "window.SOURCEBOOK_SEARCH_SHARDS"  # a large index's manifest
SHARD = "window.SOURCEBOOK_SEARCH_SHARD"  # a shard hands its words to the search
RECORDS = "window.SOURCEBOOK_SEARCH_RECORDS"  # a chunk hands its records to the search
PART_BYTES = 400_000  # the largest index that stays one file
RECORDS_PER_CHUNK = 32
DISPLAY = ("kind", "title", "href", "meta")  # what a result shows (text only finds it)
FOLDER = "search-index"
MARK = "*"  # stands for a shard's file or a chunk's number in the manifest's file names


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
    return _safe(record.as_json())


@dataclass(frozen=True)
class ShardedIndex:
    """A large index as search.js loads it by query word: the shards' keys (sorted), each
    shard's body (a JSON array of [word, records with it in the title, other records with it],
    record numbers as `encode_ids` writes them; an array, not an object, so that no word can
    be taken for "__proto__"), and the records' display fields, RECORDS_PER_CHUNK to a chunk,
    numbered in the order search.js ranks results of the same rank."""

    keys: tuple[str, ...]
    files: tuple[str, ...]  # the file of the shard of keys[i] (search_words.shard_file)
    shards: tuple[str, ...]  # the body of the shard of keys[i]
    chunks: tuple[str, ...]  # the records of each chunk, as a JSON array
    records: int


@query
def search_layout(read: Reader) -> tuple[str, ...] | ShardedIndex:
    """The index as it is published: the records as JSON, in the catalogue's order, if they
    fit in PART_BYTES (one file, as a small site always had); else a ShardedIndex."""
    records = [record.as_json() for record in _records(read)]
    texts = [_safe(record) for record in records]
    if sum(len(text.encode()) + 1 for text in texts) <= PART_BYTES:
        return tuple(texts)
    return shard(records)


def shard(records: list[dict[str, str]]) -> ShardedIndex:
    """The records cut into shards by the first KEY_LENGTH characters of their words, with
    postings (the numbers of the records that hold a word) rather than copies of records."""
    ordered = sorted(records, key=sort_key)
    title: dict[str, list[int]] = defaultdict(list)  # word → records with it in the title
    other: dict[str, list[int]] = defaultdict(list)  # word → records with it elsewhere only
    for number, record in enumerate(ordered):
        in_title, every = record_words(record)
        short_title = {p for w in in_title for p in word_prefixes(w)}
        for prefix in {p for w in every for p in word_prefixes(w)}:
            (title if prefix in short_title else other)[prefix].append(number)
        for word in every:
            if len(word) >= KEY_LENGTH:
                (title if word in in_title else other)[word].append(number)
    by_key: dict[str, list[list[str]]] = defaultdict(list)
    for word in sorted(title.keys() | other.keys()):
        by_key[shard_key(word)].append([word, encode_ids(title.get(word, ())),
                                        encode_ids(other.get(word, ()))])
    keys = tuple(sorted(by_key))
    chunks = tuple(
        "[" + ",".join(_safe({k: r[k] for k in DISPLAY})
                       for r in ordered[start:start + RECORDS_PER_CHUNK]) + "]"
        for start in range(0, len(ordered), RECORDS_PER_CHUNK))
    return ShardedIndex(keys, tuple(map(shard_file, keys)),
                        tuple(_safe(by_key[key]) for key in keys), chunks, len(ordered))


def _safe(value: object) -> str:
    """Compact JSON, safe inside a script (see record_json)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def shard_name(file: str) -> str:
    """The file of a shard, under static/ (`file` from search_words.shard_file)."""
    return f"{FOLDER}/w-{file}.js"


def chunk_name(number: str) -> str:
    """The file of a chunk of records, under static/."""
    return f"{FOLDER}/r-{number}.js"


def search_index_js(read: Reader) -> bytes:
    """static/search-index.js as UTF-8, the same bytes every build: the whole index
    (``window.SOURCEBOOK_SEARCH = [...];``) or a large index's manifest."""
    return "".join(search_index_chunks(read)).encode()


def search_index_chunks(read: Reader) -> Iterator[str]:
    """search_index_js as text, in pieces."""
    layout = read.query(search_layout)
    if isinstance(layout, ShardedIndex):
        manifest = {"records": layout.records, "chunk": RECORDS_PER_CHUNK,
                    "keys": " ".join(layout.keys),
                    "shard": str(routes.static(shard_name(MARK))),
                    "records_file": str(routes.static(chunk_name(MARK)))}
        yield f"{SHARDS} = {_safe(manifest)};\n"
        return
    yield f"{GLOBAL} = ["
    yield ",".join(layout)
    yield "];\n"


def _write(read: Reader, _here: Here, _templates: Templates) -> Iterator[str]:
    return search_index_chunks(read)


def _sharded(read: Reader) -> ShardedIndex | None:
    layout = read.query(search_layout)
    return layout if isinstance(layout, ShardedIndex) else None


def _shard_keys(read: Reader) -> list[str]:
    layout = _sharded(read)
    return list(layout.files) if layout else []


def _write_shard(read: Reader, here: Here, _templates: Templates) -> Iterator[str]:
    layout = _sharded(read)
    if layout is not None and here.key in layout.files:
        number = layout.files.index(here.key)
        yield f"{SHARD}({_safe(layout.keys[number])},{layout.shards[number]});\n"


def _chunk_keys(read: Reader) -> list[str]:
    layout = _sharded(read)
    return [str(n) for n in range(len(layout.chunks))] if layout else []


def _write_chunk(read: Reader, here: Here, _templates: Templates) -> Iterator[str]:
    layout = _sharded(read)
    if layout is not None and here.key.isdigit() and int(here.key) < len(layout.chunks):
        yield f"{RECORDS}({int(here.key)},{layout.chunks[int(here.key)]});\n"


def _describe(read: Reader) -> str:
    catalogue: Catalogue = read.catalogue
    kinds = [name for kind in catalogue.kinds for name in kind.finds]
    named = ", ".join(kinds[:-1]) + " and " + kinds[-1] if len(kinds) > 1 else "".join(kinds)
    return f"The search index of the search page: one record per {named or 'nothing'}."


SEARCH_INDEX = Export("JavaScript (JSON)", "text/javascript",
                      lambda _key: routes.static(NAME), _write, describe=_describe)

SEARCH_SHARDS = Export("JavaScript (JSON)", "text/javascript",
                       lambda key: routes.static(shard_name(key)), _write_shard,
                       keys=_shard_keys, per_key=True)

SEARCH_RECORDS = Export("JavaScript (JSON)", "text/javascript",
                        lambda key: routes.static(chunk_name(key)), _write_chunk,
                        keys=_chunk_keys, per_key=True)
