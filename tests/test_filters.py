"""Lists a reader can slice (issue 15, finding 8): a filter bar on topic pages and the timeline
(topic, support, stance, status, outlet, year, order), counts that link to the filtered list, a
table of contents by year for a long topic; without JavaScript every fact is still shown."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from htmltree import Element, by_id, parse
from pagesserver import serve_pages
from sourcebook import routes
from sourcebook.routes import Linker, Url

BASE = "/sourcebook-demo/"
LONG = "topics/defence-ties/"


def page(built: Path, path: str) -> Element:
    return parse((built / "site" / path / "index.html").read_text("utf-8"))


def facts_of(tree: Element) -> list[Element]:
    return [e for e in tree.iter() if e.tag == "li" and "fact" in e.attrs.get("class", "").split()]


def facet(fact: Element, name: str) -> list[str]:
    return fact.attrs[f"data-{name}"].split()


def options(tree: Element, name: str) -> dict[str, tuple[str, int]]:
    """A facet's options in the bar: value → (label, count)."""
    select = next(e for e in tree.iter() if e.tag == "select" and e.attrs.get("name") == name)
    found = {}
    for option in select.iter():
        if option.tag == "option" and option.attrs.get("value"):
            label, _, count = option.text().strip().rpartition(" (")
            found[option.attrs["value"]] = (label, int(count.rstrip(")")))
    return found


# --- the route table ---


def test_a_filtered_list_is_a_url_with_a_query_and_the_bar_as_fragment():
    url = routes.filtered(routes.topic("s-400"), status="disputed", sort="newest")
    assert url == Url("topics/s-400/", "fact-filter", "sort=newest&status=disputed")
    assert str(url) == "topics/s-400/?sort=newest&status=disputed#fact-filter"
    assert url.at("x").query == url.query  # a fragment keeps the query
    assert Linker(routes.topic("s-400"))(url) == "?sort=newest&status=disputed#fact-filter"
    assert Linker(routes.home())(url) == "topics/s-400/?sort=newest&status=disputed#fact-filter"
    assert Linker(routes.topic("s-400"))(routes.topic("s-400").at("cite-3")) == "#cite-3"


# --- what each fact carries, and what the bar offers ---


def test_every_fact_carries_its_facets_as_the_research_has_them(built, facts_json):
    by_id_ = {f["id"]: f for f in facts_json["facts"]}
    sources = {s["id"]: s for s in facts_json["sources"]}
    listed = facts_of(page(built, "timeline"))
    assert len(listed) == len(by_id_)
    for item in listed:
        fact = by_id_[item.attrs["id"].removeprefix("f-")]
        assert facet(item, "topic") == fact["topics"]
        assert facet(item, "support") == [
            "corroborated" if len(fact["independent_reports"]) > 1 else "single"]
        against = any(e["stance"] == "disputes" for e in fact["evidence"])
        assert facet(item, "stance") == ["contested" if against else "uncontested"]
        assert ("disputed" in facet(item, "status")) == fact["disputed"]
        assert ("noted" in facet(item, "status")) == bool(fact.get("status"))
        meta = next(e for e in item.iter() if "fact-meta" in e.attrs.get("class", ""))
        stamps = [e.attrs["datetime"] for e in meta.iter() if e.tag == "time"]
        assert facet(item, "year") == [stamps[0][:4] if stamps else "undated"]
        outlets = {sources[e["source"]]["outlet"] for e in fact["evidence"]
                   if sources[e["source"]].get("outlet")}
        assert len(facet(item, "outlet")) == len(outlets), fact["id"]


def test_the_bar_counts_what_its_options_would_show(built):
    tree = page(built, LONG)
    facts = facts_of(tree)
    assert len(facts) == 39
    legend = next(e for e in tree.iter() if e.tag == "legend")
    assert legend.text().strip() == "Filter the 39 facts"
    for name in ("topic", "support", "outlet", "year"):
        offered = options(tree, name)
        assert offered, name
        for value, (_, count) in offered.items():
            assert count == sum(value in facet(f, name) for f in facts), (name, value)
            assert count < len(facts), (name, value)  # an option that hides nothing is left out
    assert "defence-ties" not in options(tree, "topic")  # a topic page is all its own topic
    assert options(tree, "support") == {"corroborated": ("Two or more independent reports", 7),
                                        "single": ("A single source", 32)}
    assert list(options(tree, "year"))[-1] == "undated"
    # S-400 has disputed facts: its bar offers status and stance.
    s400 = page(built, "topics/s-400")
    assert options(s400, "status")["disputed"] == ("Disputed", 2)
    assert set(options(s400, "stance")) == {"contested", "uncontested"}
    bar = by_id(tree)["fact-filter-form"]
    assert "hidden" in bar.attrs  # shown by its script: without it every fact is listed


@pytest.mark.parametrize("path", ["", "topics/s-400/", LONG])
def test_each_support_count_links_to_the_list_of_the_facts_it_counts(built, path):
    tree = page(built, path)
    line = next(e for e in tree.iter() if "support-summary" in e.attrs.get("class", ""))
    links = [e for e in line.iter() if e.tag == "a"]
    assert len(links) >= 2
    for link in links:
        href = link.attrs["href"]
        split = urlsplit(href)
        assert split.fragment == "fact-filter"
        target = page(built, "timeline") if path == "" else tree  # its own list, or all
        ((name, (value,)),) = parse_qs(split.query).items()
        matching = [f for f in facts_of(target) if value in facet(f, name)]
        assert int(link.text()) == len(matching), (href, link.text())
    if path == "":
        assert links[0].attrs["href"] == "timeline/?support=corroborated#fact-filter"


def test_a_long_topic_has_a_table_of_contents_by_year(built):
    tree = page(built, LONG)
    toc = next(e for e in tree.iter() if e.tag == "nav" and "year-toc" in e.attrs.get("class", ""))
    entries = [e for e in toc.iter() if e.tag == "li"]
    labels = [next(a for a in e.iter() if a.tag == "a").text() for e in entries]
    assert labels == [*sorted(labels[:-1]), "Undated"]
    cited_list = next(e for e in tree.iter() if e.attrs.get("aria-labelledby") == "cited-heading")
    cited = {f.attrs["id"] for f in facts_of(cited_list)}
    listed = 0
    for entry in entries:
        link = next(a for a in entry.iter() if a.tag == "a")
        group = by_id(tree)[link.attrs["href"].removeprefix("#")]
        count = len(facts_of(group))
        assert entry.text().strip().endswith(f"({count})")
        for fact in facts_of(group):
            assert facet(fact, "year") == [group.attrs["id"].removeprefix("y-")]
            assert fact.attrs["id"] not in cited
        listed += count
    assert listed + len(cited) == 39
    # A short topic needs none.
    short = page(built, "topics/s-400")
    assert not any("year-toc" in e.attrs.get("class", "") for e in short.iter())


# --- in a browser ---


@pytest.fixture(scope="module")
def site_url(built: Path) -> Iterator[str]:
    with serve_pages(built / "site", BASE) as url:
        yield url


def shown_ids(view) -> list[str]:
    facts = view.locator("li.fact:visible")
    return [facts.nth(i).get_attribute("id") for i in range(facts.count())]


def test_a_count_opens_its_facts_filtered_and_the_filters_are_in_the_address(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    view = context.new_page()
    errors: list[str] = []
    view.on("pageerror", lambda e: errors.append(str(e)))
    view.goto(site_url + LONG)
    view.locator(".support-summary a").nth(0).click()  # "7" rest on two or more reports
    view.wait_for_function("() => document.getElementById('fact-filter-count').textContent")
    assert view.url == site_url + LONG + "?support=corroborated#fact-filter"
    assert view.locator("#fact-filter-count").inner_text() == "Showing 7 of 39 facts"
    assert len(shown_ids(view)) == 7
    for fact in view.locator("li.fact:visible").all():
        assert fact.get_attribute("data-support") == "corroborated"
    assert view.locator("select[name=support]").input_value() == "corroborated"
    # Every year group left empty is hidden, and so is its entry in the table of contents.
    for group in view.locator(".year-group").all():
        has = group.locator("li.fact:visible").count() > 0
        assert group.is_visible() == has
        entry = view.locator(f"[data-toc-for='{group.get_attribute('id')}']")
        assert entry.is_visible() == has

    # Another facet narrows further; the address follows.
    view.locator("select[name=outlet]").select_option("mint")
    assert view.url == site_url + LONG + "?outlet=mint&support=corroborated#fact-filter"
    for fact in view.locator("li.fact:visible").all():
        assert "mint" in fact.get_attribute("data-outlet").split()

    # Newest first reverses the dated facts; undated ones stay last.
    view.locator("button[type=reset]").click()
    view.wait_for_function(
        "() => document.getElementById('fact-filter-count').textContent"
        " === 'Showing 39 of 39 facts'")
    groups = view.locator("[data-sort-groups] > .year-group")
    before = [groups.nth(i).get_attribute("id") for i in range(groups.count())]
    view.locator("select[name=sort]").select_option("newest")
    after = [groups.nth(i).get_attribute("id") for i in range(groups.count())]
    assert after == before[::-1] and len(after) >= 2
    assert shown_ids(view)[-1] == view.locator("#y-undated li.fact").last.get_attribute("id")
    assert view.url.endswith("?sort=newest#fact-filter")
    # Nothing overflows a phone's width.
    assert view.evaluate("document.documentElement.scrollWidth") <= 390
    assert errors == []
    context.close()


def test_without_javascript_a_filtered_address_shows_every_fact(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    view = context.new_page()
    view.goto(site_url + "timeline/?status=disputed#fact-filter")
    assert not view.locator("#fact-filter-form").is_visible()
    assert view.locator("#fact-filter").count() == 1  # where the link lands
    assert view.locator("li.fact:visible").count() == view.locator("li.fact").count() == 52
    view.goto(site_url + LONG + "?support=single")
    assert view.locator("li.fact:visible").count() == 39
    assert view.locator(".year-toc").is_visible()
    context.close()


def test_the_home_page_counts_agree_with_the_timeline_they_open(browser, site_url, facts_json):
    disputed = sum(f["disputed"] for f in facts_json["facts"])
    context = browser.new_context()
    view = context.new_page()
    view.goto(site_url)
    view.locator(".support-summary a").nth(2).click()  # "2 are disputed"
    view.wait_for_function("() => document.getElementById('fact-filter-count')?.textContent")
    assert view.url == site_url + "timeline/?status=disputed#fact-filter"
    ids = {i.removeprefix("f-") for i in shown_ids(view)}
    assert ids == {f["id"] for f in facts_json["facts"] if f["disputed"]}
    assert Counter(view.locator("li.fact:visible").evaluate_all(
        "els => els.map(e => e.getAttribute('data-status').includes('disputed'))")) == {
        True: disputed}
    context.close()
