"""The Markdown of topic introductions: Python-Markdown with typographic punctuation, [@fact-id]
citations, safe links, and raw HTML shown as text unless the site allows it.

It is defined once, here: the load stage parses an introduction with it to learn which facts it
cites (so a citation inside any kind of code is not one), and the site renders it with the same
converter (site.markdown), giving each citation its links.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable

import markdown
from markdown.extensions.smarty import SmartyExtension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

CITATION = re.compile(r"(?<!\\)\[@([^\]\s]*)\]")
SAFE_SCHEMES = ("http:", "https:", "mailto:")

# What a citation becomes: an element, or None to leave it as written.
Cite = Callable[[str], etree.Element | None]


class _CitationProcessor(InlineProcessor):
    def __init__(self) -> None:
        super().__init__(CITATION.pattern)
        self.cite: Cite = lambda _fact_id: None

    def handleMatch(  # Python-Markdown's name
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        """The citation's element from `cite`; left as text when it gives none."""
        element = self.cite(m.group(1))
        if element is None:
            return None, None, None
        return element, m.start(0), m.end(0)


class _EscapedCitation(InlineProcessor):
    """`\\[@` is the author's way to show the syntax itself: written as text, never a citation."""

    def handleMatch(  # Python-Markdown's name
        self, m: re.Match[str], data: str
    ) -> tuple[str, int, int]:
        """A stashed `[&#64;`, which reads as `[@` and is no citation."""
        return self.md.htmlStash.store("[&#64;"), m.start(0), m.end(0)


class _SafeLinks(Treeprocessor):
    """Links and images may only use http(s), mailto or relative addresses: a `javascript:`
    or `data:` URL in a topic becomes inert text."""

    def run(self, root: etree.Element) -> None:
        """Drop every href and src with another scheme."""
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
    citations = _CitationProcessor()
    md.inlinePatterns.register(_EscapedCitation(r"\\\[@", md), "escaped-citation", 185)
    md.inlinePatterns.register(citations, "fact-citation", 175)
    md.treeprocessors.register(_SafeLinks(md), "safe-links", 0)
    return md, citations


def convert(text: str, cite: Cite, *, allow_raw_html: bool) -> str:
    """The Markdown as HTML, each citation made by `cite` (from its fact id)."""
    md, citations = _converter(allow_raw_html)
    citations.cite = cite
    try:
        return md.reset().convert(text)
    finally:
        citations.cite = lambda _fact_id: None


def cited_ids(text: str, *, allow_raw_html: bool) -> list[str]:
    """The fact ids the Markdown cites, in the order it reads them: what a reader would see as
    citations, and nothing inside code or raw HTML."""
    found: list[str] = []

    def collect(fact_id: str) -> None:
        found.append(fact_id)

    convert(text, collect, allow_raw_html=allow_raw_html)
    return found
