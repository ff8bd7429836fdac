"""Issue 15, evidence a reader can judge at a glance: each fact's support comes first in its
meta line, a wire agency's copy names the outlet that carried it, topic chips are links, and a
source page says that its collection date is not its publication date."""

from __future__ import annotations

import posixpath
from pathlib import Path

from htmltree import Element, parse

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
