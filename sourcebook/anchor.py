"""The anchor stage: every quote → exact (start, end) code-point offsets in its seed, or an error.

A quote must match exactly once after normalisation (prefix and suffix may pick one of several
matches). Each match is proved by re-normalising seed[start:end] and comparing it with the quote.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from .diagnostics import Diagnostics, Location, text_location
from .memo import Memo
from .model import (
    AnchoredClaim,
    AnchoredExclude,
    AnchoredSource,
    Project,
    QuoteSelector,
    Seed,
    SourceDoc,
    Span,
)
from .normalize import NormalizedText, normalize, normalize_with_map

MAX_SHOWN_MATCHES = 5


@dataclass(frozen=True)
class SeedIndex:
    """A seed normalised once, for all the quotes anchored in it."""

    seed: Seed
    norm: NormalizedText

    def position(self, offset: int) -> Location:
        return text_location(self.seed.path, self.seed.text, offset)


def anchor_project(project: Project, diags: Diagnostics,
                   memo: Memo | None = None) -> tuple[AnchoredSource, ...]:
    """Anchor every annotation in its seed; an unchanged (annotation, seed) pair is reused."""
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


def anchor_key(doc: SourceDoc, seed: Seed) -> tuple[str, str, str]:
    """Anchoring depends on exactly the annotation's and the seed's bytes."""
    return (doc.path, doc.digest, seed.sha256)


def anchor_source(doc: SourceDoc, seed: Seed, diags: Diagnostics) -> AnchoredSource:
    index = SeedIndex(seed, normalize_with_map(seed.text))
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
    _check_crossing(claims, index, diags)
    return AnchoredSource(doc, seed, tuple(claims), tuple(sorted(excludes, key=_span_key)))


def _span_key(item: AnchoredExclude) -> tuple[int, int]:
    return (item.span.start, item.span.end)


def occurrences(haystack: str, needle: str) -> list[int]:
    """Every start of needle in haystack, overlapping ones included."""
    found = []
    at = haystack.find(needle)
    while at != -1:
        found.append(at)
        at = haystack.find(needle, at + 1)
    return found


def find_unique(
    index: SeedIndex, selector: QuoteSelector, diags: Diagnostics, *, what: str,
    excluded: list[Span] | None = None,
) -> Span | None:
    quote = normalize(selector.quote)
    if not quote:
        diags.error(selector.location, f"the {what} is empty",
                    "copy the exact words from the seed between the quotes")
        return None
    norm = index.norm
    matches = [m for m in occurrences(norm.text, quote) if _proved(index, m, len(quote), quote)]
    if not matches:
        bridged = _match_across(index, quote, excluded or [])
        if bridged is not None:
            diags.error(selector.location,
                        f"the {what} only matches if the boilerplate at "
                        f"{index.position(bridged.start)} is skipped",
                        "a quote cannot span excluded text: cite the words before and after it "
                        "as two claims, or remove that passage from `exclude`")
            return None
        _report_missing(index, selector, quote, diags, what)
        return None
    prefix, suffix = normalize(selector.prefix), normalize(selector.suffix)
    chosen = [m for m in matches if _fits(norm.text, m, len(quote), prefix, suffix)]
    if not chosen:
        context = " and ".join(
            f"{name} '{text}'" for name, text in (("prefix", prefix), ("suffix", suffix)) if text
        )
        diags.error(
            selector.location,
            f"the {what} is in the seed, but not with {context}",
            *[f"the text around it at {index.position(norm.starts[m])}: "
              f"'…{_before(norm.text, m, 40)}' [quote] '{_after(norm.text, m + len(quote), 40)}…'"
              for m in matches[:MAX_SHOWN_MATCHES]],
            "a prefix must end right before the quote; a suffix must start right after it",
        )
        return None
    if len(chosen) > 1:
        hints = [f"match at {index.position(norm.starts[m])}: "
                 f"'…{_before(norm.text, m, 40)}[{quote[:60]}]'"
                 for m in chosen[:MAX_SHOWN_MATCHES]]
        prefix_hint = _suggest_prefix(norm.text, chosen, len(quote))
        suffix_hint = _suggest_suffix(norm.text, chosen, len(quote))
        if prefix_hint:
            hints.append(f'add `prefix: "{prefix_hint}"` to pick the first match')
        elif suffix_hint:
            hints.append(f'add `suffix: "{suffix_hint}"` to pick the first match')
        else:
            hints.append("add a `prefix:` or `suffix:` with the words around the one you mean")
        diags.error(selector.location,
                    f"the {what} matches {len(chosen)} places in {index.seed.path}", *hints)
        return None
    start, end = norm.original_span(chosen[0], chosen[0] + len(quote))
    return Span(start, end)


def _proved(index: SeedIndex, at: int, length: int, quote: str) -> bool:
    """The original text under a match normalises back to the quote (a match may not start
    or end inside a character that normalises to several, such as '…')."""
    start, end = index.norm.original_span(at, at + length)
    return normalize(index.seed.text[start:end]) == quote


def _fits(text: str, at: int, length: int, prefix: str, suffix: str) -> bool:
    if prefix and not text[:at].rstrip().endswith(prefix):
        return False
    return not (suffix and not text[at + length:].lstrip().startswith(suffix))


def _before(text: str, at: int, width: int) -> str:
    return text[max(0, at - width):at]


def _after(text: str, at: int, width: int) -> str:
    return text[at:at + width]


def _suggest_prefix(text: str, matches: list[int], length: int) -> str | None:
    """The fewest words before the first match that no other match shares."""
    first = matches[0]
    words = text[:first].rstrip().split(" ")
    for count in range(1, min(len(words), 8) + 1):
        candidate = " ".join(words[-count:])
        if candidate and sum(_fits(text, m, length, candidate, "") for m in matches) == 1:
            return candidate
    return None


def _suggest_suffix(text: str, matches: list[int], length: int) -> str | None:
    """The fewest words after the first match that no other match shares."""
    words = text[matches[0] + length:].lstrip().split(" ")
    for count in range(1, min(len(words), 8) + 1):
        candidate = " ".join(words[:count])
        if candidate and sum(_fits(text, m, length, "", candidate) for m in matches) == 1:
            return candidate
    return None


def _match_across(index: SeedIndex, quote: str, excluded: list[Span]) -> Span | None:
    """The excluded passage a quote would match across, if it matches only without it."""
    text = index.seed.text
    for span in excluded:
        joined = normalize(text[:span.start] + " " + text[span.end:])
        for at in occurrences(joined, quote):
            before = len(normalize(text[:span.start]))
            if at <= before < at + len(quote):
                return span
    return None


def nearest_passage(norm_text: str, quote: str) -> tuple[int, int, float]:
    """The window of the seed most like the quote: (start, end, similarity 0..1)."""
    words = [0] + [i + 1 for i, ch in enumerate(norm_text) if ch == " "]
    best = (0, min(len(norm_text), len(quote)), 0.0)
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(quote)
    for start in words:
        end = min(len(norm_text), start + len(quote))
        matcher.set_seq1(norm_text[start:end])
        if matcher.real_quick_ratio() <= best[2] or matcher.quick_ratio() <= best[2]:
            continue
        ratio = matcher.ratio()
        if ratio > best[2]:
            best = (start, end, ratio)
    return best


def _first_difference(quote: str, passage: str) -> str | None:
    ops = difflib.SequenceMatcher(None, quote, passage, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            continue
        seen = passage[max(0, j1 - 15):j2 + 15]
        if tag == "insert":
            change = f"the seed has '{passage[j1:j2]}' where the quote has nothing"
        elif tag == "delete":
            change = f"the quote has '{quote[i1:i2]}', which the seed lacks"
        else:
            change = f"the quote has '{quote[i1:i2]}' where the seed has '{passage[j1:j2]}'"
        return f"they differ here: the seed reads '…{seen}…'; {change}"
    return None


def _report_missing(index: SeedIndex, selector: QuoteSelector, quote: str,
                    diags: Diagnostics, what: str) -> None:
    norm = index.norm
    start, end, ratio = nearest_passage(norm.text, quote)
    hints = []
    if ratio >= 0.4 and end > start:
        passage = norm.text[start:end].strip()
        where = index.position(norm.starts[start])
        hints.append(f"the nearest passage, at {where}, is: '{passage}'")
        difference = _first_difference(quote, passage)
        if difference:
            hints.append(difference)
    else:
        hints.append("nothing in the seed is close; is this the right seed?")
    hints.append("quotes must be copied word for word; quotes, dashes and spacing may differ")
    diags.error(selector.location, f"the {what} is not in {index.seed.path}", *hints)


def _inside_excluded(span: Span, excludes: list[AnchoredExclude], loc: Location,
                     diags: Diagnostics) -> bool:
    for exclude in excludes:
        overlap = span.start < exclude.span.end and exclude.span.start < span.end
        if overlap:
            diags.error(loc, "the quote lies in a passage excluded as boilerplate",
                        "cite the article's own text, or remove the passage from `exclude`")
            return True
    return False


def _check_crossing(claims: list[AnchoredClaim], index: SeedIndex, diags: Diagnostics) -> None:
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
