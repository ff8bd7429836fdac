"""Issue 18, reference managers: the site publishes each source's reference as CSL-JSON, BibTeX
and RIS (and every source's in one file of each), which citeproc-py and bibtexparser read back;
`import --from-csl` and `--from-bibtex` bring a Zotero-style export into the annotations,
filling only what is missing, warning of conflicts and reporting what matches no seed."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import bibtexparser
import pytest
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter as citeproc_formatter
from citeproc.source.json import CiteProcJSON

from conftest import REPO, copy_project, run_cli
from htmltree import parse
from sourcebook.content.sources import parse_source_file
from sourcebook.diagnostics import Diagnostics
from sourcebook.importing.references import (
    Outcome,
    import_references,
    title_key,
    url_key,
    with_lines,
)
from sourcebook.site.references import person_name, split_authors

FIXTURES = REPO / "tests" / "fixtures"
ZOTERO = FIXTURES / "references" / "zotero-export.json"
SOURCES = ("000_0a8abdfef13416d9", "001_387e21b613e05868", "002_7bf14ee84c1d808c",
           "003_4197f04110c4ab2c", "004_5baf2666bd463fc4")
METADATA = ("title", "language", "outlet", "author", "published", "url")


def metadata(root: Path, source: str) -> dict[str, str | None]:
    """An annotation's metadata as the build reads it."""
    rel = f"content/sources/{source}.yaml"
    doc = parse_source_file(source, rel, (root / rel).read_bytes(), Diagnostics())
    assert doc is not None
    return {"title": doc.title, "language": doc.language, "outlet": doc.outlet,
            "author": doc.author, "published": doc.published.iso() if doc.published else None,
            "url": doc.url}


def strip(root: Path, keys: tuple[str, ...], only: str = "") -> None:
    """Remove these metadata lines from the annotations (or from one)."""
    pattern = re.compile(rf"^(?:{'|'.join(keys)}): .*\n", re.MULTILINE)
    for path in (root / "content/sources").glob(f"{only or '*'}.yaml"):
        path.write_text(pattern.sub("", path.read_text("utf-8")), "utf-8")


def ris_records(text: str) -> list[dict[str, list[str]]]:
    """RIS records as {tag: [values]}: 'TAG  - value' lines, each record ending at ER."""
    records, current = [], {}
    for line in text.split("\r\n"):
        if not line:
            continue
        match = re.fullmatch(r"([A-Z][A-Z0-9])  - (.*)", line)
        assert match, line
        tag, value = match.groups()
        if tag == "ER":
            records.append(current)
            current = {}
        else:
            current.setdefault(tag, []).append(value)
    assert current == {}
    return records


# --- publishing ---


def test_each_source_and_the_whole_set_are_published_in_three_formats(built):
    site = built / "site"
    for source in SOURCES:
        for suffix in ("json", "bib", "ris"):
            assert (site / f"sources/{source}/reference.{suffix}").is_file()
    whole = json.loads((site / "data/references.json").read_text("utf-8"))
    assert [item["id"] for item in whole] == list(SOURCES)
    bib = bibtexparser.parse_string((site / "data/references.bib").read_text("utf-8"))
    assert [e.key for e in bib.entries] == list(SOURCES) and not bib.failed_blocks
    ris = ris_records((site / "data/references.ris").read_bytes().decode("utf-8"))
    assert [r["ID"] for r in ris] == [[s] for s in SOURCES]
    one = json.loads((site / f"sources/{SOURCES[2]}/reference.json").read_text("utf-8"))
    assert one == [whole[2]]


def test_citeproc_reads_the_csl_json_and_renders_titles_authors_and_dates(built):
    items = json.loads((built / "site/data/references.json").read_text("utf-8"))
    source = CiteProcJSON(items)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, source, citeproc_formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"]) for item in items]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == 5
    text = " ".join(rendered)
    for item in items:
        assert item["title"] in text
    assert "Jha, L.K." in text or "Jha, L. K." in text  # 002's byline, split into names
    assert "(2022)" in text and "(2021)" in text and "Mint" in text
    rediff = next(i for i in items if i["id"] == SOURCES[2])
    assert rediff["type"] == "article-newspaper" and rediff["container-title"] == "Rediff.com"
    assert rediff["author"] == [{"family": "Jha", "given": "Lalit K"}]
    assert rediff["issued"] == {"date-parts": [[2022, 2, 26]]}
    assert rediff["accessed"] == {"date-parts": [[2026, 11, 22]]}
    assert rediff["language"] == "en" and rediff["note"] == "Agency: PTI"
    undated = next(i for i in items if i["id"] == SOURCES[1])
    assert "issued" not in undated and "author" not in undated


def test_bibtex_and_ris_carry_every_field(built):
    bib = bibtexparser.parse_string(
        (built / f"site/sources/{SOURCES[2]}/reference.bib").read_text("utf-8"))
    (entry,) = bib.entries
    assert entry.entry_type == "article" and entry.key == SOURCES[2]
    assert {f.key: f.value for f in entry.fields} == {
        "title": "India has ties with Russia that we don't have, that's okay: US",
        "author": "Jha, Lalit K", "journal": "Rediff.com", "date": "2022-02-26", "year": "2022",
        "url": "https://m.rediff.com/amp/news/report/india-has-ties-with-russia-that-we-dont-"
               "have-thats-okay-us/20220226.htm",
        "urldate": "2026-11-22", "langid": "english", "language": "en", "note": "Agency: PTI"}
    ris = built / f"site/sources/{SOURCES[2]}/reference.ris"
    (record,) = ris_records(ris.read_bytes().decode("utf-8"))
    assert record == {"TY": ["NEWS"], "ID": [SOURCES[2]],
                      "TI": ["India has ties with Russia that we don't have, that's okay: US"],
                      "T2": ["Rediff.com"], "AU": ["Jha, Lalit K"], "PY": ["2022"],
                      "DA": ["2022/02/26/"], "UR": [entry.fields_dict["url"].value],
                      "Y2": ["2026/11/22/"], "LA": ["en"], "N1": ["Agency: PTI"]}


def test_special_characters_translations_and_organisations(tmp_path):
    root = tmp_path / "p"
    shutil.copytree(FIXTURES / "multilingual", root)
    path = root / "content/sources/ru-report.yaml"
    path.write_text(path.read_text("utf-8").replace(
        "outlet: Primer Vestnik\n",
        'author: "Staff Reporter, Jane O\'Brien & Иван Петров"\n').replace(
        "title: Министры обсудили торговлю в Москве\n",
        'title: "50% of {x_1} & #2 ~ ^ \\\\ $5: Министры обсудили торговлю в Москве"\n'),
        "utf-8")
    assert run_cli(root, "build").returncode == 0
    site = root / "site/sources/ru-report"
    (item,) = json.loads((site / "reference.json").read_text("utf-8"))
    assert item["type"] == "webpage" and "container-title" not in item
    assert item["title"].startswith("50% of {x_1} & #2 ~ ^ \\ $5: Министры")
    assert item["author"] == [{"literal": "Staff Reporter"},
                              {"family": "O'Brien", "given": "Jane"},
                              {"family": "Петров", "given": "Иван"}]
    assert item["language"] == "ru"
    assert item["note"] == "Translated title (Anna Example): Ministers discussed trade in Moscow"
    from sourcebook.importing.refentries import bibtex_entries

    text = (site / "reference.bib").read_text("utf-8")
    assert text.startswith("@online{ru-report,") and "langid = {russian}" in text
    (entry,) = bibtex_entries(text, "ref.bib", Diagnostics())
    assert entry.title == item["title"]  # escaped once, read back exactly
    assert entry.author == "Staff Reporter and Jane O'Brien and Иван Петров"
    (record,) = ris_records((site / "reference.ris").read_bytes().decode("utf-8"))
    assert record["TY"] == ["ELEC"] and "T2" not in record and record["LA"] == ["ru"]
    assert record["AU"] == ["Staff Reporter", "O'Brien, Jane", "Петров, Иван"]


def test_names_are_split_only_when_clearly_given_and_family():
    assert (person_name("Lalit K Jha").family, person_name("Lalit K Jha").given) == (
        "Jha", "Lalit K")
    for whole in ("PTI", "HT Correspondent", "Press Trust of India", "राहुल सिंह",
                  "van Gogh", "J. Smith Jr.", "Madonna"):
        assert person_name(whole).literal == whole
    assert [n.family for n in split_authors("Jane Doe and John Roe, Mary Major")] == [
        "Doe", "Roe", "Major"]


def test_the_source_page_links_its_reference_and_the_data_page_lists_the_files(built):
    site = built / "site"
    page = parse((site / f"sources/{SOURCES[0]}/index.html").read_text("utf-8"))
    links = [a for a in page.iter() if a.tag == "a" and "reference." in a.attrs.get("href", "")]
    assert [a.text() for a in links] == ["CSL-JSON", "BibTeX", "RIS"]
    for a in links:
        assert a.text() in a.attrs["aria-label"]
        assert (site / f"sources/{SOURCES[0]}" / a.attrs["href"]).resolve().is_file()
    assert "Cite this source" in page.text()
    data = parse((site / "data/index.html").read_text("utf-8"))
    hrefs = {a.attrs["href"] for a in data.iter() if a.tag == "a"}
    assert {"../data/references.json", "../data/references.bib",
            "../data/references.ris"} <= hrefs
    names = {e.text() for e in data.iter() if e.tag == "code"}
    assert {"sources/<id>/reference.json", "sources/<id>/reference.bib",
            "sources/<id>/reference.ris"} <= names


# --- importing ---


def test_our_own_export_round_trips_into_stripped_annotations(built, tmp_path):
    root = copy_project(tmp_path / "p")
    before = {s: metadata(root, s) for s in SOURCES}
    texts = {s: (root / f"content/sources/{s}.yaml").read_text("utf-8") for s in SOURCES}
    for suffix, option in (("json", "--from-csl"), ("bib", "--from-bibtex")):
        for source, text in texts.items():
            (root / f"content/sources/{source}.yaml").write_text(text, "utf-8")
        strip(root, METADATA)
        export = tmp_path / f"references.{suffix}"
        shutil.copy(built / f"site/data/references.{suffix}", export)
        result = run_cli(root, "import", option, str(export))
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        assert len(lines) == 5 and all(" updated " in line and "(by key)" in line
                                       for line in lines), lines
        assert {s: metadata(root, s) for s in SOURCES} == before
        text = (root / f"content/sources/{SOURCES[2]}.yaml").read_text("utf-8")
        assert f'author: "Lalit K Jha"  # from {export.as_posix()}:' in text
        assert text.startswith(texts[SOURCES[2]].split("\n", 1)[0])  # comments kept
        assert "    reason: Section label\n" in text  # the claims and exclusions untouched
        check = run_cli(root, "check", "--strict")
        assert check.returncode == 0, check.stdout + check.stderr


def test_a_zotero_csl_json_export_round_trips_by_url_and_title(tmp_path):
    root = copy_project(tmp_path / "p")
    before = {s: metadata(root, s) for s in SOURCES}
    strip(root, ("title", "outlet", "author", "published", "language"))  # the url stays
    strip(root, ("url",), only=SOURCES[4])
    path = root / f"content/sources/{SOURCES[4]}.yaml"  # 004 keeps its title instead
    path.write_text(f"title: {json.dumps(before[SOURCES[4]]['title'], ensure_ascii=False)}\n"
                    + path.read_text("utf-8"), "utf-8")
    diags = Diagnostics()
    results = import_references(root, csl=ZOTERO, bibtex=None, diags=diags)
    assert [(r.outcome, r.source, r.how) for r in results] == [
        (Outcome.UPDATED, SOURCES[0], "url"), (Outcome.UPDATED, SOURCES[1], "url"),
        (Outcome.UPDATED, SOURCES[2], "url"), (Outcome.UPDATED, SOURCES[3], "url"),
        (Outcome.UPDATED, SOURCES[4], "title"), (Outcome.UNMATCHED, "", "")]
    assert results[1].added == ("title", "outlet")  # "English" is the site's language
    assert results[4].added == ("outlet", "url")
    assert {s: metadata(root, s) for s in SOURCES} == before
    assert results[0].entry.location.line == 2 and results[5].entry.location.line == 109
    (unmatched,) = diags.warnings
    assert unmatched.message.startswith("no seed matches 'India, Russia sign AK-203 rifle deal'")
    assert any("save it as seeds/" in hint for hint in unmatched.hints)
    assert not diags.errors
    check = run_cli(root, "check", "--strict")
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_conflict_is_warned_with_both_values_and_never_overwritten(tmp_path):
    root = copy_project(tmp_path / "p")
    path = root / f"content/sources/{SOURCES[0]}.yaml"
    path.write_text(path.read_text("utf-8").replace("outlet: Mint\n", "outlet: Livemint\n")
                    .replace("published: 2022-04-23\n", ""), "utf-8")
    before = path.read_text("utf-8")
    diags = Diagnostics()
    results = import_references(root, csl=ZOTERO, bibtex=None, diags=diags)
    assert results[0].added == ("published",) and results[2].outcome is Outcome.MATCHED
    (conflict,) = [d for d in diags.warnings if "differs" in d.message]
    assert "'Mint'" in conflict.message and "'Livemint'" in conflict.message
    assert str(conflict.location) == f"{ZOTERO.as_posix()}:2:2"
    after = path.read_text("utf-8")
    assert "outlet: Livemint\n" in after and "Mint\"" not in after
    assert after == with_lines(before, [f"published: 2022-04-23  # from {ZOTERO.as_posix()}:2"])


def test_a_seed_without_an_annotation_gets_a_draft_with_the_entry_metadata(tmp_path):
    root = copy_project(tmp_path / "p")
    (root / "seeds/ak-203.txt").write_text(
        "India, Russia sign AK-203 rifle deal\nNEW DELHI: India and Russia on Monday signed "
        "a deal for the AK-203 rifles, officials said.\n", "utf-8")
    result = run_cli(root, "import", "--from-csl", str(ZOTERO))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].endswith(
        "created ak-203 (by title): drafted content/sources/ak-203.yaml from its seed")
    text = (root / "content/sources/ak-203.yaml").read_text("utf-8")
    origin = f"  # from {ZOTERO.as_posix()}:109"
    assert f'title: "India, Russia sign AK-203 rifle deal"{origin}\n' in text
    assert f'outlet: "The Hindu"{origin}\n' in text
    assert f'author: "Special Correspondent"{origin}\n' in text
    assert f"published: 2021-12-06{origin}\n" in text
    assert "# guessed: headline" not in text and "exclude:" in text
    assert metadata(root, "ak-203")["url"].startswith("https://www.thehindu.com/")
    again = run_cli(root, "import", "--from-csl", str(ZOTERO))  # now annotated: nothing new
    assert again.stdout.splitlines()[-1].endswith("matched ak-203 (by url): nothing to add")


def test_bibtex_import_decodes_latex_and_reports_errors_located(tmp_path):
    root = copy_project(tmp_path / "p")
    strip(root, ("author",), only=SOURCES[2])
    bib = tmp_path / "library.bib"
    bib.write_text("% exported by JabRef\n\n@article{jha2022,\n"
                   "  title = {India has ties with {Russia} that we don't have, that's okay: US},\n"
                   "  author = {Jha, Lalit K. and {Press Trust of India}},\n"
                   "  journaltitle = {Rediff.com}, date = {2022-02-26},\n"
                   "  url = {https://m.rediff.com/amp/news/report/"
                   "india-has-ties-with-russia-that-we-dont-have-thats-okay-us/20220226.htm},\n"
                   "}\n", "utf-8")
    diags = Diagnostics()
    (result,) = import_references(root, csl=None, bibtex=bib, diags=diags)
    assert (result.outcome, result.source, result.how, result.added) == (
        Outcome.UPDATED, SOURCES[2], "url", ("author",))
    assert metadata(root, SOURCES[2])["author"] == "Lalit K. Jha and Press Trust of India"
    assert str(result.entry.location) == f"{bib.as_posix()}:3:1"
    broken = tmp_path / "broken.bib"
    broken.write_text("@article{a,\n  title = {x},\n\n@article{b, title = {y}}\n", "utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text('[\n  {"id": "a", "title": "x"},\n  {"id": "b" "title": "y"}\n]\n', "utf-8")
    before = {p: p.read_bytes() for p in (root / "content/sources").iterdir()}
    for option, path, where in (("--from-bibtex", broken, ":1:1:"), ("--from-csl", bad, ":3:14:")):
        failed = run_cli(root, "import", option, str(path))
        assert failed.returncode == 1 and f"{path.as_posix()}{where} error:" in failed.stderr
        assert "Traceback" not in failed.stderr
    assert {p: p.read_bytes() for p in (root / "content/sources").iterdir()} == before


def test_matching_is_conservative_about_addresses_and_lenient_about_title_typography():
    same = "https://Example.org:443/a/b?x=1#top"
    assert url_key(same) == url_key("https://example.org/a/b?x=1")
    for other in ("http://example.org/a/b?x=1", "https://www.example.org/a/b?x=1",
                  "https://example.org/a/b/?x=1", "https://example.org/amp/a/b?x=1"):
        assert url_key(other) != url_key("https://example.org/a/b?x=1")
    assert title_key("Blinken\u2019s Aide Says US \u2018Understands\u2019") == title_key(
        "blinken's aide says US 'understands'")


def test_an_entry_near_an_address_is_reported_not_taken(tmp_path):
    root = copy_project(tmp_path / "p")
    export = tmp_path / "near.json"
    export.write_text(json.dumps([{"id": "x", "type": "webpage", "title": "Something else",
                                   "URL": "https://www.indiandefensenews.in/2022/04/"
                                          "dont-want-to-see-india-rely-what-us.html"}]), "utf-8")
    diags = Diagnostics()
    (result,) = import_references(root, csl=export, bibtex=None, diags=diags)
    assert result.outcome is Outcome.UNMATCHED
    (warning,) = diags.warnings
    assert any(SOURCES[1] in hint and "another address" in hint for hint in warning.hints)


@pytest.mark.parametrize("args", [(), ("--from-csl", "missing.json")])
def test_the_command_needs_a_readable_file(tmp_path, args):
    root = copy_project(tmp_path / "p")
    result = run_cli(root, "import", *args)
    assert result.returncode in (1, 2) and "hint:" in result.stderr
    assert "Traceback" not in result.stderr
