"""Search at scale (issue 16): a large index is sharded by the first characters of its words,
and the search page loads, for a query, only the shards of the query's words and the chunks of
records that its first results show, and finds what the whole index finds, in the same order.
A small index is still one file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import generate_project
from pagesserver import serve_pages
from sourcebook.engine.pipeline import build_in_memory
from sourcebook.site.catalogue import CATALOGUE
from sourcebook.site.exports import search_index
from sourcebook.site.exports.search_load import ShardedSearch, site_search
from sourcebook.site.exports.search_words import (
    decode_ids,
    encode_ids,
    fold,
    query_shards,
    query_terms,
    record_words,
    shard_file,
    shard_of,
    sort_key,
    words,
)

BASE = "/sourcebook-demo/"
PREFIX = "window.SOURCEBOOK_SEARCH = "
MANIFEST = "window.SOURCEBOOK_SEARCH_SHARDS = "
SHARD = "window.SOURCEBOOK_SEARCH_SHARD("
RECORDS = "window.SOURCEBOOK_SEARCH_RECORDS("
INDEX = "static/search-index.js"
SOURCES = 200  # a generated archive whose index is sharded (about 0.7 MB of records)


# --- the search of search.js over whole records, in Python: what the shards must give ---


def _has(found: set[str], whole: str, pieces: list[str]) -> bool:
    def starts(text: str) -> bool:
        return any(word.startswith(text) for word in found)
    if starts(whole):
        return True
    if len(pieces) < 2 and pieces[0] == whole:
        return False
    return all(starts(piece) for piece in pieces)


def reference(records: list[dict], query: str) -> list[dict]:
    """search.js's `search` over the whole index: every record that every query word finds,
    ranked by the query words found in its title, then kind, folded title and href."""
    terms = query_terms(query)
    hits = []
    for record in records:
        in_title, every = record_words(record)
        if all(_has(every, *term) for term in terms):
            count = sum(_has(in_title, *term) for term in terms)
            rank = 0 if count == len(terms) else 1 if count else 2
            hits.append((rank, sort_key(record), record))
    hits.sort(key=lambda hit: hit[:2])
    return [hit[2] for hit in hits]


def sharded_search(layout: search_index.ShardedIndex, query: str) -> list[int]:
    """The record numbers that the shards of a query give, ranked as search.js ranks them."""
    prefixes = set(layout.prefixes)
    manifest = {"words": " ".join(k for k in layout.keys if k not in prefixes),
                "prefixes": " ".join(layout.prefixes)}
    bodies = dict(zip(layout.keys, layout.shards, strict=True))
    return ShardedSearch(manifest, lambda key: json.loads(bodies[key])).ranked(query)


# --- the sharding itself, on records ---


def test_record_numbers_are_written_as_runs_and_read_back():
    for ids in ([], [0], [5], [0, 1, 2, 3, 10, 11, 40], [1, 3, 5, 6, 7, 100_000]):
        assert decode_ids(encode_ids(ids)) == ids
    assert encode_ids([0, 1, 2, 3, 10, 11, 40]) == "0.3,6.1,s"


def test_words_are_folded_and_cut_as_search_js_does():
    assert words(fold("Moscow\u2019s S\u2011400 \u201cdeal\u201d, Jaishank\u00e1r 3-0.")) == [
        "moscow's", "moscow", "s", "moscows", "s-400", "s", "400", "s400", "deal",
        "jaishankar", "3-0", "3", "0", "30"]
    assert query_terms("  S-400 Russia ") == [("s-400", ["s", "400"]), ("russia", ["russia"])]
    assert shard_file("s-") == "s_2d_" and shard_file("ab") == "ab"
    assert shard_file("\u0436\U0001f600") == "_436__1f600_"


def synthetic_records() -> list[dict]:
    """Records with common, rare, hyphenated and accented words, enough to split shards."""
    records = []
    for n in range(400):
        records.append({"kind": ("fact", "source", "entity", "topic")[n % 4],
                        "title": f"Deal {n} on the S-400 for Müller-{n % 7} in 20{n % 30:02d}",
                        "text": f"report {n}-{n % 9} said “tank{n % 13}” Cañón",
                        "href": f"x/{n}/", "meta": f"meta {n % 5}"})
    return records


QUERIES = ["deal", "d", "de", "2", "20", "201", "2019", "s-400", "s400", "s", "400",
           "muller", "müller-3", "muller 3", "report 12-3", "tank1", "tank12", "canon",
           "meta 4", "the deal", "zzz", "x", "1-", "on s"]


def test_the_shards_find_what_the_whole_index_finds_in_the_same_order():
    records = synthetic_records()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_index, "SHARD_BYTES", 2_000)
        layout = search_index.shard(records)
    ordered = sorted(records, key=sort_key)
    assert layout.records == len(records) and layout.prefixes  # some shards were split
    assert set(layout.prefixes) <= set(layout.keys)
    for query in QUERIES:
        expected = [r["href"] for r in reference(records, query)]
        assert [ordered[n]["href"] for n in sharded_search(layout, query)] == expected, query
    # Every prefix of every word of every record finds that record.
    words_keys = set(layout.keys) - set(layout.prefixes)
    for record in ordered[::37]:
        for word in record_words(record)[1]:
            for end in range(1, len(word) + 1):
                assert shard_of(word[:end], words_keys, set(layout.prefixes)) is not None
    # A shard of words is at most SHARD_BYTES unless it is one word; a prefix's is one entry.
    for key, body in zip(layout.keys, layout.shards, strict=True):
        entries = json.loads(body)
        assert len(body.encode()) <= 2_000 or key in layout.prefixes or len(
            {e[0] for e in entries}) == 1 or all(len(e[0]) == len(key) for e in entries), key
        if key in layout.prefixes:
            assert [entry[0] for entry in entries] == [key]
    # The chunks hold the records' display fields in ranking order, RECORDS_PER_CHUNK each.
    shown = [r for chunk in layout.chunks for r in json.loads(chunk)]
    assert shown == [[r["kind"], r["title"], r["href"], r["meta"]] for r in ordered]
    assert {len(json.loads(c)) for c in layout.chunks[:-1]} == {search_index.RECORDS_PER_CHUNK}


def test_a_query_needs_the_shard_of_each_of_its_words_only():
    words_keys, prefixes = {"de", "s", "40", "ru"}, {"d", "4"}
    assert query_shards("deal", words_keys, prefixes) == ["de"]
    assert query_shards("d", words_keys, prefixes) == ["d"]
    assert query_shards("dx", words_keys, prefixes) == []  # no word starts with "dx"
    assert query_shards("s-400 russia", words_keys, prefixes) == ["s", "40", "ru"]
    assert query_shards("zzz", words_keys, prefixes) == []


# --- the site: a small index is one file; a large one comes from the declared exports ---


@pytest.fixture(scope="module")
def whole(tmp_path_factory) -> dict[str, bytes]:
    from conftest import copy_project
    root = copy_project(tmp_path_factory.mktemp("whole") / "p")
    return build_in_memory(root).pages


@pytest.fixture(scope="module")
def sharded(tmp_path_factory) -> dict[str, bytes]:
    """The bundled project with an index sharded as a large one would be."""
    from conftest import copy_project
    root = copy_project(tmp_path_factory.mktemp("sharded") / "p")
    with pytest.MonkeyPatch.context() as patch:  # undone before any other build
        patch.setattr(search_index, "PART_BYTES", 4_000)
        patch.setattr(search_index, "SHARD_BYTES", 500)
        return build_in_memory(root).pages


def manifest_of(pages: dict[str, bytes]) -> dict:
    text = pages[INDEX].decode("utf-8")
    assert text.startswith(MANIFEST) and text.endswith(";\n")
    return json.loads(text[len(MANIFEST):-2])


def test_a_small_index_is_one_file(whole):
    text = whole[INDEX].decode("utf-8")
    assert text.startswith(PREFIX) and len(json.loads(text[len(PREFIX):-2])) > 90
    assert not [name for name in whole if name.startswith("static/search-index/")]


def test_a_large_index_is_sharded_into_the_files_its_exports_declare(whole, sharded):
    manifest = manifest_of(sharded)
    files = sorted(name for name in sharded if name.startswith("static/search-index/"))
    exports = {e.route("<id>").file for e in CATALOGUE.exports if e.per_key}
    assert {"static/search-index/w-<id>.js", "static/search-index/r-<id>.js"} <= exports
    keys = manifest["words"].split() + manifest["prefixes"].split()
    assert manifest["prefixes"] and len(keys) > 20
    chunks = -(-manifest["records"] // manifest["chunk"])
    assert files == sorted([manifest["shard"].replace("*", shard_file(k)) for k in keys] +
                           [manifest["records_file"].replace("*", str(n)) for n in range(chunks)])
    assert manifest["shard"] == "static/search-index/w-*.js"
    for key in keys:
        text = sharded[manifest["shard"].replace("*", shard_file(key))].decode("utf-8")
        head = f"{SHARD}{json.dumps(key, ensure_ascii=False)},["
        assert text.startswith(head) and text.endswith("]);\n")
    # The chunks hold every record of the one-file index, none twice.
    one_file = json.loads(whole[INDEX].decode("utf-8")[len(PREFIX):-2])
    shown = []
    for n in range(chunks):
        text = sharded[manifest["records_file"].replace("*", str(n))].decode("utf-8")
        assert text.startswith(f"{RECORDS}{n},[")
        shown += json.loads(text[len(f"{RECORDS}{n},"):-3])
    assert sorted(r[2] for r in shown) == sorted(r["href"] for r in one_file)
    assert manifest["records"] == len(one_file)


# --- the browser: what a query loads, and what it finds ---


def open_site(pages: dict[str, bytes], folder: Path) -> Path:
    for name, data in pages.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def one_file_index(records: list[dict]) -> bytes:
    """The index as main wrote it for a small site: every record in static/search-index.js."""
    body = ",".join(search_index._safe(r) for r in records)
    return f"{PREFIX}[{body}];\n".encode()


def ask(page, url: str, query: str, search: str = "search/") -> tuple[list[str], str, list[str]]:
    """The hrefs a query lists, its status, and the index files it requested (`url` is the
    site's, `search` the search page's path in it)."""
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(f"{url}{search}?q={query}")
    page.wait_for_function(
        "() => / for \u201c/.test(document.getElementById('search-status').textContent)")
    hrefs = page.eval_on_selector_all("#search-results a",
                                      "links => links.map(a => a.getAttribute('href'))")
    status = page.locator("#search-status").inner_text()
    return hrefs, status, [r.split(url, 1)[1] for r in requested if "search-index" in r]


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> tuple[dict[str, bytes], list[dict]]:
    """A generated archive of SOURCES sources, built: its pages and its records."""
    root = generate_project(tmp_path_factory.mktemp("archive") / "research", SOURCES)
    built = build_in_memory(root)
    from sourcebook.site.catalogue import read_research
    records = [r.as_json() for r in search_index.search_records(read_research(built.research))]
    return built.pages, records


@pytest.fixture(scope="module")
def archive_sites(archive, tmp_path_factory) -> tuple[Path, Path]:
    """The archive's site as built (sharded), and with the one-file index main would write."""
    pages, records = archive
    return (open_site(pages, tmp_path_factory.mktemp("archive-sharded")),
            open_site({**pages, INDEX: one_file_index(records)},
                      tmp_path_factory.mktemp("archive-whole")))


@pytest.fixture(scope="module")
def archive_urls(archive_sites) -> Iterator[tuple[str, str]]:
    """The two sites of archive_sites, served."""
    sharded_site, whole_site = archive_sites
    with serve_pages(sharded_site, BASE) as sharded_url, serve_pages(whole_site, BASE) as whole_url:
        yield sharded_url, whole_url


@pytest.mark.parametrize("query", ["deal", "in 2020", "air-defence", "report 12-3", "d",
                                   "zzqx", "topic 4 moscow"])
def test_a_query_loads_only_its_shards_and_finds_what_the_whole_index_finds(
        browser, archive, archive_urls, query):
    pages, records = archive
    sharded_url, whole_url = archive_urls
    manifest = manifest_of(pages)
    words_keys, prefixes = manifest["words"].split(), manifest["prefixes"].split()
    expected = reference(records, query)
    ordered = sorted(records, key=sort_key)
    numbers = {r["href"]: n for n, r in enumerate(ordered)}
    found = {}
    for name, url in (("sharded", sharded_url), ("whole", whole_url)):
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        found[name] = ask(page, url, query)
        page.close()
        assert errors == []
    hrefs, status, requested = found["sharded"]
    assert (hrefs, status) == found["whole"][:2]
    assert hrefs == ["../" + r["href"] for r in expected[:50]]
    assert status.startswith(f"{len(expected)} result" if expected else "No results")
    # Only the manifest, the shards of the query's words and the chunks of the results shown.
    shards = [manifest["shard"].replace("*", shard_file(k))
              for k in query_shards(query, words_keys, prefixes)]
    chunks = {manifest["records_file"].replace("*", str(numbers[h[3:]] // manifest["chunk"]))
              for h in hrefs}
    assert sorted(requested) == sorted([INDEX, *shards, *chunks]), requested
    search = site_search(lambda name: pages[name].decode("utf-8"))
    assert search is not None and sorted(search.files(query)) == sorted(requested)
    assert len(set(requested)) == len(requested)  # nothing twice
    every = [name for name in pages if name.startswith("static/search-index/")]
    assert len(requested) < len(every) / 3


def test_a_sharded_index_works_from_the_built_folder_over_file_urls(browser, archive,
                                                                   archive_sites):
    _pages, records = archive
    page = browser.new_page()
    url = archive_sites[0].as_uri() + "/"
    hrefs, status, requested = ask(page, url, "moscow frigates", "search/index.html")
    page.close()
    expected = reference(records, "moscow frigates")
    assert expected and hrefs == ["../" + r["href"] for r in expected[:50]]
    assert status.startswith(f"{len(expected)} result")
    assert all(name.startswith(("static/search-index.js", "static/search-index/"))
               for name in requested) and len(requested) > 2


def test_a_shard_that_does_not_load_is_said(browser, archive, tmp_path):
    pages, _records = archive
    search = site_search(lambda name: pages[name].decode("utf-8"))
    assert search is not None
    [missing] = [name for name in search.files("deal") if "/w-" in name]
    site = open_site({k: v for k, v in pages.items() if k != missing}, tmp_path)
    with serve_pages(site, BASE) as url:
        page = browser.new_page()
        _hrefs, status, _requested = ask(page, url, "deal")
        page.close()
    assert status == "No results for \u201cdeal\u201d (part of the index did not load: " \
                     "results may be missing)"


def test_the_bundled_index_sharded_finds_what_it_finds_whole(browser, built, sharded,
                                                             tmp_path_factory):
    """The bundled project's real text (accents, typographic dashes and quotes) through a
    sharded index: every query lists what the one-file index lists, in the same order."""
    site = open_site(sharded, tmp_path_factory.mktemp("bundled-sharded"))
    queries = ["jaishankar", "jayashankar", "s-400", "S\u2010400", "s400", "russia s400",
               "sanctions", "disputed", "caatsa", "j", "ru", "rediff", "\u201cdeal\u201d",
               "india's", "2018", "zzqxnotaword"]
    with serve_pages(site, BASE) as sharded_url, \
            serve_pages(Path(built) / "site", BASE) as whole_url:
        for query in queries:
            results = []
            for url in (sharded_url, whole_url):
                page = browser.new_page()
                results.append(ask(page, url, query)[:2])
                page.close()
            assert results[0] == results[1], query
