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


def fact_items(html: bytes) -> list[Element]:
    return [e for e in parse(html.decode()).iter() if e.tag == "li" and has_class(e, "fact")]


def test_an_entity_with_many_facts_lists_each_as_a_line_linking_to_its_evidence(
        project: Path, monkeypatch):
    """Issue 16: at 10,000 sources an entity page held 900 facts with every quotation; past
    FULL_FACTS each fact is one line, its quotations one link away on its topic page."""
    from sourcebook.engine.pipeline import build_in_memory
    from sourcebook.site.pages import entities

    page = "entities/sergei-lavrov/index.html"
    full = build_in_memory(project).pages
    monkeypatch.setattr(entities, "FULL_FACTS", 1)
    compact = build_in_memory(project).pages
    before, after = fact_items(full[page]), fact_items(compact[page])
    assert len(after) == len(before) > 1
    assert len(compact[page]) < len(full[page]) / 2
    assert all(has_class(e, "fact-line") for e in after)
    quotes = [e for e in parse(full[page].decode()).iter() if e.tag == "blockquote"]
    assert quotes and not [e for e in parse(compact[page].decode()).iter()
                           if e.tag == "blockquote"]
    for item in after:
        (link,) = [a for a in item.iter() if a.tag == "a" and has_class(a, "permalink")]
        target, fragment = link.attrs["href"].split("#")
        assert target.startswith("../../topics/") and fragment == item.attrs["id"]
        topic = posixpath.normpath(posixpath.join("entities/sergei-lavrov", target))
        assert f'id="{fragment}"' in compact[f"{topic}/index.html"].decode()
    assert not any(has_class(e, "fact-line") for e in before)
