"""The preview's edits of an annotation: the researcher's file keeps its comments, blank
lines, order and quoting; an addition adds lines and changes none; an edit that would change
anything else is refused."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
import yaml

from conftest import REPO, copy_project, run_cli
from sourcebook.preview.annotate import yamledit

ANNOTATION = b"""# A hand-written annotation: comments everywhere.
title: 'Single-quoted title'   # trailing comment
published: 2022-04-23
exclude:
  - quote: "NEWS"
    reason: Section label  # why

claims:
  # the first claim
  - fact: a-fact
    quote: "Some words"
    topics: [defence-ties]
    statement: >-
      A folded statement
      over two lines.

  - fact: b-fact
    quote: 'Other words'
    topics:
      - quad
    date: 2021
# the end
"""


def changes(before: bytes, after: bytes) -> list[str]:
    return [line for line in difflib.ndiff(before.decode().splitlines(),
                                           after.decode().splitlines())
            if line[:1] in "+-"]


def test_a_new_claim_only_adds_lines_after_the_last_and_keeps_the_style():
    after = yamledit.append(ANNOTATION, "claims", {
        "fact": "c-fact", "quote": 'He said: "yes"', "prefix": "Then", "topics": ["quad", "s-400"],
        "statement": "A statement: with a colon", "date": "2022-04-22", "stance": "disputes"})
    diff = changes(ANNOTATION, after)
    assert all(line.startswith("+") for line in diff), diff
    assert [line for line in diff if line.strip("+ ")] == [
        "+   - fact: c-fact",
        '+     quote: "He said: \\"yes\\""',
        '+     prefix: "Then"',
        "+     topics: [quad, s-400]",
        "+     statement: 'A statement: with a colon'",
        "+     date: 2022-04-22",
        "+     stance: disputes",
    ]
    assert "+ " in diff  # set off by a blank line, as the claims before it are
    data = yaml.safe_load(after)
    assert data["claims"][:2] == yaml.safe_load(ANNOTATION)["claims"]
    assert data["claims"][2]["quote"] == 'He said: "yes"'


def test_an_exclusion_goes_at_the_end_of_exclude_and_a_missing_list_is_made():
    after = yamledit.append(ANNOTATION, "exclude", {"quote": "Menu", "reason": "Navigation"})
    assert [line for line in changes(ANNOTATION, after) if line.strip("+ ")] == [
        '+   - quote: "Menu"', "+     reason: Navigation"]
    bare = b"title: T  # no lists yet\n"
    made = yamledit.append(bare, "claims", {"fact": "x", "quote": "q", "statement": "S."})
    assert made.startswith(bare)
    assert yaml.safe_load(made)["claims"] == [{"fact": "x", "quote": "q", "statement": "S."}]


def test_edit_and_remove_touch_only_their_claim():
    edited = yamledit.update(ANNOTATION, "claims", 1, {"topics": ["quad", "caatsa"],
                                                      "date": ""})
    old, new = yaml.safe_load(ANNOTATION), yaml.safe_load(edited)
    assert new["claims"][0] == old["claims"][0]
    assert new["claims"][1] == {"fact": "b-fact", "quote": "Other words",
                                "topics": ["quad", "caatsa"]}
    assert "# the first claim" in edited.decode() and "# the end" in edited.decode()
    assert "# the end" in yamledit.remove(edited, "claims", 1).decode()
    removed = yamledit.remove(ANNOTATION, "claims", 0)
    assert yaml.safe_load(removed)["claims"] == [old["claims"][1]]
    assert "# trailing comment" in removed.decode()
    with pytest.raises(yamledit.EditFailed):
        yamledit.remove(ANNOTATION, "claims", 5)


def test_every_bundled_annotation_and_a_drafted_one_survive_a_round_trip(tmp_path: Path):
    root = copy_project(tmp_path / "project")
    seed = root / "seeds" / "new-article.txt"
    seed.write_bytes((REPO / "seeds" / "002_7bf14ee84c1d808c.txt").read_bytes())
    assert run_cli(root, "new", "seeds/new-article.txt").returncode == 0
    for path in sorted((root / "content" / "sources").glob("*.yaml")):
        before = path.read_bytes()
        after = yamledit.append(before, "claims", {"fact": "z", "quote": "q", "statement": "S."})
        diff = changes(before, after)
        assert all(line.startswith("+") for line in diff), (path.name, diff)


def test_write_atomic_replaces_the_file_and_leaves_no_temporary(tmp_path: Path):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"old\n")
    yamledit.write_atomic(path, b"new\n")
    assert path.read_bytes() == b"new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]
