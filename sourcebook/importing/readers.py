"""Saved files → a Capture, and a Capture → the document inside it (docs/format.md, "Importing").

A Capture's body is always the original as given, byte for byte (for a WARC: the whole file);
the Document is what extraction reads: the page's HTML, or a PDF's bytes, found inside it."""

from __future__ import annotations

import datetime
import email
import email.policy
import io
import re
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from .capture import MAX_BYTES, Capture, ImportRefused, Kind, size_text, too_big

SUFFIXES = {".html": Kind.HTML, ".htm": Kind.HTML, ".xhtml": Kind.HTML, ".mhtml": Kind.MHTML,
            ".mht": Kind.MHTML, ".warc": Kind.WARC, ".pdf": Kind.PDF}
_GZIP = b"\x1f\x8b"


@dataclass(frozen=True, slots=True)
class Document:
    """The page inside a capture: HTML text, or a PDF's bytes, and its address if known."""

    html: str | None = None
    pdf: bytes | None = None
    url: str | None = None
    url_from: str = ""  # where the address was read: "WARC-Target-URI", "Content-Location"
    exact: bool = True  # the address the bytes came from, not a note the page carries


def kind_of(name: str) -> Kind | None:
    """The kind of original a file name says it is (.warc.gz counts as a WARC)."""
    lower = name.lower()
    if lower.endswith((".warc.gz", ".warc")):
        return Kind.WARC
    return SUFFIXES.get(Path(lower).suffix)


def archive_suffix(capture: Capture) -> str:
    """The suffix of the original's archive file: .html, .mhtml, .pdf, .warc or .warc.gz (a
    gzipped WARC is kept as given)."""
    if capture.kind is Kind.WARC:
        return ".warc.gz" if capture.body.startswith(_GZIP) else ".warc"
    return f".{capture.kind.value}"


def read_file(path: Path, given: str, max_bytes: int = MAX_BYTES) -> Capture:
    """The saved file as a Capture, refused if its kind is unknown or it is too big."""
    kind = kind_of(path.name)
    if kind is None:
        raise ImportRefused(f"cannot import a {path.suffix or 'suffix-less'} file",
                            "give a saved page (.html, .htm, .mhtml, .mht), a WARC (.warc, "
                            ".warc.gz), a PDF with a text layer, or an http(s):// address")
    if not path.is_file():
        raise ImportRefused("no such file", "check the path; a page saved from a browser is "
                            "usually in your Downloads folder")
    size = path.stat().st_size
    if size > max_bytes:
        raise too_big(given, max_bytes, f"it is {size_text(size)}; save the page as HTML "
                      "only, without its images, for a smaller copy")
    body = path.read_bytes()
    if kind is Kind.WARC:
        return _warc_capture(body, given)
    if kind is Kind.MHTML:
        return Capture(body, kind, given, url=_mhtml(body).url)
    return Capture(body, kind, given)



def document(capture: Capture) -> Document:
    """The page inside the capture, for extraction."""
    downloaded = DOWNLOADED if capture.url else ""
    if capture.kind is Kind.PDF:
        return Document(pdf=capture.body, url=capture.url, url_from=downloaded)
    if capture.kind is Kind.MHTML:
        return _mhtml(capture.body)
    if capture.kind is Kind.WARC:
        return _warc_document(capture.body)
    html = decode_html(capture.body, capture.media_type)
    saved = _SAVED_FROM.search(html[:4096])
    if capture.url is None and saved:
        return Document(html=html, url=saved.group(1), url_from="the page's `saved from url` "
                        "comment", exact=False)
    return Document(html=html, url=capture.url, url_from=downloaded)


DOWNLOADED = "the address it was downloaded from, after any redirects"


# What browsers write atop a page saved as HTML: <!-- saved from url=(0047)https://… -->
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(https?://[^\s>]+?)\s*-->", re.IGNORECASE)


def decode_html(body: bytes, media_type: str = "") -> str:
    """HTML bytes as text: the charset a server gave, else the page's own (trafilatura's
    detection: BOM, <meta charset>, then a guess)."""
    charset = _charset(media_type)
    if charset:
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    from trafilatura.utils import decode_file

    return decode_file(body)


def _charset(media_type: str) -> str:
    for part in media_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip('"')
    return ""


# --- MHTML ---


def _mhtml(body: bytes) -> Document:
    """The text/html part of a single-file page, decoded by its transfer encoding and charset;
    the address from Snapshot-Content-Location, or the part's Content-Location."""
    message = email.message_from_bytes(body, policy=email.policy.default)
    if not isinstance(message, EmailMessage):  # the default policy always makes one
        raise ImportRefused("the MHTML file could not be read")
    part = next((p for p in message.walk() if p.get_content_type() == "text/html"), None)
    if part is None:
        raise ImportRefused("the MHTML file holds no HTML page",
                            "save the page again as 'Webpage, Single File' (.mhtml)")
    raw = part.get_payload(decode=True)
    if not isinstance(raw, bytes):
        raise ImportRefused("the MHTML file's page could not be decoded")
    html = decode_html(raw, part.get("Content-Type", ""))
    for header, where in ((message.get("Snapshot-Content-Location"), "Snapshot-Content-Location"),
                          (part.get("Content-Location"), "Content-Location")):
        if header and str(header).startswith(("http://", "https://")):
            return Document(html=html, url=str(header).strip(), url_from=where)
    return Document(html=html)


# --- WARC ---


@dataclass(frozen=True, slots=True)
class _Response:
    url: str
    date: str
    media_type: str
    payload: bytes


def _responses(body: bytes) -> list[_Response]:
    """The WARC's response records of an HTML page or a PDF."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    found = []
    try:
        for record in ArchiveIterator(io.BytesIO(body)):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            media_type = record.http_headers.get_header("Content-Type") or ""
            if media_type.split(";")[0].strip().lower() not in ("text/html",
                                                                 "application/xhtml+xml",
                                                                 "application/pdf"):
                continue
            found.append(_Response(record.rec_headers.get_header("WARC-Target-URI") or "",
                                   record.rec_headers.get_header("WARC-Date") or "",
                                   media_type, record.content_stream().read()))
    except (ArchiveLoadFailed, ValueError, OSError) as exc:
        raise ImportRefused(f"the WARC file could not be read: {exc}",
                            "check that the file is a whole WARC (.warc or .warc.gz)") from None
    return found


def _one_response(body: bytes) -> _Response:
    found = _responses(body)
    if len(found) == 1:
        return found[0]
    if not found:
        raise ImportRefused("the WARC file holds no response with an HTML page or a PDF",
                            "archive the page itself, not only its images or scripts")
    listed = ", ".join(r.url for r in found[:10]) + (" …" if len(found) > 10 else "")
    raise ImportRefused(f"the WARC file holds {len(found)} pages ({listed}); import one page "
                        "per WARC file",
                        "extract the record you want into its own WARC (e.g. with `warcio "
                        "extract`), or import the page's address")


def _warc_capture(body: bytes, given: str) -> Capture:
    response = _one_response(body)
    return Capture(body, Kind.WARC, given, url=response.url or None,
                   fetched=_warc_date(response.date), media_type=response.media_type)


def _warc_date(text: str) -> datetime.datetime | None:
    try:
        when = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when.astimezone(datetime.UTC) if when.tzinfo else when.replace(tzinfo=datetime.UTC)


def _warc_document(body: bytes) -> Document:
    response = _one_response(body)
    url = response.url or None
    where = "WARC-Target-URI" if url else ""
    if response.media_type.lower().startswith("application/pdf"):
        return Document(pdf=response.payload, url=url, url_from=where)
    return Document(html=decode_html(response.payload, response.media_type), url=url,
                    url_from=where)
