"""Normalisation (docs/format.md, 'Quote matching') and its map back to code points of the
original text."""

from hypothesis import given
from hypothesis import strategies as st

from sourcebook.selectors.normalize import normalize, normalize_with_map


def test_typographic_quotes_and_dashes_become_ascii():
    text = "\u201cIt\u2019s \u2018x\u2019\u201d \u2014 a\u2013b \u2212 c"
    assert normalize(text) == "\"It's 'x'\" - a-b - c"


def test_nfkc_then_whitespace_runs_become_one_space_and_are_trimmed():
    assert normalize("  \ufb01ne\u00a0\u00a0 day\n\n\tend ") == "fine day end"


def test_matching_is_case_sensitive():
    assert normalize("Quad") != normalize("quad")


def test_map_points_back_to_code_points_of_the_original():
    text = "caf\u00e9 \u00a0\u201cS\u2011400\u201d\r\n\ufb01n"
    norm = normalize_with_map(text)
    assert norm.text == 'caf\u00e9 "S-400" fin'
    start = norm.text.index('"S')
    s, e = norm.original_span(start, start + len('"S-400"'))
    assert text[s:e] == "\u201cS\u2011400\u201d"
    # a ligature expands to two characters that both map to the one original character
    f = norm.text.index("fi")
    assert norm.original_span(f, f + 1) == norm.original_span(f + 1, f + 2)


def test_combining_marks_compose_with_their_base():
    text = "Cafe\u0301 au lait"
    norm = normalize_with_map(text)
    assert norm.text == "Caf\u00e9 au lait"
    s, e = norm.original_span(0, 4)
    assert text[s:e] == "Cafe\u0301"


@given(st.text())
def test_normalisation_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_seed_map_agrees_with_plain_normalisation(text):
    norm = normalize_with_map(text)
    assert norm.text.strip() == normalize(text)
    assert len(norm.starts) == len(norm.ends) == len(norm.text)
    assert all(0 <= s < e <= len(text) for s, e in zip(norm.starts, norm.ends, strict=True))
