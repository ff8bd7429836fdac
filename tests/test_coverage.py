"""The coverage report of `check`: sentences that mention a topic alias and that no claim or
exclusion covers are warnings at their place in the seed; shares per source and per topic."""

from __future__ import annotations

import json

from conftest import run_cli
from minisite import make_project
from sourcebook.authoring.coverage import (
    CoverageReport,
    Share,
    alias_pattern,
    format_shares,
    sentences,
)

TOPIC = "---\ntitle: S-400\naliases: [S-400, Triumf]\n---\nIntro.\n"
SEED = ("Headline about the S\u2011400\n"
        "India signed the deal in 2018. The S-400 arrived late.\n"
        "Nothing here. Cookies help us.\n")
CLAIM = ("claims:\n  - fact: deal\n    quote: India signed the deal in 2018.\n"
         "    topics: [t]\n    statement: India signed the deal.\n")


def project(tmp_path, annotation: str):
    return make_project(tmp_path / "p", seeds={"a": SEED},
                        sources={"a": "title: A\narchive_url: https://web.archive.org/web/2024/"
                                      "https://example.org/a\n" + annotation},
                        topics={"t": TOPIC})


def test_sentences_end_at_stops_and_line_breaks():
    text = 'One. "Two?" Three\nFour!  Five'
    assert [text[s:e] for s, e in sentences(text)] == ["One.", '"Two?"', "Three", "Four!",
                                                       "Five"]


def test_aliases_match_whole_words_with_any_dash():
    pattern = alias_pattern(("S-400", "Triumf"))
    assert [m.group() for m in pattern.finditer("S\u2011400, S\u2013400 and Triumfs; Triumf.")] == \
        ["S\u2011400", "S\u2013400", "Triumf"]
    assert alias_pattern(("", " ")) is None


def test_uncovered_mentions_are_warnings_at_their_sentence(tmp_path):
    root = project(tmp_path, CLAIM)
    assert run_cli(root, "build").returncode == 0
    result = run_cli(root, "check")
    assert result.returncode == 0, result.stderr
    warnings = [ln for ln in result.stderr.splitlines() if ": warning: " in ln]
    # The headline (line 1) and "The S-400 arrived late." (line 2, column 32); the cited
    # sentence is covered.
    assert [w.split(": warning: ")[0] for w in warnings] == ["seeds/a.txt:1:1",
                                                            "seeds/a.txt:2:32"]
    assert "mentions S\u2011400 (t)" in warnings[0] and "mentions S-400 (t)" in warnings[1]
    assert "hint: the sentence: The S-400 arrived late." in result.stderr
    assert "source a: 0/2 annotated (0 %): 0 cited, 0 excluded, 2 uncovered" in result.stdout
    assert run_cli(root, "check", "--strict").returncode == 1


def test_claims_and_exclusions_cover_sentences_and_json_reports_shares(tmp_path):
    annotation = ('exclude:\n  - quote: "Headline about the S\u2011400"\n    reason: Headline\n'
                  + CLAIM + "  - fact: late\n    quote: The S-400 arrived late.\n"
                  "    topics: [t]\n    statement: It arrived late.\n")
    root = project(tmp_path, annotation)
    assert run_cli(root, "build").returncode == 0
    result = run_cli(root, "check", "--strict", "--format", "json")
    assert result.returncode == 0, result.stdout
    report = json.loads(result.stdout)
    assert report["warnings"] == 0
    assert report["coverage"]["sources"] == [
        {"name": "a", "mentions": 2, "cited": 1, "excluded": 1, "uncovered": 0,
         "annotated_percent": 100}]
    assert report["coverage"]["topics"][0]["name"] == "t"


def test_the_bundled_research_is_fully_covered(project):
    result = run_cli(project, "check", "--strict", "--format", "json")
    assert result.returncode == 0, result.stdout
    report = json.loads(result.stdout)
    assert report["warnings"] == 0
    shares = report["coverage"]["sources"] + report["coverage"]["topics"]
    assert len(shares) == 5 + 5 and all(s["uncovered"] == 0 and s["mentions"] for s in shares)
    # Every exclusion that covers a mention says why.
    assert sum(s["excluded"] for s in report["coverage"]["sources"]) == 2


def test_a_big_set_lists_only_the_sources_with_uncovered_mentions():
    sources = tuple(Share(f"s{i:02}", 2, 0, 1 if i == 7 else 0) for i in range(25))
    lines = format_shares(CoverageReport((), sources, (Share("t", 50, 0, 1),)))
    assert lines[1] == "  24 of 25 sources have every mention annotated (the others are listed)"
    assert [ln.split(":")[0] for ln in lines[2:]] == ["  source s07", "  topic t"]
