"""A reader in headless Chromium: a citation opens the highlighted passage, the quote shows on
demand, and the passage links back. Uses Debian's chromium (the flags are conftest.FLAGS)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pagesserver import serve_pages

BASE = "/sourcebook-demo/"


@pytest.fixture(scope="module")
def site_url(built: Path) -> Iterator[str]:
    with serve_pages(built / "site", BASE) as url:
        yield url


def test_citation_leads_to_the_highlighted_passage_and_back(browser, site_url):
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_url + "topics/s-400/")
    fact = page.locator("#f-s400-deal-2018")
    quote = fact.locator("blockquote").first
    assert quote.is_visible()  # on the page, not behind a click
    assert "USD 5 billion deal" in quote.inner_text()

    fact.locator(".citation a").first.click()
    page.wait_for_url("**/sources/000_0a8abdfef13416d9/#p-s400-deal-2018")
    passage = page.locator("#p-s400-deal-2018")
    assert passage.evaluate("el => el.matches(':target')")
    assert "USD 5 billion deal with Russia" in passage.inner_text()
    assert passage.is_visible()

    back = page.locator('a[href="../../topics/s-400/#f-s400-deal-2018"]')
    back.first.click()
    page.wait_for_url("**/topics/s-400/#f-s400-deal-2018")
    assert errors == []
    page.close()


def test_pages_read_on_a_phone_without_horizontal_scroll(browser, site_url):
    page = browser.new_page(viewport={"width": 360, "height": 740})
    for path in ("", "topics/s-400/", "sources/002_7bf14ee84c1d808c/"):
        page.goto(site_url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (path, overflow)
    page.close()


def test_print_shows_every_citation_with_its_quotation(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "topics/caatsa/")
    citation = page.locator("#cite-1")
    page.emulate_media(media="print")
    assert citation.is_visible()
    assert citation.locator("blockquote").is_visible()
    navs = page.locator(".site-header nav")
    assert navs.count() == 2
    assert not any(navs.nth(i).is_visible() for i in range(2))
    page.close()


def test_the_header_search_box_takes_a_query_to_the_search_page(browser, site_url):
    """Issue 15: a search box in the header of every page but the search page itself."""
    page = browser.new_page()
    page.goto(site_url + "topics/quad/")
    page.fill("#header-q", "jayashankar")
    page.press("#header-q", "Enter")
    page.wait_for_url("**/search/?q=jayashankar")
    page.wait_for_function("document.getElementById('search-status').textContent"
                           ".includes('jayashankar')")
    assert page.locator("#search-results li").count() > 0
    assert page.input_value("#search-q") == "jayashankar"
    assert page.locator("#header-q").count() == 0  # one search form on the search page
    page.close()
