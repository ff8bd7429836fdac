"""Search at scale (issue 16): a large index comes in parts of about PART_BYTES, the first in
static/search-index.js naming the others, so the first results come after the first part; the
search loads the rest one by one and ends with the same results as a one-file index."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from pagesserver import serve_pages
from sourcebook.engine.pipeline import build_in_memory
from sourcebook.site.exports import search_index

BASE = "/sourcebook-demo/"
PREFIX = "window.SOURCEBOOK_SEARCH = "
MORE = "window.SOURCEBOOK_SEARCH_MORE = "
ADD = "window.SOURCEBOOK_SEARCH_ADD("


def records_of(pages: dict[str, bytes]) -> tuple[list[dict], list[str]]:
    """The records of every part, in order, and the parts the first one names."""
    first, _, rest = pages["static/search-index.js"].decode("utf-8").partition(";\n")
    assert first.startswith(PREFIX)
    records = json.loads(first[len(PREFIX):])
    more = json.loads(rest[len(MORE):].removesuffix(";\n")) if rest else []
    for href in more:
        text = pages[href].decode("utf-8")
        assert text.startswith(ADD) and text.endswith(");\n")
        records += json.loads(text[len(ADD):-3])
    return records, more


@pytest.fixture(scope="module")
def whole(tmp_path_factory) -> dict[str, bytes]:
    from conftest import copy_project
    root = copy_project(tmp_path_factory.mktemp("whole") / "p")
    return build_in_memory(root).pages


@pytest.fixture(scope="module")
def parted(tmp_path_factory) -> dict[str, bytes]:
    from conftest import copy_project
    root = copy_project(tmp_path_factory.mktemp("parted") / "p")
    with pytest.MonkeyPatch.context() as patch:  # undone before any other build
        patch.setattr(search_index, "PART_BYTES", 4_000)
        return build_in_memory(root).pages


def test_a_small_index_is_one_file(whole):
    records, more = records_of(whole)
    assert more == [] and len(records) > 90
    assert not [name for name in whole if name.startswith("static/search-index-")]


def test_a_large_index_comes_in_parts_that_together_hold_every_record(whole, parted):
    records, more = records_of(parted)
    assert records == records_of(whole)[0]  # the same records in the same order
    assert len(more) >= 5
    assert more == [f"static/search-index-{n}.js" for n in range(2, len(more) + 2)]
    sizes = [len(parted["static/search-index.js"]), *(len(parted[href]) for href in more)]
    largest = max(len(json.dumps(r, ensure_ascii=False)) for r in records)
    assert all(size <= 4_000 + largest + 100 for size in sizes), sizes


@pytest.fixture(scope="module")
def parted_url(parted, tmp_path_factory) -> Iterator[str]:
    site = tmp_path_factory.mktemp("parted-site")
    for name, data in parted.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(data)
    with serve_pages(site, BASE) as url:
        yield url


@pytest.mark.parametrize("query", ["jaishankar", "s400 russia", "rediff"])
def test_the_search_ends_with_the_results_of_a_whole_index(browser, built, parted_url, query):
    with serve_pages(Path(built) / "site", BASE) as whole_url:
        found = {}
        for name, url in (("whole", whole_url), ("parted", parted_url)):
            page = browser.new_page()
            requested: list[str] = []
            page.on("request", lambda r, requested=requested: requested.append(r.url))
            errors: list[str] = []
            page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
            page.goto(f"{url}search/?q={query}")
            page.wait_for_function(
                "() => /result/.test(document.getElementById('search-status').textContent)"
                " && !/so far/.test(document.getElementById('search-status').textContent)")
            links = page.locator("#search-results a")
            found[name] = [links.nth(i).get_attribute("href") for i in range(links.count())]
            status = page.locator("#search-status").inner_text()
            assert "did not load" not in status and errors == []
            parts = [r for r in requested if "/static/search-index" in r]
            assert (len(parts) > 5) == (name == "parted"), parts
            page.close()
    assert found["parted"] == found["whole"] and found["whole"]
