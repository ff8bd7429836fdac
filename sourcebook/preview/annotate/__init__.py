"""Annotating in the preview: select a passage on a source page, cite or exclude it, and the
preview writes the claim into the annotation (only in `serve`, only on loopback)."""
