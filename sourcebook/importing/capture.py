"""What every importer starts from: the original page as saved or fetched, byte for byte, and
what is known of where and when it came from. Readers of files and the URL fetcher make one;
extraction and writing read it and never change it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

from ..content.archive import original_digest
from ..content.model import Limits

# The largest original an importer takes, file or download, unless the project's
# content/site.yaml sets `limits: original_bytes`: the build refuses a larger one too.
MAX_BYTES = Limits().original_bytes
LIMIT_HINT = ("raise `original_bytes` under `limits:` in content/site.yaml if you trust this "
              "page (the build checks archived originals against the same limit)")


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
        return original_digest(self.body)


class ImportRefused(Exception):
    """An input that cannot be imported, in plain words, with what to do about it."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def size_text(count: int) -> str:
    """A size as messages give it: '20 MB', '1.5 MB' or '1,000 bytes'."""
    return (f"{count / 2**20:.1f}".removesuffix(".0") + " MB" if count >= 2**20
            else f"{count:,} bytes")


def too_big(what: str, limit: int, detail: str) -> ImportRefused:
    """The refusal of an original over the size limit (`what`: the file or address)."""
    return ImportRefused(f"{what} is larger than the limit of {size_text(limit)} for an "
                         f"archived original: {detail}", LIMIT_HINT)
