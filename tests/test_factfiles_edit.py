"""An edit in the preview costs in proportion to what it changed in the facts stage and in
the fact files' write (issue 16): one annotation edited, its source's passages are made again
and its facts' files looked at, not every source's and every file's. The research and
content/facts/ stay equal to a clean build's, whatever is done to content/facts/ by hand."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

import sourcebook.engine.factfiles as factfiles
from builds import expected_fact_files, fact_files
from conftest import run_cli
from sourcebook.diagnostics import ContentError
from sourcebook.engine.commands import PreviewBuilder
from sourcebook.engine.pipeline import build_in_memory
from sourcebook.memo import Memo

A001 = "content/sources/001_387e21b613e05868.yaml"
A003 = "content/sources/003_4197f04110c4ab2c.yaml"
EDITED = "content/facts/lavrov-says-us-discourages-russian-arms-purchases.yaml"  # 003's
# Facts 003 does not cite (001's).
UNTOUCHED = "content/facts/ak203-rifle-deal.yaml"
ANOTHER = "content/facts/austin-expects-india-to-scale-down-russian-arms.yaml"


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_statement(root: Path, n: int = 0) -> None:
    """Edit the statement of 003's fact lavrov-says-us-discourages-russian-arms-purchases."""
    text = (root / A003).read_text(encoding="utf-8")
    old = "statement: Lavrov said on 6 April 2021 that"
    assert old in text
    (root / A003).write_text(text.replace(old, f"{old} (edit {n})", 1), encoding="utf-8")


@pytest.fixture
def session(project: Path) -> PreviewBuilder:
    session = PreviewBuilder(project)
    session.rebuild()
    return session


def test_an_edit_makes_one_sources_passages_and_looks_at_its_facts_files_only(
        session, monkeypatch):
    root = session.engine.root
    calls: Counter[str] = Counter()
    real_call = Memo._call

    def counted(self, table, *args, **kwargs):
        calls[table] += 1
        return real_call(self, table, *args, **kwargs)

    listed, stated = [], []
    real_stat = factfiles._stat
    monkeypatch.setattr(Memo, "_call", counted)
    monkeypatch.setattr(factfiles, "_unwanted_files", lambda *args: listed.append(args) or [])
    monkeypatch.setattr(factfiles, "_stat", lambda path: stated.append(path) or real_stat(path))
    edit_statement(root)
    result = session.rebuild()
    # The facts stage: one seed scanned for names and one source's passages found, not all 5.
    assert calls["names in seed"] == 1
    assert calls["passages"] == 1
    # The write: the one changed file compared and written; the folder is not listed.
    assert result.fact_files_written == 1
    assert listed == []
    assert [Path(p).relative_to(root).as_posix() for p in stated] == [EDITED]
    assert fact_files(root) == expected_fact_files(build_in_memory(root))


def clean_research_equals(session: PreviewBuilder) -> None:
    """The preview's research equals a clean build's, its indexes too (in their order)."""
    research = session.rebuild().built.research
    clean = build_in_memory(session.engine.root).research
    assert research == clean
    assert list(research.fact_index.items()) == list(clean.fact_index.items())
    assert list(research.source_index.items()) == list(clean.source_index.items())
    assert fact_files(session.engine.root) == expected_fact_files(build_in_memory(
        session.engine.root))


def test_a_patched_research_equals_a_clean_one_through_edits(session):
    root = session.engine.root
    edit_statement(root)
    clean_research_equals(session)
    # A new fact, then the fact removed again.
    claim = ("  - fact: kirby-nothing-but-honest\n"
             "    quote: \"We've been nothing but honest about that and discouraging that.\"\n"
             "    topics: [quad]\n    statement: Kirby said the US had been honest.\n")
    edit(root, "content/sources/000_0a8abdfef13416d9.yaml", "claims:\n", "claims:\n" + claim)
    clean_research_equals(session)
    edit(root, "content/sources/000_0a8abdfef13416d9.yaml", claim, "")
    clean_research_equals(session)
    # A status removed, then given to another fact.
    edit(root, "content/status.yaml", "ak203-rifle-deal:", "not-a-fact-any-more:")
    with pytest.raises(ContentError):  # a status for an unknown fact: the last good build stays
        session.rebuild()
    edit(root, "content/status.yaml", "not-a-fact-any-more:",
         "austin-expects-india-to-scale-down-russian-arms:")
    clean_research_equals(session)
    # An entity's names changed: every source's names are found again.
    edit(root, "content/entities.yaml", "aliases: [Kirby]", "aliases: [Kirby, Pentagon]")
    clean_research_equals(session)
    # An article added, then its source removed.
    (root / "seeds/new.txt").write_text("The Quad met again. It said little.", "utf-8")
    (root / "content/sources/new.yaml").write_text(
        "title: New\nclaims:\n  - fact: quad-met-again\n    quote: The Quad met again.\n"
        "    topics: [quad]\n    statement: The Quad met again.\n", "utf-8")
    clean_research_equals(session)
    (root / "seeds/new.txt").unlink()
    (root / "content/sources/new.yaml").unlink()
    clean_research_equals(session)


def test_fact_files_removed_or_replaced_by_hand_are_put_back_by_the_next_rebuild(session):
    root = session.engine.root
    (root / UNTOUCHED).unlink()
    by_hand = root / "content/facts/by-hand.tmp"
    by_hand.write_text("edited by hand\n", encoding="utf-8")
    os.replace(by_hand, root / ANOTHER)  # as an editor saves: a new file renamed over it
    edit_statement(root)
    result = session.rebuild()
    assert fact_files(root) == expected_fact_files(build_in_memory(root))
    assert result.fact_files_written == 3
    # The next edit looks at its own fact's file only again.
    edit_statement(root, 1)
    assert session.rebuild().fact_files_written == 1
    assert fact_files(root) == expected_fact_files(build_in_memory(root))


def test_a_fact_file_edited_in_place_during_the_preview_is_repaired_by_build(session):
    root = session.engine.root
    target = root / UNTOUCHED
    target.write_text(target.read_text(encoding="utf-8") + "# by hand\n", encoding="utf-8")
    edit_statement(root)
    session.rebuild()
    # The folder is as the preview's write left it: only `build` proves every file again.
    assert run_cli(root, "build").returncode == 0
    assert fact_files(root) == expected_fact_files(build_in_memory(root))
