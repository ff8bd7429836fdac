"""Issue 15, evidence a reader can judge at a glance: each fact's support comes first in its
meta line, a wire agency's copy names the outlet that carried it, topic chips are links, and a
source page says that its collection date is not its publication date."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from pathlib import Path

import pytest

from htmltree import Element, parse
from pagesserver import serve_pages

PAGES = ["topics/s-400", "topics/defence-ties", "timeline", "entities/s-jaishankar"]


def page(built: Path, rel: str) -> Element:
    return parse((built / "site" / rel / "index.html").read_text("utf-8"))


def classes(element: Element) -> set[str]:
    return set(element.attrs.get("class", "").split())


def test_the_support_of_every_fact_is_the_first_thing_in_its_meta_line(built: Path):
    seen = 0
    for rel in PAGES:
        for meta in (e for e in page(built, rel).iter() if "fact-meta" in classes(e)):
            children = [p for p in meta.parts if isinstance(p, Element)]
            assert children and "support" in classes(children[0]), (rel, meta.text()[:80])
            seen += 1
    assert seen >= 52


def test_a_wire_copy_names_the_agency_and_the_outlet_that_carried_it(built: Path):
    root = page(built, "topics/defence-ties")
    supports = {" ".join(e.text().split()) for e in root.iter() if "support" in classes(e)}
    assert "Reported only by PTI (wire copy, carried by Rediff.com)" in supports
    assert "Reported only by PTI" not in supports  # never without its carrier
    sources = {e.text() for e in root.iter() if "cite-source" in classes(e)}
    assert any(text.startswith("Rediff.com (PTI), ") for text in sources), sources


def test_topic_chips_are_links_to_their_topic_pages(built: Path):
    site = built / "site"
    chips = [e for e in page(built, "timeline").iter() if "topic-chip" in classes(e)]
    assert chips
    for chip in chips:
        assert chip.tag == "a", chip
        target = posixpath.normpath(posixpath.join("timeline", chip.attrs["href"]))
        assert (site / target / "index.html").is_file(), chip.attrs["href"]
        assert target.startswith("topics/")


def test_a_source_page_says_when_its_text_was_collected_not_retrieved(built: Path):
    for source in sorted((built / "site" / "sources").glob("*/index.html")):
        root = parse(source.read_text("utf-8"))
        terms = [" ".join(e.text().split()) for e in root.iter() if e.tag == "dt"]
        assert "Retrieved" not in terms and "Collected" in terms, source
        collected = next(e for e in root.iter() if e.tag == "dd"
                         and "Text archived on" in e.text())
        assert "not when it was published" in collected.text()


@pytest.fixture(scope="module")
def site_url(built: Path) -> Iterator[str]:
    with serve_pages(built / "site", "/sourcebook-demo/") as url:
        yield url


@pytest.mark.parametrize("rel", ["topics/s-400/", "topics/defence-ties/",
                                 "sources/003_4197f04110c4ab2c/"])
def test_designations_such_as_s400_never_break_at_their_hyphen_on_a_phone(browser, site_url,
                                                                         rel: str):
    page = browser.new_page(viewport={"width": 390, "height": 740})
    page.goto(site_url + rel)
    lines = page.eval_on_selector_all(
        ".nobr", "els => els.map(e => [e.textContent, e.getClientRects().length])")
    page.close()
    assert {text for text, _ in lines} & {"S-400", "Su-30"}, lines
    assert all(count == 1 for _, count in lines), [t for t, c in lines if c != 1]


def test_a_designation_keeps_its_characters(built: Path):
    html = (built / "site" / "topics" / "s-400" / "index.html").read_text("utf-8")
    assert '<span class="nobr">S-400</span>' in html  # a hyphen-minus, not U+2011
    assert "\u2011" not in html
