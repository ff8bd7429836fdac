"""Sources in any language (issue 17): an English, a Russian and a Hindi report of one fact
(tests/fixtures/multilingual), built end to end. The fact shows three independent reports;
every quotation, title and passage in Russian or Hindi carries its `lang` on every page; each
translation is shown beside its original and marked, with its translator; the exports carry
the languages; a language written as a name is a located error with the tag meant."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote as url_quote

import jsonschema
import pytest
import yaml

from conftest import REPO, run_cli
from pagesserver import serve_pages
from sourcebook.cli import main
from sourcebook.content.languages import (
    canonical_tag,
    direction,
    is_language_tag,
    other_language,
    tag_hints,
)
from sourcebook.engine.pipeline import build_in_memory
from sourcebook.site.catalogue import CATALOGUE, read_research
from sourcebook.site.exports.search_index import search_records
from test_publish import axe_report

FIXTURE = REPO / "tests" / "fixtures" / "multilingual"
SCHEMA_DIR = REPO / "sourcebook" / "research" / "schemas"
BASE = "/sourcebook-demo/"
FACT = "trade-expansion-agreed"
RU_QUOTE = "договорились расширить торговлю удобрениями и лекарствами"
HI_QUOTE = "उर्वरकों और दवाओं के व्यापार को बढ़ाने पर सहमति जताई"
EN_QUOTE = "agreed to expand trade in fertilisers and medicines"
RU_TITLE = "Министры обсудили торговлю в Москве"
HI_TITLE = "मॉस्को में व्यापार पर बातचीत"


def copy_fixture(target: Path) -> Path:
    shutil.copytree(FIXTURE, target)
    return target


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_fixture(tmp_path_factory.mktemp("languages") / "project")
    assert main(["--root", str(project), "build"]) == 0
    return project


@pytest.fixture(scope="module")
def site(root: Path) -> Path:
    return root / "site"


# --- the fact and its three reports ---


def test_the_fact_shows_three_independent_reports(site):
    facts = json.loads((site / "data/facts.json").read_text("utf-8"))
    fact = next(f for f in facts["facts"] if f["id"] == FACT)
    assert sorted(e["source"] for e in fact["evidence"]) == ["en-report", "hi-report",
                                                             "ru-report"]
    assert len(fact["independent_reports"]) == 3
    html = (site / "topics/talks/index.html").read_text("utf-8")
    assert "3 independent reports: " in html


# --- lang on every page ---


def _blockquotes(html: str) -> dict[str, str | None]:
    """Each quotation's text → its lang attribute (None when it has none)."""
    found = {}
    for match in re.finditer(r"<blockquote cite=\"[^\"]*\"( lang=\"([^\"]+)\")?>(.*?)</blockquote>",
                             html, re.S):
        found[re.sub(r"<[^>]+>", "", match.group(3))] = match.group(2)
    return found


@pytest.mark.parametrize("rel", ["topics/talks", "entities/sergey-lavrov",
                                 "entities/s-jaishankar"])
def test_each_quote_carries_its_language(site, rel):
    html = (site / rel / "index.html").read_text("utf-8")
    assert '<html lang="en">' in html
    quotes = _blockquotes(html)
    assert quotes, rel
    expected = {RU_QUOTE: "ru", HI_QUOTE: "hi", EN_QUOTE: None,
                "встречи будут проходить ежегодно": "ru", "बातचीत खुली और उपयोगी रही": "hi"}
    for quote, lang in quotes.items():
        assert lang == expected[quote], (rel, quote, lang)
    if rel == "topics/talks":
        assert set(quotes) == set(expected)


def test_the_fact_permalink_shows_every_quote_in_its_language(site):
    html = (site / "topics/talks/index.html").read_text("utf-8")
    entry = html[html.index(f'id="f-{FACT}"'):]
    entry = entry[:entry.index('<li id="f-', 10)] if '<li id="f-' in entry[10:] else entry
    assert _blockquotes(entry) == {EN_QUOTE: None, HI_QUOTE: "hi", RU_QUOTE: "ru"}


@pytest.mark.parametrize(("source", "lang", "title", "quote"),
                         [("ru-report", "ru", RU_TITLE, RU_QUOTE),
                          ("hi-report", "hi", HI_TITLE, HI_QUOTE)])
def test_the_archived_text_and_title_carry_the_source_language(site, source, lang, title,
                                                               quote):
    html = (site / "sources" / source / "index.html").read_text("utf-8")
    assert f'<h1 lang="{lang}">{title}</h1>' in html
    archived = html[html.index('<section class="archived"'):html.index("</section>")]
    paragraphs = re.findall(r"<p( lang=\"[^\"]+\")?>", archived)
    assert paragraphs and all(p == f' lang="{lang}"' for p in paragraphs)
    assert re.search(rf'<p lang="{lang}">[^<]*<mark class="passage"[^>]*>{quote}</mark>',
                     archived)
    # the English around it (the notes under a paragraph) is not marked as the source's
    notes = re.findall(r'<ul class="cited-by"( lang="[^"]+")?>', archived)
    assert notes and all(not n for n in notes)
    assert f'“<span lang="{lang}">{quote}</span>”' in archived  # the hidden excerpt
    # no dir for Russian or Hindi
    assert "dir=" not in html


def test_an_english_source_page_has_no_lang_of_its_own(site):
    html = (site / "sources/en-report/index.html").read_text("utf-8")
    assert html.count("lang=") == 1  # <html lang="en"> alone


@pytest.mark.parametrize("rel", ["", "sources", "outlets/primer-vestnik"])
def test_source_titles_in_lists_carry_their_language(site, rel):
    html = (site / rel / "index.html").read_text("utf-8")
    assert f'<span lang="ru">{RU_TITLE}</span>' in html
    if rel != "outlets/primer-vestnik":
        assert f'<span lang="hi">{HI_TITLE}</span>' in html


def test_the_entity_page_lists_sources_naming_it_with_their_language(site):
    html = (site / "entities/sergey-lavrov/index.html").read_text("utf-8")
    assert f'href="../../sources/ru-report/" lang="ru">{RU_TITLE}</a>' in html


def test_the_feed_marks_a_title_in_another_language(site):
    tree = ET.parse(site / "feed.xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert tree.getroot().get(xml_lang) == "en"
    titles = {t.text: t.get(xml_lang) for t in tree.getroot().iterfind("a:entry/a:title", ns)}
    assert titles[RU_TITLE] == "ru"
    assert titles[HI_TITLE] == "hi"
    assert titles["Source: Ministers talk trade in Moscow"] is None


def test_search_records_carry_the_language_of_a_title(root):
    records = _search_records(root)
    by_title = {r["title"]: r for r in records}
    assert by_title[RU_TITLE]["lang"] == "ru"
    assert by_title[HI_TITLE]["lang"] == "hi"
    assert "lang" not in by_title["Ministers talk trade in Moscow"]


def _search_records(root: Path) -> list[dict]:
    """The search index's records (a small site's index is one file)."""
    read = read_research(build_in_memory(root).research)
    return [record.as_json() for record in search_records(read)]


# --- translations shown and marked ---


def test_each_translation_is_shown_beside_its_quote_and_names_its_translator(site):
    html = (site / "topics/talks/index.html").read_text("utf-8")
    ru = html.index(f'lang="ru">{RU_QUOTE}</blockquote>')
    assert html.index('<p class="translation"><span class="translation-label">Translation by '
                      'Anna Example:</span> agreed to expand trade in fertilisers and '
                      'medicines</p>', ru) - ru < 200
    hi = html.index(f'lang="hi">{HI_QUOTE}</blockquote>')
    assert html.index('<span class="translation-label">Translation by Ravi Example:</span> '
                      'agreed to increase the trade in fertilisers and medicines', hi) - hi < 300
    # a Hindi claim with no translator of its own, in a source with none: "Translation:"
    assert ('<span class="translation-label">Translation:</span> the talks were open and '
            'useful') in html
    # the titles' translations, beside the titles
    assert (f'<span lang="ru">{RU_TITLE}</span> <span class="translation trans-title">['
            '<span class="translation-label">Translation by Anna Example:</span> Ministers '
            'discussed trade in Moscow]</span>') in html
    assert '[<span class="translation-label">Translation:</span> Talks on trade in Moscow]' \
        in html


def test_the_source_page_shows_the_translated_title_and_the_language(site):
    html = (site / "sources/ru-report/index.html").read_text("utf-8")
    assert ('<p class="translation trans-title"><span class="translation-label">Translation '
            'by Anna Example:</span> Ministers discussed trade in Moscow</p>') in html
    assert "<dt>Language</dt><dd>Russian (ru); quotations translated by Anna Example</dd>" \
        in html


def test_text_fragments_use_the_original_text(site):
    html = (site / "topics/talks/index.html").read_text("utf-8")
    assert "#:~:text=" + url_quote(RU_QUOTE, safe="") in html
    assert "fertilisers%20and%20medicines" not in html.split("ru.example.org")[1][:400]


# --- exports ---


def test_facts_json_carries_languages_and_translations(site):
    data = json.loads((site / "data/facts.json").read_text("utf-8"))
    schema = json.loads((SCHEMA_DIR / "facts.schema.json").read_text("utf-8"))
    jsonschema.validate(data, schema)
    fact = next(f for f in data["facts"] if f["id"] == FACT)
    by_source = {e["source"]: e for e in fact["evidence"]}
    assert by_source["ru-report"]["language"] == "ru"
    assert by_source["ru-report"]["quote"] == RU_QUOTE
    assert by_source["ru-report"]["trans_quote"] == EN_QUOTE
    assert by_source["ru-report"]["translator"] == "Anna Example"
    assert by_source["hi-report"]["language"] == "hi"
    assert by_source["hi-report"]["translator"] == "Ravi Example"
    assert {"language", "trans_quote", "translator"}.isdisjoint(by_source["en-report"])
    sources = {s["id"]: s for s in data["sources"]}
    assert sources["ru-report"]["language"] == "ru"
    assert sources["ru-report"]["trans_title"] == "Ministers discussed trade in Moscow"
    assert sources["hi-report"]["language"] == "hi"
    assert "language" not in sources["en-report"]


def test_fact_files_carry_languages_and_translations(root):
    schema = json.loads((SCHEMA_DIR / "fact-file.schema.json").read_text("utf-8"))
    record = yaml.safe_load((root / "content/facts" / f"{FACT}.yaml").read_text("utf-8"))
    jsonschema.validate(record, schema)
    ru = next(e for e in record["evidence"] if e["source"] == "ru-report")
    assert (ru["language"], ru["trans_quote"], ru["translator"]) == ("ru", EN_QUOTE,
                                                                    "Anna Example")


def test_the_csv_has_language_columns(site):
    rows = list(csv.DictReader(io.StringIO((site / "data/facts.csv").read_text("utf-8"))))
    ru = next(r for r in rows if r["fact_id"] == FACT and r["source_id"] == "ru-report")
    assert (ru["language"], ru["quote"], ru["trans_quote"], ru["translator"]) == (
        "ru", RU_QUOTE, EN_QUOTE, "Anna Example")
    en = next(r for r in rows if r["fact_id"] == FACT and r["source_id"] == "en-report")
    assert (en["language"], en["trans_quote"], en["translator"]) == ("", "", "")


def test_web_annotations_carry_the_language_of_their_target(site):
    data = json.loads((site / "data/annotations.jsonld").read_text("utf-8"))
    items = {a["id"].split("/sources/")[1]: a for a in data["first"]["items"]}
    ru = items[f"ru-report/#p-{FACT}"]
    assert ru["target"]["source"]["language"] == "ru"
    assert ru["target"]["source"]["id"].endswith("sources/ru-report/seed.txt")
    assert ru["target"]["selector"][0]["exact"] == RU_QUOTE
    translation = [b for b in ru["body"] if b.get("value") == EN_QUOTE]
    assert translation == [{"type": "TextualBody", "value": EN_QUOTE, "format": "text/plain",
                            "language": "en", "purpose": "describing",
                            "creator": {"type": "Person", "name": "Anna Example"}}]
    en = items[f"en-report/#p-{FACT}"]
    assert isinstance(en["target"]["source"], str)


def test_the_downloads_measure_their_exact_size_with_languages(root):
    """The language columns and bodies are counted by the sizes measured without writing."""
    from sourcebook.site.exports.annotations import annotations_bounds

    built = build_in_memory(root)
    read = read_research(built.research)
    sizes = {e.name: e.size(read) for e in CATALOGUE.exports if e.size is not None}
    assert {"data/facts.json", "data/facts.csv", "data/annotations.jsonld"} <= set(sizes)
    assert sizes == {path: len(built.pages[path]) for path in sizes}
    least, most = annotations_bounds(read)
    assert least <= len(built.pages["data/annotations.jsonld"]) <= most


def _jsonld(html: str) -> list:
    return [json.loads(m) for m in re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


def test_schema_org_data_carries_in_language(site):
    source = _jsonld((site / "sources/ru-report/index.html").read_text("utf-8"))[0]
    assert source["inLanguage"] == "ru"
    assert source["alternativeHeadline"] == "Ministers discussed trade in Moscow"
    assert all(part["inLanguage"] == "ru" for part in source["hasPart"])
    english = _jsonld((site / "sources/en-report/index.html").read_text("utf-8"))[0]
    assert english["inLanguage"] == "en"
    topic = _jsonld((site / "topics/talks/index.html").read_text("utf-8"))
    quotations = {q["text"]: q for q in _all(topic)
                  if q.get("@type") == "Quotation" and "isPartOf" in q}
    ru = quotations[RU_QUOTE]
    assert ru["inLanguage"] == "ru"
    assert ru["isPartOf"]["inLanguage"] == "ru"
    assert ru["workTranslation"] == {"@type": "Quotation", "text": EN_QUOTE,
                                     "inLanguage": "en",
                                     "translator": {"@type": "Person", "name": "Anna Example"}}
    assert quotations[HI_QUOTE]["inLanguage"] == "hi"
    assert "inLanguage" not in quotations[EN_QUOTE]


def _all(value) -> Iterator[dict]:
    """Every mapping inside a JSON value."""
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _all(item)
    elif isinstance(value, list):
        for item in value:
            yield from _all(item)


# --- the tag itself ---


def test_tags_are_checked_and_written_in_their_usual_case():
    assert all(map(is_language_tag, ["ru", "hi", "pt-BR", "zh-Hant", "es-419", "sr-Latn-RS",
                                     "en-GB-oxendict", "x-private"]))
    assert not any(map(is_language_tag, ["Russian", "ru_RU", "r", "", "en-", "hindi"]))
    assert canonical_tag("PT-br") == "pt-BR"
    assert canonical_tag("zh-hant") == "zh-Hant"
    assert tag_hints("Russian") == ["did you mean `ru`? write the language's BCP 47 tag, not "
                                    "its name"]
    assert tag_hints("हिन्दी")[0].startswith("did you mean `hi`?")
    assert tag_hints("pt_BR")[0].startswith("did you mean `pt-BR`?")
    assert direction("ar") == "rtl" and direction("ru") == direction("hi") == ""
    assert direction("az-Arab") == "rtl" and direction("ur-Latn") == ""
    assert other_language("en", "en") == "" and other_language("ru", "en") == "ru"
    assert other_language(None, "en") == ""


def test_a_language_written_as_a_name_is_a_located_error_with_a_hint(tmp_path):
    project = copy_fixture(tmp_path / "project")
    path = project / "content/sources/ru-report.yaml"
    path.write_text(path.read_text("utf-8").replace("language: ru", "language: Russian"),
                    "utf-8")
    result = run_cli(project, "build")
    assert result.returncode == 1
    assert ("content/sources/ru-report.yaml:2:11: error: 'language' is not a language tag: "
            "'Russian'") in result.stderr, result.stderr
    assert "did you mean `ru`?" in result.stderr


def test_a_misspelt_site_language_is_a_located_error(tmp_path):
    project = copy_fixture(tmp_path / "project")
    path = project / "content/site.yaml"
    path.write_text(path.read_text("utf-8").replace("language: en", "language: en_GB"),
                    "utf-8")
    result = run_cli(project, "build")
    assert result.returncode == 1
    assert "content/site.yaml:4:11: error: 'language' is not a language tag: 'en_GB'" \
        in result.stderr, result.stderr
    assert "did you mean `en-GB`?" in result.stderr


def test_a_source_language_defaults_to_the_site_language(tmp_path):
    """A site in Russian: the Russian sources need no `lang`, the English one does."""
    project = copy_fixture(tmp_path / "project")
    path = project / "content/site.yaml"
    path.write_text(path.read_text("utf-8").replace("language: en", "language: ru"), "utf-8")
    built = build_in_memory(project)
    topic = built.pages["topics/talks/index.html"].decode()
    quotes = _blockquotes(topic)
    assert quotes[RU_QUOTE] is None
    assert quotes[HI_QUOTE] == "hi"
    assert quotes[EN_QUOTE] is None  # an annotation without `language` is in the site's


# --- search by alias: issue 17's other part fills this in ---


def test_search_records_carry_every_alias_of_an_entity(root):
    """The entity's record carries its aliases in every script (searched in the browser
    below)."""
    records = _search_records(root)
    entity = {r["title"]: r for r in records if r["kind"] == "entity"}
    assert "Лавров" in entity["Sergey Lavrov"]["text"]
    assert "जयशंकर" in entity["S. Jaishankar"]["text"]


# --- in the browser ---


@pytest.fixture(scope="module")
def site_url(site: Path) -> Iterator[str]:
    with serve_pages(site, BASE) as url:
        yield url


PAGES = ("topics/talks/", "sources/ru-report/", "sources/hi-report/", "entities/sergey-lavrov/",
         "entities/s-jaishankar/", "", "sources/", "outlets/primer-vestnik/")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_the_russian_and_hindi_pages(browser, site_url, scheme):
    context = browser.new_context(color_scheme=scheme)
    report = axe_report(context, site_url, PAGES)
    context.close()
    assert report == {}


def test_the_hover_preview_keeps_the_quote_language(browser, site_url):
    tab = browser.new_page()
    tab.goto(site_url + "topics/talks/")
    tab.hover("#cite-3 .cite-link")  # the Russian report
    tab.wait_for_selector("#cite-popover:not([hidden])")
    assert tab.eval_on_selector("#cite-popover .cite-popover-quote", "q => q.lang") == "ru"
    assert "Translation by Anna Example" in tab.inner_text("#cite-popover")
    tab.close()


def test_a_search_result_with_a_russian_title_has_its_lang(browser, site_url):
    tab = browser.new_page()
    tab.goto(site_url + "search/?q=Primer+Vestnik")
    tab.wait_for_selector("#search-results li a")
    langs = tab.eval_on_selector_all("#search-results li a",
                                     "links => links.map(a => [a.textContent, a.lang])")
    assert [RU_TITLE, "ru"] in [list(x) for x in langs], langs
    tab.close()


def test_a_claim_translator_without_a_translation_is_an_error(tmp_path):
    project = copy_fixture(tmp_path / "project")
    path = project / "content/sources/hi-report.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("    trans_quote: the talks were open and useful\n",
                                 "    translator: Ravi Example\n"), "utf-8")
    result = run_cli(project, "build")
    assert result.returncode == 1
    assert "content/sources/hi-report.yaml:15:17: error: a claim's 'translator' names who " \
           "translated its 'trans_quote', and this claim has none" in result.stderr, \
        result.stderr


def test_a_source_named_by_its_title_is_cited_in_its_language(tmp_path):
    """Without an outlet, a citation names the source by its title: in the title's language."""
    project = copy_fixture(tmp_path / "project")
    path = project / "content/sources/ru-report.yaml"
    path.write_text(path.read_text("utf-8").replace("outlet: Primer Vestnik\n", ""), "utf-8")
    topic = build_in_memory(project).pages["topics/talks/index.html"].decode()
    assert (f'<span class="cite-source"><span lang="ru">{RU_TITLE}</span>, 8 November 2023'
            '</span>') in topic


def test_devanagari_text_gets_the_bundled_font_and_only_where_it_is_shown(browser, site_url):
    """Chromium here has no Devanagari font of its own (Debian's package brings none): the Hindi
    page fetches the bundled Noto Sans Devanagari and uses it; a page without Devanagari text
    never downloads it (the face's unicode-range)."""
    fetched: dict[str, list[int]] = {}
    for path in ("sources/en-report/", "sources/hi-report/"):
        tab = browser.new_page()
        fonts: list[int] = []
        tab.on("response", lambda r, fonts=fonts: fonts.append(r.status)
               if r.url.endswith(".woff2") else None)
        tab.goto(site_url + path)
        tab.evaluate("async () => { await document.fonts.ready; }")
        loaded = tab.evaluate("[...document.fonts].filter(f => f.family.includes("
                              "'Sourcebook Devanagari') && f.status === 'loaded').length")
        fetched[path] = [*fonts, loaded]
        tab.close()
    assert fetched["sources/en-report/"] == [0]
    assert fetched["sources/hi-report/"][0] == 200 and fetched["sources/hi-report/"][-1] >= 1


@pytest.mark.parametrize(("query", "entity"), [
    ("Лавров", "entities/sergey-lavrov/"), ("ЛАВРОВ", "entities/sergey-lavrov/"),
    ("जयशंकर", "entities/s-jaishankar/"), ("एस. जयशंकर", "entities/s-jaishankar/")])
def test_search_finds_an_entity_by_a_cyrillic_or_devanagari_alias(browser, site_url, query,
                                                                   entity):
    """Issue 17's end to end: the search page, in Chromium, finds the entity by an alias in
    another script (case folded for Cyrillic)."""
    from urllib.parse import quote

    tab = browser.new_page()
    tab.goto(site_url + "search/?q=" + quote(query))
    tab.wait_for_selector("#search-results li a")
    hrefs = tab.eval_on_selector_all("#search-results li a", "links => links.map(a => a.href)")
    tab.close()
    assert any(href.endswith(entity) for href in hrefs), hrefs
