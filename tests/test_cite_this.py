"""Issue 15, per-fact permalinks and "cite this": every fact links to its own permanent place,
and offers a plain-text citation and a BibTeX entry, readable without JavaScript and copied
with it."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from htmltree import Element, parse
from pagesserver import serve_pages

BASE = "/sourcebook-demo/"
SITE_URL = "https://sourcebook.example.org/"  # content/site.yaml base_url
ENTRY = re.compile(r"@misc\{fact:([a-z0-9-]+),\n((?:  [a-z]+ = \{.*\},?\n)+)\}\Z")


def fact_items(root: Element) -> list[Element]:
    return [e for e in root.iter()
            if e.tag == "li" and "fact" in e.attrs.get("class", "").split()]


def find(item: Element, cls: str) -> Element:
    return next(e for e in item.iter() if cls in e.attrs.get("class", "").split())


def test_every_fact_has_a_permalink_to_its_place_on_its_topic_page(built: Path, facts_json):
    site = built / "site"
    seen = set()
    for rel in ["timeline", *(f"topics/{t['id']}" for t in facts_json["topics"])]:
        for item in fact_items(parse((site / rel / "index.html").read_text("utf-8"))):
            link = find(item, "permalink")
            # The timeline lists facts without their evidence: its link says where it is.
            assert link.text() == ("See the evidence" if rel == "timeline" else "Permalink")
            path, _, anchor = link.attrs["href"].partition("#")
            target = posixpath.normpath(posixpath.join(rel, path)) if path else rel
            fact_id = item.attrs["id"].removeprefix("f-")
            fact = next(f for f in facts_json["facts"] if f["id"] == fact_id)
            assert target == f"topics/{fact['topics'][0]}", (rel, fact_id)
            assert anchor == item.attrs["id"]
            seen.add(fact_id)
    assert seen == {f["id"] for f in facts_json["facts"]}


def test_each_citation_names_the_fact_its_permalink_and_its_evidence(built: Path, facts_json):
    html = (built / "site" / "topics" / "defence-ties" / "index.html").read_text("utf-8")
    facts = {f["id"]: f for f in facts_json["facts"]}
    items = fact_items(parse(html))
    assert items
    for item in items:
        fact_id = item.attrs["id"].removeprefix("f-")
        permalink = f"{SITE_URL}topics/{facts[fact_id]['topics'][0]}/#f-{fact_id}"
        plain = " ".join(item_by_id(item, f"f-{fact_id}-plain").text().split())
        assert plain.startswith(f"“{facts[fact_id]['statement'].rstrip('.')}.”")
        assert permalink in plain and plain.endswith("Licence: CC BY 4.0.")
        bibtex = item_by_id(item, f"f-{fact_id}-bibtex").text()
        match = ENTRY.match(bibtex)
        assert match and match.group(1) == fact_id, bibtex
        fields = dict(re.findall(r"  ([a-z]+) = \{(.*)\},?\n", match.group(2)))
        assert fields["url"] == permalink and set(fields) == {"title", "url", "note"}
        for value in fields.values():  # braces balance, and specials are escaped
            assert value.count("{") == value.count("}")
            assert not re.search(r"(?<!\\)[$%&#_]", value.replace(permalink, ""))


def item_by_id(item: Element, element_id: str) -> Element:
    return next(e for e in item.iter() if e.attrs.get("id") == element_id)


@pytest.fixture(scope="module")
def site_url(built: Path) -> Iterator[str]:
    with serve_pages(built / "site", BASE) as url:
        yield url


def test_copy_puts_the_citation_on_the_clipboard_and_says_so(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 740})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(site_url + "topics/s-400/")
    page.click("#f-s400-deal-2018 .cite-this summary")
    button = page.locator("#f-s400-deal-2018 button[data-copy$='-plain']")
    assert button.is_visible()
    button.click()
    status = page.locator("#f-s400-deal-2018 .copy-status")
    status.filter(has_text="Copied.").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#f-s400-deal-2018-plain").text_content()
    assert "#f-s400-deal-2018" in copied
    context.close()


def test_without_javascript_the_citations_are_text_and_no_dead_button(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "topics/s-400/")
    assert page.locator("#f-s400-deal-2018 .permalink").is_visible()
    page.click("#f-s400-deal-2018 .cite-this summary")
    assert page.locator("#f-s400-deal-2018-bibtex").is_visible()
    assert not page.locator("#f-s400-deal-2018 button.copy").first.is_visible()
    context.close()
