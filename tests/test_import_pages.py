"""`python build.py import`: saved pages of our own making (tests/fixtures/import, made by its
make_fixtures.py and modelled on real news pages) become a seed holding every sentence of the
article, the original archived byte for byte, and a draft annotation with the page's own
metadata that passes `check` once a claim is cited. Nothing is ever overwritten or imported
twice, and a refusal writes nothing."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import REPO, run_cli
from sourcebook.authoring.draft import UNSURE, draft_annotation
from sourcebook.cli import main
from sourcebook.content.config import load_config
from sourcebook.importing.extract import html_text, squash
from sourcebook.importing.pagemeta import page_metadata

FIXTURES = REPO / "tests" / "fixtures" / "import"
_spec = importlib.util.spec_from_file_location("import_articles", FIXTURES / "articles.py")
assert _spec and _spec.loader
articles = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(articles)

# fixture file → (the article in it, the metadata the draft must give, the archive's suffix)
CASES = {
    "news-jsonld.html": (articles.FERRY, {
        "title": articles.FERRY["title"], "author": "Jane Doe and Arun Mehta",
        "outlet": "The Coastal Courier", "published": "2024-03-18", "language": "en",
        "url": articles.FERRY["url"]}, ".html"),
    "citation-only.html": (articles.REPORT, {
        "title": articles.REPORT["title"], "author": "Lena Okafor and Piotr Nowak",
        "outlet": "Journal of Regional Hydrology", "published": "2023-11-02",
        "language": "en", "url": articles.REPORT["url"]}, ".html"),
    "time-only.html": (articles.BRIDGE, {
        "title": articles.BRIDGE["title"], "published": "2022-09-07", "language": "en"},
        ".html"),
    "modified-only.html": (articles.UPDATE, {
        "title": articles.UPDATE["title"], "author": "Nora Quinn", "outlet": "Campus Herald",
        "language": "en-GB", "url": articles.UPDATE["url"]}, ".html"),
    "market.mhtml": (articles.MARKET, {
        "title": articles.MARKET["title"], "author": "Inès Fábregas",
        "outlet": "Le Petit Quotidien", "published": "2025-01-09", "language": "en",
        "url": articles.MARKET["url"]}, ".mhtml"),
    "bridge.warc.gz": (articles.BRIDGE, {
        "title": "Stone bridge reopens: the repairs in numbers", "outlet": "Marl Valley News",
        "published": "2022-09-07", "language": "en", "retrieved": "2024-06-02",
        "url": "https://marlvalley.example.net/2022/09/bridge-reopens"}, ".warc.gz"),
    "audit-report.pdf": (articles.TUNNEL, {
        "title": articles.TUNNEL["title"], "author": "Office of the Regional Auditor",
        "published": "2020-06-30"}, ".pdf"),
}
# Where each kind of value must say it came from, for the page with JSON-LD and Open Graph.
FERRY_SOURCES = {"title": "JSON-LD NewsArticle headline", "author": "JSON-LD NewsArticle author",
                 "outlet": "JSON-LD NewsArticle publisher",
                 "published": "JSON-LD NewsArticle datePublished",
                 "url": "<link rel=canonical>", "language": "JSON-LD NewsArticle inLanguage"}


def sentences(paragraph: str) -> list[str]:
    """A paragraph's sentences (a subheading is one)."""
    return [s for s in re.split(r"(?<=[.!?\"”])\s+(?=[\"“A-Z])", paragraph) if s]


def files(root: Path) -> set[str]:
    """Every file of the project, relative."""
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def do_import(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run `import` in this process; (exit code, stdout, stderr)."""
    code = main(["--root", str(root), "import", *args])
    out, err = capsys.readouterr()
    return code, out, err


def written(root: Path, out: str) -> tuple[str, str, str]:
    """The seed, archive and annotation paths `import` printed."""
    match = re.search(r"wrote (seeds/\S+\.txt), (archive/\S+) and (content/sources/\S+\.yaml)",
                      out)
    assert match, out
    return match.group(1), match.group(2), match.group(3)


@pytest.mark.parametrize("fixture", sorted(CASES))
def test_a_saved_page_becomes_seed_archive_and_draft(project, capsys, fixture):
    article, expected, suffix = CASES[fixture]
    source = FIXTURES / fixture
    code, out, err = do_import(project, capsys, str(source))
    assert code == 0, err
    seed, archive, annotation = written(project, out)
    name = Path(seed).stem
    assert archive == f"archive/{name}{suffix}" and annotation == f"content/sources/{name}.yaml"
    assert "next: check every `guessed:` value" in out

    # The seed: the whole article, one paragraph a line, a blank line between.
    text = (project / seed).read_text("utf-8")
    flat = squash(text)
    for paragraph in article["body"]:
        for sentence in sentences(paragraph):
            assert sentence in flat, (fixture, sentence)
    assert "\n\n" in text and "\n\n\n" not in text
    for furniture in ("We and our partners use cookies", "Finally some good news",
                      "Two million a year for one boat", "Related stories",
                      "Get the morning briefing", "All rights reserved", "Accept all"):
        assert furniture not in text, (fixture, furniture)

    # The original, byte for byte, and its hash in the annotation.
    body = source.read_bytes()
    assert (project / archive).read_bytes() == body
    draft_text = (project / annotation).read_text("utf-8")
    data = yaml.safe_load(draft_text)
    assert data["original"]["file"] == archive
    assert data["original"]["sha256"] == hashlib.sha256(body).hexdigest()

    # The metadata, each value marked with where it came from.
    for key, value in expected.items():
        assert str(data[key]) == value, (fixture, key, data.get(key))
    for line in draft_text.splitlines():
        if re.match(r"(title|author|outlet|published|url|language):", line):
            assert "  # guessed: " in line, line
    assert "published" in expected or "published" not in data


def test_metadata_says_where_each_value_came_from(project, capsys):
    code, out, err = do_import(project, capsys, str(FIXTURES / "news-jsonld.html"))
    assert code == 0, err
    text = (project / written(project, out)[2]).read_text("utf-8")
    for key, where in FERRY_SOURCES.items():
        assert re.search(rf"^{key}: .*  # guessed: from {re.escape(where)}$", text, re.M), key
    # The update date is shown, as a comment, and never as the publication date.
    assert re.search(r"^# modified: 2024-03-19  # guessed: from JSON-LD NewsArticle "
                     r"dateModified; .*not its publication date$", text, re.M)
    assert re.search(r"^retrieved: \d{4}-\d{2}-\d{2}  #", text, re.M)


def test_modified_is_never_taken_for_published():
    html = (FIXTURES / "modified-only.html").read_text("utf-8")
    found = page_metadata(html)
    assert found["modified"].value == "2021-05-12"
    assert "published" not in found  # htmldate alone would have said 2021-05-12
    from htmldate import find_date

    assert find_date(html, original_date=True) == "2021-05-12"


def test_a_warc_records_when_it_was_fetched(project, capsys):
    code, out, err = do_import(project, capsys, str(FIXTURES / "bridge.warc.gz"))
    assert code == 0, err
    text = (project / written(project, out)[2]).read_text("utf-8")
    assert "\n  fetched: 2024-06-02T08:15:30Z\n" in text  # the WARC-Date, in UTC
    assert "\nretrieved: 2024-06-02  #" in text


def test_what_the_extractor_drops_inside_the_article_is_kept_and_proposed():
    """trafilatura drops the "Also read" box from the middle of the article: it is put back
    where it stood, as a span the draft proposes to exclude; what it drops in the page's
    furniture (cookie banner, comments) stays out."""
    html = (FIXTURES / "news-jsonld.html").read_text("utf-8")
    main_text = html_text(html, articles.FERRY["title"])
    kept = [main_text.text[start:end] for start, end in main_text.unsure]
    assert kept == ["Also read: Island school gets a new roof"]
    lines = main_text.text.splitlines()
    assert lines.index(kept[0]) == lines.index(articles.FERRY["body"][2]) + 2
    assert "cookies" not in main_text.text


PAGE = """<html><body><nav><a href=/>Home</a> <a>Local</a></nav><article>
<h1>Big headline of the day here</h1><div class=body>
<p>First paragraph is long enough to be real text, with many words; Local people agree.</p>
<p>Second line one<br>second line two continues the paragraph with more words here.</p>
<ul><li>Local item one</li><li>Item two has more words in it</li></ul>
<table><tr><td>Cell A</td><td>Cell B 12</td></tr><tr><td>Cell C</td><td>Cell D</td></tr></table>
<p>Third paragraph with <em>emphasis</em> and <a href=x>a link</a> inside of it, long enough.</p>
<blockquote><p>A quoted passage from someone important who said things.</p></blockquote>
<p>Last paragraph ends the article here with a final sentence of some length.</p></div>
</article><div class="comments"><p>A reader wrote a long comment that is no article text.</p>
</div><footer>Copyright 2024</footer></body></html>"""
THIRD = "Third paragraph with emphasis and a link inside of it, long enough."
LAST = "Last paragraph ends the article here with a final sentence of some length."


def test_lists_tables_and_line_breaks_are_neither_lost_nor_doubled():
    text = html_text(PAGE, "Big headline of the day here").text
    for words in ("First paragraph is long", "Second line one", "second line two",
                  "Local item one", "Item two has", "Cell A", "Cell D", THIRD,
                  "A quoted passage", LAST):
        assert text.count(words) == 1, (words, text)
    assert "reader wrote" not in text and "Copyright" not in text and "Home" not in text


def test_what_any_extractor_drops_from_the_article_is_put_back(monkeypatch):
    """Whatever trafilatura's version leaves out of the article's container comes back where
    it stood, marked unsure; what it leaves out of the page's furniture stays out."""
    import trafilatura

    real = trafilatura.extract(PAGE, favor_recall=True, include_comments=False)
    assert real and THIRD in real and LAST in real
    dropped = real.replace(THIRD + "\n", "").replace("\n" + LAST, "")
    monkeypatch.setattr(trafilatura, "extract", lambda *args, **kwargs: dropped)
    main_text = html_text(PAGE, "Big headline of the day here")
    assert [main_text.text[a:b] for a, b in main_text.unsure] == [THIRD, LAST]
    lines = [line for line in main_text.text.splitlines() if line]
    assert lines.index(THIRD) == lines.index("| Cell C | Cell D |") + 1
    assert lines[-1] == LAST
    assert "reader wrote" not in main_text.text


def test_an_unsure_passage_is_proposed_as_an_exclusion():
    text = ("A headline of the article here\n\nThe first paragraph says a thing.\n\n"
            "Island school gets a new roof\n\nThe second paragraph says another.\n")
    start = text.index("Island")
    draft = draft_annotation("x", text, [], [], unsure=[(start, start + 29)])
    assert [(e.quote, e.reason) for e in draft.excludes] == [
        ("Island school gets a new roof", UNSURE)]


def cite_one_claim(annotation: Path, sentence: str) -> None:
    """Cite one claim, as the researcher does after checking the draft."""
    text = annotation.read_text("utf-8")
    claim = (f"claims:\n  - fact: imported-claim\n    quote: {json.dumps(sentence)}\n"
             "    topics: [defence-ties]\n    statement: A claim from the imported page.\n")
    text = text.replace("claims:\n", claim, 1)
    annotation.write_text(text, "utf-8")


@pytest.mark.parametrize("fixture", sorted(CASES))
def test_the_draft_passes_check_once_a_claim_is_cited(project, fixture):
    article = CASES[fixture][0]
    result = run_cli(project, "import", str(FIXTURES / fixture))
    assert result.returncode == 0, result.stderr
    annotation = project / written(project, result.stdout)[2]
    cite_one_claim(annotation, sentences(article["body"][0])[0])
    check = run_cli(project, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "0 errors" in check.stdout


def test_an_address_is_imported_through_the_fetcher(project, capsys, monkeypatch):
    """`import https://…` hands the address and the limits to sourcebook.importing.fetch and
    records what it reports: the redirects and when the page was fetched."""
    import datetime

    from sourcebook.content.model import Limits
    from sourcebook.importing.capture import Capture, Kind

    asked = []

    def fetch(url: str, *, allow_http: bool, timeout: float, max_bytes: int) -> Capture:
        asked.append((url, allow_http, timeout, max_bytes))
        return Capture((FIXTURES / "news-jsonld.html").read_bytes(), Kind.HTML, url,
                       url=articles.FERRY["url"] + "?src=feed",
                       redirects=("https://short.example/f",),
                       fetched=datetime.datetime(2026, 12, 4, 16, 20, 11, tzinfo=datetime.UTC),
                       media_type="text/html; charset=utf-8")

    monkeypatch.setattr("sourcebook.importing.pages.fetch", fetch)
    code, out, err = do_import(project, capsys, "https://short.example/f", "--timeout", "5")
    assert code == 0, err
    assert asked == [("https://short.example/f", False, 5.0, Limits().original_bytes)]
    text = (project / written(project, out)[2]).read_text("utf-8")
    assert "\n  fetched: 2026-12-04T16:20:11Z\n  redirects:\n    - \"https://short.example/f\"\n" \
        in text
    assert "\nretrieved: 2026-12-04  #" in text
    # The final address is the `url`; the page's own word for it, where it differs, a comment.
    assert f'\nurl: "{articles.FERRY["url"]}?src=feed"  # guessed: from the address it was ' \
        "downloaded from, after any redirects\n" in text
    assert f'\n# canonical: "{articles.FERRY["url"]}"  # from <link rel=canonical>' in text


# --- refusals: each writes nothing ---


def test_the_same_page_twice_is_refused(project, capsys, tmp_path):
    source = FIXTURES / "news-jsonld.html"
    assert do_import(project, capsys, str(source))[0] == 0
    before = files(project)
    name = next(p.stem for p in (project / "archive").iterdir())
    copy = tmp_path / "renamed.html"  # the same bytes under another name
    shutil.copyfile(source, copy)
    for given in (str(source), str(copy)):
        code, out, err = do_import(project, capsys, given)
        assert code == 1 and not out
        assert f"{given}:1:1: error: this page was imported before, as the source '{name}'" in err
        assert files(project) == before
    # The same text in other bytes (a page saved again) is found by its seed.
    again = tmp_path / "saved-again.html"
    again.write_bytes(source.read_bytes().replace(b"<head>", b"<head><!-- again -->"))
    code, _, err = do_import(project, capsys, str(again))
    assert code == 1 and f"seeds/{name}.txt holds the same text" in err
    # An annotation's original.sha256 counts even when the archive file is gone.
    archived = next((project / "archive").iterdir())
    archived.unlink()
    code, _, err = do_import(project, capsys, str(source))
    assert code == 1 and "records the same original.sha256" in err
    assert files(project) == before - {archived.relative_to(project).as_posix()}


def test_an_original_over_the_size_limit_is_refused(project, capsys):
    before = files(project)
    source = FIXTURES / "news-jsonld.html"
    site = project / "content" / "site.yaml"  # the build's own limit, in one place
    site.write_text(site.read_text("utf-8") + "limits:\n  original_bytes: 1000\n", "utf-8")
    before = files(project)
    code, out, err = do_import(project, capsys, str(source))
    assert code == 1 and not out
    assert (f"error: {source} is larger than the limit of 1,000 bytes for an archived "
            "original: it is ") in err, err
    assert "original_bytes" in err and "content/site.yaml" in err
    assert files(project) == before


def test_several_pages_read_the_size_limit_once(project, capsys, monkeypatch):
    import sourcebook.importing.pages as pages

    reads = []
    monkeypatch.setattr(pages, "load_config", lambda *a: reads.append(a) or load_config(*a))
    code, out, err = do_import(project, capsys, *(str(FIXTURES / name) for name in (
        "news-jsonld.html", "citation-only.html", "time-only.html")))
    assert code == 0, err
    assert out.count("wrote ") == 3 and len(reads) == 1


def test_a_name_that_is_taken_is_refused(project, capsys):
    before = files(project)
    taken = sorted((project / "seeds").iterdir())[0].stem
    code, out, err = do_import(project, capsys, str(FIXTURES / "time-only.html"),
                               "--name", taken)
    assert code == 1 and not out
    assert f"the name '{taken}' is taken: seeds/{taken}.txt exists" in err
    assert "choose another --name" in err
    assert files(project) == before
    # A derived name that is taken is refused too, never numbered or overwritten.
    (project / "seeds" / "2022-09-07-old-stone-bridge-reopens-to-walkers.txt").write_text(
        "Another text.\n", "utf-8")
    code, out, err = do_import(project, capsys, str(FIXTURES / "time-only.html"))
    assert code == 1 and "is taken" in err and "--name" in err
    assert "give the new source another name with --name NAME" in err  # none was given


def test_a_scan_and_a_warc_of_several_pages_are_refused(project, capsys):
    before = files(project)
    code, _, err = do_import(project, capsys, str(FIXTURES / "scan.pdf"))
    assert code == 1 and "error: no text layer: it is a scan; run OCR first" in err
    code, _, err = do_import(project, capsys, str(FIXTURES / "two-pages.warc.gz"))
    assert code == 1 and "holds 2 pages (https://one.example.net/a, " \
                         "https://two.example.net/b)" in err
    assert files(project) == before


def test_all_three_files_or_none(project, capsys, monkeypatch):
    """A file that appears while importing (another import, a sync) undoes the others."""
    from sourcebook.importing import pages

    calls = []

    def third_exists(target: Path, data: bytes) -> None:
        calls.append(target)
        if len(calls) == 3:
            raise FileExistsError(17, "File exists", str(target))
        target.write_bytes(data)

    monkeypatch.setattr(pages, "write_new", third_exists)
    before = files(project)
    code, _, err = do_import(project, capsys, str(FIXTURES / "citation-only.html"))
    assert code == 1 and "nothing was written" in err
    assert len(calls) == 3 and files(project) == before


def test_the_command_explains_itself(project, capsys):
    assert main(["import", "--help"]) == 0
    out = capsys.readouterr().out
    assert "python build.py import ~/Downloads/article.html" in out and "--timeout" in out
    assert main(["--root", str(project), "build", "--name", "x"]) == 2
    assert "--name is an option of `import`" in capsys.readouterr().err
    code, _, err = do_import(project, capsys, str(FIXTURES / "articles.py"))
    assert code == 1 and "cannot import a .py file" in err
