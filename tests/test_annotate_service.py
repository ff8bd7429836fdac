"""The annotation endpoints' guards that need no browser: a claim the build would refuse at
the facts stage (a new fact without a topic, a fact's date or statement contradicted by a
moved claim) is refused before anything is written; the request body is limited before it
is read; the client's files are answered 404 when the package lacks them."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from tornado import web
from tornado.testing import AsyncHTTPTestCase

from annotate_client import blocks_of, project_files, selection
from conftest import copy_project
from sourcebook.engine.pipeline import build_in_memory
from sourcebook.preview.annotate import api
from sourcebook.preview.annotate.service import Annotator, Refused

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


class _Port:
    """The test server's port, known once it listens."""

    def __init__(self) -> None:
        self.port = 0

    def __call__(self) -> int:
        return self.port


class TestBodyAndAssets(AsyncHTTPTestCase):
    """The handlers in a Tornado application of their own, as server.py registers them."""

    def get_app(self) -> web.Application:
        self.port = _Port()
        annotator = Annotator(Path("/nonexistent"), lambda: None)
        return web.Application(api.routes(annotator, "secret", self.port))

    def setUp(self) -> None:
        super().setUp()
        self.port.port = self.get_http_port()

    def _headers(self) -> dict[str, str]:
        host = f"127.0.0.1:{self.get_http_port()}"
        return {"Host": host, "Origin": f"http://{host}", "X-Sourcebook-Token": "secret",
                "Content-Type": "application/json"}

    def test_a_body_over_the_limit_without_a_length_is_refused(self) -> None:
        body = json.dumps({"statement": "x" * api.MAX_BODY}).encode()
        answer = self.fetch(api.API_PATH + "suggest", method="POST", raise_error=False,
                            headers=self._headers(),
                            body_producer=lambda write: write(body))  # chunked: no length
        assert answer.code == 413
        assert json.loads(answer.body)["error"].startswith("the request is larger")

    def test_a_huge_declared_body_is_not_waited_for(self) -> None:
        head = "".join(f"{k}: {v}\r\n" for k, v in self._headers().items())
        request = (f"POST {api.API_PATH}suggest HTTP/1.1\r\n{head}"
                   f"Content-Length: {64 * api.MAX_BODY}\r\n\r\n").encode()

        def send() -> bytes:
            with socket.create_connection(("127.0.0.1", self.get_http_port())) as sock:
                sock.settimeout(5)
                sock.sendall(request)
                try:
                    return sock.recv(100)  # the server closes without reading the body
                except ConnectionResetError:
                    return b""
        answered = self.io_loop.run_sync(
            lambda: self.io_loop.run_in_executor(None, send), timeout=10)
        assert answered == b"" or answered.startswith(b"HTTP/1.1 4"), answered

    def test_the_client_files_are_404_when_the_package_lacks_them(self) -> None:
        missing = Path(__file__).parent / "no-such-folder"
        saved = api.STATIC
        api.STATIC = missing
        try:
            answer = self.fetch("/__sourcebook__/annotate.js", raise_error=False)
        finally:
            api.STATIC = saved
        assert answer.code == 404
