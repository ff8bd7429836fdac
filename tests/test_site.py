"""End to end: the built site keeps the contract. Every claim links to its passage, every passage
links back, every link is relative and resolves, and the data validates."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urldefrag, urljoin

import jsonschema

from conftest import REPO
from htmltree import by_id, links, parse
from sourcebook.selectors.normalize import normalize

ORIGIN = "http://site.invalid/base/"


def page(site: Path, href: str):
    path = site / urldefrag(href)[0]
    if path.is_dir() or href.endswith("/") or not path.suffix:
        path = path / "index.html"
    return parse(path.read_text(encoding="utf-8"))


def seed_text(root: Path, source: str) -> str:
    return (root / "seeds" / f"{source}.txt").read_bytes().decode("utf-8").removeprefix("\ufeff")


def test_facts_json_validates_against_its_schema(facts_json):
    schema = json.loads((REPO / "sourcebook/research/schemas/facts.schema.json").read_text())
    jsonschema.validate(facts_json, schema)


def test_every_quote_is_the_seed_slice(built, facts_json):
    for fact in facts_json["facts"]:
        for evidence in fact["evidence"]:
            text = seed_text(built, evidence["source"])
            assert evidence["quote"] == text[evidence["start"]:evidence["end"]]


def test_every_evidence_href_lands_on_an_element_holding_its_quote(built, facts_json):
    site = built / "site"
    for fact in facts_json["facts"]:
        for evidence in fact["evidence"]:
            path, anchor = urldefrag(evidence["href"])
            element = by_id(page(site, path)).get(anchor)
            assert element is not None, evidence["href"]
            assert element.tag == "mark"
            assert normalize(evidence["quote"]) in normalize(element.text())


def test_every_topic_page_links_to_every_passage_of_its_facts(built, facts_json):
    site = built / "site"
    for topic in facts_json["topics"]:
        base = topic["href"]
        targets = {urljoin(base, href) for href in links(page(site, base))}
        for fact in facts_json["facts"]:
            if topic["id"] in fact["topics"]:
                for evidence in fact["evidence"]:
                    assert evidence["href"] in targets, (topic["id"], evidence["href"])


def test_every_passage_links_back_to_each_topic_that_cites_it(built, facts_json):
    site = built / "site"
    for fact in facts_json["facts"]:
        for evidence in fact["evidence"]:
            source_href = urldefrag(evidence["href"])[0]
            targets = {urljoin(source_href, href) for href in links(page(site, source_href))}
            for topic in fact["topics"]:
                assert f"topics/{topic}/#f-{fact['id']}" in targets


def test_every_internal_link_is_relative_and_resolves(built):
    site = built / "site"
    for html in sorted(site.rglob("*.html")):
        rel = html.relative_to(site).as_posix()
        root = parse(html.read_text(encoding="utf-8"))
        ids_here = set(by_id(root))
        for href in links(root):
            here = rel
            if rel == "404.html" and not href.startswith("#"):
                # Served at any depth, it links from the base path: '/' in this build.
                assert href.startswith(("/", "https://")), href
                href, here = href.removeprefix("/"), "index.html"
            assert not href.startswith("/"), (rel, href)
            if href.startswith(("http://", "https://", "mailto:")):
                continue
            target, fragment = urldefrag(urljoin(ORIGIN + here, href))
            assert target.startswith(ORIGIN), (rel, href)  # never climbs above the site root
            target = target[len(ORIGIN):].partition("?")[0]  # a list opened filtered
            if target == here or (here.endswith("index.html") and target == here[:-10]):
                assert not fragment or fragment in ids_here, (rel, href)
                continue
            path = site / target
            if not target or target.endswith("/") or path.is_dir():
                path = path / "index.html"
            assert path.is_file(), (rel, href)
            if fragment:
                assert fragment in by_id(parse(path.read_text(encoding="utf-8"))), (rel, href)


def test_the_site_has_the_contract_pages(built, facts_json):
    site = built / "site"
    assert (site / "index.html").is_file()
    for topic in facts_json["topics"]:
        assert (site / topic["href"] / "index.html").is_file()
    for source in facts_json["sources"]:
        assert (site / source["href"] / "index.html").is_file()


def test_boilerplate_is_set_apart_and_never_highlighted(built):
    html = (built / "site/sources/004_5baf2666bd463fc4/index.html").read_text(encoding="utf-8")
    root = parse(html)
    boilerplate = [e for e in root.iter() if "boilerplate" in e.attrs.get("class", "")]
    texts = " ".join(e.text() for e in boilerplate)
    assert "Read all the Latest News here" in texts
    assert "Write the first comment for this!" in texts
    assert not any(e.tag == "mark" for b in boilerplate for e in b.iter())


def test_topic_page_shows_statement_numbered_citations_outlet_date_and_quote(built, facts_json):
    root = page(built / "site", "topics/s-400/")
    fact = by_id(root)["f-s400-deal-2018"]
    text = " ".join(fact.text().split())
    assert "In 2018 India signed a deal" in text
    assert "2 independent reports: Indian Defence News, Mint October 2018" in text
    assert "[1] Mint, 23 April 2022" in text and "[2] Indian Defence News, date not given" in text
    assert "US discourages India from relying on Russia for defence needs, says Pentagon" in text
    quotes = [e for e in fact.iter() if e.tag == "blockquote"]
    assert any("USD 5 billion deal" in q.text() for q in quotes)
    # The quote is not folded away (only "Cite this fact" is).
    folded = [e for e in fact.iter() if e.tag == "details"]
    assert [d.attrs["class"] for d in folded] == ["cite-this"]
    assert not any(q for d in folded for q in d.iter() if q.tag == "blockquote")


def test_seed_markup_is_shown_as_text(project):
    from sourcebook.cli import main

    seed = project / "seeds" / "003_4197f04110c4ab2c.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\n<script>alert(1)</script>\n",
                    encoding="utf-8")
    assert main(["--root", str(project), "build"]) == 0
    html = (project / "site/sources/003_4197f04110c4ab2c/index.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
