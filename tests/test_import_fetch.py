"""`import URL`'s fetcher against a stand-in site on 127.0.0.1 (tests/webserver.py): what it
keeps of a page, and each way a download is refused in plain words. Never the internet."""

from __future__ import annotations

import datetime
import gzip
import socket
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from sourcebook.authoring.init import version
from sourcebook.importing.capture import MAX_BYTES, ImportRefused, Kind
from sourcebook.importing.fetch import (
    DEADLINE_FACTOR,
    MAX_REDIRECTS,
    _check_redirect,
    fetch,
)
from webserver import (
    ARTICLE,
    Site,
    chunked,
    closed_port,
    declared,
    drip,
    page,
    redirect,
    serve_site,
    silent,
)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def site() -> Iterator[Site]:
    with serve_site({}) as running:
        yield running


def refused(url: str, **options: object) -> ImportRefused:
    """The refusal a fetch ends in (allow_http unless told otherwise: the site is plain HTTP)."""
    options.setdefault("allow_http", True)
    with pytest.raises(ImportRefused) as caught:
        fetch(url, **options)  # type: ignore[arg-type]
    assert caught.value.message and "Traceback" not in caught.value.message
    return caught.value


def test_a_page_is_kept_byte_for_byte_with_its_address_type_and_time(site: Site) -> None:
    site.routes["/news/rifles.html"] = page(ARTICLE, "text/html; charset=utf-8")
    before = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    capture = fetch(site.url("/news/rifles.html"), allow_http=True)
    after = datetime.datetime.now(datetime.UTC)
    assert capture.body == ARTICLE
    assert capture.kind is Kind.HTML
    assert capture.url == capture.given == site.url("/news/rifles.html")
    assert capture.redirects == ()
    assert capture.media_type == "text/html; charset=utf-8"
    assert capture.fetched is not None and capture.fetched.tzinfo == datetime.UTC
    assert capture.fetched.microsecond == 0 and before <= capture.fetched <= after
    assert MAX_BYTES == 50 * 2**20  # the build's default limits: original_bytes
    [(path, headers)] = site.requests
    assert path == "/news/rifles.html"
    agent = headers["User-Agent"]
    assert agent.startswith(f"sourcebook/{version()} (") and "research archive" in agent
    assert headers["Accept-Encoding"] == "identity"


def test_xhtml_and_pdf_are_pages_and_a_pdf_sent_as_octet_stream_is_known_by_its_body(
        site: Site) -> None:
    site.routes["/a.xhtml"] = page(ARTICLE, "application/xhtml+xml")
    site.routes["/report.pdf"] = page(PDF, "application/pdf")
    site.routes["/download?id=7"] = page(PDF, "application/octet-stream")
    assert fetch(site.url("/a.xhtml"), allow_http=True).kind is Kind.HTML
    for path in ("/report.pdf", "/download?id=7"):
        capture = fetch(site.url(path), allow_http=True)
        assert (capture.kind, capture.body) == (Kind.PDF, PDF)


def test_a_page_sent_compressed_against_the_request_is_decompressed(site: Site) -> None:
    def gzipped(handler) -> None:
        body = gzip.compress(ARTICLE)
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Encoding", "gzip")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    site.routes["/z"] = gzipped
    assert fetch(site.url("/z"), allow_http=True).body == ARTICLE
    # the limit is on the page, not on what the wire carried: a small bomb is refused
    bomb = gzip.compress(b" " * 100_000)
    site.routes["/bomb"] = lambda handler: (
        handler.send_response(200), handler.send_header("Content-Type", "text/html"),
        handler.send_header("Content-Encoding", "gzip"),
        handler.send_header("Content-Length", str(len(bomb))), handler.end_headers(),
        handler.wfile.write(bomb))
    assert "larger than the limit of 10,000 bytes" in refused(
        site.url("/bomb"), max_bytes=10_000).message


def test_a_redirect_chain_on_the_same_site_is_followed_and_recorded_in_order(
        site: Site) -> None:
    site.routes.update({"/old": redirect("/older", 301), "/older": redirect(site.url("/new")),
                        "/new": redirect("/final#part", 307),
                        "/final": page(ARTICLE)})
    capture = fetch(site.url("/old"), allow_http=True)
    assert capture.redirects == (site.url("/old"), site.url("/older"), site.url("/new"))
    assert capture.url == site.url("/final")
    assert capture.body == ARTICLE
    assert [path for path, _ in site.requests] == ["/old", "/older", "/new", "/final"]


def test_an_address_with_other_letters_is_sent_percent_encoded(site: Site) -> None:
    site.routes.update({"/caf%C3%A9?q=%C3%A9t%C3%A9": page(ARTICLE),
                        # a Location in UTF-8, as servers send it (the handler writes Latin-1)
                        "/menu": redirect("/café?q=été".encode().decode("latin-1"))})
    assert fetch(site.url("/café?q=été"), allow_http=True).body == ARTICLE
    capture = fetch(site.url("/menu"), allow_http=True)
    assert capture.url == site.url("/café?q=été") and capture.body == ARTICLE


def test_a_redirect_to_another_site_is_refused_without_fetching_it(site: Site) -> None:
    elsewhere = site.url("/page", host="localhost")
    site.routes.update({"/away": redirect(elsewhere), "/page": page(ARTICLE)})
    error = refused(site.url("/away"))
    assert error.message == (f"redirected to another site: {elsewhere}; import that address "
                             "yourself if you trust it")
    assert site.url("/away") in error.hint
    assert [path for path, _ in site.requests] == ["/away"]


def test_redirects_between_schemes_and_hosts() -> None:
    def check(source: str, target: str, allow_http: bool = False) -> None:
        _check_redirect(urlsplit(source), urlsplit(target), allow_http=allow_http)

    check("http://example.org/a", "https://example.org/a")  # an upgrade is the same site
    check("https://example.org/a", "https://www.example.org/a")
    check("https://www.example.org/a", "https://example.org:443/b")
    with pytest.raises(ImportRefused, match=r"redirected to plain HTTP: http://example\.org/a"):
        check("https://example.org/a", "http://example.org/a", allow_http=True)
    for target in ("https://example.com/a", "https://example.org:8443/a",
                   "https://news.example.org/a", "https://example.org.evil.test/a"):
        with pytest.raises(ImportRefused, match="redirected to another site: "):
            check("https://example.org/a", target)


def test_redirects_end_after_ten_and_a_loop_is_named(site: Site) -> None:
    site.routes.update({f"/r{n}": redirect(f"/r{n + 1}") for n in range(MAX_REDIRECTS + 1)})
    site.routes[f"/r{MAX_REDIRECTS}"] = page(ARTICLE)
    assert len(fetch(site.url("/r0"), allow_http=True).redirects) == MAX_REDIRECTS
    site.routes[f"/r{MAX_REDIRECTS}"] = redirect("/end")
    assert refused(site.url("/r0")).message.startswith(f"more than {MAX_REDIRECTS} redirects")
    site.routes.update({"/ping": redirect("/pong"), "/pong": redirect("/ping")})
    assert "redirects in a loop" in refused(site.url("/ping")).message
    site.routes["/nowhere"] = redirect("")
    assert "a redirect, but did not say where to" in refused(site.url("/nowhere")).message
    site.routes["/script"] = redirect("javascript:alert(1)")
    assert refused(site.url("/script")).message == (
        f"{site.url('/script')} redirected to an address that cannot be fetched: "
        "javascript:alert(1) is a javascript: address: only http:// and https:// pages can be "
        "fetched")
    site.routes["/login"] = redirect(site.url("/a").replace("//", "//me:pw@"))
    assert "user name or password" in refused(site.url("/login")).message


def test_a_server_that_does_not_answer_is_given_up_on_within_the_timeout(site: Site) -> None:
    site.routes["/slow"] = silent(3)
    start = time.monotonic()
    error = refused(site.url("/slow"), timeout=0.3)
    assert time.monotonic() - start < 1.5
    assert error.message == "127.0.0.1 did not answer within 0.3 seconds"
    assert "--timeout" in error.hint


@pytest.mark.parametrize("headers_too", [False, True], ids=["body", "headers"])
def test_a_server_that_drips_bytes_is_stopped_at_the_overall_deadline(
        site: Site, headers_too: bool) -> None:
    site.routes["/drip"] = drip(5, every=0.02, headers_too=headers_too)
    start = time.monotonic()
    error = refused(site.url("/drip"), timeout=0.15)
    took = time.monotonic() - start
    assert 0.15 * DEADLINE_FACTOR - 0.1 < took < 0.15 * DEADLINE_FACTOR + 1
    assert "the download took longer than 0.9 seconds" in error.message


def test_a_body_over_the_limit_is_refused_by_its_declared_length_before_it_is_read(
        site: Site) -> None:
    site.routes["/huge"] = declared(60 * 2**20)
    start = time.monotonic()
    error = refused(site.url("/huge"))
    assert time.monotonic() - start < 1
    assert error.message == (f"{site.url('/huge')} is larger than the limit of 50 MB for an "
                             "archived original: the server says it is 60 MB")
    assert "original_bytes" in error.hint


@pytest.mark.parametrize("answer", [chunked(b"x" * 1000, 200),
                                    page(b"<p>" + b"x" * 200_000, length=False)],
                         ids=["chunked", "until-closed"])
def test_a_body_that_grows_over_the_limit_is_cut_and_refused(site: Site, answer) -> None:
    site.routes["/long"] = answer
    error = refused(site.url("/long"), max_bytes=50_000)
    assert error.message == (f"{site.url('/long')} is larger than the limit of 50,000 bytes "
                             "for an archived original: the download was stopped there")
    site.routes["/short"] = chunked(b"x" * 1000, 20)
    assert fetch(site.url("/short"), allow_http=True, max_bytes=20_000).body == b"x" * 20_000


def test_a_body_cut_short_of_its_declared_length_is_refused(site: Site) -> None:
    site.routes["/cut"] = declared(1000)  # sends 6 bytes of the 1,000, then hangs up
    error = refused(site.url("/cut"))
    assert error.message == "127.0.0.1: the connection broke off before the page was complete"


@pytest.mark.parametrize("media_type", ["image/png", "application/json", "text/plain"])
def test_a_file_that_is_not_a_page_is_refused_naming_its_type(
        site: Site, media_type: str) -> None:
    site.routes["/thing"] = page(b"\x89PNG or {} or text", media_type + "; charset=utf-8")
    error = refused(site.url("/thing"))
    assert error.message == (f"{site.url('/thing')} is a file of type {media_type}, not an "
                             "HTML page or a PDF")
    site.routes["/blob"] = page(b"<html>", "application/octet-stream")
    assert "a file of type application/octet-stream" in refused(site.url("/blob")).message


@pytest.mark.parametrize(("status", "reason", "hint"), [
    (404, "Not Found", "web archive"), (403, "Forbidden", "Save Page As"),
    (500, "Internal Server Error", "try again later")])
def test_an_http_error_is_refused_with_its_status(site: Site, status: int, reason: str,
                                                   hint: str) -> None:
    site.routes["/err"] = page(b"<h1>error</h1>", status=status)
    error = refused(site.url("/err"))
    assert error.message == f"{site.url('/err')}: the server answered {status} {reason}"
    assert hint in error.hint


def test_plain_http_is_refused_unless_allowed(site: Site) -> None:
    site.routes["/a"] = page(ARTICLE)
    error = refused(site.url("/a"), allow_http=False)
    assert error.message == (f"{site.url('/a')}: plain HTTP can be altered in transit; use "
                             "https:// or pass --allow-http")
    assert site.requests == []


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/a.html",
                                 "javascript:alert(1)", "example.org/page", "https:///path"])
def test_addresses_that_are_not_web_pages_are_refused(url: str) -> None:
    error = refused(url, allow_http=False)
    assert "only http:// and https://" in error.message or "names no site" in error.message


def test_a_password_in_the_address_is_refused_and_not_repeated() -> None:
    error = refused("https://me:secret@example.org/a")
    assert "secret" not in error.message and "user name or password" in error.message


def test_a_closed_port_is_refused_in_plain_words() -> None:
    port = closed_port()
    error = refused(f"http://127.0.0.1:{port}/a")
    assert error.message == f"127.0.0.1 refused the connection on port {port}"
    assert "site may be down" in error.hint


def test_a_site_name_that_does_not_resolve_is_refused_in_plain_words(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def no_such_name(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_name)
    error = refused("https://no-such-site.example/a")
    assert error.message == ("could not find the site no-such-site.example: no such name, or "
                             "no network")


def test_https_to_a_server_that_speaks_plain_http_is_a_tls_failure_in_plain_words(
        site: Site) -> None:
    error = refused(site.url("/a").replace("http:", "https:"))
    assert error.message.startswith("127.0.0.1: the secure connection failed (")
    assert "http:// or https://" in error.hint


@pytest.mark.parametrize("url", ["https://example.org:99999/news", "https://a..b/news"])
def test_a_malformed_address_is_refused_with_a_hint(url: str) -> None:
    refusal = refused(url, allow_http=False)
    assert "port is not a number" in refusal.message or "not a valid site name" in refusal.message
    assert "check the address" in refusal.hint
