"""Names and search across scripts (issue 17): entity and topic aliases in Cyrillic and
Devanagari are found as whole words (a word is letters, marks and digits), in composed or
decomposed form; search folds Cyrillic and Devanagari alike in search.js and in Python, and
finds an entity by any alias, whole index or sharded."""
# ruff: noqa: RUF001 (Cyrillic text is meant here, not Latin look-alikes)

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from conftest import copy_project, run_cli
from pagesserver import serve_pages
from sourcebook.authoring.coverage import coverage_report
from sourcebook.authoring.sentences import sentences
from sourcebook.engine.pipeline import build_in_memory
from sourcebook.selectors.names import NameFinder
from sourcebook.selectors.wordchars import MARKS, is_word_char, mark_ranges
from sourcebook.site.exports import search_index
from sourcebook.site.exports.search_words import fold, query_terms, shard_file, sort_key, words

SEARCH_JS = Path(__file__).resolve().parents[1] / "sourcebook" / "theme" / "static" / "search.js"
BASE = "/sourcebook-demo/"
QA = "\u0958"  # DEVANAGARI LETTER QA, a composition exclusion
QA_DECOMPOSED = "\u0915\u093c"  # KA + NUKTA: what NFC and NFKC make of it


# --- what a word is ---


def test_marks_are_every_mark_of_unicode_and_are_part_of_words():
    assert mark_ranges() == MARKS
    for mark in ("\u0940", "\u094d", "\u093c", "\u0902", "\u0301"):  # ी ् ़ ं, acute
        assert unicodedata.category(mark)[0] == "M" and is_word_char(mark)
    assert is_word_char("\u0436") and is_word_char("\u0915") and is_word_char("7")
    assert not is_word_char("\u0964") and not is_word_char(" ") and not is_word_char("_")


def found(finder: NameFinder, text: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(match.group(), owners) for match, owners in finder.matches(text)]


def test_a_devanagari_name_is_found_as_a_whole_word_only():
    finder = NameFinder.of([("modi", ["मोदी"]), ("russia", ["रूस"]), ("jaishankar", ["जयशंकर"]),
                            ("kar", ["कर"])])
    # A name ending in a vowel sign, before a postposition, a danda or the end.
    assert found(finder, "मोदी ने कहा") == [("मोदी", ("modi",))]
    assert found(finder, "यह मोदी।") == [("मोदी", ("modi",))]
    assert found(finder, "जयशंकर ने रूस का दौरा किया") == [
        ("जयशंकर", ("jaishankar",)), ("रूस", ("russia",))]
    # Never inside a longer word, whatever letter or mark follows or precedes it.
    assert found(finder, "रूसी विदेश मंत्री") == []  # रूस + vowel sign ी: "Russian"
    assert found(finder, "मोदीजी") == [] and found(finder, "जयशंकरजी") == []
    assert found(finder, "शंकर") == []  # कर after an anusvara
    assert found(finder, "कर रहे") == [("कर", ("kar",))]
    # After a rejected match inside a word, the search goes on: the second कर is a word.
    assert [m.start() for m, _ in finder.matches("शंकर कर")] == [5]


def test_a_name_with_a_nukta_matches_it_composed_or_decomposed():
    for alias in (QA + "ानून", QA_DECOMPOSED + "ानून"):
        finder = NameFinder.of([("law", [alias])])
        for text in (QA + "ानून बना", QA_DECOMPOSED + "ानून बना"):
            assert [owners for _, owners in finder.matches(text)] == [("law",)], (alias, text)
        assert found(finder, "कानून") == []  # without the nukta: another spelling
    # And Cyrillic or Latin letters with a diacritic, as one code point or as two.
    finder = NameFinder.of([("petr", ["Пётр"]), ("jose", ["José"])])
    assert [o for _, o in finder.matches("Пе\u0308тр и Jose\u0301")] == [("petr",), ("jose",)]
    assert [o for _, o in finder.matches("Пётр и José")] == [("petr",), ("jose",)]


def test_a_cyrillic_name_is_literal_and_case_sensitive_as_an_english_one():
    finder = NameFinder.of([("lavrov", ["Лавров", "Лаврова"]), ("modi", ["Modi"])])
    assert found(finder, "Сергей Лавров, министр") == [("Лавров", ("lavrov",))]
    assert found(finder, "встреча Лаврова и") == [("Лаврова", ("lavrov",))]  # listed as alias
    assert found(finder, "Лаврову") == []  # an inflected form not listed
    assert found(finder, "ЛАВРОВ MODI") == []  # names are case-sensitive in every script
    assert found(finder, "_Modi_ Лавров_") == [("Modi", ("modi",)), ("Лавров", ("lavrov",))]


def test_a_danda_ends_a_sentence_and_a_cyrillic_initial_does_not():
    text = ("नई दिल्ली, 6 अप्रैल। जयशंकर ने बात की। रक्षा पर चर्चा हुई॥ "
            "Об этом сказал С. Лавров. Потом «ушёл». S. Jaishankar said.")
    assert [text[a:b] for a, b in sentences(text)] == [
        "नई दिल्ली, 6 अप्रैल।", "जयशंकर ने बात की।", "रक्षा पर चर्चा हुई॥",
        "Об этом сказал С. Лавров.", "Потом «ушёл».", "S. Jaishankar said."]


# --- search: folding and words, in Python and in search.js ---


MIXED = ("Сергей ЛАВРОВ и Пётр Йошкар-Ола: «Ёлка» — मोदी ने रूस। " + QA + "ानून "
         + QA_DECOMPOSED + "ानून क्\u200dष जयशंकर, S\u2011400")


MIXED_WORDS = ["сергей", "лавров", "и", "петр", "йошкар-ола", "йошкар", "ола", "йошкарола",
               "елка", "मोदी", "ने", "रूस", "कानून", "कानून", "क्ष", "जयशंकर", "s-400", "s", "400",
               "s400"]


def test_cyrillic_and_devanagari_fold_to_whole_words():
    assert words(fold(MIXED)) == MIXED_WORDS
    assert fold("й Й ў") == "й й ў" and fold("ёЁ") == "ее"
    assert fold(QA) == fold(QA_DECOMPOSED) == "क"
    assert fold("किताबें") == "किताबें"  # vowel signs and anusvara are kept
    assert query_terms("जयशंकर।") == [("जयशंकर", ["जयशंकर"])]


def _search_js_functions() -> str:
    """search.js's folding and word functions, cut from the script as it ships."""
    source = SEARCH_JS.read_text(encoding="utf-8")
    start = source.index("  var MARKS")
    end = source.index("  function has(")
    return source[start:end]


def test_search_js_folds_and_cuts_as_python_does(browser):
    page = browser.new_page()
    try:
        texts = [MIXED, "जयशंकर ने कहा। Лавров", "Пе\u0308тр и\u0306", "रूसी रक्षा मंत्री",
                 "क्\u200cष " + QA + " ज़ ड़ ऩ", "Jaishank\u00e1r's S-400"]
        script = ("texts => { " + _search_js_functions()
                  + " return texts.map(t => [fold(t), words(fold(t)),"
                  " queryTerms(t).map(q => [q.whole, q.pieces])]); }")
        got = page.evaluate(script, texts)
    finally:
        page.close()
    assert got == [[fold(t), words(fold(t)), [[w, p] for w, p in query_terms(t)]]
                   for t in texts]
    assert got[0][1] == MIXED_WORDS


def test_shards_of_non_latin_words_have_safe_names_and_find_what_the_whole_index_finds():
    from test_search_parts import reference, sharded_search
    consonants, signs = "कखगचजटडतदनपबमरलसह", ["", "\u093e", "\u093f", "\u0940", "\u0942"]
    cyrillic = "абвгдежзийклмнопрстуфхцчшщыэюя"

    def hindi(n: int) -> str:  # many words starting with ज, ending in a vowel sign or not
        return "ज" + consonants[n % 17] + signs[n // 17 % 5] + consonants[n * 7 % 17]

    records = [{"kind": ("fact", "entity", "source", "topic")[n % 4],
                "title": f"Встреча {n} Лавров जयशंकर {n % 7} रूसी {hindi(n)} "
                         f"Л{cyrillic[n % 30]}{cyrillic[n * 7 % 30]}{cyrillic[n // 30]}",
                "text": f"{QA}ानून {n % 5} Пётр-{n % 3} мой рक्षा", "href": f"x/{n}/",
                "meta": "मीडिया"} for n in range(300)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_index, "SHARD_BYTES", 1_500)
        layout = search_index.shard(records)
    assert layout.prefixes and any(not k.isascii() for k in layout.prefixes)
    for name in layout.files:
        assert re.fullmatch(r"[a-z0-9_]+", name), name
    assert shard_file(fold("ज़")) == "_91c_"  # the nukta folded away before any key is made
    ordered = sorted(records, key=sort_key)
    for query in (hindi(5), hindi(5)[:3], hindi(40), "Лаб", "л", "лав", "лавров", "Лав",
                  "ЛАВРОВ", "जयशंकर", "ज", "जय", QA_DECOMPOSED + "ानून",
                  "कानून", "петр", "Пётр-1", "мои", "мой", "रूसी", "रूस", "मीडिया 3"):
        expected = [r["href"] for r in reference(records, query)]
        assert [ordered[n]["href"] for n in sharded_search(layout, query)] == expected, query
    assert len(reference(records, "कानून")) == 300  # the nukta does not matter
    assert reference(records, "мои") == []  # й is not и


# --- a project with Russian and Hindi sources, built ---


RUSSIAN_SEED = """\
Лавров и Джайшанкар обсудили оборонное сотрудничество

Нью-Дели, 6 апреля. Министр иностранных дел России Сергей Лавров провёл в Нью-Дели переговоры \
с министром иностранных дел Индии Субраманьямом Джайшанкаром.

Стороны обсудили оборонное сотрудничество, поставки систем С-400 и совместное производство \
вооружений.

По словам Лаврова, встреча прошла в дружественной обстановке.
"""

# Written as a Hindi keyboard may write a nukta letter: precomposed (U+095E, U+0958).
LAVROF = "लावरो\u095e"
HINDI_SEED = f"""\
जयशंकर और {LAVROF} की नई दिल्ली में बातचीत

नई दिल्ली, 6 अप्रैल। विदेश मंत्री जयशंकर ने मंगलवार को रूसी विदेश मंत्री सर्गेई {LAVROF} से मुला\u0958ात की। \
उन्होंने रक्षा संबंधों की समीक्षा भी की।

दोनों नेताओं ने रक्षा सहयोग और एस-400 प्रणाली की आपूर्ति पर चर्चा की।

बैठक के बाद जयशंकर ने कहा कि बातचीत उपयोगी रही।
"""

STATEMENT = "S. Jaishankar and Sergei Lavrov met in New Delhi on 6 April 2021."


def _source(title: str, outlet: str, url: str, quote: str) -> str:
    return (f'title: "{title}"\npublished: 2021-04-06\noutlet: {outlet}\nurl: {url}\n'
            f"retrieved: 2026-11-22\nclaims:\n  - fact: jaishankar-lavrov-talks-scripts\n"
            f'    quote: "{quote}"\n    topics: [defence-ties]\n'
            f"    statement: {STATEMENT}\n    date: 2021-04-06\n")


def script_project(root: Path) -> Path:
    """The bundled project with a Russian and a Hindi source citing one fact, and aliases of
    Lavrov, Jaishankar and the topic of defence ties in Cyrillic and Devanagari."""
    copy_project(root)
    (root / "seeds" / "900_ru_example.txt").write_text(RUSSIAN_SEED, encoding="utf-8")
    (root / "seeds" / "901_hi_example.txt").write_text(HINDI_SEED, encoding="utf-8")
    (root / "content" / "sources" / "900_ru_example.yaml").write_text(_source(
        "Лавров и Джайшанкар обсудили оборонное сотрудничество", "Mint",
        "https://example.org/ru/lavrov", "Министр иностранных дел России Сергей Лавров "
        "провёл в Нью-Дели переговоры"), encoding="utf-8")
    (root / "content" / "sources" / "901_hi_example.yaml").write_text(_source(
        f"जयशंकर और {LAVROF} की नई दिल्ली में बातचीत", "Mint", "https://example.org/hi/jaishankar",
        f"विदेश मंत्री जयशंकर ने मंगलवार को रूसी विदेश मंत्री सर्गेई {LAVROF} से मुला\u0958ात की"),
        encoding="utf-8")
    entities = root / "content" / "entities.yaml"
    text = entities.read_text(encoding="utf-8")
    text = text.replace("aliases: [Jaishankar, Jayashankar,",
                        "aliases: [जयशंकर, Джайшанкар, Jaishankar, Jayashankar,", 1)
    text = re.sub(r"(sergei-lavrov:\n(?:  .*\n)*?  aliases: \[)",
                  "\\1Лавров, Лаврова, लावरोफ\u093c, ", text, count=1)
    assert "Лаврова" in text and "जयशंकर" in text and "लावरोफ\u093c" in text  # decomposed
    entities.write_text(text, encoding="utf-8")
    topic = root / "content" / "topics" / "defence-ties.md"
    text = topic.read_text(encoding="utf-8")
    topic.write_text(re.sub(r"^aliases: \[", "aliases: [रक्षा, оборонное, ", text, count=1,
                            flags=re.M), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def scripts_root(tmp_path_factory) -> Path:
    return script_project(tmp_path_factory.mktemp("scripts") / "project")


def test_entities_and_topics_are_found_by_their_cyrillic_and_devanagari_aliases(scripts_root):
    built = build_in_memory(scripts_root)
    sources = {s.id: s for s in built.research.sources}
    assert {"sergei-lavrov", "s-jaishankar"} <= set(sources["900_ru_example"].names)
    assert {"sergei-lavrov", "s-jaishankar"} <= set(sources["901_hi_example"].names)
    facts = json.loads(built.pages["data/facts.json"])
    fact = next(f for f in facts["facts"] if f["id"] == "jaishankar-lavrov-talks-scripts")
    assert set(fact["mentions"]) == {"sergei-lavrov", "s-jaishankar"}
    assert len(fact["evidence"]) == 2
    # The coverage report finds the topic's Devanagari and Cyrillic aliases: uncited in the
    # body, excluded in the headline (which the title shows).
    mentions = {(m.source_id, m.alias, m.state) for m in coverage_report(built.research).mentions
                if m.source_id.startswith("90")}
    assert mentions == {("900_ru_example", "оборонное", "excluded"),
                        ("900_ru_example", "оборонное", "uncovered"),
                        ("901_hi_example", "रक्षा", "uncovered")}  # two, in two sentences
    hindi = [m for m in coverage_report(built.research).mentions if m.source_id == "901_hi_example"]
    assert len(hindi) == 2 and len({m.sentence for m in hindi}) == 2
    result = run_cli(scripts_root, "check", "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    shares = {s["name"]: s for s in report["coverage"]["sources"]}
    assert (shares["901_hi_example"]["mentions"], shares["901_hi_example"]["uncovered"]) == (2, 2)


@pytest.fixture(scope="module")
def scripts_sites(scripts_root, tmp_path_factory) -> dict[str, Path]:
    """The project's site with its one-file index, and with the index sharded."""
    sites = {}
    for name, patches in (("whole", {}), ("sharded", {"PART_BYTES": 4_000, "SHARD_BYTES": 600})):
        with pytest.MonkeyPatch.context() as patch:
            for attr, value in patches.items():
                patch.setattr(search_index, attr, value)
            pages = build_in_memory(scripts_root).pages
        folder = tmp_path_factory.mktemp(f"scripts-{name}")
        for rel, data in pages.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_bytes(data)
        sites[name] = folder
    return sites


@pytest.mark.parametrize("layout", ["whole", "sharded"])
@pytest.mark.parametrize("query", ["Лавров", "лавров", "Лаврова", "लावरोफ", LAVROF, "जयशंकर",
                                   "Джайшанкар", "मुलाकात"])
def test_search_finds_the_entity_by_a_cyrillic_or_devanagari_alias(browser, scripts_sites,
                                                                   layout, query):
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        with serve_pages(scripts_sites[layout], BASE) as url:
            page.goto(f"{url}search/?q={query}")
            page.wait_for_function("() => / for \u201c/.test("
                                   "document.getElementById('search-status').textContent)")
            hrefs = page.eval_on_selector_all(
                "#search-results a", "links => links.map(a => a.getAttribute('href'))")
    finally:
        page.close()
    assert errors == []
    fact = [h for h in hrefs if "jaishankar-lavrov-talks-scripts" in h]
    if query == "मुलाकात":  # the quote's मुलाक़ात: a nukta does not matter
        assert fact, hrefs
        return
    entity = ("../entities/sergei-lavrov/" if query.lower().startswith(("лав", "लाव"))
              else "../entities/s-jaishankar/")
    assert entity in hrefs, hrefs
    assert any("jaishankar-lavrov-talks-scripts" in h for h in hrefs), hrefs  # and its fact
