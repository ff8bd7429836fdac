"""People and organisations (content/entities.yaml), the researcher's verdicts on facts
(content/status.yaml), and what each outlet is (content/outlets.yaml). All three files are
optional."""

from __future__ import annotations

import os
from pathlib import Path

from ..diagnostics import Diagnostics
from .fields import Fields
from .ids import ID_RULE, is_id, slugify
from .layout import ENTITIES_FILE, OUTLETS_FILE, STATUS_FILE
from .model import Entity, FactStatus, Limits, OutletDescription, Status
from .schema import ENTITY, OUTLET, STATUS
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


def load_outlets(root: Path, diags: Diagnostics,
                 limits: Limits = DEFAULT_LIMITS) -> dict[str, OutletDescription]:
    """content/outlets.yaml (optional): an outlet's name, as annotations write it → its
    description, kind and home page. Whether a source names the outlet is checked once the
    sources are known (research.facts)."""
    doc = _mapping_file(root, OUTLETS_FILE, diags, limits)
    if doc is None:
        return {}
    outlets: dict[str, OutletDescription] = {}
    for name in doc.data:
        if not isinstance(name, str) or not name.strip():
            diags.error(doc.key_loc(name), f"'{name}' is not an outlet's name",
                        "write the outlet as the annotations' `outlet:` lines name it, "
                        "e.g. `Mint:`")
            continue
        fields = Fields(doc, diags, (name,))
        if not fields.require_mapping(f"outlet '{name}'"):
            continue
        values = fields.read_all(OUTLET)
        if values["description"] is None:
            continue
        outlets[name] = OutletDescription(name, values["description"], values["kind"],
                                          values["url"] or "", doc.key_loc(name))
    return outlets
