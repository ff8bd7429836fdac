"""From a selection on a source page to offsets in its seed.

A source page shows its seed as blocks (site/pages/sources.py: `article_blocks`), in document
order: each `p` of `section.archived > div.para`, and each `section.archived >
p.boilerplate-block`. A block's text is the seed's, without its carriage returns, plus what
the template adds: before each excluded stretch a `span.tag` label and one space. The client
counts a boundary as the UTF-16 code units of the block's text before it, leaving out the
labels (browsers measure strings in UTF-16 units); this module turns that count back into a
seed offset from the very blocks the page was rendered from, so the quote written is the
seed's own text, never the browser's rendering of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...research.model import SourceRecord
from ...selectors.quote import Span
from ...site.pages.sources import Node, article_blocks


class StalePage(ValueError):
    """The selection does not fit the page as the last build made it: reload the page."""


@dataclass(frozen=True, slots=True)
class BlockText:
    """The text a block shows (without tag labels), as the seed offset of each UTF-16 unit:
    None for the space the template puts after a tag label."""

    units: tuple[int | None, ...]
    labels: tuple[str, ...]


def block_texts(record: SourceRecord) -> list[BlockText]:
    """Every block of the source's page, in document order."""
    seed = record.seed.text
    found = []
    for block in article_blocks(record, ()):
        units: list[int | None] = []
        labels: list[str] = []
        if block.boilerplate:  # the block is one excluded stretch: its label, a space, its text
            labels.append(block.label)
            units.append(None)
        _walk(block.nodes, seed, units, labels)
        found.append(BlockText(tuple(units), tuple(labels)))
    return found


def _walk(nodes: tuple[Node, ...] | list[Node], seed: str, units: list[int | None],
          labels: list[str]) -> None:
    for node in nodes:
        if node.kind == "text":
            _text_units(seed, node, units)
        else:
            if node.kind == "boilerplate":
                labels.append(node.label)
                units.append(None)
            _walk(node.children, seed, units, labels)


def _text_units(seed: str, node: Node, units: list[int | None]) -> None:
    at = node.start
    for char in node.text:  # the seed's text from node.start, its carriage returns left out
        while seed[at] == "\r":
            at += 1
        units.extend([at] * (2 if ord(char) > 0xFFFF else 1))
        at += 1


def seed_span(blocks: list[BlockText], start: tuple[int, int], end: tuple[int, int]) -> Span:
    """The seed span between two (block, unit offset) boundaries, whitespace at its ends left
    out; StalePage if a boundary does not exist on the page the build made."""
    first = _boundary(blocks, start, forward=True)
    last = _boundary(blocks, end, forward=False)
    if first is None or last is None or last <= first:
        raise StalePage("the selection holds none of the article's text")
    return Span(first, last)


def _boundary(blocks: list[BlockText], point: tuple[int, int], *, forward: bool) -> int | None:
    block, offset = point
    if not 0 <= block < len(blocks) or not 0 <= offset <= len(blocks[block].units):
        raise StalePage(f"the page has no text at block {block}, offset {offset}")
    if forward:  # the first character at or after the boundary, in this block or a later one
        for units in (blocks[block].units[offset:],
                      *(b.units for b in blocks[block + 1:])):
            found = next((u for u in units if u is not None), None)
            if found is not None:
                return found
        return None
    for units in (blocks[block].units[:offset][::-1],
                  *(b.units[::-1] for b in blocks[:block][::-1])):
        found = next((u for u in units if u is not None), None)
        if found is not None:
            return found + 1
    return None


def trimmed(text: str, span: Span) -> Span:
    """The span without whitespace at either end."""
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def labels_between(blocks: list[BlockText], first: int, last: int) -> tuple[str, ...]:
    """The tag labels of the blocks from `first` to `last`, longest first (to delete from a
    selection's text)."""
    labels = {label for b in blocks[max(first, 0):last + 1] for label in b.labels}
    return tuple(sorted(labels, key=lambda s: (-len(s), s)))


def check_selected_text(seed: str, span: Span, text: str, labels: tuple[str, ...],
                        one_block: bool) -> None:
    """StalePage unless the text the browser says was selected is the seed's span (tag labels
    aside): within one block word for word; across blocks (the passage notes between them are
    selected too) the first and last words."""
    for label in labels:
        text = text.replace(label, " ")
    shown, wanted = text.split(), seed[span.start:span.end].split()
    edge = min(3, len(wanted))
    same = shown == wanted if one_block else (
        shown[:edge] == wanted[:edge] and shown[-edge:] == wanted[-edge:])
    if not same:
        raise StalePage("the selected text is not what the page was built with")
