"""End to end on the bundled research: corroboration, disputes and statuses, entity pages, the
timeline, links to the original text, source integrity and the exports, each checked against
data/facts.json and the seeds rather than against the code that made them."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import urllib.parse
from pathlib import Path
from urllib.parse import urljoin

from htmltree import Element, by_id, parse
from minisite import make_project
from sourcebook.cli import main

A3 = "003_4197f04110c4ab2c"


def page(site: Path, rel: str) -> Element:
    return parse((site / rel / "index.html").read_text(encoding="utf-8"))


def text_of(element: Element) -> str:
    return " ".join(element.text().split())


def classes(element: Element) -> set[str]:
    return set(element.attrs.get("class", "").split())


def fact_items(root: Element) -> list[Element]:
    return [e for e in root.iter() if e.tag == "li" and "fact" in classes(e)]


def date_key(date: str) -> tuple[int, ...]:
    """A partial date sorts before the precise ones inside it: 2018 < 2018-10 < 2018-10-05."""
    return tuple(int(p) for p in date.split("-")) + (0,) * (3 - len(date.split("-")))


def jsonld(root: Element) -> dict:
    [script] = [e for e in root.iter() if e.tag == "script"
                and e.attrs.get("type") == "application/ld+json"]
    return json.loads(script.text())


def seed_text(project: Path, source: str) -> str:
    return (project / "seeds" / f"{source}.txt").read_bytes().decode("utf-8").removeprefix(
        "\ufeff")


# --- corroboration ---


def test_every_fact_shows_its_independent_reports_and_single_sources_are_marked(built,
                                                                                  facts_json):
    site = built / "site"
    shown: dict[str, Element] = {}
    for topic in facts_json["topics"]:
        shown |= {e.attrs["id"]: e for e in fact_items(page(site, topic["href"]))}
    assert len(shown) == len(facts_json["facts"])
    for fact in facts_json["facts"]:
        item = shown[f"f-{fact['id']}"]
        reports = fact["independent_reports"]
        badges = [text_of(e) for e in item.iter() if "badge" in classes(e)]
        assert ("Single source" in badges) == (len(reports) == 1), fact["id"]
        support = next(text_of(e) for e in item.iter() if "support" in classes(e))
        # A wire agency's report names the outlets that carried it.
        named = [rf"{re.escape(r)}( \(wire copy, carried by [^()]+\))?" for r in reports]
        expected = (f"Reported only by {named[0]}" if len(reports) == 1
                    else rf"{len(reports)} independent reports: {', '.join(named)}")
        assert re.fullmatch(expected, support), support


def test_home_and_topic_pages_give_the_support_figures(built, facts_json):
    site = built / "site"

    def figures(facts: list[dict]) -> tuple[int, int, int]:
        return (sum(len(f["independent_reports"]) >= 2 for f in facts),
                sum(len(f["independent_reports"]) == 1 for f in facts),
                sum(f["disputed"] for f in facts))

    def shown(root: Element) -> tuple[int, int, int]:
        summary = text_of(next(e for e in root.iter() if "support-summary" in classes(e)))
        two = re.search(r"(\d+) rests? on two or more independent reports", summary)
        one = re.search(r"and (\d+) on a single source", summary)
        disputed = re.search(r"(\d+) (?:is|are) disputed", summary)
        return (int(two.group(1)), int(one.group(1)), int(disputed.group(1)) if disputed else 0)

    assert shown(page(site, "")) == figures(facts_json["facts"])
    for topic in facts_json["topics"]:
        facts = [f for f in facts_json["facts"] if topic["id"] in f["topics"]]
        assert shown(page(site, topic["href"])) == figures(facts), topic["id"]


def test_copies_of_one_wire_story_count_once(tmp_path):
    seed = "Headline\n\nIndia signed the deal in 2018.\n"
    claim = ("claims:\n  - fact: deal\n    quote: India signed the deal in 2018.\n"
             "    topics: [t]\n    statement: India signed the deal.\n")
    root = make_project(tmp_path / "p", seeds={n: seed for n in "abcd"}, sources={
        "a": "title: A\noutlet: Daily One\nagency: PTI\n" + claim,
        "b": "title: B\noutlet: Daily Two\nagency: pti\n" + claim,
        "c": "title: C\noutlet: Daily Two\n" + claim,
        "d": "title: D\n" + claim})
    assert main(["--root", str(root), "build"]) == 0
    [fact] = json.loads((root / "site/data/facts.json").read_text())["facts"]
    # The agency decides (case aside), else the outlet, else the article itself.
    assert fact["independent_reports"] == ["Daily Two", "PTI", "source d"]


# --- disputes and statuses ---


def test_the_two_contradictions_in_003_read_as_disputes_with_both_sides(built, facts_json):
    site = built / "site"
    disputed = {f["id"]: f for f in facts_json["facts"] if f["disputed"]}
    from_003 = {fid for fid, f in disputed.items()
                if any(e["source"] == A3 and e["stance"] == "disputes" for e in f["evidence"])}
    assert len(from_003) == 2
    for fact_id in sorted(from_003):
        fact = disputed[fact_id]
        topic = next(t for t in facts_json["topics"] if t["id"] in fact["topics"])
        item = by_id(page(site, topic["href"]))[f"f-{fact_id}"]
        assert "disputed" in classes(item)
        text = text_of(item)
        assert "Disputed" in text
        one_source = len({e["source"] for e in fact["evidence"]}) == 1  # contradicts itself
        assert (("One passage says" in text and "The same report also says" in text) if one_source
                else ("Supported by" in text and "Disputed by" in text)), fact_id
        sides = [e for e in item.iter() if "side" in classes(e)]
        against = next(s for s in sides if "side-against" in classes(s))
        for evidence in fact["evidence"]:
            side = against if evidence["stance"] == "disputes" else sides[0]
            assert " ".join(evidence["quote"].split()) in text_of(side)
            if evidence.get("note"):
                assert evidence["note"] in text_of(side)


def test_statuses_show_with_their_reason_and_date(built, facts_json):
    site = built / "site"
    flagged = [f for f in facts_json["facts"] if f.get("status")]
    assert {f["status"]["status"] for f in flagged} == {"outdated", "unverified"}
    for fact in flagged:
        topic = next(t for t in facts_json["topics"] if t["id"] in fact["topics"])
        item = by_id(page(site, topic["href"]))[f"f-{fact['id']}"]
        note = next(e for e in item.iter() if "status-note" in classes(e))
        assert fact["status"]["reason"] in text_of(note)
        label = fact["status"]["status"].replace("-", " ").capitalize()
        assert text_of(note).startswith(label)
        [when] = [e for e in note.iter() if e.tag == "time"]
        assert when.attrs["datetime"] == fact["status"]["date"]
        assert fact["disputed"] == (fact["status"]["status"] == "disputed"
                                    or any(e["stance"] == "disputes" for e in fact["evidence"]))


# --- entities ---


def test_each_entity_page_lists_what_it_stated_and_what_names_it(built, facts_json):
    site = built / "site"
    index = page(site, "entities/")
    index_links = {e.attrs["href"] for e in index.iter() if e.tag == "a"}
    facts = facts_json["facts"]

    def in_order(ids: list[str]) -> list[str]:
        by = {f["id"]: f for f in facts}
        return sorted(ids, key=lambda i: (by[i].get("date") is None,
                                          date_key(by[i]["date"]) if by[i].get("date") else (),
                                          i))

    for entity in facts_json["entities"]:
        assert "../" + entity["href"] in index_links, entity["id"]
        root = page(site, entity["href"])
        assert text_of(next(e for e in root.iter() if e.tag == "h1")) == entity["name"]
        for alias in entity["aliases"]:
            assert f"“{alias}”" in text_of(root)
        sections = {e.attrs["aria-labelledby"]: e for e in root.iter()
                    if e.tag == "section" and "aria-labelledby" in e.attrs}
        stated = [e.attrs["id"] for e in fact_items(sections["stated-heading"])]
        about = [e.attrs["id"] for e in fact_items(sections["about-heading"])]
        said = [f["id"] for f in facts if entity["id"] in f.get("speakers", [])]
        named = [f["id"] for f in facts if entity["id"] in f.get("mentions", [])
                 and entity["id"] not in f.get("speakers", [])]
        assert stated == [f"f-{i}" for i in in_order(said)], entity["id"]
        assert about == [f"f-{i}" for i in in_order(named)], entity["id"]


def test_aliases_the_sources_use_lead_to_one_person(built, facts_json):
    entities = {e["id"]: e for e in facts_json["entities"]}
    people = {e["name"]: e for e in entities.values()}
    assert {"Jaishankar", "Jayashankar"} <= set(people["S. Jaishankar"]["aliases"])
    assert "Austin Lloyd" in people["Lloyd Austin"]["aliases"]
    seeds = " ".join((built / "seeds" / f"{s['id']}.txt").read_text("utf-8")
                     for s in facts_json["sources"])
    assert "Jayashankar" in seeds and "Austin Lloyd" in seeds  # the spellings are real


def test_speakers_on_topic_pages_link_to_their_entity_pages(built, facts_json):
    site = built / "site"
    for topic in facts_json["topics"]:
        items = by_id(page(site, topic["href"]))
        for fact in facts_json["facts"]:
            if topic["id"] not in fact["topics"]:
                continue
            speakers = [e for e in items[f"f-{fact['id']}"].iter() if "speaker" in classes(e)]
            hrefs = [a.attrs["href"] for s in speakers for a in s.iter() if a.tag == "a"]
            assert hrefs == [f"../../entities/{s}/" for s in fact.get("speakers", [])], fact["id"]


# --- the timeline ---


def test_the_timeline_lists_every_dated_fact_in_order_at_its_precision(built, facts_json):
    root = page(built / "site", "timeline/")
    dated = [f for f in facts_json["facts"] if f.get("date")]
    expected = sorted(dated, key=lambda f: (date_key(f["date"]), f["id"]))
    listed = fact_items(root)
    items = listed[:len(expected)]
    assert [e.attrs["id"] for e in items] == [f"f-{f['id']}" for f in expected]
    # Then every undated fact, under "Undated": none is left out (issue 15).
    undated = {f"f-{f['id']}" for f in facts_json["facts"] if not f.get("date")}
    assert {e.attrs["id"] for e in listed[len(expected):]} == undated
    assert len(listed) == len(facts_json["facts"])
    assert any(e.tag == "h2" and e.attrs.get("id") == "undated" for e in root.iter())
    precision = {1: "year", 2: "month", 3: "day"}
    for item, fact in zip(items, expected, strict=True):
        when = next(e for e in item.iter() if e.tag == "time")
        assert when.attrs["datetime"] == fact["date"]
        assert when.attrs["title"] == f"Known to the {precision[len(fact['date'].split('-'))]}"
        if len(fact["date"].split("-")) < 3:
            assert not re.search(r"\b\d{1,2} [A-Z][a-z]+ \d{4}", when.text()), when.text()
    years = [int(text_of(e)) for e in root.iter() if e.tag == "h2" and e.attrs.get("id", "")
             .startswith("y-")]
    assert years == sorted({int(f["date"][:4]) for f in dated})
    assert any(e.tag == "svg" for e in root.iter())  # the chart


# --- links to the original text ---


def test_every_evidence_with_a_url_links_to_its_passage_in_the_original(built, facts_json):
    site = built / "site"
    urls = {s["id"]: s["url"] for s in facts_json["sources"] if s["url"]}
    assert len(urls) == len(facts_json["sources"])
    checked = 0
    for topic in facts_json["topics"]:
        root = page(site, topic["href"])
        citations = {next(a.attrs["href"] for a in e.iter() if "cite-link" in classes(a)): e
                     for e in root.iter() if e.tag == "li" and "citation" in classes(e)
                     and any("cite-link" in classes(a) for a in e.iter())}
        for fact in facts_json["facts"]:
            if topic["id"] not in fact["topics"]:
                continue
            for evidence in fact["evidence"]:
                citation = citations["../../" + evidence["href"]]
                [link] = [a for a in citation.iter() if "original-link" in classes(a)]
                url, _, directive = link.attrs["href"].partition("#:~:text=")
                assert url == urls[evidence["source"]]
                assert_fragment_selects(directive, evidence["quote"])
                checked += 1
    assert checked == sum(len(f["evidence"]) * len(f["topics"]) for f in facts_json["facts"])


def assert_fragment_selects(directive: str, quote: str) -> None:
    """The directive's terms are percent-encoded (no bare '-', ',' or '&' inside a term) and
    select the quote: textStart begins it and textEnd, if any, ends it."""
    terms = directive.split(",")
    assert "&" not in directive and 1 <= len(terms) <= 4
    if terms[0].endswith("-"):  # prefix-,
        terms = terms[1:]
    if terms[-1].startswith("-"):  # ,-suffix
        terms = terms[:-1]
    assert all("-" not in t and " " not in t for t in terms), directive
    words = " ".join(quote.split())
    decoded = [urllib.parse.unquote(t) for t in terms]
    assert words.startswith(decoded[0]), (decoded, words)
    if len(decoded) == 2:
        assert words.endswith(decoded[1]) and len(words.split()) > 10
    else:
        assert decoded == [words]


# --- source integrity ---


def test_each_source_page_publishes_its_raw_text_hash_and_retrieval_date(built, facts_json):
    site = built / "site"
    for source in facts_json["sources"]:
        raw = (built / "seeds" / f"{source['id']}.txt").read_bytes()
        assert (site / source["seed_href"]).read_bytes() == raw
        digest = hashlib.sha256(raw).hexdigest()
        assert source["sha256"] == digest
        root = page(site, source["href"])
        text = text_of(root)
        assert f"sha256:{digest}" in text
        page_url = f"https://site.test/{source['href']}"
        assert any(e.tag == "a" and urljoin(page_url, e.attrs.get("href", ""))
                   == f"https://site.test/{source['seed_href']}" for e in root.iter())
        retrieved = [e for e in root.iter() if e.tag == "time"
                     and e.attrs.get("datetime") == source["retrieved"]]
        assert source["retrieved"] and retrieved, source["id"]


# --- the exports, against the facts and the seeds ---


def test_the_csv_has_one_row_per_evidence_of_facts_json(built, facts_json):
    rows = list(csv.DictReader(io.StringIO(
        (built / "site/data/facts.csv").read_text(encoding="utf-8"), newline="")))
    expected = [(f["id"], e["source"], e["stance"], e["quote"], str(e["start"]), str(e["end"]))
                for f in facts_json["facts"] for e in f["evidence"]]
    assert [(r["fact_id"], r["source_id"], r["stance"], r["quote"], r["start"], r["end"])
            for r in rows] == expected


def test_annotations_select_each_cited_passage_of_the_seeds(built, facts_json):
    collection = json.loads((built / "site/data/annotations.jsonld").read_text("utf-8"))
    cited = {(e["source"], e["start"], e["end"]) for f in facts_json["facts"]
             for e in f["evidence"]}
    found = set()
    assert collection["total"] == len(collection["first"]["items"])
    for annotation in collection["first"]["items"]:
        target = annotation["target"]
        assert target["source"].endswith("/seed.txt")
        source = target["source"].split("/")[-2]
        selectors = {s["type"]: s for s in target["selector"]}
        position, quote = selectors["TextPositionSelector"], selectors["TextQuoteSelector"]
        text = seed_text(built, source)
        assert text[position["start"]:position["end"]] == quote["exact"]
        assert text[:position["start"]].endswith(quote.get("prefix", ""))
        assert text[position["end"]:].startswith(quote.get("suffix", ""))
        found.add((source, position["start"], position["end"]))
    assert found == cited


def test_pages_embed_the_claims_and_quotations_they_show(built, facts_json):
    site = built / "site"
    for topic in facts_json["topics"]:
        data = jsonld(page(site, topic["href"]))
        claims = data["mainEntity"]["itemListElement"]
        facts = [f for f in facts_json["facts"] if topic["id"] in f["topics"]]
        assert {c["text"] for c in claims} == {f["statement"] for f in facts}
        for claim in claims:
            fact = next(f for f in facts if f["statement"] == claim["text"])
            supports = [e["quote"] for e in fact["evidence"] if e["stance"] == "supports"]
            assert [q["text"] for q in claim["appearance"]] == supports
            assert all(q["isPartOf"]["@type"] == "NewsArticle" for q in claim["appearance"])
            disputes = [e["quote"] for e in fact["evidence"] if e["stance"] == "disputes"]
            assert [r["citation"]["text"] for r in claim.get("review", [])] == disputes
    for source in facts_json["sources"]:
        data = jsonld(page(site, source["href"]))
        assert data["@type"] == "NewsArticle" and data["url"] == source["url"]
        quotes = {e["quote"] for f in facts_json["facts"] for e in f["evidence"]
                  if e["source"] == source["id"]}
        assert {q["text"] for q in data["hasPart"]} == quotes


def test_the_data_page_documents_every_published_file(built):
    site = built / "site"
    root = page(site, "data/")
    linked = [a.attrs["href"] for a in root.iter() if a.tag == "a"
              and a.attrs["href"].startswith("../") and "." in a.attrs["href"].rsplit("/", 1)[-1]]
    for href in linked:
        assert (site / "data" / href).resolve().is_file(), href
    names = {text_of(e) for e in root.iter() if e.tag == "code"}
    assert {"data/facts.json", "data/facts.csv", "data/annotations.jsonld",
            "sources/<id>/seed.txt"} <= names
    assert "Licence" in text_of(root) and "CC BY 4.0" in text_of(root)
    assert jsonld(root)["@type"] == "Dataset"


def test_a_disputed_status_marks_a_fact_disputed_without_disputing_evidence(tmp_path):
    root = make_project(tmp_path / "p", seeds={"a": "India signed the deal in 2018.\n"}, sources={
        "a": "title: A\nclaims:\n  - fact: deal\n    quote: India signed the deal in 2018.\n"
             "    topics: [t]\n    statement: India signed the deal.\n"})
    (root / "content/status.yaml").write_text(
        "deal:\n  status: disputed\n  reason: The contract was not yet signed.\n"
        "  date: 2024-05\n", encoding="utf-8")
    assert main(["--root", str(root), "build"]) == 0
    [fact] = json.loads((root / "site/data/facts.json").read_text())["facts"]
    assert fact["disputed"] is True and fact["status"]["status"] == "disputed"
    item = by_id(page(root / "site", "topics/t/"))["f-deal"]
    assert "disputed" in classes(item)
    note = next(text_of(e) for e in item.iter() if "status-note" in classes(e))
    assert note == "Disputed (as of May 2024): The contract was not yet signed."


def test_source_pages_mark_passages_cited_against_a_fact(built, facts_json):
    site = built / "site"
    found = 0
    for source in facts_json["sources"]:
        against = {(e["href"].split("#")[1], f["id"]) for f in facts_json["facts"]
                   for e in f["evidence"]
                   if e["source"] == source["id"] and e["stance"] == "disputes"}
        root = page(site, source["href"])
        for note in (e for e in root.iter() if e.tag == "li"
                     and any("passage-ref" in classes(a) for a in e.iter())):
            anchor = next(a for a in note.iter() if "passage-ref" in classes(a)).attrs["href"][1:]
            parts = note.parts
            for i, part in enumerate(parts):
                if isinstance(part, Element) and part.tag == "a" and "#f-" in part.attrs["href"]:
                    fact_id = part.attrs["href"].split("#f-")[1]
                    labelled = any(isinstance(p, Element) and "against-label" in classes(p)
                                   for p in parts[max(i - 2, 0):i])
                    assert labelled == ((anchor, fact_id) in against), (anchor, fact_id)
                    found += labelled
    assert found == sum(len(f["topics"]) for f in facts_json["facts"] for e in f["evidence"]
                        if e["stance"] == "disputes")
