"""Topic introductions as HTML: the Markdown dialect of content.dialect, each [@fact-id] made
footnote marks that link to the fact's numbered citations on the page. A citation the page has
no target for is left as written, and the build's scan of every page reports it."""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from ..content.dialect import convert


@dataclass(frozen=True)
class CitationTarget:
    """What [@fact-id] becomes: links to the fact's numbered citations, as footnote marks."""

    links: tuple[tuple[str, str], ...]  # (number shown, href) of the supporting evidence
    title: str  # the fact's statement, for the accessible name
    # (number shown, href) of the evidence against it; ("", the fact's entry) for a fact whose
    # status alone says it is disputed
    disputes: tuple[tuple[str, str], ...] = ()


# The id of the n-th mark citing a fact (from 1), for the fact's back-links.
MarkId = Callable[[str, int], str]


def _marks(target: CitationTarget, mark_id: str) -> etree.Element:
    sup = etree.Element("sup", {"class": "fact-ref", "id": mark_id})
    for number, href in target.links:
        link = etree.SubElement(sup, "a", {"href": href,
                                           "aria-label": f"Source {number}: {target.title}"})
        link.text = f"[{number}]"
    for number, href in target.disputes:  # an intro must not state a disputed fact as settled
        mark = etree.SubElement(sup, "a", {"href": href, "class": "disputed-mark",
                                           # the visible text first (WCAG 2.5.3)
                                           "aria-label": (f"Disputed: {number}, evidence "
                                                          "against: " if number else
                                                          "Disputed: ") + target.title})
        mark.text = f"[disputed: {number}]" if number else "[disputed]"
    return sup


def render_markdown(text: str, targets: dict[str, CitationTarget], mark_id: MarkId, *,
                    allow_raw_html: bool) -> str:
    """The introduction as HTML, its citations linked to `targets` (by fact id), the n-th mark
    of a fact given the id `mark_id(fact_id, n)`."""
    seen: Counter[str] = Counter()

    def cite(fact_id: str) -> etree.Element | None:
        if fact_id not in targets:
            return None
        seen[fact_id] += 1
        return _marks(targets[fact_id], mark_id(fact_id, seen[fact_id]))

    return convert(text, cite, allow_raw_html=allow_raw_html)
