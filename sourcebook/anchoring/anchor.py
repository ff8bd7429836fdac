"""The anchor stage: every quote → exact (start, end) code-point offsets in its seed, or an error.

A quote must match exactly once (docs/format.md, "Quote matching"); its prefix and suffix may
pick one of several matches. Matching is the selector module's (selectors.quote): each match
is proved by re-normalising the seed's text under it.
"""

from __future__ import annotations

from ..content.model import Project, QuoteSelector, Seed, SourceDoc
from ..diagnostics import Diagnostics, Location
from ..memo import Memo
from ..selectors.quote import Span, TextQuote
from . import hints
from .model import AnchoredClaim, AnchoredExclude, AnchoredSource, SeedIndex


def anchor_project(project: Project, diags: Diagnostics,
                   memo: Memo | None = None) -> tuple[AnchoredSource, ...]:
    """Anchor every annotation in its seed, by source name; an annotation whose seed is
    missing is left out (the load stage reported it). An unchanged (annotation, seed) pair is
    reused from `memo`."""
    memo = memo or Memo()
    anchored = []
    for source_id in sorted(project.sources):
        doc = project.sources[source_id]
        seed = project.seeds.get(source_id)
        if seed is not None:
            anchored.append(memo.call("anchor", anchor_key(doc, seed),
                                      lambda d, doc=doc, seed=seed: anchor_source(doc, seed, d),
                                      diags))
    return tuple(anchored)


def anchor_key(doc: SourceDoc, seed: Seed) -> tuple[str, str, str, str]:
    """Anchoring depends on exactly the annotation's and the seed's bytes; the anchored
    source holds the annotation, whose original the load stage locates and sizes once it has
    checked the file (an annotation parsed ahead of the load stage has not been)."""
    return (doc.path, doc.digest, seed.sha256, doc.original.at if doc.original else "")


def anchor_source(doc: SourceDoc, seed: Seed, diags: Diagnostics) -> AnchoredSource:
    """The exclusions and claims of one annotation in its seed; what does not anchor is
    reported and left out."""
    index = SeedIndex.of(seed)
    excludes = []
    for spec in doc.exclude:
        span = find_unique(index, spec.selector, diags, what="exclude passage")
        if span is not None:
            excludes.append(AnchoredExclude(span, spec.reason))
    claims = []
    for claim in doc.claims:
        span = find_unique(index, claim.selector, diags, what="quote",
                           excluded=[e.span for e in excludes])
        if span is None:
            continue
        if _inside_excluded(span, excludes, claim.selector.location, diags):
            continue
        claims.append(AnchoredClaim(claim, span, seed.text[span.start:span.end]))
    _check_crossing(claims, diags)
    return AnchoredSource(doc, seed, tuple(claims), tuple(sorted(excludes, key=_span_key)))


def _span_key(item: AnchoredExclude) -> Span:
    return item.span


def find_unique(index: SeedIndex, selector: QuoteSelector, diags: Diagnostics, *, what: str,
                excluded: list[Span] | None = None) -> Span | None:
    """The one place the selector picks out, or None with the reason reported."""
    quote = TextQuote.of(selector.quote, selector.prefix, selector.suffix)
    if not quote.exact:
        diags.error(selector.location, f"the {what} is empty",
                    "copy the exact words from the seed between the quotes")
        return None
    matches = index.quotes.matches(quote.exact)
    if not matches:
        hints.report_missing(index, selector, quote.exact, excluded or [], diags, what)
        return None
    chosen = index.quotes.select(quote, matches)
    if not chosen:
        hints.report_misfit(index, selector, quote, matches, diags, what)
        return None
    if len(chosen) > 1:
        hints.report_ambiguous(index, selector, quote, chosen, diags, what)
        return None
    return index.quotes.span(chosen[0], len(quote.exact))


def _inside_excluded(span: Span, excludes: list[AnchoredExclude], loc: Location,
                     diags: Diagnostics) -> bool:
    for exclude in excludes:
        if span.start < exclude.span.end and exclude.span.start < span.end:
            diags.error(loc, "the quote lies in a passage excluded as boilerplate",
                        "cite the article's own text, or remove the passage from `exclude`")
            return True
    return False


def _check_crossing(claims: list[AnchoredClaim], diags: Diagnostics) -> None:
    """Passages may nest or coincide, but not cross: a highlight must be one element."""
    ordered = sorted(claims, key=lambda c: (c.span.start, -c.span.end))
    for i, outer in enumerate(ordered):
        for inner in ordered[i + 1:]:
            if inner.span.start >= outer.span.end:
                break
            if inner.span.end > outer.span.end:
                diags.error(
                    inner.spec.selector.location,
                    "this quote overlaps another quote without containing it or lying inside it",
                    f"the other quote is at {outer.spec.selector.location}",
                    "shorten one so that they do not cross, or make one contain the other",
                )
