"""Whole-project downloads that may grow large (issue 16): GitHub Pages refuses any file of
100 MB or more, and a site over 1 GB. Such an export (`facts.json`, `facts.csv`,
`annotations.jsonld`) declares its exact size in bytes. While that size is at most
LARGE_BYTES, the file is published as it is; past it, the build publishes the complete file
gzip-compressed instead, as `<name>.gz` (one file, the same bytes once decompressed), and the
data page and the footer link that file.

Why one gzip file and not numbered parts: the data files compress about 5 to 15 times, so the
`.gz` keeps a complete download well under 100 MB and takes bytes off the site's 1 GB, where
parts plus a complete `.gz` would add to it. The gzip stream is deterministic (zlib's
header: modification time 0, no file name), so rebuilds stay byte-identical (with the same
zlib; another version may compress the same content to other bytes).

Whether a download is large is a query, so the pages that link it depend on the answer (a
yes or no), not on the size. Each export computes its size from parts that a rebuild brings
up to date cheaply (a tally over the facts, one query per source), not by writing the file.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Iterator

from ... import routes
from ...routes import Url
from ..kinds import GZIP_KEY, SINGLE, Export, Here, Templates
from ..reader import Reader, query

LARGE_BYTES = 50 * 2**20  # past this size a download is published gzip-compressed
GZIP_LEVEL = 6  # zlib's default: level 9 is three times slower for 5-10 % less
_GZIP_WBITS = 31  # a gzip stream (header and CRC), not a bare zlib one

Chunks = Callable[[Reader], Iterable[str | bytes]]


@query
def is_large(read: Reader, name: str) -> bool:
    """Whether the download `name` (its complete file, as Export.name) is over LARGE_BYTES."""
    for export in read.catalogue.exports:
        if export.name == name and export.size is not None:
            if export.size_bounds is not None:  # cheap bounds settle it, unless close
                least, most = export.size_bounds(read)
                if most <= LARGE_BYTES or least > LARGE_BYTES:
                    return least > LARGE_BYTES
            return export.size(read) > LARGE_BYTES
    return False


def gzipped(chunks: Iterable[str | bytes]) -> Iterator[bytes]:
    """The chunks as one gzip stream, compressed as they come: no modification time and no
    file name in its header, so the same content always gives the same bytes."""
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, _GZIP_WBITS)
    for chunk in chunks:
        data = compressor.compress(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
        if data:
            yield data
    yield compressor.flush()


def download(format: str, media_type: str, url: Url, chunks: Chunks,
             size: Callable[[Reader], int], describe: Callable[[Reader], str],
             footer: str, bounds: Callable[[Reader], tuple[int, int]] | None = None) -> Export:
    """Declare a whole-project download: the file at `url` with the content `chunks`
    makes, or, past LARGE_BYTES (by `size`, its exact size in bytes), the same content as
    `url` + ".gz". `bounds`, if given, are a least and a most size that a rebuild finds
    more cheaply than `size`: it is computed only when LARGE_BYTES lies between them."""
    name = url.file

    def keys(read: Reader) -> tuple[str, ...]:
        return (GZIP_KEY,) if read.query(is_large, name) else SINGLE

    def route(key: str) -> Url:
        return routes.gzipped(url) if key == GZIP_KEY else url

    def write(read: Reader, here: Here, _templates: Templates) -> Iterable[str | bytes]:
        return gzipped(chunks(read)) if here.key == GZIP_KEY else chunks(read)

    return Export(format, media_type, route, write, keys=keys, describe=describe,
                  footer=footer, size=size, size_bounds=bounds)
