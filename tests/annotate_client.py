"""A client of the preview's annotation endpoints that speaks raw HTTP, so tests can send
exactly the headers a browser, another website or a DNS-rebinding page would; and the blocks
of a source page as the browser client counts them (site text, tag labels left out)."""

from __future__ import annotations

import http.client
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

API = "/__sourcebook__/annotate/"


class Answer:
    """A response: its status and its JSON body (None if it is not JSON)."""

    def __init__(self, status: int, body: bytes) -> None:
        self.status = status
        try:
            self.json: Any = json.loads(body)
        except ValueError:
            self.json = None


class Api:
    """Requests to one running preview, as its own pages make them unless told otherwise."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.token = token
        self.host = f"127.0.0.1:{port}"

    def send(self, action: str, body: Any, *, headers: dict[str, str] | None = None,
             drop: tuple[str, ...] = (), raw: bytes | None = None) -> Answer:
        """POST one request; `headers` replace the browser's, `drop` leaves some out."""
        sent = {"Host": self.host, "Origin": f"http://{self.host}",
                "Content-Type": "application/json", "X-Sourcebook-Token": self.token}
        sent.update(headers or {})
        for name in drop:
            sent.pop(name, None)
        data = raw if raw is not None else json.dumps(body).encode()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.putrequest("POST", API + action, skip_host=True, skip_accept_encoding=True)
            for name, value in sent.items():
                conn.putheader(name, value)
            conn.putheader("Content-Length", str(len(data)))
            conn.endheaders(data)
            response = conn.getresponse()
            return Answer(response.status, response.read())
        finally:
            conn.close()


def page_html(port: int, path: str) -> str:
    """A page of the preview, as served."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        return conn.getresponse().read().decode("utf-8")
    finally:
        conn.close()


def token_of(html: str) -> tuple[str, str] | None:
    """The secret and the page path a served page carries, or None."""
    found = re.search(r'<meta name="sourcebook-annotate" content="([^"]+)" data-page="([^"]*)"',
                      html)
    return (found.group(1), found.group(2)) if found else None


class _Blocks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = []
        self.blocks: list[str] = []
        self.depth_in_block = -1
        self.tag_depth = -1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = dict(attrs).get("class") or ""
        parent = self.stack[-1] if self.stack else ("", "")
        grand = self.stack[-2] if len(self.stack) > 1 else ("", "")
        in_archive = any(t == "section" and "archived" in c.split() for t, c in self.stack)
        if tag not in {"br", "meta", "link", "img", "input"}:
            self.stack.append((tag, classes))
        if tag == "p" and in_archive and self.depth_in_block < 0 and (
                (parent[0] == "div" and "para" in parent[1].split()
                 and grand[0] == "section")
                or "boilerplate-block" in classes.split()):
            self.blocks.append("")
            self.depth_in_block = len(self.stack)
        if tag == "span" and "tag" in classes.split() and self.tag_depth < 0:
            self.tag_depth = len(self.stack)

    def handle_endtag(self, tag: str) -> None:
        if self.stack and self.stack[-1][0] == tag:
            if len(self.stack) == self.tag_depth:
                self.tag_depth = -1
            if len(self.stack) == self.depth_in_block:
                self.depth_in_block = -1
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.depth_in_block >= 0 and self.tag_depth < 0:
            self.blocks[-1] += data


def blocks_of(html: str) -> list[str]:
    """The text of each block of a source page, as the client counts it."""
    parser = _Blocks()
    parser.feed(html)
    return parser.blocks


def units(text: str) -> int:
    """A string's length in UTF-16 code units, as JavaScript measures it."""
    return len(text.encode("utf-16-le")) // 2


def selection(blocks: list[str], needle: str, nth: int = 0) -> dict[str, Any]:
    """The request fields of the nth occurrence of `needle` within one block."""
    seen = 0
    for b, text in enumerate(blocks):
        at = text.find(needle)
        while at != -1:
            if seen == nth:
                return {"start": [b, units(text[:at])],
                        "end": [b, units(text[:at + len(needle)])], "text": needle}
            seen += 1
            at = text.find(needle, at + 1)
    raise AssertionError(f"{needle!r} (occurrence {nth}) is not on the page")


def project_files(root: Path) -> dict[str, bytes]:
    """Every input of the project, by path (what a refused request must leave alone)."""
    return {str(p.relative_to(root)): p.read_bytes()
            for folder in ("seeds", "content", "archive", "templates")
            for p in sorted((root / folder).rglob("*")) if p.is_file()
            and not str(p.relative_to(root)).startswith("content/facts/")}
