"""The skeleton annotation drafted from a seed (`python build.py new`), checked against the five
bundled seeds and the annotations a researcher finished for them."""

from __future__ import annotations

import functools
import itertools
import re
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from minisite import make_project
from sourcebook.anchoring.anchor import SeedIndex, find_unique
from sourcebook.authoring.boilerplate import boilerplate_reason
from sourcebook.authoring.draft import draft_annotation, has_quotation, looks_like_headline
from sourcebook.authoring.draft_yaml import render_yaml
from sourcebook.authoring.metadata import (
    find_agency_credit,
    find_byline,
    find_date,
    find_dateline,
)
from sourcebook.authoring.sentences import Line
from sourcebook.cli import main
from sourcebook.content.model import QuoteSelector, Seed
from sourcebook.content.schema import ANNOTATION
from sourcebook.content.topics import split_front_matter
from sourcebook.diagnostics import Diagnostics, Location
from sourcebook.engine.pipeline import build_in_memory
from sourcebook.research.factfile import yaml_quote
from sourcebook.selectors.normalize import normalize
from sourcebook.selectors.quote import Span

SEEDS = sorted(p.stem for p in (REPO / "seeds").glob("*.txt"))
WITH_HEADLINE = [s for s in SEEDS if s[:3] in ("002", "003", "004")]
WITHOUT_HEADLINE = [s for s in SEEDS if s[:3] in ("000", "001")]
DATED = [s for s in SEEDS if s[:3] in ("000", "002", "003")]
UNDATED = [s for s in SEEDS if s[:3] in ("001", "004")]


def seed_text(seed_id: str) -> str:
    return (REPO / "seeds" / f"{seed_id}.txt").read_bytes().decode("utf-8").removeprefix(
        "\ufeff")


def annotation(seed_id: str) -> dict:
    return yaml.safe_load((REPO / "content" / "sources" / f"{seed_id}.yaml").read_text("utf-8"))


def topic_front_matter() -> dict[str, dict]:
    found = {}
    for path in sorted((REPO / "content" / "topics").glob("*.md")):
        front, _, _ = split_front_matter(path.read_text("utf-8"))
        found[path.stem] = yaml.safe_load(front)
    return found


def topics() -> list[tuple[str, list[str]]]:
    return [(tid, [fm["title"], *fm.get("aliases", [])])
            for tid, fm in topic_front_matter().items()]


def entities() -> list[tuple[str, str, list[str]]]:
    data = yaml.safe_load((REPO / "content" / "entities.yaml").read_text("utf-8"))
    return [(eid, e["name"], e.get("aliases") or []) for eid, e in data.items()]


@functools.cache
def draft(seed_id: str):
    return draft_annotation(seed_id, seed_text(seed_id), topics(), entities())


def anchor(seed_id: str, quote: str, prefix: str = "", suffix: str = "",
           ) -> tuple[Span | None, Diagnostics]:
    """The project's own anchoring of one quote in a bundled seed."""
    text = seed_text(seed_id)
    index = SeedIndex.of(Seed(seed_id, f"seeds/{seed_id}.txt", text, ""))
    diags = Diagnostics()
    span = find_unique(index, QuoteSelector(quote, prefix, suffix, Location("draft")), diags,
                       what="exclude passage")
    return span, diags


# --- the guesses against the finished annotations ---


@pytest.mark.parametrize("seed_id", WITH_HEADLINE)
def test_title_is_the_headline(seed_id):
    guessed = draft(seed_id)
    assert not guessed.no_headline
    assert guessed.title == annotation(seed_id)["title"]


@pytest.mark.parametrize("seed_id", WITHOUT_HEADLINE)
def test_a_seed_without_a_headline_says_so(seed_id):
    raw = (REPO / "content" / "sources" / f"{seed_id}.yaml").read_text("utf-8")
    assert "no headline" in raw  # what the researcher found
    guessed = draft(seed_id)
    assert guessed.no_headline
    assert guessed.title and guessed.title != annotation(seed_id)["title"]
    assert "no headline line" in render_yaml(guessed)
    assert "Write a descriptive title" in render_yaml(guessed)


@pytest.mark.parametrize("seed_id", DATED)
def test_published_is_the_dateline(seed_id):
    assert draft(seed_id).published == annotation(seed_id)["published"].isoformat()


@pytest.mark.parametrize("seed_id", UNDATED)
def test_no_date_is_guessed_where_the_seed_has_none(seed_id):
    assert "published" not in annotation(seed_id)
    assert draft(seed_id).published is None


@pytest.mark.parametrize("seed_id", SEEDS)
def test_author_and_agency_match_the_annotation(seed_id):
    # 000 says "according to news agency PTI" and 004 "news agency ANI": quoted, not credited.
    finished = annotation(seed_id)
    assert draft(seed_id).author == finished.get("author")
    assert draft(seed_id).agency == finished.get("agency")


@pytest.mark.parametrize("seed_id", SEEDS)
def test_every_guessed_exclude_anchors_once_and_none_overlap(seed_id):
    guessed = draft(seed_id)
    spans = []
    for item in guessed.excludes:
        text = seed_text(seed_id)
        assert len(re.findall(re.escape(normalize(item.quote)), normalize(text))) == 1, item
        span, diags = anchor(seed_id, item.quote)
        assert not diags.items, [d.format() for d in diags.items]
        assert span == Span(item.start, item.end)
        spans.append((span.start, span.end))
    spans.sort()
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    for item in guessed.suggestions:  # written commented out, with the suffix they need
        span, diags = anchor(seed_id, item.quote, suffix=item.suffix)
        assert not diags.items and span == Span(item.start, item.end)


# Page furniture, by the reasons the researcher gave; other excludes are editorial judgements
# ("a question, not a claim"), which no rule can guess.
BOILERPLATE_REASON = re.compile(r"banner|label|caption|byline|credit|copyright|widget|navigation"
                                r"|site link|dateline|repeated by the page", re.IGNORECASE)


@pytest.mark.parametrize("seed_id", SEEDS)
def test_the_bundled_boilerplate_is_among_the_guesses(seed_id):
    guessed = draft(seed_id)
    for item in annotation(seed_id).get("exclude", []):
        if not BOILERPLATE_REASON.search(item.get("reason", "")):
            continue
        span, _ = anchor(seed_id, item["quote"], item.get("prefix", ""), item.get("suffix", ""))
        assert span is not None
        covered = any(e.start <= span.start and span.end <= e.end for e in guessed.excludes)
        suggested = any((s.start, s.end) == (span.start, span.end) for s in guessed.suggestions)
        assert covered or suggested, item


def test_the_named_boilerplate_is_guessed_word_for_word():
    quotes = {s[:3]: {normalize(e.quote) for e in draft(s).excludes} for s in SEEDS}
    cookie = normalize(annotation(SEEDS[0])["exclude"][1]["quote"])
    assert cookie.startswith("This site and its partners use technology such as cookies")
    assert cookie in quotes["000"]
    assert "date 2022-04-23" in quotes["000"]
    assert "Post a Comment" in quotes["003"]
    assert "Read all the Latest News here" in quotes["004"]
    assert "NEXT ARTICLE" in quotes["002"]
    assert quotes["001"] == set()  # 001 is clean text: nothing to exclude


def test_candidates_cover_most_bundled_claims_and_no_boilerplate():
    claims = covered = 0
    for seed_id in SEEDS:
        guessed = draft(seed_id)
        for item in guessed.candidates:
            assert not any(e.start < item.end and item.start < e.end for e in guessed.excludes)
            span, diags = anchor(seed_id, item.quote, item.prefix, item.suffix)
            assert span == Span(item.start, item.end), [d.format() for d in diags.items]
        for claim in annotation(seed_id)["claims"]:
            span, _ = anchor(seed_id, claim["quote"], claim.get("prefix", ""),
                             claim.get("suffix", ""))
            claims += 1
            covered += any(c.start < span.end and span.start < c.end for c in guessed.candidates)
    assert covered >= 0.9 * claims, (covered, claims)


def test_candidates_say_why():
    s400 = next(c for c in draft(SEEDS[0]).candidates if c.quote.startswith("In October 2018"))
    assert ("s-400", "S-400") in s400.topics
    assert ("trump-administration", "Trump administration") in s400.entities
    assert s400.numbers == ("2018", "5")
    assert not s400.quotation
    kirby = next(c for c in draft(SEEDS[0]).candidates if c.quote.startswith('"India is a'))
    assert kirby.quotation and ("john-kirby", "Kirby") in kirby.entities
    # The middle of a quotation carries no quotation marks of its own.
    middle = next(c for c in draft(SEEDS[2]).candidates if c.quote.startswith("And we know"))
    assert middle.quotation


# --- the YAML the loader reads ---


def scratch_project(tmp_path: Path, sources: dict[str, str]) -> Path:
    """The bundled seeds, topics (front matter only: their bodies cite the bundled facts) and
    entities, with the given annotations."""
    bare_topics = {tid: "---\n" + yaml.safe_dump(fm, allow_unicode=True) + "---\nIntro.\n"
                   for tid, fm in topic_front_matter().items()}
    return make_project(tmp_path / "p", seeds={s: seed_text(s) for s in sources},
                        sources=sources, topics=bare_topics,
                        entities=(REPO / "content" / "entities.yaml").read_text("utf-8"))


def test_every_skeleton_parses_and_passes_check(tmp_path, capsys):
    skeletons = {seed_id: render_yaml(draft(seed_id)) for seed_id in SEEDS}
    for seed_id, text in skeletons.items():
        data = yaml.safe_load(text)
        assert set(data) <= set(ANNOTATION.keys)
        assert data["claims"] is None  # only commented candidates
        assert [e["quote"] for e in data.get("exclude") or []] == [
            e.quote for e in draft(seed_id).excludes]
        lines = text.splitlines()
        for i, line in enumerate(lines):  # every guess says where it came from
            if line.startswith(("title:", "author:", "agency:", "published:")):
                assert "  # guessed: " in line, line
            if line.startswith("  - quote:"):
                assert lines[i - 1].startswith("  # guessed: "), line
    root = scratch_project(tmp_path, skeletons)
    assert main(["--root", str(root), "check"]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out.splitlines()
    assert any(line.startswith("ok: 5 sources, 0 facts, 0 passages verified; 0 errors")
               for line in out), out


def test_a_candidate_is_ready_to_uncomment(tmp_path):
    seed_id = SEEDS[0]
    text = render_yaml(draft(seed_id))
    lines = text.splitlines()
    start = lines.index("#  - fact: <fact-id>")
    end = next(i for i in range(start, len(lines)) if lines[i] == "#")
    block = [line[1:] for line in lines[start:end]]
    block[0] = block[0].replace("<fact-id>", "first-candidate")
    block.append("    statement: A statement.")
    if not any(line.startswith("    topics:") for line in block):
        block.append("    topics: [defence-ties]")
    edited = "\n".join(lines[:start] + block + lines[start:]) + "\n"
    result = build_in_memory(scratch_project(tmp_path, {seed_id: edited}))
    [fact] = result.research.facts
    assert fact.id == "first-candidate"
    quote = next(c.quote for c in draft(seed_id).candidates)
    assert normalize(fact.evidence[0].quote) == normalize(quote)


# --- the rules, on small strings ---


@pytest.mark.parametrize(("text", "iso"), [
    ("date 2022-04-23", "2022-04-23"),
    ("February 26, 2022 15:37 IST", "2022-02-26"),
    ("Tuesday, April 06, 2021", "2021-04-06"),
    ("26 February 2022", "2022-02-26"),
    ("Sat, 23 Apr 2022 10:02 AM", "2022-04-23"),
    ("Sept. 5, 2021", "2021-09-05"),
    ("Updated: Apr 6th, 2021, 10:12 a.m. IST", "2021-04-06"),
    ("5th of March 2020", "2020-03-05"),
    ("DECEMBER 1, 2021", "2021-12-01"),
    ("2021/12/01", "2021-12-01"),
    ("31 April 2021", None),
    ("on April 5, Austin said", None),
    ("in December 2021", None),
])
def test_date_forms(text, iso):
    assert find_date(text) == iso


def line(text: str, number: int = 1) -> Line:
    return Line(number, 0, len(text), text)


@pytest.mark.parametrize(("text", "iso", "quote"), [
    ("date 2022-04-23 This site uses cookies.", "2022-04-23", "date 2022-04-23"),
    ("February 26, 2022 15:37 IST", "2022-02-26", "February 26, 2022 15:37 IST"),
    ("Tuesday, April 06, 2021", "2021-04-06", "Tuesday, April 06, 2021"),
    ("Published: 3 March 2022 | 10:05", "2022-03-03", "Published: 3 March 2022 | 10:05"),
    ("February 26, 2022: Russia attacked Kyiv.", None, None),  # a sentence, not a dateline
    ("On February 26, 2022 Russia attacked", None, None),
])
def test_datelines(text, iso, quote):
    found = find_dateline(line(text))
    assert (found.date, found.text) == (iso, quote) if found else iso is None


@pytest.mark.parametrize(("text", "author"), [
    ("By Lalit K Jha", "Lalit K Jha"),
    ("By Jane Doe and John Roe", "Jane Doe and John Roe"),
    ("BY: Jane Doe, Reuters", "Jane Doe"),
    ("By using this site you agree to its privacy policy.", None),
    ("By the time the deal closed, India had paid", None),
    ("By Friday the Pentagon had said more than it meant to say about India and Russia", None),
])
def test_bylines(text, author):
    found = find_byline(line(text))
    assert (found[0].value if found else None) == author


@pytest.mark.parametrize(("text", "agency"), [
    ("Source: PTI", "PTI"),
    ("Agency: Reuters", "Reuters"),
    ("(With inputs from ANI)", "ANI"),
    ("according to news agency PTI report.", None),
    ("Source: the ministry said that it would not comment on it", None),
])
def test_agency_credits(text, agency):
    found = find_agency_credit(line(text))
    assert (found.value if found else None) == agency


def test_agency_from_the_byline_and_the_credit_wins():
    credited = draft_annotation("x", "Headline of a wire story here\nBy Jane Doe, AFP\n"
                                "Source: PTI\nBody text.\n", [], [])
    assert (credited.author, credited.agency) == ("Jane Doe", "PTI")
    byline_only = draft_annotation("x", "Headline of a wire story here\nBy Jane Doe, AFP\n", [], [])
    assert (byline_only.author, byline_only.agency) == ("Jane Doe", "AFP")


@pytest.mark.parametrize(("text", "reason"), [
    ("Post a Comment", "Comment widget"),
    ("12 comments", "Comment widget"),
    ("What\u2019s your reaction?", "Reaction widget"),
    ("Read all the Latest News here", "Site link"),
    ("\u00a9 Copyright 2024 PTI. All rights reserved.", "Copyright notice"),
    ("IMAGE: A photo. Photograph: Someone/Reuters", "Photo caption"),
    ("NEXT ARTICLE", "Site navigation"),
    ("Home | World | India | Business", "Site navigation"),
    ("NewsBusinessMoviesSportsCricket", "Site navigation"),
    ("NEWS", "Section label"),
    ("India-Russia Partnership", None),
    ("Kirby said the US values its partnership with India.", None),
])
def test_boilerplate_lines(text, reason):
    assert boilerplate_reason(text) == reason


def test_a_boilerplate_line_that_is_not_unique_is_dropped():
    text = "A headline about the deal\nBody text that says Post a Comment.\n\nPost a Comment\n"
    assert draft_annotation("x", text, [], []).excludes == ()


def test_a_repeated_line_is_lengthened_over_the_boilerplate_next_to_it():
    text = ("A headline about the deal\nBy Jane Doe\n\nThe deal was signed.\n\nJane Doe\n"
            "Source: PTI\n")
    [merged] = draft_annotation("x", text, [], []).excludes
    assert (merged.quote, merged.reason) == ("Jane Doe Source: PTI",
                                             "Byline repeated at the end; Agency credit")


@pytest.mark.parametrize(("text", "expected"), [
    ("India desperate to get S-400, what is Russia saying?", True),
    ("Blinken\u2019s Aide Says US \u2018Understands\u2019 Deep Defence Ties", True),
    ("In a bid to bolster efforts toward crippling Russia, the US on Friday stated that it "
     "does not want India to rely on Moscow for military supplies", False),
    ("The deal was signed in 2018.", False),
    ("NEWS", False),
])
def test_headlines(text, expected):
    assert looks_like_headline(text) is expected


def test_a_repeated_headline_counts_once():
    text = "A headline about the deal\nA headline about the deal\nThe deal was signed in 2018.\n"
    guessed = draft_annotation("x", text, [], [])
    assert guessed.title == "A headline about the deal"
    assert [c.quote for c in guessed.candidates] == ["The deal was signed in 2018."]
    [suggestion] = guessed.suggestions
    assert (suggestion.line, suggestion.suffix) == (2, "The")


def test_quotations_are_not_apostrophes():
    assert has_quotation("He said 'distinct' twice")
    assert has_quotation('"We share values," he said')
    assert not has_quotation("Russia's invasion and India\u2019s stance don't change")


def test_yaml_quoting_survives_what_yaml_treats_specially():
    nasty = 'a "b": c # d \\ e\u2028f\x85g\x7fh\ufeffi\tj\nk: [l] \u00a9 \U0001f600'
    assert yaml.safe_load(f"key: {yaml_quote(nasty)}  # comment")["key"] == nasty


def test_new_and_check_share_one_rule_for_source_names(tmp_path, capsys):
    """A name `new` accepts, `check` accepts; a name one refuses, the other refuses too."""
    root = make_project(tmp_path / "p", {}, {})
    (root / "seeds/my.article.txt").write_text(
        "Officials met on Monday.\nThe ministry signed the deal.\n", "utf-8")
    assert main(["--root", str(root), "new", "seeds/my.article.txt"]) == 0
    assert main(["--root", str(root), "check"]) == 0, capsys.readouterr().err
    (root / "seeds/-draft.txt").write_text("Some text here.\n", "utf-8")
    capsys.readouterr()
    assert main(["--root", str(root), "new", "seeds/-draft.txt"]) == 1
    assert "'-draft' cannot be a source name" in capsys.readouterr().err
    assert main(["--root", str(root), "check"]) == 1
    assert "seeds/-draft.txt:1:1: error: '-draft' is not a usable source name" in (
        capsys.readouterr().err)
