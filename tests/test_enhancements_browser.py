"""The site's JavaScript enhancements in headless Chromium, and the pages without them:
citation previews (static/cite-preview.js), the timeline's topic filter (static/filter.js)
and what a reader gets with JavaScript turned off. The built site's data/facts.json is the
oracle for quotations, sources and counts."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Browser, Locator, Page

from pagesserver import serve_pages

BASE = "/sourcebook-demo/"
TOPIC = "topics/s-400/"
DISPUTES = "\u2014 disputes this fact"


@pytest.fixture(scope="module")
def site_url(built: Path) -> Iterator[str]:
    with serve_pages(built / "site", BASE) as url:
        yield url


@contextmanager
def watched_page(browser: Browser, **context_options) -> Iterator[tuple[Page, list[str]]]:
    """A page in a fresh context, collecting console errors and uncaught page errors."""
    context = browser.new_context(**context_options)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        yield page, errors
    finally:
        context.close()


def squash(text: str) -> str:
    return " ".join(text.split())


def evidence_by_href(facts_json: dict) -> dict[str, tuple[dict, dict]]:
    """Site-relative passage address (`sources/<id>/#p-...`) → (fact, evidence)."""
    found: dict[str, tuple[dict, dict]] = {}
    for fact in facts_json["facts"]:
        for evidence in fact["evidence"]:
            found[evidence["href"]] = (fact, evidence)
    return found


def site_relative(href: str, page_url: str, site_url: str) -> str:
    """An href on the page at page_url, as a path relative to the site root."""
    absolute = urljoin(page_url, href)
    assert absolute.startswith(site_url), (href, absolute)
    return absolute[len(site_url):]


def dated_facts(facts_json: dict) -> list[dict]:
    return [fact for fact in facts_json["facts"] if fact.get("date") is not None]


def outlet_of(facts_json: dict, source_id: str) -> str:
    source = next(s for s in facts_json["sources"] if s["id"] == source_id)
    return source["outlet"] or source["title"]


def popover_text(page: Page) -> tuple[str, str]:
    box = page.locator("#cite-popover")
    assert box.is_visible()
    assert box.get_attribute("role") == "tooltip"
    quote = squash(box.locator(".cite-popover-quote").inner_text())
    source = squash(box.locator(".cite-popover-source").inner_text())
    return quote, source


def assert_previews(page: Page, link: Locator, citation: Locator, expected_quote: str,
                    outlet: str, disputes: bool) -> None:
    """The popover shows the citation's quotation and source and is tied to the link."""
    quote, source = popover_text(page)
    assert quote == "\u201c" + squash(expected_quote) + "\u201d"
    label = squash(citation.locator(".cite-source").inner_text())
    assert source.startswith(label), (source, label)
    assert outlet in source
    assert source.endswith(DISPUTES) is disputes, source
    assert link.get_attribute("aria-describedby") == "cite-popover"


def tab_to(page: Page, link: Locator, limit: int = 400) -> None:
    """Press Tab, as a keyboard user does, until the link has the focus."""
    handle = link.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("el => document.activeElement === el", handle):
            return
    pytest.fail(f"Tab never reached {link}")


# --- 1. citation previews ---------------------------------------------------------------------


def test_hovering_a_citation_previews_its_quotation_and_source(browser, site_url, facts_json):
    by_href = evidence_by_href(facts_json)
    with watched_page(browser) as (page, errors):
        page.goto(site_url + TOPIC)
        popover = page.locator("#cite-popover")
        citations = page.locator("li.citation:has(> a.cite-link)")
        assert citations.count() >= 2
        assert not popover.is_visible()

        checked = Counter()
        for i in range(citations.count()):
            citation = citations.nth(i)
            link = citation.locator("a.cite-link")
            fact, evidence = by_href[site_relative(link.get_attribute("href"), page.url,
                                                   site_url)]
            against = "against" in citation.get_attribute("class").split()
            assert against is (evidence["stance"] == "disputes"), evidence
            assert citation.locator(f"xpath=ancestor::li[@id='f-{fact['id']}']").count() == 1

            link.hover()
            assert_previews(page, link, citation, evidence["quote"],
                            outlet_of(facts_json, evidence["source"]), disputes=against)
            # The quotation is shown in a popover, not by opening the citation's details.
            assert not citation.locator("details blockquote").is_visible()

            page.mouse.move(1, 1)  # away from every link
            assert not popover.is_visible()
            assert link.get_attribute("aria-describedby") is None
            checked["against" if against else "supports"] += 1

        assert checked["against"] >= 1 and checked["supports"] >= 1, checked
        assert page.locator("[aria-describedby]").count() == 0
        assert errors == []


def test_a_disputing_citation_says_it_disputes_the_fact(browser, site_url, facts_json):
    by_href = evidence_by_href(facts_json)
    disputing = {href for href, (_, ev) in by_href.items() if ev["stance"] == "disputes"}
    assert disputing, "the bundled project has disputed facts"
    with watched_page(browser) as (page, errors):
        page.goto(site_url + TOPIC)
        citation = page.locator("li.citation.against").first
        link = citation.locator("a.cite-link")
        href = site_relative(link.get_attribute("href"), page.url, site_url)
        assert href in disputing
        fact, evidence = by_href[href]
        fact_class = citation.locator("xpath=ancestor::li[contains(@class, 'fact')]")
        assert "disputed" in fact_class.get_attribute("class").split()
        assert fact["disputed"] is True

        link.hover()
        quote, source = popover_text(page)
        assert squash(evidence["quote"]) in quote
        assert source.endswith(DISPUTES)

        # A supporting citation of the same fact does not say so.
        fact_item = page.locator(f"#f-{fact['id']}")
        supporting = fact_item.locator("li.citation:not(.against) a.cite-link").first
        supporting.hover()
        assert DISPUTES not in popover_text(page)[1]
        assert errors == []


def test_keyboard_focus_shows_the_preview_and_escape_hides_it(browser, site_url, facts_json):
    by_href = evidence_by_href(facts_json)
    with watched_page(browser) as (page, errors):
        page.goto(site_url + TOPIC)
        popover = page.locator("#cite-popover")
        citation = page.locator("li.citation.against").first
        link = citation.locator("a.cite-link")
        _, evidence = by_href[site_relative(link.get_attribute("href"), page.url, site_url)]

        tab_to(page, link)
        assert_previews(page, link, citation, evidence["quote"],
                        outlet_of(facts_json, evidence["source"]), disputes=True)

        page.keyboard.press("Escape")
        assert not popover.is_visible()
        assert link.get_attribute("aria-describedby") is None
        assert page.evaluate("el => document.activeElement === el", link.element_handle())

        # Focus moving on from a citation closes its preview too.
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
        assert popover.is_visible()
        page.keyboard.press("Tab")
        assert not page.evaluate("el => document.activeElement === el", link.element_handle())
        assert not popover.is_visible()
        assert link.get_attribute("aria-describedby") is None
        assert errors == []


def test_footnote_marks_in_the_intro_preview_their_citation(browser, site_url, facts_json):
    statements = {fact["statement"]: fact for fact in facts_json["facts"]}
    with watched_page(browser) as (page, errors):
        page.goto(site_url + TOPIC)
        popover = page.locator("#cite-popover")
        marks = page.locator(".intro .fact-ref a:not(.disputed-mark)")
        assert marks.count() >= 2
        for i in range(marks.count()):
            mark = marks.nth(i)
            href = mark.get_attribute("href")
            assert href.startswith("#cite-"), href
            citation = page.locator(f"li.citation[id='{href[1:]}']")
            assert citation.count() == 1
            # The mark names the fact it cites; the preview quotes that fact's evidence.
            label = re.sub(r"^Source \d+: ", "", mark.get_attribute("aria-label"))
            fact = statements[label]
            against = "against" in citation.get_attribute("class").split()
            evidence = next(
                ev for ev in fact["evidence"]
                if site_relative(citation.locator("a.cite-link").get_attribute("href"),
                                 page.url, site_url) == ev["href"])

            mark.hover()
            assert_previews(page, mark, citation, evidence["quote"],
                            outlet_of(facts_json, evidence["source"]), disputes=against)
            page.mouse.move(1, 1)
            assert not popover.is_visible()
            # An intro cites a fact by the evidence for it, never the evidence against it.
            assert not against, href

        # A disputed fact cited in the intro is marked so: the mark names the evidence against
        # it, and its preview quotes that evidence as disputing the fact.
        disputed = page.locator(".intro .fact-ref a.disputed-mark")
        assert disputed.count() >= 1
        for i in range(disputed.count()):
            mark = disputed.nth(i)
            label = mark.get_attribute("aria-label")
            number, statement = re.fullmatch(
                r"Disputed: (\d+), evidence against: (.+)", label).groups()
            fact = statements[statement]
            assert fact["disputed"] and mark.get_attribute("href") == f"#cite-{number}"
            assert mark.inner_text() == f"[disputed: {number}]"
            citation = page.locator(f"li.citation[id='cite-{number}']")
            assert "against" in citation.get_attribute("class").split()
            evidence = next(
                ev for ev in fact["evidence"]
                if site_relative(citation.locator("a.cite-link").get_attribute("href"),
                                 page.url, site_url) == ev["href"])
            assert evidence["stance"] == "disputes"
            mark.hover()
            assert_previews(page, mark, citation, evidence["quote"],
                            outlet_of(facts_json, evidence["source"]), disputes=True)
            page.mouse.move(1, 1)

        # Keyboard too: the first mark in the intro.
        first = marks.first
        tab_to(page, first)
        assert popover.is_visible()
        assert first.get_attribute("aria-describedby") == "cite-popover"
        page.keyboard.press("Escape")
        assert not popover.is_visible()
        assert errors == []


# --- 2. without JavaScript --------------------------------------------------------------------


def test_without_javascript_citations_are_links_to_the_archived_passage(
        browser, site_url, facts_json):
    by_href = evidence_by_href(facts_json)
    with watched_page(browser, java_script_enabled=False) as (page, errors):
        page.goto(site_url + TOPIC)
        links = page.locator("a.cite-link")
        targets = [site_relative(links.nth(i).get_attribute("href"), page.url, site_url)
                   for i in range(links.count())]
        assert targets

        # Hovering does nothing but hover: no popover.
        links.first.hover()
        assert page.locator("#cite-popover").count() == 0

        # Clicking a (disputing) citation opens the passage it cites.
        against = page.locator("li.citation.against a.cite-link").first
        target = site_relative(against.get_attribute("href"), page.url, site_url)
        against.click()
        page.wait_for_url(site_url + target)
        passage_id = urlsplit(target).fragment
        assert passage_id.startswith("p-")
        passage = page.locator(f"[id='{passage_id}']")
        assert passage.count() == 1
        assert page.locator(":target").get_attribute("id") == passage_id
        assert passage.is_visible()
        assert squash(by_href[target][1]["quote"]) in squash(passage.inner_text())

        # And every citation on the topic page points at a passage that holds its quote.
        by_page: dict[str, list[str]] = {}
        for target in targets:
            path, _, fragment = target.partition("#")
            by_page.setdefault(path, []).append(fragment)
        for path, fragments in by_page.items():
            response = page.goto(site_url + path)
            assert response is not None and response.status == 200, path
            for fragment in fragments:
                passage = page.locator(f"[id='{fragment}']")
                assert passage.count() == 1, (path, fragment)
                quote = by_href[f"{path}#{fragment}"][1]["quote"]
                assert squash(quote) in squash(passage.inner_text()), (path, fragment)
        assert errors == []


def test_without_javascript_the_timeline_shows_every_dated_fact(browser, site_url, facts_json):
    dated = dated_facts(facts_json)
    assert dated
    with watched_page(browser, java_script_enabled=False) as (page, errors):
        page.goto(site_url + "timeline/")
        items = page.locator(".timeline-year li.fact")
        assert items.count() == len(dated)
        assert page.locator(".timeline-year li.fact:visible").count() == len(dated)
        ids = {items.nth(i).get_attribute("id") for i in range(items.count())}
        assert ids == {f"f-{fact['id']}" for fact in dated}
        # ... and every undated one after them: the page leaves no fact out.
        assert page.locator("li.fact:visible").count() == len(facts_json["facts"])
        assert not page.locator("#fact-filter-form").is_visible()
        assert errors == []


def test_without_javascript_search_says_so_and_links_elsewhere(browser, site_url):
    with watched_page(browser, java_script_enabled=False) as (page, errors):
        page.goto(site_url + "search/")
        status = page.locator("#search-status")
        assert status.is_visible()
        assert "Search needs JavaScript" in status.inner_text()
        links = status.locator("a")
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        assert {"../timeline/", "../entities/"} <= set(hrefs), hrefs
        for href in hrefs:
            page.goto(site_url + "search/")
            with page.expect_navigation() as navigation:
                page.locator("#search-status").locator(f"a[href='{href}']").click()
            response = navigation.value
            assert response is not None and response.status == 200, href
            assert page.url == urljoin(site_url + "search/", href)
            assert page.locator("h1").count() == 1
        assert errors == []

    # With JavaScript the message gives way to the search itself.
    with watched_page(browser) as (page, errors):
        page.goto(site_url + "search/")
        page.wait_for_function(
            "() => !document.getElementById('search-status').textContent"
            ".includes('needs JavaScript')")
        assert errors == []


# --- 3. the timeline's topic filter -----------------------------------------------------------


def visible_dates(page: Page) -> list[str]:
    shown = page.locator(".timeline-year li.fact:visible")
    return [shown.nth(i).locator(".fact-meta > time").get_attribute("datetime")
            for i in range(shown.count())]


def assert_chronological(page: Page) -> None:
    dates = visible_dates(page)
    assert all(re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", d) for d in dates), dates
    # ISO dates at any precision sort as strings: "2021-12" before "2021-12-01".
    assert dates == sorted(dates), dates
    # Each shown fact sits under the heading of its year.
    years = page.locator(".timeline-year:visible")
    for i in range(years.count()):
        year = years.nth(i).locator("h2").inner_text().strip()
        facts = years.nth(i).locator("li.fact:visible")
        assert facts.count() >= 1, year
        for j in range(facts.count()):
            stamp = facts.nth(j).locator(".fact-meta > time").get_attribute("datetime")
            assert stamp.startswith(year), (year, stamp)


def test_timeline_filter_shows_only_the_chosen_topic(browser, site_url, facts_json):
    listed = facts_json["facts"]  # the dated ones by year, then the undated ones
    per_topic = Counter(topic for fact in listed for topic in fact["topics"])
    with watched_page(browser) as (page, errors):
        page.goto(site_url + "timeline/")
        form = page.locator("#fact-filter-form")
        assert form.is_visible()
        select = form.locator("select[name=topic]")
        options = select.locator("option")
        topics = [options.nth(i).get_attribute("value") for i in range(1, options.count())]
        assert set(topics) == set(per_topic)
        status = page.locator("#fact-filter-count")
        total = len(listed)
        assert status.inner_text().strip() == f"Showing {total} of {total} facts"
        assert page.locator("li.fact:visible").count() == total
        assert page.locator(".timeline-year li.fact").count() == len(dated_facts(facts_json))
        assert_chronological(page)

        for topic in topics:
            select.select_option(topic)
            shown = page.locator("li.fact:visible")
            assert shown.count() == per_topic[topic], topic
            for i in range(shown.count()):
                assert topic in shown.nth(i).get_attribute("data-topic").split()
            hidden = page.locator("li.fact:not(:visible)")
            for i in range(hidden.count()):
                assert topic not in hidden.nth(i).get_attribute("data-topic").split()
            label = select.locator(f"option[value='{topic}']").inner_text()
            assert label.strip().endswith(f"({per_topic[topic]})"), label
            assert status.inner_text().strip() == f"Showing {per_topic[topic]} of {total} facts"
            # No empty year heading is left standing.
            years = page.locator(".timeline-year:visible, .timeline-undated:visible")
            for i in range(years.count()):
                assert years.nth(i).locator("li.fact:visible").count() >= 1
            assert_chronological(page)
            assert page.url.endswith(f"?topic={topic}")

        # "All" shows every fact again.
        select.select_option("")
        assert page.locator("li.fact:visible").count() == total
        assert status.inner_text().strip() == f"Showing {total} of {total} facts"
        assert page.url == site_url + "timeline/"
        assert_chronological(page)
        assert errors == []
