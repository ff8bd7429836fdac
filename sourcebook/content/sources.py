"""Seeds and their annotations: seeds/<source>.txt and content/sources/<source>.yaml."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Collection
from pathlib import Path

from ..diagnostics import Diagnostics, Location, text_location
from ..files import read
from ..memo import Memo
from .fields import Fields
from .folders import FolderCache, load_folder
from .ids import SOURCE_NAME_RULE, is_source_name
from .layout import ARCHIVE_DIR, SEEDS_DIR, SOURCES_DIR
from .model import (
    ORIGINAL_KINDS,
    ClaimSpec,
    ExcludeSpec,
    Limits,
    Original,
    QuoteSelector,
    Seed,
    SourceDoc,
    Stance,
    original_suffix,
)
from .schema import ANNOTATION, CLAIM, EXCLUDE
from .textio import decode_text
from .yamldoc import DEFAULT_LIMITS, YamlDoc, parse_yaml

# --- seeds ---


def load_seeds(root: Path, diags: Diagnostics, limits: Limits = DEFAULT_LIMITS,
               cache: FolderCache[Seed] | None = None,
               changed: Collection[str] | None = None) -> dict[str, Seed]:
    """Every seeds/<source>.txt, by source name. With the last load's `cache`, a seed whose file
    was not written since is not read again, and with `changed` (the paths that may have
    changed since) no other file is even looked at (content/folders.py)."""
    cache = cache if cache is not None else FolderCache()
    if not (root / SEEDS_DIR).is_dir():
        cache.forget()
        diags.error(Location(f"{SEEDS_DIR}/"), "the seeds/ folder is missing",
                    "put each article as seeds/<source>.txt")
        return {}

    def load_one(rel: str, found: Diagnostics, kept: Seed | None) -> Seed | None:
        stem = Path(rel).stem
        if not is_source_name(stem):
            found.error(Location(rel), f"'{stem}' is not a usable source name",
                        f"rename the file with {SOURCE_NAME_RULE}")
            return None
        return read_seed(root, rel, found, limits, kept)

    return load_folder(root, SEEDS_DIR, ".txt", diags, cache, limits, changed, load_one,
                       lambda seed: seed.id)


def read_seed(root: Path, rel: str, diags: Diagnostics,
              limits: Limits = DEFAULT_LIMITS, kept: Seed | None = None) -> Seed | None:
    """seeds/<id>.txt as a Seed: its text (UTF-8, BOM dropped) and the hash of its bytes;
    `kept` (a sound Seed read from this file before) if the bytes are the same."""
    data = read(root, rel, diags, limits.seed_bytes, "seed", "seed_bytes")
    if kept is not None and data is not None and kept.sha256 == hashlib.sha256(data).hexdigest():
        return kept
    text = decode_text(data, rel, diags) if data is not None else None
    if text is None:
        return None
    if not text.strip():
        diags.error(Location(rel), "the seed is empty", "save the article's text in it")
        return None
    control = SEED_CONTROL.search(text)
    if control:
        diags.error(text_location(rel, text, control.start()),
                    f"the seed holds the control character U+{ord(control.group()):04X}",
                    *_control_hints(control.group()))
        return None
    return Seed(Path(rel).stem, rel, text, hashlib.sha256(data or b"").hexdigest())


# Characters that no web page may hold; a seed may keep tabs, line breaks and form feeds.
SEED_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _control_hints(char: str) -> list[str]:
    if "\x80" <= char <= "\x9f":
        return ["this usually means Windows-1252 text was decoded as Latin-1: curly quotes "
                "and dashes became control characters; save the article again as UTF-8"]
    return ["remove it: a page cannot show it"]


# --- annotations ---


def load_sources(root: Path, diags: Diagnostics, memo: Memo,
                 limits: Limits = DEFAULT_LIMITS, cache: FolderCache[SourceDoc] | None = None,
                 changed: Collection[str] | None = None) -> dict[str, SourceDoc]:
    """Every annotation, by source name; an unchanged file is not parsed again, and (with the
    last load's `cache`) a file not written since is not read again; with `changed`, no other
    file is even looked at (content/folders.py)."""
    return load_folder(root, SOURCES_DIR, ".yaml", diags,
                       cache if cache is not None else FolderCache(), limits, changed,
                       lambda rel, found, kept: _load_source(root, rel, found, memo, limits,
                                                               kept),
                       lambda source: source.id)


def _load_source(root: Path, rel: str, diags: Diagnostics, memo: Memo, limits: Limits,
                 kept: SourceDoc | None = None) -> SourceDoc | None:
    """One annotation read and parsed (the parse kept by the hash of its bytes); `kept` (a
    sound annotation parsed from this file before) if the bytes are the same."""
    data = read(root, rel, diags, limits.file_bytes, "annotation")
    if data is None:
        return None
    if kept is not None and kept.digest == hashlib.sha256(data).hexdigest():
        return kept
    return memo.call(
        "source", source_key(rel, data, limits),
        lambda d: parse_source_file(Path(rel).stem, rel, data, d, limits), diags)


def source_key(rel: str, data: bytes, limits: Limits) -> tuple[str, str, Limits]:
    """The memo key of an annotation: its path, the hash of its bytes, and the limits."""
    return (rel, hashlib.sha256(data).hexdigest(), limits)


def parse_source_file(stem: str, rel: str, data: bytes, diags: Diagnostics,
                      limits: Limits = DEFAULT_LIMITS) -> SourceDoc | None:
    """An annotation's bytes as a SourceDoc, or None with its problems reported."""
    text = decode_text(data, rel, diags)
    doc = parse_yaml(text, rel, diags, limits=limits) if text is not None else None
    source = read_source(stem, doc, diags) if doc is not None else None
    if source is None:
        return None
    return dataclasses.replace(source, digest=hashlib.sha256(data).hexdigest())


def read_source(source_id: str, doc: YamlDoc, diags: Diagnostics) -> SourceDoc | None:
    """An annotation's parsed YAML as a SourceDoc; None if its name or shape makes it unreadable.
    Every problem is reported."""
    if not is_source_name(source_id):
        diags.error(doc.loc(), f"'{source_id}' is not a usable source name",
                    f"name the seed and its annotation with {SOURCE_NAME_RULE}")
        return None
    fields = Fields(doc, diags)
    if not fields.require_mapping(ANNOTATION.name):
        return None
    values = fields.read_all(ANNOTATION)
    return SourceDoc(
        id=source_id,
        path=doc.path,
        title=values["title"] or "",
        outlet=values["outlet"],
        author=values["author"],
        agency=values["agency"],
        published=values["published"],
        url=values["url"],
        retrieved=values["retrieved"],
        archive_url=values["archive_url"],
        original=_read_original(doc, diags, values["original"]),
        language=values["language"],
        trans_title=values["trans_title"],
        translator=values["translator"],
        exclude=tuple(_read_excludes(doc, diags)),
        claims=tuple(_read_claims(source_id, doc, diags, values["language"],
                                  values["translator"])),
    )


def _read_original(doc: YamlDoc, diags: Diagnostics, values: dict) -> Original | None:
    """The annotation's `original:` if it has one and its file is named as it must be: a file
    directly in archive/, of a kind the site can publish safely (model.ORIGINAL_KINDS). Whether
    the file is there and has the recorded hash is the load stage's check (content/archive.py)."""
    file, sha256 = values["file"], values["sha256"]
    if file is None or sha256 is None:
        return None
    where = doc.loc("original", "file")
    problem = original_path_problem(file)
    if problem:
        diags.error(where, problem, f"keep the original as {ARCHIVE_DIR}/<name>.<suffix> in the "
                    f"project, and write `file: {ARCHIVE_DIR}/<name>.<suffix>` (suffixes: "
                    f"{', '.join(ORIGINAL_KINDS)})")
        return None
    return Original(file, sha256, values["fetched"], values["redirects"],
                    doc.key_loc("original"), where, doc.loc("original", "sha256"))


def original_path_problem(file: str) -> str:
    """What is wrong with the path an `original:` gives for its file, or ''."""
    parts = file.split("/")
    if file.startswith(("/", "\\")) or (len(file) > 1 and file[1] == ":"):
        return f"the original's file must be a path inside the project, not '{file}'"
    if ".." in parts or "\\" in file:
        return f"the original's file must be directly in {ARCHIVE_DIR}/, not '{file}'"
    if len(parts) != 2 or parts[0] != ARCHIVE_DIR or not parts[1] or parts[1].startswith("."):
        return f"the original's file must be directly in {ARCHIVE_DIR}/, not '{file}'"
    if not original_suffix(file):
        return f"'{parts[1]}' is not a kind of original the site publishes"
    return ""


def _entries(doc: YamlDoc, diags: Diagnostics, key: str) -> list:
    data = doc.data if isinstance(doc.data, dict) else {}
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        diags.error(doc.loc(key), f"'{key}' must be a list of entries",
                    "start each entry on its own line with '- '")
        return []
    return value


def _selector(fields: Fields, quote: str, prefix: str, suffix: str) -> QuoteSelector:
    return QuoteSelector(quote, prefix, suffix, fields.loc("quote"))


def _read_excludes(doc: YamlDoc, diags: Diagnostics) -> list[ExcludeSpec]:
    excludes = []
    for i, item in enumerate(_entries(doc, diags, "exclude")):
        if isinstance(item, str):  # an entry may be just the quote
            if not item.strip():
                diags.error(doc.loc("exclude", i), "an exclude passage is empty")
                continue
            loc = doc.loc("exclude", i)
            excludes.append(ExcludeSpec(QuoteSelector(item, "", "", loc), None))
            continue
        fields = Fields(doc, diags, ("exclude", i))
        if not fields.require_mapping(EXCLUDE.name):
            continue
        values = fields.read_all(EXCLUDE)
        if values["quote"] is not None:
            excludes.append(ExcludeSpec(
                _selector(fields, values["quote"], values["prefix"], values["suffix"]),
                values["reason"]))
    return excludes


def _read_claims(source_id: str, doc: YamlDoc, diags: Diagnostics, language: str | None,
                 translator: str | None) -> list[ClaimSpec]:
    """The claims of an annotation; each carries its source's language, and its translator
    (its own, else the annotation's) when it has a translation."""
    claims: list[ClaimSpec] = []
    seen: dict[tuple[str, str, str, str], ClaimSpec] = {}
    for i, _item in enumerate(_entries(doc, diags, "claims")):
        fields = Fields(doc, diags, ("claims", i))
        if not fields.require_mapping(CLAIM.name):
            continue
        values = fields.read_all(CLAIM)
        fact_id, quote = values["fact"], values["quote"]
        if values["translator"] and not values["trans_quote"]:
            diags.error(fields.loc("translator"), "a claim's 'translator' names who translated "
                        "its 'trans_quote', and this claim has none",
                        "add `trans_quote: …` (the quote in the site's language), or remove "
                        "the 'translator' line")
        if fact_id is None or quote is None:
            continue
        identity = (fact_id, quote, values["prefix"], values["suffix"])
        if identity in seen:
            diags.error(doc.loc("claims", i), f"duplicate claim: fact '{fact_id}' already cites "
                        "this quote", f"the first one is at {seen[identity].location}",
                        "remove one of them")
            continue
        claims.append(ClaimSpec(
            source_id=source_id,
            index=i,
            fact_id=fact_id,
            selector=_selector(fields, quote, values["prefix"], values["suffix"]),
            topics=tuple(t for t, _ in values["topics"]),
            statement=values["statement"],
            speaker=values["speaker"],
            date=values["date"],
            stance=Stance(values["stance"] or Stance.SUPPORTS.value),
            note=values["note"],
            location=doc.loc("claims", i),
            topic_locations=tuple(doc.loc(*p) for _, p in values["topics"]),
            statement_location=fields.loc("statement"),
            speaker_location=fields.loc("speaker"),
            date_location=fields.loc("date"),
            trans_quote=values["trans_quote"],
            translator=(values["translator"] or translator) if values["trans_quote"] else None,
            language=language,
        ))
        seen[identity] = claims[-1]
    return claims

