"""The archived originals (docs/format.md, "The archived original"): each annotation's
`original:` names a file of archive/ and the SHA-256 its bytes had when it was imported. The
load stage proves that the file is there, inside the project, and unchanged (the hash is the
provenance the site publishes), and warns of a source with no archived copy at all.

A file is read and hashed again only when it may have changed: a file whose identity (inode,
times, size) is the one it had when last hashed is not read, and with the paths the preview's
watcher saw change, no other file is even looked at (as content/folders.py does for the seeds).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import stat
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostics, Location
from ..files import LINK_HINT, file_identity, folder_ok, identity_of, read
from .layout import ARCHIVE_DIR
from .model import Limits, Original, SourceDoc

Identity = tuple[int, int, int, int]

NO_COPY_HINT = ("import the page with `python build.py import URL` to keep the original, or add "
                "`archive_url:` (a Wayback Machine or archive.today address)")


@dataclass
class ArchiveCache:
    """What the last load found of the originals, so that the next one reads only those that
    may have changed."""

    files: dict[str, tuple[Identity, str, int]] = field(default_factory=dict)  # rel → sha, size
    # annotation path → (the annotation as read, as checked): the same object while unchanged
    checked: dict[str, tuple[SourceDoc, SourceDoc]] = field(default_factory=dict)
    complete: bool = False  # the last load checked every original, and nothing since doubts it

    def forget(self) -> None:
        """Make the next load look at every original."""
        self.complete = False


def original_digest(data: bytes) -> str:
    """The SHA-256 an archived original is known by, in hex: what `import` records as
    `original.sha256`, the load stage checks, and the export proves again as it writes."""
    return hashlib.sha256(data).hexdigest()


def check_originals(root: Path, sources: dict[str, SourceDoc], diags: Diagnostics,
                    limits: Limits, cache: ArchiveCache | None = None,
                    changed: Collection[str] | None = None) -> dict[str, SourceDoc]:
    """The annotations, each whose original was found as recorded given the original's size
    (and where the file is, for the export that publishes it). A missing, linked or changed
    original is an error at the annotation; a source with neither `original:` nor
    `archive_url:` a warning. `changed`: the paths that may have changed since the last load
    (None: any may have)."""
    cache = cache if cache is not None else ArchiveCache()
    trusted = cache.complete and changed is not None
    cache.complete = False
    folder_sound: bool | None = None
    result: dict[str, SourceDoc] = {}
    checked: dict[str, tuple[SourceDoc, SourceDoc]] = {}
    used = set()
    replaced = False
    for name, doc in sources.items():
        result[name] = doc
        original = doc.original
        if original is None:
            if not doc.archive_url:
                diags.warning(Location(doc.path), "this source has no archived copy: neither "
                              "`original:` (the page kept in archive/) nor `archive_url:`",
                              NO_COPY_HINT)
            continue
        used.add(original.file)
        if folder_sound is None:
            folder_sound = folder_ok(root, ARCHIVE_DIR, diags)
        if not folder_sound and os.path.lexists(root / ARCHIVE_DIR):
            continue  # archive/ is a link: said once, at the folder
        found = _hashed(root, original, diags, limits, cache,
                        trusted and original.file not in (changed or ()))
        if found is None:
            continue
        sha256, size = found
        if sha256 != original.sha256:
            diags.error(original.sha256_location,
                        "the archived original has changed since it was imported",
                        f"{original.file} now has the SHA-256 {sha256}",
                        f"restore it (`git checkout -- {original.file}`), or, if the change "
                        f"is meant, write `sha256: {sha256}`")
            continue
        kept = cache.checked.get(doc.path)
        if kept is None or kept[0] is not doc or kept[1].original is None \
                or kept[1].original.size != size:
            kept = (doc, dataclasses.replace(doc, original=dataclasses.replace(
                original, size=size, at=os.path.join(root, original.file))))
        checked[doc.path] = kept
        result[name], replaced = kept[1], True
    cache.checked = checked
    cache.files = {rel: found for rel, found in cache.files.items() if rel in used}
    cache.complete = True
    return result if replaced else sources


def _hashed(root: Path, original: Original, diags: Diagnostics, limits: Limits,
            cache: ArchiveCache, unchanged: bool) -> tuple[str, int] | None:
    """The SHA-256 and size of an original's file, or None with the problem reported. Read
    only if it may have changed since it was last hashed (`unchanged`: the watcher says not)."""
    rel = original.file
    old = cache.files.get(rel)
    if unchanged and old is not None:
        return old[1], old[2]
    try:
        info = os.lstat(os.path.join(root, rel))
    except OSError:
        info = None
    if info is None:
        cache.files.pop(rel, None)
        diags.error(original.file_location, f"the archived original {rel} is missing",
                    f"put the file back (`git checkout -- {rel}` restores a committed one), "
                    "or remove `original:`")
        return None
    if stat.S_ISLNK(info.st_mode):
        cache.files.pop(rel, None)
        diags.error(original.file_location, f"{rel} is a symbolic link: the build reads only "
                    "files inside the project", LINK_HINT)
        return None
    identity = identity_of(info)
    if identity is not None and old is not None and old[0] == identity:
        return old[1], old[2]
    data = read(root, rel, diags, limits.original_bytes, "archived original", "original_bytes")
    if data is None:
        cache.files.pop(rel, None)
        return None
    found = (original_digest(data), len(data))
    if identity is not None and file_identity(root, rel) == identity:
        cache.files[rel] = (identity, *found)
    else:
        cache.files.pop(rel, None)  # too recent, or written while read: read it again next time
    return found
