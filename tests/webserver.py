"""A stand-in web site on 127.0.0.1 for the tests of `import URL`: each path answers as a test
says (a saved page, a redirect, an error, a slow or oversized answer), and every request is
recorded. Never the internet."""

from __future__ import annotations

import http.server
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

Answer = Callable[[http.server.BaseHTTPRequestHandler], None]

# A saved news page of our own making: navigation, the article, a related-links box, a footer.
ARTICLE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Delhi signs the rifle deal | The Example Times</title>
<meta property="og:title" content="Delhi signs the rifle deal">
<meta property="og:site_name" content="The Example Times">
<meta name="author" content="Asha Rao">
<meta property="article:published_time" content="2021-12-06T10:00:00+05:30">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/defence">Defence</a></nav>
<article><h1>Delhi signs the rifle deal</h1>
<p>India and Russia signed an agreement on Monday to make more than 600,000 AK-203 rifles at a
factory in Amethi, officials said after talks in New Delhi.</p>
<p>The deal, worth about ₹5,000 crore, follows years of negotiation over the price and the
share of parts to be made in India, according to two people familiar with the talks.</p>
<p>“This is a milestone for self-reliance in defence,” the defence minister told reporters
after the meeting, adding that the first rifles would be delivered within a year.</p>
</article>
<aside><h2>Related</h2><a href="/a">S-400 deliveries begin</a></aside>
<footer>© The Example Times</footer>
</body></html>
""".encode()


@dataclass
class Site:
    """The running site: its routes (path -> answer), the requests it has had, and its port."""

    routes: dict[str, Answer]
    port: int = 0
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        """The address of a path on this site, under `host` (127.0.0.1 or localhost)."""
        return f"http://{host}:{self.port}{path}"


def page(body: bytes, media_type: str = "text/html; charset=utf-8", status: int = 200,
         length: bool = True) -> Answer:
    """An answer with this body; `length=False` sends no Content-Length and ends the body by
    closing the connection."""
    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", media_type)
        if length:
            handler.send_header("Content-Length", str(len(body)))
        else:
            handler.send_header("Connection", "close")
            handler.close_connection = True
        handler.end_headers()
        handler.wfile.write(body)
    return answer


def redirect(location: str, status: int = 302) -> Answer:
    """A redirect to `location`."""
    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
    return answer


def chunked(piece: bytes, count: int, media_type: str = "text/html") -> Answer:
    """A body of `count` chunks of `piece`, sent with Transfer-Encoding: chunked."""
    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", media_type)
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        try:
            for _ in range(count):
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            handler.wfile.write(b"0\r\n\r\n")
        except OSError:  # the fetcher stopped reading and hung up, as it should
            handler.close_connection = True
    return answer


def declared(size: int) -> Answer:
    """Headers that announce a body of `size` bytes, and then only a little of it."""
    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(size))
        handler.end_headers()
        handler.wfile.write(b"<html>")
        handler.close_connection = True
    return answer


def silent(seconds: float) -> Answer:
    """No answer at all for `seconds`."""
    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        handler.close_connection = True
    return answer


def drip(seconds: float, every: float, headers_too: bool = False) -> Answer:
    """An answer that sends one byte every `every` seconds for `seconds`: each wait is short,
    the whole is long. With `headers_too`, the header lines themselves drip."""
    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        wfile = handler.wfile
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
        if headers_too:
            filler = b"X-Slow: " + b"a" * 10_000
        else:
            wfile.write(head + b"Connection: close\r\n\r\n")
            filler = b"<p>" + b"a" * 10_000
        handler.close_connection = True
        end = time.monotonic() + seconds
        try:
            for byte in filler:
                if time.monotonic() > end:
                    break
                wfile.write(bytes([byte]))
                wfile.flush()
                time.sleep(every)
        except OSError:  # the fetcher gave up, as it should
            pass
    return answer


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    site: Site

    def do_GET(self) -> None:
        self.site.requests.append((self.path, dict(self.headers.items())))
        answer = self.site.routes.get(self.path, page(b"not found", "text/plain", 404))
        answer(self)

    def log_message(self, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet when the fetcher hangs up early, as it does on purpose when it refuses."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve_site(routes: dict[str, Answer]) -> Iterator[Site]:
    """Serve `routes` on 127.0.0.1 at a free port until the block ends."""
    site = Site(routes)
    handler = type("Handler", (_Handler,), {"site": site})
    server = _Server(("127.0.0.1", 0), handler)
    site.port = server.server_port
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
