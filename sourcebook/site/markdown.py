"""Topic introductions: Python-Markdown with [@fact-id] citations, safe links, raw HTML escaped.

The citation syntax is the content stage's (content.topics.CITATION). A citation becomes
footnote marks that link to the fact's numbered citations on the page. One the page has no
target for is left as written, and the build's scan of every page reports it; an escaped one
(`\\[@…]`) is shown as text.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

import markdown
from markdown.extensions.smarty import SmartyExtension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from ..content.topics import CITATION


@dataclass(frozen=True)
class CitationTarget:
    """What [@fact-id] becomes: links to the fact's numbered citations, as footnote marks."""

    links: tuple[tuple[str, str], ...]  # (number shown, href) of the supporting evidence
    title: str  # the fact's statement, for the accessible name
    disputed_href: str = ""  # where the disputed fact shows both sides, if it is disputed


class _CitationProcessor(InlineProcessor):
    def __init__(self, targets: dict[str, CitationTarget]) -> None:
        super().__init__(CITATION.pattern)
        self.targets = targets

    def handleMatch(  # Python-Markdown's name
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        """Replace a citation with its footnote marks; one with no target is left as written."""
        target = self.targets.get(m.group(1))
        if target is None:  # left as written: the scan of the page reports it
            return None, None, None
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
        return sup, m.start(0), m.end(0)


class _EscapedCitation(InlineProcessor):
    """`\\[@` is the author's way to show the syntax itself: written as text, never a citation."""

    def handleMatch(  # Python-Markdown's name
        self, m: re.Match[str], data: str
    ) -> tuple[str, int, int]:
        """Show the escaped syntax as text that is never a citation."""
        return self.md.htmlStash.store("[&#64;"), m.start(0), m.end(0)


SAFE_SCHEMES = ("http:", "https:", "mailto:")


class _SafeLinks(Treeprocessor):
    """Links and images may only use http(s), mailto or relative addresses: a `javascript:`
    or `data:` URL in a topic becomes inert text."""

    def run(self, root: etree.Element) -> None:
        """Remove every href or src whose scheme is not safe."""
        for element in root.iter():
            for attribute in ("href", "src"):
                url = element.get(attribute)
                if url is None:
                    continue
                scheme = url.strip().lower().split("/", 1)[0]
                if ":" in scheme and not scheme.startswith(SAFE_SCHEMES):
                    del element.attrib[attribute]


@functools.cache
def _converter(allow_raw_html: bool) -> tuple[markdown.Markdown, _CitationProcessor]:
    """One Markdown instance per setting, reset between documents (building one is slow)."""
    # An extension instance, not its name: a name makes Markdown scan every installed package's
    # entry points, which costs more than the rest of a small build.
    md = markdown.Markdown(extensions=[SmartyExtension()], output_format="html")
    if not allow_raw_html:
        # Raw HTML blocks and inline tags then pass through as escaped text.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
    citations = _CitationProcessor({})
    md.inlinePatterns.register(_EscapedCitation(r"\\\[@", md), "escaped-citation", 185)
    md.inlinePatterns.register(citations, "fact-citation", 175)
    md.treeprocessors.register(_SafeLinks(md), "safe-links", 0)
    return md, citations


def render_markdown(text: str, targets: dict[str, CitationTarget], *, allow_raw_html: bool) -> str:
    """The introduction as HTML, its citations linked to `targets` (by fact id)."""
    md, citations = _converter(allow_raw_html)
    citations.targets = targets
    try:
        return md.reset().convert(text)
    finally:
        citations.targets = {}
