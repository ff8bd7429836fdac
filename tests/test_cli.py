"""The two commands, their exit codes, and what they write (or do not)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO, copy_project, run_cli


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_check_passes_and_writes_nothing(project):
    before = tree_digest(project)
    result = run_cli(project, "check")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "coverage of topic mentions (cited + excluded of all):"
    assert lines[-1] == "ok: 5 sources, 52 facts, 63 passages verified; 0 errors, 0 warnings"
    assert tree_digest(project) == before


def test_build_writes_the_site_and_leaves_committed_fact_files_unchanged(project):
    facts_before = tree_digest(project / "content" / "facts")
    result = run_cli(project)  # no command: build
    assert result.returncode == 0, result.stderr
    assert "built site/" in result.stdout
    assert (project / "site" / "index.html").is_file()
    assert tree_digest(project / "content" / "facts") == facts_before
    assert not list(project.glob(".site.*"))


def test_check_strict_fails_when_fact_files_are_stale_and_build_fixes_them(project):
    stale = project / "content/facts/s400-deal-2018.yaml"
    stale.write_text(stale.read_text(encoding="utf-8").replace("2018", "2019"), encoding="utf-8")
    orphan = project / "content/facts/gone.yaml"
    orphan.write_text(stale.read_text(encoding="utf-8"), encoding="utf-8")
    relaxed = run_cli(project, "check")  # what the next build writes is no content error
    assert relaxed.returncode == 0 and "error" not in relaxed.stderr, relaxed.stderr
    assert ("note: the next `python build.py` brings content/facts/ up to date (1 to update, "
            "1 to remove)") in relaxed.stdout
    result = run_cli(project, "check", "--strict")  # CI's guard: what is committed is current
    assert result.returncode == 1
    assert ("content/facts/s400-deal-2018.yaml:1:1: error: the fact file is out of date"
            in result.stderr)
    assert "content/facts/gone.yaml:1:1: error: the fact file belongs to no fact" in result.stderr
    assert result.stderr.count("hint: run `python build.py`") == 1
    assert run_cli(project, "build").returncode == 0
    assert run_cli(project, "check", "--strict").returncode == 0
    assert not orphan.exists()


def test_usage_errors_exit_2(project):
    assert run_cli(project, "--no-such-option").returncode == 2
    assert run_cli(project, "frobnicate").returncode == 2
    empty = project / "empty"
    empty.mkdir()
    result = run_cli(empty, "check")
    assert result.returncode == 2 and "no content/ folder" in result.stderr


def test_two_builds_are_byte_identical_across_hash_seeds(tmp_path):
    digests = []
    for seed in ("1", "2"):
        root = copy_project(tmp_path / f"p{seed}")
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root)],
                       check=True, env=env, capture_output=True)
        digests.append(tree_digest(root / "site"))
    assert digests[0] == digests[1]


def test_build_with_base_url_option(project):
    result = run_cli(project, "build", "--base-url", "https://example.github.io/demo/")
    assert result.returncode == 0, result.stderr
    result = run_cli(project, "check", "--base-url", "not a url")
    assert result.returncode == 1 and "--base-url" in result.stderr


def test_an_internal_failure_is_reported_as_a_bug_with_exit_3(project, monkeypatch, capsys):
    from sourcebook import cli
    from sourcebook.engine.pipeline import Engine

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(Engine, "build", explode)
    assert cli.main(["--root", str(project), "check"]) == 3
    err = capsys.readouterr().err
    assert "internal error" in err and "Traceback" not in err
    saved = Path(err.split("saved in ")[1].split(";")[0])
    assert "RuntimeError: boom" in saved.read_text(encoding="utf-8")
    saved.unlink()


def test_many_stale_fact_files_are_summarised(project):
    for path in (project / "content/facts").glob("*.yaml"):
        path.unlink()
    result = run_cli(project, "check", "--strict")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    # Five by name with one hint, a count of the rest, and the summary.
    assert len(lines) == 5 + 1 + 1 + 1
    missing = "no fact file yet for this new fact: `python build.py` writes it"
    assert f"content/facts/:1:1: error: 47 more: {missing}" in lines
    assert sum(f": error: {missing}" in ln for ln in lines) == 5
    assert lines[-1] == "failed: 6 errors, 0 warnings"


def test_strict_turns_warnings_into_errors(project):
    (project / "seeds/extra.txt").write_text("An article nobody annotated yet.", "utf-8")
    relaxed = run_cli(project, "check")
    assert relaxed.returncode == 0
    assert "seeds/extra.txt:1:1: warning: this seed has no annotation" in relaxed.stderr
    strict = run_cli(project, "check", "--strict")
    assert strict.returncode == 1
    assert "seeds/extra.txt:1:1: warning: this seed has no annotation" in strict.stderr
    assert "failed: 0 errors, 1 warning" in strict.stderr


def test_check_json_lists_every_diagnostic_for_editors_and_ci(project):
    clean = run_cli(project, "check", "--format", "json")
    assert clean.returncode == 0 and clean.stderr == ""
    report = json.loads(clean.stdout)
    assert report["ok"] is True and report["errors"] == 0
    assert (report["sources"], report["facts"]) == (5, 52)

    annotation = project / "content/sources/000_0a8abdfef13416d9.yaml"
    text = annotation.read_text(encoding="utf-8")
    annotation.write_text(text.replace("buy five units", "buy six units", 1), encoding="utf-8")
    broken = run_cli(project, "check", "--format", "json")
    assert broken.returncode == 1 and broken.stderr == ""
    report = json.loads(broken.stdout)
    assert report["ok"] is False and report["errors"] >= 1
    [error] = [d for d in report["diagnostics"] if d["severity"] == "error"]
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if "buy five units" in ln)
    assert (error["path"], error["line"]) == ("content/sources/000_0a8abdfef13416d9.yaml", line)
    assert "the quote is not in seeds/" in error["message"] and error["hints"]
    assert set(error) == {"path", "line", "col", "severity", "message", "hints"}


def test_build_strict_and_check_strict_fail_on_the_same_uncovered_mention(project):
    """Issue 14: coverage runs in a strict build too."""
    seed = project / "seeds/003_4197f04110c4ab2c.txt"
    seed.write_text(seed.read_text("utf-8") + "\nAnalysts expect more talk of the S-400.\n",
                    "utf-8")
    warning = "seeds/003_4197f04110c4ab2c.txt:"
    for command in ("check", "build"):
        relaxed = run_cli(project, command)
        assert relaxed.returncode == 0, relaxed.stderr
    for command in ("check", "build"):
        strict = run_cli(project, command, "--strict")
        assert strict.returncode == 1, (command, strict.stdout, strict.stderr)
        assert warning in strict.stderr and "S-400" in strict.stderr, strict.stderr


def test_options_go_before_or_after_the_command(project):
    """`python build.py --base-url …` and `--strict` build, as README's users type them."""
    for args in (("--strict",), ("--strict", "build"), ("build", "--strict"),
                 ("--root", ".", "build"), ("--base-url", "https://x.github.io/repo/")):
        result = run_cli(project, *args)
        assert result.returncode == 0, (args, result.stderr)
        assert "site/" in result.stdout
    assert "https://x.github.io/repo/" in (project / "site/index.html").read_text("utf-8")
    checked = run_cli(project, "--strict", "check", "--format", "json")
    assert checked.returncode == 0 and '"ok": true' in checked.stdout


def test_usage_errors_name_the_fix(project):
    cases = {
        ("biuld",): "did you mean `build`?",
        ("check", "--out", "x"): "--out is an option of `build`",
        ("--out", "x", "check"): "--out is an option of `build`",
        ("serve", "--strict"): "--strict is an option of `build and check`",
        ("new",): "the following arguments are required: seed",
    }
    for args, hint in cases.items():
        result = run_cli(project, *args)
        assert result.returncode == 2, args
        assert hint in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr


def test_version_and_help_with_examples(project):
    version = run_cli(project, "--version")
    assert version.returncode == 0 and version.stdout.startswith("sourcebook ")
    for command in ("build", "check", "new", "serve", "init"):
        shown = run_cli(project, command, "--help")
        assert shown.returncode == 0 and "example" in shown.stdout, command


def test_new_takes_a_bare_seed_name_and_names_the_nearest_seeds(project):
    (project / "seeds/frigate-deal.txt").write_text(
        "Frigate deal signed\n\nThe navy signed a deal for two frigates on Monday.\n", "utf-8")
    misspelt = run_cli(project, "new", "frigate-dael.txt")
    assert misspelt.returncode == 1
    assert "did you mean seeds/frigate-deal.txt?" in misspelt.stderr
    assert "nearest seeds: frigate-deal.txt" in misspelt.stderr
    bare = run_cli(project, "new", "frigate-deal.txt")
    assert bare.returncode == 0, bare.stderr
    assert (project / "content/sources/frigate-deal.yaml").is_file()


def test_hints_say_how_to_add_what_is_missing(project):
    (project / "seeds/extra.txt").write_text("An article nobody annotated yet.", "utf-8")
    annotation = project / "content/sources/003_4197f04110c4ab2c.yaml"
    annotation.write_text(annotation.read_text("utf-8").replace(
        "topics: [defence-ties, caatsa]", "topics: [defence-ties, fisheries]", 1), "utf-8")
    result = run_cli(project, "check")
    assert "hint: run `python build.py new seeds/extra.txt` to draft " \
           "content/sources/extra.yaml" in result.stderr
    assert "unknown topic 'fisheries'" in result.stderr
    assert "to add a topic, create content/topics/fisheries.md" in result.stderr
