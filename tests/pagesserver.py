"""A local stand-in for GitHub Pages: a site served under a sub-path, with Pages' rules."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class PagesHandler(http.server.SimpleHTTPRequestHandler):
    """`/base/dir` → 301 to `/base/dir/`; `dir/` → `dir/index.html`; anything missing, or
    outside the base path, → the site's 404.html with status 404."""

    base = "/"

    def send_head(self):  # -> a file object or None, as http.server expects
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if not path.startswith(self.base):
            return self._not_found()
        rel = path[len(self.base):]
        target = Path(self.directory) / rel
        if target.is_dir() and rel and not rel.endswith("/"):
            self.send_response(301)
            self.send_header("Location", path + "/")
            self.end_headers()
            return None
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            return self._not_found()
        self.path = "/" + target.relative_to(self.directory).as_posix()
        return super().send_head()

    def _not_found(self):
        page = Path(self.directory) / "404.html"
        body = page.read_bytes() if page.is_file() else b"not found"
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve_pages(site: Path, base: str) -> Iterator[str]:
    """Serve `site` at http://127.0.0.1:PORT{base}; yields that URL."""
    handler = type("Handler", (PagesHandler,), {"base": base})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{base}"
    finally:
        server.shutdown()
        server.server_close()
