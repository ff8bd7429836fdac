"""The sources' references for reference managers: each source's as CSL-JSON, BibTeX and RIS
(sources/<source>/reference.json, .bib, .ris), and every source's in one file of each kind
(data/references.json, .bib, .ris), in source-name order. The mapping of an annotation to a
reference is site/references.py's; this module only frames its entries into files."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ... import routes
from ..kinds import Export, Here, Templates
from ..reader import Reader, query
from ..references import Reference, bibtex_entry, csl_item, reference, ris_record
from ..views import counts
from .downloads import download


@dataclass(frozen=True, slots=True)
class RefFormat:
    """One reference format: its files' suffix, name and media type, how one entry is written
    and how entries are framed into a file."""

    suffix: str
    format: str
    media_type: str
    entry: Callable[[Reference], str]
    head: str  # before the first entry (the whole file, if there are none)
    separator: str  # between two entries
    tail: str  # after the last entry
    what: str  # for the data page
    empty: str = ""  # the file without entries

    def frame(self, entries: list[str]) -> Iterator[str]:
        """The file holding these entries."""
        if not entries:
            yield self.empty
            return
        yield self.head
        for n, entry in enumerate(entries):
            yield (self.separator if n else "") + entry
        yield self.tail

    def size(self, sizes: list[int]) -> int:
        """The bytes of the file holding entries of these sizes."""
        if not sizes:
            return len(self.empty.encode("utf-8"))
        return (len(self.head.encode("utf-8")) + sum(sizes)
                + len(self.separator.encode("utf-8")) * (len(sizes) - 1)
                + len(self.tail.encode("utf-8")))


def _csl_entry(ref: Reference) -> str:
    return "  " + json.dumps(csl_item(ref), ensure_ascii=False)  # one item a line


FORMATS = (
    RefFormat("json", "CSL-JSON", "application/vnd.citationstyles.csl+json", _csl_entry,
              "[\n", ",\n", "\n]\n", "CSL-JSON (Zotero, Mendeley, Pandoc, citeproc)", "[]\n"),
    RefFormat("bib", "BibTeX (BibLaTeX fields)", "application/x-bibtex", bibtex_entry,
              "", "\n", "", "BibTeX (JabRef, LaTeX, Zotero)"),
    RefFormat("ris", "RIS", "application/x-research-info-systems", ris_record,
              "", "", "", "RIS (EndNote, Zotero, Mendeley)"),
)
CSL, BIBTEX, RIS = FORMATS


@query
def source_reference(read: Reader, source_id: str) -> Reference | None:
    """A source's reference (None for a source that is gone)."""
    record = read.source(source_id)
    return reference(record.doc, read.config().language) if record else None


@query
def reference_entries(read: Reader, source_id: str) -> tuple[str, ...]:
    """A source's entry in each format, in FORMATS' order (none for a source that is gone)."""
    ref = read.query(source_reference, source_id)
    return tuple(f.entry(ref) for f in FORMATS) if ref else ()


@query
def source_names(read: Reader) -> tuple[str, ...]:
    """Every source's name, in order: what the files of every reference depend on, besides
    each source's reference (not on the claims, which a reference does not show)."""
    return tuple(record.id for record in read.sources())


def _entries(read: Reader, kind: RefFormat) -> list[str]:
    at = FORMATS.index(kind)
    return [entries[at] for source_id in read.query(source_names)
            if (entries := read.query(reference_entries, source_id))]


def _per_source(kind: RefFormat) -> Export:
    at = FORMATS.index(kind)

    def write(read: Reader, here: Here, _templates: Templates) -> Iterator[str]:
        entries = read.query(reference_entries, here.key)
        return kind.frame([entries[at]] if entries else [])

    return Export(kind.format, kind.media_type,
                  lambda key: routes.reference_file(key, kind.suffix), write,
                  keys=lambda read: [record.id for record in read.sources()], per_key=True,
                  describe=lambda _read: f"Each source's reference as {kind.what}; linked "
                                         "from the source's page (“Cite this source”).")


def _whole(kind: RefFormat) -> Export:
    def describe(read: Reader) -> str:
        return (f"Every source's reference ({read.query(counts)['sources']}) in one file, as "
                f"{kind.what}: import it to take the whole research set into a reference "
                "manager.")

    def size(read: Reader) -> int:
        return kind.size([len(entry.encode("utf-8")) for entry in _entries(read, kind)])

    return download(kind.format, kind.media_type,
                    routes.data_file(f"references.{kind.suffix}"),
                    lambda read: kind.frame(_entries(read, kind)), size, describe, "")


SOURCE_CSL, SOURCE_BIBTEX, SOURCE_RIS = (_per_source(kind) for kind in FORMATS)
REFERENCES_CSL, REFERENCES_BIBTEX, REFERENCES_RIS = (_whole(kind) for kind in FORMATS)


def cite_links(source_id: str) -> tuple[tuple[str, routes.Url], ...]:
    """The source page's "Cite this source" links: each format's name and file."""
    return tuple((kind.format.split(" ")[0], routes.reference_file(source_id, kind.suffix))
                 for kind in FORMATS)
