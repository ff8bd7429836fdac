"""The small files: the JSON Schemas of the data, each source's archived text byte for byte,
and .nojekyll (so that GitHub Pages publishes the files as they are)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from ... import routes
from ...content.model import Seed
from ..kinds import Export, Here, Templates
from ..reader import Reader, query
from ..views import counts
from .facts_json import FACTS_JSON

SCHEMAS = Path(__file__).resolve().parents[2] / "research" / "schemas"
BOM = "\ufeff".encode()


def _schema(name: str, description: str) -> Export:
    def write(_read: Reader, _here: Here, _templates: Templates) -> Iterator[bytes]:
        yield (SCHEMAS / name).read_bytes()

    return Export("JSON Schema", "application/schema+json",
                  lambda _key: routes.data_file(name), write,
                  describe=lambda _read: description)


FACT_FILE_SCHEMA = _schema("fact-file.schema.json",
                           "The schema of the fact files in content/facts/.")
FACTS_SCHEMA = _schema("facts.schema.json", f"The schema of {FACTS_JSON.name}.")


@query
def seed_of(read: Reader, source_id: str) -> Seed | None:
    """A source's archived text (its digest is its hash: the page depends on the bytes)."""
    record = read.source(source_id)
    return record.seed if record else None


def seed_bytes(seed: Seed) -> bytes:
    """The seed file's bytes: its text is exactly them decoded as UTF-8, less a leading BOM
    (the load stage decodes strictly), so re-encoding and the hash tell which."""
    data = seed.text.encode("utf-8")
    return data if hashlib.sha256(data).hexdigest() == seed.sha256 else BOM + data


def _write_seed(read: Reader, here: Here, _templates: Templates) -> Iterator[bytes]:
    seed = read.query(seed_of, here.key)
    assert seed is not None
    yield seed_bytes(seed)


SEEDS = Export(
    "Plain text (UTF-8)", "text/plain", routes.seed_text, _write_seed,
    keys=lambda read: [record.id for record in read.sources()], per_key=True,
    describe=lambda read: (f"The archived text of each source ({read.query(counts)['sources']}),"
                           " byte for byte as collected; its SHA-256 is on the source's page "
                           "and in facts.json."))


def _write_nothing(_read: Reader, _here: Here, _templates: Templates) -> Iterator[bytes]:
    yield b""


NOJEKYLL = Export("Empty", "application/octet-stream",
                  lambda _key: routes.file(".nojekyll"), _write_nothing)
