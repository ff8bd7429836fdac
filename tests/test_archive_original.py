"""The archived original (issue 18): an annotation's `original:` names the page as it was saved
or downloaded, kept in archive/ with its SHA-256. The build proves it is there and unchanged,
publishes it byte for byte (a saved page as text, so it never runs on the site's origin), and
the source page links to it and to the web archive's copy; a source with neither is a
warning."""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import pytest

from builds import site_files
from conftest import run_cli
from htmltree import parse
from minisite import make_project
from sourcebook.cli import main
from sourcebook.engine.commands import PreviewBuilder
from sourcebook.engine.pipeline import build_in_memory
from sourcebook.engine.settings import Settings
from sourcebook.preview.watcher import changed_paths, snapshot

SEED = "Harbour board names a pilot\n\nThe board appointed a second pilot on Monday.\n"
PAGE = (b"<!DOCTYPE html><html><head><title>Harbour board names a pilot</title>"
        b"<script>document.title = 'ran'</script></head><body><nav>Home</nav><article>"
        b"<h1>Harbour board names a pilot</h1><p>The board appointed a second pilot on "
        b"Monday.</p></article></body></html>\n")
WAYBACK = "https://web.archive.org/web/20220405/https://news.example.org/2022/04/harbour-pilot"
CLAIMS = ("claims:\n  - fact: pilot\n    quote: The board appointed a second pilot on Monday.\n"
          "    topics: [t]\n    statement: The board appointed a second pilot.\n")


def annotation(original: str = "", archive_url: str = WAYBACK) -> str:
    """An annotation with these `original:` lines (indented mapping) and archive_url."""
    return ("title: Harbour board names a pilot\n"
            "url: https://news.example.org/2022/04/harbour-pilot\n"
            + (f"archive_url: {archive_url}\n" if archive_url else "")
            + (f"original:\n{original}" if original else "") + CLAIMS)


def original_lines(file: str = "archive/a.html", data: bytes = PAGE, extra: str = "") -> str:
    return (f"  file: {file}\n  sha256: {hashlib.sha256(data).hexdigest()}\n"
            "  fetched: 2026-12-04T16:20:11Z\n"
            "  redirects:\n    - http://news.example.org/p/123\n" + extra)


def with_original(tmp_path: Path, *, name: str = "a.html", data: bytes = PAGE,
                  archive_url: str = WAYBACK) -> Path:
    root = make_project(tmp_path / "p", seeds={"a": SEED}, sources={
        "a": annotation(original_lines(f"archive/{name}", data), archive_url)})
    (root / "archive").mkdir()
    (root / "archive" / name).write_bytes(data)
    return root


def errors(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if ": error: " in line]


def test_an_original_is_published_byte_for_byte_as_text_and_linked(tmp_path):
    root = with_original(tmp_path)
    assert main(["--root", str(root), "build", "--base-url", "https://example.org/r/"]) == 0
    published = root / "site/sources/a/original.html.txt"
    assert published.read_bytes() == PAGE  # served as text/plain: its script never runs
    assert not (root / "site/sources/a/original.html").exists()
    page = parse((root / "site/sources/a/index.html").read_text("utf-8"))
    words = " ".join(page.text().split())
    assert "<dt>Saved page</dt>" in (root / "site/sources/a/index.html").read_text("utf-8")
    assert ("the page as imported (HTML, 258 bytes, shown as plain text, sha256:"
            f"{hashlib.sha256(PAGE).hexdigest()}), fetched 2026-12-04 16:20 UTC") in words
    assert "redirected from http://news.example.org/p/123" in words
    links = {a.attrs.get("href"): a.text() for a in page.iter() if a.tag == "a"}
    assert links["../../sources/a/original.html.txt"] == "the page as imported"
    assert links[WAYBACK] == WAYBACK
    html = (root / "site/sources/a/index.html").read_text("utf-8")
    assert ('"archivedAt": ["https://example.org/r/sources/a/original.html.txt", '
            f'"{WAYBACK}"]') in html
    [source] = json.loads((root / "site/data/facts.json").read_text("utf-8"))["sources"]
    assert source["archive_url"] == WAYBACK
    assert source["original"] == {"href": "sources/a/original.html.txt",
                                  "sha256": hashlib.sha256(PAGE).hexdigest(),
                                  "fetched": "2026-12-04T16:20:11Z",
                                  "redirects": ["http://news.example.org/p/123"]}
    data_page = (root / "site/data/index.html").read_text("utf-8")
    assert "sources/&lt;id&gt;/original.&lt;suffix&gt;" in data_page


@pytest.mark.parametrize(("name", "published"), [
    ("a.pdf", "original.pdf"), ("a.warc.gz", "original.warc.gz"),
    ("a.mhtml", "original.mhtml.txt"), ("a.htm", "original.htm.txt")])
def test_a_pdf_or_a_warc_keeps_its_name_and_a_saved_page_becomes_text(tmp_path, name,
                                                                       published):
    data = b"%PDF-1.4 not really\n" if name.endswith(".pdf") else PAGE
    root = with_original(tmp_path, name=name, data=data)
    assert main(["--root", str(root), "build"]) == 0
    assert sorted(p.name for p in (root / "site/sources/a").iterdir()
                  if not p.name.startswith("reference.")) == \
        sorted(["index.html", "seed.txt", published])
    assert (root / "site/sources/a" / published).read_bytes() == data


def test_an_original_changed_since_it_was_imported_fails_the_build_at_its_hash(tmp_path):
    root = with_original(tmp_path)
    assert main(["--root", str(root), "build"]) == 0
    before = site_files(root / "site")
    (root / "archive/a.html").write_bytes(PAGE.replace(b"second", b"third"))
    result = run_cli(root, "build")
    assert result.returncode == 1
    new = hashlib.sha256(PAGE.replace(b"second", b"third")).hexdigest()
    assert errors(result) == ["content/sources/a.yaml:6:11: error: the archived original has "
                              "changed since it was imported"]
    assert f"hint: archive/a.html now has the SHA-256 {new}" in result.stderr
    assert "Traceback" not in result.stderr
    assert site_files(root / "site") == before  # the site is left as it was


@pytest.mark.parametrize(("file", "message"), [
    ("../seeds/a.txt", "the original's file must be directly in archive/, not '../seeds/a.txt'"),
    ("/etc/passwd.html", "the original's file must be a path inside the project"),
    ("archive/sub/a.html", "the original's file must be directly in archive/"),
    ("seeds/a.html", "the original's file must be directly in archive/"),
    ("archive/a.svg", "'a.svg' is not a kind of original the site publishes"),
    ("archive/missing.html", "the archived original archive/missing.html is missing"),
])
def test_an_original_outside_archive_or_missing_is_an_error_at_its_file(tmp_path, file,
                                                                        message):
    root = with_original(tmp_path)
    path = root / "content/sources/a.yaml"
    path.write_text(path.read_text("utf-8").replace("file: archive/a.html", f"file: {file}"),
                    "utf-8")
    result = run_cli(root, "check")
    assert result.returncode == 1
    [error] = errors(result)
    assert error.startswith("content/sources/a.yaml:5:9: error: " + message), error


def test_an_original_that_is_a_link_is_an_error(tmp_path):
    root = with_original(tmp_path)
    (root / "outside.html").write_bytes(PAGE)
    (root / "archive/a.html").unlink()
    os.symlink(root / "outside.html", root / "archive/a.html")
    result = run_cli(root, "build")
    assert result.returncode == 1
    assert errors(result) == ["content/sources/a.yaml:5:9: error: archive/a.html is a symbolic "
                              "link: the build reads only files inside the project"]
    assert not (root / "site").exists()


def test_a_malformed_hash_or_time_is_an_error(tmp_path):
    root = make_project(tmp_path / "p", seeds={"a": SEED}, sources={"a": annotation(
        "  file: archive/a.html\n  sha256: ABC\n  fetched: 2026-12-04 16:20\n")})
    result = run_cli(root, "check")
    assert errors(result) == [
        "content/sources/a.yaml:6:11: error: 'sha256' must be 64 lowercase hexadecimal digits",
        "content/sources/a.yaml:7:12: error: 'fetched' is not a time in UTC: '2026-12-04 16:20'"]


def test_the_old_archive_key_is_unknown_and_names_archive_url(tmp_path):
    root = make_project(tmp_path / "p", seeds={"a": SEED}, sources={
        "a": annotation(archive_url="").replace("claims:", f"archive: {WAYBACK}\nclaims:")})
    result = run_cli(root, "check")
    assert result.returncode == 1
    assert "content/sources/a.yaml:3:1: error: unknown key 'archive'" in result.stderr
    assert "hint: did you mean 'archive_url'?" in result.stderr


def test_a_source_with_no_archived_copy_is_a_warning(tmp_path):
    root = make_project(tmp_path / "p", seeds={"a": SEED},
                        sources={"a": annotation(archive_url="")})
    result = run_cli(root, "check")
    assert result.returncode == 0
    assert ("content/sources/a.yaml:1:1: warning: this source has no archived copy: neither "
            "`original:` (the page kept in archive/) nor `archive_url:`") in result.stderr
    assert ("hint: import the page with `python build.py import URL` to keep the original, or "
            "add `archive_url:` (a Wayback Machine or archive.today address)") in result.stderr
    assert run_cli(root, "check", "--strict").returncode == 1
    # Either kind of copy is enough.
    assert "no archived copy" not in run_cli(with_original(tmp_path / "o", archive_url=""),
                                             "check").stderr


def _edit_original(root: Path, data: bytes) -> None:
    """Replace the archived original, and record its new hash."""
    (root / "archive/a.html").write_bytes(data)
    path = root / "content/sources/a.yaml"
    text = path.read_text("utf-8")
    old = text.split("sha256: ", 1)[1][:64]
    path.write_text(text.replace(old, hashlib.sha256(data).hexdigest()), "utf-8")


def test_an_edited_original_rebuilds_as_a_clean_build_would(tmp_path):
    root = with_original(tmp_path)
    assert main(["--root", str(root), "build"]) == 0
    preview = PreviewBuilder(root, Settings())
    seen = snapshot(root)
    preview.rebuild()
    time.sleep(0.01)
    for n, data in enumerate((PAGE + b"<!-- a -->\n", PAGE * 3, PAGE)):
        _edit_original(root, data)
        now = snapshot(root)
        changes, seen = changed_paths(seen, now), now
        assert "archive/a.html" in changes  # the watcher sees archive/
        incremental = preview.rebuild(changes).pages
        assert main(["--root", str(root), "build"]) == 0
        clean = build_in_memory(root).pages
        assert incremental == clean, n
        assert site_files(root / "site") == clean, n
        assert clean["sources/a/original.html.txt"] == data


def test_the_quick_no_op_check_sees_an_edited_original(tmp_path):
    root = with_original(tmp_path)
    assert run_cli(root, "build").returncode == 0
    (root / "archive/a.html").write_bytes(PAGE + b" ")
    result = run_cli(root, "build")
    assert result.returncode == 1
    assert "has changed since it was imported" in result.stderr
