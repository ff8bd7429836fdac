"""Every citation resolves, or the build fails: a topic introduction may cite any fact of the
project; a fact of another topic is listed with the cited facts, in reading order, and links
to the topic where it belongs; an unknown id is a located error; and every built page is
scanned, so citation syntax can never reach a reader as text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import own_template
from htmltree import parse
from minisite import make_project
from pagesserver import serve_pages
from sourcebook.cli import main
from sourcebook.content.dialect import CITATION
from sourcebook.content.topics import citations_in
from sourcebook.site.render import unresolved_citations

SEED = "The ministry signed the deal on Monday. Officials welcomed it. See [@ministry] online."
ANNOTATION = ("title: Deal\nclaims:\n  - fact: deal-signed\n    quote: The ministry signed the "
              "deal on Monday.\n    topics: [a]\n    statement: The ministry signed the deal.\n"
              "  - fact: welcomed\n    quote: Officials welcomed it.\n    topics: [b]\n"
              "    statement: Officials welcomed the deal.\n")


def project(root: Path, intro: str) -> Path:
    return make_project(root, {"s": SEED}, {"s": ANNOTATION}, {
        "a": f"---\ntitle: A\n---\n{intro}\n", "b": "---\ntitle: B\n---\nIntro of B.\n"})


def built_page(root: Path, rel: str) -> str:
    return (root / "site" / rel).read_text("utf-8")


def test_no_page_of_the_bundled_site_shows_citation_syntax(built):
    site = built / "site"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 40
    for page in pages:
        html = page.read_text("utf-8")
        assert unresolved_citations(page.name, html) == (), page
        visible = re.sub(r"<script\b.*?</script>", "", html, flags=re.DOTALL)
        assert "[@" not in visible, page


@pytest.mark.parametrize("topic", ["quad", "ak-203"])
def test_a_bundled_intro_cites_facts_of_other_topics(built, facts_json, topic):
    body = (built / f"content/topics/{topic}.md").read_text("utf-8")
    cited = [fact_id for fact_id, _ in citations_in(body)]
    facts = {f["id"]: f for f in facts_json["facts"]}
    elsewhere = [f for f in cited if topic not in facts[f]["topics"]]
    assert len(elsewhere) == 2, cited  # the four cases the issue found
    tree = parse(built_page(built, f"topics/{topic}/index.html"))
    ids = {e.attrs["id"] for e in tree.iter() if "id" in e.attrs}
    marks = [e for e in tree.iter() if e.tag == "a" and e.attrs.get("href", "").startswith(
        "#cite-") and "aria-label" in e.attrs]
    labels = {m.attrs["aria-label"].split(": ", 1)[1] for m in marks}
    for fact_id in cited:
        assert facts[fact_id]["statement"] in labels, fact_id  # every citation is linked
    for mark in marks:
        assert mark.attrs["href"][1:] in ids  # ... to a citation on this page
    for fact_id in elsewhere:
        item = next(e for e in tree.iter() if e.attrs.get("id") == f"f-{fact_id}")
        home = facts[fact_id]["topics"][0]
        links = [e.attrs["href"] for e in item.iter() if e.tag == "a"]
        assert f"../../topics/{home}/#f-{fact_id}" in links  # where the fact is shown


def test_cross_topic_citations_preview_their_quotation(browser, built, facts_json):
    quotes = {f["id"]: [e["quote"] for e in f["evidence"]] for f in facts_json["facts"]}
    with serve_pages(built / "site", "/demo/") as url:
        page = browser.new_page()
        page.goto(url + "topics/quad/")
        mark = page.locator(".intro .fact-ref a[href='#cite-3']")
        mark.hover()
        popover = page.locator("#cite-popover")
        assert popover.is_visible()
        shown = " ".join(popover.inner_text().split())
        assert any(" ".join(q.split()) in shown
                   for q in quotes["price-india-russia-ties-distinct-and-okay"]), shown
        page.close()


def test_an_intro_may_cite_any_fact_and_shows_it_with_a_link_home(tmp_path):
    root = project(tmp_path / "p", "Welcomed [@welcomed], after it was signed [@deal-signed].")
    assert main(["--root", str(root), "build"]) == 0
    html = built_page(root, "topics/a/index.html")
    # Listed in the order the introduction cites them, the fact of topic B first, with its home.
    assert html.index('id="f-welcomed"') < html.index('id="f-deal-signed"')
    assert 'Shown with its topic: <a href="../../topics/b/#f-welcomed">' in html
    assert '<a aria-label="Source 1: Officials welcomed the deal." href="#cite-1">[1]</a>' in html
    assert "[@" not in html


def test_an_unknown_fact_is_a_located_error(tmp_path, capsys):
    root = project(tmp_path / "p", "Line one.\n\nIt was signed [@deal-sign].")
    assert main(["--root", str(root), "build"]) == 1
    err = capsys.readouterr().err
    assert "content/topics/a.md:6:15: error: unknown fact 'deal-sign' cited" in err
    assert "did you mean 'deal-signed'?" in err
    assert not (root / "site").exists()


def test_escaped_and_quoted_syntax_is_text_not_a_citation(tmp_path):
    intro = ("Write `[@fact-id]` to cite; \\[@not-a-fact] is shown as written.\n\n"
             "An example:\n\n    Signed [@welcomed].\n\nAnd a real one [@deal-signed].")
    root = project(tmp_path / "p", intro)
    assert citations_in(intro) == [("deal-signed", intro.index("[@deal-signed]"))]
    assert main(["--root", str(root), "build"]) == 0
    html = built_page(root, "topics/a/index.html")
    assert "<code>[@fact-id]</code>" in html
    assert "[&#64;not-a-fact] is shown as written" in html
    assert "<pre><code>Signed [@welcomed].\n</code></pre>" in html
    assert 'id="f-welcomed"' not in html  # the example in code cites nothing


def test_a_seed_may_contain_the_syntax(tmp_path):
    root = project(tmp_path / "p", "Intro.")
    assert main(["--root", str(root), "build"]) == 0
    html = built_page(root, "sources/s/index.html")
    assert "See [&#64;ministry] online." in html  # shown as the same text, never a citation


def test_citation_syntax_that_reaches_a_page_fails_the_build(tmp_path, capsys):
    root = project(tmp_path / "p", "Intro.")
    assert main(["--root", str(root), "build"]) == 0
    good = built_page(root, "index.html")
    base = own_template(root, "base.html")
    base.write_text(base.read_text("utf-8").replace("<main", "[@made-up] <main", 1), "utf-8")
    assert main(["--root", str(root), "build"]) == 1
    err = capsys.readouterr().err
    assert re.search(r"^index\.html:\d+:\d+: error: the built page shows the citation "
                     r"'\[@made-up\]' as text, without its link", err, re.MULTILINE), err
    assert built_page(root, "index.html") == good  # the last good site stays


def test_the_scan_reads_text_not_markup():
    html = ('<p title="[@in-an-attribute]">[&#64;neutral] <code>[@in-code]</code></p>\n'
            '<script type="application/ld+json">{"text": "[@in-json]"}</script>\n'
            "<p>a claim [@left-raw] here</p>")
    [(where, message, _hint)] = unresolved_citations("x.html", html)
    assert str(where) == "x.html:3:12" and "'[@left-raw]'" in message
    assert CITATION.fullmatch("[@left-raw]")
