"""The anchor stage: every quote of a Project → its exact (start, end) in its seed, proved, or a
located error with the nearest passage (anchor.anchor_project)."""
