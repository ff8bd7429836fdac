"""From what a browser counts on a source page to offsets in the seed: every character the
page shows of the seed maps back to that very character, whatever the seed holds (CRLF line
ends, characters outside the BMP, excluded stretches with their labels, passages across
lines)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate_client import blocks_of
from minisite import make_project
from sourcebook.engine.pipeline import build_in_memory
from sourcebook.preview.annotate.textmap import (
    StalePage,
    block_texts,
    check_selected_text,
    seed_span,
    trimmed,
)
from sourcebook.selectors.quote import Span

SEED = ("Headline about Russia\r\n\r\nFirst para 😀 with Russia and the deal.\r\n"
        "Menu junk here\r\nSecond para: Russia again, crossing\r\ninto the next line.\r\n"
        "Third has Cookie text inside it.\r\n")
ANNOTATION = """title: Headline about Russia
exclude:
  - quote: "Menu junk here"
    reason: Navigation
  - quote: "Cookie text"
    reason: Banner
claims:
  - fact: crossing
    quote: "Russia again, crossing into the next"
    topics: [t]
    statement: A claim across a line break.
  - fact: emoji
    quote: "😀 with Russia"
    topics: [t]
    statement: A claim after an emoji.
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    root = make_project(tmp_path_factory.mktemp("textmap"), {"a": SEED}, {"a": ANNOTATION})
    made = build_in_memory(Path(root))
    record = made.research.source_index["a"]
    return record, block_texts(record), blocks_of(made.pages["sources/a/index.html"].decode())


def test_every_shown_unit_is_its_seed_character(page):
    record, blocks, shown = page
    assert len(blocks) == len(shown)
    seed = record.seed.text
    for block, text in zip(blocks, shown, strict=True):
        units = text.encode("utf-16-le")
        assert len(block.units) == len(units) // 2
        for i, at in enumerate(block.units):
            unit = units[2 * i:2 * i + 2].decode("utf-16-le", errors="surrogatepass")
            if at is None:
                assert unit == " "  # the template's space after a label
            else:
                char = seed[at].encode("utf-16-le")
                assert unit.encode("utf-16-le", errors="surrogatepass") in (char[:2], char[2:])


def test_a_selection_across_blocks_and_labels_maps_to_the_seed(page):
    record, blocks, shown = page
    seed = record.seed.text
    b1 = next(i for i, t in enumerate(shown) if "First para" in t)
    b3 = next(i for i, t in enumerate(shown) if "Second para" in t)
    start = shown[b1].index("with")
    start_units = len(shown[b1][:start].encode("utf-16-le")) // 2
    span = seed_span(blocks, (b1, start_units), (b3, len("Second")))
    assert seed[span.start:span.end].startswith("with Russia and the deal.")
    assert seed[span.start:span.end].endswith("Menu junk here\r\nSecond")
    text = "with Russia and the deal.\n1 Passage 1 supports …\nNavigation Menu junk here\nSecond"
    check_selected_text(seed, span, text, ("Navigation",), one_block=False)
    with pytest.raises(StalePage):
        check_selected_text(seed, span, "something else entirely", (), one_block=False)


def test_boundaries_on_a_label_or_past_the_text_snap_or_are_stale(page):
    record, blocks, shown = page
    seed = record.seed.text
    menu = next(i for i, t in enumerate(shown) if t.strip() == "Menu junk here")
    span = seed_span(blocks, (menu, 0), (menu, len(shown[menu])))
    assert seed[span.start:span.end] == "Menu junk here"  # the label's space left out
    assert trimmed(seed, Span(span.start - 2, span.end + 2)) == span
    with pytest.raises(StalePage):
        seed_span(blocks, (len(blocks), 0), (len(blocks), 1))
    with pytest.raises(StalePage):
        seed_span(blocks, (0, 0), (0, len(blocks[0].units) + 1))
