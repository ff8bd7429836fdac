"""Open data: facts.csv parses back exactly; the Web Annotations select each passage exactly
and expand as JSON-LD, offline.

The machine has no network, so pyld gets a document loader that serves vendored contexts and
refuses every other URL. tests/fixtures/anno.jsonld is the W3C Web Annotation JSON-LD context,
http://www.w3.org/ns/anno.jsonld (W3C Software and Document License), copied from the
w3c/web-annotation repository's jsonld/anno.jsonld (commit 929c823564930d65546c54a24aeb8df1bdcd021b)
with the one line that commit lacks and the published context has, `"assessing": "oa:assessing"`
(as in offline copies of the published context in other projects). schema_org_loader serves a
stand-in for https://schema.org: only its @vocab, which is all that schema.org terms used as
plain keys need.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyld import jsonld

from conftest import REPO
from sourcebook.anchoring.anchor import anchor_project
from sourcebook.content.project import load_project
from sourcebook.diagnostics import Diagnostics
from sourcebook.research.facts import build_research
from sourcebook.research.model import Research
from sourcebook.site.catalogue import read_research
from sourcebook.site.exports import annotations as annotations_export
from sourcebook.site.exports import csv as csv_export
from sourcebook.site.exports.annotations import ANNO_CONTEXT
from sourcebook.site.exports.csv import CSV_COLUMNS
from sourcebook.site.jsonld import website

FIXTURES = Path(__file__).resolve().parent / "fixtures"
OA = "http://www.w3.org/ns/oa#"
AS = "http://www.w3.org/ns/activitystreams#"
SCHEMA_ORG_CONTEXT = {"@context": {"@vocab": "http://schema.org/"}}


def _remote(url: str, document: dict) -> dict:
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
            "document": document}


def anno_loader(url: str, options: dict | None = None) -> dict:
    """pyld document loader: the vendored W3C annotation context, and nothing else."""
    if url.rstrip("/") in (ANNO_CONTEXT, ANNO_CONTEXT.replace("http:", "https:")):
        return _remote(url, json.loads((FIXTURES / "anno.jsonld").read_text(encoding="utf-8")))
    raise jsonld.JsonLdError(f"offline test: no document for {url}", "jsonld.LoadDocumentError",
                             code="loading document failed")


def schema_org_loader(url: str, options: dict | None = None) -> dict:
    """pyld document loader for schema.org JSON-LD offline: a context of schema.org's @vocab
    (http://schema.org/, as the real context has it) for "https://schema.org" with or without
    its slash, and nothing else. Terms that the real context types as @id (url, sameAs …)
    expand here as plain strings."""
    if url in ("https://schema.org", "https://schema.org/"):
        return _remote(url, SCHEMA_ORG_CONTEXT)
    raise jsonld.JsonLdError(f"offline test: no document for {url}", "jsonld.LoadDocumentError",
                             code="loading document failed")


@pytest.fixture(scope="module")
def research() -> Research:
    """The bundled research, through the stages that make it (nothing rendered)."""
    diags = Diagnostics()
    project = load_project(REPO, diags)
    anchored = anchor_project(project, diags)
    result = build_research(project, anchored, diags)
    assert not diags.has_errors()
    return result


def facts_csv(research: Research) -> bytes:
    return csv_export.facts_csv(read_research(research))


def web_annotations(research: Research) -> dict:
    return annotations_export.web_annotations(read_research(research))


def annotations(research: Research) -> dict:
    return web_annotations(research)


def parse_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def walk(node: object) -> Iterator[dict]:
    """Every JSON object in a document, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


# --- facts.csv ---


def test_csv_has_one_row_per_evidence_in_fact_order(research):
    data = facts_csv(research)
    assert not data.startswith(b"\xef\xbb\xbf") and data.endswith(b"\r\n")
    header, *rows = parse_csv(data)
    assert tuple(header) == CSV_COLUMNS
    assert len(rows) == sum(len(f.evidence) for f in research.facts) > 0
    assert all(len(row) == len(CSV_COLUMNS) for row in rows)
    records = [dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows]
    expected = [(f.id, e.source_id, e.start, e.anchor)
                for f in sorted(research.facts, key=lambda f: f.id) for e in f.evidence]
    assert [(r["fact_id"], r["source_id"], int(r["start"]), r["passage_href"].split("#")[1])
            for r in records] == expected
    sources = research.source_index
    for r in records:
        seed = sources[r["source_id"]].seed.text
        assert r["quote"] == seed[int(r["start"]):int(r["end"])]
        assert r["passage_href"].startswith(f"sources/{r['source_id']}/#")
        fact = research.fact_index[r["fact_id"]]
        assert r["statement"] == fact.statement
        assert r["topics"].split(";") == list(fact.topics)
        assert r["fact_date"] == (fact.date.iso() if fact.date else "")
        assert r["stance"] in ("supports", "disputes")
    assert facts_csv(research) == data


def test_csv_keeps_commas_quotes_newlines_and_formulas_exact(research):
    fact = research.facts[0]
    statement = 'He said "no", then\r\nleft; a\nb'
    note = "=HYPERLINK(\"x\"), -1 +2 @a"
    evidence = (dataclasses.replace(fact.evidence[0], note=note), *fact.evidence[1:])
    changed = dataclasses.replace(fact, statement=statement, evidence=evidence)
    tricky = dataclasses.replace(research, facts=(changed, *research.facts[1:]))
    data = facts_csv(tricky)
    records = [dict(zip(CSV_COLUMNS, row, strict=True)) for row in parse_csv(data)[1:]]
    [row] = [r for r in records if r["fact_id"] == fact.id and r["note"] == note]
    assert row["statement"] == statement
    assert b'"He said ""no"", then\r\nleft; a\nb"' in data


# --- annotations.jsonld ---


def test_annotations_select_every_passage_exactly(research):
    collection = annotations(research)
    assert collection["@context"] == ANNO_CONTEXT
    assert collection["type"] == "AnnotationCollection"
    page = collection["first"]
    assert page["type"] == "AnnotationPage" and page["startIndex"] == 0
    items = page["items"]
    passages = [(r, p) for r in research.sources for p in r.passages]
    assert collection["total"] == len(items) == len(passages) > 0
    assert len({item["id"] for item in items}) == len(items)
    for item, (record, passage) in zip(items, passages, strict=True):
        text = record.seed.text
        assert item["type"] == "Annotation"
        base = research.config.base_url  # an absolute URL in the bundled project
        assert item["id"] == f"{base}sources/{record.id}/#{passage.anchor}"
        target = item["target"]
        assert target["source"] == f"{base}sources/{record.id}/seed.txt"
        quote, position = target["selector"]
        assert quote["type"] == "TextQuoteSelector"
        assert quote["exact"] == text[passage.start:passage.end]
        assert quote.get("prefix", "") == text[max(0, passage.start - 32):passage.start]
        assert quote.get("suffix", "") == text[passage.end:passage.end + 32]
        assert position == {"type": "TextPositionSelector", "start": passage.start,
                            "end": passage.end}
        statements = [b["value"] for b in item["body"] if b.get("purpose") == "describing"]
        assert statements == [research.fact_index[f].statement for f in passage.fact_ids]
        links = [b["source"] for b in item["body"] if b.get("purpose") == "linking"]
        assert all(link.startswith(f"{base}topics/") for link in links)
    assert json.dumps(annotations(research)) == json.dumps(collection)


def test_annotations_expand_as_json_ld_with_the_w3c_context(research):
    collection = annotations(research)
    expanded = jsonld.expand(collection, {"documentLoader": anno_loader})
    types = {t for node in walk(expanded) for t in node.get("@type", [])
             if isinstance(t, str)}
    assert {f"{OA}Annotation", f"{OA}TextQuoteSelector", f"{OA}TextPositionSelector",
            f"{OA}TextualBody", f"{OA}SpecificResource", f"{AS}OrderedCollection",
            f"{AS}OrderedCollectionPage"} <= types
    exacts = [v["@value"] for node in walk(expanded) for v in node.get(f"{OA}exact", [])]
    quotes = [r.seed.text[p.start:p.end] for r in research.sources for p in r.passages]
    assert sorted(exacts) == sorted(quotes)
    motivations = {v["@id"] for node in walk(expanded) for v in node.get(f"{OA}motivatedBy", [])}
    assert motivations == {f"{OA}describing"}
    purposes = {v["@id"] for node in walk(expanded) for v in node.get(f"{OA}hasPurpose", [])}
    assert {f"{OA}describing", f"{OA}linking"} <= purposes
    [total] = [node[f"{AS}totalItems"] for node in walk(expanded) if f"{AS}totalItems" in node]
    assert int(total[0]["@value"]) == len(quotes)


def test_annotations_without_passages_are_an_empty_collection(research):
    empty = dataclasses.replace(
        research, sources=tuple(dataclasses.replace(r, passages=()) for r in research.sources))
    collection = web_annotations(empty)
    assert collection["total"] == 0 and "first" not in collection
    assert jsonld.expand(collection, {"documentLoader": anno_loader})


# --- the schema.org loader other tests may use ---


def test_schema_org_loader_expands_home_jsonld_offline(research):
    config = research.config
    [node] = jsonld.expand(website(config), {"documentLoader": schema_org_loader})
    assert node["@type"] == ["http://schema.org/WebSite"]
    assert node["http://schema.org/name"] == [{"@value": config.title}]
    assert node["http://schema.org/inLanguage"] == [{"@value": config.language}]
