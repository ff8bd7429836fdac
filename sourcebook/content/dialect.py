"""The Markdown of topic introductions: Python-Markdown with typographic punctuation, [@fact-id]
citations, safe links, and raw HTML shown as text unless the site allows it.

It is defined once, here: the load stage parses an introduction with it to learn which facts it
cites (so a citation inside any kind of code is not one), and the site renders it with the same
converter (site.markdown), giving each citation its links.
"""

from __future__ import annotations

import functools
import itertools
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from html import escape
from html.parser import HTMLParser
from urllib.parse import unquote

import markdown
from markdown.extensions.smarty import SmartyExtension
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor

CITATION = re.compile(r"(?<!\\)\[@([^\]\s]*)\]")
SAFE_SCHEMES = ("http", "https", "mailto")

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


def safe_url(url: str) -> bool:
    """Whether a link may stay: http(s), mailto or relative, judged as a browser reads it
    (character references already decoded by the caller; tabs, newlines and surrounding
    controls dropped, percent-escapes decoded)."""
    cleaned = unquote(_URL_IGNORED.sub("", url.strip(_URL_TRIMMED))).lower()
    scheme = _SCHEME.match(cleaned)
    return scheme is None or scheme.group(1) in SAFE_SCHEMES


_URL_TRIMMED = "".join(map(chr, range(0x21)))  # C0 controls and space, as browsers trim
_URL_IGNORED = re.compile(r"[\t\n\r]")  # browsers remove these anywhere in a URL
_SCHEME = re.compile(r"([^/?#]*?):")
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "poster",
                            "cite", "background", "data", "ping", "longdesc", "srcset"})


class _UrlFinder(HTMLParser):
    """Finds the start tags of an HTML text that carry a link other than http(s), mailto or
    relative, and the same tags without those attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.replacements: list[tuple[tuple[int, int], str, str]] = []  # (line, col), old, new

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Note the tag if any of its URL attributes (entity-decoded here) is unsafe."""
        kept = [(name, value) for name, value in attrs
                if name not in URL_ATTRIBUTES or value is None or _safe_attribute(name, value)]
        if len(kept) < len(attrs):
            old = self.get_starttag_text() or ""
            rebuilt = "".join(f" {name}" if value is None else f' {name}="{escape(value)}"'
                              for name, value in kept)
            close = "/>" if old.endswith("/>") else ">"
            self.replacements.append((self.getpos(), old, f"<{tag}{rebuilt}{close}"))

    handle_startendtag = handle_starttag


def _safe_attribute(name: str, value: str) -> bool:
    if name == "srcset":  # "url 2x, url 640w": each candidate's URL
        return all(safe_url(part.strip().split(" ")[0]) for part in value.split(",") if part)
    return safe_url(value)


def drop_unsafe_links(html: str) -> str:
    """The HTML with every link attribute that is not http(s), mailto or relative removed, in
    every form Markdown writes them (inline, reference, autolink) and in raw HTML."""
    if not any(name in html for name in ("href", "src", "action", "poster", "cite", "data",
                                         "background", "ping", "longdesc")):
        return html
    finder = _UrlFinder()
    finder.feed(html)
    finder.close()
    if not finder.replacements:
        return html
    # getpos() counts lines by "\n" alone
    offsets = list(itertools.accumulate((len(line) + 1 for line in html.split("\n")), initial=0))
    out, pos = [], 0
    for (line, col), old, new in finder.replacements:
        at = offsets[line - 1] + col
        if html.startswith(old, at):
            out.append(html[pos:at] + new)
            pos = at + len(old)
    return "".join(out) + html[pos:]


class _SafeLinks(Postprocessor):
    """Runs on the finished HTML, raw HTML included: a `javascript:` or `data:` URL in a
    topic becomes inert, however it is written (`&#106;avascript&#58;…`, `java\tscript:`)."""

    def run(self, text: str) -> str:
        """The HTML without unsafe links."""
        return drop_unsafe_links(text)


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
    md.postprocessors.register(_SafeLinks(md), "safe-links", 0)  # after raw HTML is back
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
