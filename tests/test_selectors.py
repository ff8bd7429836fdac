"""The selector module: one definition of "does this quote match" (selectors.quote), and every
description of a passage proved by matching it, as Apache Annotator's describeTextQuote does.
Anchoring, `new`, coverage, text-fragment links and the Web Annotation export all use it."""

from __future__ import annotations

import ast
import time

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conftest import REPO
from sourcebook.selectors.normalize import normalize
from sourcebook.selectors.position import line_col
from sourcebook.selectors.quote import QuoteIndex, Span, TextQuote, surrounding, words_before

SEEDS = {p.stem: p.read_bytes().decode("utf-8").removeprefix("\ufeff")
         for p in sorted((REPO / "seeds").glob("*.txt"))}
INDEXES = {name: QuoteIndex(text) for name, text in SEEDS.items()}


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(SEEDS)), st.data())
def test_a_description_selects_exactly_its_passage(name, data):
    index = INDEXES[name]
    text = index.text
    start = data.draw(st.integers(0, len(text) - 2))
    end = data.draw(st.integers(start + 1, min(len(text), start + 80)))
    assume(text[start:end].strip() == text[start:end])
    described = index.describe(Span(start, end), suffix_first=data.draw(st.booleans()))
    if described is None:  # no context of up to 8 words tells it apart, or it splits a
        return             # character that normalises to several: nothing is claimed
    matches = index.select(described)
    assert [index.span(at, len(described.exact)) for at in matches] == [Span(start, end)]
    assert not (described.prefix and described.suffix)  # the shortest: one side at most


def test_repeated_words_get_the_fewest_words_of_context():
    index = QuoteIndex("He said yes. Then she said yes. Later he said yes again.")
    second = index.text.index("said yes", 10)
    described = index.describe(Span(second, second + len("said yes")))
    assert described == TextQuote("said yes", prefix="she")
    after = index.describe(Span(second, second + len("said yes")), suffix_first=True)
    assert after == TextQuote("said yes", suffix=". Later")
    assert index.select(after) == [second]


def test_context_ignores_the_space_where_it_meets_the_quote():
    index = QuoteIndex("In October 2018,\u00a0 India signed. In 2019, India signed.")
    quote = TextQuote.of("India signed", prefix="October 2018,  ")
    [at] = index.select(quote)
    assert index.span(at, len(quote.exact)) == Span(18, 30)


def test_matching_is_linear_in_the_length_of_the_text():
    """Many matches must not cost a copy of the text each (prefix and suffix are checked in
    place): twice the text takes about twice the time, not four times."""
    def seconds(lines: int) -> float:
        index = QuoteIndex("the same line again\n" * lines + "the end\n")
        started = time.perf_counter()
        index.select(TextQuote.of("same line", prefix="the", suffix="again"))
        return time.perf_counter() - started

    small, large = min(seconds(20_000) for _ in range(3)), min(seconds(80_000) for _ in range(3))
    assert large < small * 8  # four times the text; quadratic would be sixteen times


def test_positions_and_context():
    assert line_col("ab\ncd", 3) == (2, 1) and line_col("ab\ncd", 1) == (1, 2)
    assert surrounding("0123456789", Span(4, 6), 2) == ("23", "67")
    assert words_before("one two  three four", 14, 2) == ["two", "three"]
    assert normalize("\u201cquoted\u201d \u2014 text") == '"quoted" - text'


def _names_used(path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)} | {
        node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}


def test_only_the_selector_module_matches_text():
    """Normalised text, raw occurrences and prefix fitting are the selector module's alone."""
    package = REPO / "sourcebook"
    for path in sorted(package.rglob("*.py")):
        if path.parent.name == "selectors":
            continue
        used = _names_used(path)
        assert not used & {"normalize_with_map", "NormalizedText", "original_span"}, path
        source = path.read_text("utf-8")
        assert "def _fits" not in source and "def occurrences" not in source, path
    users = {p.relative_to(package).as_posix() for p in package.rglob("*.py")
             if "selectors" in p.read_text("utf-8") and p.parent.name != "selectors"}
    for stage in ("anchoring/anchor.py", "authoring/draft.py", "authoring/coverage.py",
                  "site/views.py", "site/exports/annotations.py"):
        assert stage in users, stage
