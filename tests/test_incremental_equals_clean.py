"""Incremental equals clean, by construction, and proved here.

After any edit of any field of any kind of input file (the fields enumerated from the formats'
own declaration, content/schema.py), and after adding or removing files, two long-lived
builders rebuild incrementally: `python build.py build` on disk (with its saved build state),
and the preview's in-memory session (told what changed as serve's watcher tells it). Each
must give exactly what a clean build of the same inputs gives: every file of the site byte
for byte, and the fact files. An edit that breaks the content must fail all three alike,
leave site/ as it was, and is then undone.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule

import builds
import edits
from conftest import copy_project
from sourcebook.cli import main
from sourcebook.content.schema import ANNOTATION, FORMATS, Holds
from sourcebook.diagnostics import ContentError
from sourcebook.engine.commands import PreviewBuilder
from sourcebook.engine.settings import Settings
from sourcebook.preview.watcher import changed_paths, snapshot

Action = Callable[[Path, random.Random], object]


@contextlib.contextmanager
def environment(name: str, value: str | None) -> Iterator[None]:
    old = os.environ.get(name)
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old
FIELDS = [(form, field) for form in edits.formats_edited() for field in form.fields
          if field.holds is not Holds.ENTRIES]
ENTRY_LISTS = [field for field in ANNOTATION.fields if field.holds is Holds.ENTRIES]


def test_the_tests_edit_every_format():
    assert set(map(id, edits.formats_edited())) == set(map(id, FORMATS.values()))


class Builders:
    """A project built three ways: the command line, the preview, and clean each time."""

    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="sourcebook-incremental-"))
        self.cli = copy_project(self.tmp / "cli")
        self.preview_root = copy_project(self.tmp / "preview")
        self.base_url: str | None = None  # --base-url of the command line (the preview has none)
        self.epoch: str | None = None  # SOURCE_DATE_EPOCH
        assert self._cli_build()[0] == 0
        self.preview = PreviewBuilder(self.preview_root)
        # The preview is told what changed as serve's watcher tells it: the paths whose
        # identity differs between its snapshot before one build and before the next.
        self.seen = snapshot(self.preview_root)
        self.preview.rebuild()
        self.steps: list[str] = []

    def close(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _cli_build(self) -> tuple[int, str]:
        err = io.StringIO()
        option = ["--base-url", self.base_url] if self.base_url else []
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(["--root", str(self.cli), "build", *option])
        return code, err.getvalue()

    def set(self, base_url: str | None, epoch: str | None) -> None:
        """Build with other settings from now on."""
        self.base_url, self.epoch = base_url, epoch
        self.steps.append(f"settings: --base-url {base_url}, SOURCE_DATE_EPOCH {epoch}")
        assert self.compare(), self.steps

    def apply(self, action: Action, seed: int, *, cli_only: bool = False) -> None:
        """Do the same to both projects, then compare; undo an edit that breaks them."""
        before = builds.snapshot(self.cli)
        did = action(self.cli, random.Random(seed))
        if not cli_only:
            action(self.preview_root, random.Random(seed))
        self.steps.append(str(did))
        if not self.compare():
            builds.restore(self.cli, before)
            builds.restore(self.preview_root, before)
            self.steps.append("undone")
            assert self.compare(), self.steps

    def compare(self) -> bool:
        """Rebuild incrementally both ways and compare with a clean build; False when the
        content is broken (and all three agree that it is)."""
        with environment("SOURCE_DATE_EPOCH", self.epoch):
            return self._compare()

    def _compare(self) -> bool:
        expected = builds.clean_build(self.cli, self.tmp / "clean", Settings(self.base_url))
        site_before = builds.site_files(self.cli / "site")
        code, err = self._cli_build()
        preview_result: object = None
        try:
            now = snapshot(self.preview_root)
            changes, self.seen = changed_paths(self.seen, now), now
            preview = self.preview.rebuild(changes)
        except ContentError as exc:
            preview_result = [d.format() for d in exc.diagnostics.sorted()]
        else:
            preview_result = preview.pages
        if self.base_url is not None:  # the preview builds for site.yaml's base_url
            preview_result = expected if isinstance(expected, list) else expected.pages
        if isinstance(expected, list):  # the clean build failed: so must the others
            assert code == 1, (self.steps, err)
            assert all(line in err for line in expected), (self.steps, err, expected)
            assert preview_result == expected, self.steps
            assert builds.site_files(self.cli / "site") == site_before, self.steps
            return False
        assert code == 0, (self.steps, err)
        assert builds.site_files(self.cli / "site") == expected.pages, self.steps
        assert builds.fact_files(self.cli) == builds.expected_fact_files(expected), self.steps
        assert preview_result == expected.pages, self.steps
        assert builds.fact_files(self.preview_root) == builds.expected_fact_files(expected)
        return True


@settings(max_examples=6, stateful_step_count=8, deadline=None,
          suppress_health_check=list(HealthCheck))
class EditsMachine(RuleBasedStateMachine):
    """Random sequences of edits of every kind."""

    @initialize()
    def start(self) -> None:
        self.builders = Builders()
        self.n = 0

    def teardown(self) -> None:
        if hasattr(self, "builders"):
            self.builders.close()

    def _next(self) -> int:
        self.n += 1
        return self.n

    @rule(which=st.sampled_from(FIELDS), seed=st.integers(0, 2**32))
    def edit_a_field(self, which, seed):
        form, field = which
        self.builders.apply(lambda root, rng: edits.edit_field(root, form, field, rng), seed)

    @rule(field=st.sampled_from(ENTRY_LISTS), seed=st.integers(0, 2**32))
    def add_or_remove_an_entry(self, field, seed):
        self.builders.apply(lambda root, rng: edits.edit_entries(root, ANNOTATION, field, rng),
                            seed)

    @rule(seed=st.integers(0, 2**32))
    def add_an_article(self, seed):
        n = self._next()
        self.builders.apply(lambda root, _rng: edits.add_article(root, n), seed)

    @rule(seed=st.integers(0, 2**32))
    def remove_an_added_article(self, seed):
        self.builders.apply(edits.remove_article, seed)

    @rule(seed=st.integers(0, 2**32))
    def add_a_topic(self, seed):
        n = self._next()
        self.builders.apply(lambda root, rng: edits.add_topic(root, n, rng), seed)

    @rule(seed=st.integers(0, 2**32))
    def remove_an_added_topic(self, seed):
        self.builders.apply(edits.remove_topic, seed)

    @rule(seed=st.integers(0, 2**32))
    def edit_an_introduction(self, seed):
        self.builders.apply(edits.edit_topic_body, seed)

    @rule(seed=st.integers(0, 2**32))
    def edit_the_key_findings(self, seed):
        self.builders.apply(edits.edit_findings, seed)

    @rule(which=st.sampled_from(["entity", "status", "outlet"]), seed=st.integers(0, 2**32))
    def add_an_entity_a_status_or_an_outlet(self, which, seed):
        n = self._next()
        self.builders.apply(lambda root, rng: edits.add_entry(root, which, n, rng), seed)

    @rule(seed=st.integers(0, 2**32))
    def edit_a_template(self, seed):
        self.builders.apply(edits.edit_template, seed)

    @rule(seed=st.integers(0, 2**32))
    def edit_a_seed(self, seed):
        self.builders.apply(edits.edit_seed, seed)

    @rule(seed=st.integers(0, 2**32))
    def edit_an_archived_original(self, seed):
        self.builders.apply(edits.edit_original, seed)

    @rule(seed=st.integers(0, 2**32))
    def rename_an_article(self, seed):
        self.builders.apply(edits.rename_article, seed)

    @rule(which=st.sampled_from(["entity", "status", "outlet"]), seed=st.integers(0, 2**32))
    def remove_an_entity_a_status_or_an_outlet(self, which, seed):
        self.builders.apply(lambda root, rng: edits.remove_entry(root, which, rng), seed)

    @rule(base_url=st.sampled_from([None, "/sub/", "https://example.org/x/"]),
          epoch=st.sampled_from([None, "1700000000"]))
    def change_the_build_settings(self, base_url, epoch):
        self.builders.set(base_url, epoch)

    @rule()
    def delete_the_build_state(self):
        self.builders.apply(lambda root, _rng: shutil.rmtree(root / ".sourcebook-cache"), 0,
                            cli_only=True)


TestEditsMachine = EditsMachine.TestCase


def test_every_field_of_every_format_once(tmp_path):
    """A fixed walk: each declared field edited in turn (a random run may miss some)."""
    builders = Builders()
    try:
        for n, (form, field) in enumerate(FIELDS):
            builders.apply(lambda root, rng, form=form, field=field:
                           edits.edit_field(root, form, field, rng), n)
        for n, field in enumerate(ENTRY_LISTS):
            builders.apply(lambda root, rng, field=field:
                           edits.edit_entries(root, ANNOTATION, field, rng), n)
        for n in range(4):  # import an original, then edit it (with its hash, or without)
            builders.apply(edits.edit_original, n)
    finally:
        builders.close()


A = "content/sources/002_7bf14ee84c1d808c.yaml"
FIXED = {  # edit → (file, the text, its replacement)
    "author": (A, "author: Lalit K Jha", "author: L. K. Jha"),
    # The same outlet (so content/outlets.yaml still describes it), named another way.
    "outlet": (A, "outlet: Rediff.com", "outlet: rediff.com"),
    "outlet description": ("content/outlets.yaml", "description: An Indian business",
                           "description: An Indian financial"),
    "outlet kind": ("content/outlets.yaml", "kind: portal", "kind: news site"),
    "outlet home page": ("content/outlets.yaml", "url: https://umorina.info/",
                         "url: https://www.umorina.info/"),
    "title": (A, "title: \"India has ties", "title: \"India keeps ties"),
    # A source in another language than the site's: its quotes and title take its `lang`.
    "language": (A, "retrieved: 2026-11-22", "retrieved: 2026-11-22\nlanguage: en-IN"),
    "trans_quote": (A, "    speaker: ned-price\n    date: 2022-02-25\n",
                    "    speaker: ned-price\n    date: 2022-02-25\n"
                    "    trans_quote: India's ties with Russia are its own, and that is fine\n"),
    "translator": (A, "agency: PTI\n", "agency: PTI\ntranslator: A. Reader\n"),
    "trans_title": (A, "agency: PTI\n", "agency: PTI\ntrans_title: Ties\n"),
    "published": (A, "published: 2022-02-26", "published: 2022-02-27"),
    "url": (A, "url: https://m.rediff.com/", "url: https://www.rediff.com/"),
    "statement": (A, "statement: Price said on 25 February 2022 that the US has a broad",
                  "statement: Price said on 25 February 2022 that the US had a broad"),
    "entity name": ("content/entities.yaml", "name: Ned Price", "name: Edward Price"),
    "entity role": ("content/entities.yaml", "role: US State Department spokesperson",
                    "role: Spokesperson of the US State Department"),
    "status reason": ("content/status.yaml", "reason: \"Relayed second-hand",
                      "reason: \"Reported second-hand"),
    "topic title": ("content/topics/quad.md", "title: Quad", "title: The Quad"),
    "topic summary": ("content/topics/quad.md", "summary: The Quad grouping",
                      "summary: The grouping"),
    "site title": ("content/site.yaml", "title: \"India, Russia", "title: \"India and Russia"),
    "site licence": ("content/site.yaml", "licence: CC BY 4.0", "licence: CC BY-SA 4.0"),
    "findings title": ("content/findings.md", "title: Key findings", "title: What we found"),
    "finding cites": ("content/findings.md", "[@s400-deal-2018]",
                      "[@s400-deliveries-planned-december-2021]"),
    "finding text": ("content/findings.md", "**CAATSA was threatened, not applied.**",
                     "**CAATSA sanctions were threatened.**"),
}


def test_outlet_descriptions_added_removed_and_deleted():
    """content/outlets.yaml: entries removed and added again, then the file deleted and
    written anew; each build equals a clean one."""
    builders = Builders()
    try:
        for n in range(3):
            builders.apply(lambda root, rng: edits.remove_entry(root, "outlet", rng), n)
        for n in range(4):
            builders.apply(lambda root, rng, n=n: edits.add_entry(root, "outlet", n, rng), n)
        builders.apply(lambda root, _rng: (root / "content/outlets.yaml").unlink(), 0)
        builders.apply(lambda root, rng: edits.add_entry(root, "outlet", 9, rng), 1)
        assert "undone" not in builders.steps, builders.steps
    finally:
        builders.close()


@pytest.fixture(scope="module")
def builders():
    made = Builders()
    yield made
    made.close()


@pytest.mark.parametrize("name", sorted(FIXED))
def test_a_fixed_edit_builds_as_a_clean_build_would(builders, name):
    rel, old, new = FIXED[name]

    def replace(root: Path, _rng: random.Random) -> str:
        path = root / rel
        text = path.read_text("utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), "utf-8")
        return name

    before = len(builders.steps)
    builders.apply(replace, 0)
    assert builders.steps[before:] == [name]  # the edit kept the content sound
