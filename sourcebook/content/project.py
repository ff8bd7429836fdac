"""The load stage as a whole: the project folder → a Project, with every cross-reference that
can be checked without the seeds' text checked."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from ..diagnostics import Diagnostics, Location
from ..files import file_identity, folder_ok
from ..memo import Memo
from .archive import ArchiveCache, check_originals
from .config import load_config
from .entities import load_entities, load_outlets, load_statuses
from .fields import did_you_mean
from .findings import load_findings
from .folders import FolderCache
from .layout import (
    ENTITIES_FILE,
    FACTS_DIR,
    OUTLETS_FILE,
    STATUS_FILE,
    TEMPLATES_DIR,
    annotation_path,
    seed_path,
    topic_path,
)
from .model import Limits, Project, Seed, SourceDoc
from .sources import load_seeds, load_sources
from .topics import load_topics

T = TypeVar("T")


@dataclass
class LoadCache:
    """What the last load found, for the next one to cost what changed (content/folders.py)."""

    seeds: FolderCache[Seed] = field(default_factory=FolderCache)
    sources: FolderCache[SourceDoc] = field(default_factory=FolderCache)
    originals: ArchiveCache = field(default_factory=ArchiveCache)
    # The annotations last found to name a seed and only known topics and speakers, with
    # the topic and entity ids and the seed ids they were checked against.
    sound: dict[str, SourceDoc] = field(default_factory=dict)
    checked_against: tuple[str, frozenset[str]] | None = None

    def forget(self) -> None:
        """Make the next load a full one."""
        self.seeds.forget()
        self.sources.forget()
        self.originals.forget()
        self.sound, self.checked_against = {}, None


def load_project(root: Path, diags: Diagnostics, base_url: str | None = None,
                 memo: Memo | None = None, cache: LoadCache | None = None,
                 changed: Collection[str] | None = None) -> Project:
    """Read every input of the project; problems are reported in `diags`, never raised.

    What failed to load is left out, so later stages see only sound values; `memo` lets an
    unchanged annotation or topic skip parsing, and the last load's `cache` an unchanged seed
    or annotation file skip reading. `changed`: the paths that may have changed since that
    load (the preview's watcher knows them), so that no other seed or annotation is looked at;
    None: any may have."""
    memo = memo or Memo()
    cache = cache if cache is not None else LoadCache()
    try:
        config = load_config(root, diags, base_url)
        limits = config.limits
        check_layout(root, diags)
        seeds = load_seeds(root, diags, limits, cache.seeds, changed)
        sources = load_sources(root, diags, memo, limits, cache.sources, changed)
        sources = check_originals(root, sources, diags, limits, cache.originals, changed)
        topics = load_topics(root, diags, memo, config.allow_raw_html, limits)
        entities = _unless_written(memo, root, ENTITIES_FILE, load_entities, diags, limits)
        statuses = _unless_written(memo, root, STATUS_FILE, load_statuses, diags, limits)
        outlets = _unless_written(memo, root, OUTLETS_FILE, load_outlets, diags, limits)
        findings = load_findings(root, diags, config.allow_raw_html, limits)
        project = Project(root, config, seeds, sources, topics, entities, statuses,
                          findings=findings, outlets=outlets)
        check_references(project, diags, memo, cache)
    except BaseException:
        cache.forget()  # what it holds may be half of this load's
        raise
    return project


def _unless_written(memo: Memo, root: Path, rel: str,
                    load: Callable[[Path, Diagnostics, Limits], T], diags: Diagnostics,
                    limits: Limits) -> T:
    """load(root, diags, limits) of one file, kept (the very object) while the file is not
    written: entities.yaml names 300 entities at 10,000 sources, too many to parse per edit."""
    identity = file_identity(root, rel)  # taken before it is read: a later write changes it
    if identity is None:
        return load(root, diags, limits)
    return memo.call(f"file {rel}", (identity, limits), lambda d: load(root, d, limits), diags)


def _references_known(project: Project, source: SourceDoc) -> bool:
    """Whether every topic and speaker the annotation's claims name exists."""
    return all(all(t in project.topics for t in claim.topics)
               and (not claim.speaker or claim.speaker in project.entities)
               for claim in source.claims)


def check_layout(root: Path, diags: Diagnostics) -> None:
    """The folders the build reads and writes are the project's own, not links elsewhere: the
    build writes the fact files into content/facts/, and reads templates/ (their contents are
    checked as they are read)."""
    for folder in (FACTS_DIR, TEMPLATES_DIR):
        folder_ok(root, folder, diags)


def _failed_to_load(project: Project, rel: str, diags: Diagnostics) -> bool:
    """A reference into a file that exists but has errors: its errors say enough."""
    return (project.root / rel).is_file() and any(
        d.location.path == rel for d in diags.errors)


def check_references(project: Project, diags: Diagnostics, memo: Memo | None = None,
                     cache: LoadCache | None = None) -> None:
    """Annotations name their seeds, topics and speakers; seeds have annotations. With
    `memo`, an annotation found sound before, against the same topic and entity ids, is not
    checked claim by claim again; with `cache`, the same annotation (the very object the last
    load had) found sound by the last check against the same ids is not looked at again."""
    names = hashlib.blake2b("\n".join((*project.topics, "", *project.entities)).encode(),
                            digest_size=16).hexdigest()
    sound: dict[str, SourceDoc] = {}
    kept: dict[str, SourceDoc] = {}
    if cache is not None:
        against = (names, cache.checked_against[1]
                   if cache.checked_against and cache.checked_against[1] == project.seeds.keys()
                   else frozenset(project.seeds))
        if against == cache.checked_against:
            kept = cache.sound
    for source in project.sources.values():
        if kept.get(source.path) is source:
            sound[source.path] = source
            continue
        if _check_source(project, source, names, diags, memo):
            sound[source.path] = source
    if cache is not None:
        cache.sound, cache.checked_against = sound, against
    for seed_id, seed in project.seeds.items():
        # An annotation that exists but failed to load has been reported already.
        if (seed_id not in project.sources
                and not (project.root / annotation_path(seed_id)).exists()):
            diags.warning(Location(seed.path), "this seed has no annotation",
                          f"run `python build.py new {seed.path}` to draft "
                          f"{annotation_path(seed_id)}, then cite its claims")


def _check_source(project: Project, source: SourceDoc, names: str, diags: Diagnostics,
                  memo: Memo | None) -> bool:
    """Check one annotation's references; whether it has its seed and every one is known."""
    if source.id not in project.seeds:
        diags.error(Location(source.path),
                    f"no seed for this annotation: {seed_path(source.id)}",
                    *(did_you_mean(source.id, project.seeds)
                      or [f"save the article as {seed_path(source.id)}, or rename the "
                          "annotation after its seed"]))
        seeded = False
    else:
        seeded = True
    if memo is not None and memo.call_same(
            "references known", source.path, (source, names),
            lambda _: _references_known(project, source), Diagnostics()):
        return seeded
    for claim in source.claims:
        for topic_id, loc in zip(claim.topics, claim.topic_locations, strict=True):
            if topic_id not in project.topics and not _failed_to_load(
                    project, topic_path(topic_id), diags):
                diags.error(loc, f"unknown topic '{topic_id}'",
                            *(did_you_mean(topic_id, project.topics)
                              or [f"known topics: {', '.join(sorted(project.topics))}"]),
                            f"to add a topic, create {topic_path(topic_id)} starting with "
                            "front matter: ---, title: …, ---")
        if (claim.speaker and claim.speaker not in project.entities
                and not _failed_to_load(project, ENTITIES_FILE, diags)):
            diags.error(claim.speaker_location, f"unknown entity '{claim.speaker}'",
                        *(did_you_mean(claim.speaker, project.entities)
                          or [f"add it to {ENTITIES_FILE}"]))
    return False
