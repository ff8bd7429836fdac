"""The outlet pages: an index and a page per outlet, with its articles (agency copies noted), the
facts it reports and which other independent reports corroborate them; derived from the
research the way every other page is."""

from __future__ import annotations

import re
from pathlib import Path

from htmltree import parse
from minisite import make_project
from sourcebook.cli import main


def annotation(title: str, meta: str, *claims: tuple[str, str, str, str]) -> str:
    """An annotation; a claim is (fact, quote, statement or "", more YAML lines)."""
    lines = [f"title: {title}", meta.rstrip("\n"), "claims:"] if meta else [
        f"title: {title}", "claims:"]
    for fact, quote, statement, extra in claims:
        lines += [f"  - fact: {fact}", f'    quote: "{quote}"', "    topics: [t]"]
        if statement:
            lines.append(f"    statement: {statement}")
        lines += [line for line in extra.splitlines() if line]
    return "\n".join(lines) + "\n"


def text_of(path: Path) -> str:
    """The visible text of a page's main element, whitespace collapsed."""
    html = path.read_text("utf-8")
    main_part = html[html.index("<main"):html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main_part).split())


def outlet_project(root: Path) -> Path:
    seeds = {
        "a": "The ministry signed the deal on Monday. Officials welcomed it.",
        "b": "The ministry signed the deal on Monday, the agency reported.",
        "c": "The ministry signed the deal on Monday. Critics say it was never signed.",
        "d": "A report without an outlet says the deal was signed.",
    }
    sources = {
        "a": annotation("Deal signed", "outlet: Mint\npublished: 2022-01-03\n",
                        ("deal-signed", "The ministry signed the deal on Monday.",
                         "The ministry signed the deal.", ""),
                        ("officials-welcomed", "Officials welcomed it.",
                         "Officials welcomed the deal.", "")),
        "b": annotation("Deal signed, agency says", "outlet: The Hindu\nagency: PTI\n",
                        ("deal-signed", "The ministry signed the deal on Monday", "", "")),
        "c": annotation("Doubts over the deal", "outlet: mint\n",
                        ("deal-signed", "Critics say it was never signed.", "",
                         "    stance: disputes\n")),
        "d": annotation("Unsourced", "", ("deal-signed", "the deal was signed", "", "")),
    }
    root = make_project(root, seeds, sources)
    (root / "content/site.yaml").write_text("title: T\nbase_url: https://x.test/r/\n", "utf-8")
    return root


def test_outlets_group_articles_and_count_corroboration_by_independent_reports(tmp_path):
    root = outlet_project(tmp_path / "p")
    assert main(["--root", str(root), "build"]) == 0
    site = root / "site"
    # "Mint" and "mint" are one outlet, named as its first article writes it.
    assert sorted(p.name for p in (site / "outlets").iterdir() if p.is_dir()) == [
        "mint", "the-hindu"]
    index = text_of(site / "outlets/index.html")
    assert "Mint · 2 articles · 2 facts reported · 1 corroborated by another report" in index
    assert "The Hindu · 1 article · 1 fact reported · 1 corroborated" in index
    assert "1 archived article does not name its outlet." in index

    mint = text_of(site / "outlets/mint/index.html")
    assert "2 archived articles · 2 facts reported · 1 of 2 corroborated" in mint
    # The deal is corroborated by PTI's copy and by the article that names no outlet; the
    # welcome is Mint's alone; Mint's second article disputes the deal, and it says so.
    assert "The ministry signed the deal. · corroborated by PTI, source d" in mint
    assert "Officials welcomed the deal. · no other independent report" in mint

    hindu = text_of(site / "outlets/the-hindu/index.html")
    assert "a copy of PTI\u2019s wire story" in hindu
    assert "corroborated by Mint, source d" in hindu

    # Every link on the outlet pages resolves to a page of the site.
    for page in ("outlets/index.html", "outlets/mint/index.html"):
        tree = parse((site / page).read_text("utf-8"))
        for element in tree.iter():
            href = element.attrs.get("href", "")
            if element.tag == "a" and href and not href.startswith(("http", "#")):
                target = (site / page).parent / href.split("#")[0]
                assert target.exists() or (target / "index.html").exists(), (page, href)


def test_outlets_are_in_the_menu_sitemap_and_search(tmp_path):
    root = outlet_project(tmp_path / "p")
    assert main(["--root", str(root), "build"]) == 0
    site = root / "site"
    home = (site / "index.html").read_text("utf-8")
    assert '<a href="outlets/">Outlets</a>' in home
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    assert "https://x.test/r/outlets/" in sitemap and "https://x.test/r/outlets/mint/" in sitemap
    index = (site / "static/search-index.js").read_text("utf-8")
    assert '"kind":"outlet","title":"The Hindu"' in index and '"href":"outlets/the-hindu/"' in index


def test_the_bundled_outlets(built):
    site = built / "site"
    rediff = text_of(site / "outlets/rediff-com/index.html")
    assert "a copy of PTI\u2019s wire story" in rediff
    mint = text_of(site / "outlets/mint/index.html")
    assert "1 archived article" in mint and "corroborated by" in mint
