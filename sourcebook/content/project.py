"""The load stage as a whole: the project folder → a Project, with every cross-reference that
can be checked without the seeds' text checked."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..diagnostics import Diagnostics, Location
from ..files import folder_ok
from ..memo import Memo
from .config import load_config
from .entities import load_entities, load_outlets, load_statuses
from .fields import did_you_mean
from .findings import load_findings
from .layout import (
    ENTITIES_FILE,
    FACTS_DIR,
    TEMPLATES_DIR,
    annotation_path,
    seed_path,
    topic_path,
)
from .model import Project, SourceDoc
from .sources import load_seeds, load_sources
from .topics import load_topics


def load_project(root: Path, diags: Diagnostics, base_url: str | None = None,
                 memo: Memo | None = None) -> Project:
    """Read every input of the project; problems are reported in `diags`, never raised.

    What failed to load is left out, so later stages see only sound values; `memo` lets an
    unchanged annotation or topic skip parsing."""
    memo = memo or Memo()
    config = load_config(root, diags, base_url)
    limits = config.limits
    check_layout(root, diags)
    seeds = load_seeds(root, diags, limits, memo)
    sources = load_sources(root, diags, memo, limits)
    topics = load_topics(root, diags, memo, config.allow_raw_html, limits)
    entities = load_entities(root, diags, limits)
    statuses = load_statuses(root, diags, limits)
    outlets = load_outlets(root, diags, limits)
    findings = load_findings(root, diags, config.allow_raw_html, limits)
    project = Project(root, config, seeds, sources, topics, entities, statuses,
                      findings=findings, outlets=outlets)
    check_references(project, diags, memo)
    return project


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


def check_references(project: Project, diags: Diagnostics, memo: Memo | None = None) -> None:
    """Annotations name their seeds, topics and speakers; seeds have annotations. With
    `memo`, an annotation found sound before, against the same topic and entity ids, is not
    checked claim by claim again."""
    names = hashlib.blake2b("\n".join((*project.topics, "", *project.entities)).encode(),
                            digest_size=16).hexdigest()
    for source in project.sources.values():
        if source.id not in project.seeds:
            diags.error(Location(source.path),
                        f"no seed for this annotation: {seed_path(source.id)}",
                        *(did_you_mean(source.id, project.seeds)
                          or [f"save the article as {seed_path(source.id)}, or rename the "
                              "annotation after its seed"]))
        if memo is not None and memo.call_same(
                "references known", source.path, (source, names),
                lambda _, source=source: _references_known(project, source), Diagnostics()):
            continue
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
    for seed_id, seed in project.seeds.items():
        # An annotation that exists but failed to load has been reported already.
        if (seed_id not in project.sources
                and not (project.root / annotation_path(seed_id)).exists()):
            diags.warning(Location(seed.path), "this seed has no annotation",
                          f"run `python build.py new {seed.path}` to draft "
                          f"{annotation_path(seed_id)}, then cite its claims")
