"""The preview's load stage at the cost of the edit: handed the paths its watcher saw change,
a rebuild stats and reads only those seeds and annotations, and still equals a clean build
after any sequence of creations, edits, deletions, renames and links."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from sourcebook.diagnostics import ContentError
from sourcebook.engine.commands import PreviewBuilder
from sourcebook.engine.pipeline import build_in_memory
from sourcebook.preview.watcher import changed_paths, snapshot

SOURCES = "content/sources"


def _names(root: Path, folder: str, suffix: str) -> list[str]:
    return sorted(p.name for p in (root / folder).iterdir() if p.name.endswith(suffix))


def _outcome(build) -> tuple[str, object]:
    """A build's pages, or its error messages."""
    try:
        return "pages", build().pages
    except ContentError as exc:
        return "errors", sorted(d.format() for d in exc.diagnostics.errors)


def test_a_rebuild_told_what_changed_stats_and_reads_only_that_file(project, monkeypatch):
    import sourcebook.content.sources as sources
    import sourcebook.files as files

    monkeypatch.setattr(files, "RECENT_NS", 0)  # the copy is new; count it as long unchanged
    builder = PreviewBuilder(project)
    builder.rebuild()
    name = _names(project, SOURCES, ".yaml")[0]
    edited = f"{SOURCES}/{name}"
    path = project / edited
    path.write_text(path.read_text().replace("title: \"", "title: \"The ", 1))
    statted: list[str] = []
    opened: list[str] = []
    lstat, read = os.lstat, sources.read

    def counting_lstat(target, *args, **kwargs):
        statted.append(Path(target).as_posix())
        return lstat(target, *args, **kwargs)

    def counting_read(root, rel, *args, **kwargs):
        opened.append(rel)
        return read(root, rel, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(os, "lstat", counting_lstat)
        patch.setattr(sources, "read", counting_read)
        result = builder.rebuild({edited})
    inputs = {p.removeprefix(project.as_posix() + "/") for p in statted}
    # Of the 10 seeds and annotations, only the edited one is looked at, and read.
    assert {p for p in inputs if p.startswith(("seeds/", f"{SOURCES}/"))} == {edited}
    assert opened == [edited]
    assert result.pages == build_in_memory(project).pages


def test_a_file_written_after_the_poll_is_read_by_the_next_rebuild(project):
    builder = PreviewBuilder(project)
    builder.rebuild()
    first, second = _names(project, SOURCES, ".yaml")[:2]
    for name in (first, second):
        path = project / SOURCES / name
        path.write_text(path.read_text().replace("title: \"", "title: \"The ", 1))
    builder.rebuild({f"{SOURCES}/{first}"})  # the poll saw the first; the second came after
    # The watcher's next poll sees the second, and that rebuild is the clean build.
    assert builder.rebuild({f"{SOURCES}/{second}"}).pages == build_in_memory(project).pages


def test_after_any_change_the_watched_rebuild_equals_a_clean_build(project):
    """The watcher's protocol: a snapshot before each build, the paths changed since handed
    to the next: creations, edits, deletions, renames and links among seeds and annotations,
    each compared (pages, or errors) with a clean build."""
    builder = PreviewBuilder(project)
    seen = snapshot(project)
    builder.rebuild()
    seeds = _names(project, "seeds", ".txt")
    one, two = seeds[0].removesuffix(".txt"), seeds[1].removesuffix(".txt")
    annotation = project / SOURCES / f"{one}.yaml"
    text = annotation.read_text()

    def edit_title() -> None:
        annotation.write_text(text.replace("title: \"", "title: \"Edited ", 1))

    def unknown_topic() -> None:
        annotation.write_text(text.replace("topics: [", "topics: [no-such-topic, ", 1)
                              if "topics: [" in text else text + "\nnot yaml: [\n")

    def restore() -> None:
        annotation.write_text(text)

    def rename_seed() -> None:
        (project / "seeds" / f"{one}.txt").rename(project / "seeds" / f"{one}-moved.txt")

    def rename_seed_back() -> None:
        (project / "seeds" / f"{one}-moved.txt").rename(project / "seeds" / f"{one}.txt")

    def delete_annotation() -> None:
        annotation.unlink()

    def new_pair() -> None:
        shutil.copy(project / "seeds" / f"{two}.txt", project / "seeds" / "a-new-source.txt")
        (project / SOURCES / "a-new-source.yaml").write_text(
            "title: A new source\noutlet: example.org\npublished: 2021-01-01\n")

    def link_a_seed() -> None:
        os.symlink(project / "seeds" / f"{two}.txt", project / "seeds" / "linked.txt")

    def unlink_the_seed() -> None:
        (project / "seeds" / "linked.txt").unlink()

    def a_bad_seed_name() -> None:
        shutil.copy(project / "seeds" / f"{two}.txt", project / "seeds" / "Bad Name.txt")

    def remove_bad_seed() -> None:
        (project / "seeds" / "Bad Name.txt").unlink()

    steps = [edit_title, unknown_topic, restore, rename_seed, rename_seed_back,
             delete_annotation, restore, new_pair, link_a_seed, unlink_the_seed,
             a_bad_seed_name, remove_bad_seed, edit_title]
    for step in steps:
        step()
        now = snapshot(project)
        changes, seen = changed_paths(seen, now), now
        assert changes, step.__name__
        preview = _outcome(lambda: builder.rebuild(changes))  # noqa: B023
        assert preview == _outcome(lambda: build_in_memory(project)), step.__name__


@pytest.mark.parametrize("folder", ["seeds", SOURCES])
def test_a_folder_replaced_by_a_link_is_seen_without_its_files_changing(project, folder):
    builder = PreviewBuilder(project)
    builder.rebuild()
    (project / folder).rename(project / "elsewhere")
    os.symlink(project / "elsewhere", project / folder)
    with pytest.raises(ContentError) as raised:
        builder.rebuild(set())  # the files' own identities are as they were
    assert any("symbolic link" in d.message for d in raised.value.diagnostics.errors)


def test_the_watcher_sees_every_name_the_load_reads(project):
    """A rebuild trusts what the watcher did not report: so it reports a broken link and a
    name that is not an editor's auto-save, both of which the build refuses."""
    first = snapshot(project)
    os.symlink(project / "nowhere.txt", project / "seeds" / "broken.txt")
    os.symlink(project / "content", project / "seeds" / "folder.txt")
    (project / SOURCES / "#draft.yaml").write_text("title: x\n")
    (project / SOURCES / "#draft.yaml#").write_text("an auto-save")
    assert changed_paths(first, snapshot(project)) == {
        "seeds/broken.txt", "seeds/folder.txt", f"{SOURCES}/#draft.yaml"}


@pytest.mark.parametrize("where", ["before the load", "inside the load"])
def test_a_rebuild_that_fails_leaves_its_changes_to_the_next(project, monkeypatch, where):
    import sourcebook.content.sources as sources
    import sourcebook.engine.commands as commands
    import sourcebook.files as files

    monkeypatch.setattr(files, "RECENT_NS", 0)  # the copy is new; count it as long unchanged
    builder = PreviewBuilder(project)
    builder.rebuild()
    name = _names(project, SOURCES, ".yaml")[0]
    path = project / SOURCES / name
    path.write_text(path.read_text().replace("title: \"", "title: \"Failed ", 1))

    def broken(*args, **kwargs):
        raise OSError("the disk went away")

    with monkeypatch.context() as patch:
        patch.setattr(*((commands, "build_lock") if where == "before the load"
                        else (sources, "read")), broken)
        with pytest.raises(OSError):
            builder.rebuild({f"{SOURCES}/{name}"})
    # The watcher has moved on: the next poll saw nothing else change.
    assert builder.rebuild(set()).pages == build_in_memory(project).pages
