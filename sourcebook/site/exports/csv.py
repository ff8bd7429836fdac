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
from ..kinds import Export, Here, Templates
from ..reader import Reader
from ..views import citing, counts

ROUTE = routes.data_file("facts.csv")
CSV_COLUMNS = ("fact_id", "statement", "topics", "fact_date", "speakers", "source_id",
               "source_title", "outlet", "published", "source_url", "stance", "quote", "start",
               "end", "note", "passage_href")


def facts_csv(read: Reader) -> bytes:
    """One row per piece of evidence, facts by id, each fact's evidence in its order."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    for fact in sorted(read.facts(), key=lambda f: f.id):
        for evidence in fact.evidence:
            writer.writerow(_row(fact, evidence, citing(read, evidence.source_id)))
    return out.getvalue().encode("utf-8")


def _row(fact: Fact, evidence: Evidence, record: SourceRecord) -> list[str | int]:
    doc = record.doc
    return [fact.id, fact.statement, ";".join(fact.topics),
            fact.date.iso() if fact.date else "", ";".join(fact.speakers),
            record.id, doc.title, doc.outlet or "", doc.published.iso() if doc.published else "",
            doc.url or "", evidence.stance.value, evidence.quote, evidence.start, evidence.end,
            evidence.note or "", str(evidence.href)]


def _write(read: Reader, _here: Here, _templates: Templates) -> Iterator[bytes]:
    yield facts_csv(read)


def _describe(read: Reader) -> str:
    return (f"One row per piece of evidence ({read.query(counts)['evidence']}): fact, "
            "statement, topics, date, source, stance, quotation and offsets. Values are exact; "
            "a spreadsheet may treat a cell that starts with = + - or @ as a formula.")


FACTS_CSV = Export("CSV (RFC 4180, UTF-8)", "text/csv", lambda _key: ROUTE, _write,
                   describe=_describe, footer="CSV")
