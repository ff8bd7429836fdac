"""A large archive stays light to read (issue 16, readers at scale): the home page's matrix
counts by outlet and lists only the latest sources, and every source is listed on the paged
archive, sources/ and sources/page/2/ …"""

from __future__ import annotations

import json
import posixpath
import subprocess
from pathlib import Path

import pytest

from conftest import generate_project, run_cli
from htmltree import Element, parse
from sourcebook.engine.commands import PreviewBuilder
from sourcebook.site.pages.archive import PAGE_SIZE
from sourcebook.site.pages.home import HOME_SOURCES, MATRIX_ROWS

SOURCES = PAGE_SIZE + 50  # two pages of the archive


def page(site: Path, path: str) -> Element:
    return parse((site / path / "index.html").read_text("utf-8"))


def with_class(tree: Element, tag: str, name: str) -> list[Element]:
    return [e for e in tree.iter() if e.tag == tag and name in e.attrs.get("class", "").split()]


def list_links(tree: Element) -> list[str]:
    (listing,) = with_class(tree, "ol", "source-list")
    return [a.attrs["href"] for li in listing.iter() if li.tag == "li"
            for a in li.iter() if a.tag == "a"]


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = generate_project(tmp_path_factory.mktemp("large") / "project", SOURCES)
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stderr
    return root


def test_every_source_is_on_exactly_one_page_of_the_archive(large):
    site = large / "site"
    first, second = page(site, "sources"), page(site, "sources/page/2")
    assert not (site / "sources/page/3").exists()
    links = [*list_links(first), *list_links(second)]
    assert len(links) == len(set(links)) == SOURCES
    assert len(list_links(first)) == PAGE_SIZE
    (ordered,) = with_class(second, "ol", "source-list")
    assert ordered.attrs["start"] == str(PAGE_SIZE + 1)
    for tree, here in ((first, "1"), (second, "2")):
        navs = [e for e in tree.iter() if e.tag == "nav" and "page-nav" in e.attrs.get("class", "")]
        assert len(navs) == 2
        current = [a for a in navs[0].iter() if a.tag == "a" and a.attrs.get("aria-current")]
        assert [a.text() for a in current] == [here]
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    assert "sources/</loc>" in sitemap and "sources/page/2/</loc>" in sitemap


def test_the_home_page_counts_by_outlet_and_lists_only_the_latest(large):
    site = large / "site"
    home = page(site, "")
    (table,) = [e for e in home.iter() if e.tag == "details" and "chart-data" in
                e.attrs.get("class", "")]
    rows = [tr for tr in table.iter() if tr.tag == "tr"
            and any(th.tag == "th" and th.attrs.get("scope") == "row" for th in tr.iter())][:-1]
    assert 1 < len(rows) <= MATRIX_ROWS
    # Every count is kept: the matrix's columns add up to what the facts say.
    facts = json.loads((site / "data/facts.json").read_text("utf-8"))
    topics = [t["id"] for t in facts["topics"]]
    expected = [sum(len({e["source"] for e in f["evidence"] if e["stance"] == "supports"})
                    for f in facts["facts"] if topic in f["topics"]) for topic in topics]
    got = [0] * len(topics)
    for row in rows:
        cells = [int(td.text()) for td in row.iter() if td.tag == "td"]
        got = [a + b for a, b in zip(got, cells, strict=True)]
        link = next(a for a in row.iter() if a.tag == "a").attrs["href"]
        assert (site / link / "index.html").is_file(), link
    assert got == expected
    latest = list_links(home)
    assert len(latest) == HOME_SOURCES
    assert any(a.attrs.get("href") == "sources/" and a.text() == f"All {SOURCES} sources"
               for a in home.iter() if a.tag == "a")
    # A bounded matrix: the page's size no longer grows with the archive (issue 16: ≤ 1 MB).
    assert (site / "index.html").stat().st_size < 400_000


def test_a_small_archive_keeps_a_row_per_source_and_lists_them_all(built):
    site = built / "site"
    home = page(site, "")
    assert len(list_links(home)) == 5
    assert list_links(home) == [link.removeprefix("../")
                                for link in list_links(page(site, "sources"))]
    assert not with_class(page(site, "sources"), "nav", "page-nav")
    heads = [th.text() for th in home.iter() if th.tag == "th" and th.attrs.get("scope") == "col"]
    assert "Source" in heads


def timeline_pages(site: Path) -> list[Path]:
    pages = [site / "timeline/index.html"]
    n = 2
    while (site / f"timeline/page/{n}/index.html").is_file():
        pages.append(site / f"timeline/page/{n}/index.html")
        n += 1
    return pages


def test_a_long_timeline_is_in_pages_that_together_list_every_fact_once(large):
    from sourcebook.site.pages.timeline import PAGE_FACTS

    site = large / "site"
    facts = json.loads((site / "data/facts.json").read_text("utf-8"))["facts"]
    pages = timeline_pages(site)
    assert len(pages) == -(-len(facts) // PAGE_FACTS) > 1
    seen: list[str] = []
    for n, path in enumerate(pages, start=1):
        tree = parse(path.read_text("utf-8"))
        items = [e.attrs["id"] for e in tree.iter() if e.tag == "li"
                 and "fact" in e.attrs.get("class", "").split()]
        assert 0 < len(items) <= PAGE_FACTS
        seen += items
        navs = [e for e in tree.iter() if e.tag == "nav" and "page-nav" in e.attrs.get("class", "")]
        current = [a for a in navs[0].iter() if a.tag == "a" and a.attrs.get("aria-current")]
        assert [a.text().split()[0] for a in current] == [str(n)]
        # Each page link says what the page covers.
        assert all(any("page-label" in s.attrs.get("class", "") for s in a.iter())
                   for a in navs[0].iter() if a.tag == "a")
        if n > 1:  # the chart is on the first page only
            assert not any(e.tag == "svg" for e in tree.iter())
        assert path.stat().st_size < 1_000_000
    assert sorted(seen) == sorted(f"f-{f['id']}" for f in facts)
    assert len(seen) == len(set(seen))


def test_the_home_figures_are_not_links_to_a_list_that_no_longer_holds_them(large, built):
    line = next(e for e in page(large / "site", "").iter()
                if "support-summary" in e.attrs.get("class", ""))
    assert not [e for e in line.iter() if e.tag == "a"]
    small = next(e for e in page(built / "site", "").iter()
                 if "support-summary" in e.attrs.get("class", ""))
    assert len([e for e in small.iter() if e.tag == "a"]) == 4


def test_a_paged_timeline_links_each_year_and_the_undated_to_the_page_where_they_begin(
        project, monkeypatch):
    from sourcebook.engine.pipeline import build_in_memory
    from sourcebook.site.pages import timeline

    monkeypatch.setattr(timeline, "PAGE_FACTS", 20)  # the bundled 52 facts in three pages
    pages = build_in_memory(project).pages
    files = {"timeline/index.html", "timeline/page/2/index.html", "timeline/page/3/index.html"}
    assert files <= set(pages) and "timeline/page/4/index.html" not in pages
    first = parse(pages["timeline/index.html"].decode("utf-8"))
    table = next(e for e in first.iter() if "chart-narrow" in e.attrs.get("class", ""))
    targets = [a.attrs["href"] for a in table.iter() if a.tag == "a"]
    undated = next(a.attrs["href"] for a in first.iter() if a.tag == "a"
                   and a.attrs.get("href", "").endswith("#undated"))
    files_of = {href: posixpath.normpath(posixpath.join("timeline", href.partition("#")[0]))
                for href in [*targets, undated]}
    assert "timeline/page/2" in files_of.values()  # the undated facts begin on a later page
    order = ["timeline", "timeline/page/2", "timeline/page/3"]
    for href, folder in files_of.items():
        fragment = href.partition("#")[2]
        tree = parse(pages[folder + "/index.html"].decode("utf-8"))
        heading = next(e for e in tree.iter() if e.attrs.get("id") == fragment)
        assert heading.tag == "h2"
        # The heading is on the page where its first fact is: no earlier page has it.
        for earlier in order[:order.index(folder)]:
            assert f'id="{fragment}"' not in pages[earlier + "/index.html"].decode("utf-8")


def test_each_source_page_is_under_sources_in_the_menu_and_links_to_the_archive(built):
    site = built / "site"
    for path in sorted((site / "sources").glob("*/index.html")):
        tree = parse(path.read_text("utf-8"))
        current = [a.text() for a in tree.iter() if a.tag == "a"
                   and a.attrs.get("aria-current") == "page"]
        assert current == ["Sources"], path
        assert any(a.attrs.get("href") == "../../sources/" and a.text() == "All sources"
                   for a in tree.iter() if a.tag == "a")


def test_an_edited_statement_re_makes_only_the_timeline_page_that_shows_it(large, tmp_path):
    root = tmp_path / "project"
    subprocess.run(["cp", "-r", str(large), str(root)], check=True)
    session = PreviewBuilder(root)
    session.rebuild()
    path = root / "content/sources/s00000.yaml"
    text = path.read_text("utf-8")
    start = text.index("statement: ") + len("statement: ")
    path.write_text(text[:start] + '"An edited statement."' + text[text.index("\n", start):],
                    "utf-8")
    result = session.rebuild()
    made = [p for p in result.built.rendered.made if p.startswith("timeline/")]
    assert len(made) == 1  # not every page of the timeline: each reads only its own facts
    assert "An edited statement." in result.pages[made[0]].decode()
