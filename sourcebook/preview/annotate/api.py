"""The annotation endpoints of `serve`, and who may call them.

They write files, so they answer only the preview's own pages in the researcher's browser:
- they exist only when the preview listens on loopback (server.py registers them then);
- every request carries the secret made when the preview started, which only its own pages
  are given (another website cannot read it: the same-origin policy);
- the Host must be a loopback name with the preview's port (no DNS rebinding), and the Origin
  must be the preview itself (no cross-site request from another site in the same browser);
- bodies are JSON objects of at most MAX_BODY bytes, and name a source of content/sources/,
  never a path.
A refused request changes nothing.
"""

from __future__ import annotations

import hmac
import json
import re
from pathlib import Path
from typing import Any

from tornado import web

from .service import Annotator, Refused

ASSET_PATH = "/__sourcebook__/"  # the preview's own files, beside the site's (PANEL_CSS_PATH)
API_PATH = ASSET_PATH + "annotate/"
MAX_BODY = 64 * 1024
UNREAD_BODY = 16 * MAX_BODY  # a body longer than this is not even read (connection closed)
STATIC = Path(__file__).parent / "static"
# The client's scripts, in the order the page loads them (they share one namespace), and its look.
SCRIPTS = ("annotate-text.js", "annotate-forms.js", "annotate-fields.js", "annotate.js")
ASSETS = {**{name: "application/javascript; charset=utf-8" for name in SCRIPTS},
          "annotate.css": "text/css; charset=utf-8"}


def _too_large() -> Refused:
    return Refused(413, f"the request is larger than {MAX_BODY // 1024} KB",
                   "select a shorter passage")


@web.stream_request_body
class AnnotateHandler(web.RequestHandler):
    """POST /__sourcebook__/annotate/<action>: context, fact, select, suggest, write, undo.

    The body is streamed: the headers are checked before any of it is read, and no more than
    MAX_BODY bytes of it are ever kept (a larger body is read and dropped, then answered
    413; one over UNREAD_BODY bytes is not read at all: the connection is closed)."""

    def initialize(self, annotator: Annotator, token: str, port: Any) -> None:
        """The annotator, the preview's secret and its port (a callable: known once bound)."""
        self.annotator = annotator
        self.token = token
        self.port = port

    def set_default_headers(self) -> None:
        """Nothing of this is cached or framed."""
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")

    def prepare(self) -> None:
        """Check the headers: a request that is not the preview's own page asking in JSON
        is answered with its refusal once its body has been read (and dropped), so that the
        browser gets the answer rather than a reset connection."""
        self._chunks: list[bytes] = []
        self._size = 0
        self._refusal: Refused | None = None
        self.request.connection.set_max_body_size(UNREAD_BODY)
        try:
            self._check()
        except Refused as refused:
            self._refusal = refused

    def data_received(self, chunk: bytes) -> None:
        """Keep the body while it is within MAX_BODY and the request is not refused."""
        self._size += len(chunk)
        if self._refusal is None and self._size > MAX_BODY:
            self._refusal = _too_large()
            self._chunks.clear()
        if self._refusal is None:
            self._chunks.append(chunk)

    def _check(self) -> None:
        request = self.request
        host = request.headers.get("Host", "")
        name, _, port = host.rpartition(":")
        hosts: frozenset[str] = self.settings["preview_hosts"]  # loopback names (server.py)
        if name.strip("[]").lower() not in hosts or port != str(self.port()):
            raise Refused(403, f"the preview does not write for the host {host!r}")
        if request.headers.get("Origin") != f"http://{host}":
            raise Refused(403, "writes are accepted only from the preview's own pages")
        sent = request.headers.get("X-Sourcebook-Token", "")
        if not hmac.compare_digest(sent.encode(), self.token.encode()):
            raise Refused(403, "the request does not carry this preview's secret",
                          "reload the page: the secret changes each time the preview starts")
        kind = request.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind != "application/json":
            raise Refused(415, "the preview accepts only JSON")
        length = request.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > MAX_BODY:
            raise _too_large()

    def _answer_refusal(self, refused: Refused) -> None:
        self.set_status(refused.status)
        self._json({"error": refused.message, "hint": refused.hint})

    def _json(self, value: dict[str, Any]) -> None:
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.write(json.dumps(value, ensure_ascii=False, sort_keys=True))

    def post(self, action: str) -> None:
        """Carry out one action; a refusal answers its status with a sentence and a hint."""
        if self._refusal is not None:
            self._answer_refusal(self._refusal)
            return
        try:
            body = json.loads(b"".join(self._chunks) or b"null")
        except (ValueError, UnicodeDecodeError):
            body = None
        try:
            if not isinstance(body, dict):
                raise Refused(400, "the request body must be a JSON object")
            self._json(self._carry_out(action, body))
        except Refused as refused:
            self._answer_refusal(refused)

    def _carry_out(self, action: str, body: dict[str, Any]) -> dict[str, Any]:
        annotator = self.annotator
        if action == "context":
            return annotator.context(body.get("page"))
        if action == "fact":
            return annotator.fact(body.get("fact"))
        if action == "select":
            return annotator.select(body)
        if action == "suggest":
            return annotator.suggest(body.get("statement"))
        if action == "write":
            return annotator.write(body)
        if action == "undo":
            return annotator.undo_write(body.get("undo"))
        raise Refused(404, f"there is no annotation action {action!r}")


class AssetHandler(web.RequestHandler):
    """The client's scripts and annotate.css, from the package (never part of a built site)."""

    def get(self, name: str) -> None:
        """Send one of the client's files."""
        if not (STATIC / name).is_file():
            raise web.HTTPError(404)
        self.set_header("Content-Type", ASSETS[name])
        self.set_header("Cache-Control", "no-store")
        self.write((STATIC / name).read_bytes())


def routes(annotator: Annotator, token: str, port: Any,
           assets: type[AssetHandler] = AssetHandler) -> list[tuple]:
    """The handlers to add to the preview's application (on loopback only); `assets`: the
    handler class of the client's files (the preview's adds its Host check)."""
    return [
        (API_PATH + r"([a-z]+)", AnnotateHandler,
         {"annotator": annotator, "token": token, "port": port}),
        (ASSET_PATH + "(" + "|".join(map(re.escape, ASSETS)) + ")", assets),
    ]


def asset_url(name: str) -> str:
    """Where the preview serves one of the client's files."""
    return ASSET_PATH + name

