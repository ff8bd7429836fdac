"""The preview's annotation endpoints against a real `python build.py serve`: every request
another website, another user or a stale page could make is refused and changes no file;
the preview's own requests write exactly the claim, exclusion, change or removal asked for,
and the build proves what was written."""

from __future__ import annotations

import difflib
import json
import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from annotate_client import Api, blocks_of, page_html, project_files, selection, token_of
from conftest import copy_project, run_cli
from sourcebook.preview.annotate.api import MAX_BODY
from test_serve import Preview_, start_preview, stop_preview

S000 = "000_0a8abdfef13416d9"
S002 = "002_7bf14ee84c1d808c"
TWICE = "We've been nothing but honest about that and discouraging that"
QUOTE = "India has a relationship with Russia that we certainly don't have."


class Session:
    """A running preview, its project, and the API as the preview's own pages use it."""

    def __init__(self, root: Path, preview: Preview_) -> None:
        self.root = root
        self.preview = preview
        html = page_html(preview.port, f"/sources/{S002}/")
        found = token_of(html)
        assert found is not None, "a source page in the preview carries the annotate secret"
        self.api = Api(preview.port, found[0])

    def source_page(self, source: str) -> tuple[dict, list[str]]:
        """The context the page's client asks for, and the page's blocks."""
        html = page_html(self.preview.port, f"/sources/{source}/")
        context = self.api.send("context", {"page": f"sources/{source}/index.html"})
        assert context.status == 200, context.json
        return context.json, blocks_of(html)

    def annotation(self, source: str) -> bytes:
        return (self.root / "content" / "sources" / f"{source}.yaml").read_bytes()

    def wait_for_version(self, source: str, version: str) -> None:
        """Until the preview has rebuilt from the annotation with this digest."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            answer = self.api.send("context", {"page": f"sources/{source}/index.html"})
            if answer.status == 200 and answer.json["version"] == version:
                return
            time.sleep(0.1)
        raise AssertionError("the preview did not rebuild after the write")


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    root = copy_project(tmp_path / "project")
    session = Session(root, start_preview(root))
    try:
        yield session
    finally:
        stop_preview(session.preview)  # the one running now (a test may restart it)


def _cite_body(context: dict, blocks: list[str], needle: str, nth: int = 0, **claim) -> dict:
    return {"source": context["source"], "version": context["version"], "action": "cite",
            **selection(blocks, needle, nth),
            "claim": {"fact": "price-india-russia-ties-us-lacks", "topics": ["defence-ties"],
                      "statement": "Ned Price said India has ties with Russia the US lacks.",
                      **claim}}


def test_every_foreign_or_malformed_request_is_refused_and_changes_no_file(session):
    context, blocks = session.source_page(S002)
    good = _cite_body(context, blocks, QUOTE)
    api = session.api
    before = project_files(session.root)
    host = api.host
    refusals = {
        "no secret": api.send("write", good, drop=("X-Sourcebook-Token",)),
        "a wrong secret": api.send("write", good, headers={"X-Sourcebook-Token": "x" * 43}),
        "a foreign Origin": api.send("write", good, headers={"Origin": "https://evil.example"}),
        "no Origin": api.send("write", good, drop=("Origin",)),
        "a foreign Host (DNS rebinding)": api.send(
            "write", good, headers={"Host": f"evil.example:{session.preview.port}",
                                    "Origin": f"http://evil.example:{session.preview.port}"}),
        "another port": api.send("write", good, headers={"Host": "127.0.0.1:1",
                                                         "Origin": "http://127.0.0.1:1"}),
        "a form post": api.send("write", good,
                                headers={"Content-Type": "application/x-www-form-urlencoded"}),
        "text/plain (a no-preflight cross-site post)": api.send(
            "write", good, headers={"Content-Type": "text/plain"}),
        "a body over the limit": api.send(
            "write", None, raw=json.dumps({**good, "pad": "x" * MAX_BODY}).encode()),
        "not an object": api.send("write", None, raw=b"[1, 2]"),
        "not JSON": api.send("write", None, raw=b"{nope"),
        "a path up and out": api.send("write", {**good, "source": "../site"}),
        "an absolute path": api.send("write", {**good, "source": "/etc/passwd"}),
        "a path through sources": api.send("write", {**good, "source": f"x/../../seeds/{S002}"}),
        "a seed's name as a file": api.send("write", {**good, "source": f"{S002}.yaml"}),
        "a stale version": api.send("write", {**good, "version": "0" * 64}),
        "an unknown action": api.send("write", {**good, "action": "delete-everything"}),
    }
    expected = {
        "no secret": 403, "a wrong secret": 403, "a foreign Origin": 403, "no Origin": 403,
        "a foreign Host (DNS rebinding)": 403, "another port": 403, "a form post": 415,
        "text/plain (a no-preflight cross-site post)": 415, "a body over the limit": 413,
        "not an object": 400, "not JSON": 400, "a path up and out": 400,
        "an absolute path": 400, "a path through sources": 400,
        "a seed's name as a file": 404, "a stale version": 409, "an unknown action": 400,
    }
    assert {k: a.status for k, a in refusals.items()} == expected
    for what, answer in refusals.items():
        assert answer.json and answer.json["error"], what  # a sentence for the researcher
    assert project_files(session.root) == before
    assert host == f"127.0.0.1:{session.preview.port}"


def test_a_file_changed_on_disk_since_the_page_was_shown_is_not_overwritten(session):
    context, blocks = session.source_page(S002)
    path = session.root / "content" / "sources" / f"{S002}.yaml"
    edited = path.read_bytes() + b"# saved in an editor meanwhile\n"
    path.write_bytes(edited)
    answer = session.api.send("write", _cite_body(context, blocks, QUOTE))
    assert answer.status == 409
    assert "reload" in answer.json["hint"]
    assert path.read_bytes() == edited


def test_cite_writes_exactly_the_claim_keeps_the_comments_and_undo_gives_the_file_back(
        session):
    context, blocks = session.source_page(S002)
    before = session.annotation(S002)
    answer = session.api.send("write", _cite_body(context, blocks, QUOTE, date="2022-02-25"))
    assert answer.status == 200, answer.json
    after = session.annotation(S002)
    diff = [line for line in difflib.ndiff(before.decode().splitlines(),
                                           after.decode().splitlines())
            if line[:1] in "+-"]
    assert all(line.startswith("+") for line in diff), diff  # nothing removed or changed
    assert [line for line in diff if line.strip("+ ")] == [
        "+   - fact: price-india-russia-ties-us-lacks",
        f'+     quote: "{QUOTE}"',
        "+     topics: [defence-ties]",
        "+     statement: Ned Price said India has ties with Russia the US lacks.",
        "+     date: 2022-02-25",
    ]
    assert answer.json["version"] != context["version"]
    # The build proves it, and the fact reaches its topic page.
    session.wait_for_version(S002, answer.json["version"])
    topic = page_html(session.preview.port, "/topics/defence-ties/")
    assert "Ned Price said India has ties with Russia the US lacks." in topic
    undo = session.api.send("undo", {"undo": answer.json["undo"]})
    assert undo.status == 200, undo.json
    assert session.annotation(S002) == before
    again = session.api.send("undo", {"undo": answer.json["undo"]})
    assert again.status == 404 and session.annotation(S002) == before


def test_a_passage_found_twice_gets_the_shortest_context_and_the_build_proves_it(session):
    context, blocks = session.source_page(S000)
    chosen = session.api.send("select", {"source": S000, "version": context["version"],
                                         **selection(blocks, TWICE, 0)})
    assert chosen.status == 200, chosen.json
    assert chosen.json["quote"] == TWICE
    assert chosen.json["prefix"] or chosen.json["suffix"]
    context_words = (chosen.json["prefix"] or chosen.json["suffix"]).split()
    assert len(context_words) == 1  # the shortest that picks it out alone
    answer = session.api.send("write", {
        "source": S000, "version": context["version"], "action": "cite",
        **selection(blocks, TWICE, 0),
        "claim": {"fact": "kirby-teaser-honest", "topics": ["defence-ties"],
                  "statement": "The teaser repeats Kirby's words."}})
    assert answer.status == 200, answer.json
    claim = yaml.safe_load(session.annotation(S000))["claims"][-1]
    assert claim["quote"] == TWICE
    assert claim.get("prefix", "") == chosen.json["prefix"]
    assert claim.get("suffix", "") == chosen.json["suffix"]
    stop_preview(session.preview)
    checked = run_cli(session.root, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    session.preview = start_preview(session.root)  # for the fixture's stop


def test_exclude_edit_and_remove_write_what_they_say(session):
    context, blocks = session.source_page(S002)
    excluded = session.api.send("write", {
        "source": S002, "version": context["version"], "action": "exclude",
        **selection(blocks, QUOTE), "reason": "Repeated from the headline"})
    assert excluded.status == 200, excluded.json
    data = yaml.safe_load(session.annotation(S002))
    assert data["exclude"][-1] == {"quote": QUOTE, "reason": "Repeated from the headline"}
    session.wait_for_version(S002, excluded.json["version"])
    context, blocks = session.source_page(S002)
    no_reason = session.api.send("write", {
        "source": S002, "version": context["version"], "action": "exclude",
        **selection(blocks, "Ned Price"), "reason": " "})
    assert no_reason.status == 422
    claims = data["claims"]
    edited = session.api.send("write", {
        "source": S002, "version": context["version"], "action": "edit", "index": 0,
        "claim": {"topics": ["defence-ties", "quad"], "stance": "disputes"}})
    assert edited.status == 200, edited.json
    after = yaml.safe_load(session.annotation(S002))["claims"]
    assert after[0] == {**claims[0], "topics": ["defence-ties", "quad"], "stance": "disputes"}
    assert after[1:] == claims[1:]
    session.wait_for_version(S002, edited.json["version"])
    context, _ = session.source_page(S002)
    removed = session.api.send("write", {"source": S002, "version": context["version"],
                                         "action": "remove", "index": 1})
    assert removed.status == 200, removed.json
    assert yaml.safe_load(session.annotation(S002))["claims"] == [after[0], *after[2:]]


def test_what_the_build_would_refuse_is_not_written(session):
    context, blocks = session.source_page(S002)
    before = session.annotation(S002)
    cases = {
        "an unknown topic": {"topics": ["no-such-topic"]},
        "an unknown speaker": {"speaker": "nobody-at-all"},
        "a bad date": {"date": "2022-13-40"},
        "a bad id": {"fact": "Not An Id"},
        "a new fact without a statement": {"statement": ""},
    }
    for what, claim in cases.items():
        answer = session.api.send("write", _cite_body(context, blocks, QUOTE, **claim))
        assert answer.status == 422, (what, answer.json)
        assert answer.json["error"], what
    excluded_text = session.api.send("write", _cite_body(
        context, blocks, "Photograph: Valentyn Ogirenko"))  # greyed out: a photo caption
    assert excluded_text.status in (409, 422)
    assert session.annotation(S002) == before


def test_suggest_and_context(session):
    context, _ = session.source_page(S002)
    assert context["file"] == f"content/sources/{S002}.yaml"
    assert context["id_rule"]["pattern"] == "[a-z0-9]+(?:-[a-z0-9]+)*"
    assert re.fullmatch(context["date_rule"]["pattern"], "2022-04") and not re.fullmatch(
        context["date_rule"]["pattern"], "April 2022")
    assert any(f["id"] == "s400-deal-2018" for f in context["facts"])
    assert any(p for p in context["passages"].values())
    suggested = session.api.send("suggest", {"statement": "India signed the S-400 deal in 2018"})
    assert suggested.json == {"fact": "india-signed-s-400-deal-2018", "taken": False}
    not_source = session.api.send("context", {"page": "topics/quad/index.html"})
    assert not_source.status == 404


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_not_on_loopback_there_is_no_annotating(tmp_path: Path):
    root = copy_project(tmp_path / "project")
    preview = start_preview(root, "--host", "0.0.0.0")
    try:
        html = page_html(preview.port, f"/sources/{S002}/")
        assert "<article" in html and token_of(html) is None
        assert "annotate" not in html
        answer = Api(preview.port, "x").send("context", {"page": f"sources/{S002}/index.html"})
        assert answer.status in (404, 405)
    finally:
        stop_preview(preview)


def test_a_built_site_has_none_of_it(built: Path):
    site = built / "site"
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".js", ".css", ".json", ".xml"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "__sourcebook__" not in text and "sourcebook-annotate" not in text, path
    assert not list(site.rglob("annotate*"))


def test_while_the_build_is_failing_nothing_is_written(session):
    context, blocks = session.source_page(S002)
    broken = session.root / "content" / "sources" / "003_4197f04110c4ab2c.yaml"
    broken.write_bytes(broken.read_bytes() + b"\nclaims: [unclosed\n")
    deadline = time.monotonic() + 30
    while 'id="sourcebook-error"' not in page_html(session.preview.port, f"/sources/{S002}/"):
        assert time.monotonic() < deadline, "the preview did not report the broken build"
        time.sleep(0.1)
    before = project_files(session.root)
    answer = session.api.send("write", _cite_body(context, blocks, QUOTE))
    assert answer.status == 409 and "last build failed" in answer.json["error"]
    assert project_files(session.root) == before


def test_a_fact_shows_the_passages_it_rests_on(session):
    answer = session.api.send("fact", {"fact": "s400-deal-2018"})
    assert answer.status == 200, answer.json
    assert answer.json["statement"].startswith("In 2018 India signed")
    sources = {e["source"] for e in answer.json["evidence"]}
    assert S000 in sources and len(sources) >= 2
    first = answer.json["evidence"][0]
    assert first["href"] == f"sources/{first['source']}/#{first['href'].split('#')[1]}"
    assert first["title"] and first["quote"] and first["stance"] == "supports"
    assert session.api.send("fact", {"fact": "no-such-fact"}).status == 404
