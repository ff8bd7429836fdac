"""The render stage: Research → pages (site-relative path, bytes), with one Jinja environment.

Every page is planned first: its template, a key made of the view data it shows (frozen, so it
compares by value), and a function that builds the full template context. A RenderCache keeps
the key and bytes of each page between builds; a page whose key and templates are unchanged is
reused, not rendered again. That is the build's dependency knowledge: an edited annotation
changes the keys of exactly the pages that show its facts.
"""

from __future__ import annotations

import hashlib
import pickle
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import charts, furniture, views
from .diagnostics import Diagnostics, Location
from .export import facts_json_chunks
from .markdown_ext import CitationTarget, render_markdown
from .model import Entity, Fact, Research, Seed, SiteConfig, SourceRecord, Topic
from .opendata import facts_csv, web_annotation_chunks
from .parallel import map_items
from .searchindex import search_index_chunks

SCHEMA_DIR = Path(__file__).parent / "schemas"
# {% extends/include/import/from "name" %}: enough to know which templates a page depends on
TEMPLATE_REFERENCE = re.compile(r"""\{%-?\s*(?:extends|include|import|from)\s+["']([^"']+)["']""")
GENERATOR = "sourcebook"
BOM = "\ufeff".encode()


@dataclass(frozen=True)
class Page:
    """A file of the site. `content` is None for a page known only by its hash: either already
    written to the staging folder of the new site (`staged`), or unchanged since the last build
    and taken from the site/ that build wrote."""

    path: str  # relative to site/, e.g. "topics/s-400/index.html"
    content: bytes | None
    sha256: str = ""
    staged: bool = False

    @classmethod
    def of(cls, path: str, content: bytes) -> Page:
        return cls(path, content, hashlib.sha256(content).hexdigest())

    @classmethod
    def stream(cls, folder: Path | None, path: str, chunks: Iterable[str]) -> Page:
        """A page made piece by piece: written to the staging folder as the pieces come, or
        joined when there is none (check writes nothing)."""
        if folder is None:
            return cls.of(path, "".join(chunks).encode("utf-8"))
        return cls._write_staged(folder, path, (chunk.encode("utf-8") for chunk in chunks))

    @classmethod
    def stage(cls, folder: Path, path: str, content: bytes) -> Page:
        """Write the page into the new site's staging folder now, and keep only its hash: a big
        site is streamed to disk instead of being held in memory until the write stage."""
        return cls._write_staged(folder, path, (content,))

    @classmethod
    def _write_staged(cls, folder: Path, path: str, pieces: Iterable[bytes]) -> Page:
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with target.open("wb") as handle:
            for data in pieces:
                digest.update(data)
                handle.write(data)
        return cls(path, None, digest.hexdigest(), staged=True)


@dataclass(frozen=True)
class PagePlan:
    path: str
    template: str
    key: object  # everything the page shows; equal keys render equal pages
    context: Callable[[], dict]


@dataclass
class RenderCache:
    """What is remembered between renders: the environment, and each page's key digest with the
    page itself. A page without content (from the saved build state) is reused only if
    `reusable` says its file in site/ is intact."""

    templates: Path | None = None
    env: jinja2.Environment | None = None
    pages: dict[str, tuple[str, Page]] = field(default_factory=dict)
    reusable: frozenset[str] = frozenset()
    bytecode_dir: Path | None = None  # None: keep compiled templates in memory only
    parallel: bool = True  # render on every core (only in a single-threaded process)
    stage_dir: Path | None = None  # write rendered pages there at once (see Page.stage)

    def environment(self, templates: Path) -> jinja2.Environment:
        if self.env is None or self.templates != templates:
            self.env = make_environment(templates, self.bytecode_dir)
            self.templates = templates
        return self.env

    def reuse(self, path: str, key: str) -> Page | None:
        previous = self.pages.get(path)
        if previous is None or previous[0] != key:
            return None
        page = previous[1]
        return page if page.content is not None or path in self.reusable else None


def key_digest(*parts: object) -> str:
    """A digest of a page's inputs: frozen view data pickles the same way for equal values."""
    return hashlib.blake2b(pickle.dumps(parts, protocol=5), digest_size=20).hexdigest()


@dataclass(frozen=True)
class Rendered:
    pages: tuple[Page, ...]
    rendered: tuple[str, ...]  # the HTML pages rendered this time (the rest were reused)


def make_environment(templates: Path, bytecode_dir: Path | None = None) -> jinja2.Environment:
    """The one environment; with bytecode_dir, compiled templates are kept between processes
    (Jinja checks each one against its source)."""
    bytecode = None
    if bytecode_dir is not None:
        try:
            bytecode_dir.mkdir(parents=True, exist_ok=True)
            bytecode = jinja2.FileSystemBytecodeCache(str(bytecode_dir))
        except OSError:
            bytecode = None
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        bytecode_cache=bytecode,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=True,
    )
    env.globals["generator"] = GENERATOR
    return env


def root_for(path: str) -> str:
    """The relative prefix from a page back to the site root: '' at the top, '../../' below."""
    depth = path.count("/")
    return "../" * depth if depth else ""


def render_site(research: Research, templates: Path, diags: Diagnostics,
                cache: RenderCache | None = None) -> Rendered:
    cache = cache or RenderCache()
    env = cache.environment(templates)
    try:
        digests = _template_digests(env)
        keyed = [(plan, key_digest(digests[plan.template], plan.key))
                 for plan in plan_pages(research)]
        for name in sorted({plan.template for plan, _ in keyed}):
            env.get_template(name)  # compile here, once, before any worker starts
    except jinja2.TemplateSyntaxError as exc:
        diags.error(Location(f"templates/{exc.name or exc.filename}", exc.lineno or 1, 1),
                    f"template error: {exc.message}")
        return Rendered((), ())
    reused = {plan.path: page for plan, key in keyed
              if (page := cache.reuse(plan.path, key)) is not None}
    todo = [plan for plan, _ in keyed if plan.path not in reused]
    results = map_items(lambda plan: _render_or_error(env, plan, research, cache.stage_dir), todo,
                        enabled=cache.parallel)
    failures = [r for r in results if not isinstance(r, Page)]
    if failures:
        location, message = failures[0]
        diags.error(location, message,
                    "check the names the template uses; see README.md, 'Templates'")
        return Rendered((), ())
    made = {page.path: page for page in results if isinstance(page, Page)}
    pages = [reused.get(plan.path) or made[plan.path] for plan, _ in keyed]
    cache.pages = {plan.path: (key, page) for (plan, key), page in zip(keyed, pages, strict=True)}
    rendered = [plan.path for plan in todo]
    pages.extend(_data(research, cache.stage_dir))
    pages.extend(_static(templates))
    return Rendered(tuple(sorted(pages, key=lambda p: p.path)), tuple(sorted(rendered)))


def _template_digests(env: jinja2.Environment) -> dict[str, str]:
    """A digest per template of its source and of every template it extends or imports."""
    loader = env.loader
    assert loader is not None
    sources: dict[str, str] = {}
    refs: dict[str, set[str]] = {}
    for name in loader.list_templates():
        if not name.endswith((".html", ".xml")):
            continue
        source = loader.get_source(env, name)[0]
        sources[name] = source
        refs[name] = set(TEMPLATE_REFERENCE.findall(source))

    def closure(name: str, seen: set[str]) -> set[str]:
        for ref in refs.get(name, ()):
            if ref not in seen:
                seen.add(ref)
                closure(ref, seen)
        return seen

    digests = {}
    for name in sources:
        hasher = hashlib.sha256()
        for part in sorted(closure(name, {name})):
            hasher.update(part.encode() + b"\0" + sources.get(part, "").encode() + b"\0")
        digests[name] = hasher.hexdigest()
    return digests


def _render_or_error(env: jinja2.Environment, plan: PagePlan, research: Research,
                     stage_dir: Path | None) -> Page | tuple[Location, str]:
    """A page, or where and why its template failed (a worker returns, never raises)."""
    try:
        return _render(env, plan, research, stage_dir)
    except jinja2.TemplateError as exc:
        return _template_location(exc), f"template error: {exc}"


def _template_location(exc: Exception) -> Location:
    """The innermost template frame of a rendering error."""
    tb = exc.__traceback__
    found = Location("templates/")
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith((".html", ".xml")):
            template = tb.tb_frame.f_globals.get("__jinja_template__")
            lineno = template.get_corresponding_lineno(tb.tb_lineno) if template else tb.tb_lineno
            found = Location(f"templates/{Path(name).name}", lineno, 1)
        tb = tb.tb_next
    return found


def page_root(plan_path: str, config: SiteConfig) -> str:
    """404.html is served at any depth, so its links start from the base path."""
    return config.base_path if plan_path == "404.html" else root_for(plan_path)


def canonical_url(path: str, config: SiteConfig) -> str:
    if not path.endswith(".html") or path == "404.html":
        return ""
    return config.absolute(path.removesuffix("index.html"))


def _render(env: jinja2.Environment, plan: PagePlan, research: Research,
            stage_dir: Path | None) -> Page:
    config = research.config
    root = page_root(plan.path, config)
    context = {"site": config, "root": root, "home": root or "./",
               "nav": views.nav_items(research, root), "current": "", "jsonld": {},
               "canonical": canonical_url(plan.path, config), **plan.context()}
    html = env.get_template(plan.template).render(**context)
    content = html.encode("utf-8")
    return Page.stage(stage_dir, plan.path, content) if stage_dir else Page.of(plan.path, content)


# --- page plans ---


def plan_pages(research: Research) -> list[PagePlan]:
    plans = [_home_plan(research)]
    plans.extend(_topic_plan(research, topic) for topic in research.topics)
    plans.extend(_source_plan(research, record) for record in research.sources)
    by_entity = views.entity_facts(research)
    plans.append(_entities_plan(research, by_entity))
    plans.extend(_entity_plan(research, entity, *by_entity[entity.id])
                 for entity in research.entities.values())
    plans.append(_timeline_plan(research))
    plans.append(_search_plan(research))
    plans.append(_data_plan(research))
    plans.append(_not_found_plan(research))
    plans.extend(_feed_plans(research))
    return plans


def _common_key(research: Research, path: str) -> tuple:
    return (research.config, views.nav_items(research, page_root(path, research.config)))


def _not_found_plan(research: Research) -> PagePlan:
    path = "404.html"
    return PagePlan(path, "404.html", _common_key(research, path), dict)


def _feed_plans(research: Research) -> list[PagePlan]:
    """The Atom feed and the sitemap need absolute URLs: only with an absolute base_url."""
    if not research.config.has_absolute_base:
        return []
    feed = furniture.feed(research)
    urls = furniture.sitemap_urls(research)
    return [PagePlan("feed.xml", "feed.xml", (research.config, feed), lambda: {"feed": feed}),
            PagePlan("sitemap.xml", "sitemap.xml", (research.config, urls),
                     lambda: {"urls": urls})]


def _home_plan(research: Research) -> PagePlan:
    path = "index.html"
    cards = tuple(views.topic_cards(research, ""))
    sources = views.source_rows(research)
    fact_count = len(research.facts)
    summary = views.support_summary(research.facts)
    rows, columns = views.coverage(research, "")
    matrix = charts.matrix_svg(rows, columns, id_prefix="coverage",
                               title="Which sources cover which topics",
                               description=views.coverage_description(rows, columns))
    key = (_common_key(research, path), cards, sources, fact_count, summary, matrix, rows,
           columns)
    return PagePlan(path, "index.html", key,
                    lambda: {"cards": cards, "sources": sources, "fact_count": fact_count,
                             "summary": summary, "matrix": Markup(matrix), "rows": rows,
                             "columns": columns,
                             "jsonld": furniture.home_jsonld(research.config)})


def _topic_plan(research: Research, topic: Topic) -> PagePlan:
    path = f"topics/{topic.id}/index.html"
    facts = views.topic_facts(research, topic)
    fact_views = tuple(views.fact_views(facts, research, root_for(path)))
    source_count = len({s for f in facts for s in f.source_ids})
    summary = views.support_summary(facts)
    allow_raw_html = research.config.allow_raw_html

    def context() -> dict:
        targets = {f.id: CitationTarget(tuple((str(c.number), f"#{c.anchor}")
                                              for c in f.supports), f.statement,
                                        f"#{f.anchor}" if f.disputed else "")
                   for f in fact_views}
        intro = render_markdown(topic.body, targets, allow_raw_html=allow_raw_html)
        return {"topic": topic, "intro": Markup(intro), "facts": fact_views,
                "source_count": source_count, "summary": summary, "current": topic.id,
                "jsonld": furniture.topic_jsonld(research.config, topic, facts,
                                                 research.source_index)}

    key = (_common_key(research, path), topic, fact_views, source_count, summary)
    return PagePlan(path, "topic.html", key, context)


# The listing pages: their schema.org type, name and description (also their meta description).
LISTINGS = {
    "entities": ("CollectionPage", "People and organisations",
                 "Everyone the sources quote or name, with the facts they stated and the facts "
                 "about them."),
    "timeline": ("CollectionPage", "Timeline",
                 "Every dated fact in the order of events, with the precision of each date."),
    "search": ("SearchResultsPage", "Search",
               "Search the facts, sources, people and organisations of this research."),
    "data": ("Dataset", "Open data",
             "The research as data: facts, evidence and annotations in open formats."),
}


def _listing(research: Research, name: str, jsonld: dict | None = None) -> dict:
    """The context every listing page shares: its description, JSON-LD (a schema.org page of
    its kind, unless the page has its own) and nav highlight."""
    kind, title, description = LISTINGS[name]
    if jsonld is None:
        jsonld = furniture.page_jsonld(research.config, f"{name}/", kind, title, description)
    return {"description": description, "jsonld": jsonld, "current": name}


def _topic_titles(research: Research) -> dict[str, str]:
    return {topic.id: topic.title for topic in research.topics}


def _entities_plan(research: Research,
                   by_entity: dict[str, tuple[list[Fact], list[Fact]]]) -> PagePlan:
    path = "entities/index.html"
    rows = views.entity_rows(research, by_entity, root_for(path))
    people = tuple(r for r in rows if r.kind == "person")
    organisations = tuple(r for r in rows if r.kind != "person")
    return PagePlan(path, "entities.html", (_common_key(research, path), rows),
                    lambda: {"people": people, "organisations": organisations,
                             **_listing(research, "entities")})


def _entity_plan(research: Research, entity: Entity, stated: list[Fact],
                 about: list[Fact]) -> PagePlan:
    path = f"entities/{entity.id}/index.html"
    shown = tuple(views.fact_views(stated + about, research, root_for(path)))
    said, named = shown[:len(stated)], shown[len(stated):]
    jsonld = furniture.entity_jsonld(research.config, entity)
    return PagePlan(path, "entity.html", (_common_key(research, path), entity, said, named),
                    lambda: {"entity": entity, "stated": said, "about": named,
                             "topic_titles": _topic_titles(research),
                             "current": "entities", "jsonld": jsonld})


def _timeline_plan(research: Research) -> PagePlan:
    path = "timeline/index.html"
    root = root_for(path)
    dated = [f for f in views.chronological(research.facts) if f.date is not None]
    shown = views.fact_views(dated, research, root)
    years = views.timeline_years(shown)
    filters = views.topic_filters(research, dated)
    chart = charts.timeline_svg(views.timeline_series(research, dated, root),
                                id_prefix="timeline-chart", title="Facts per topic and year",
                                description=views.timeline_description(research, dated))
    undated = len(research.facts) - len(dated)
    return PagePlan(path, "timeline.html",
                    (_common_key(research, path), years, filters, chart, undated),
                    lambda: {"years": years, "filters": filters, "chart": Markup(chart),
                             "undated": undated, "topic_titles": _topic_titles(research),
                             **_listing(research, "timeline")})


def _search_plan(research: Research) -> PagePlan:
    path = "search/index.html"
    counts = (len(research.facts), len(research.sources), len(research.entities),
              len(research.topics))
    return PagePlan(path, "search.html", (_common_key(research, path), counts),
                    lambda: {"counts": counts, **_listing(research, "search")})


def _data_plan(research: Research) -> PagePlan:
    path = "data/index.html"
    files = furniture.data_files(research)
    return PagePlan(path, "data.html", (_common_key(research, path), files),
                    lambda: {"files": files, **_listing(
                        research, "data", furniture.data_jsonld(research.config, files))})


def _source_plan(research: Research, record: SourceRecord) -> PagePlan:
    path = f"sources/{record.id}/index.html"
    root = root_for(path)
    refs = views.backrefs(record, research)
    topic_ids = {t for ref in refs for t, _ in ref.topics}
    citing = tuple(c for c in views.nav_items(research, root) if c.id in topic_ids)
    label = views.source_label(record)
    retrieved, retrieved_iso = views.date_fields(record.doc.retrieved)

    def context() -> dict:
        return {"source": record.doc, "label": label, "seed": record.seed,
                "retrieved": retrieved, "retrieved_iso": retrieved_iso,
                "blocks": views.article_blocks(record, refs, root),
                "passage_count": len(record.passages), "citing_topics": citing,
                "jsonld": furniture.source_jsonld(research.config, record)}

    # The annotation's and the seed's digests stand for the record they produce.
    key = (_common_key(research, path), record.doc.digest, record.seed.sha256, refs, citing,
           label)
    return PagePlan(path, "source.html", key, context)


# --- data and static files (cheap: always produced) ---


def _data(research: Research, stage_dir: Path | None) -> list[Page]:
    config = research.config

    def page_href(rel: str) -> str:  # absolute where base_url allows, else from the base path
        return config.absolute(rel) or config.base_path + rel

    # The big files are written as they are made: a 10,000-source set never holds them whole.
    annotations = web_annotation_chunks(research, lambda s: page_href(f"sources/{s}/seed.txt"),
                                        page_href)
    pages = [Page.stream(stage_dir, "data/facts.json", facts_json_chunks(research)),
             Page.of("data/facts.csv", facts_csv(research)),
             Page.stream(stage_dir, "data/annotations.jsonld", annotations),
             Page.stream(stage_dir, "static/search-index.js", search_index_chunks(research)),
             Page.of("robots.txt", furniture.robots_txt(config).encode()),
             Page.of(".nojekyll", b"")]
    for schema in sorted(SCHEMA_DIR.glob("*.json")):
        pages.append(Page.of(f"data/{schema.name}", schema.read_bytes()))
    pages.extend(Page.of(f"sources/{record.id}/seed.txt", seed_bytes(record.seed))
                 for record in research.sources)
    return pages


def seed_bytes(seed: Seed) -> bytes:
    """The seed file's bytes: its text is exactly them decoded as UTF-8, less a leading BOM
    (the load stage decodes strictly), so re-encoding and the hash tell which."""
    data = seed.text.encode("utf-8")
    return data if hashlib.sha256(data).hexdigest() == seed.sha256 else BOM + data


def _static(templates: Path) -> list[Page]:
    static = templates / "static"
    return [Page.of(f"static/{p.relative_to(static).as_posix()}", p.read_bytes())
            for p in sorted(static.rglob("*")) if p.is_file() and not p.name.startswith(".")]
