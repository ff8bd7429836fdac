"""Content mistakes give located `path:line:col: error:` messages with hints, exit 1, no traceback,
and leave the last good site/ untouched."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import project_file, run_cli
from sourcebook.cli import main

SOURCE = "content/sources/000_0a8abdfef13416d9.yaml"


def site_digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((root / "site").rglob("*")) if p.is_file()}


def replace_in(root: Path, rel: str, old: str, new: str) -> None:
    path = project_file(root, rel)
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(root: Path, rel: str, needle: str) -> int:
    lines = (root / rel).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


# (name, file, old text, new text, the line's marker in the edited file, key phrase)
CASES = [
    ("unknown key", SOURCE, "    quote: \"In October 2018", "    qoute: \"In October 2018",
     "qoute:", "unknown key 'qoute'"),
    ("misspelt quote", SOURCE, "five units of the S-400 Triumf", "five units of the S-400 Triumph",
     "S-400 Triumph", "the quote is not in seeds/000_0a8abdfef13416d9.txt"),
    ("unknown topic", SOURCE, "topics: [s-400]", "topics: [s400]", "topics: [s400]",
     "unknown topic 's400'"),
    ("bad date", SOURCE, "published: 2022-04-23", "published: 2022-13-40", "published:",
     "not a valid date"),
    ("bad fact id", SOURCE, "fact: s400-deal-2018", "fact: S400_Deal", "fact: S400_Deal",
     "'S400_Deal' is not a valid id"),
    ("malformed yaml", SOURCE, "title: ", "title: [unclosed\n  oops: ", "title: [unclosed",
     "malformed YAML"),
]


@pytest.mark.parametrize(("name", "rel", "old", "new", "marker", "phrase"), CASES,
                         ids=[c[0] for c in CASES])
def test_content_error_is_located_and_leaves_site_untouched(project, name, rel, old, new, marker,
                                                            phrase):
    assert main(["--root", str(project), "build"]) == 0
    before = site_digest(project)
    replace_in(project, rel, old, new)
    line = line_of(project, rel, marker)
    result = run_cli(project, "build")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = {line, line + 1} if name == "malformed yaml" else {line}
    located = [ln for ln in result.stderr.splitlines()
               if any(ln.startswith(f"{rel}:{n}:") for n in lines)
               and ": error: " in ln and phrase in ln]
    assert located, result.stderr
    assert "hint:" in result.stderr
    assert site_digest(project) == before


def test_unknown_key_suggests_the_right_one(project):
    replace_in(project, SOURCE, "    statement: In 2018 India", "    statment: In 2018 India")
    result = run_cli(project, "check")
    assert result.returncode == 1
    assert "unknown key 'statment'" in result.stderr
    assert "hint: did you mean 'statement'?" in result.stderr


def test_all_errors_of_a_run_are_reported(project):
    replace_in(project, SOURCE, "topics: [s-400]", "topics: [s400]")
    replace_in(project, "content/sources/003_4197f04110c4ab2c.yaml", "    date: 2021-04-06",
               "    date: 2021-04-31")
    replace_in(project, "content/sources/002_7bf14ee84c1d808c.yaml", "title:", "titel:")
    result = run_cli(project, "check")
    assert result.returncode == 1
    assert "unknown topic 's400'" in result.stderr
    assert "unknown key 'titel'" in result.stderr
    assert "missing required field 'title'" in result.stderr
    assert "'date' is not a valid date: '2021-04-31'" in result.stderr


def test_two_statements_for_one_fact_name_both_places(project):
    rel = "content/sources/001_387e21b613e05868.yaml"
    text = (project / rel).read_text(encoding="utf-8")
    marker = "fact: s400-deal-2018"
    assert marker in text
    block = text[text.index(marker):]
    statement_line = next(ln for ln in block.splitlines() if "statement:" in ln)
    (project / rel).write_text(text.replace(statement_line,
                               "    statement: A different account of the deal.", 1),
                               encoding="utf-8")
    if "statement:" not in statement_line:  # pragma: no cover - guards the fixture itself
        pytest.fail("the 001 claim has no statement to change")
    result = run_cli(project, "check")
    assert result.returncode == 1
    assert "fact 's400-deal-2018' has two different statements" in result.stderr
    assert "the other statement is at content/sources/000_0a8abdfef13416d9.yaml:" in result.stderr


def test_unknown_fact_cited_in_a_topic_is_located(project):
    rel = "content/topics/s-400.md"
    replace_in(project, rel, "[@s400-deal-2018]", "[@s400-deal-2019]")
    line = line_of(project, rel, "[@s400-deal-2019]")
    result = run_cli(project, "check")
    assert result.returncode == 1
    assert f"{rel}:{line}:" in result.stderr
    assert "unknown fact 's400-deal-2019' cited" in result.stderr
    assert "did you mean 's400-deal-2018'?" in result.stderr


def test_quote_inside_excluded_boilerplate_is_an_error(project):
    text = (project / SOURCE).read_text(encoding="utf-8")
    text = text.replace("claims:\n", "claims:\n  - fact: cookie-claim\n"
                        "    quote: \"use technology such as cookies\"\n"
                        "    topics: [s-400]\n    statement: Cookies.\n", 1)
    (project / SOURCE).write_text(text, encoding="utf-8")
    result = run_cli(project, "check")
    assert result.returncode == 1
    assert "the quote lies in a passage excluded as boilerplate" in result.stderr


def test_annotation_without_seed_is_an_error_and_seed_without_annotation_a_warning(project):
    (project / "seeds" / "000_0a8abdfef13416d9.txt").rename(project / "seeds" / "zzz.txt")
    result = run_cli(project, "check")
    assert result.returncode == 1
    assert f"{SOURCE}:1:1: error: no seed for this annotation" in result.stderr
    assert "seeds/zzz.txt:1:1: warning: this seed has no annotation" in result.stderr


def test_non_utf8_seed_is_located(project):
    path = project / "seeds" / "003_4197f04110c4ab2c.txt"
    path.write_bytes(path.read_bytes().replace(b"Tuesday, April", b"Tuesday,\xff April", 1))
    result = run_cli(project, "check")
    assert result.returncode == 1
    assert "seeds/003_4197f04110c4ab2c.txt:1:9: error: not valid UTF-8" in result.stderr


def test_template_error_names_the_template(project):
    replace_in(project, "templates/topic.html", "{{ topic.title }}</h1>", "{{ topic.titel }}</h1>")
    result = run_cli(project, "build")
    assert result.returncode == 1
    assert "templates/topic.html:" in result.stderr and "titel" in result.stderr
    assert "Traceback" not in result.stderr
