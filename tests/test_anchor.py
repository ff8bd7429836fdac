"""Anchoring quotes in seeds: exactly once, with located, helpful errors, on real seed quirks."""

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conftest import REPO
from sourcebook.anchoring.anchor import SeedIndex, find_unique
from sourcebook.content.model import QuoteSelector, Seed
from sourcebook.content.sources import load_seeds
from sourcebook.diagnostics import Diagnostics, Location
from sourcebook.selectors.normalize import normalize, normalize_with_map

SEEDS = load_seeds(REPO, Diagnostics())
HERE = Location("content/sources/x.yaml", 7, 12)


def anchor(seed: Seed, quote: str, prefix: str = "", suffix: str = ""):
    diags = Diagnostics()
    index = SeedIndex.of(seed)
    span = find_unique(index, QuoteSelector(quote, prefix, suffix, HERE), diags, what="quote")
    return span, diags


def seed_of(text: str) -> Seed:
    return Seed("t", "seeds/t.txt", text, "0" * 64)


def test_no_break_spaces_in_002_match_plain_spaces():
    seed = SEEDS["002_7bf14ee84c1d808c"]
    # A no-break space stands alone on a line between two paragraphs of 002.
    assert "\n\u00a0\n" in seed.text
    span, diags = anchor(seed, 'Of course, that is okay," Price told reporters at his daily news '
                               "conference on Friday. \"India has a relationship with Russia")
    assert not diags.items
    quote = seed.text[span.start:span.end]
    assert "\u00a0" in quote and quote.startswith("Of course") and quote.endswith("Russia")


def test_no_break_spaces_in_003_match_plain_spaces():
    seed = SEEDS["003_4197f04110c4ab2c"]
    span, diags = anchor(seed, "India is desperate to get a defense system")
    assert not diags.items
    assert seed.text[span.start - 1] == "\u00a0"  # the paragraph opens with a no-break space
    assert seed.text[span.start:span.end] == "India is desperate to get a defense system"


def test_curly_quotes_in_004_match_straight_ones():
    seed = SEEDS["004_5baf2666bd463fc4"]
    span, diags = anchor(seed, "\"It's not so much about luring India away.")
    assert not diags.items
    assert seed.text[span.start:span.end] == "\u201cIt\u2019s not so much about luring India away."


def test_unbalanced_opening_quote_in_000_anchors_inside_the_paragraph():
    seed = SEEDS["000_0a8abdfef13416d9"]
    # Line 4 opens the quotation with a curly quote and closes it with a straight one.
    quote = "\"we've been very clear with India"
    span, diags = anchor(seed, quote, prefix="John Kirby said,")
    assert not diags.items
    assert seed.text[span.start:span.end] == "\u201cwe've been very clear with India"
    # Without the prefix it matches twice: line 2 (straight quote) and line 4 (curly quote).
    _, diags = anchor(seed, "we've been very clear with India")
    assert "matches 2 places" in diags.items[0].message


def test_ambiguous_quote_lists_matches_and_suggests_a_prefix():
    seed = SEEDS["000_0a8abdfef13416d9"]
    span, diags = anchor(seed, "Kirby said")
    assert span is None
    [error] = diags.items
    assert error.location == HERE
    assert "matches 4 places" in error.message
    assert sum("match at seeds/000_0a8abdfef13416d9.txt:" in h for h in error.hints) == 4
    assert any(h.startswith("add `prefix:") for h in error.hints)


def test_missing_quote_names_the_nearest_passage_and_the_difference():
    seed = SEEDS["001_387e21b613e05868"]
    span, diags = anchor(seed, "to purchase S-400 Triumf air defence missile systems")
    assert span is None
    [error] = diags.items
    assert error.message == "the quote is not in seeds/001_387e21b613e05868.txt"
    assert any("nearest passage, at seeds/001_387e21b613e05868.txt:19:64" in h
               and "S-400 Triumrf air defence" in h for h in error.hints)
    assert any("the seed has 'r' where the quote has nothing" in h for h in error.hints)


def test_prefix_and_suffix_select_one_match_and_must_fit():
    seed = seed_of("Alpha said yes. Beta said yes. Gamma said no.")
    span, diags = anchor(seed, "said yes", prefix="Beta")
    assert not diags.items and (span.start, span.end) == (21, 29)
    span, diags = anchor(seed, "said yes", suffix=". Beta")
    assert not diags.items and (span.start, span.end) == (6, 14)
    span, diags = anchor(seed, "said yes", prefix="Delta")
    assert span is None and "not with prefix 'Delta'" in diags.items[0].message


def test_empty_quote_is_an_error():
    _, diags = anchor(seed_of("Some text."), "  \n ")
    assert diags.items[0].message == "the quote is empty"


def test_crlf_is_kept_and_offsets_count_it():
    seed = seed_of("First line.\r\nIndia signed\r\n  the deal.\r\n")
    span, diags = anchor(seed, "India signed the deal.")
    assert not diags.items
    assert seed.text[span.start:span.end] == "India signed\r\n  the deal."
    assert span.start == len("First line.\r\n")


def test_a_match_may_not_split_a_character_that_normalises_to_several():
    seed = seed_of("He paused\u2026 then spoke.")  # the ellipsis is NFKC '...'
    span, diags = anchor(seed, ". then spoke")
    assert span is None and "not in" in diags.items[0].message
    span, diags = anchor(seed, "paused... then")
    assert seed.text[span.start:span.end] == "paused\u2026 then"


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(SEEDS)), st.data())
def test_any_unique_substring_anchors_back_to_itself(seed_id, data):
    seed = SEEDS[seed_id]
    start = data.draw(st.integers(0, len(seed.text) - 1))
    end = data.draw(st.integers(start + 1, min(len(seed.text), start + 120)))
    piece = seed.text[start:end]
    quote = normalize(piece)
    assume(quote and piece == piece.strip())
    norm = normalize_with_map(seed.text)
    assume(norm.text.count(quote) == 1)
    span, diags = anchor(seed, piece)
    assert not diags.items
    assert (span.start, span.end) == (start, end)
