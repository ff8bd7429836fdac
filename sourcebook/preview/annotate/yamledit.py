"""Edits of an annotation that keep the file as the researcher wrote it.

The preview adds, changes and removes entries of `claims:` and `exclude:` with ruamel.yaml's
round trip, which keeps every comment, blank line, key order and quoting style; PyYAML stays
the reader everywhere else, and reads every edited file back: the edit is kept only if the
file then holds exactly the old data with exactly this change. Files are replaced atomically
(a temporary file in the same folder, then `os.replace`), so the watcher and the build never
see half a file.
"""

from __future__ import annotations

import copy
import datetime
import difflib
import hashlib
import io
import os
import re
import secrets
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

# The keys of a new claim, in the order the format's examples write them.
CLAIM_ORDER = ("fact", "quote", "prefix", "suffix", "topics", "statement", "speaker", "date",
               "stance", "note")
QUOTED = frozenset({"quote", "prefix", "suffix"})  # written in double quotes, as the examples


class EditFailed(ValueError):
    """An edit that would change more than it should (the file is left alone)."""


def sha256(data: bytes) -> str:
    """The digest a version of an annotation is known by (SourceDoc.digest)."""
    return hashlib.sha256(data).hexdigest()


def _round_trip(text: str) -> YAML:
    loader = YAML()  # round trip
    loader.preserve_quotes = True
    loader.width = 1 << 16  # never fold a long line
    dash = re.search(r"^( *)- ", text, re.MULTILINE)
    offset = len(dash.group(1)) if dash else 2
    loader.indent(mapping=2, sequence=offset + 2, offset=offset)
    return loader


def _scalar(key: str, value: Any) -> Any:
    if key in QUOTED:
        return DoubleQuotedScalarString(value)
    if key == "date" and isinstance(value, str):
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return datetime.date.fromisoformat(value)  # written plain, as the examples
        if re.fullmatch(r"\d{4}", value):
            return int(value)
    if key == "topics":
        seq = CommentedSeq(value)
        seq.fa.set_flow_style()  # topics: [a, b]
        return seq
    return value


def entry(fields: dict[str, Any]) -> CommentedMap:
    """A new claim or exclude entry: its non-empty fields in the format's order."""
    made = CommentedMap()
    for key in sorted(fields, key=lambda k: CLAIM_ORDER.index(k) if k in CLAIM_ORDER else 99):
        if fields[key] not in ("", None, [], ()):
            made[key] = _scalar(key, fields[key])
    return made


def _edit(data: bytes, change: Callable[[Any], None]) -> bytes:
    """The file with `change` applied to its round-trip tree, proved to differ from the old
    file by that change alone (as PyYAML reads both)."""
    text = data.decode("utf-8")
    loader = _round_trip(text)
    tree = loader.load(text)
    if not isinstance(tree, CommentedMap):
        raise EditFailed("the annotation is not a mapping of keys to values")
    change(tree)
    out = io.StringIO()
    loader.dump(tree, out)
    after = out.getvalue().encode("utf-8")
    expected = yaml.safe_load(text) or {}
    change(expected)
    if _plain(yaml.safe_load(after)) != _plain(expected):
        raise EditFailed("writing the change would have changed other values of the file")
    return after


def _plain(value: Any) -> Any:
    """Values as PyYAML and a change made on plain data both give them (dates as text)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime.date | int) and not isinstance(value, bool):
        return str(value)
    return str(value) if value is not None else None


def append(data: bytes, key: str, fields: dict[str, Any]) -> bytes:
    """The annotation with a new entry at the end of its list `key` (`claims` or `exclude`),
    the list made if the file has none."""
    def change(tree: Any) -> None:
        made = entry(fields) if isinstance(tree, CommentedMap) else {
            k: v for k, v in fields.items() if v not in ("", None, [], ())}
        if not isinstance(made, CommentedMap) and "date" in made:
            made["date"] = str(made["date"])
        if tree.get(key) is None:
            tree[key] = CommentedSeq() if isinstance(tree, CommentedMap) else []
        tree[key].append(made)
    return _spaced(data, _edit(data, change), key)


def _spaced(before: bytes, after: bytes, key: str) -> bytes:
    """A new last entry set off by a blank line when the list's entries are (a blank line is
    no data: the file stays proved by _edit)."""
    old, new = before.decode("utf-8").splitlines(), after.decode("utf-8").splitlines()
    block = re.search(rf"^{re.escape(key)}:\n((?:[ #].*\n|\n)*)",
                      before.decode("utf-8"), re.MULTILINE)
    if not block or not re.search(r"\n\n *- ", block.group(1)):
        return after
    added = [op for op in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
             if op[0] != "equal"]
    if len(added) != 1 or added[0][0] != "insert" or added[0][3] == 0 \
            or not new[added[0][3] - 1].strip():
        return after
    at = added[0][3]
    end = "\n" if after.endswith(b"\n") else ""
    return ("\n".join([*new[:at], "", *new[at:]]) + end).encode("utf-8")


def update(data: bytes, key: str, index: int, fields: dict[str, Any]) -> bytes:
    """The annotation with entry `index` of `key` changed: each field given is set, or
    removed when given empty."""
    def change(tree: Any) -> None:
        item = _item(tree, key, index)
        for name, value in fields.items():
            if value in ("", None, [], ()):
                if name in item and isinstance(item, CommentedMap):
                    _pass_on_comment(item, name)
                item.pop(name, None)
            elif isinstance(item.get(name), CommentedSeq) and isinstance(value, list):
                item[name][:] = value  # in place: a block list stays a block list
            elif isinstance(tree, CommentedMap):
                item[name] = _scalar(name, value)
            else:
                item[name] = copy.copy(value)
    return _edit(data, change)


def _pass_on_comment(mapping: CommentedMap, key: Any) -> None:
    """Before the last key of a mapping goes, give the comments and blank lines that follow
    its value to the value before it, so that they stay in the file."""
    keys = list(mapping)
    if keys[-1] == key and len(keys) > 1:
        _hand_on(_trailing(mapping), mapping, keys[-2])


def _trailing(mapping: CommentedMap) -> Any:
    """The comment after a mapping's last value, in the shape a key's comment has."""
    last = list(mapping)[-1]
    value = mapping[last]
    if isinstance(value, CommentedSeq) and value and not value.fa.flow_style():
        found = value.ca.items.get(len(value) - 1)
        return [None, None, found[0], None] if found and found[0] is not None else None
    return mapping.ca.items.get(last)


def _hand_on(comment: Any, mapping: Any, key: Any) -> None:
    """Make `comment` (the one after a value that goes) follow mapping[key] instead."""
    if comment is None or comment[2] is None:
        return
    value = mapping[key]
    if isinstance(value, CommentedSeq) and value and not value.fa.flow_style():
        if _blank(value.ca.items.get(len(value) - 1), 0):  # after a block list's last item
            value.ca.items[len(value) - 1] = [comment[2], None, None, None]
    elif not isinstance(value, dict | list) and _blank(mapping.ca.items.get(key), 2):
        mapping.ca.items[key] = comment


def _blank(comment: Any, at: int) -> bool:
    """Whether a comment slot holds nothing but blank lines (which the new comment, whose
    own blank lines come with it, replaces)."""
    return comment is None or comment[at] is None or not comment[at].value.strip()


def remove(data: bytes, key: str, index: int) -> bytes:
    """The annotation without entry `index` of `key` (and without `key` once it is empty)."""
    def change(tree: Any) -> None:
        items = tree[key] if isinstance(_item(tree, key, index), CommentedMap) else None
        if items is not None and index == len(items) - 1 and index > 0 \
                and items[index] and items[index - 1]:
            # The comments after the last entry stay, after the entry before it.
            _hand_on(_trailing(items[index]), items[index - 1], list(items[index - 1])[-1])
        del tree[key][index]
        if not tree[key]:
            del tree[key]
    return _edit(data, change)


def _item(tree: Any, key: str, index: int) -> Any:
    items = tree.get(key)
    if not isinstance(items, list) or not 0 <= index < len(items) \
            or not isinstance(items[index], dict):
        raise EditFailed(f"the annotation has no entry {index + 1} under '{key}'")
    return items[index]


def write_atomic(path: Path, data: bytes) -> None:
    """Replace the file in one step: a reader sees the old bytes or the new, never half."""
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


@dataclass(frozen=True, slots=True)
class Written:
    """One write of the preview: the file, its bytes before and after."""

    path: Path
    before: bytes
    after: bytes


class UndoStack:
    """The writes of this preview, each undone by its random id while the file is still
    exactly what that write left."""

    def __init__(self) -> None:
        self._writes: dict[str, Written] = {}
        self._lock = threading.Lock()

    def push(self, written: Written) -> str:
        """Keep a write; its undo id."""
        undo_id = secrets.token_urlsafe(16)
        with self._lock:
            self._writes[undo_id] = written
        return undo_id

    def take(self, undo_id: str) -> Written | None:
        """The write with this id, forgotten (None if there is none)."""
        with self._lock:
            return self._writes.pop(undo_id, None)

    def put_back(self, undo_id: str, written: Written) -> None:
        """Keep a write again after an undo that could not be done."""
        with self._lock:
            self._writes[undo_id] = written
