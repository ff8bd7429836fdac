"""Issue 15, claim → evidence and back: an introduction's footnotes read in order, each cited
fact links back to the marks that cite it (Wikipedia's ^ a b), the quotation is on the page, and
on a phone a tap on a mark shows the quotation without leaving the sentence."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from pagesserver import serve_pages

BASE = "/sourcebook-demo/"
MARK = re.compile(r'href="#cite-(\d+)"')


def intro_numbers(html: str) -> list[int]:
    intro = html[html.index('<div class="intro">'):html.index('id="facts-heading"')]
    return [int(n) for n in MARK.findall(intro)]


def first_seen(numbers: list[int]) -> list[int]:
    return list(dict.fromkeys(numbers))


@pytest.mark.parametrize("topic", ["s-400", "caatsa", "ak-203", "quad", "defence-ties"])
def test_footnotes_are_numbered_in_reading_order(built: Path, topic: str):
    html = (built / "site" / "topics" / topic / "index.html").read_text("utf-8")
    numbers = intro_numbers(html)
    assert numbers, topic
    # Each new number is the next one; a fact cited again reuses its number, as on Wikipedia.
    assert first_seen(numbers) == list(range(1, len(first_seen(numbers)) + 1)), numbers


def test_every_cited_fact_links_back_to_each_mark_that_cites_it(built: Path):
    html = (built / "site" / "topics" / "caatsa" / "index.html").read_text("utf-8")
    marks = re.findall(r'<sup class="fact-ref" id="(ref-([a-z0-9-]+)-(\d+))">', html)
    assert marks
    counts: dict[str, int] = {}
    for _, fact_id, n in marks:
        counts[fact_id] = max(counts.get(fact_id, 0), int(n))
    repeated = [f for f, n in counts.items() if n > 1]
    assert repeated, "the CAATSA introduction cites one fact twice"
    for fact_id, times in counts.items():
        entry = html[html.index(f'<li id="f-{fact_id}"'):]
        entry = entry[:entry.index('class="citations"')]  # the fact's lines above its evidence
        links = re.findall(r'<p class="backlinks">(.*?)</p>', entry)
        assert len(links) == 1, fact_id
        hrefs = re.findall(r'href="#(ref-[^"]+)"', links[0])
        assert hrefs == [f"ref-{fact_id}-{n}" for n in range(1, times + 1)]
        texts = re.findall(r'>([^<]+)</a>', links[0])
        assert texts == (["^"] if times == 1 else ["a", "b", "c", "d"][:times])


def test_the_quotation_is_on_the_page_without_a_click(built: Path):
    html = (built / "site" / "topics" / "s-400" / "index.html").read_text("utf-8")
    assert "<details>" not in html and "Show the quotation" not in html
    assert html.count('<li id="cite-') == html.count("<blockquote cite=")


@pytest.fixture(scope="module")
def site_url(built: Path) -> Iterator[str]:
    with serve_pages(built / "site", BASE) as url:
        yield url


def test_a_tap_on_a_phone_shows_the_quote_and_keeps_the_sentence(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 740}, has_touch=True,
                                  is_mobile=True, device_scale_factor=2)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_url + "topics/s-400/")
    mark = page.locator(".intro .fact-ref a").nth(2)
    mark.scroll_into_view_if_needed()
    href = mark.get_attribute("href")
    quote = page.locator(f"li.citation[id='{href[1:]}'] blockquote").inner_text()
    before = page.evaluate("location.hash")
    mark.tap()
    sheet = page.locator("#cite-sheet")
    sheet.wait_for(state="visible")
    assert " ".join(quote.split()) in " ".join(sheet.inner_text().split())
    assert page.evaluate("location.hash") == before  # no jump to the list of citations
    # The sentence that cites it is still in sight, above the sheet.
    box, view = mark.bounding_box(), page.viewport_size
    sheet_top = sheet.bounding_box()["y"]
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= sheet_top <= view["height"]
    # One more tap reaches the highlighted passage in the archived article.
    passage = sheet.get_by_role("link", name="Read it highlighted in the article")
    assert "/sources/" in passage.get_attribute("href")
    sheet.get_by_role("button", name="Close").tap()
    assert not sheet.is_visible()
    assert errors == []
    context.close()


def test_a_back_link_returns_to_the_citing_sentence(browser, site_url):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + "topics/caatsa/")
    mark = page.locator(".intro sup.fact-ref").first
    mark_id = mark.get_attribute("id")
    fact_id = re.fullmatch(r"ref-(.+)-1", mark_id).group(1)
    back = page.locator(f"#f-{fact_id} .backlinks a").first
    back.scroll_into_view_if_needed()
    back.click()
    page.wait_for_url(f"**/topics/caatsa/#{mark_id}")
    assert mark.evaluate("el => el.matches(':target')")
    top = mark.bounding_box()["y"]
    assert 100 <= top < 900  # in sight, with the lines before it for context
    page.close()
