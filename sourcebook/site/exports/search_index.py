"""static/search-index.js: the search page's index, one record per thing a page kind makes
findable (each kind's `search`: topics and facts, sources, entities, outlets …).

The index is a script that assigns a global (``window.SOURCEBOOK_SEARCH``) rather than JSON
fetched with XHR, so search also works when the site is opened from ``file://``. Nothing is
HTML-escaped here: ``static/search.js`` inserts every string with ``textContent``.

A small index (up to PART_BYTES) is that one file, as it always was. A larger one is sharded
so that a query loads only what it needs (at 10,000 sources the whole index would be about
30 MB):

- search-index.js is then a manifest (``window.SOURCEBOOK_SEARCH_SHARDS``): the shards' keys
  and the file names of shards and chunks, from the routes;
- a shard, static/search-index/w-<key>.js, lists every word (folded as search.js folds it)
  that starts with its key, each with the numbers of the records that have it in their title
  and elsewhere (postings, not copies of records: a record has some forty words). The keys are
  the first character of a word, then one more character while a shard would be larger than
  SHARD_BYTES; a shard so split keeps, as a shard of its prefix, the records with any word
  starting with the prefix, for a query word that short;
- the records' display fields (kind, title, href, meta) come RECORDS_PER_CHUNK to a chunk,
  static/search-index/r-<n>.js, numbered in the order search.js ranks records of the same
  rank (kind, folded title, href).

For a query, search.js loads the shard of each query word (and of its pieces, for "s-400"),
computes every match and its rank from the postings, exactly as it would over the whole
index, then loads the chunks of the first 50 results. Matching a word needs only the shard of
that word's first characters, because every query word must start a word of the record.

Why not Pagefind: its Python package ships the binary, and its index is sharded by word
too, with fragments loaded per result, as here. But it loads them with fetch() (and a
WebAssembly module), which browsers refuse on ``file://`` (Pagefind's issue #241, "Allow
pagefind to run locally", is open), and it ranks by relevance, not by search.js's rules
(title matches first, then kind and title), so a site opened from its folder would lose search
and every query's results would change. Scripts that assign globals keep offline search from
the built folder and today's results, with no tool to install at build time.
"""

from __future__ import annotations

import itertools
import json
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring  # type: ignore[attr-defined]

from ... import routes
from ..kinds import Catalogue, Export, Here, SearchRecord, Templates
from ..reader import Reader, query
from .search_words import encode_ids, record_words, shard_file, sort_key

NAME = "search-index.js"
GLOBAL = "window.SOURCEBOOK_SEARCH"
SHARDS = "window.SOURCEBOOK_SEARCH_SHARDS"  # a large index's manifest
SHARD = "window.SOURCEBOOK_SEARCH_SHARD"  # a shard hands its words to the search
RECORDS = "window.SOURCEBOOK_SEARCH_RECORDS"  # a chunk hands its records to the search
PART_BYTES = 400_000  # the largest index that stays one file
SHARD_BYTES = 100_000  # a shard larger than this is split by its words' next character
RECORDS_PER_CHUNK = 16
DISPLAY = ("kind", "title", "href", "meta")  # what a result shows (text only finds it)
# A chunk's record is [kind, title, href, meta], then its title's `lang` if it has one.
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
    """A large index as search.js loads it by query word. Each shard's body is a JSON array of
    [word, records with it in the title, other records with it] (record numbers as
    `encode_ids` writes them; an array, not an object, so that no word can be taken for
    "__proto__"). A shard of words holds every word that starts with its key; a shard of a
    prefix (one of `prefixes`) holds only its key, as a word that every record with a word
    starting with the key has, and the words themselves are in the shards of longer keys. The
    records' display fields come RECORDS_PER_CHUNK to a chunk, numbered in the order
    search.js ranks results of the same rank (search_words.sort_key)."""

    keys: tuple[str, ...]  # every shard, sorted
    prefixes: tuple[str, ...]  # the shards of prefixes among them
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


Postings = dict[str, tuple[array, array]]  # word → (records with it in the title, others)


def shard(records: list[dict[str, str]]) -> ShardedIndex:
    """The records cut into shards by the first characters of their words, with postings (the
    numbers of the records that hold a word) rather than copies of records: a shard of the
    words that start with one character, split by their next character while it is larger
    than SHARD_BYTES."""
    ordered = sorted(records, key=sort_key)
    postings: Postings = {}
    for number, record in enumerate(ordered):
        in_title, every = record_words(record)
        for word in every:
            if word not in postings:
                postings[word] = (array("I"), array("I"))
            postings[word][0 if word in in_title else 1].append(number)
    entries = {word: f'[{_safe_text(word)},"{encode_ids(title)}","{encode_ids(other)}"]'
               for word, (title, other) in postings.items()}
    sizes = {word: len(entry.encode()) + 1 for word, entry in entries.items()}
    bodies: dict[str, str] = {}
    prefixes: list[str] = []

    def place(key: str, words: list[str]) -> None:
        """The shard of `words` (sorted, all starting with `key`), or, if it is too large and
        their next characters part them, the shard of the prefix and the shards of each."""
        size = len(key) + 1
        if sum(sizes[w] for w in words) <= SHARD_BYTES or len({w[:size] for w in words}) < 2:
            bodies[key] = "[" + ",".join(entries[word] for word in words) + "]"
            return  # small enough, or no split would make it smaller (one word)
        in_title = set().union(*(postings[word][0] for word in words))
        every = in_title.union(*(postings[word][1] for word in words))
        bodies[key] = _safe([[key, encode_ids(sorted(in_title)),
                              encode_ids(sorted(every - in_title))]])
        prefixes.append(key)
        longer = [word for word in words if len(word) > len(key)]
        for sub, group in itertools.groupby(longer, key=lambda w: w[:size]):
            place(sub, list(group))

    for first, group in itertools.groupby(sorted(postings), key=lambda w: w[0]):
        place(first, list(group))
    keys = tuple(sorted(bodies))
    chunks = tuple(
        "[" + ",".join(_safe([r[k] for k in DISPLAY] + ([r["lang"]] if "lang" in r else []))
                       for r in ordered[start:start + RECORDS_PER_CHUNK]) + "]"
        for start in range(0, len(ordered), RECORDS_PER_CHUNK))
    return ShardedIndex(keys, tuple(sorted(prefixes)), tuple(map(shard_file, keys)),
                        tuple(bodies[key] for key in keys), chunks, len(ordered))


def _safe(value: object) -> str:
    """Compact JSON, safe inside a script (see record_json)."""
    return _escape(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def _safe_text(text: str) -> str:
    """A string as _safe writes it, faster."""
    return _escape(encode_basestring(text))


def _escape(text: str) -> str:
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
        prefixes = set(layout.prefixes)
        manifest = {"records": layout.records, "chunk": RECORDS_PER_CHUNK,
                    "words": " ".join(k for k in layout.keys if k not in prefixes),
                    "prefixes": " ".join(layout.prefixes),
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
