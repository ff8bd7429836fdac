"""YAML documents that remember where every key and value came from.

PyYAML's node tree carries marks; we convert it to plain Python values and keep a side table
from key paths such as ("claims", 3, "quote") to (line, col). Dates stay strings so that we
parse them ourselves with their precision (2018-10 is a month, not a day).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import Diagnostics, Location
from .textio import decode_text

try:  # libyaml's C parser when available: same node tree, faster
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

KeyPath = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_constructor = yaml.constructor.SafeConstructor()


@dataclass
class YamlDoc:
    """A parsed YAML document and the positions of its parts."""

    path: str
    data: Any
    value_marks: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)

    def loc(self, *keypath: str | int) -> Location:
        """Where the value at keypath starts, or the nearest enclosing value."""
        path: KeyPath = tuple(keypath)
        while path not in self.value_marks and path:
            path = path[:-1]
        line, col = self.value_marks.get(path, (1, 1))
        return Location(self.path, line, col)

    def key_loc(self, *keypath: str | int) -> Location:
        """Where the key of keypath stands (for unknown or misspelt keys)."""
        path: KeyPath = tuple(keypath)
        if path in self.key_marks:
            line, col = self.key_marks[path]
            return Location(self.path, line, col)
        return self.loc(*keypath)


class _Converter:
    def __init__(self, doc: YamlDoc, diags: Diagnostics, line_offset: int) -> None:
        self.doc = doc
        self.diags = diags
        self.line_offset = line_offset

    def mark(self, node: yaml.Node) -> tuple[int, int]:
        """Where a node starts in the file: 1-based line and column."""
        return (node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1)

    def convert(self, node: yaml.Node, path: KeyPath) -> Any:
        """A node as plain Python values, recording where each key and value starts; a duplicate key
        is reported and skipped."""
        self.doc.value_marks[path] = self.mark(node)
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.convert_key(key_node)
                child = (*path, key)
                if key in result:
                    line, col = self.mark(key_node)
                    first = self.doc.key_marks[child]
                    self.diags.error(
                        Location(self.doc.path, line, col),
                        f"duplicate key '{key}'",
                        f"it is already set at line {first[0]}; keep one of them",
                    )
                    continue
                self.doc.key_marks[child] = self.mark(key_node)
                result[key] = self.convert(value_node, child)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*path, i)) for i, item in enumerate(node.value)]
        return self.scalar(node)

    def convert_key(self, node: yaml.Node) -> Any:
        """A mapping key as a plain value; a key that is not a scalar is reported."""
        if isinstance(node, yaml.ScalarNode):
            return str(node.value) if node.tag == _TAG + "timestamp" else self.scalar(node)
        line, col = self.mark(node)
        self.diags.error(Location(self.doc.path, line, col), "a key must be a plain word")
        return f"<invalid key at {line}:{col}>"

    @staticmethod
    def scalar(node: yaml.Node) -> Any:
        """Numbers, booleans and null as such; everything else (dates, odd tags) as text."""
        tag = node.tag
        if tag == _TAG + "null":
            return None
        if tag in (_TAG + "int", _TAG + "float", _TAG + "bool"):
            try:
                return _constructor.construct_object(node, deep=True)
            except (yaml.YAMLError, ValueError):
                return str(node.value)
        return str(node.value)


def parse_yaml(
    text: str, path: str, diags: Diagnostics, *, line_offset: int = 0
) -> YamlDoc | None:
    """Parse one YAML document; on a syntax error, record it and return None."""
    doc = YamlDoc(path=path, data=None)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else 1 + line_offset
        col = (mark.column + 1) if mark else 1
        problem = exc.problem or exc.context or "malformed YAML"
        hints = []
        if exc.context and exc.problem:
            hints.append(f"{exc.context}")
        hints.append("check indentation, and quote text that contains ': ' or starts with a quote")
        diags.error(Location(path, line, col), f"malformed YAML: {problem}", *hints)
        return None
    except yaml.YAMLError as exc:
        diags.error(Location(path, 1 + line_offset, 1), f"malformed YAML: {exc}")
        return None
    if node is None:
        doc.data = None
        doc.value_marks[()] = (1 + line_offset, 1)
        return doc
    doc.data = _Converter(doc, diags, line_offset).convert(node, ())
    return doc


def read_yaml_file(root: Path, rel: str, diags: Diagnostics) -> YamlDoc | None:
    """A project file read as UTF-8 YAML; None (reported) if it cannot be."""
    text = decode_text((root / rel).read_bytes(), rel, diags)
    return parse_yaml(text, rel, diags) if text is not None else None
