"""A folder of like files (the seeds, the annotations) loaded again after an edit, at the cost
of the edit: each file's result is kept with its identity and its diagnostics.

A full load (`changed` is None: the command line, the preview's first build) lists the folder
and proves every file by its identity, reading only those written since. The preview's
watcher knows which paths it saw change since the last build: handed those (`changed`), a
load lists nothing and stats only them, trusting every other file to be as the last load
read it. That is sound because the watcher took its snapshot before the last build read
anything: a write after it shows in its next poll, and the rebuild that poll triggers is
handed the path. A file read while it was too recent for its identity to be trusted
(files.RECENT_NS) is checked again by every load until it has one, as a full load would.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from ..diagnostics import Diagnostic, Diagnostics
from ..files import file_identity, folder_ok, identity_of, link_error, listed

T = TypeVar("T")
Identity = tuple[int, int, int, int]


@dataclass(frozen=True)
class Entry(Generic[T]):
    """One file's result: its identity when read (None: too recent to be trusted), what it
    loaded as (None if it failed) and the diagnostics that produced."""

    identity: Identity | None
    value: T | None
    diagnostics: tuple[Diagnostic, ...]


@dataclass
class FolderCache(Generic[T]):
    """What the last load of one folder found, to load it again at the cost of what changed."""

    inputs: object = None  # what every result depends on besides its file (the limits)
    listed: bool = False  # the folder was listed, and nothing since made the listing doubtful
    links: list[str] = field(default_factory=list)  # links among the files, by name
    entries: dict[str, Entry[T]] = field(default_factory=dict)  # the files, by name
    unsure: set[str] = field(default_factory=set)  # files read without a trusted identity
    result: dict[str, T] = field(default_factory=dict)  # the loaded values, by their key
    diagnostics: tuple[Diagnostic, ...] = ()  # the links' and the entries', in listing order

    def forget(self) -> None:
        """Make the next load a full one (a load that stopped half-way leaves it so)."""
        self.listed = False


def load_folder(root: Path, folder: str, suffix: str, diags: Diagnostics,
                cache: FolderCache[T], inputs: object, changed: Collection[str] | None,
                load_one: Callable[[str, Diagnostics, T | None], T | None],
                key: Callable[[T], str]) -> dict[str, T]:
    """The files of `folder` ending in `suffix`, each loaded by `load_one` (or kept from the
    last load if its file was not written since), by `key`; a link among them is an error.
    `changed`: the paths that may have changed since the last load (None: any of them).
    `load_one(rel, diagnostics, kept)` may return `kept` if the file's bytes are the same."""
    if cache.inputs != inputs:
        cache.inputs, cache.entries, cache.listed = inputs, {}, False
    trusted = cache.listed and changed is not None
    cache.forget()  # until this load is complete
    check = Diagnostics()
    sound = folder_ok(root, folder, check) and not check.items
    if trusted and sound:
        assert changed is not None
        prefix = folder + "/"
        names = {p for p in changed if p.startswith(prefix) and "/" not in p[len(prefix):]}
        _patch(root, suffix, cache, names | cache.unsure, load_one, key)
    else:
        listing = Diagnostics()
        names_listed = listed(root, folder, suffix, listing)
        cache.links = [d.location.path for d in listing.items] if sound else []
        cache.entries = {rel: _entry(file_identity(root, rel), rel, cache.entries.get(rel),
                                     load_one) for rel in names_listed}
        cache.unsure = {rel for rel, entry in cache.entries.items() if entry.identity is None}
        _assemble(cache, key)
        if not sound:  # the folder is a link, or missing: nothing listed to trust
            cache.diagnostics = tuple(listing.items)
            diags.items.extend(cache.diagnostics)
            return cache.result
    cache.listed = True
    diags.items.extend(cache.diagnostics)
    return cache.result


def _entry(identity: Identity | None, rel: str, old: Entry[T] | None,
           load_one: Callable[[str, Diagnostics, T | None], T | None]) -> Entry[T]:
    """The file's entry: the old one if the file has the same (trusted) identity, else read.
    `load_one` is handed the old value (if it loaded without a problem) to hand back if the
    file's bytes are the same: an unchanged object costs the later stages nothing."""
    if identity is not None and old is not None and old.identity == identity:
        return old
    found = Diagnostics()
    value = load_one(rel, found, old.value if old is not None and _plain(old) else None)
    return Entry(identity, value, tuple(found.items))


def _patch(root: Path, suffix: str, cache: FolderCache[T], names: set[str],
           load_one: Callable[[str, Diagnostics, T | None], T | None],
           key: Callable[[T], str]) -> None:
    """Load again only the named files of the folder (each may have appeared, changed, become
    a link or gone); the result is assembled again only if more than values changed."""
    simple = True  # only values of files that load, without diagnostics, before and after
    changes: dict[str, Entry[T]] = {}
    for rel in sorted(names):
        name = rel.rsplit("/", 1)[-1]
        old = cache.entries.pop(rel, None)
        was_link = rel in cache.links
        if was_link:
            cache.links.remove(rel)
        cache.unsure.discard(rel)
        info = None
        if not name.startswith(".") and name.endswith(suffix):
            try:
                info = os.lstat(f"{root}/{rel}")
            except OSError:
                info = None
        if info is not None and stat.S_ISLNK(info.st_mode):
            cache.links.append(rel)
            simple = False
        elif info is not None and stat.S_ISREG(info.st_mode):
            entry = _entry(identity_of(info), rel, old, load_one)
            cache.entries[rel] = changes[rel] = entry
            if entry.identity is None:
                cache.unsure.add(rel)
            simple = simple and old is not None and _plain(old) and _plain(entry) and \
                key(old.value) == key(entry.value)  # type: ignore[arg-type]
            continue
        simple = simple and old is None and not was_link
    if simple:
        if changes:
            cache.result = dict(cache.result)
            for entry in changes.values():
                cache.result[key(entry.value)] = entry.value  # type: ignore[arg-type]
        return
    cache.links.sort()
    cache.entries = dict(sorted(cache.entries.items()))
    _assemble(cache, key)


def _plain(entry: Entry[T]) -> bool:
    return entry.value is not None and not entry.diagnostics


def _assemble(cache: FolderCache[T], key: Callable[[T], str]) -> None:
    """The folder's values and diagnostics from its links and entries, in listing order."""
    found = Diagnostics()
    for rel in cache.links:
        link_error(found, rel)
    result: dict[str, T] = {}
    for entry in cache.entries.values():
        found.items.extend(entry.diagnostics)
        if entry.value is not None:
            result[key(entry.value)] = entry.value
    cache.result, cache.diagnostics = result, tuple(found.items)

