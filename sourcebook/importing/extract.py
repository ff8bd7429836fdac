"""A page's main text, as a seed: trafilatura finds the article, paragraph breaks are kept (one
paragraph a line, a blank line between), and nothing of the article is ever lost.

trafilatura drops what it takes for page furniture. It is trusted only where it is confident:
a block it dropped outside the article's container, or inside the page's own furniture
(navigation, header, footer, a cookie banner, comments, related links, share buttons), is
gone. A block it dropped inside the article's container is kept in the seed, and its span is
handed to the draft, which proposes it as an exclusion for the researcher to review."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lxml import html as lxml_html

from .capture import ImportRefused

_LEAF_TAGS = frozenset("p h1 h2 h3 h4 h5 h6 li blockquote figcaption pre td th dd dt div "
                       "section article aside header footer main address".split())
_SKIP_TAGS = frozenset("script style noscript template svg iframe button select option "
                       "textarea input head".split())
_FURNITURE_TAGS = frozenset("nav header footer aside form menu dialog".split())
_FURNITURE_WORDS = re.compile(
    r"cookie|consent|gdpr|comment|related|share|sharing|social|newsletter|subscribe|promo"
    r"|advert|(?<![a-z])ads?(?![a-z])|sponsor|breadcrumb|(?<![a-z])nav|menu|sidebar|footer"
    r"|masthead|banner|recommend|most-read|popular|outbrain|taboola|paywall", re.IGNORECASE)
_FURNITURE_ROLES = frozenset("navigation banner contentinfo complementary dialog search "
                             "alertdialog".split())


@dataclass(frozen=True, slots=True)
class MainText:
    """The seed's text, and the spans of it kept though the extractor took them for furniture
    (start, end in code points), which the draft proposes as exclusions."""

    text: str
    unsure: tuple[tuple[int, int], ...] = ()


def squash(text: str) -> str:
    """Whitespace runs made one space, the edges trimmed."""
    return " ".join(text.split())


# --- HTML ---


def html_text(html: str, title: str, url: str | None = None) -> MainText:
    """The article's text: the headline, then its paragraphs."""
    import trafilatura

    extracted = trafilatura.extract(html, url=url, favor_recall=True, include_comments=False,
                                    include_tables=True, include_images=False,
                                    deduplicate=False, with_metadata=False)
    lines = [squash(line) for line in (extracted or "").splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise ImportRefused("found no article text in the page",
                            "copy the text into seeds/<name>.txt by hand and run "
                            "`python build.py new seeds/<name>.txt`")
    try:
        tree = lxml_html.document_fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):
        tree = None
    paragraphs: list[tuple[str, bool]] = [(line, False) for line in lines]
    if tree is not None:
        paragraphs = _with_unsure(lines, _blocks(tree))
    headline = squash(title)
    if headline and squash(paragraphs[0][0]) != headline:
        paragraphs.insert(0, (headline, False))
    return _joined(paragraphs)


@dataclass(frozen=True, slots=True)
class _Block:
    text: str
    element: lxml_html.HtmlElement
    furniture: bool


def _blocks(tree: lxml_html.HtmlElement) -> list[_Block]:
    """The page's leaf blocks of text, in document order: elements of text holding no other
    block, with whether they stand inside the page's furniture."""
    body = tree.find("body")
    found: list[_Block] = []
    for element in (body if body is not None else tree).iter():
        if not isinstance(element.tag, str) or element.tag not in _LEAF_TAGS:
            continue
        if any(a.tag in _SKIP_TAGS for a in element.iterancestors()):
            continue
        if any(isinstance(d.tag, str) and d.tag in _LEAF_TAGS for d in element.iterdescendants()):
            continue
        text = squash(_text_of(element))
        if text:
            found.append(_Block(text, element, _is_furniture(element)))
    return found


def _text_of(element: lxml_html.HtmlElement) -> str:
    """The element's text, a <br> read as a space."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == "br":
            parts.append(" ")
        elif isinstance(child.tag, str) and child.tag not in _SKIP_TAGS:
            parts.append(_text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _is_furniture(element: lxml_html.HtmlElement) -> bool:
    for node in (element, *element.iterancestors()):
        if node.tag in _FURNITURE_TAGS or (node.get("role") or "") in _FURNITURE_ROLES:
            return True
        names = f"{node.get('id') or ''} {node.get('class') or ''}"
        if _FURNITURE_WORDS.search(names):
            return True
    return False


def _with_unsure(lines: Sequence[str], blocks: Sequence[_Block]) -> list[tuple[str, bool]]:
    """The extracted lines, with the blocks the extractor dropped from inside the article put
    back where they stood (marked unsure).

    A block counts as extracted if its text is in the extracted text (lines joined by spaces:
    a paragraph with a <br> is two lines there), or its first and last words are. The article's
    container is the nearest element holding every extracted block of three words or more,
    or of a whole line: a one-word menu entry that happens to occur in the article ("Home")
    does not widen it to the whole page."""
    joined, starts = _index(lines)
    whole_lines = set(lines)
    placed: list[tuple[_Block, int | None]] = []  # block, the line it was found in
    cursor = 0
    for block in blocks:
        at = _find(joined, block.text, cursor)
        if at is None:
            at = _find(joined, block.text, 0)  # out of order: present, but no anchor
        else:
            cursor = at + 1
        placed.append((block, None if at is None else _line_at(starts, at)))
    anchors = [block.element for block, line in placed if line is not None
               and (len(block.text.split()) >= 3 or block.text in whole_lines)]
    if not anchors:
        return [(line, False) for line in lines]
    container = _common_ancestor(anchors)
    inserts: dict[int, list[str]] = {}
    last_line = -1  # blocks before the first found one go before the first line
    for block, line in placed:
        if line is not None:
            last_line = line
        elif not block.furniture and _inside(block.element, container):
            inserts.setdefault(last_line, []).append(block.text)
    out = [(text, True) for text in inserts.get(-1, [])]
    for number, line in enumerate(lines):
        out.append((line, False))
        out += [(text, True) for text in inserts.get(number, [])]
    return out


EDGE = 60  # characters at each end of a block that identify it


def _find(joined: str, text: str, start: int) -> int | None:
    """Where the block's text is, from start; failing that, where its first and last words
    are, in order (inline markup may space the middle differently)."""
    at = joined.find(text, start)
    if at >= 0:
        return at
    head, tail = text[:EDGE], text[-EDGE:]
    at = joined.find(head, start) if len(text) > 2 * EDGE else -1
    if at >= 0 and joined.find(tail, at + len(head)) >= 0:
        return at
    return None


def _index(lines: Sequence[str]) -> tuple[str, list[int]]:
    """The lines joined by spaces, and where each starts."""
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    return " ".join(lines), starts


def _line_at(starts: Sequence[int], offset: int) -> int:
    return max(bisect.bisect_right(starts, offset) - 1, 0)


def _common_ancestor(elements: Iterable[lxml_html.HtmlElement]) -> lxml_html.HtmlElement:
    chains = [[*reversed(list(e.iterancestors())), e] for e in elements]
    common = chains[0][0]
    for nodes in zip(*chains, strict=False):
        if any(n is not nodes[0] for n in nodes):
            break
        common = nodes[0]
    return common


def _inside(element: lxml_html.HtmlElement, container: lxml_html.HtmlElement) -> bool:
    return element is container or any(a is container for a in element.iterancestors())


def _joined(paragraphs: Sequence[tuple[str, bool]]) -> MainText:
    """One paragraph a line, a blank line between; the unsure ones' spans."""
    text, unsure = "", []
    for line, doubt in paragraphs:
        if text:
            text += "\n\n"
        if doubt:
            unsure.append((len(text), len(text) + len(line)))
        text += line
    return MainText(text + "\n", tuple(unsure))


# --- PDF ---

SHORT_LINE = 0.8  # a line shorter than this share of the longest ends its paragraph


def pdf_text(pages: Sequence[str]) -> MainText:
    """A PDF's text layer as paragraphs. A line ends its paragraph where the text has a blank
    line, or where it stops well short of the longest line (a paragraph's last line, or a
    heading); lines
    within a paragraph are joined (a word hyphenated over the break is joined whole)."""
    raw = [line.rstrip() for page in pages for line in page.splitlines()]
    width = max((len(line) for line in raw), default=0)
    paragraphs: list[str] = []
    current = ""
    for line in raw:
        text = squash(line)
        if not text:
            if current:
                paragraphs.append(current)
            current = ""
            continue
        if current.endswith("-") and current[-2:-1].isalpha() and text[:1].islower():
            current = current[:-1] + text
        else:
            current = f"{current} {text}".strip()
        if len(line) < SHORT_LINE * width:  # a paragraph's last line, or a heading
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return _joined([(p, False) for p in paragraphs])
