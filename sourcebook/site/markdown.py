"""Topic introductions as HTML: the Markdown dialect of content.dialect, each [@fact-id] made
footnote marks that link to the fact's numbered citations on the page. A citation the page has
no target for is left as written, and the build's scan of every page reports it."""

from __future__ import annotations

import xml.etree.ElementTree as etree
from dataclasses import dataclass

from ..content.dialect import convert


@dataclass(frozen=True)
class CitationTarget:
    """What [@fact-id] becomes: links to the fact's numbered citations, as footnote marks."""

    links: tuple[tuple[str, str], ...]  # (number shown, href) of the supporting evidence
    title: str  # the fact's statement, for the accessible name
    disputed_href: str = ""  # where the disputed fact shows both sides, if it is disputed


def _marks(target: CitationTarget) -> etree.Element:
    sup = etree.Element("sup", {"class": "fact-ref"})
    for number, href in target.links:
        link = etree.SubElement(sup, "a", {"href": href,
                                           "aria-label": f"Source {number}: {target.title}"})
        link.text = f"[{number}]"
    if target.disputed_href:  # an intro must not state a disputed fact as settled
        mark = etree.SubElement(sup, "a", {"href": target.disputed_href,
                                           "class": "disputed-mark",
                                           "aria-label": f"Disputed: {target.title}"})
        mark.text = "[disputed]"
    return sup


def render_markdown(text: str, targets: dict[str, CitationTarget], *, allow_raw_html: bool) -> str:
    """The introduction as HTML, its citations linked to `targets` (by fact id)."""
    return convert(text, lambda fact_id: _marks(targets[fact_id]) if fact_id in targets else None,
                   allow_raw_html=allow_raw_html)
