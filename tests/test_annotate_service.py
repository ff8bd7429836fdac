"""The annotation endpoints' guards that need no browser: a claim the build would refuse at
the facts stage (a new fact without a topic, a fact's date or statement contradicted by a
moved claim) is refused before anything is written; the request body is limited before it
is read; the client's files are answered 404 when the package lacks them."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from tornado import web
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from annotate_client import blocks_of, project_files, selection
from conftest import copy_project
from sourcebook.engine.pipeline import build_in_memory
from sourcebook.preview.annotate import api
from sourcebook.preview.annotate.service import Annotator, Refused
from sourcebook.preview.server import preview_hosts

S002 = "002_7bf14ee84c1d808c"
QUOTE = "India has a relationship with Russia that we certainly don't have."


@pytest.fixture(scope="module")
def annotated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Annotator, dict]:
    """A project, an annotator on its build, and the page's selection of QUOTE."""
    root = copy_project(tmp_path_factory.mktemp("annotate") / "project")
    built = build_in_memory(root)
    research = built.built.research
    html = built.pages[f"sources/{S002}/index.html"].decode("utf-8")
    body = {"source": S002, "version": research.source_index[S002].doc.digest,
            **selection(blocks_of(html), QUOTE)}
    return root, Annotator(root, lambda: research), body


def _refused(annotator: Annotator, body: dict) -> Refused:
    with pytest.raises(Refused) as raised:
        annotator.write(body)
    return raised.value


def test_what_the_facts_stage_would_refuse_is_not_written(annotated):
    root, annotator, selected = annotated
    before = project_files(root)
    new_fact_no_topic = _refused(annotator, {**selected, "action": "cite", "claim": {
        "fact": "a-brand-new-fact", "statement": "Something new.", "topics": []}})
    assert new_fact_no_topic.status == 422 and "needs a topic" in new_fact_no_topic.message
    other_date = _refused(annotator, {**selected, "action": "cite", "claim": {
        "fact": "s400-deal-2018", "topics": ["s-400"], "date": "2022-02-25"}})
    assert other_date.status == 422 and "dated 2018-10" in other_date.message
    assert other_date.hint
    base = {"source": selected["source"], "version": selected["version"], "action": "edit"}
    moved_no_topic = _refused(annotator, {**base, "index": 0, "claim": {
        "fact": "a-brand-new-fact", "topics": []}})
    assert moved_no_topic.status == 422 and "needs a topic" in moved_no_topic.message
    moved_contradicting = _refused(annotator, {**base, "index": 0, "claim": {
        "fact": "price-india-russia-defence-relationship"}})
    assert moved_contradicting.status == 422
    assert "already says" in moved_contradicting.message
    assert "empty the statement" in moved_contradicting.hint
    assert project_files(root) == before


def test_a_claim_moved_to_a_fact_without_its_own_statement_is_written(annotated):
    root, annotator, selected = annotated
    path = root / "content" / "sources" / f"{S002}.yaml"
    before = path.read_bytes()
    done = annotator.write({"source": selected["source"], "version": selected["version"],
                            "action": "edit", "index": 0, "claim": {
                                "fact": "price-india-russia-defence-relationship",
                                "statement": ""}})
    assert done["ok"] and path.read_bytes() != before
    annotator.undo_write(done["undo"])
    assert path.read_bytes() == before


class _Server:
    """The annotation handlers in a Tornado application of their own, as server.py registers
    them, served on a thread with its own event loop."""

    def __init__(self) -> None:
        self.port = 0
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()

        def serve() -> None:
            asyncio.set_event_loop(self.loop)
            annotator = Annotator(Path("/nonexistent"), lambda: None)
            app = web.Application(api.routes(annotator, "secret", lambda: self.port),
                                  preview_hosts=preview_hosts("127.0.0.1"))
            sockets = bind_sockets(0, "127.0.0.1")
            self.port = sockets[0].getsockname()[1]
            self.server = HTTPServer(app)
            self.server.add_sockets(sockets)
            ready.set()
            self.loop.run_forever()

        self.thread = threading.Thread(target=serve, daemon=True)
        self.thread.start()
        ready.wait(10)

    def stop(self) -> None:
        """Stop serving."""
        self.loop.call_soon_threadsafe(self.server.stop)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    def headers(self) -> dict[str, str]:
        """What the preview's own pages send."""
        host = f"127.0.0.1:{self.port}"
        return {"Host": host, "Origin": f"http://{host}", "X-Sourcebook-Token": "secret",
                "Content-Type": "application/json"}

    def exchange(self, request: bytes) -> bytes:
        """Send raw bytes; what comes back before the server closes or 5 s pass."""
        with socket.create_connection(("127.0.0.1", self.port)) as sock:
            sock.settimeout(5)
            sock.sendall(request)
            got = b""
            try:
                while chunk := sock.recv(65536):
                    got += chunk
                    if b"\r\n\r\n" in got and b'"}' in got:
                        break
            except ConnectionResetError:
                pass
            return got


@pytest.fixture
def server() -> Iterator[_Server]:
    running = _Server()
    try:
        yield running
    finally:
        running.stop()


def _head(server: _Server, path: str, extra: str) -> bytes:
    head = "".join(f"{k}: {v}\r\n" for k, v in server.headers().items())
    return f"POST {path} HTTP/1.1\r\n{head}{extra}\r\n".encode()


def test_a_body_over_the_limit_without_a_length_is_refused(server):
    body = json.dumps({"statement": "x" * api.MAX_BODY}).encode()
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 4096]), body[i:i + 4096])
                       for i in range(0, len(body), 4096)) + b"0\r\n\r\n"
    answer = server.exchange(_head(server, api.API_PATH + "suggest",
                                   "Transfer-Encoding: chunked\r\n") + chunked)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"the request is larger" in answer


def test_a_huge_declared_body_is_not_waited_for(server):
    answer = server.exchange(_head(server, api.API_PATH + "suggest",
                                   f"Content-Length: {64 * api.MAX_BODY}\r\n"))
    assert answer == b"" or answer.startswith(b"HTTP/1.1 4"), answer[:200]


def test_each_client_file_is_served_with_its_type(server):
    head = "".join(f"{k}: {v}\r\n" for k, v in server.headers().items())
    assert len(api.SCRIPTS) > 1 and set(api.SCRIPTS) < set(api.ASSETS)
    for name, kind in api.ASSETS.items():
        answer = server.exchange(f"GET /__sourcebook__/{name} HTTP/1.1\r\n{head}"
                                 "Connection: close\r\n\r\n".encode())
        assert answer.startswith(b"HTTP/1.1 200"), (name, answer[:200])
        assert f"Content-Type: {kind}".encode() in answer, name
        assert answer.endswith((api.STATIC / name).read_bytes()), name


def test_the_client_files_are_404_when_the_package_lacks_them(server, monkeypatch):
    monkeypatch.setattr(api, "STATIC", Path(__file__).parent / "no-such-folder")
    head = "".join(f"{k}: {v}\r\n" for k, v in server.headers().items())
    answer = server.exchange(f"GET /__sourcebook__/annotate.js HTTP/1.1\r\n{head}"
                             "Connection: close\r\n\r\n".encode())
    assert answer.startswith(b"HTTP/1.1 404"), answer[:200]
