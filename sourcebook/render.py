"""The render stage: Research → pages (site-relative path, bytes), with one Jinja environment."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import views
from .diagnostics import Diagnostics, Location
from .export import facts_document
from .markdown_ext import CitationTarget, render_markdown
from .model import Research

SCHEMA_DIR = Path(__file__).parent / "schemas"
GENERATOR = "sourcebook"


@dataclass(frozen=True)
class Page:
    path: str  # relative to site/, e.g. "topics/s-400/index.html"
    content: bytes


def make_environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["generator"] = GENERATOR
    return env


def root_for(path: str) -> str:
    """The relative prefix from a page back to the site root: '' at the top, '../../' below."""
    depth = path.count("/")
    return "../" * depth if depth else ""


def render_site(research: Research, templates: Path, diags: Diagnostics) -> tuple[Page, ...]:
    env = make_environment(templates)
    pages: list[Page] = []
    try:
        pages.append(_home(env, research))
        pages.extend(_topic(env, research, topic) for topic in research.topics)
        pages.extend(_source(env, research, record) for record in research.sources)
    except jinja2.TemplateSyntaxError as exc:
        diags.error(Location(f"templates/{exc.name or exc.filename}", exc.lineno or 1, 1),
                    f"template error: {exc.message}")
        return ()
    except jinja2.TemplateError as exc:
        diags.error(_template_location(exc), f"template error: {exc}",
                    "check the names the template uses; see README.md, 'Templates'")
        return ()
    pages.extend(_data(research))
    pages.extend(_static(templates))
    return tuple(sorted(pages, key=lambda p: p.path))


def _template_location(exc: Exception) -> Location:
    """The innermost template frame of a rendering error."""
    tb = exc.__traceback__
    found = Location("templates/")
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".html") or name.endswith(".xml"):
            template = tb.tb_frame.f_globals.get("__jinja_template__")
            lineno = template.get_corresponding_lineno(tb.tb_lineno) if template else tb.tb_lineno
            found = Location(f"templates/{Path(name).name}", lineno, 1)
        tb = tb.tb_next
    return found


def _page(env: jinja2.Environment, template: str, path: str, research: Research,
          **context: object) -> Page:
    root = root_for(path)
    context.setdefault("current", "")
    html = env.get_template(template).render(
        site=research.config,
        root=root,
        home=root or "./",
        nav=views.topic_cards(research, root),
        **context,
    )
    return Page(path, html.encode("utf-8"))


def _home(env: jinja2.Environment, research: Research) -> Page:
    root = ""
    labels = [views.source_label(s) for s in research.sources]
    sources = [
        {"label": label, "href": f"sources/{s.id}/", "passages": len(s.passages)}
        for s, label in sorted(zip(research.sources, labels, strict=True),
                               key=lambda pair: (pair[1].date_iso or "9999", pair[0].id))
    ]
    return _page(env, "index.html", "index.html", research,
                 cards=views.topic_cards(research, root), sources=sources,
                 fact_count=len(research.facts))


def _topic(env: jinja2.Environment, research: Research, topic) -> Page:
    path = f"topics/{topic.id}/index.html"
    facts = views.topic_facts(research, topic)
    fact_views = views.fact_views(facts, research, root_for(path))
    targets = {f.id: CitationTarget(tuple((str(c.number), f"#{c.anchor}") for c in f.citations),
                                    f.statement)
               for f in fact_views}
    intro = render_markdown(topic.body, targets, allow_raw_html=research.config.allow_raw_html)
    sources = sorted({s for f in facts for s in f.source_ids})
    return _page(env, "topic.html", path, research, topic=topic, intro=Markup(intro),
                 current=topic.id,
                 facts=fact_views, source_count=len(sources))


def _source(env: jinja2.Environment, research: Research, record) -> Page:
    path = f"sources/{record.id}/index.html"
    root = root_for(path)
    blocks = views.article_blocks(record, research, root)
    fact_ids = {fid for p in record.passages for fid in p.fact_ids}
    topic_ids = {t for f in research.facts if f.id in fact_ids for t in f.topics}
    citing = [c for c in views.topic_cards(research, root) if c.id in topic_ids]
    return _page(env, "source.html", path, research, source=record.doc,
                 label=views.source_label(record), seed=record.seed, blocks=blocks,
                 passage_count=len(record.passages), citing_topics=citing)


def _json_bytes(document: object) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _data(research: Research) -> list[Page]:
    pages = [Page("data/facts.json", _json_bytes(facts_document(research)))]
    for schema in sorted(SCHEMA_DIR.glob("*.json")):
        pages.append(Page(f"data/{schema.name}", schema.read_bytes()))
    return pages


def _static(templates: Path) -> list[Page]:
    static = templates / "static"
    return [Page(f"static/{p.relative_to(static).as_posix()}", p.read_bytes())
            for p in sorted(static.rglob("*")) if p.is_file() and not p.name.startswith(".")]
