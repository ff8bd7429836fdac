"""The URL fetcher of `python build.py import URL`: one page downloaded, carefully.

It sends a user agent that names the tool, follows at most ten redirects by hand and records
each, stays on the site it was sent to, keeps to a time limit and a size limit while it reads,
and accepts only an HTML page or a PDF. Every failure is an ImportRefused in plain words with
a hint, never a traceback. It uses the standard library's http.client only, and asks for the
page uncompressed (`Accept-Encoding: identity`), so the archived bytes are the ones the server
sent (a server that compresses them anyway has them decompressed, within the size limit).
"""

from __future__ import annotations

import datetime
import http.client
import socket
import ssl
import threading
import time
import zlib
from contextlib import suppress
from urllib.parse import SplitResult, quote, urljoin, urlsplit, urlunsplit

from .capture import MAX_BYTES, Capture, ImportRefused, Kind, size_text, too_big

MAX_REDIRECTS = 10
# The whole download, redirects included, may take this many times the timeout: the timeout
# bounds each wait for the server, this bounds a server that sends a byte now and then.
DEADLINE_FACTOR = 6
_REDIRECTS = {301, 302, 303, 307, 308}
_KINDS = {"text/html": Kind.HTML, "application/xhtml+xml": Kind.HTML, "application/pdf": Kind.PDF}
# Servers that do not know what they send say one of these; the body then decides (a PDF only).
_UNKNOWN = {"", "application/octet-stream", "binary/octet-stream", "application/x-download",
            "application/download", "application/force-download"}
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SAVE_HINT = ("save the page from your browser (File > Save Page As…, \"Web Page, complete\" "
              "or \"single file\") and import the saved file")
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"


def user_agent() -> str:
    """The User-Agent every request sends: the tool, its version and what it is doing, and the
    project's home page when the installed package names one."""
    from importlib import metadata

    from ..authoring.init import version

    home = ""
    try:
        for entry in metadata.metadata("sourcebook").get_all("Project-URL") or ():
            home = home or entry.partition(",")[2].strip()
    except metadata.PackageNotFoundError:
        pass
    about = f"+{home}; research archive" if home else "research archive"
    return f"sourcebook/{version()} ({about})"


def fetch(url: str, *, allow_http: bool = False, timeout: float = 20.0,
          max_bytes: int = MAX_BYTES) -> Capture:
    """Download the page at `url` (http or https; plain http only with `allow_http`) into a
    Capture: the body byte for byte, the final address, the addresses it was redirected
    through, the time of the response and its Content-Type. Raise ImportRefused on anything
    else: a scheme other than http(s), a redirect off the site or from https to http, an HTTP
    error, a body that is not HTML or PDF, one over `max_bytes`, no answer within `timeout`
    seconds (or a download slower than DEADLINE_FACTOR times that), a network failure."""
    if not timeout > 0 or max_bytes < 1:
        raise ValueError(f"a timeout above 0 and a size limit of 1 byte or more, not "
                         f"{timeout!r} and {max_bytes!r}")
    current = _checked(url, allow_http=allow_http)
    deadline = time.monotonic() + timeout * DEADLINE_FACTOR
    agent = user_agent()
    redirects: list[str] = []
    while True:
        status, reason, headers, body, fetched = _get(current, agent, timeout=timeout,
                                                      deadline=deadline, max_bytes=max_bytes)
        if status not in _REDIRECTS:
            break
        target = _redirect_target(current, headers.get("Location", ""), status, reason)
        _check_redirect(current, target, allow_http=allow_http)
        redirects.append(urlunsplit(current))
        if target.geturl() in redirects:
            raise ImportRefused(f"the page redirects in a loop: {' -> '.join(redirects)} -> "
                                f"{target.geturl()}", _SAVE_HINT)
        if len(redirects) > MAX_REDIRECTS:
            raise ImportRefused(f"more than {MAX_REDIRECTS} redirects, the last to "
                                f"{target.geturl()}", "import the final address yourself, or "
                                + _SAVE_HINT)
        current = target
    final = urlunsplit(current)
    if status not in (200, 203):
        raise _http_error(final, status, reason)
    media_type = headers.get("Content-Type", "").strip()
    kind = _kind(media_type, body, final)
    if not body:
        raise ImportRefused(f"{final} answered with an empty page", _SAVE_HINT)
    return Capture(body=body, kind=kind, given=url, url=final, redirects=tuple(redirects),
                   fetched=fetched, media_type=media_type)


def _checked(url: str, *, allow_http: bool) -> SplitResult:
    """The address split, if it is one sourcebook may fetch; without its fragment (never sent)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        what = f"a {parts.scheme}: address" if parts.scheme else "not a web address"
        raise ImportRefused(f"{url} is {what}: only http:// and https:// pages can be fetched",
                            "give the page's https:// address, or import a saved file by its "
                            "path")
    if not parts.hostname:
        raise ImportRefused(f"{url} names no site", "give the whole address, e.g. "
                            "https://example.org/news/article.html")
    if parts.username is not None or parts.password is not None:
        raise ImportRefused(f"{_without_userinfo(parts)}: the address holds a user name or "
                            "password, which would be recorded in the annotation",
                            "remove the `name:password@` part; for a page behind a login, "
                            + _SAVE_HINT)
    try:
        parts.port  # noqa: B018 (raises on a port that is not a number or out of range)
    except ValueError:
        raise ImportRefused(f"{url}: the port is not a number from 0 to 65535",
                            "check the address: after `host:` comes a port number, e.g. "
                            "https://example.org:8443/news/article.html") from None
    if scheme == "http" and not allow_http:
        raise ImportRefused(f"{url}: plain HTTP can be altered in transit; use https:// or "
                            "pass --allow-http",
                            "most sites answer at the same address with https://")
    return parts._replace(scheme=scheme, path=parts.path or "/", fragment="")


def _without_userinfo(parts: SplitResult) -> str:
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def _redirect_target(current: SplitResult, location: str, status: int,
                     reason: str) -> SplitResult:
    """Where a redirect points, made absolute against the address that gave it, if it is an
    address that may be fetched at all."""
    here = urlunsplit(current)
    with suppress(UnicodeError):  # http.client reads headers as Latin-1; a server may send UTF-8
        location = location.encode("latin-1").decode("utf-8")
    if not location.strip():
        raise ImportRefused(f"{here} answered {status} {reason}, a redirect, but did not say "
                            "where to", _SAVE_HINT)
    try:
        return _checked(urljoin(here, location.strip()), allow_http=True)
    except ImportRefused as exc:
        raise ImportRefused(f"{here} redirected to an address that cannot be fetched: "
                            f"{exc.message}", _SAVE_HINT) from None


def _check_redirect(source: SplitResult, target: SplitResult, *, allow_http: bool) -> None:
    """Refuse a redirect to another site, or from https to http. The same host with and without
    `www.`, and http to https on the usual ports, count as the same site."""
    if not _same_site(source, target):
        raise ImportRefused(f"redirected to another site: {urlunsplit(target)}; import that "
                            "address yourself if you trust it",
                            f"{urlunsplit(source)} sent the download there")
    if target.scheme == "http" and (source.scheme == "https" or not allow_http):
        raise ImportRefused(f"{urlunsplit(source)} redirected to plain HTTP: "
                            f"{urlunsplit(target)}, which can be altered in transit",
                            _SAVE_HINT)


def _same_site(source: SplitResult, target: SplitResult) -> bool:
    """Whether a redirect stays on the site: the same host, `www.` and a trailing dot aside,
    on the same port (a default one as none). Deliberately looser than references.url_key,
    which asks whether two addresses are the same *page* (there `www.` makes another one)."""
    def host(parts: SplitResult) -> str:
        return (parts.hostname or "").rstrip(".").removeprefix("www.")

    def port(parts: SplitResult) -> int | None:
        default = _DEFAULT_PORTS[parts.scheme]
        return None if parts.port in (None, default) else parts.port

    return host(source) == host(target) and port(source) == port(target)


def _get(parts: SplitResult, agent: str, *, timeout: float, deadline: float,
         max_bytes: int) -> tuple[int, str, http.client.HTTPMessage, bytes,
                                  datetime.datetime]:
    """One GET: the status, reason, headers, body (empty for a redirect or an error) and the
    time of the response. Network failures become ImportRefused."""
    host = _ascii_host(parts)
    port = parts.port or _DEFAULT_PORTS[parts.scheme]
    conn: http.client.HTTPConnection
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(host, port, timeout=timeout,
                                           context=ssl.create_default_context())
    else:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
    target = quote(parts.path, safe=_PATH_SAFE) + (
        "?" + quote(parts.query, safe=_PATH_SAFE + "?") if parts.query else "")
    watch = _Watch(deadline)
    response: http.client.HTTPResponse | None = None
    try:
        with watch:
            try:
                conn.connect()
                watch.sock = conn.sock  # kept: http.client forgets it once a response owns it
                conn.putrequest("GET", target, skip_accept_encoding=True)
                for name, value in (("User-Agent", agent), ("Accept-Encoding", "identity"),
                                    ("Accept", "text/html, application/xhtml+xml, "
                                               "application/pdf;q=0.9, */*;q=0.1")):
                    conn.putheader(name, value)
                watch.check()
                conn.endheaders()
                response = conn.getresponse()
                fetched = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
                body = b""
                if 200 <= response.status < 300:
                    _check_type_early(response, urlunsplit(parts))
                    body = _read(response, watch, max_bytes=max_bytes, url=urlunsplit(parts))
            except (OSError, http.client.HTTPException) as exc:
                if watch.fired.is_set():
                    raise _too_slow(parts, timeout) from None
                raise _network_error(parts, exc, timeout) from None
            if watch.fired.is_set():  # the socket was shut while a read was ending cleanly
                raise _too_slow(parts, timeout)
    finally:
        if response is not None:
            response.close()
        conn.close()
        if watch.sock is not None:
            watch.sock.close()
    return response.status, response.reason, response.headers, body, fetched


def _ascii_host(parts: SplitResult) -> str:
    """The host as DNS and the Host header take it: an international name in its IDNA form."""
    host = parts.hostname or ""
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        raise ImportRefused(f"{urlunsplit(parts)}: {host} is not a valid site name",
                            "check the address for typing mistakes; copy it from the "
                            "browser's address bar") from None


class _Watch:
    """The deadline of one request. Each read waits at most the socket's timeout, but a server
    that sends a byte now and then never makes one read wait long; so a timer shuts the
    socket at the deadline, whatever it is waiting for."""

    def __init__(self, deadline: float) -> None:
        self.sock: socket.socket | None = None
        self.fired = threading.Event()
        self._timer = threading.Timer(max(deadline - time.monotonic(), 0.0), self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Watch:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def check(self) -> None:
        """Before a read: raise TimeoutError if the deadline has passed."""
        if self.fired.is_set():
            raise TimeoutError

    def _expire(self) -> None:
        self.fired.set()
        if self.sock is not None:
            with suppress(OSError):
                self.sock.shutdown(socket.SHUT_RDWR)


def _check_type_early(response: http.client.HTTPResponse, url: str) -> None:
    """Refuse before reading a body that is not a page sourcebook can import."""
    media = response.headers.get_content_type() if response.headers.get("Content-Type") else ""
    if media not in _KINDS and media not in _UNKNOWN:
        raise _not_a_page(url, media)


def _read(response: http.client.HTTPResponse, watch: _Watch, *, max_bytes: int,
          url: str) -> bytes:
    """The body, read piece by piece within the time and size limits, decoded from gzip or
    deflate if the server sent it so although asked not to."""
    declared = response.headers.get("Content-Length", "").strip()
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_big(url, max_bytes, f"the server says it is {size_text(int(declared))}")
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding in ("gzip", "x-gzip", "deflate"):
        inflater = zlib.decompressobj(32 + zlib.MAX_WBITS)  # a gzip or zlib header, either
    elif encoding in ("", "identity"):
        inflater = None
    else:
        raise ImportRefused(f"{url}: the server sent the page compressed as {encoding!r}, "
                            "which sourcebook does not read", _SAVE_HINT)
    pieces: list[bytes] = []
    size = 0
    while True:
        watch.check()
        piece = response.read1(65536)
        if not piece:
            break
        size = _keep(pieces, piece, inflater, size, max_bytes, url)
    if inflater is not None:
        _keep(pieces, b"", inflater, size, max_bytes, url)
    if response.length:  # the connection closed before the declared length arrived
        raise http.client.IncompleteRead(b"".join(pieces), response.length)
    return b"".join(pieces)


def _keep(pieces: list[bytes], piece: bytes, inflater: zlib._Decompress | None, size: int,
          max_bytes: int, url: str) -> int:
    """Add a piece of the body (decompressed, if it is compressed) and return the size so far;
    refuse it if that is over the limit."""
    if inflater is not None:
        try:
            piece = (inflater.decompress(piece, max_bytes + 1 - size) if piece
                     else inflater.flush())
        except zlib.error:
            raise ImportRefused(f"{url}: the server sent the page compressed, and it could "
                                "not be decompressed", _SAVE_HINT) from None
    size += len(piece)
    if size > max_bytes:
        raise too_big(url, max_bytes, "the download was stopped there")
    pieces.append(piece)
    return size


def _kind(media_type: str, body: bytes, url: str) -> Kind:
    """HTML or PDF, from the Content-Type; a PDF sent as an unknown type is known by its body."""
    message = http.client.HTTPMessage()
    message["Content-Type"] = media_type
    media = message.get_content_type() if media_type else ""
    if media in _KINDS:
        return _KINDS[media]
    if media in _UNKNOWN and body.lstrip()[:5] == b"%PDF-":
        return Kind.PDF
    raise _not_a_page(url, media)


def _not_a_page(url: str, media: str) -> ImportRefused:
    said = f"a file of type {media}" if media else "a file without saying its type"
    return ImportRefused(f"{url} is {said}, not an HTML page or a PDF",
                         "import the page that shows the article; a file saved from it can "
                         "be imported by its path if it is .html, .mhtml, .warc or .pdf")


def _too_slow(parts: SplitResult, timeout: float) -> ImportRefused:
    total = timeout * DEADLINE_FACTOR
    return ImportRefused(f"{urlunsplit(parts)}: the download took longer than {total:g} "
                         f"seconds ({DEADLINE_FACTOR} times the timeout of {timeout:g})",
                         "try again later, pass a longer --timeout SECONDS, or " + _SAVE_HINT)


def _http_error(url: str, status: int, reason: str) -> ImportRefused:
    said = f"{url}: the server answered {status} {reason}".rstrip()
    if status in (401, 403, 451):
        return ImportRefused(said, "the site refuses this download (many refuse programs, or "
                             "want a login): " + _SAVE_HINT)
    if status in (404, 410):
        return ImportRefused(said, "check the address; if the page has moved or gone, look "
                             "for it in a web archive such as https://web.archive.org/")
    if status in (429, 503):
        return ImportRefused(said, "the site is busy or limits downloads: try again later, "
                             "or " + _SAVE_HINT)
    if status >= 500:
        return ImportRefused(said, "the site failed: try again later, or " + _SAVE_HINT)
    return ImportRefused(said, _SAVE_HINT)


def _network_error(parts: SplitResult, exc: BaseException, timeout: float) -> ImportRefused:
    """A network failure in plain words, with what to try."""
    where = parts.hostname or ""
    if isinstance(exc, socket.gaierror):
        return ImportRefused(f"could not find the site {where}: no such name, or no network",
                             "check the address for typing mistakes, and that this computer "
                             "is online")
    if isinstance(exc, ConnectionRefusedError):
        return ImportRefused(f"{where} refused the connection on port "
                             f"{parts.port or _DEFAULT_PORTS[parts.scheme]}",
                             "check the address and its port; the site may be down")
    if isinstance(exc, ssl.SSLCertVerificationError):
        return ImportRefused(f"{where}: the site's certificate could not be verified "
                             f"({exc.verify_message or exc.reason})",
                             "the address may be wrong or the connection intercepted; if you "
                             "trust the page, " + _SAVE_HINT)
    if isinstance(exc, ssl.SSLError):
        return ImportRefused(f"{where}: the secure connection failed ({exc.reason or exc})",
                             "check that the address is right (http:// or https://), or "
                             + _SAVE_HINT)
    if isinstance(exc, TimeoutError):
        return ImportRefused(f"{where} did not answer within {timeout:g} seconds",
                             "try again later, or pass a longer --timeout SECONDS")
    if isinstance(exc, http.client.HTTPException | ConnectionError):
        return ImportRefused(f"{where}: the connection broke off before the page was "
                             "complete", "try again later, or " + _SAVE_HINT)
    detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return ImportRefused(f"could not download from {where}: {detail}",
                         "check the address and that this computer is online")

