"""data/facts.csv: one row per piece of evidence.

Values are exact. Every cell is written as the research has it: cells that begin with "=",
"+", "-" or "@" are not prefixed against spreadsheet formula injection, because that would
change the data (a quote may really begin with "-"). Whoever opens the file in a spreadsheet
should import its columns as text. Quoting follows RFC 4180: a cell holding a comma, a double
quote, a CR or an LF is quoted, and its quotes are doubled.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from ... import routes
from ...research.model import Evidence, Fact, SourceRecord
from ..folds import SOURCES, tally, weighed_tally
from ..reader import Reader
from ..views import citing, counts
from .downloads import download

ROUTE = routes.data_file("facts.csv")
CSV_COLUMNS = ("fact_id", "statement", "topics", "fact_date", "speakers", "source_id",
               "source_title", "outlet", "published", "source_url", "stance", "quote", "start",
               "end", "note", "passage_href")
# Added after the others when any evidence is in a language the annotation names or has a
# translation (so that a research in the site's language alone keeps its columns).
LANGUAGE_COLUMNS = ("language", "trans_quote", "translator")


def facts_csv(read: Reader) -> bytes:
    """One row per piece of evidence, facts by id, each fact's evidence in its order."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    languages = _has_languages(read)
    writer.writerow(_columns(languages))
    for fact in sorted(read.facts(), key=lambda f: f.id):
        for evidence in fact.evidence:
            writer.writerow(_row(fact, evidence, citing(read, evidence.source_id), languages))
    return out.getvalue().encode("utf-8")


@tally
def _in_languages(fact: Fact) -> Iterator[str]:
    for evidence in fact.evidence:
        if evidence.language or evidence.translation:
            yield "languages"


def _has_languages(read: Reader) -> bool:
    """Whether the file has the LANGUAGE_COLUMNS."""
    return read.tally(_in_languages)["languages"] > 0


def _columns(languages: bool) -> tuple[str, ...]:
    return (*CSV_COLUMNS, *LANGUAGE_COLUMNS) if languages else CSV_COLUMNS


def _row(fact: Fact, evidence: Evidence, record: SourceRecord,
         languages: bool) -> list[str | int]:
    cells = _evidence_cells(fact, evidence, languages)
    return [*cells[:_SOURCE_AT], *_source_cells(record), *cells[_SOURCE_AT:]]


_SOURCE_AT = CSV_COLUMNS.index("source_title")  # where the source's own cells go in a row


def _evidence_cells(fact: Fact, evidence: Evidence, languages: bool) -> list[str | int]:
    """The cells of a row that come from the fact and this evidence (all but the source's);
    with `languages`, its source's language (if the annotation gives it), translation and
    translator last."""
    cells: list[str | int] = [
        fact.id, fact.statement, ";".join(fact.topics), fact.date.iso() if fact.date else "",
        ";".join(fact.speakers), evidence.source_id, evidence.stance.value, evidence.quote,
        evidence.start, evidence.end, evidence.note or "", str(evidence.href)]
    if languages:
        cells += [evidence.language or "", evidence.translation or "", evidence.translator or ""]
    return cells


def _source_cells(record: SourceRecord) -> list[str | int]:
    """The cells of a row that come from the cited source."""
    doc = record.doc
    return [doc.title, doc.outlet or "", doc.published.iso() if doc.published else "",
            doc.url or ""]


def _row_bytes(cells: list[str | int]) -> int:
    """The bytes these cells take as a row of their own, line end included."""
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerow(cells)
    return len(out.getvalue().encode("utf-8"))


@weighed_tally
def _evidence_bytes(fact: Fact) -> Iterator[tuple[tuple[str, str], int]]:
    for evidence in fact.evidence:
        # the two parts of a row, each written alone, have one line end too many and one
        # comma too few: together, one byte more than the row
        yield ("rows", ""), _row_bytes(_evidence_cells(fact, evidence, False)) - 1
        yield ("rows", "languages"), _row_bytes(_evidence_cells(fact, evidence, True)) - 1
        yield ("cites", evidence.source_id), 1


def facts_csv_size(read: Reader) -> int:
    """The exact size of facts.csv in bytes, without writing it: the evidence's cells from a
    tally (a rebuild re-measures only the facts that changed), each source's cells measured
    here once and counted for each piece of evidence that cites it."""
    sums, cells = read.tally(_evidence_bytes), read.tally(_source_bytes)
    languages = _has_languages(read)
    size = (_row_bytes(list(_columns(languages)))
            + sums[("rows", "languages" if languages else "")])
    for (kind, source_id), cites in sums.items():
        if kind == "cites":
            size += cites * cells[source_id]
    return size


@weighed_tally(over=SOURCES)
def _source_bytes(record: SourceRecord) -> Iterator[tuple[str, int]]:
    yield record.id, _row_bytes(_source_cells(record))


def _write(read: Reader) -> Iterator[bytes]:
    yield facts_csv(read)


def _describe(read: Reader) -> str:
    return (f"One row per piece of evidence ({read.query(counts)['evidence']}): fact, "
            "statement, topics, date, source, stance, quotation and offsets. Values are exact; "
            "a spreadsheet may treat a cell that starts with = + - or @ as a formula.")


FACTS_CSV = download("CSV (RFC 4180, UTF-8)", "text/csv", ROUTE, _write, facts_csv_size,
                     _describe, "CSV")
