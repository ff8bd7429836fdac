"""What the anchor stage proves: each quote's exact place in its seed."""

from __future__ import annotations

from dataclasses import dataclass

from ..content.model import ClaimSpec, Seed, SourceDoc
from ..diagnostics import Location, text_location
from ..selectors.quote import QuoteIndex, Span


@dataclass(frozen=True, slots=True)
class AnchoredClaim:
    """A claim whose quote was found exactly once in its seed: where, and the text there."""

    spec: ClaimSpec
    span: Span
    quote: str  # seed.text[span.start:span.end]


@dataclass(frozen=True, slots=True)
class AnchoredExclude:
    """An exclusion found in its seed: the span set apart as boilerplate, and why."""

    span: Span
    reason: str | None


@dataclass(frozen=True, slots=True)
class AnchoredSource:
    """An annotation in its seed: the claims and exclusions that anchored, in seed offsets
(those that did not are reported and left out)."""

    doc: SourceDoc
    seed: Seed
    claims: tuple[AnchoredClaim, ...]
    excludes: tuple[AnchoredExclude, ...]


@dataclass(frozen=True)
class SeedIndex:
    """A seed normalised once, for all the quotes anchored in it."""

    seed: Seed
    quotes: QuoteIndex

    @classmethod
    def of(cls, seed: Seed) -> SeedIndex:
        """A seed, normalised for the quotes to be anchored in it."""
        return cls(seed, QuoteIndex(seed.text))

    def position(self, offset: int) -> Location:
        """Where an offset of the seed's text is, for messages."""
        return text_location(self.seed.path, self.seed.text, offset)
