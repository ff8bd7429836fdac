"""What a rebuild makes again: exactly the files that show what changed (as the engine derives
from what each file read), and its output is byte-identical to a clean build of the same
inputs. The data files that show every fact are made again when a fact changes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import project_file
from sourcebook.engine.commands import PreviewBuilder
from sourcebook.engine.pipeline import build_in_memory

A000 = "content/sources/000_0a8abdfef13416d9.yaml"
A003 = "content/sources/003_4197f04110c4ab2c.yaml"
S003 = "sources/003_4197f04110c4ab2c/index.html"
# The data files that show the facts themselves.
FACT_DATA = {"data/facts.json", "data/facts.csv", "data/annotations.jsonld",
             "static/search-index.js"}
# The sources' references in one file of each kind, and one source's files.
REFERENCES = {f"data/references.{suffix}" for suffix in ("json", "bib", "ris")}
def source_references(source: str) -> set[str]:
    return {f"sources/{source}/reference.{suffix}" for suffix in ("json", "bib", "ris")}


ALL_TOPICS = {f"topics/{t}/index.html" for t in ("s-400", "caatsa", "ak-203", "quad",
                                                 "defence-ties")}


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = project_file(root, rel)
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def session(project):
    session = PreviewBuilder(project)
    first = session.rebuild().built.rendered.made
    # Everything, the first time: home, 5 topics, the archive and 5 sources, the entity index
    # and 25 entity pages, the outlet index and 5 outlets, timeline, search, data, about, 404.
    assert len(html(first)) == 1 + 5 + 1 + 5 + 1 + 25 + 1 + 5 + 4 + 1
    # ... and every data file: 4 of facts, 2 schemas, 5 seeds, 3 files of references and 3 for
    # each source, feed, sitemap, robots, .nojekyll.
    assert len(first) - len(html(first)) == 4 + 2 + 5 + 3 + 3 * 5 + 4
    return session


def html(paths: tuple[str, ...] | set[str]) -> set[str]:
    return {p for p in paths if p.endswith(".html")}


def rebuild(session: PreviewBuilder) -> set[str]:
    result = session.rebuild()
    clean = build_in_memory(session.engine.root)
    assert result.pages == clean.pages  # incremental output equals a clean build
    return set(result.built.rendered.made)


def test_nothing_changed_renders_nothing(session, monkeypatch):
    import sourcebook.content.sources as sources
    import sourcebook.files as files

    opened = []
    with monkeypatch.context() as patch:
        patch.setattr(files, "RECENT_NS", 0)  # the copy is new; count it as long unchanged
        session.rebuild()
        patch.setattr(sources, "read", lambda root, rel, *a: opened.append(rel))
        assert session.rebuild().built.rendered.made == ()
    assert opened == []  # no seed or annotation read again: their files were not written
    assert rebuild(session) == set()
    assert sum(session.engine.memo.computed.values()) == 0  # nothing re-parsed or re-anchored


def test_an_edited_statement_renders_its_topic_pages_and_its_source_page(session):
    # lavrov-says-us-discourages-russian-arms-purchases: topics defence-ties and caatsa, in 003.
    edit(session.engine.root, A003,
         "statement: Lavrov said on 6 April 2021 that the United States wants",
         "statement: Lavrov said on 6 April 2021 that Washington wants")
    # ...and the pages that show the fact: its speaker's, the timeline; and the feed.
    assert rebuild(session) == {"topics/defence-ties/index.html", "topics/caatsa/index.html",
                                S003, "entities/sergei-lavrov/index.html",
                                "outlets/bdnewsnet-com-bd/index.html",  # 003's outlet
                                "timeline/index.html", "feed.xml", *FACT_DATA}
    # One file parsed and its references checked, one annotation anchored and its passages
    # found, and only the fact whose claim changed assembled again (with its fact file), not
    # the 13 others 003 cites.
    assert session.engine.memo.computed == {"source": 1, "references known": 1, "anchor": 1,
                                            "passages": 1, "fact": 1}


def test_an_edited_topic_introduction_renders_only_that_topic(session):
    edit(session.engine.root, "content/topics/quad.md", "\n---\n", "\n---\nA new first sentence. ")
    assert rebuild(session) == {"topics/quad/index.html"}


def test_an_edited_topic_title_renders_every_page_with_the_menu(session):
    edit(session.engine.root, "content/topics/quad.md", "title: ", "title: The ")
    made = rebuild(session)
    assert html(made) == html(rebuild_all(session))  # every HTML page
    assert made - html(made) == {"data/facts.json", "static/search-index.js"}  # topic titles


def test_a_template_edit_renders_the_pages_that_use_it(session):
    edit(session.engine.root, "templates/source.html", "Archived source", "Archived article")
    assert rebuild(session) == {f"sources/{s}/index.html" for s in (
        "000_0a8abdfef13416d9", "001_387e21b613e05868", "002_7bf14ee84c1d808c",
        "003_4197f04110c4ab2c", "004_5baf2666bd463fc4")}
    edit(session.engine.root, "templates/base.html", "Skip to content", "Skip to the content")
    assert rebuild(session) == html(rebuild_all(session))


def test_a_new_fact_changes_the_home_page_counts(session):
    edit(session.engine.root, A000, "claims:\n", "claims:\n  - fact: kirby-nothing-but-honest\n"
         "    quote: \"We've been nothing but honest about that and discouraging that.\"\n"
         "    topics: [quad]\n    statement: Kirby said the US had been honest with India.\n", )
    # The statement names Kirby: his page and the entity index's count change too; the
    # timeline counts undated facts; the search and data pages count facts; the archive
    # counts the source's passages.
    assert rebuild(session) == {"index.html", "topics/quad/index.html", "sources/index.html",
                                "sources/000_0a8abdfef13416d9/index.html", "feed.xml",
                                "entities/index.html", "entities/john-kirby/index.html",
                                "outlets/index.html", "outlets/mint/index.html",  # 000's
                                "timeline/index.html", "search/index.html", "data/index.html",
                                "about/index.html", *FACT_DATA}


def add_article(root: Path, seed: str, quote: str) -> None:
    """A new article "new" citing one quote of its seed as fact quad-met-again."""
    (root / "seeds/new.txt").write_text(seed, "utf-8")
    (root / "content/sources/new.yaml").write_text(
        f"title: New\nclaims:\n  - fact: quad-met-again\n    quote: {quote}\n"
        "    topics: [quad]\n    statement: The Quad met again.\n", "utf-8")


def test_an_added_then_deleted_article_appears_and_disappears(session):
    root = session.engine.root
    add_article(root, "The Quad met again. It discussed Russia.", "The Quad met again.")
    # The outlet index counts the articles that name no outlet; the archive lists them.
    counted = {"timeline/index.html", "search/index.html", "data/index.html",
               "outlets/index.html", "about/index.html", "sources/index.html"}
    assert rebuild(session) == {"index.html", "topics/quad/index.html",
                                "sources/new/index.html", "sources/new/seed.txt", "feed.xml",
                                "sitemap.xml", *counted, *FACT_DATA, *REFERENCES,
                                *source_references("new")}
    (root / "seeds/new.txt").unlink()
    (root / "content/sources/new.yaml").unlink()
    assert rebuild(session) == {"index.html", "topics/quad/index.html", "feed.xml",
                                "sitemap.xml", *counted, *FACT_DATA, *REFERENCES}
    assert "sources/new/index.html" not in session.rebuild().pages


def test_a_new_article_is_scanned_for_names_once_and_listed_by_the_entity(session):
    add_article(session.engine.root, "Sergei Lavrov met the Quad. It said little.",
                "It said little.")
    made = rebuild(session)
    # One seed scanned for every entity's names at once; the four others are remembered.
    assert session.engine.memo.computed["names in seed"] == 1
    assert "entities/sergei-lavrov/index.html" in made
    page = session.rebuild().pages["entities/sergei-lavrov/index.html"].decode()
    assert 'href="../../sources/new/"' in page


def rebuild_all(session: PreviewBuilder) -> set[str]:
    """Every file of the site (as a clean build lists them)."""
    return set(build_in_memory(session.engine.root).pages)


def test_a_template_included_from_a_list_is_read_by_the_pages(session):
    """`{% include [a, b] %}` tries a then b: both are what the page read, even the missing one."""
    root = session.engine.root
    edit(root, "templates/base.html", "</body>",
         '{% include ["_custom.html", "_fallback.html"] %}\n</body>')
    (root / "templates/_fallback.html").write_text("<p>A</p>\n", "utf-8")
    assert html(rebuild(session)) == html(rebuild_all(session))
    (root / "templates/_fallback.html").write_text("<p>B, longer</p>\n", "utf-8")
    assert html(rebuild(session)) == html(rebuild_all(session))
    (root / "templates/_custom.html").write_text("<p>C</p>\n", "utf-8")
    assert html(rebuild(session)) == html(rebuild_all(session))


def test_a_template_edit_that_keeps_its_modification_time_is_seen(session):
    path = project_file(session.engine.root, "templates/search.html")
    stat = path.stat()
    edit(session.engine.root, "templates/search.html", "Search the research",
         "Search this research")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert rebuild(session) == {"search/index.html"}


def test_the_preview_makes_data_files_only_when_asked_for(project):
    """serve's rebuild makes the pages; each data file is made from the last good build when
    first asked for, equal to a clean build's, and kept while what it reads is unchanged."""
    session = PreviewBuilder(project, lazy_exports=True)
    first = session.rebuild()
    clean = build_in_memory(project).pages
    exports = set(clean) - set(first.pages) - {p for p in clean if p.startswith("static/")
                                               and "search-index" not in p}
    assert FACT_DATA | {"feed.xml", "sitemap.xml"} <= exports
    assert not exports & set(first.built.rendered.made)
    assert {p: session.later(p) for p in exports} == {p: clean[p] for p in exports}
    seed = "sources/000_0a8abdfef13416d9/seed.txt"
    kept = session.later(seed)
    edit(project, A003, "statement: Lavrov said on 6 April 2021 that the United States wants",
         "statement: Lavrov said on 6 April 2021 that Washington wants")
    made = set(session.rebuild().built.rendered.made)
    assert not made & exports and S003 in made  # the pages only
    clean = build_in_memory(project).pages
    assert b"that Washington wants" in session.later("data/facts.json")
    assert {p: session.later(p) for p in exports} == {p: clean[p] for p in exports}
    assert session.later(seed) is kept  # not made again: what it reads did not change
    assert session.later("index.html") is None  # a page, not a data file left for later


def test_a_query_runs_again_only_when_what_it_read_changed(session, monkeypatch):
    from sourcebook.site import reader

    name = "sourcebook.site.pages.sources.backrefs"  # one query per source page
    original, asked = reader._QUERIES[name], []

    def counted(read, source_id):
        asked.append(source_id)
        return original(read, source_id)

    monkeypatch.setitem(reader._QUERIES, name, counted)
    edit(session.engine.root, A003,
         "statement: Lavrov said on 6 April 2021 that the United States wants",
         "statement: Lavrov said on 6 April 2021 that Washington wants")
    session.rebuild()
    assert asked == ["003_4197f04110c4ab2c"]  # the four other sources' answers were reused
    session.rebuild()
    assert asked == ["003_4197f04110c4ab2c"]


def test_a_query_that_reads_folds_is_not_asked_when_the_edit_changes_no_sum(
        session, monkeypatch):
    """The coverage matrix reads tallies over the facts and the archive's rows, a grouping
    over the sources: a new statement changes neither, so it is answered as last time; a
    source's new date moves its row, and it is asked again."""
    from sourcebook.site import reader

    name = "sourcebook.site.pages.home.coverage"
    original, asked = reader._QUERIES[name], []

    def counted(read):
        asked.append(name)
        return original(read)

    monkeypatch.setitem(reader._QUERIES, name, counted)
    edit(session.engine.root, A003,
         "statement: Lavrov said on 6 April 2021 that the United States wants",
         "statement: Lavrov said on 6 April 2021 that Washington wants")
    assert "index.html" not in session.rebuild().built.rendered.made
    assert asked == []
    edit(session.engine.root, A003, "published: 2021-04-06", "published: 2017-04-06")
    assert "index.html" in session.rebuild().built.rendered.made  # sources oldest first
    assert asked == [name]
    assert session.rebuild().pages == build_in_memory(session.engine.root).pages


def test_a_page_made_again_renders_only_the_list_items_that_changed(session, monkeypatch):
    """`each` keeps what a macro rendered for each fact between preview builds: after the
    second edit of one statement, the topic pages, the timeline and the entity pages that
    list it render that fact's entry alone, and still equal a clean build."""
    from sourcebook.site.templates import Fragments

    rendered: list[str] = []
    put = Fragments.put
    monkeypatch.setattr(Fragments, "put",
                        lambda self, key, html: (rendered.append(html), put(self, key, html)))
    old = "statement: Lavrov said on 6 April 2021 that the United States wants"
    for new in ("that Washington wants", "that the US wants"):
        edit(session.engine.root, A003, old, f"statement: Lavrov said on 6 April 2021 {new}")
        old = f"statement: Lavrov said on 6 April 2021 {new}"
        rendered.clear()
        made = rebuild(session)
        assert "timeline/index.html" in made
    assert rendered and all("Lavrov said on 6 April 2021 that the US wants" in html
                            for html in rendered), len(rendered)
    assert len(rendered) <= len(html(made))


def test_a_rebuild_plans_again_only_the_kinds_whose_keys_changed(session, monkeypatch):
    """The plan keeps each kind's files while its keys are the same: a statement edited
    plans nothing again; a new source plans the source pages (and the kinds keyed by
    sources) again, and the result equals a clean build."""
    from sourcebook.site.render import Artifact

    planned: list[str] = []
    of = Artifact.of.__func__  # type: ignore[attr-defined]
    monkeypatch.setattr(Artifact, "of", classmethod(
        lambda cls, kind, key: (planned.append(kind.name), of(cls, kind, key))[1]))
    edit(session.engine.root, A003,
         "statement: Lavrov said on 6 April 2021 that the United States wants",
         "statement: Lavrov said on 6 April 2021 that Washington wants")
    session.rebuild()
    assert planned == []
    root = session.engine.root
    (root / "seeds/new_article.txt").write_text("A short new article.\n", "utf-8")
    project_file(root, "content/sources/new_article.yaml").write_text(
        "title: A new article\nclaims: []\n", "utf-8")
    session.rebuild()
    assert "source" in planned and "topic" not in planned
    assert session.rebuild().pages == build_in_memory(root).pages


def test_an_edit_to_a_file_the_last_build_did_not_read_again_is_seen(session, monkeypatch):
    """A file kept by its identity (inode, mtime, ctime, size) is read again once written: an
    edited annotation and an edited seed reach the pages as a clean build makes them."""
    import sourcebook.files as files

    monkeypatch.setattr(files, "RECENT_NS", 0)  # trust every identity, even a fresh one
    assert rebuild(session) == set()
    edit(session.engine.root, A003,
         "statement: Lavrov said on 6 April 2021 that the United States wants",
         "statement: Lavrov said on 6 April 2021 that Washington wants")
    assert S003 in rebuild(session)
    seed = session.engine.root / "seeds/003_4197f04110c4ab2c.txt"
    seed.write_text(seed.read_text("utf-8") + "\nA line added at the end.\n", "utf-8")
    assert "sources/003_4197f04110c4ab2c/seed.txt" in rebuild(session)


# Each edit that reaches facts by another way than their own claims: a source's date (the
# order of evidence), a status, an entity's alias (mentions), the topics' order, an outlet
# description, the findings, the settings. A rebuild after each must equal a clean build.
OTHER_EDITS = [
    (A003, "published: 2021-04-06", "published: 2021-04-07"),
    ("content/status.yaml", "  status: unverified\n", "  status: disputed\n"),
    ("content/entities.yaml", "  aliases: [Kirby]", "  aliases: [Kirby, Jaishankar]"),
    ("content/topics/quad.md", "order: 4", "order: 0"),
    ("content/outlets.yaml", "An Indian business", "An Indian business and markets"),
    ("content/findings.md", "**India bought the S-400", "**India bought the Russian S-400"),
    ("content/site.yaml", "licence: CC BY 4.0", "licence: CC BY-SA 4.0"),
]


def test_edits_beside_the_claims_rebuild_as_a_clean_build(session):
    root = session.engine.root
    for rel, old, new in OTHER_EDITS:
        edit(root, rel, old, new)
        assert rebuild(session), rel  # something shows the edit; the output equals a clean build
    for rel, old, new in reversed(OTHER_EDITS):
        edit(root, rel, new, old)
        assert rebuild(session), rel


def test_a_topic_removed_after_a_good_build_is_reported_where_it_is_cited(session):
    from sourcebook.diagnostics import ContentError

    topic = project_file(session.engine.root, "content/topics/quad.md")
    text = topic.read_text(encoding="utf-8")
    topic.unlink()
    with pytest.raises(ContentError) as failed:
        session.rebuild()
    assert any("unknown topic 'quad'" in d.message for d in failed.value.diagnostics.errors)
    topic.write_text(text, encoding="utf-8")
    assert rebuild(session) == set()  # back as it was: the last good pages are current


def test_each_keeps_only_what_macros_imported_without_context_rendered(tmp_path):
    """A macro of the page's own template, or one imported `with context`, sees the page's
    variables: `each` renders it every time, so a changed variable shows at once."""
    from sourcebook.routes import Linker, Url
    from sourcebook.site.reader import Digests, Reader
    from sourcebook.site.templates import make_environment, render

    (tmp_path / "_m.html").write_text(
        "{% macro m(x) %}[{{ x }}{{ suffix|default('') }}]{% endmacro %}", "utf-8")
    (tmp_path / "page.html").write_text(
        "{% from '_m.html' import m %}{% from '_m.html' import m as mc with context %}"
        "{% macro own(x) %}<{{ x }}{{ suffix }}>{% endmacro %}"
        "{{ each(m, items) }}|{{ each(mc, items) }}|{{ each(own, items) }}", "utf-8")
    env = make_environment(tmp_path)

    def page(suffix: str) -> str:
        env.fragments.start_build(keep=True)
        return render(env, "page.html", {"items": ["a", "b"], "suffix": suffix},
                      Linker(Url("p/")), Reader(Digests(None)))

    assert page("1") == "[a][b]|[a1][b1]|<a1><b1>"
    assert page("2") == "[a][b]|[a2][b2]|<a2><b2>"


def test_an_edited_macro_that_a_kept_entry_calls_shows_on_the_next_build(session):
    """A kept entry is named by its own macro's code: `fact_item` is unchanged when only
    `citation`, which it calls, is edited; every kept entry is dropped then."""
    import shutil

    from sourcebook.theme import THEME_DIR

    root = session.engine.root
    for statement in ("that Washington wants", "that the US wants"):  # entries kept
        edit(root, A003, "statement: Lavrov said on 6 April 2021 that the United States wants"
             if statement.endswith("Washington wants") else
             "statement: Lavrov said on 6 April 2021 that Washington wants",
             f"statement: Lavrov said on 6 April 2021 {statement}")
        rebuild(session)
    (root / "templates").mkdir(exist_ok=True)
    shutil.copyfile(THEME_DIR / "_facts.html", root / "templates/_facts.html")
    edit(root, "templates/_facts.html", '<p class="quote-source">',
         '<p class="quote-source edited">')
    made = rebuild(session)  # equals a clean build
    assert "topics/s-400/index.html" in made
    assert b"quote-source edited" in session.pages["topics/s-400/index.html"]


def test_a_patched_research_names_what_may_differ_and_the_changed_keys_are_the_same(session):
    """The facts stage patches the last research and names the facts and sources that may
    differ; the render stage looks at those only, and finds the keys a full comparison finds."""
    import dataclasses

    from sourcebook.site.invalidation import changed_keys

    old = session.engine.research
    edit(session.engine.root, A003,
         "statement: Lavrov said on 6 April 2021 that the United States wants",
         "statement: Lavrov said on 6 April 2021 that Washington wants")
    session.rebuild()
    new = session.engine.research
    assert new.delta is not None and new.delta.base == old.serial
    # The facts the edited source cites, not every fact.
    assert new.delta.sources == {"003_4197f04110c4ab2c"} and len(new.delta.facts) < 20
    assert len(new.facts) > 30
    whole = dataclasses.replace(new, delta=None)  # compared fact by fact, source by source
    keys = sorted(changed_keys(old, new))
    assert keys == sorted(changed_keys(old, whole))
    assert ("source", "003_4197f04110c4ab2c") in keys and ("facts",) in keys


def test_a_page_made_again_makes_views_only_of_the_facts_that_changed(session, monkeypatch):
    """In the preview, a fact's view is kept while its fact, sources, speakers and settings
    are the same objects: after the second edit of one statement, the pages made again make
    views only of the facts that cite the edited source, and equal a clean build."""
    from sourcebook.site import views

    made: list[str] = []
    facets = views.fact_facets
    monkeypatch.setattr(views, "fact_facets",
                        lambda fact, citations: (made.append(fact.id), facets(fact, citations))[1])
    old = "statement: Lavrov said on 6 April 2021 that the United States wants"
    for new in ("that Washington wants", "that the US wants"):
        edit(session.engine.root, A003, old, f"statement: Lavrov said on 6 April 2021 {new}")
        old = f"statement: Lavrov said on 6 April 2021 {new}"
        made.clear()
        pages = set(session.rebuild().built.rendered.made)
    research = session.engine.research
    citing = {f.id for f in research.facts if "003_4197f04110c4ab2c" in f.source_ids}
    [topic] = {f.topics[0] for f in research.facts if "that the US wants" in f.statement}
    listed = {f.id for f in research.facts if topic in f.topics}
    assert f"topics/{topic}/index.html" in pages
    # Only views of facts that cite the edited source (its record is a new object) ...
    assert made and set(made) <= citing, set(made) - citing
    assert listed - citing  # ... while the topic page made again lists others too
    assert session.rebuild().pages == build_in_memory(session.engine.root).pages


def test_a_template_imported_by_an_imported_template_is_read_by_every_page_using_it(session):
    """`_facts.html` imports `_text.html`; Jinja keeps an imported template as a module and
    does not load what it imports again, so each page records the templates a template
    imports (by constant names) when it loads it: every page showing a citation is made again
    when `_text.html` changes, not only the first page a process rendered."""
    import shutil

    from sourcebook.theme import THEME_DIR

    root = session.engine.root
    (root / "templates").mkdir(exist_ok=True)
    shutil.copyfile(THEME_DIR / "_text.html", root / "templates/_text.html")
    rebuild(session)
    edit(root, "templates/_text.html", "{% macro source_title(label) %}",
         '{% macro source_title(label) %}<span class="edited-title"></span>')
    made = rebuild(session)  # equals a clean build
    cited = {path for path, data in session.pages.items() if b'class="quote-source"' in data}
    assert len(cited) > 10 and cited <= made
    assert all(b"edited-title" in session.pages[path] for path in cited)
