"""The registry: every page kind and export of the site, in the order the sitemap, the search
index and the data page list them. A new kind or export is one module, registered here."""

from __future__ import annotations

from ..research.model import Research
from .exports.annotations import ANNOTATIONS
from .exports.csv import FACTS_CSV
from .exports.facts_json import FACTS_JSON
from .exports.feed import FEED
from .exports.files import FACT_FILE_SCHEMA, FACTS_SCHEMA, NOJEKYLL, SEEDS
from .exports.originals import ORIGINALS
from .exports.references import (
    REFERENCES_BIBTEX,
    REFERENCES_CSL,
    REFERENCES_RIS,
    SOURCE_BIBTEX,
    SOURCE_CSL,
    SOURCE_RIS,
)
from .exports.search_index import SEARCH_INDEX, SEARCH_RECORDS, SEARCH_SHARDS
from .exports.sitemap import ROBOTS, SITEMAP
from .kinds import Catalogue
from .pages import (
    about,
    archive,
    data,
    entities,
    home,
    not_found,
    outlets,
    search,
    sources,
    timeline,
    topics,
)
from .reader import Digests, Reader

CATALOGUE = Catalogue(
    kinds=(
        home.HOME,
        topics.TOPIC,
        sources.SOURCE,
        archive.ARCHIVE,
        entities.INDEX,
        entities.ENTITY,
        outlets.INDEX,
        outlets.OUTLET,
        timeline.TIMELINE,
        search.SEARCH,
        data.DATA,
        about.ABOUT,
        not_found.NOT_FOUND,
    ),
    exports=(
        FACTS_JSON,
        FACTS_CSV,
        ANNOTATIONS,
        FACT_FILE_SCHEMA,
        FACTS_SCHEMA,
        SEARCH_INDEX,
        SEARCH_SHARDS,
        SEARCH_RECORDS,
        SEEDS,
        ORIGINALS,
        REFERENCES_CSL,
        REFERENCES_BIBTEX,
        REFERENCES_RIS,
        SOURCE_CSL,
        SOURCE_BIBTEX,
        SOURCE_RIS,
        FEED,
        SITEMAP,
        ROBOTS,
        NOJEKYLL,
    ),
)


def read_research(research: Research) -> Reader:
    """A reader of the research with this site's catalogue, recording nothing (for tools and
    tests that call a view or an export directly)."""
    return Reader(Digests(research, catalogue=CATALOGUE))
