"""The saved build state (.sourcebook-cache/) changes nothing but speed: a build with nothing to
do says so and writes nothing, an edit rewrites only the files that changed, and a damaged file
in site/ is made again. (That incremental builds equal clean ones after every kind of edit is
tests/test_incremental_equals_clean.py.)"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import project_file
from sourcebook.cli import main

A3 = "content/sources/003_4197f04110c4ab2c.yaml"
EDITS = {
    "statement": (A3, "statement: Lavrov said on 6 April 2021", "statement: Lavrov said in 2021"),
    "intro": ("content/topics/quad.md", "The Quad is", "The Quad, a grouping, is"),
    "template": ("templates/source.html", "Archived source", "Archived article"),
    "title": ("content/site.yaml", "title: \"India,", "title: \"India and"),
    "topic of a claim": (A3, "topics: [defence-ties, caatsa]", "topics: [caatsa]"),
}


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def apply(root: Path, name: str, undo: bool) -> None:
    rel, old, new = EDITS[name]
    path = project_file(root, rel)
    text = path.read_text(encoding="utf-8")
    before, after = (new, old) if undo else (old, new)
    if before in text:
        path.write_text(text.replace(before, after, 1), encoding="utf-8")


def test_a_no_op_build_writes_nothing_and_says_so(project, capsys):
    assert main(["--root", str(project), "build"]) == 0
    capsys.readouterr()
    before = {p: p.stat().st_mtime_ns for p in (project / "site").rglob("*")}
    assert main(["--root", str(project), "build"]) == 0
    assert "site/ is up to date" in capsys.readouterr().out
    assert {p: p.stat().st_mtime_ns for p in (project / "site").rglob("*")} == before


def test_an_edit_rewrites_only_the_files_that_changed(project, capsys):
    assert main(["--root", str(project), "build"]) == 0
    apply(project, "intro", undo=False)
    capsys.readouterr()
    assert main(["--root", str(project), "build"]) == 0
    out = capsys.readouterr().out
    assert "1 pages rendered, 1 files written of" in out


def test_a_deleted_site_is_written_again_in_full_and_says_so(project, capsys):
    import re
    import shutil
    assert main(["--root", str(project), "build"]) == 0
    files = re.search(r"(\d+) files written of \1\b", capsys.readouterr().out).group(1)
    shutil.rmtree(project / "site")
    capsys.readouterr()
    assert main(["--root", str(project), "build"]) == 0
    out = capsys.readouterr().out
    assert f"{files} files written of {files}" in out, out


@pytest.mark.parametrize("change", ["edited in place, same size", "deleted", "added"])
def test_a_build_sees_any_change_to_the_fact_files_and_puts_them_back(project, capsys, change):
    """The no-op proof holds the fact files as one digest of their names and stats: each kind
    of change to content/facts/ still makes the next build run and restore them."""
    assert main(["--root", str(project), "build"]) == 0
    facts = project / "content/facts"
    clean = tree(facts)
    target = facts / "ak203-rifle-deal.yaml"
    if change == "deleted":
        target.unlink()
    elif change == "added":
        (facts / "renamed-fact.yaml").write_bytes(target.read_bytes())  # a generated file
    else:
        data = target.read_bytes()
        target.write_bytes(data.replace(b"AK-203", b"AK-204", 1))
        assert len(target.read_bytes()) == len(data) and target.read_bytes() != data
    capsys.readouterr()
    assert main(["--root", str(project), "build"]) == 0
    assert "up to date" not in capsys.readouterr().out
    assert tree(facts) == clean
    assert main(["--root", str(project), "build"]) == 0
    assert "site/ is up to date" in capsys.readouterr().out


def test_a_hand_edited_site_file_is_rebuilt(project):
    assert main(["--root", str(project), "build"]) == 0
    page = project / "site/topics/quad/index.html"
    good = page.read_bytes()
    page.write_text("vandalised", "utf-8")
    apply(project, "statement", undo=False)  # some other change, so the build runs
    assert main(["--root", str(project), "build"]) == 0
    assert page.read_bytes() == good


class _Payload:
    """What a malicious state file would hold: unpickling it touches a file."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self):
        return (Path.write_text, (self.target, "ran"))


def test_a_planted_pickle_is_never_loaded(project, capsys):
    """A committed .sourcebook-cache/*.pickle must not run code (issue 13): the state is JSON."""
    import pickle

    assert main(["--root", str(project), "build"]) == 0
    target = project.parent / "payload-ran"
    cache = project / ".sourcebook-cache"
    for name in ("state.pickle", "quick.pickle"):
        (cache / name).write_bytes(pickle.dumps(_Payload(target)))
    apply(project, "intro", undo=False)
    for command in ("check", "build", "build"):
        assert main(["--root", str(project), command]) == 0, capsys.readouterr().err
    assert not target.exists()
    assert not (cache / "state.pickle").exists() and not (cache / "quick.pickle").exists()


def test_a_corrupt_or_foreign_state_is_not_used_and_the_build_says_so(project, capsys):
    assert main(["--root", str(project), "build"]) == 0
    clean = tree(project / "site")
    state = project / ".sourcebook-cache/state.json"
    good = state.read_bytes()
    header, _, payload = good.partition(b"\n")
    damaged = {
        "not ours": b'{"format": "something else"}\n{}',
        "cut short": good[: len(good) // 2],
        "changed": header + b"\n" + payload.replace(b'"site_id":"', b'"site_id":"x', 1),
        "binary": b"\x80\x04\x95 not json",
    }
    for name, data in damaged.items():
        state.write_bytes(data)
        (project / ".sourcebook-cache/quick.json").unlink(missing_ok=True)
        apply(project, "intro", undo=name in ("cut short", "binary"))
        capsys.readouterr()
        assert main(["--root", str(project), "build"]) == 0, name
        err = capsys.readouterr().err
        assert ".sourcebook-cache/state.json" in err and "not used" in err, (name, err)
        assert "Traceback" not in err
        apply(project, "intro", undo=True)
        assert main(["--root", str(project), "build"]) == 0
        assert tree(project / "site") == clean, name


def test_the_saved_state_writes_each_read_once_and_a_rebuild_reads_it_back(project, capsys):
    """Thousands of pages read the same settings, templates and menus: the state lists each
    distinct read once and each page's record numbers them (at 10,000 sources the state was
    112 MB with every read written out in full)."""
    import json

    assert main(["--root", str(project), "build"]) == 0
    text = (project / ".sourcebook-cache/state.json").read_bytes().partition(b"\n")[2]
    state = json.loads(text)
    reads = [(*map(str, key), digest) for key, digest in state["reads"]]
    assert len(reads) == len(set(reads))  # each once
    numbered = [n for _, numbers in state["records"].values() for n in numbers]
    assert all(isinstance(n, int) for n in numbered) and len(numbered) > 3 * len(reads)
    edit = project_file(project, "content/topics/quad.md")
    edit.write_text(edit.read_text("utf-8").replace("order: 4", "order: 0"), "utf-8")
    capsys.readouterr()
    assert main(["--root", str(project), "build"]) == 0
    assert "pages rendered" in capsys.readouterr().out
