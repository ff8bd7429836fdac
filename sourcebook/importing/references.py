"""`import --from-csl FILE` and `--from-bibtex FILE`: a reference manager's export (Zotero,
Mendeley, JabRef …) brought into the project's annotations.

Each entry is matched to a source: by its key (the CSL `id` or BibTeX key) when that is a
source's name, as in the files the site publishes; else by its URL, the same address up to the
case of the scheme and host, a default port, a fragment and an empty path (http and https,
`www.`, a trailing slash and AMP pages are other addresses: a near miss is reported, never
taken); else by its title, case, punctuation and quotation marks aside. Then:

- **updated**: the annotation lacked some of title, language, outlet, author, published and
  url; each is added as a line of its own, `key: value  # from FILE:LINE`, after the last
  metadata key, the rest of the file (comments, layout, claims) untouched. A value the
  researcher wrote is never replaced: a different one in the entry is a warning naming both.
- **matched**: the annotation already had all the entry gives.
- **created**: the source has a seed but no annotation: `new` drafts it, and the entry's values
  replace the draft's guesses.
- **unmatched**: no seed matches; an annotation needs a seed, so none is made.

Nothing is written unless every file was read without error, and an edited annotation is
parsed again before it is written: if its values do not read back as added, it is left alone.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import yaml

from ..content.config import load_config
from ..content.ids import is_source_name
from ..content.languages import primary
from ..content.layout import SEEDS_DIR, SOURCES_DIR, annotation_path, seed_path
from ..content.sources import parse_source_file
from ..diagnostics import Diagnostics, Location
from ..research.factfile import yaml_quote
from ..site.references import split_authors
from .refentries import Entry, bibtex_entries, csl_entries, read_text

FIELDS = ("title", "language", "outlet", "author", "published", "url")  # the annotation's order
MAX_TITLE_LINE = 300  # a seed line longer than this is a paragraph, never a headline


class Outcome(StrEnum):
    """What became of one entry."""

    MATCHED = "matched"
    UPDATED = "updated"
    CREATED = "created"
    UNMATCHED = "unmatched"


@dataclass(frozen=True, slots=True)
class ReferenceResult:
    """One entry of an export and what `import` did with it."""

    entry: Entry
    outcome: Outcome
    source: str = ""  # the source's name, if matched
    how: str = ""  # what matched it: "key", "url" or "title"
    added: tuple[str, ...] = ()  # the fields written

    def line(self) -> str:
        """The line `import` prints for the entry."""
        shown = self.entry.title or self.entry.key or "(no title)"
        if self.outcome is Outcome.UNMATCHED:
            return f"{self.entry.location}: unmatched: {shown}"
        what = (f" (by {self.how}): added {', '.join(self.added)}" if self.added
                else f" (by {self.how}): nothing to add")
        if self.outcome is Outcome.CREATED:
            what = f" (by {self.how}): drafted {annotation_path(self.source)} from its seed"
        return f"{self.entry.location}: {self.outcome.value} {self.source}{what}"


@dataclass
class _Annotation:
    """An annotation as found, and the lines planned for it."""

    source: str
    text: str
    values: dict[str, str]
    lines: list[str] = field(default_factory=list)
    added: dict[str, str] = field(default_factory=dict)


def import_references(root: Path, *, csl: Path | None, bibtex: Path | None,
                      diags: Diagnostics) -> list[ReferenceResult]:
    """Import the entries of a CSL-JSON and/or a BibTeX export into the annotations; the
    results, one per entry in file order (none, with errors reported, if a file is unusable)."""
    entries: list[Entry] = []
    for path, read in ((csl, csl_entries), (bibtex, bibtex_entries)):
        if path is None:
            continue
        shown = path.as_posix()
        text = read_text(path, shown, diags)
        found = read(text, shown, diags) if text is not None else None
        entries += found or []
    if diags.has_errors():
        return []
    language = load_config(root, Diagnostics()).language
    annotations = _annotations(root, diags)
    seeds = _unannotated_seeds(root, annotations)
    results, drafts = [], {}
    for entry in entries:
        values = entry.values()
        if primary(values.get("language", "")) == primary(language):
            values.pop("language")  # the site's (en-US on an `en` site too): left unsaid
        source, how = _match(entry, annotations, seeds, diags)
        if source in annotations:
            added = _plan(annotations[source], entry, values, diags)
            results.append(ReferenceResult(entry, Outcome.UPDATED if added else Outcome.MATCHED,
                                           source, how, added))
        elif source in seeds:
            if source in drafts:
                diags.warning(entry.location, f"{source} was already drafted from "
                              f"{drafts[source][0].location}; this entry is left out")
                results.append(ReferenceResult(entry, Outcome.MATCHED, source, how))
                continue
            drafts[source] = (entry, values)
            results.append(ReferenceResult(entry, Outcome.CREATED, source, how,
                                           tuple(values)))
        else:
            results.append(ReferenceResult(entry, Outcome.UNMATCHED))
    if not diags.has_errors():
        _write(root, annotations, drafts, diags)
    return results


# --- what the project has ---


def _annotations(root: Path, diags: Diagnostics) -> dict[str, _Annotation]:
    """Every annotation that reads as a YAML mapping, by source name, with its metadata."""
    found = {}
    for path in sorted((root / SOURCES_DIR).glob("*.yaml")):
        rel = f"{SOURCES_DIR}/{path.name}"
        try:
            text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
            data = yaml.safe_load(text)
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            diags.warning(Location(rel), "this annotation cannot be read, so no entry is "
                          "matched to it", "run `python build.py check` to see why")
            continue
        if not isinstance(data, dict):
            continue
        values = {key: str(data[key]) for key in FIELDS if data.get(key) not in (None, "")}
        found[path.stem] = _Annotation(path.stem, text, values)
    return found


def _unannotated_seeds(root: Path, annotations: dict[str, _Annotation]) -> dict[str, list[str]]:
    """The seeds without an annotation, each with its title keys: its short lines'."""
    seeds = {}
    for path in sorted((root / SEEDS_DIR).glob("*.txt")):
        if path.stem in annotations or not is_source_name(path.stem) or path.is_symlink():
            continue
        try:
            text = path.read_bytes().decode("utf-8", "replace")
        except OSError:
            continue
        seeds[path.stem] = [title_key(line) for line in text.splitlines()
                            if line.strip() and len(line) <= MAX_TITLE_LINE]
    return seeds


# --- matching ---


def title_key(title: str) -> str:
    """A title as matching compares it: case, punctuation, quotation marks and spacing aside."""
    text = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def url_key(url: str) -> str:
    """An address as matching compares it: the scheme and host in lower case, without a
    default port, a fragment or an empty path; nothing else is changed. The same page, not
    the same site: fetch._same_site, which lets a redirect add or drop `www.`, is looser."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    scheme, host = parts.scheme.casefold(), (parts.hostname or "").casefold()
    if port and (scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    return urlunsplit((scheme, host, parts.path or "/", parts.query, ""))


def _loose(url: str) -> str:
    """An address with what makes another page, but is easily mistaken for the same, set
    aside: the scheme, `www.`, a trailing slash, an AMP variant. Only for hints."""
    key = re.sub(r"^https?://(www\.)?", "", url_key(url)).rstrip("/")
    return re.sub(r"(/amp(?=[-/]|$)|[?&]amp(=1)?$|\.amp(?=\.|/|$))", "", key)


def _match(entry: Entry, annotations: dict[str, _Annotation], seeds: dict[str, list[str]],
           diags: Diagnostics) -> tuple[str, str]:
    """The source the entry is about, and how it was matched; ("", "") if none."""
    if entry.key in annotations or entry.key in seeds:
        return entry.key, "key"
    if entry.url:
        by_url = [s for s, a in annotations.items()
                  if "url" in a.values and url_key(a.values["url"]) == url_key(entry.url)]
        if found := _one(entry, by_url, "url", diags):
            return found, "url"
    if entry.title:
        key = title_key(entry.title)
        by_title = [s for s, a in annotations.items()
                    if "title" in a.values and title_key(a.values["title"]) == key]
        by_title += [s for s, lines in seeds.items() if key in lines]
        if found := _one(entry, by_title, "title", diags):
            return found, "title"
    near = [s for s, a in annotations.items() if entry.url and "url" in a.values
            and _loose(a.values["url"]) == _loose(entry.url)]
    name = entry.key if is_source_name(entry.key) else "NAME"
    diags.warning(entry.location, f"no seed matches {entry.title or entry.key!r}"
                  + (f" ({entry.url})" if entry.url else ""),
                  *[f"{s}'s url {annotations[s].values['url']} is close but is another "
                    "address; if it is the same page, write the entry's url in "
                    f"{annotation_path(s)}" for s in near],
                  f"import the page or save it as {seed_path(name)}")
    return "", ""


def _one(entry: Entry, found: list[str], how: str, diags: Diagnostics) -> str:
    if len(found) > 1:
        diags.warning(entry.location, f"the entry's {how} matches {len(found)} sources: "
                      f"{', '.join(found)}", "give the entry the source's name as its key")
        return ""
    return found[0] if found else ""


# --- filling an annotation ---


def _plan(annotation: _Annotation, entry: Entry, values: dict[str, str],
          diags: Diagnostics) -> tuple[str, ...]:
    """Plan the lines the entry adds to the annotation (its missing fields), and warn of each
    value that differs from the annotation's; the fields added."""
    added = []
    for key, value in values.items():
        have = annotation.values.get(key)
        if have is None:
            annotation.values[key] = annotation.added[key] = value
            annotation.lines.append(_line(key, value, entry.location))
            added.append(key)
        elif not _same(key, have, value):
            diags.warning(entry.location, f"{annotation.source}: the entry's {key} "
                          f"{value!r} differs from the annotation's {have!r}; the "
                          "annotation's is kept",
                          f"if the entry is right, correct {key} in "
                          f"{annotation_path(annotation.source)} yourself")
    return tuple(added)


def _same(key: str, have: str, value: str) -> bool:
    if key in ("title", "outlet"):
        return title_key(have) == title_key(value)
    if key == "author":
        return ([title_key(n.literal or f"{n.given} {n.family}") for n in split_authors(have)]
                == [title_key(n.literal or f"{n.given} {n.family}") for n in split_authors(value)])
    if key == "url":
        return url_key(have) == url_key(value)
    return have.casefold() == value.casefold()


def _line(key: str, value: str, origin: Location) -> str:
    shown = value if key in ("published", "language") else yaml_quote(value)
    return f"{key}: {shown}  # from {origin.path}:{origin.line}"


def with_lines(text: str, lines: list[str]) -> str:
    """The annotation's text with these top-level lines inserted after its last metadata key
    (before `exclude:` and `claims:`), or before its first key if it has none."""
    newline = "\r\n" if "\r\n" in text else "\n"
    node = yaml.compose(text)
    keys = node.value if isinstance(node, yaml.MappingNode) else []
    ends = [value.end_mark for k, value in keys if k.value not in ("exclude", "claims")]
    if ends:
        last = max(ends, key=lambda m: m.index)
        at = last.line + (1 if last.column else 0)
    else:
        at = keys[0][0].start_mark.line if keys else len(text.splitlines())
    old = text.splitlines(keepends=True)
    if old and not old[-1].endswith("\n"):
        old[-1] += newline
    at = min(at, len(old))
    return "".join(old[:at] + [line + newline for line in lines] + old[at:])


def _write(root: Path, annotations: dict[str, _Annotation],
           drafts: dict[str, tuple[Entry, dict[str, str]]], diags: Diagnostics) -> None:
    """Write what was planned: each edited annotation checked by parsing it again first."""
    for annotation in annotations.values():
        if not annotation.lines:
            continue
        rel = annotation_path(annotation.source)
        text = with_lines(annotation.text, annotation.lines)
        if _reads_back(rel, annotation, text):
            _replace(root / rel, text)
        else:
            diags.error(Location(rel), "the metadata could not be added safely, so this "
                        "annotation was left as it was",
                        f"add these lines yourself: {' / '.join(annotation.lines)}")
    for source, (entry, values) in drafts.items():
        _draft(root, source, entry, values, diags)


def _reads_back(rel: str, annotation: _Annotation, after: str) -> bool:
    """Whether the edited annotation reads back with the added values, and no problem that
    it did not have before."""
    old, new = Diagnostics(), Diagnostics()
    parse_source_file(annotation.source, rel, annotation.text.encode("utf-8"), old)
    doc = parse_source_file(annotation.source, rel, after.encode("utf-8"), new)
    try:
        data = yaml.safe_load(after)
    except yaml.YAMLError:
        return False
    return (doc is not None and isinstance(data, dict)
            and all(str(data.get(key)) == value for key, value in annotation.added.items())
            and {d.message for d in new.errors} <= {d.message for d in old.errors})


def _replace(target: Path, text: str) -> None:
    """Write the file whole or not at all."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        os.unlink(tmp)
        raise


def _draft(root: Path, source: str, entry: Entry, values: dict[str, str],
           diags: Diagnostics) -> None:
    """Draft the annotation of a seed as `new` does, the entry's values replacing its
    guesses."""
    from ..authoring.new import new_annotation

    made = new_annotation(root, Path(seed_path(source)), diags)
    if made is None:
        return
    target = root / made.path
    text = target.read_text("utf-8")
    for key, value in values.items():
        text = drafted_with(text, key, _line(key, value, entry.location))
    _replace(target, text)


def drafted_with(text: str, key: str, line: str) -> str:
    """A drafted annotation with the line for `key` in place of the draft's guess or
    placeholder for it (`key: …  # guessed: …`, `# key: …`), or after its title."""
    head = text.split("\nexclude:", 1)
    pattern = re.compile(rf"^(?:# )?{re.escape(key)}: .*$", re.MULTILINE)
    if pattern.search(head[0]):
        head[0] = pattern.sub(lambda _m: line, head[0], count=1)
    else:
        head[0] = re.sub(r"^(title: .*)$", lambda m: f"{m.group(1)}\n{line}", head[0], count=1,
                         flags=re.MULTILINE)
    return "\nexclude:".join(head)
