"""YAML documents that remember where every key and value came from.

PyYAML's node tree carries marks; we convert it to plain Python values and keep a side table
from key paths such as ("claims", 3, "quote") to (line, col). Dates stay strings so that we
parse them ourselves with their precision (2018-10 is a month, not a day).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import Diagnostics, Location
from ..files import read
from .model import Limits
from .textio import decode_text
from .yamlslips import explain, explain_character

DEFAULT_LIMITS = Limits()

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


# Control characters a value may not hold (tab and line breaks may): they corrupt pages and
# feeds, and can rewrite a terminal's line when an error message shows the value.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class _Converter:
    """Converts a node tree, within the limits: how deep values nest, how many aliases are
    expanded (a few aliases of aliases would otherwise grow to gigabytes), how long a value is,
    and which characters it may hold."""

    def __init__(self, doc: YamlDoc, diags: Diagnostics, line_offset: int,
                 limits: Limits) -> None:
        self.doc = doc
        self.diags = diags
        self.line_offset = line_offset
        self.limits = limits
        self.containers: set[int] = set()  # the mappings and lists converted so far
        self.aliases = 0
        self.stopped = False  # a limit was reached: the rest of the file is not converted

    def _over(self, node: yaml.Node, message: str, hint: str) -> None:
        if not self.stopped:
            self.diags.error(Location(self.doc.path, *self.mark(node)), message, hint)
        self.stopped = True

    def mark(self, node: yaml.Node) -> tuple[int, int]:
        """Where a node starts in the file: 1-based line and column."""
        return (node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1)

    def convert(self, node: yaml.Node, path: KeyPath) -> Any:
        """A node as plain Python values, recording where each key and value starts; a duplicate key
        is reported and skipped."""
        self.doc.value_marks[path] = self.mark(node)
        if self.stopped:
            return None
        if len(path) > self.limits.yaml_depth:
            self._over(node, f"values nest more than {self.limits.yaml_depth} levels deep",
                       "no sourcebook file nests this deeply; if it must, raise "
                       "`limits: {yaml_depth: …}` in content/site.yaml")
            return None
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            if id(node) in self.containers:  # an alias: the same node again
                self.aliases += 1
                if self.aliases > self.limits.yaml_aliases:
                    self._over(node, f"more than {self.limits.yaml_aliases} YAML aliases "
                               "(*name) are expanded in this file",
                               "write the values out instead of repeating them with aliases")
                    return None
            self.containers.add(id(node))
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

    def scalar(self, node: yaml.Node) -> Any:
        """Numbers, booleans and null as such; everything else (dates, odd tags) as text, within
        the length limit and without control characters."""
        text = str(node.value)
        if len(text) > self.limits.value_chars:
            self.diags.error(Location(self.doc.path, *self.mark(node)),
                             f"this value is {len(text):,} characters long, over the limit of "
                             f"{self.limits.value_chars:,}",
                             "shorten it; if it is meant to be this long, raise "
                             "`limits: {value_chars: …}` in content/site.yaml")
            return text[:self.limits.value_chars]
        if len(text) > self.limits.value_chars // 4:
            self.diags.warning(Location(self.doc.path, *self.mark(node)),
                               f"this value is unusually long ({len(text):,} characters)",
                               "a long value is repeated on every page that shows it; is all "
                               "of it meant to be here?")
        control = CONTROL.search(text)
        if control:
            self.diags.error(Location(self.doc.path, *self.mark(node)),
                             f"this value holds the control character "
                             f"U+{ord(control.group()):04X} at character {control.start() + 1}",
                             "remove it: only tabs and line breaks may stand in text")
            return CONTROL.sub("", text)
        tag = node.tag
        if tag == _TAG + "null":
            return None
        if tag in (_TAG + "int", _TAG + "float", _TAG + "bool"):
            try:
                return _constructor.construct_object(node, deep=True)
            except (yaml.YAMLError, ValueError):
                return text
        return text


def parse_yaml(text: str, path: str, diags: Diagnostics, *, line_offset: int = 0,
               limits: Limits = DEFAULT_LIMITS) -> YamlDoc | None:
    """Parse one YAML document within `limits`; on a syntax error, record it and return None."""
    doc = YamlDoc(path=path, data=None)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except (yaml.MarkedYAMLError, yaml.reader.ReaderError) as exc:
        # PyYAML's mark is where it gave up, often lines after the mistake: name the slip instead.
        slip = (explain_character(text, exc, line_offset)
                if isinstance(exc, yaml.reader.ReaderError)
                else explain(text, exc, _Loader, line_offset))
        diags.error(Location(path, slip.line, slip.col), slip.message, *slip.hints)
        return None
    except yaml.YAMLError as exc:  # none other is known; still never a traceback
        diags.error(Location(path, 1 + line_offset, 1), f"malformed YAML: {exc}",
                    "check the file's syntax against docs/format.md")
        return None
    if node is None:
        doc.data = None
        doc.value_marks[()] = (1 + line_offset, 1)
        return doc
    doc.data = _Converter(doc, diags, line_offset, limits).convert(node, ())
    return doc


def read_yaml_file(root: Path, rel: str, diags: Diagnostics,
                   limits: Limits = DEFAULT_LIMITS) -> YamlDoc | None:
    """A project file read as UTF-8 YAML; None (reported) if it cannot be."""
    data = read(root, rel, diags, limits.file_bytes)
    text = decode_text(data, rel, diags) if data is not None else None
    return parse_yaml(text, rel, diags, limits=limits) if text is not None else None
