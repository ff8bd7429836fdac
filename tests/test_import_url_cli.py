"""`python build.py import URL` end to end, against a stand-in site on 127.0.0.1
(tests/webserver.py), never the internet: a page imported by its address keeps its original
and where it came from, and each failed download is an error in plain words, exit 1, that
writes nothing (no seed, no archive file, no annotation)."""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from conftest import run_cli
from webserver import (
    ARTICLE,
    Site,
    chunked,
    closed_port,
    declared,
    page,
    redirect,
    serve_site,
    silent,
)

WRITTEN = ("seeds", "archive", "content/sources")  # where an import writes


@pytest.fixture
def site() -> Iterator[Site]:
    with serve_site({}) as running:
        yield running


def written(root: Path) -> dict[str, bytes | None]:
    """Every file and folder an import could write, with the files' bytes."""
    return {path.relative_to(root).as_posix(): path.read_bytes() if path.is_file() else None
            for top in WRITTEN for path in [root / top, *sorted((root / top).rglob("*"))]
            if path.exists()}


def import_fails(root: Path, url: str, *options: str) -> str:
    """Run `import URL …`, check that it failed as a content error and wrote nothing; return
    what it printed on stderr."""
    before = written(root)
    result = run_cli(root, "import", url, *options)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert ": error: " in result.stderr and "  hint: " in result.stderr, result.stderr
    assert written(root) == before
    return result.stderr


def test_a_page_imported_by_its_address_keeps_its_original_and_where_it_came_from(
        project: Path, site: Site) -> None:
    site.routes.update({"/story": redirect("/news/2021/rifles.html", 301),
                        "/news/2021/rifles.html": page(ARTICLE)})
    before = written(project)
    result = run_cli(project, "import", site.url("/story"), "--allow-http")
    assert result.returncode == 0, result.stdout + result.stderr
    new = {rel for rel in written(project) if rel not in before}
    [seed] = [rel for rel in new if rel.startswith("seeds/")]
    [original] = [rel for rel in new if rel.startswith("archive/")]
    [annotation] = [rel for rel in new if rel.startswith("content/sources/")]
    assert (project / original).read_bytes() == ARTICLE
    assert "600,000 AK-203 rifles" in (project / seed).read_text(encoding="utf-8")
    data = yaml.safe_load((project / annotation).read_text(encoding="utf-8"))
    assert data["url"] == site.url("/news/2021/rifles.html")
    assert data["original"]["file"] == original
    assert data["original"]["sha256"] == hashlib.sha256(ARTICLE).hexdigest()
    assert data["original"]["redirects"] == [site.url("/story")]
    assert "fetched" in data["original"]
    agent = site.requests[0][1]["User-Agent"]
    assert agent.startswith("sourcebook/")


def test_a_server_that_does_not_answer_in_time(project: Path, site: Site) -> None:
    site.routes["/slow"] = silent(5)
    message = import_fails(project, site.url("/slow"), "--allow-http", "--timeout", "0.5")
    assert "127.0.0.1 did not answer within 0.5 seconds" in message
    assert "--timeout" in message


def test_a_body_declared_over_the_limit(project: Path, site: Site) -> None:
    site.routes["/huge"] = declared(60 * 2**20)
    message = import_fails(project, site.url("/huge"), "--allow-http")
    assert ("is larger than the limit of 50 MB for an archived original: the server says it "
            "is 60 MB") in message
    assert "original_bytes" in message


def test_a_body_that_grows_over_the_limit(project: Path, site: Site) -> None:
    site.routes["/long"] = chunked(b"<p>" + b"x" * 997, 100)
    config = project / "content" / "site.yaml"  # the project's limit is the import's too
    config.write_text(config.read_text("utf-8") + "limits:\n  original_bytes: 20000\n",
                      "utf-8")
    message = import_fails(project, site.url("/long"), "--allow-http")
    assert ("is larger than the limit of 20,000 bytes for an archived original: the download "
            "was stopped there") in message


@pytest.mark.parametrize("media_type", ["image/png", "application/json"])
def test_a_file_that_is_not_a_page(project: Path, site: Site, media_type: str) -> None:
    site.routes["/file"] = page(b"\x89PNG\r\n or {}", media_type)
    message = import_fails(project, site.url("/file"), "--allow-http")
    assert f"is a file of type {media_type}, not an HTML page or a PDF" in message


def test_a_redirect_to_another_site(project: Path, site: Site) -> None:
    elsewhere = site.url("/news/2021/rifles.html", host="localhost")
    site.routes.update({"/story": redirect(elsewhere), "/news/2021/rifles.html": page(ARTICLE)})
    message = import_fails(project, site.url("/story"), "--allow-http")
    assert (f"redirected to another site: {elsewhere}; import that address yourself if you "
            "trust it") in message
    assert [path for path, _ in site.requests] == ["/story"]


def test_a_page_that_is_not_there(project: Path, site: Site) -> None:
    message = import_fails(project, site.url("/gone.html"), "--allow-http")
    assert f"{site.url('/gone.html')}: the server answered 404 Not Found" in message


def test_plain_http_without_allow_http(project: Path, site: Site) -> None:
    site.routes["/a.html"] = page(ARTICLE)
    message = import_fails(project, site.url("/a.html"))
    assert "plain HTTP can be altered in transit; use https:// or pass --allow-http" in message
    assert site.requests == []


def test_a_port_nothing_listens_on(project: Path) -> None:
    port = closed_port()
    message = import_fails(project, f"http://127.0.0.1:{port}/a.html", "--allow-http")
    assert f"127.0.0.1 refused the connection on port {port}" in message


def test_the_limits_are_checked_as_options(project: Path) -> None:
    for option, value in (("--timeout", "soon"), ("--timeout", "0"), ("--timeout", "-1")):
        result: subprocess.CompletedProcess[str] = run_cli(
            project, "import", "https://example.org/a", option, value)
        assert result.returncode == 2, (option, value, result.stderr)
        assert option in result.stderr
