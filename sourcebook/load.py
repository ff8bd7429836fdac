"""The load stage: files on disk → a Project of typed, located, not-yet-anchored content."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from pathlib import Path

from .config import load_config
from .diagnostics import Diagnostics, Location
from .fields import Fields, did_you_mean
from .memo import Memo
from .model import (
    ID_PATTERN,
    SOURCE_ID_PATTERN,
    ClaimSpec,
    Entity,
    ExcludeSpec,
    FactCitation,
    FactStatus,
    Project,
    QuoteSelector,
    Seed,
    SourceDoc,
    Stance,
    Status,
    Topic,
)
from .textio import decode_text
from .yamldoc import YamlDoc, parse_yaml

SOURCE_KEYS = ("title", "outlet", "author", "agency", "published", "url", "retrieved", "exclude",
               "claims")
CLAIM_KEYS = ("fact", "quote", "prefix", "suffix", "topics", "statement", "speaker", "date",
              "stance", "note")
EXCLUDE_KEYS = ("quote", "prefix", "suffix", "reason")
TOPIC_KEYS = ("title", "summary", "aliases", "order")
ENTITY_KEYS = ("name", "kind", "role", "aliases")
ENTITY_KINDS = ("person", "organisation")
STATUS_KEYS = ("status", "reason", "date")
STATUS_FILE = "content/status.yaml"

CITATION = re.compile(r"\[@([^\]\s]*)\]")


def load_project(root: Path, diags: Diagnostics, base_url: str | None = None,
                 memo: Memo | None = None) -> Project:
    memo = memo or Memo()
    config = load_config(root, diags, base_url)
    seeds = load_seeds(root, diags)
    sources = load_sources(root, diags, memo)
    topics = load_topics(root, diags, memo)
    entities = load_entities(root, diags)
    statuses = load_statuses(root, diags)
    project = Project(root, config, seeds, sources, topics, entities, statuses)
    check_references(project, diags)
    return project


# --- seeds ---


def load_seeds(root: Path, diags: Diagnostics) -> dict[str, Seed]:
    seeds: dict[str, Seed] = {}
    folder = root / "seeds"
    if not folder.is_dir():
        diags.error(Location("seeds/"), "the seeds/ folder is missing",
                    "put each article as seeds/<source>.txt")
        return seeds
    for path in sorted(folder.glob("*.txt")):
        seed = read_seed(path, diags)
        if seed is not None:
            seeds[seed.id] = seed
    return seeds


def read_seed(path: Path, diags: Diagnostics) -> Seed | None:
    """seeds/<id>.txt as a Seed: its text (UTF-8, BOM dropped) and the hash of its bytes."""
    rel = f"seeds/{path.name}"
    data = path.read_bytes()
    text = decode_text(data, rel, diags)
    if text is None:
        return None
    if not text.strip():
        diags.error(Location(rel), "the seed is empty", "save the article's text in it")
        return None
    return Seed(path.stem, rel, text, hashlib.sha256(data).hexdigest())


# --- annotations ---


def load_sources(root: Path, diags: Diagnostics, memo: Memo) -> dict[str, SourceDoc]:
    sources: dict[str, SourceDoc] = {}
    for path in sorted((root / "content" / "sources").glob("*.yaml")):
        rel = path.relative_to(root).as_posix()
        data = path.read_bytes()
        source = memo.call(
            "source", source_key(rel, data),
            lambda d, rel=rel, data=data, stem=path.stem: parse_source_file(stem, rel, data, d),
            diags)
        if source is not None:
            sources[source.id] = source
    return sources


def source_key(rel: str, data: bytes) -> tuple[str, str]:
    """The memo key of an annotation: its path and the hash of its bytes."""
    return (rel, hashlib.sha256(data).hexdigest())


def parse_source_file(stem: str, rel: str, data: bytes, diags: Diagnostics) -> SourceDoc | None:
    text = decode_text(data, rel, diags)
    doc = parse_yaml(text, rel, diags) if text is not None else None
    source = read_source(stem, doc, diags) if doc is not None else None
    if source is None:
        return None
    return dataclasses.replace(source, digest=hashlib.sha256(data).hexdigest())


def _read_yaml(path: Path, root: Path, diags: Diagnostics) -> YamlDoc | None:
    rel = path.relative_to(root).as_posix()
    text = decode_text(path.read_bytes(), rel, diags)
    return parse_yaml(text, rel, diags) if text is not None else None


def read_source(source_id: str, doc: YamlDoc, diags: Diagnostics) -> SourceDoc | None:
    if not SOURCE_ID_PATTERN.match(source_id):
        diags.error(doc.loc(), f"'{source_id}' is not a usable source name",
                    "use letters, digits, '-' and '_' in file names")
        return None
    fields = Fields(doc, diags)
    if not fields.require_mapping("an annotation"):
        return None
    fields.check_keys(SOURCE_KEYS)
    url = fields.text("url")
    if url is not None and not re.match(r"^https?://\S+$", url):
        diags.error(fields.loc("url"), f"'url' must be an http(s) address, not '{url}'",
                    "write the article's full address, e.g. https://example.com/story")
        url = None
    return SourceDoc(
        id=source_id,
        path=doc.path,
        title=fields.text("title", required=True, example="The article's headline") or "",
        outlet=fields.text("outlet"),
        author=fields.text("author"),
        agency=fields.text("agency"),
        published=fields.date("published"),
        url=url,
        retrieved=fields.date("retrieved"),
        exclude=tuple(_read_excludes(doc, diags)),
        claims=tuple(_read_claims(source_id, doc, diags)),
    )


def _list_at(doc: YamlDoc, diags: Diagnostics, key: str) -> list:
    data = doc.data if isinstance(doc.data, dict) else {}
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        diags.error(doc.loc(key), f"'{key}' must be a list of entries",
                    "start each entry on its own line with '- '")
        return []
    return value


def _selector(fields: Fields, quote: str) -> QuoteSelector:
    return QuoteSelector(quote, fields.raw_text("prefix"), fields.raw_text("suffix"),
                         fields.loc("quote"))


def _read_excludes(doc: YamlDoc, diags: Diagnostics) -> list[ExcludeSpec]:
    excludes = []
    for i, item in enumerate(_list_at(doc, diags, "exclude")):
        if isinstance(item, str):
            if not item.strip():
                diags.error(doc.loc("exclude", i), "an exclude passage is empty")
                continue
            loc = doc.loc("exclude", i)
            excludes.append(ExcludeSpec(QuoteSelector(item, "", "", loc), None))
            continue
        fields = Fields(doc, diags, ("exclude", i))
        if not fields.require_mapping("an exclude entry"):
            continue
        fields.check_keys(EXCLUDE_KEYS)
        quote = fields.text("quote", required=True, example='"the boilerplate text"')
        if quote is not None:
            excludes.append(ExcludeSpec(_selector(fields, quote), fields.text("reason")))
    return excludes


def _read_claims(source_id: str, doc: YamlDoc, diags: Diagnostics) -> list[ClaimSpec]:
    claims: list[ClaimSpec] = []
    seen: dict[tuple[str, str, str, str], ClaimSpec] = {}
    for i, _item in enumerate(_list_at(doc, diags, "claims")):
        fields = Fields(doc, diags, ("claims", i))
        if not fields.require_mapping("a claim"):
            continue
        fields.check_keys(CLAIM_KEYS)
        fact_id = fields.identifier("fact", required=True)
        quote = fields.text("quote", required=True, example='"the exact words in the seed"')
        stance_text = fields.text("stance") or Stance.SUPPORTS.value
        try:
            stance = Stance(stance_text)
        except ValueError:
            diags.error(fields.loc("stance"), f"unknown stance '{stance_text}'",
                        *(did_you_mean(stance_text, [s.value for s in Stance])
                          or ["use 'supports' or 'disputes'"]))
            stance = Stance.SUPPORTS
        topics = fields.text_list("topics")
        speaker = fields.text("speaker")
        date = fields.date("date")
        statement = fields.text("statement")
        if fact_id is None or quote is None:
            continue
        identity = (fact_id, quote, fields.raw_text("prefix"), fields.raw_text("suffix"))
        if identity in seen:
            diags.error(doc.loc("claims", i), f"duplicate claim: fact '{fact_id}' already cites "
                        "this quote", f"the first one is at {seen[identity].location}",
                        "remove one of them")
            continue
        claims.append(ClaimSpec(
            source_id=source_id,
            index=i,
            fact_id=fact_id,
            selector=_selector(fields, quote),
            topics=tuple(t for t, _ in topics),
            statement=statement,
            speaker=speaker,
            date=date,
            stance=stance,
            note=fields.text("note"),
            location=doc.loc("claims", i),
            topic_locations=tuple(doc.loc(*p) for _, p in topics),
            statement_location=fields.loc("statement"),
            speaker_location=fields.loc("speaker"),
            date_location=fields.loc("date"),
        ))
        seen[identity] = claims[-1]
    return claims


# --- topics ---


def load_topics(root: Path, diags: Diagnostics, memo: Memo) -> dict[str, Topic]:
    topics: dict[str, Topic] = {}
    for path in sorted((root / "content" / "topics").glob("*.md")):
        rel = path.relative_to(root).as_posix()
        data = path.read_bytes()
        topic = memo.call("topic", (rel, hashlib.sha256(data).hexdigest()),
                          lambda d, rel=rel, data=data, stem=path.stem: _parse_topic(stem, rel,
                                                                                    data, d),
                          diags)
        if topic is not None:
            topics[topic.id] = topic
    return topics


def _parse_topic(stem: str, rel: str, data: bytes, diags: Diagnostics) -> Topic | None:
    text = decode_text(data, rel, diags)
    return read_topic(stem, rel, text, diags) if text is not None else None


def split_front_matter(text: str) -> tuple[str, str, int] | str:
    """(front matter, body, the body's first line number), or what is wrong with it."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n") != "---":
        return "the topic has no front matter"
    for i in range(1, len(lines)):
        if lines[i].rstrip("\r\n") in ("---", "..."):
            return "".join(lines[1:i]), "".join(lines[i + 1:]), i + 2
    return "the front matter is not closed"


def read_topic(topic_id: str, rel: str, text: str, diags: Diagnostics) -> Topic | None:
    if not ID_PATTERN.match(topic_id):
        diags.error(Location(rel), f"'{topic_id}' is not a valid topic id",
                    "name topic files with lowercase letters, digits and hyphens, e.g. s-400.md")
        return None
    parts = split_front_matter(text)
    if isinstance(parts, str):
        diags.error(Location(rel), parts,
                    "start the file with a '---' line, then `title: …`, then another '---' line")
        return None
    front, body, body_line = parts
    doc = parse_yaml(front, rel, diags, line_offset=1)
    if doc is None:
        return None
    fields = Fields(doc, diags)
    if not fields.require_mapping("the front matter"):
        return None
    fields.check_keys(TOPIC_KEYS)
    citations = []
    for match in CITATION.finditer(body):
        before = body[: match.start()]
        line = body_line + before.count("\n")
        col = match.start() - (before.rfind("\n") + 1) + 1
        citations.append(FactCitation(match.group(1), Location(rel, line, col)))
    return Topic(
        id=topic_id,
        path=rel,
        title=fields.text("title", required=True, example=topic_id.upper()) or topic_id,
        summary=fields.text("summary") or "",
        aliases=tuple(a for a, _ in fields.text_list("aliases")),
        order=fields.integer("order", 1000),
        body=body,
        citations=tuple(citations),
    )


# --- entities ---


def load_entities(root: Path, diags: Diagnostics) -> dict[str, Entity]:
    path = root / "content" / "entities.yaml"
    if not path.is_file():
        return {}
    doc = _read_yaml(path, root, diags)
    if doc is None or doc.data is None:
        return {}
    if not Fields(doc, diags).require_mapping("entities.yaml"):
        return {}
    entities: dict[str, Entity] = {}
    for entity_id in doc.data:
        if not ID_PATTERN.match(str(entity_id)):
            diags.error(doc.key_loc(entity_id), f"'{entity_id}' is not a valid entity id",
                        "use lowercase letters, digits and hyphens, e.g. john-kirby")
            continue
        fields = Fields(doc, diags, (entity_id,))
        if not fields.require_mapping(f"entity '{entity_id}'"):
            continue
        fields.check_keys(ENTITY_KEYS)
        kind = fields.text("kind") or "person"
        if kind not in ENTITY_KINDS:
            diags.error(fields.loc("kind"), f"unknown entity kind '{kind}'",
                        *(did_you_mean(kind, ENTITY_KINDS)
                          or ["use 'person' or 'organisation'"]))
        entities[entity_id] = Entity(
            id=entity_id,
            name=fields.text("name", required=True, example="Full Name") or entity_id,
            kind=kind,
            role=fields.text("role") or "",
            aliases=tuple(a for a, _ in fields.text_list("aliases")),
        )
    return entities


# --- fact statuses ---


def load_statuses(root: Path, diags: Diagnostics) -> dict[str, FactStatus]:
    """content/status.yaml (optional): fact id → {status, reason, date}."""
    path = root / STATUS_FILE
    if not path.is_file():
        return {}
    doc = _read_yaml(path, root, diags)
    if doc is None or doc.data is None:
        return {}
    if not Fields(doc, diags).require_mapping("status.yaml"):
        return {}
    choices = [s.value for s in Status]
    statuses: dict[str, FactStatus] = {}
    for fact_id in doc.data:
        fields = Fields(doc, diags, (fact_id,))
        if not fields.require_mapping(f"the status of '{fact_id}'"):
            continue
        fields.check_keys(STATUS_KEYS)
        value = fields.text("status", required=True, example="disputed")
        reason = fields.text("reason", required=True,
                             example="Why, in a sentence a reader can check")
        date = fields.date("date")
        if value is None or reason is None:
            continue
        if value not in choices:
            diags.error(fields.loc("status"), f"unknown status '{value}'",
                        *(did_you_mean(value, choices) or [f"use one of: {', '.join(choices)}"]))
            continue
        statuses[str(fact_id)] = FactStatus(str(fact_id), Status(value), reason, date,
                                            doc.key_loc(fact_id))
    return statuses


# --- cross references ---


def _failed_to_load(project: Project, rel: str, diags: Diagnostics) -> bool:
    """A reference into a file that exists but has errors: its errors say enough."""
    return (project.root / rel).is_file() and any(
        d.location.path == rel for d in diags.errors)


def check_references(project: Project, diags: Diagnostics) -> None:
    for source in project.sources.values():
        if source.id not in project.seeds:
            diags.error(Location(source.path),
                        f"no seed for this annotation: seeds/{source.id}.txt",
                        *(did_you_mean(source.id, project.seeds)
                          or [f"save the article as seeds/{source.id}.txt, or rename the "
                              "annotation after its seed"]))
        for claim in source.claims:
            for topic_id, loc in zip(claim.topics, claim.topic_locations, strict=True):
                if topic_id not in project.topics and not _failed_to_load(
                        project, f"content/topics/{topic_id}.md", diags):
                    diags.error(loc, f"unknown topic '{topic_id}'",
                                *(did_you_mean(topic_id, project.topics)
                                  or [f"known topics: {', '.join(sorted(project.topics))}"]))
            if (claim.speaker and claim.speaker not in project.entities
                    and not _failed_to_load(project, "content/entities.yaml", diags)):
                diags.error(claim.speaker_location, f"unknown entity '{claim.speaker}'",
                            *(did_you_mean(claim.speaker, project.entities)
                              or ["add it to content/entities.yaml"]))
    for seed_id, seed in project.seeds.items():
        # An annotation that exists but failed to load has been reported already.
        if not (project.root / "content" / "sources" / f"{seed_id}.yaml").exists():
            diags.warning(Location(seed.path), "this seed has no annotation",
                          f"create content/sources/{seed_id}.yaml to cite it")
