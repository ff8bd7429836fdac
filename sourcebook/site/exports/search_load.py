"""What static/search.js loads and finds for a query over a sharded index, in Python: the
benchmark's measure of the bytes a first query downloads, and the tests' check that the shards
find what the whole index finds, ranked the same."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from ... import routes
from .search_index import NAME
from .search_words import decode_ids, query_shards, query_terms, shard_file, shard_of

MAX_RESULTS = 50  # search.js's MAX_RESULTS: the results whose records a query loads
INDEX = str(routes.static(NAME))
MANIFEST = "window.SOURCEBOOK_SEARCH_SHARDS = "

_JSON = json.JSONDecoder()
Entries = list[list[str]]  # a shard: [word, records with it in the title, other records]


class ShardedSearch:
    """search.js's search over a sharded index, from its manifest and a way to get a shard's
    entries by key."""

    def __init__(self, manifest: dict, shard: Callable[[str], Entries]) -> None:
        self.manifest = manifest
        self.words = set(manifest["words"].split())
        self.prefixes = set(manifest["prefixes"].split())
        self._shard = shard

    def _postings(self, text: str) -> tuple[set[int], set[int]]:
        key = shard_of(text, self.words, self.prefixes)
        title: set[int] = set()
        every: set[int] = set()
        for word, in_title, elsewhere in self._shard(key) if key is not None else []:
            if word.startswith(text):
                title.update(decode_ids(in_title))
                every.update(decode_ids(elsewhere))
        return title, every | title

    def ranked(self, query: str) -> list[int]:
        """The numbers of the records a query finds, in search.js's order: by how many of the
        query's words are in the title, then by number (the ranking order of the records)."""
        found = []
        for whole, pieces in query_terms(query):
            title, every = self._postings(whole)
            if not (len(pieces) < 2 and pieces[0] == whole):
                parts = [self._postings(piece) for piece in pieces]
                title |= set.intersection(*(part[0] for part in parts))
                every |= set.intersection(*(part[1] for part in parts))
            found.append((title, every))
        if not found:
            return []
        hits = []
        for number in set.intersection(*(every for _, every in found)):
            count = sum(number in title for title, _ in found)
            hits.append((0 if count == len(found) else 1 if count else 2, number))
        return [number for _, number in sorted(hits)]

    def files(self, query: str) -> list[str]:
        """The files search.js loads for a query: the manifest, the shards of the query's
        words, and the chunks of records of the first MAX_RESULTS results."""
        shards = [self.manifest["shard"].replace("*", shard_file(key))
                  for key in query_shards(query, self.words, self.prefixes)]
        chunks = dict.fromkeys(
            self.manifest["records_file"].replace("*", str(n // self.manifest["chunk"]))
            for n in self.ranked(query)[:MAX_RESULTS])
        return [INDEX, *shards, *chunks]


def site_search(read: Callable[[str], str]) -> ShardedSearch | None:
    """The sharded search of a built site (`read` gives a file's text by its path in the
    site), or None if its index is one file."""
    text = read(INDEX)
    if not text.startswith(MANIFEST):
        return None
    manifest = json.loads(text[len(MANIFEST):].rstrip().removesuffix(";"))

    def shard(key: str) -> Entries:
        body = read(manifest["shard"].replace("*", shard_file(key)))
        _key, end = _JSON.raw_decode(body, body.index("(") + 1)  # the key may hold a ","
        return json.loads(body[end + 1:].rstrip().removesuffix(");"))

    return ShardedSearch(manifest, shard)


def first_query_files(site: Path, query: str) -> list[str]:
    """The index files that a query on a built site's search page loads, by path in the site."""
    search = site_search(lambda name: (site / name).read_text(encoding="utf-8"))
    return [INDEX] if search is None else search.files(query)
