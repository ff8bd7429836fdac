"""Text-fragment links (WICG "URL Fragment Text Directives")."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sourcebook.selectors.fragment import (
    context_words,
    directive,
    encode_term,
    fragment_url,
    needs_context,
    passage_fragment,
    text_directive,
)

SYNTAX = set("-,&# ")


def terms_of(text_dir: str) -> list[str]:
    """The decoded terms of a ``text=`` directive, prefix/suffix dashes removed."""
    assert text_dir.startswith("text=")
    tokens = text_dir.removeprefix("text=").split(",")
    assert 1 <= len(tokens) <= 4
    if tokens[0].endswith("-"):
        tokens[0] = tokens[0][:-1]
    if tokens[-1].startswith("-"):
        tokens[-1] = tokens[-1][1:]
    return [unquote(t) for t in tokens]


def directive_of(url: str) -> str:
    base, sep, directive_text = url.partition("#:~:")
    assert sep and "#" not in base
    return directive_text


# --- the spec's own examples ---


def test_spec_exact_example():
    assert text_directive("an example text fragment") == "text=an%20example%20text%20fragment"


def test_spec_range_example():
    got = text_directive("an example text fragment", long_words=3, edge_words=2)
    assert got == "text=an%20example,text%20fragment"
    assert directive("an example", "text fragment") == "text=an%20example,text%20fragment"


def test_spec_context_example():
    got = text_directive("an example", prefix="this is", suffix="text fragment")
    assert got == "text=this%20is-,an%20example,-text%20fragment"


def test_spec_bidi_example():
    # The spec writes the word with a kasra but encodes it without one; this is what it encodes.
    egypt, bahrain = "\u0645\u0635\u0631", "\u0627\u0644\u0628\u062d\u0631\u064a\u0646"
    assert encode_term(egypt) == "%D9%85%D8%B5%D8%B1"
    assert encode_term(bahrain) == "%D8%A7%D9%84%D8%A8%D8%AD%D8%B1%D9%8A%D9%86"
    assert (text_directive(egypt, prefix=bahrain)
            == "text=%D8%A7%D9%84%D8%A8%D8%AD%D8%B1%D9%8A%D9%86-,%D9%85%D8%B5%D8%B1")


def test_spec_fragment_on_bare_url():
    assert fragment_url("https://example.com", "foo") == "https://example.com#:~:text=foo"


# --- encoding ---


@pytest.mark.parametrize(("term", "encoded"), [
    ("a-b", "a%2Db"),
    ("a,b", "a%2Cb"),
    ("a&b", "a%26b"),
    ("a b", "a%20b"),
    ("50%", "50%25"),
    ("#1", "%231"),
    ("well-known, cheap & fast", "well%2Dknown%2C%20cheap%20%26%20fast"),
    ("\u201cquoted\u201d", "%E2%80%9Cquoted%E2%80%9D"),
    ("caf\u00e9", "caf%C3%A9"),
    ("don\u2019t", "don%E2%80%99t"),
    ('"x"<y>', "%22x%22%3Cy%3E"),
])
def test_encode_term(term, encoded):
    assert encode_term(term) == encoded


def test_explicit_chars_are_kept():
    kept = "AZaz09!$'()*+./:;=?@_~"
    assert encode_term(kept) == kept


def test_encode_term_collapses_whitespace():
    assert encode_term("  two\n\twords\u00a0here  ") == "two%20words%20here"


def test_dash_in_quote_is_not_mistaken_for_context():
    got = text_directive("-1 to 1-", prefix="from-", suffix="-to")
    assert got == "text=from%2D-,%2D1%20to%201%2D,-%2Dto"
    assert terms_of(got) == ["from-", "-1 to 1-", "-to"]


# --- text_directive ---


def test_whitespace_collapsed():
    assert (text_directive("  an\n  example\t", prefix=" this\n is ", suffix="\ttext ")
            == "text=this%20is-,an%20example,-text")


def test_long_quote_uses_start_and_end():
    quote = "one two three four five six seven eight nine ten eleven"
    assert text_directive(quote) == "text=one%20two%20three%20four,eight%20nine%20ten%20eleven"


def test_ten_words_stay_whole():
    quote = "one two three four five six seven eight nine ten"
    assert text_directive(quote) == "text=" + encode_term(quote)


def test_long_quote_with_context():
    quote = " ".join(f"w{i}" for i in range(1, 21))
    got = text_directive(quote, prefix="before", suffix="after", edge_words=2)
    assert got == "text=before-,w1%20w2,w19%20w20,-after"


def test_long_quote_whose_edges_would_overlap_stays_whole():
    quote = "a b c d e"
    assert text_directive(quote, long_words=2, edge_words=3) == "text=a%20b%20c%20d%20e"


def test_only_prefix_or_only_suffix():
    assert text_directive("x", prefix="p") == "text=p-,x"
    assert text_directive("x", suffix="s") == "text=x,-s"


def test_empty_quote_rejected():
    with pytest.raises(ValueError):
        text_directive(" \n ")


# --- fragment_url ---


def test_existing_fragment_replaced():
    assert (fragment_url("https://example.org/page?q=1#section-2", "an example")
            == "https://example.org/page?q=1#:~:text=an%20example")
    assert (fragment_url("https://example.org/#test:~:text=foo", "bar")
            == "https://example.org/#:~:text=bar")
    assert fragment_url("https://example.org/#", "bar") == "https://example.org/#:~:text=bar"


def test_fragment_url_with_context():
    assert (fragment_url("https://e.org/a", "an example", prefix="this is", suffix="text")
            == "https://e.org/a#:~:text=this%20is-,an%20example,-text")


# --- context ---

SAMPLE = (
    "The minister said the talks went well.\n"
    "Later, the minister said the talks had failed.\n"
    "Nobody knew which was true."
)


def test_needs_context():
    assert needs_context(SAMPLE, "the minister said")
    assert needs_context(SAMPLE, "THE   Minister\nsaid")  # case- and whitespace-insensitive
    assert not needs_context(SAMPLE, "talks had failed")
    assert not needs_context(SAMPLE, "not in the text")
    assert needs_context("Café, then cafe.", "cafe")  # accents are ignored, like the browser


def test_context_words():
    start = SAMPLE.index("the minister said the talks had")
    end = SAMPLE.index(" failed") + len(" failed")
    assert context_words(SAMPLE, start, end) == ("Later,", ".")
    at = SAMPLE.index("talks went")
    assert context_words(SAMPLE, at, at + len("talks went"), 2) == ("said the", "well.")


def test_context_words_stay_in_one_line():
    start = SAMPLE.index("Later")
    end = start + len("Later,")
    assert context_words(SAMPLE, start, end, 2) == ("went well.", "the minister")
    assert context_words(SAMPLE, 0, 3) == ("", "minister said the")
    assert context_words(SAMPLE, len(SAMPLE) - 5, len(SAMPLE)) == ("knew which was", "")
    assert context_words(SAMPLE, 0, 3, 0) == ("", "")


def test_passage_unique_start_is_plain():
    start = SAMPLE.index("Nobody")
    end = start + len("Nobody knew")
    assert (passage_fragment("https://e.org/x#top", SAMPLE, start, end)
            == "https://e.org/x#:~:text=Nobody%20knew")


def test_passage_ambiguous_start_gets_prefix_and_suffix():
    start = SAMPLE.index("the minister said")  # line 2; line 1 has "The minister said" too
    assert SAMPLE.index("The minister said") == 0
    assert needs_context(SAMPLE, "the minister said")
    url = passage_fragment("https://e.org/x", SAMPLE, start, start + len("the minister said"))
    assert url == "https://e.org/x#:~:text=Later%2C-,the%20minister%20said,-the%20talks%20had"
    assert terms_of(directive_of(url)) == ["Later,", "the minister said", "the talks had"]


def test_passage_unique_start_in_sample_stays_plain():
    start = SAMPLE.index("the minister said the talks had")
    end = start + len("the minister said the talks had")
    url = passage_fragment("https://e.org/x", SAMPLE, start, end)
    assert url == "https://e.org/x#:~:text=the%20minister%20said%20the%20talks%20had"


def test_passage_context_grows_until_unique():
    text = "a b c d x y z. q b c d x y w."
    start = text.index("x y w")
    url = passage_fragment("https://e.org/", text, start, start + len("x y"))
    # three words of prefix ("b c d") still occur twice before "x y"; six do not
    assert directive_of(url) == "text=y%20z.%20q%20b%20c%20d-,x%20y,-w."


def test_passage_inside_word_gets_context():
    text = "An unbelievable story."
    start = text.index("believable")
    url = passage_fragment("https://e.org/", text, start, start + len("believable"))
    assert directive_of(url) == "text=An%20un-,believable,-story."


def test_long_passage_in_one_line():
    words = [f"w{i}" for i in range(1, 16)]
    text = "Intro. " + " ".join(words) + " Outro."
    start = text.index("w1 ")
    end = text.index("w15") + 3
    url = passage_fragment("https://e.org/", text, start, end)
    assert directive_of(url) == "text=w1%20w2%20w3%20w4,w12%20w13%20w14%20w15"


def test_passage_across_lines_keeps_each_term_in_its_line():
    text = "Heading\n\nFirst para ends here.\nSecond para starts now and goes on."
    start = text.index("para ends")
    end = text.index(" now") + len(" now")
    url = passage_fragment("https://e.org/", text, start, end)
    assert directive_of(url) == "text=para%20ends%20here.,Second%20para%20starts%20now"


def test_passage_start_repeated_in_long_quote_gets_context():
    text = "Start here: one two one two one two three four five six one two. Done."
    start = text.index("one")
    end = text.index(". Done")
    url = passage_fragment("https://e.org/", text, start, end)
    assert directive_of(url) == ("text=Start%20here:-,one%20two%20one%20two,"
                                 "five%20six%20one%20two,-.%20Done.")


def test_passage_end_repeated_inside_quote_gets_suffix():
    # the first "a b c d" after the start would cut the highlight short without the suffix
    text = "Intro. Begin now: x y a b c d e f g a b c d. Outro."
    start = text.index("Begin")
    end = text.index(". Outro")
    assert not needs_context(text, "Begin now: x y")
    url = passage_fragment("https://e.org/", text, start, end)
    assert directive_of(url) == "text=Intro.-,Begin%20now:%20x%20y,a%20b%20c%20d,-.%20Outro."


def test_passage_bad_offsets():
    with pytest.raises(ValueError):
        passage_fragment("https://e.org/", "abc", 2, 2)
    with pytest.raises(ValueError):
        passage_fragment("https://e.org/", "abc", 0, 4)
    with pytest.raises(ValueError):
        passage_fragment("https://e.org/", "a   b", 1, 4)


# --- properties ---

words_text = st.text(min_size=1).filter(lambda s: s.split())


@given(st.text())
def test_encode_term_round_trips(text):
    encoded = encode_term(text)
    assert unquote(encoded) == " ".join(text.split())
    assert not SYNTAX & set(encoded)
    assert encoded.isascii()


@given(words_text, st.text(), st.text(), st.integers(1, 12), st.integers(1, 6))
def test_text_directive_terms_round_trip(quote, prefix, suffix, long_words, edge_words):
    got = text_directive(quote, prefix=prefix, suffix=suffix,
                         long_words=long_words, edge_words=edge_words)
    for token in got.removeprefix("text=").split(","):
        assert not SYNTAX & set(token.strip("-"))
    terms = terms_of(got)
    words = quote.split()
    collapsed = [" ".join(part.split()) for part in (prefix, suffix)]
    expected = [" ".join(words)]
    if len(words) > long_words and len(words) >= 2 * edge_words:
        expected = [" ".join(words[:edge_words]), " ".join(words[-edge_words:])]
    if collapsed[0]:
        expected.insert(0, collapsed[0])
    if collapsed[1]:
        expected.append(collapsed[1])
    assert terms == expected


@given(st.lists(st.sampled_from(["the", "cat", "sat", "on", "mat", "-", ",", "&", "é"]),
                min_size=2, max_size=30).map(" ".join),
       st.data())
def test_passage_fragment_terms_come_from_the_text(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    if not text[start:end].split():
        return
    url = passage_fragment("https://e.org/p#old", text, start, end)
    assert url.startswith("https://e.org/p#:~:text=")
    folded = " ".join(text.split())
    for term in terms_of(directive_of(url)):
        assert term and term in folded
