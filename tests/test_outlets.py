"""The outlet pages: an index and a page per outlet, with its articles (agency copies noted), the
facts it reports and which other independent reports corroborate them; derived from the
research the way every other page is."""

from __future__ import annotations

import json
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
    assert "Mint · 2 articles · 2 facts reported · 1 of 2 corroborated by another report" in index
    assert "The Hindu · 1 article · 1 fact reported · 1 of 1 corroborated" in index
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


TASS = "\u0422\u0410\u0421\u0421"  # the Russian agency, in Cyrillic


def test_names_in_any_script_are_told_apart_and_unnamed_sources_count_alone(tmp_path):
    seeds = {name: "The ministry signed the deal on Monday." for name in ("x", "y", "a_b", "a.b")}
    claim = ("deal-signed", "The ministry signed the deal on Monday.", "The ministry signed.", "")
    sources = {"x": annotation("X", "outlet: 新华社\n", claim),
               "y": annotation("Y", f"outlet: {TASS}\n", claim),
               "a_b": annotation("A", "", claim), "a.b": annotation("B", "", claim)}
    root = make_project(tmp_path / "p", seeds, sources)
    assert main(["--root", str(root), "build"]) == 0
    fact = (root / "content/facts/deal-signed.yaml").read_text("utf-8")
    reports = ["source a.b", "source a_b", TASS, "新华社"]
    assert f"independent_reports: {json.dumps(reports, ensure_ascii=False)}" in fact
    pages = sorted(p.name for p in (root / "site/outlets").iterdir() if p.is_dir())
    assert len(pages) == 2 and all(re.fullmatch(r"outlet-[0-9a-f]{8}", p) for p in pages)


def test_an_outlet_counts_the_reports_of_other_articles_for_each_fact(tmp_path):
    """A fact is corroborated for an outlet by any report but its own article's: here the
    agency copy the same outlet ran of another story still corroborates."""
    seeds = {"own": "The ministry signed the deal on Monday.",
             "wire": "Agency copy. The ministry signed the deal on Monday.",
             "other": "The ministry signed the deal on Monday, said PTI."}
    claim = ("deal-signed", "The ministry signed the deal on Monday", "The ministry signed.", "")
    sources = {"own": annotation("Own", "outlet: Daily\n", claim),
               "wire": annotation("Wire", "outlet: Daily\nagency: PTI\n",
                                  ("agency-copy", "Agency copy.", "An agency copy.", "")),
               "other": annotation("Other", "outlet: Weekly\nagency: PTI\n", claim)}
    root = make_project(tmp_path / "p", seeds, sources)
    assert main(["--root", str(root), "build"]) == 0
    daily = text_of(root / "site/outlets/daily/index.html")
    assert "The ministry signed. · corroborated by PTI" in daily


def test_a_static_file_may_not_replace_a_file_the_build_makes(project, capsys):
    static = project / "templates/static/search-index.js"
    static.parent.mkdir(parents=True, exist_ok=True)
    static.write_text("window.SOURCEBOOK_SEARCH = [];\n", "utf-8")
    assert main(["--root", str(project), "build"]) == 1
    assert ("templates/static/search-index.js:1:1: error: this static file would replace "
            "static/search-index.js, which the build makes") in capsys.readouterr().err
