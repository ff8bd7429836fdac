"""The data page, data/: every data file the catalogue's exports publish, what each holds and
its licence, and how to check a fact against the archived text oneself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ... import routes
from ...content.model import SiteConfig
from ...routes import Url
from ..exports import downloads
from ..jsonld import CONTEXT, with_url
from ..kinds import Catalogue, Here, PageKind
from ..reader import Reader

NAME = "data"
DESCRIPTION = "The research as data: facts, evidence and annotations in open formats."


@dataclass(frozen=True, slots=True)
class DataFile:
    """A data file as the data page lists it."""

    name: str  # its path under the site root; "<id>" stands for each key
    format: str
    media_type: str
    description: str
    url: Url | None  # None for a file per key (the name is a pattern)


GZIP_NOTE = ("Published gzip-compressed, as one file (its uncompressed size is over "
             "{limit} MB): decompress it with gunzip or gzip -d (7-Zip and most archive "
             "tools open it too) to get the complete {name}.")


def data_files(read: Reader) -> tuple[DataFile, ...]:
    """The exports that describe themselves and have a file in this build (a download past
    the size limit as its gzip-compressed file)."""
    catalogue: Catalogue = read.catalogue
    files = []
    for e in catalogue.exports:
        if e.describe is None:
            continue
        if e.per_key:
            description = e.describe(read)
            if description:  # "" when this build publishes no such file
                files.append(DataFile(e.name, e.format, e.media_type, description, None))
            continue
        for url, packed in e.published(read):
            if packed:
                note = GZIP_NOTE.format(limit=f"{downloads.LARGE_BYTES / 2**20:.3g}",
                                        name=e.name.rsplit("/", 1)[-1])
                files.append(DataFile(url.file, f"{e.format}, gzip-compressed",
                                      "application/gzip", f"{e.describe(read)} {note}", url))
            else:
                files.append(DataFile(url.file, e.format, e.media_type, e.describe(read), url))
    return tuple(files)


def _jsonld(config: SiteConfig, files: tuple[DataFile, ...]) -> dict[str, Any]:
    """The data page as a schema.org Dataset whose distributions are the published files."""
    distribution = [with_url({"@type": "DataDownload", "name": f.name,
                              "encodingFormat": f.media_type, "description": f.description},
                             config.absolute(f.url))
                    for f in files if f.url is not None]
    data: dict[str, Any] = {"@context": CONTEXT, "@type": "Dataset",
                            "name": f"{config.title}: facts and evidence",
                            "description": config.description, "inLanguage": config.language,
                            "distribution": distribution}
    if config.licence:
        data["license"] = config.licence
    return with_url(data, config.absolute(routes.listing(NAME)))


def _view(read: Reader, here: Here) -> dict[str, Any]:
    files = data_files(read)
    return {"files": files, "description": DESCRIPTION, "current": NAME,
            "method": routes.listing("about").at("how-to-check"),
            "jsonld": _jsonld(read.config(), files)}


DATA = PageKind(NAME, "data.html", lambda _key: routes.listing(NAME), _view,
                menu="Data", menu_order=50)
