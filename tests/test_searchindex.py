"""The offline search: one index record per fact, source and entity, written as a script that
assigns a global, and static/search.js finding them in headless Chromium from file:// URLs."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from urllib.parse import quote

import pytest

from conftest import REPO
from sourcebook.engine.pipeline import build_in_memory as run
from sourcebook.research.model import Research
from sourcebook.site.catalogue import read_research
from sourcebook.site.exports import search_index

PREFIX = b"window.SOURCEBOOK_SEARCH = "
SEARCH_JS = REPO / "sourcebook" / "theme" / "static" / "search.js"
KEYS = {"kind", "title", "text", "href", "meta"}

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'">
<title>Search</title>
</head>
<body>
<form id="search-form" role="search" action="" method="get" data-root="../"><label for="search-q">Search</label><input id="search-q" name="q" type="search"> <button type="submit">Search</button></form>
<p id="search-status" role="status" aria-live="polite"></p>
<ol id="search-results"></ol>
<script src="../static/search-index.js"></script><script src="../static/search.js"></script>
</body>
</html>
"""  # noqa: E501 (the form is the markup the brief gives, on one line)


def search_records(research: Research) -> list[dict]:
    return [r.as_json() for r in search_index.search_records(read_research(research))]


def search_index_js(research: Research) -> bytes:
    return search_index.search_index_js(read_research(research))


@pytest.fixture(scope="module")
def research() -> Research:
    return run(REPO).research


def parse_index(data: bytes) -> list[dict]:
    text = data.decode("utf-8")
    assert data.startswith(PREFIX) and text.endswith(";\n")
    return json.loads(text[len(PREFIX):-2])


def test_every_topic_fact_source_entity_and_outlet_has_exactly_one_record(research):
    records = search_records(research)
    assert all(set(r) == KEYS and all(isinstance(v, str) for v in r.values()) for r in records)
    assert all(r["title"] for r in records)
    by_kind = {kind: [r for r in records if r["kind"] == kind]
               for kind in ("topic", "fact", "source", "entity", "outlet")}
    assert sum(map(len, by_kind.values())) == len(records)
    assert len(by_kind["topic"]) == len(research.topics)
    assert len(by_kind["fact"]) == len(research.facts)
    assert len(by_kind["source"]) == len(research.sources)
    assert len(by_kind["entity"]) == len(research.entities)
    outlets = {s.doc.outlet for s in research.sources if s.doc.outlet}
    assert sorted(r["title"] for r in by_kind["outlet"]) == sorted(outlets)
    assert sorted(r["title"] for r in by_kind["fact"]) == sorted(
        f.statement for f in research.facts)
    assert sorted(r["href"] for r in by_kind["source"]) == sorted(
        f"sources/{s.id}/" for s in research.sources)
    assert sorted(r["href"] for r in by_kind["entity"]) == sorted(
        f"entities/{e}/" for e in research.entities)
    assert len({r["href"] for r in records}) == len(records)


def test_hrefs_have_the_documented_form_and_name_existing_ids(research):
    topics = {t.id for t in research.topics}
    facts = research.fact_index
    sources = {s.id for s in research.sources}
    for record in search_records(research):
        href = record["href"]
        assert not href.startswith(("/", ".")) and "//" not in href, href
        if record["kind"] == "fact":
            head, _, fact_id = href.partition("/#f-")
            topic_id = head.removeprefix("topics/")
            assert head == f"topics/{topic_id}" and topic_id in topics, href
            assert fact_id in facts and facts[fact_id].topics[0] == topic_id, href
            assert facts[fact_id].statement == record["title"]
        elif record["kind"] == "source":
            assert href.startswith("sources/") and href.endswith("/"), href
            assert href[len("sources/"):-1] in sources, href
        elif record["kind"] == "topic":
            assert href == f"topics/{href[len('topics/'):-1]}/" and href[7:-1] in topics, href
        elif record["kind"] == "outlet":
            assert re.fullmatch(r"outlets/[a-z0-9]+(?:-[a-z0-9]+)*/", href), href
            names = {s.doc.outlet for s in research.sources}
            assert record["title"] in names, record
        else:
            assert href.startswith("entities/") and href.endswith("/"), href
            entity = research.entities[href[len("entities/"):-1]]
            assert record["title"] == entity.name and record["meta"] == entity.role


def test_records_carry_the_searchable_text(research):
    records = search_records(research)
    fact = research.facts[0]
    [record] = [r for r in records if r["href"].endswith(f"#f-{fact.id}")]
    titles = {t.id: t.title for t in research.topics}
    for topic in fact.topics:
        assert titles[topic] in record["text"] and titles[topic] in record["meta"]
    for evidence in fact.evidence:
        assert evidence.quote in record["text"]
    if fact.date:
        assert fact.date.human() in record["meta"]
    for entity in research.entities.values():
        [record] = [r for r in records if r["href"] == f"entities/{entity.id}/"]
        assert all(alias in record["text"] for alias in entity.aliases)


def test_the_index_is_a_script_assigning_compact_json(research):
    data = search_index_js(research)
    records = parse_index(data)
    assert records == search_records(research)
    body = data[len(PREFIX):-2].decode("utf-8")
    compact = json.dumps(records, ensure_ascii=False, separators=(",", ":"))
    assert body == compact.replace("</", "<\\/")  # compact, UTF-8, "</" written "<\\/"


def test_the_index_is_deterministic(research):
    first = search_index_js(research)
    assert first == search_index_js(research)
    assert first == search_index_js(run(REPO).research)


def test_markup_in_the_text_is_emitted_safely(research):
    fact = research.facts[0]
    nasty = "Tags <b>bold</b> & </script><script>alert(1)</script> “quoted” \u2028 café"
    changed = dataclasses.replace(research, facts=(
        dataclasses.replace(fact, statement=nasty), *research.facts[1:]))
    data = search_index_js(changed)
    text = data.decode("utf-8")
    # "</" is written "<\/": the file cannot close a <script> even if someone inlines it.
    assert "</" not in text and "<\\/script>" in text
    assert "\u2028" not in text and "\\u2028" in text
    # Nothing is HTML-escaped: the JSON gives back the statement exactly; search.js uses
    # textContent. Non-ASCII stays as UTF-8 (ensure_ascii=False).
    assert "<b>bold" in text and "&amp;" not in text and "café" in text
    assert next(r["title"] for r in parse_index(data) if r["kind"] == "fact") == nasty


# --- the browser: search.js over a generated index, from file:// URLs ---


@pytest.fixture(scope="module")
def search_page(research, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A hand-made search/index.html beside static/search.js and a generated index."""
    site = tmp_path_factory.mktemp("search-site")
    (site / "static").mkdir()
    (site / "search").mkdir()
    shutil.copyfile(SEARCH_JS, site / "static" / "search.js")
    (site / "static" / "search-index.js").write_bytes(search_index_js(research))
    (site / "search" / "index.html").write_text(PAGE, encoding="utf-8")
    return (site / "search" / "index.html").as_uri()


@pytest.fixture
def page(browser):
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    page.close()
    assert errors == []


def results(page) -> list[dict]:
    return page.eval_on_selector_all(
        "#search-results > li",
        """items => items.map(li => ({
            title: li.querySelector('a').textContent,
            href: li.querySelector('a').href,
            attr: li.querySelector('a').getAttribute('href'),
            kind: li.querySelector('.search-kind').textContent,
            meta: li.querySelector('.search-meta') ? li.querySelector('.search-meta').textContent
                                                   : null}))""")


def status(page) -> str:
    return page.locator("#search-status").inner_text()


def type_query(page, text: str) -> None:
    page.fill("#search-q", text)
    page.wait_for_function(
        "q => document.getElementById('search-status').textContent.includes(q)", arg=text)


def test_search_finds_an_entity_by_name_and_alias(page, search_page, research):
    name = research.entities["s-jaishankar"].name
    page.goto(search_page)
    assert status(page) == "Type to search topics, facts, sources and people."
    for query in ("jaishankar", "jayashankar", "JAYASHANKAR", "Jaishankár"):
        type_query(page, query)
        found = [r for r in results(page) if r["kind"] == "entity" and r["title"] == name]
        assert found, (query, results(page))
        assert found[0]["attr"] == "../entities/s-jaishankar/"
        assert found[0]["href"].endswith("/entities/s-jaishankar/")
        assert found[0]["href"].startswith("file://")
        assert found[0]["meta"] == research.entities["s-jaishankar"].role
        assert status(page).endswith(f"for \u201c{query}\u201d")


def test_search_finds_facts_and_ranks_title_matches_first(page, search_page, research):
    page.goto(search_page)
    type_query(page, "s-400")
    found = results(page)
    facts = [r for r in found if r["kind"] == "fact"]
    assert facts, found
    assert len(found) <= 50
    for record in facts:
        assert record["attr"].startswith("../topics/") and "/#f-" in record["attr"]
        fact_id = record["attr"].split("#f-", 1)[1]
        assert fact_id in research.fact_index
    in_title = ["s-400" in r["title"].lower().replace("\u2011", "-") for r in found]
    assert in_title == sorted(in_title, reverse=True), "title matches must come first"
    expected = sum(1 for r in search_records(research) if "s-400" in r["title"].lower())
    assert sum(in_title) >= expected
    count = int(status(page).split()[0])
    assert count >= len(found) and status(page).startswith(f"{count} result")

    # Typographic dashes and quotes fold to ASCII.
    type_query(page, "S\u2010400")
    assert [r["attr"] for r in results(page)] == [r["attr"] for r in found]

    # Hyphens may be left out, and a topic comes before its facts.
    type_query(page, "S400")
    assert [r["attr"] for r in results(page)] == [r["attr"] for r in found]
    assert found[0]["kind"] == "topic" and found[0]["attr"] == "../topics/s-400/"


def test_no_results_and_an_empty_query(page, search_page):
    page.goto(search_page)
    type_query(page, "zzqxnotaword")
    assert results(page) == []
    assert status(page) == "No results for \u201czzqxnotaword\u201d"
    page.fill("#search-q", "")
    page.wait_for_function("() => document.getElementById('search-status').textContent"
                           " === 'Type to search topics, facts, sources and people.'")
    assert results(page) == []


def test_query_in_the_url_is_searched_on_load_and_submit_updates_it(page, search_page):
    page.goto(search_page + "?q=" + quote("jaishankar"))
    assert page.input_value("#search-q") == "jaishankar"
    assert status(page).endswith("for \u201cjaishankar\u201d")
    assert results(page)

    page.fill("#search-q", "s-400")
    page.press("#search-q", "Enter")
    page.wait_for_function("() => location.search === '?q=s-400'")
    assert page.url.startswith("file://") and page.url.endswith("/search/index.html?q=s-400")
    assert status(page).endswith("for \u201cs-400\u201d")

    # A result link leads to the page it names (here a file:// path under the site root).
    first = page.locator("#search-results a").first
    assert first.get_attribute("href").startswith("../")


def test_text_is_inserted_as_text_never_as_markup(page, tmp_path):
    (tmp_path / "static").mkdir()
    (tmp_path / "search").mkdir()
    shutil.copyfile(SEARCH_JS, tmp_path / "static" / "search.js")
    records = [{"kind": "fact", "title": "Zebra <img src=x id=pwned> </script>",
                "text": "", "href": "topics/t/#f-z", "meta": "<b>meta</b>"}]
    payload = json.dumps(records, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    (tmp_path / "static" / "search-index.js").write_text(
        f"window.SOURCEBOOK_SEARCH = {payload};\n", encoding="utf-8")
    (tmp_path / "search" / "index.html").write_text(PAGE, encoding="utf-8")
    page.goto((tmp_path / "search" / "index.html").as_uri() + "?q=zebra")
    [found] = results(page)
    assert found["title"] == "Zebra <img src=x id=pwned> </script>"
    assert found["meta"] == "<b>meta</b>"
    assert page.locator("#pwned").count() == 0 and page.locator("#search-results b").count() == 0


def test_every_spelling_of_a_person_finds_the_same_facts(page, search_page):
    """Issue 15: "Jayashankar" (the seeds' spelling) found 3 facts where "Jaishankar" found 8."""
    page.goto(search_page)
    found = {}
    for query in ("jaishankar", "jayashankar"):
        type_query(page, query)
        found[query] = {r["attr"] for r in results(page) if r["kind"] == "fact"}
    assert found["jaishankar"] and found["jaishankar"] == found["jayashankar"]


def test_a_topic_named_by_its_aliases_comes_first(page, search_page):
    """Issue 15: for "sanctions" the CAATSA topic ranked 7th of 8."""
    page.goto(search_page)
    type_query(page, "sanctions")
    assert results(page)[0]["attr"] == "../topics/caatsa/"


def test_what_a_fact_is_marked_with_finds_it(page, search_page, research):
    """Issue 15: a search for "disputed" found nothing."""
    disputed = {f.id for f in research.facts if f.disputed}
    page.goto(search_page)
    type_query(page, "disputed")
    found = {r["attr"].split("#f-", 1)[1] for r in results(page) if r["kind"] == "fact"}
    assert disputed and disputed <= found
    type_query(page, "outdated")
    outdated = {f.id for f in research.facts if f.status and f.status.status.value == "outdated"}
    assert outdated <= {r["attr"].split("#f-", 1)[1] for r in results(page)
                        if r["kind"] == "fact"}
