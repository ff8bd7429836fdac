"""What every importer starts from: the original page as saved or fetched, byte for byte, and
what is known of where and when it came from. Readers of files and the URL fetcher make one;
extraction and writing read it and never change it."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from enum import StrEnum

# The largest original an importer takes, file or download: a limit against a mistaken or hostile
# input, not a judgement on pages (a long article with its images inlined is a few MB).
MAX_BYTES = 20 * 2**20  # 20 MB


class Kind(StrEnum):
    """The kind of original, which decides how its text is read and its archive file's suffix."""

    HTML = "html"
    MHTML = "mhtml"
    WARC = "warc"
    PDF = "pdf"


@dataclass(frozen=True, slots=True)
class Capture:
    """One original: its bytes exactly as saved or downloaded, and its provenance."""

    body: bytes  # the original, byte for byte: what archive/<name>.<suffix> holds
    kind: Kind
    given: str  # the path or URL as the researcher gave it (for messages)
    url: str | None = None  # the page's address, when known: the final one after redirects
    redirects: tuple[str, ...] = ()  # the addresses a fetch was redirected through, in order
    fetched: datetime.datetime | None = None  # when these bytes were downloaded (UTC), if known
    media_type: str = ""  # the Content-Type a server gave, if any

    @property
    def sha256(self) -> str:
        """The SHA-256 of the bytes, as recorded in the annotation's `original`."""
        return hashlib.sha256(self.body).hexdigest()


class ImportRefused(Exception):
    """An input that cannot be imported, in plain words, with what to do about it."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
