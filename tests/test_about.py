"""The about page: the method and "how to check a fact yourself", from the project's own
figures, linked from every page's menu; "last updated" from the content or SOURCE_DATE_EPOCH."""

from __future__ import annotations

import json
import os

from htmltree import parse
from sourcebook.cli import main


def text(html: str) -> str:
    return " ".join(parse(html).text().split())


def newest_source_date(site) -> str:
    """The latest date the sources give, retrieved or published, from facts.json."""
    sources = json.loads((site / "data/facts.json").read_text("utf-8"))["sources"]
    return max(d for s in sources for d in (s["retrieved"], s["published"]) if d)


def test_the_about_page_states_what_was_checked_with_the_research_figures(built):
    site = built / "site"
    page = (site / "about/index.html").read_text("utf-8")
    facts = json.loads((site / "data/facts.json").read_text("utf-8"))["facts"]
    single = sum(1 for f in facts if len(f["independent_reports"]) < 2)
    words = text(page)
    assert "That is not a fact-check." in words
    assert f"{len(facts) - single} of {len(facts)} facts rest on two or more" in words
    assert f"{single} rest on a single report" in words
    assert f'last updated <time datetime="{newest_source_date(site)}">' in page
    assert 'href="../data/"' in page
    data = (site / "data/index.html").read_text("utf-8")
    assert 'href="../about/#how-to-check"' in data and 'id="how-to-check"' in page
    home = (site / "index.html").read_text("utf-8")
    assert 'href="about/"' in home  # in the menu of every page
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    assert "/about/</loc>" in sitemap


def test_last_updated_comes_from_the_content_or_source_date_epoch(project):
    assert main(["--root", str(project), "build"]) == 0
    page = (project / "site/about/index.html").read_text("utf-8")
    assert f'last updated <time datetime="{newest_source_date(project / "site")}">' in page
    os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
    try:
        assert main(["--root", str(project), "build"]) == 0
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    page = (project / "site/about/index.html").read_text("utf-8")
    assert 'last updated <time datetime="2023-11-14">14 November 2023</time>' in page


def test_the_home_page_says_what_was_proven_and_where_to_start(built):
    home = (built / "site/index.html").read_text("utf-8")
    words = text(home)
    assert "every quotation verified" not in words  # read as "fact-checked" (issue 15)
    assert "every quotation found word for word in its archived source" in words
    assert "not that it is true" in words  # the footer, on every page
    assert 'Start here:</strong> read <a href="topics/s-400/">S-400</a>' in home
