"""`python build.py import PATH_OR_URL`: a saved page (or a fetched one) becomes three new files:
the seed seeds/NAME.txt, the original archive/NAME.<suffix>, byte for byte, and the draft
annotation content/sources/NAME.yaml, drafted as `new` drafts one with the page's own metadata
and the original's hash added. All three are written, or none; none is ever overwritten, and
a page imported before is recognised by its hash (docs/format.md, "Importing")."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..authoring.draft import Draft, PageFacts, draft_annotation
from ..authoring.draft_yaml import render_yaml
from ..authoring.new import aliases, write_new
from ..content.archive import original_digest
from ..content.config import load_config
from ..content.ids import SOURCE_NAME_RULE, is_source_name, slugify
from ..content.layout import ARCHIVE_DIR, SEEDS_DIR, SOURCES_DIR, annotation_path, seed_path
from ..content.model import original_suffix
from ..content.sources import SEED_CONTROL
from ..diagnostics import Diagnostics, Location
from .capture import Capture, ImportRefused
from .extract import MainText, html_text, pdf_text, squash
from .fetch import fetch
from .pagemeta import KEYS, Guess, page_metadata, pdf_metadata
from .readers import archive_suffix, document, read_file

NAME_WORDS = 6  # a derived name: the date, then the title's first words
NAME_CHARS = 60


@dataclass(frozen=True, slots=True)
class ImportedPage:
    """One imported page: the three files written (relative to the project) and the draft."""

    name: str
    seed: str
    archive: str
    annotation: str
    draft: Draft


@dataclass(frozen=True, slots=True)
class Options:
    """The command's options for pages: the name to give, and the fetch's limits."""

    name: str | None = None
    allow_http: bool = False
    timeout: float = 20.0
    max_bytes: int | None = None  # the project's `limits: original_bytes` when None


def import_page(root: Path, given: str, options: Options,
                diags: Diagnostics) -> ImportedPage | None:
    """Import one saved page or address; None (reported at the path or URL as given) if it is
    refused, and then nothing is written."""
    try:
        capture = _capture(root, given, options)
        return _import(root, capture, options.name, diags)
    except ImportRefused as exc:
        diags.error(Location(given), exc.message, *([exc.hint] if exc.hint else []))
        return None


def original_limit(root: Path) -> int:
    """The largest original the project accepts: its `limits: original_bytes` (the build's
    own limit), or the default when content/site.yaml cannot be read (the build says why)."""
    return load_config(root, Diagnostics()).limits.original_bytes


def _capture(root: Path, given: str, options: Options) -> Capture:
    limit = options.max_bytes or original_limit(root)
    if re.match(r"(?i)[a-z][a-z0-9+.-]*://", given):
        if not given.lower().startswith(("http://", "https://")):
            raise ImportRefused("only http(s):// addresses can be fetched",
                                "save the page with a browser and import the file")
        return fetch(given, allow_http=options.allow_http, timeout=options.timeout,
                     max_bytes=limit)
    path = Path(given).expanduser()
    if not path.is_absolute() and not path.exists() and (root / path).exists():
        path = root / path
    return read_file(path, given, limit)


# --- the text and the metadata ---


def read_page(capture: Capture) -> tuple[MainText, dict[str, Guess]]:
    """The capture's main text (its seed) and its own metadata, each value with its source."""
    doc = document(capture)
    url = doc.url
    address = Guess(url, doc.url_from) if url else None
    if doc.pdf is not None:
        main, meta = _read_pdf(doc.pdf)
        return main, {**meta, **({"url": address} if address else {})}
    html = doc.html or ""
    meta = page_metadata(html, address, exact=doc.exact)
    title = meta.get("title")
    return html_text(html, _headline(html) or (title.value if title else ""), url), meta


def _headline(html: str) -> str:
    """The page's first <h1>: the headline as the article prints it."""
    from lxml import html as lxml_html

    try:
        tree = lxml_html.document_fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):
        return ""
    first = next(tree.iter("h1"), None)
    return squash(first.text_content()) if first is not None else ""


def _read_pdf(body: bytes) -> tuple[MainText, dict[str, Guess]]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(body))
        pages = [page.extract_text() or "" for page in reader.pages]
        info = {str(k): str(v) for k, v in (reader.metadata or {}).items()}
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise ImportRefused(f"the PDF could not be read: {exc}",
                            "check that the file is a whole PDF") from None
    if not any(page.strip() for page in pages):
        raise ImportRefused("no text layer: it is a scan; run OCR first",
                            "e.g. `ocrmypdf in.pdf out.pdf`, then import out.pdf")
    return pdf_text(pages), pdf_metadata(info)


# --- the project: duplicates, names, the files ---


def seed_fingerprint(text: str) -> str:
    """A seed's text as compared for duplicates: its words, whitespace aside."""
    return hashlib.sha256(squash(text).encode("utf-8")).hexdigest()


_SHA = re.compile(r"^\s*sha256:\s*([0-9a-f]{64})\s*(?:#.*)?$", re.MULTILINE)


def imported_before(root: Path, capture: Capture, text: str) -> tuple[str, str] | None:
    """(the existing source, what matched) if this original or its text is in the project."""
    sha = capture.sha256
    archive = root / ARCHIVE_DIR
    for path in sorted(archive.iterdir()) if archive.is_dir() else ():
        if path.is_file() and original_digest(path.read_bytes()) == sha:
            return _stem(path.name), f"its original is {ARCHIVE_DIR}/{path.name}"
    for path in sorted((root / SOURCES_DIR).glob("*.yaml")):
        if sha in _SHA.findall(path.read_text("utf-8", errors="replace")):
            return path.stem, f"{annotation_path(path.stem)} records the same original.sha256"
    fingerprint = seed_fingerprint(text)
    for path in sorted((root / SEEDS_DIR).glob("*.txt")):
        if seed_fingerprint(path.read_text("utf-8", errors="replace")) == fingerprint:
            return path.stem, f"{seed_path(path.stem)} holds the same text"
    return None


def _stem(file_name: str) -> str:
    """An archive file's name without the suffix that says its kind: the source's name."""
    suffix = original_suffix(file_name)
    return file_name[:-len(suffix)] if suffix else file_name.rsplit(".", 1)[0]


_SMALL_WORDS = frozenset("a an the to of in on at by for and or with from as its".split())


def derived_name(meta: dict[str, Guess], capture: Capture) -> str:
    """date-title-words: the publication date (if known) and the title's first words."""
    title = meta.get("title")
    slug = slugify(title.value if title else Path(capture.given).name.split(".")[0])
    words = slug.split("-")[:NAME_WORDS]
    while len(words) > 1 and words[-1] in _SMALL_WORDS:  # not "…-to-keep-the"
        words.pop()
    slug = "-".join(words)[:NAME_CHARS].strip("-")
    published = meta.get("published")
    return f"{published.value}-{slug}" if published else slug


def _taken(root: Path, name: str) -> str | None:
    for rel in (seed_path(name), annotation_path(name)):
        if (root / rel).exists() or (root / rel).is_symlink():
            return rel
    archive = root / ARCHIVE_DIR
    for path in sorted(archive.glob(f"{name}.*")) if archive.is_dir() else ():
        if _stem(path.name) == name:
            return f"{ARCHIVE_DIR}/{path.name}"
    return None


def _check_name(root: Path, name: str, given: bool) -> None:
    if not is_source_name(name):
        raise ImportRefused(f"'{name}' cannot be a source name",
                            f"give --name with {SOURCE_NAME_RULE}")
    taken = _taken(root, name)
    if taken is not None:
        raise ImportRefused(f"the name '{name}' is taken: {taken} exists, and import never "
                            "overwrites a file",
                            "give the new source another name with --name NAME" if not given
                            else "choose another --name")


def today() -> datetime.date:
    """Today (UTC), or the day of SOURCE_DATE_EPOCH when it is set (reproducible runs)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date()
    return datetime.datetime.now(datetime.UTC).date()


def _import(root: Path, capture: Capture, name: str | None,
            diags: Diagnostics) -> ImportedPage:
    main, meta = read_page(capture)
    text = SEED_CONTROL.sub("", main.text)
    if text != main.text:  # spans shift: control characters are invisible, never article text
        main = MainText(text, ())
    before = imported_before(root, capture, text)
    if before is not None:
        source, why = before
        raise ImportRefused(f"this page was imported before, as the source '{source}': {why}",
                            f"its annotation is {annotation_path(source)}; import a page once")
    given = name is not None
    name = name or derived_name(meta, capture)
    _check_name(root, name, given=given)
    archive = f"{ARCHIVE_DIR}/{name}{archive_suffix(capture)}"
    fetched = capture.fetched.astimezone(datetime.UTC) if capture.fetched else None
    facts = PageFacts(
        guesses=tuple((key, meta[key].value, meta[key].source) for key in KEYS if key in meta),
        retrieved=(fetched.date() if fetched else today()).isoformat(),
        file=archive, sha256=capture.sha256,
        fetched=fetched.strftime("%Y-%m-%dT%H:%M:%SZ") if fetched else None,
        redirects=capture.redirects)
    draft = draft_annotation(name, text, *aliases(root, diags), unsure=main.unsure)
    draft = dataclasses.replace(draft, page=facts)
    files = [(archive, capture.body), (seed_path(name), text.encode("utf-8")),
             (annotation_path(name), render_yaml(draft).encode("utf-8"))]
    _write_all(root, files)
    return ImportedPage(name, seed_path(name), archive, annotation_path(name), draft)


def _write_all(root: Path, files: list[tuple[str, bytes]]) -> None:
    """Every file, or none: one that appeared meanwhile undoes the ones written before it."""
    written: list[Path] = []
    try:
        for rel, data in files:
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            write_new(target, data)
            written.append(target)
    except FileExistsError as exc:
        for path in written:
            path.unlink()
        raise ImportRefused(f"{Path(exc.filename or '').name or 'a file'} appeared while "
                            "importing; nothing was written", "run the import again") from None
    except BaseException:
        for path in written:
            path.unlink()
        raise
