"""Issue 15, no dead ends: every entity page lists a fact, or the archived sources whose text
names the entity (by name or alias), each linked."""

from __future__ import annotations

import posixpath
from pathlib import Path

from htmltree import Element, parse


def has_class(element: Element, name: str) -> bool:
    return name in element.attrs.get("class", "").split()


def test_no_entity_page_is_a_dead_end(built: Path):
    site = built / "site"
    pages = sorted(p.parent.name for p in (site / "entities").glob("*/index.html"))
    assert len(pages) >= 20
    for entity in pages:
        root = parse((site / "entities" / entity / "index.html").read_text("utf-8"))
        facts = [e for e in root.iter() if e.tag == "li" and has_class(e, "fact")]
        named = [a for e in root.iter() if has_class(e, "named-in")
                 for a in e.iter() if a.tag == "a"]
        assert facts or named, entity
        for link in named:
            target = posixpath.normpath(posixpath.join(f"entities/{entity}", link.attrs["href"]))
            assert target.startswith("sources/") and (site / target / "index.html").is_file()


def test_an_entity_in_no_fact_lists_the_sources_that_name_it(built: Path):
    seeds = {p.stem: p.read_text("utf-8") for p in (built / "seeds").glob("*.txt")}
    html = (built / "site" / "entities" / "lalit-k-jha" / "index.html").read_text("utf-8")
    root = parse(html)
    assert not [e for e in root.iter() if e.tag == "li" and has_class(e, "fact")]
    links = [a.attrs["href"] for e in root.iter() if has_class(e, "named-in")
             for a in e.iter() if a.tag == "a"]
    naming = sorted(name for name, text in seeds.items() if "Lalit K Jha" in text)
    assert naming and links == [f"../../sources/{name}/" for name in naming]
