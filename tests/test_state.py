"""The saved build state (.sourcebook-cache/) changes nothing but speed: after any sequence of
edits, an incremental build is byte-identical to a clean one, and deleting the cache gives the
same site."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import copy_project
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
    path = root / rel
    text = path.read_text(encoding="utf-8")
    before, after = (new, old) if undo else (old, new)
    if before in text:
        path.write_text(text.replace(before, after, 1), encoding="utf-8")


def add_or_remove_article(root: Path) -> None:
    seed, annotation = root / "seeds/zz-new.txt", root / "content/sources/zz-new.yaml"
    if seed.exists():
        seed.unlink()
        annotation.unlink()
    else:
        seed.write_text("The Quad met again in 2023. Nothing else happened.", "utf-8")
        annotation.write_text("title: New\nclaims:\n  - fact: quad-met-2023\n"
                              "    quote: The Quad met again in 2023.\n    topics: [quad]\n"
                              "    statement: The Quad met again in 2023.\n", "utf-8")


steps = st.lists(st.tuples(st.sampled_from([*EDITS, "seed", "article", "touch", "cache"]),
                           st.booleans()), min_size=1, max_size=5)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(steps)
def test_incremental_builds_equal_clean_builds(tmp_path_factory, sequence):
    root = copy_project(tmp_path_factory.mktemp("incremental") / "p")
    assert main(["--root", str(root), "build"]) == 0
    for name, undo in sequence:
        if name == "article":
            add_or_remove_article(root)
        elif name == "seed":  # the archived text changes, every quote still anchors
            path = root / "seeds/002_7bf14ee84c1d808c.txt"
            text = path.read_text(encoding="utf-8")
            extra = "\nA line added to the archive."
            path.write_text(text.removesuffix(extra) if text.endswith(extra) else text + extra,
                            encoding="utf-8")
        elif name == "touch":  # a save without a change
            path = root / A3
            path.write_bytes(path.read_bytes())
        elif name == "cache":
            shutil.rmtree(root / ".sourcebook-cache", ignore_errors=True)
        else:
            apply(root, name, undo)
        assert main(["--root", str(root), "build"]) == 0
    clean = tmp_path_factory.mktemp("clean") / "p"
    for folder in ("seeds", "content", "templates"):
        shutil.copytree(root / folder, clean / folder)
    shutil.rmtree(clean / "content/facts")
    assert main(["--root", str(clean), "build"]) == 0
    assert tree(root / "site") == tree(clean / "site")
    assert tree(root / "content/facts") == tree(clean / "content/facts")


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


def test_a_hand_edited_site_file_is_rebuilt(project):
    assert main(["--root", str(project), "build"]) == 0
    page = project / "site/topics/quad/index.html"
    good = page.read_bytes()
    page.write_text("vandalised", "utf-8")
    apply(project, "statement", undo=False)  # some other change, so the build runs
    assert main(["--root", str(project), "build"]) == 0
    assert page.read_bytes() == good
