"""Source pages a reader can follow (issue 15, finding 7): each highlighted passage is numbered
where it begins, so neighbouring passages are told apart by more than colour, its note under
the paragraph carries the same number, and the notes stay lighter than the article's text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from htmltree import Element, parse
from pagesserver import serve_pages

BASE = "/sourcebook-demo/"


def source_pages(built: Path) -> list[Path]:
    return sorted((built / "site" / "sources").glob("*/index.html"))


def with_class(tree: Element, tag: str, name: str) -> list[Element]:
    return [e for e in tree.iter() if e.tag == tag and name in e.attrs.get("class", "").split()]


def test_passages_are_numbered_in_reading_order_and_their_notes_agree(built, facts_json):
    pages = source_pages(built)
    assert len(pages) == len(facts_json["sources"])
    for path in pages:
        tree = parse(path.read_text("utf-8"))
        marks = with_class(tree, "mark", "passage")
        assert marks, path
        # Document order is the order they begin: 1, 2, 3 … with none skipped.
        assert [int(m.attrs["data-n"]) for m in marks] == list(range(1, len(marks) + 1))
        numbers = {m.attrs["id"]: m.attrs["data-n"] for m in marks}
        refs = with_class(tree, "a", "passage-ref")
        assert len(refs) == len(marks)
        for ref in refs:
            anchor = ref.attrs["href"].removeprefix("#")
            (badge,) = with_class(ref, "span", "passage-no")
            assert badge.text() == numbers[anchor]
            # Its accessible name starts with the number a sighted reader sees.
            assert ref.text().strip().startswith(f"{numbers[anchor]} Passage {numbers[anchor]}:")


def test_neighbouring_passages_in_one_paragraph_have_their_own_numbers(built):
    tree = parse(source_pages(built)[1].read_text("utf-8"))
    paragraphs = [p for p in with_class(tree, "div", "para")
                  if len(with_class(p, "mark", "passage")) >= 2]
    assert paragraphs  # the bundled Mint article has two passages in one paragraph
    for paragraph in paragraphs:
        numbers = [m.attrs["data-n"] for m in with_class(paragraph, "mark", "passage")]
        assert len(set(numbers)) == len(numbers)


@pytest.fixture(scope="module")
def site_url(built: Path) -> Iterator[str]:
    with serve_pages(built / "site", BASE) as url:
        yield url


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_numbers_show_but_copy_only_the_words_and_notes_stay_light(browser, built, site_url,
                                                                   scheme):
    name = source_pages(built)[1].parent.name
    context = browser.new_context(color_scheme=scheme, viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(f"{site_url}sources/{name}/")
    marks = page.locator("mark.passage")
    for i in range(marks.count()):
        shown = marks.nth(i).evaluate(
            "m => getComputedStyle(m, '::before').content")
        assert shown == f'"{i + 1}"'
        # The number is drawn, not part of the archived text a reader copies.
        assert not marks.nth(i).evaluate("m => m.textContent").startswith(str(i + 1))
    badge = marks.first.evaluate(
        "m => { const s = getComputedStyle(m, '::before'); return [s.color, s.backgroundColor]; }")
    assert badge[0] != badge[1]
    text_size = page.locator(".para > p").first.evaluate(
        "p => parseFloat(getComputedStyle(p).fontSize)")
    note_size = page.locator(".cited-by").first.evaluate(
        "n => parseFloat(getComputedStyle(n).fontSize)")
    assert note_size <= 0.8 * text_size
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
