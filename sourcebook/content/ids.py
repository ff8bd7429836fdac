"""The one rule for names: ids of facts, topics and entities, and the names of sources.

Ids become parts of URLs and file names, so they are checked whole (`fullmatch`: a trailing
newline is not allowed to slip through) by the load stage and by `new`. docs/format.md, "Ids".
"""

from __future__ import annotations

import re

ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# A source's name is its seed's file name without .txt: letters, digits, '-', '_' and '.',
# starting and ending with a letter or digit (so never '.', '..' or a hidden file).
SOURCE_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")

# Ids and names become file names and URL parts: 100 characters stay far below every file
# system's limit of 255 bytes per name, with room for suffixes such as ".yaml".
MAX_LENGTH = 100
ID_RULE = (f"lowercase letters, digits and single hyphens: [a-z0-9-]+, at most {MAX_LENGTH} "
           "characters")
SOURCE_NAME_RULE = ("letters, digits, '-', '_' and '.', starting and ending with a letter or "
                    f"digit, at most {MAX_LENGTH} characters")


def is_id(text: str) -> bool:
    """A fact, topic or entity id: lowercase words joined by single hyphens."""
    return len(text) <= MAX_LENGTH and ID.fullmatch(text) is not None


def is_source_name(text: str) -> bool:
    """A source's name, the stem of seeds/<name>.txt and content/sources/<name>.yaml."""
    return len(text) <= MAX_LENGTH and SOURCE_NAME.fullmatch(text) is not None


def slugify(text: str) -> str:
    """An id made from any text: lowercase words of letters and digits joined by hyphens."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower())[:MAX_LENGTH].strip("-")
    return slug or "id"
