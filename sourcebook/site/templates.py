"""The Jinja environment: autoescaping, StrictUndefined, `url_for`, and templates as reads.

Templates are code, as in every Jinja-based generator: they run with the build's rights, so a
project's templates/ folder deserves the same review as its Python.

- `url_for(target)` turns a site URL (or a route name and its arguments) into the link the
  page being rendered prints, relative to that page (routes.Linker). The page is set for the
  duration of a render, so macros imported from other templates link correctly too.
- Every template a page uses (the page's own, and what it extends, includes or imports, even
  by a computed name) is recorded as a read of that page: editing a template re-makes exactly
  the pages that used it.
- Text that would read as citation syntax (`[@…`) is written `[&#64;…`: a browser shows the
  same characters, and the build's scan for unresolved citations sees only real ones.
- The `unbroken` filter keeps names such as S-400 or AK-203 on one line.
- The `lang_attrs` filter writes the `lang` (and `dir`) of a text in another language than
  the page's, from the tag a view gives ('' for the page's own language).
- `each(macro, items, …)` calls a macro on each item of a long list; the preview keeps each
  call's output, so a page made again renders only the items that changed.
"""

from __future__ import annotations

import contextvars
import hashlib
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from .. import routes
from ..content.languages import direction
from ..routes import Linker, Url
from ..theme import THEME_DIR
from .reader import Kept, Reader

GENERATOR = "sourcebook"
TEMPLATE_SUFFIXES = (".html", ".xml")

_page: contextvars.ContextVar[tuple[Linker, Reader] | None] = contextvars.ContextVar(
    "sourcebook_page", default=None)


class Environment(jinja2.Environment):
    """Records every template that the page being rendered loads or tries to load (an include
    list tries several), and never uses a compiled template whose source has changed."""

    sources: dict[str, str] | None = None  # each template's source digest when last checked
    fragments: Fragments  # what `each` rendered, kept between preview builds

    def _load_template(self, name: str, globals: Any) -> jinja2.Template:
        current = _page.get()
        if current is not None:
            current[1].template(name)  # before loading: a missing one is a read too
        return super()._load_template(name, globals)

    def refresh(self) -> None:
        """Forget every compiled template if any template's source changed since the last call:
        Jinja's own check compares modification times, which an edit may leave unchanged."""
        assert self.loader is not None
        source = template_source(self)
        now = {name: hashlib.sha256((source(name) or "").encode()).hexdigest()
               for name in self.loader.list_templates()
               if name.endswith(TEMPLATE_SUFFIXES)}  # not static/ nor the theme's Python
        if self.sources is not None and now != self.sources:
            if self.cache is not None:
                self.cache.clear()
            # A kept fragment's key names its macro's code, not the macros that one calls.
            self.fragments.forget()
        self.sources = now


def url_for(target: Url | str, *args: str) -> str:
    """The link to a site URL, or to a route by name (`url_for("static", "style.css")`),
    relative to the page being rendered."""
    current = _page.get()
    if current is None:
        raise RuntimeError("url_for is only available while a page is rendered")
    if isinstance(target, Url):
        return current[0](target)
    if target not in routes.BY_NAME:
        raise ValueError(f"url_for: no route named {target!r}; routes: {', '.join(routes.BY_NAME)}")
    return current[0](getattr(routes, target)(*args))


class Fragments:
    """What `each` rendered, kept from one preview build to the next as the views' values are
    (reader.Kept: what a build did not use is dropped at the next), so re-making a page that
    lists thousands of facts after one changed renders only that one. Off in one-shot builds."""

    def __init__(self) -> None:
        self._kept: Kept | None = None

    @property
    def enabled(self) -> bool:
        """Whether this build keeps what it renders."""
        return self._kept is not None

    def start_build(self, keep: bool) -> None:
        """A build begins: keep what it renders (the preview), or nothing."""
        self._kept = Kept(self._kept) if keep else None

    def forget(self) -> None:
        """Drop everything kept (a template changed)."""
        if self._kept is not None:
            self._kept = Kept()

    def get(self, key: tuple[Any, ...]) -> str | None:
        """What was rendered for this key, in this build or the last."""
        return self._kept.get(key, ()) if self._kept is not None else None

    def put(self, key: tuple[Any, ...], html: str) -> None:
        """Keep what was rendered for this key."""
        if self._kept is not None:
            self._kept.put(key, (), html)


def _frozen(value: Any) -> Any:
    return tuple(value.items()) if isinstance(value, dict) else value


def _context_free(env: jinja2.Environment, macro: Any) -> bool:
    """Whether the macro sees only its arguments and the globals: one imported without
    context (`{% from … import … %}`). A macro of the page's own template, or one imported
    `with context`, sees the page's variables, and its output is not kept."""
    function = getattr(macro, "_func", None)  # a Jinja macro's compiled function
    for cell in getattr(function, "__closure__", None) or ():
        bound = getattr(cell.cell_contents, "__self__", None)
        if isinstance(bound, jinja2.runtime.Context):
            return all(name in env.globals for name in bound.parent)
    return False


@jinja2.pass_environment
def each(env: jinja2.Environment, macro: Any, items: Any, *args: Any, **kwargs: Any) -> Markup:
    """`macro(item, *args, **kwargs)` for each item, joined (`{{ each(fact_item, facts) }}`).
    A macro's output is a function of its arguments and of the page its links are relative
    to, so in the preview each call is kept (by the macro's compiled code, the page, the item
    and the arguments) and a page made again renders only the items that changed."""
    fragments: Fragments | None = getattr(env, "fragments", None)
    current = _page.get()
    if (fragments is None or not fragments.enabled or current is None
            or not _context_free(env, macro)):
        return Markup("".join(str(macro(item, *args, **kwargs)) for item in items))
    link = current[0]
    fixed = (macro._func.__code__, link.page, link.prefix,
             tuple(_frozen(a) for a in args), tuple((k, _frozen(v)) for k, v in kwargs.items()))
    out = []
    for item in items:
        key = (fixed, item)
        try:
            found = fragments.get(key)
        except TypeError:  # an argument that cannot be a key: rendered every time
            out.append(str(macro(item, *args, **kwargs)))
            continue
        if found is None:
            found = str(macro(item, *args, **kwargs))
            fragments.put(key, found)
        out.append(found)
    return Markup("".join(out))


# A designation: letters, a hyphen, then a digit (S-400, AK-203, F-35, MiG-29, Su-57E).
_DESIGNATION = re.compile(r"\b[A-Za-z]{1,4}-\d[\w-]*")


def unbroken(value: str) -> Markup:
    """Text with each designation (S-400) in a span that does not wrap after its hyphen. Only the
    display changes: the characters stay the same, so copying, search and text fragments still
    match the archived text."""
    html = str(escape(value)).replace("[@", "[&#64;")
    return Markup(_DESIGNATION.sub(r'<span class="nobr">\g<0></span>', html))


def lang_attrs(tag: str) -> Markup:
    """The `lang` attribute (and `dir`, for a language written right to left) of an element
    whose text is in the language `tag`; nothing for '' (the page's own language: views give
    '' for it, content/languages.py's other_language)."""
    if not tag:
        return Markup("")
    rtl = direction(tag)
    return Markup(' lang="{}"{}').format(tag, Markup(' dir="rtl"') if rtl else "")


def _neutral(value: Any) -> Any:
    """Template output as text, with citation syntax made inert (see the module's docstring)."""
    if isinstance(value, str) and not isinstance(value, Markup) and "[@" in value:
        return Markup(str(escape(value)).replace("[@", "[&#64;"))
    return value


class LinkedTemplate(jinja2.TemplateSyntaxError):
    """A template (or a folder on its way) that is a symbolic link: refused, as every input is
    (sourcebook/files.py), so that no template can pull in a file from outside the project."""

    def __init__(self, name: str, link: str) -> None:
        super().__init__(f"{link} is a symbolic link: the build reads only files inside the "
                         "project", 1, name)


class ProjectLoader(jinja2.FileSystemLoader):
    """Jinja's file loader, refusing links: the templates folder and every part of a
    template's path must be real folders and files."""

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder))
        self.folder = folder

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        """The template's source, as Jinja's loader gives it, unless a link is on its way."""
        path = self.folder
        for part in ("", *template.split("/")):
            path = path / part if part else path
            try:
                if stat.S_ISLNK(os.lstat(path).st_mode):
                    raise LinkedTemplate(template, path.relative_to(self.folder.parent).as_posix())
            except FileNotFoundError:
                break
        return super().get_source(environment, template)


def make_environment(folder: Path, bytecode_dir: Path | None = None) -> Environment:
    """The one environment: templates from the project's `folder`, each falling back to the
    default theme's; with bytecode_dir, compiled templates are kept between processes (Jinja
    checks each one against its source)."""
    bytecode = None
    if bytecode_dir is not None:
        try:
            bytecode_dir.mkdir(parents=True, exist_ok=True)
            bytecode = jinja2.FileSystemBytecodeCache(str(bytecode_dir))
        except OSError:
            bytecode = None
    env = Environment(
        # The project's templates first, file by file; the package's default theme after.
        loader=jinja2.ChoiceLoader([ProjectLoader(folder),
                                    jinja2.FileSystemLoader(str(THEME_DIR))]),
        bytecode_cache=bytecode,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=True,
        finalize=_neutral,
    )
    env.globals["generator"] = GENERATOR
    env.globals["url_for"] = url_for
    env.globals["each"] = each
    env.fragments = Fragments()
    env.filters["unbroken"] = unbroken
    env.filters["lang_attrs"] = lang_attrs
    return env


def template_source(env: jinja2.Environment) -> Callable[[str], str | None]:
    """A template's source by name, or None if there is no such template."""
    def source(name: str) -> str | None:
        assert env.loader is not None
        try:
            return env.loader.get_source(env, name)[0]
        except (jinja2.TemplateNotFound, LinkedTemplate):
            return None  # a link is reported when a page loads it
    return source


def render(env: jinja2.Environment, name: str, context: dict[str, Any], link: Linker,
           read: Reader) -> str:
    """Render one template for the page that `link` links from, recording what it loads."""
    token = _page.set((link, read))
    try:
        return env.get_template(name).render(**context)
    finally:
        _page.reset(token)
