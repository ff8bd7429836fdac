"""Whole-project downloads stay within GitHub Pages' limits (issue 16): past LARGE_BYTES, a
download (facts.json, facts.csv, annotations.jsonld) is published as one gzip file of its
complete content, linked from the data page and the footer; a small project keeps its files.

The limit is lowered here (monkeypatch) on a generated 30-source project, whose downloads are
about 100 to 260 KB, so no test needs a 10,000-source build."""

from __future__ import annotations

import csv
import gzip
import io
import json
import posixpath
import subprocess
from pathlib import Path

import pytest

from conftest import generate_project
from htmltree import parse
from sourcebook.engine.commands import PreviewBuilder
from sourcebook.engine.pipeline import build_in_memory
from sourcebook.site.catalogue import CATALOGUE, read_research
from sourcebook.site.exports import downloads

DOWNLOADS = ("data/facts.json", "data/facts.csv", "data/annotations.jsonld")
# Every download that measures its size: these and the sources' references (a few KB here).
MEASURED = (*DOWNLOADS, "data/references.json", "data/references.bib", "data/references.ris")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_project(tmp_path_factory.mktemp("downloads") / "project", 30)


@pytest.fixture(scope="module")
def whole(generated: Path) -> dict[str, bytes]:
    """The generated project's site with today's limit: every download as it is."""
    return build_in_memory(generated).pages


def test_the_downloads_measure_their_exact_size_without_writing(generated, whole, project):
    for root, pages in ((generated, whole), (project, build_in_memory(project).pages)):
        read = read_research(build_in_memory(root).research)
        sizes = {e.name: e.size(read) for e in CATALOGUE.exports if e.size is not None}
        assert sizes == {path: len(pages[path]) for path in MEASURED}


def test_cheap_bounds_hold_the_exact_size_which_settles_the_limit_between_them(
        generated, whole, project, monkeypatch):
    from sourcebook.site.exports.annotations import annotations_bounds

    for root in (generated, project):
        read = read_research(build_in_memory(root).research)
        least, most = annotations_bounds(read)
        assert least <= len(build_in_memory(root).pages["data/annotations.jsonld"]) <= most
    exact = len(whole["data/annotations.jsonld"])
    read = read_research(build_in_memory(generated).research)
    least, most = annotations_bounds(read)
    assert least < most
    for limit, large in ((least - 1, True), (exact - 1, True), (exact, False), (most, False)):
        monkeypatch.setattr(downloads, "LARGE_BYTES", limit)
        pages = build_in_memory(generated).pages
        assert ("data/annotations.jsonld.gz" in pages) is large, limit
        assert ("data/annotations.jsonld" in pages) is not large, limit


def test_past_the_limit_each_download_is_one_gzip_file_of_its_complete_content(
        generated, whole, monkeypatch):
    limit = 60_000
    assert all(len(whole[path]) > limit for path in DOWNLOADS)  # every one is over it
    monkeypatch.setattr(downloads, "LARGE_BYTES", limit)
    pages = build_in_memory(generated).pages
    data = {p: len(b) for p, b in pages.items() if p.startswith("data/")}
    assert all(size <= limit for size in data.values()), data
    for path in DOWNLOADS:
        assert path not in pages
        packed = pages[path + ".gz"]
        assert gzip.decompress(packed) == whole[path]  # the complete file, byte for byte
        # deterministic: no modification time, no file name (flags 0), so rebuilds match
        assert packed[:2] == b"\x1f\x8b" and packed[3] == 0 and packed[4:8] == bytes(4)
    assert json.loads(gzip.decompress(pages["data/facts.json.gz"])) == json.loads(
        whole["data/facts.json"])
    rows = list(csv.reader(io.StringIO(gzip.decompress(pages["data/facts.csv.gz"]).decode())))
    assert rows == list(csv.reader(io.StringIO(whole["data/facts.csv"].decode())))
    assert build_in_memory(generated).pages == pages  # byte-identical rebuilds
    assert set(pages) - set(whole) == {p + ".gz" for p in DOWNLOADS}
    assert set(whole) - set(pages) == set(DOWNLOADS)


def links(html: bytes, page: str) -> set[str]:
    """The site files the page's links lead to."""
    tree = parse(html.decode("utf-8"))
    return {posixpath.normpath(posixpath.join(posixpath.dirname(page), a.attrs["href"]))
            for a in tree.iter() if a.tag == "a" and "href" in a.attrs
            and "//" not in a.attrs["href"] and not a.attrs["href"].startswith("#")}


def test_the_data_page_and_the_footer_link_what_is_published(generated, monkeypatch):
    limit = 210_000  # annotations.jsonld is over it; facts.json and facts.csv are not
    monkeypatch.setattr(downloads, "LARGE_BYTES", limit)
    pages = build_in_memory(generated).pages
    published = {"data/facts.json", "data/facts.csv", "data/annotations.jsonld.gz"}
    assert published <= set(pages) and "data/annotations.jsonld" not in pages
    page = pages["data/index.html"]
    assert published <= links(page, "data/index.html")
    tree = parse(page.decode("utf-8"))
    (script,) = [e for e in tree.iter() if e.tag == "script"
                 and e.attrs.get("type") == "application/ld+json"]
    distribution = {d["name"]: d["encodingFormat"]
                    for d in json.loads(script.text())["distribution"]}
    assert distribution["data/annotations.jsonld.gz"] == "application/gzip"
    assert "data/annotations.jsonld" not in distribution
    text = tree.text()
    assert "gzip-compressed" in text and "annotations.jsonld" in text
    assert "over 0.2 MB" in " ".join(text.split())  # the limit, as the page states it
    for path in ("index.html", "sources/index.html", "data/index.html"):
        found = links(pages[path], path)
        assert published <= found and "data/annotations.jsonld" not in found, path
    for path, html in pages.items():  # no page links a file the build did not make
        if path.endswith(".html"):
            assert {p for p in links(html, path) if p.startswith("data/")} <= set(pages) | {
                "data"}, path


def test_a_small_project_keeps_exactly_its_files(built):
    site = built / "site"
    assert not list(site.rglob("*.gz"))
    for path in DOWNLOADS:
        assert (site / path).stat().st_size < downloads.LARGE_BYTES
    assert {f"data/{p}" for p in ("facts.json", "facts.csv", "annotations.jsonld")} <= links(
        (site / "data/index.html").read_bytes(), "data/index.html")


def test_the_preview_makes_the_gzip_file_when_asked_and_follows_edits_across_the_limit(
        generated, whole, tmp_path, monkeypatch):
    root = tmp_path / "project"
    subprocess.run(["cp", "-r", str(generated), str(root)], check=True)
    monkeypatch.setattr(downloads, "LARGE_BYTES", len(whole["data/facts.json"]))  # at it
    session = PreviewBuilder(root, lazy_exports=True)
    session.rebuild()
    assert session.later("data/facts.json") == whole["data/facts.json"]
    assert session.later("data/facts.json.gz") is None
    path = root / "content/sources/s00000.yaml"
    text = path.read_text("utf-8")
    end = text.index('"\n', text.index("statement: "))  # the statement's closing quote
    path.write_text(text[:end] + ', now longer than it was' + text[end:], "utf-8")
    result = session.rebuild()
    clean = build_in_memory(root).pages
    assert "data/facts.json.gz" in clean and "data/facts.json" not in clean
    assert session.later("data/facts.json") is None
    assert session.later("data/facts.json.gz") == clean["data/facts.json.gz"]
    assert b"now longer than it was" in gzip.decompress(clean["data/facts.json.gz"])
    assert {p: b for p, b in result.pages.items() if p.endswith(".html")} == {
        p: b for p, b in clean.items() if p.endswith(".html")}  # the links moved to the .gz
