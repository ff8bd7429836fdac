"""Where a text came from, as a reader can judge it: a web archive's copy, and the date an
address suggests when the text gives none (a clue, never the publication date)."""

from __future__ import annotations

import json

from minisite import make_project
from sourcebook.cli import main
from sourcebook.site.pages.sources import address_date

SEED = "Harbour board names a pilot\n\nThe board appointed a second pilot on Monday.\n"


def test_an_archive_copy_is_linked_and_exported(tmp_path):
    root = make_project(tmp_path / "p", seeds={"a": SEED}, sources={"a": (
        "title: Harbour board names a pilot\n"
        "url: https://news.example.org/2022/04/harbour-pilot\n"
        "archive_url: https://web.archive.org/web/20220405000000/https://news.example.org/2022/04/"
        "harbour-pilot\n"
        "claims:\n  - fact: pilot\n    quote: The board appointed a second pilot on Monday.\n"
        "    topics: [t]\n    statement: The board appointed a second pilot.\n")})
    assert main(["--root", str(root), "build"]) == 0
    page = (root / "site/sources/a/index.html").read_text("utf-8")
    copy = "https://web.archive.org/web/20220405000000/https://news.example.org/2022/04/harbour-pilot"
    assert f'<dt>Web archive</dt><dd><a href="{copy}" rel="noopener">{copy}</a></dd>' in page
    assert "Not stated in the archived text (its address suggests April 2022)" in page
    data = json.loads((root / "site/data/facts.json").read_text("utf-8"))
    [source] = data["sources"]
    assert source["archive_url"].startswith("https://web.archive.org/web/")
    assert source["published"] is None  # the address is a clue, not the date


def test_an_archive_that_is_not_a_web_address_is_an_error(tmp_path, capsys):
    root = make_project(tmp_path / "p", seeds={"a": SEED},
                        sources={"a": "title: A\narchive_url: javascript:alert(1)\n"})
    assert main(["--root", str(root), "build"]) == 1
    assert "content/sources/a.yaml:2:" in capsys.readouterr().err


def test_the_dates_an_address_suggests():
    assert address_date("https://x.example/2022/04/story") == "April 2022"
    assert address_date("https://x.example/news/2021/12/07/story.html") == "7 December 2021"
    assert address_date("https://x.example/story-2022-04") == ""
    assert address_date("https://x.example/2022/13/story") == ""
    assert address_date(None) == ""


def test_a_source_page_says_whether_a_passage_supports_or_disputes_each_fact(built):
    from htmltree import parse

    page = (built / "site/sources/003_4197f04110c4ab2c/index.html").read_text("utf-8")
    words = " ".join(parse(page).text().split())
    assert "is cited in" not in words and "in against" not in words
    assert words.count(" disputes ") >= 1 and words.count(" supports ") >= 1
