"""Why a quote did not anchor, in words that help fix it: the nearest passage and where it
differs, the text around each match, and the shortest context that would pick one."""

from __future__ import annotations

import difflib
import itertools

from ..content.model import QuoteSelector
from ..diagnostics import Diagnostics
from ..selectors.normalize import normalize
from ..selectors.quote import Span, TextQuote, occurrences
from .model import SeedIndex

MAX_SHOWN_MATCHES = 5
AROUND = 40  # characters of context shown around a match


def report_missing(index: SeedIndex, selector: QuoteSelector, quote: str,
                   excluded: list[Span], diags: Diagnostics, what: str) -> None:
    """The quote is nowhere in the seed: say if excluded text is in the way, or show the
    nearest passage and its first difference."""
    bridged = _match_across(index, quote, excluded)
    if bridged is not None:
        diags.error(selector.location,
                    f"the {what} only matches if the boilerplate at "
                    f"{index.position(bridged.start)} is skipped",
                    "a quote cannot span excluded text: cite the words before and after it "
                    "as two claims, or remove that passage from `exclude`")
        return
    norm = index.quotes.norm
    start, end, ratio = nearest_passage(norm.text, quote)
    hints = []
    if ratio >= 0.4 and end > start:
        passage = norm.text[start:end].strip()
        where = index.position(index.quotes.original(start))
        hints.append(f"the nearest passage, at {where}, is: '{passage}'")
        difference = _first_difference(quote, passage)
        if difference:
            hints.append(difference)
    else:
        hints.append("nothing in the seed is close; is this the right seed?")
    hints.append("quotes must be copied word for word; quotes, dashes and spacing may differ")
    diags.error(selector.location, f"the {what} is not in {index.seed.path}", *hints)


def report_misfit(index: SeedIndex, selector: QuoteSelector, quote: TextQuote,
                  matches: list[int], diags: Diagnostics, what: str) -> None:
    """The quote is in the seed, but its prefix or suffix fits none of its matches."""
    text = index.quotes.norm.text
    context = " and ".join(f"{name} '{value}'" for name, value in
                           (("prefix", quote.prefix), ("suffix", quote.suffix)) if value)
    after = len(quote.exact)
    diags.error(
        selector.location,
        f"the {what} is in the seed, but not with {context}",
        *[f"the text around it at {index.position(index.quotes.original(m))}: "
          f"'…{text[max(0, m - AROUND):m]}' [quote] '{text[m + after:m + after + AROUND]}…'"
          for m in matches[:MAX_SHOWN_MATCHES]],
        "a prefix must end right before the quote; a suffix must start right after it",
    )


def report_ambiguous(index: SeedIndex, selector: QuoteSelector, quote: TextQuote,
                     chosen: list[int], diags: Diagnostics, what: str) -> None:
    """The selector picks several places: list them, and describe the first one uniquely."""
    text = index.quotes.norm.text
    hints = [f"match at {index.position(index.quotes.original(m))}: "
             f"'…{text[max(0, m - AROUND):m]}[{quote.exact[:60]}]'"
             for m in chosen[:MAX_SHOWN_MATCHES]]
    described = index.quotes.describe_match(quote.exact, chosen[0], chosen)
    if described and described.prefix:
        hints.append(f'add `prefix: "{described.prefix}"` to pick the first match')
    elif described and described.suffix:
        hints.append(f'add `suffix: "{described.suffix}"` to pick the first match')
    else:
        hints.append("add a `prefix:` or `suffix:` with the words around the one you mean")
    diags.error(selector.location,
                f"the {what} matches {len(chosen)} places in {index.seed.path}", *hints)


def _match_across(index: SeedIndex, quote: str, excluded: list[Span]) -> Span | None:
    """The excluded passage a quote would match across, if it matches only without it."""
    text = index.seed.text
    for span in excluded:
        before = len(normalize(text[:span.start]))
        joined = normalize(text[:span.start] + " " + text[span.end:])
        for at in occurrences(joined, quote):
            if at <= before < at + len(quote):
                return span
    return None


def nearest_passage(norm_text: str, quote: str) -> tuple[int, int, float]:
    """The window of the normalised seed most like the quote: (start, end, similarity 0..1).
    Windows start at words and are as long as the quote; each distinct window is compared
    once, and in a long seed only the windows that share the most words with the quote are
    (linear in the seed's length, however repetitive it is)."""
    words = norm_text.split(" ")
    starts = list(itertools.accumulate((len(word) + 1 for word in words[:-1]), initial=0))
    if len(starts) > EXHAUSTIVE_WORDS:
        starts = _likely_starts(words, starts, quote)
    best = (0, min(len(norm_text), len(quote)), 0.0)
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(quote)
    seen: set[str] = set()
    for start in starts:
        end = min(len(norm_text), start + len(quote))
        window = norm_text[start:end]
        if window in seen:
            continue
        seen.add(window)
        matcher.set_seq1(window)
        if matcher.real_quick_ratio() <= best[2] or matcher.quick_ratio() <= best[2]:
            continue
        ratio = matcher.ratio()
        if ratio > best[2]:
            best = (start, end, ratio)
    return best


EXHAUSTIVE_WORDS = 20_000  # up to this many words, every window is compared
LIKELY_WINDOWS = 200


def _likely_starts(words: list[str], starts: list[int], quote: str) -> list[int]:
    """The starts of the distinct windows of the quote's length in words that hold the most
    of its words: the only ones worth comparing character by character."""
    wanted = set(quote.split(" "))
    width = max(1, quote.count(" ") + 1)
    hits = list(itertools.accumulate((word in wanted for word in words), initial=0))
    scores = [hits[min(i + width, len(words))] - hits[i] for i in range(len(starts))]
    by_score: list[list[int]] = [[] for _ in range(width + 1)]
    for i, score in enumerate(scores):
        by_score[score].append(i)
    chosen: list[int] = []
    shown: set[tuple[str, ...]] = set()
    for i in itertools.chain.from_iterable(reversed(by_score)):
        key = tuple(words[i:i + width])
        if key not in shown:
            shown.add(key)
            chosen.append(i)
            if len(chosen) == LIKELY_WINDOWS:
                break
    return [starts[i] for i in sorted(chosen)]


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
