"""One route table: every URL of the site comes from sourcebook/routes.py. The package and the
templates are searched for paths built by hand, and the table's links are checked."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from conftest import REPO
from sourcebook import routes
from sourcebook.routes import Linker, Url

PACKAGE = REPO / "sourcebook"
TEMPLATES = REPO / "sourcebook" / "theme"
# A path into the built site, a page file, a fragment id's format, or a way up the folders.
SITE_FOLDERS = "topics|sources|entities|outlets|timeline|search|data|static"
HAND_BUILT = re.compile(rf"(?<![\w./-])(?:{SITE_FOLDERS})/|index\.html|\.\./"
                        r"|#(?:f|p|cite)-|(?:^|[^\w-])(?:f|p|cite)-$")


def _string_parts(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, text) of every string literal and f-string piece, docstrings left out."""
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef,
                                       ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings]


def hand_built_paths(source: str) -> list[tuple[int, str]]:
    return [(line, text) for line, text in _string_parts(ast.parse(source))
            if HAND_BUILT.search(text)]


def test_the_detector_finds_paths_built_by_hand():
    found = hand_built_paths('x = f"topics/{t}/#f-{f}"\ny = root + "../"\n'
                             'z = f"cite-{n}"\nw = "content/sources/a.yaml"\n'
                             'def f():\n    """A docstring may say topics/<topic>/."""\n')
    assert [line for line, _ in found] == [1, 1, 2, 3]


def test_no_module_but_the_route_table_builds_a_site_path():
    offenders = [f"{path.relative_to(REPO)}:{line}: {text!r}"
                 for path in sorted(PACKAGE.rglob("*.py")) if path.name != "routes.py"
                 for line, text in hand_built_paths(path.read_text("utf-8"))]
    assert offenders == []


LINK_ATTRIBUTE = re.compile(
    r"""\b(href|src|action|cite|data-root)=("\{\{.*?\}\}"|"[^"]*"|'[^']*')""")
TEMPLATE_VALUE = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}$")


def template_links(text: str) -> list[tuple[int, str]]:
    """Link attributes whose value is not one url_for(…) call or one value that Python made
    (a link or an absolute address from the route table, an original article's address), a
    same-page fragment or an external address: text glued to a value is a path by hand."""
    found = []
    for match in LINK_ATTRIBUTE.finditer(text):
        value = match.group(2)[1:-1]
        expression = TEMPLATE_VALUE.fullmatch(value)
        if expression and "{{" not in expression.group(1) and (
                expression.group(1).startswith("url_for(")
                or re.fullmatch(r"\w+(?:\.\w+)*", expression.group(1))):
            continue
        if re.fullmatch(r"#[\w-]+", value) or value.startswith(("https://", "http://")):
            continue
        found.append((text.count("\n", 0, match.start()) + 1, match.group(0)))
    return found


def test_templates_link_only_through_url_for():
    offenders = [f"{path.relative_to(REPO)}:{line}: {attribute}"
                 for path in sorted(TEMPLATES.glob("*.*")) if path.suffix in (".html", ".xml")
                 for line, attribute in template_links(path.read_text("utf-8"))]
    assert offenders == []
    assert template_links('<a href="{{ root }}topics/">x</a><a href="../x/">y</a>') == [
        (1, 'href="{{ root }}topics/"'), (1, 'href="../x/"')]


def test_no_template_writes_a_site_path():
    for path in sorted(TEMPLATES.glob("*.html")):
        text = re.sub(r"\{#.*?#\}", "", path.read_text("utf-8"), flags=re.DOTALL)
        assert not re.search(rf"(?<![\w./-])(?:{SITE_FOLDERS})/|index\.html", text), path


# --- what the table gives ---


@pytest.mark.parametrize(("page", "target", "link"), [
    (routes.home(), routes.topic("s-400"), "topics/s-400/"),
    (routes.home(), routes.home(), "./"),
    (routes.topic("s-400"), routes.home(), "../../"),
    (routes.topic("s-400"), routes.topic("quad").at("f-x"), "../../topics/quad/#f-x"),
    (routes.topic("s-400"), routes.topic("s-400").at("cite-3"), "#cite-3"),
    (routes.source("a.b"), routes.seed_text("a.b"), "../../sources/a.b/seed.txt"),
    (routes.listing("data"), routes.data_file("facts.json"), "../data/facts.json"),
    (routes.member("outlets", "mint"), routes.static("style.css"), "../../static/style.css"),
    (routes.not_found(), routes.topic("quad"), "/repo/topics/quad/"),
])
def test_links_are_relative_to_the_page(page, target, link):
    assert Linker(page, "/repo/")(target) == link


def test_urls_files_and_absolute_addresses():
    assert routes.topic("quad").file == "topics/quad/index.html"
    assert routes.home().file == "index.html" and routes.not_found().file == "404.html"
    assert str(routes.passage("s", "p-x")) == "sources/s/#p-x"
    assert routes.fact("x", "quad") == Url("topics/quad/", "f-x")
    assert routes.fact("x", "quad", 3) == Url("topics/quad/page/3/", "f-x")
    assert routes.topic_page("quad", 1) == routes.topic("quad")
    assert routes.passage_anchor("x", 2) == "p-x-2" and routes.citation_anchor(3) == "cite-3"
    assert routes.absolute("https://u.github.io/r/", routes.topic("t")) == (
        "https://u.github.io/r/topics/t/")
    assert routes.absolute("/", routes.topic("t")) == ""
    assert routes.base_path("https://u.github.io/r") == "/r/"
    assert Url.for_path("topics/t/").file == "topics/t/index.html"


def test_every_built_file_is_a_route(built):
    """The site holds nothing but what the catalogue routes (and the theme's static files)."""
    from sourcebook.engine.pipeline import build_in_memory
    from sourcebook.site.catalogue import CATALOGUE, read_research
    from sourcebook.site.render import plan

    research = build_in_memory(built).research
    planned = {a.path for a in plan(read_research(research), CATALOGUE)}
    site = built / "site"
    files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    static = {routes.static(p.relative_to(TEMPLATES / "static").as_posix()).file
              for p in (TEMPLATES / "static").rglob("*") if p.is_file()}
    assert files - {".sourcebook-build"} == planned | static


def test_the_template_route_names_exist():
    for name in routes.BY_NAME:
        assert callable(getattr(routes, name))
    assert Path(routes.__file__).name == "routes.py"
