"""What the anchor stage proves: each quote's exact place in its seed."""

from __future__ import annotations

from dataclasses import dataclass

from ..content.model import ClaimSpec, Seed, SourceDoc
from ..selectors.quote import Span


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
    """An annotation whose quotes all anchored: the claims and exclusions in seed offsets."""

    doc: SourceDoc
    seed: Seed
    claims: tuple[AnchoredClaim, ...]
    excludes: tuple[AnchoredExclude, ...]
