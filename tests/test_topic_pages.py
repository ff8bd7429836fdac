"""A long topic is in pages (issue 16, readers at scale: every HTML page ≤ 1 MB): topics/<id>/
holds the introduction, the facts it cites and the first facts by date, topics/<id>/page/2/ …
the rest; together they list every fact of the topic once. Every link to a fact, from any page
or data file, lands on the page that holds it, also after an edit moves it to another page."""

from __future__ import annotations

import itertools
import json
import posixpath
import re
from pathlib import Path

import pytest
import yaml

from conftest import generate_project, project_file
from htmltree import Element, parse
from sourcebook.engine.pipeline import build_in_memory
from sourcebook.site import factpages

FACT_LINK = re.compile(r"#(f-[A-Za-z0-9_-]+)")


def file_of(page: str, href: str) -> str:
    """The built file a link on `page` (a file of the site) opens."""
    path = href.partition("#")[0].partition("?")[0]
    if path.startswith("/"):  # 404.html links from the base path
        path, folder = path.lstrip("/"), ""
    else:
        folder = posixpath.dirname(page)
    if not path:
        return page
    target = posixpath.normpath(posixpath.join(folder, path))
    target = "" if target == "." else target
    return target if posixpath.splitext(target)[1] else posixpath.join(target, "index.html")


def ids_of(html: bytes) -> set[str]:
    return {e.attrs["id"] for e in parse(html.decode("utf-8")).iter() if "id" in e.attrs}


def fact_links(pages: dict[str, bytes], base_url: str) -> list[tuple[str, str, str]]:
    """Every link to a fact in the built site, as (where, the file it opens, the fact's id):
    the links of the HTML pages, and the fact URLs in any file (the permalinks of "Cite this
    fact", JSON-LD, the feed, the Web Annotations, the search index)."""
    found = []
    absolute = re.compile(re.escape(base_url) + r"([^\s\"'<>#?]*)#(f-[A-Za-z0-9_-]+)")
    relative = re.compile(r"\"href\": ?\"([^\"#]*)#(f-[A-Za-z0-9_-]+)\"")
    for path, content in pages.items():
        text = content.decode("utf-8", "replace")
        for target, fact in absolute.findall(text):
            found.append((path, file_of("", target or "./"), fact))
        if path.endswith(".html"):
            for element in parse(text).iter():
                href = element.attrs.get("href", "")
                if (match := FACT_LINK.search(href)) and not href.startswith("http"):
                    found.append((path, file_of(path, href), match.group(1)))
        else:  # site-relative hrefs of the data files (the search index)
            for target, fact in relative.findall(text):
                found.append((path, file_of("", target), fact))
    return found


def assert_every_fact_link_lands(pages: dict[str, bytes], root: Path) -> int:
    base_url = yaml.safe_load(project_file(root, "content/site.yaml").read_text("utf-8"))[
        "base_url"]
    links = fact_links(pages, base_url)
    ids: dict[str, set[str]] = {}
    for where, target, fact in links:
        assert target in pages, (where, target, fact)
        if target not in ids:
            ids[target] = ids_of(pages[target])
        assert fact in ids[target], f"{where} links to #{fact} on {target}, which lacks it"
    return len(links)


def topic_pages(pages: dict[str, bytes], topic: str) -> list[str]:
    found = [f"topics/{topic}/index.html"]
    while (nxt := f"topics/{topic}/page/{len(found) + 1}/index.html") in pages:
        found.append(nxt)
    return found


def facts_listed(html: bytes) -> list[str]:
    return [e.attrs["id"] for e in parse(html.decode("utf-8")).iter()
            if e.tag == "li" and "fact" in e.attrs.get("class", "").split()]


def nav_current(tree: Element) -> list[str]:
    navs = [e for e in tree.iter() if e.tag == "nav" and "page-nav" in e.attrs.get("class", "")]
    assert len(navs) == 2  # above and below the list
    return [a.text().split()[0] for a in navs[0].iter() if a.tag == "a"
            and a.attrs.get("aria-current") == "page"]


def jsonld(tree: Element) -> dict:
    (script,) = [e for e in tree.iter() if e.tag == "script"
                 and e.attrs.get("type") == "application/ld+json"]
    return json.loads(script.text())


def check_topic_pages(pages: dict[str, bytes], size: int, base_url: str) -> int:
    """Each topic's pages together list its facts once, a page at most `size` of them (more
    only for the introduction's), each page marked in the page navigation; returns how many
    topics are paged."""
    data = json.loads(pages["data/facts.json"])
    paged = 0
    for topic in data["topics"]:
        own = {f"f-{f['id']}" for f in data["facts"] if topic["id"] in f["topics"]}
        files = topic_pages(pages, topic["id"])
        seen: list[str] = []
        labels = set()
        for n, path in enumerate(files, start=1):
            listed = facts_listed(pages[path])
            seen += [fid for fid in listed if fid in own or n > 1]
            tree = parse(pages[path].decode("utf-8"))
            claims = jsonld(tree)["mainEntity"]["itemListElement"]
            assert {c["@id"].rpartition("#")[2] for c in claims} == set(listed) & own
            assert all(c["@id"].startswith(base_url + path.removesuffix("index.html"))
                       for c in claims)
            levels = [int(e.tag[1]) for e in tree.iter() if re.fullmatch(r"h[1-6]", e.tag)]
            assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), (path, levels)
            if len(files) > 1:
                assert len(listed) <= size or n == 1
                assert nav_current(tree) == [str(n)]
                # Every page labels the pages alike: what each covers, not what this one does.
                labels.add(tuple(e.text() for e in tree.iter()
                                 if "page-label" in e.attrs.get("class", "").split()))
                title = next(e for e in tree.iter() if e.tag == "title").text()
                assert f"(page {n} of {len(files)})" in title
        assert sorted(seen) == sorted(own) and len(seen) == len(set(seen)), topic["id"]
        assert len(labels) <= 1 and all(all(found) for found in labels)
        paged += len(files) > 1
    return paged


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_project(tmp_path_factory.mktemp("generated") / "project", 120)


def test_every_link_to_a_fact_of_a_paged_generated_project_lands_on_its_page(
        generated, monkeypatch):
    monkeypatch.setattr(factpages, "PAGE_FACTS", 20)
    pages = build_in_memory(generated).pages
    assert check_topic_pages(pages, 20, "https://bench.example.org/") >= 5
    assert assert_every_fact_link_lands(pages, generated) > 1000


def test_every_link_to_a_fact_of_the_bundled_project_lands_on_its_page_when_paged(
        project, monkeypatch):
    """The bundled project has what the generated one lacks: introductions that cite facts (of
    other topics too), key findings, facts in two topics, dates, disputes."""
    monkeypatch.setattr(factpages, "PAGE_FACTS", 5)
    pages = build_in_memory(project).pages
    # 39 facts, 11 of them (with some of other topics) cited by the introduction: 11 on the
    # first page, then 28 in pages of 5. The other topics cite every fact they have.
    assert "topics/defence-ties/page/7/index.html" in pages
    assert "topics/defence-ties/page/8/index.html" not in pages
    assert check_topic_pages(pages, 5, "https://sourcebook.example.org/") == 1
    assert assert_every_fact_link_lands(pages, project) > 300
    first = parse(pages["topics/defence-ties/index.html"].decode("utf-8"))
    later = parse(pages["topics/defence-ties/page/2/index.html"].decode("utf-8"))
    # The introduction, with its footnotes, is on the first page only; a later page says where.
    assert any("intro" in e.attrs.get("class", "").split() for e in first.iter())
    assert not any("intro" in e.attrs.get("class", "").split() for e in later.iter())
    note = next(e for e in later.iter() if "list-note" in e.attrs.get("class", ""))
    assert "The filters apply to the facts of this page" in note.text()
    assert next(a for a in note.iter() if a.tag == "a").attrs["href"] == (
        "../../../../topics/defence-ties/")
    # A filtered list (`?status=disputed#fact-filter`) opens a page with the filter bar.
    for path in (p for p in pages if p.endswith(".html")):
        for element in parse(pages[path].decode("utf-8")).iter():
            if (href := element.attrs.get("href", "")).endswith("#fact-filter"):
                assert "fact-filter" in ids_of(pages[file_of(path, href)]), (path, href)
    # The support figures cannot link to one list of all the topic's facts any more.
    summary = next(e for e in first.iter() if "support-summary" in e.attrs.get("class", ""))
    assert not [e for e in summary.iter() if e.tag == "a"]


def test_a_paged_topic_links_each_year_to_the_page_where_it_begins(project, monkeypatch):
    monkeypatch.setattr(factpages, "PAGE_FACTS", 15)
    pages = build_in_memory(project).pages
    files = topic_pages(pages, "defence-ties")
    assert len(files) == 3
    for here in files:  # every page has the table of contents of the topic's years
        tree = parse(pages[here].decode("utf-8"))
        (toc,) = [e for e in tree.iter() if e.tag == "nav"
                  and e.attrs.get("aria-label") == "Facts by year"]
        hrefs = [a.attrs["href"] for a in toc.iter() if a.tag == "a"]
        targets = [(file_of(here, href), href.partition("#")[2]) for href in hrefs]
        assert len({target for target, _ in targets}) > 1  # years begin on several pages
        for target, year in targets:
            assert year in ids_of(pages[target]), (target, year)
            for earlier in files[:files.index(target)]:
                assert year not in ids_of(pages[earlier]), (year, earlier)


def test_a_short_topic_stays_one_page(built):
    site = built / "site"
    assert not list((site / "topics").glob("*/page"))
    for path in (site / "topics").glob("*/index.html"):
        tree = parse(path.read_text("utf-8"))
        assert not [e for e in tree.iter() if "page-nav" in e.attrs.get("class", "")]


def test_an_edit_that_moves_a_fact_to_another_page_moves_every_link_to_it(project, monkeypatch):
    from sourcebook.engine.commands import PreviewBuilder

    monkeypatch.setattr(factpages, "PAGE_FACTS", 5)
    session = PreviewBuilder(project)
    before = dict(session.rebuild().pages)
    # The introduction comes to cite the topic's last fact: it moves from the last page to the
    # first, and every page, feed and index that links to it follows.
    topic = project_file(project, "content/topics/defence-ties.md")
    text = topic.read_text("utf-8")
    cited = re.findall(r"\[@([^\]]+)\]", text)
    last = facts_listed(before["topics/defence-ties/page/7/index.html"])[-1].removeprefix("f-")
    assert last not in cited
    topic.write_text(text.replace(f"[@{cited[0]}]", f"[@{cited[0]}] [@{last}]", 1), "utf-8")
    result = session.rebuild()
    assert result.pages == build_in_memory(project).pages  # incremental equals clean
    assert f"f-{last}" in facts_listed(result.pages["topics/defence-ties/index.html"])
    assert assert_every_fact_link_lands(result.pages, project) > 300
    changed = {p for p in result.pages if before.get(p) != result.pages[p]}
    assert {"timeline/index.html", "static/search-index.js", "feed.xml"} <= changed


def test_an_edit_of_a_paged_topics_introduction_makes_only_its_first_page_again(
        project, monkeypatch):
    from sourcebook.engine.commands import PreviewBuilder

    monkeypatch.setattr(factpages, "PAGE_FACTS", 5)
    session = PreviewBuilder(project)
    session.rebuild()
    topic = project_file(project, "content/topics/defence-ties.md")
    topic.write_text(topic.read_text("utf-8").replace("\n---\n", "\n---\nA new sentence. ", 1),
                     "utf-8")
    result = session.rebuild()
    assert set(result.built.rendered.made) == {"topics/defence-ties/index.html"}
    assert result.pages == build_in_memory(project).pages


def test_an_edited_statement_makes_only_the_page_that_lists_its_fact_again(
        project, monkeypatch):
    """Issue 16: at 10,000 sources a topic has 24 pages; a statement edit must not make them
    all again (each page reads the topic's figures and its own facts, not the whole list)."""
    from sourcebook.engine.commands import PreviewBuilder

    monkeypatch.setattr(factpages, "PAGE_FACTS", 5)
    session = PreviewBuilder(project)
    before = session.rebuild().pages
    pages = topic_pages(before, "defence-ties")
    assert len(pages) > 3
    holder = pages[2]
    fact = facts_listed(before[holder])[0].removeprefix("f-")
    source = next(p for p in (project / "content/sources").glob("*.yaml")
                  if f"fact: {fact}\n" in p.read_text("utf-8"))
    text = source.read_text("utf-8")
    at = text.index(f"fact: {fact}\n")
    start = text.index("statement: ", at) + len("statement: ")
    source.write_text(text[:start] + "An edited statement." + text[text.index("\n", start):],
                      "utf-8")
    result = session.rebuild()
    made = {p for p in result.built.rendered.made if p.startswith("topics/defence-ties/")}
    assert made == {holder}
    assert result.pages == build_in_memory(project).pages
