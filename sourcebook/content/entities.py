"""People and organisations (content/entities.yaml), and the researcher's verdicts on facts
(content/status.yaml). Both files are optional."""

from __future__ import annotations

import os
from pathlib import Path

from ..diagnostics import Diagnostics
from .fields import Fields
from .ids import ID_RULE, is_id, slugify
from .layout import ENTITIES_FILE, STATUS_FILE
from .model import Entity, FactStatus, Limits, Status
from .schema import ENTITY, STATUS
from .yamldoc import DEFAULT_LIMITS, YamlDoc, read_yaml_file


def _mapping_file(root: Path, rel: str, diags: Diagnostics, limits: Limits) -> YamlDoc | None:
    """An optional file that maps ids to entries; None when absent, empty or unusable."""
    if not os.path.lexists(root / rel):
        return None
    doc = read_yaml_file(root, rel, diags, limits)
    if doc is None or doc.data is None:
        return None
    return doc if Fields(doc, diags).require_mapping(rel.rsplit("/", 1)[-1]) else None


def load_entities(root: Path, diags: Diagnostics,
                  limits: Limits = DEFAULT_LIMITS) -> dict[str, Entity]:
    """content/entities.yaml (optional): entity id → name, kind, role, aliases."""
    doc = _mapping_file(root, ENTITIES_FILE, diags, limits)
    if doc is None:
        return {}
    entities: dict[str, Entity] = {}
    for entity_id in doc.data:
        if not isinstance(entity_id, str) or not is_id(entity_id):
            diags.error(doc.key_loc(entity_id), f"'{entity_id}' is not a valid entity id",
                        f"use {ID_RULE}, e.g. {slugify(str(entity_id))}")
            continue
        fields = Fields(doc, diags, (entity_id,))
        if not fields.require_mapping(f"entity '{entity_id}'"):
            continue
        values = fields.read_all(ENTITY)
        entities[entity_id] = Entity(
            id=entity_id,
            name=values["name"] or entity_id,
            kind=values["kind"],
            role=values["role"] or "",
            aliases=tuple(a for a, _ in values["aliases"]),
        )
    return entities


def load_statuses(root: Path, diags: Diagnostics,
                  limits: Limits = DEFAULT_LIMITS) -> dict[str, FactStatus]:
    """content/status.yaml (optional): fact id → status, reason, date."""
    doc = _mapping_file(root, STATUS_FILE, diags, limits)
    if doc is None:
        return {}
    statuses: dict[str, FactStatus] = {}
    for fact_id in doc.data:
        fields = Fields(doc, diags, (fact_id,))
        if not fields.require_mapping(f"the status of '{fact_id}'"):
            continue
        values = fields.read_all(STATUS)
        if values["status"] is None or values["reason"] is None:
            continue
        statuses[str(fact_id)] = FactStatus(str(fact_id), Status(values["status"]),
                                            values["reason"], values["date"],
                                            doc.key_loc(fact_id))
    return statuses
