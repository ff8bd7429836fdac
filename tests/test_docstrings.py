"""Every module of the package has a docstring, and so does every public function and class and
every public method of a public class: a reader learns what a definition is or returns without
reading its body."""

from __future__ import annotations

import ast

from conftest import REPO

PACKAGE = REPO / "sourcebook"

Definition = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


def undocumented(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, name) of each public module-level function or class, and each public method of a
    public class, that has no docstring."""
    found = []
    for node in tree.body:
        if not isinstance(node, Definition) or node.name.startswith("_"):
            continue
        if not ast.get_docstring(node):
            found.append((node.lineno, node.name))
        if isinstance(node, ast.ClassDef):
            found += [(method.lineno, f"{node.name}.{method.name}") for method in node.body
                      if isinstance(method, ast.FunctionDef | ast.AsyncFunctionDef)
                      and not method.name.startswith("_") and not ast.get_docstring(method)]
    return found


def _modules() -> list[tuple[str, ast.Module]]:
    return [(path.relative_to(REPO).as_posix(), ast.parse(path.read_text("utf-8"), str(path)))
            for path in sorted(PACKAGE.rglob("*.py"))]


def test_the_detector_finds_what_lacks_a_docstring():
    tree = ast.parse(
        "def f():\n    pass\n"
        "async def g():\n    pass\n"
        "def _private():\n    pass\n"
        "def h():\n    'Documented.'\n"
        "class C:\n    def m(self):\n        pass\n"
        "    def _n(self):\n        pass\n"
        "    def __init__(self):\n        pass\n"
        "class D:\n    'Documented.'\n    async def a(self):\n        pass\n"
        "class _P:\n    def m(self):\n        pass\n")
    assert undocumented(tree) == [(1, "f"), (3, "g"), (9, "C"), (10, "C.m"), (18, "D.a")]


def test_every_public_definition_has_a_docstring():
    offenders = [f"{path}:{line} {name}" for path, tree in _modules()
                 for line, name in undocumented(tree)]
    assert not offenders, "no docstring:\n" + "\n".join(offenders)


def test_every_module_has_a_docstring():
    offenders = [f"{path}:1 (module)" for path, tree in _modules()
                 if not ast.get_docstring(tree)]
    assert not offenders, "no module docstring:\n" + "\n".join(offenders)
