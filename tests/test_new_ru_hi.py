"""`python build.py new` on Russian and Hindi seeds (issue 17): dates written as "14 ноября
2021", "14.11.2021" or "१४ नवंबर २०२१", Russian and Hindi datelines (TASS, RIA Novosti, PTI's
Bhasha), bylines and credit lines, and the language the seed's script suggests. Every article
here is a short text of our own."""

from __future__ import annotations

import pytest
import yaml

from minisite import make_project
from sourcebook.authoring.boilerplate import boilerplate_reason
from sourcebook.authoring.draft import draft_annotation
from sourcebook.authoring.draft_yaml import render_yaml
from sourcebook.authoring.metadata import (
    find_agency_credit,
    find_byline,
    find_date,
    find_dateline,
    labelled_dates,
)
from sourcebook.authoring.sentences import Line, sentences
from sourcebook.cli import main
from sourcebook.content.schema import ANNOTATION


def line(text: str, number: int = 1) -> Line:
    return Line(number, 0, len(text), text)


def draft(text: str):
    return draft_annotation("x", text, [], [])


# --- dates ---

@pytest.mark.parametrize(("text", "iso"), [
    ("14 ноября 2021", "2021-11-14"),
    ("14 ноября 2021 г.", "2021-11-14"),
    ("14 ноября 2021 года", "2021-11-14"),
    ("14 НОЯБРЯ 2021", "2021-11-14"),
    ("1 мая 2022", "2022-05-01"),
    ("понедельник, 15 ноября 2021", "2021-11-15"),
    ("14 нояб. 2021", "2021-11-14"),
    ("14.11.2021", "2021-11-14"),
    ("05.03.2022 г.", "2022-03-05"),
    ("14 नवंबर 2021", "2021-11-14"),
    ("14 नवम्बर 2021", "2021-11-14"),  # the nasal written out for the anusvara
    ("१४ नवंबर २०२१", "2021-11-14"),  # Devanagari digits
    ("3 सितम्बर, 2021", "2021-09-03"),
    ("2 अक्तूबर 2021", "2021-10-02"),
    ("2 अक्टूबर 2021", "2021-10-02"),
    ("9 फरवरी 2022", "2022-02-09"),  # no nukta
    ("9 फ़रवरी 2022", "2022-02-09"),
    ("1 मई 2022", "2022-05-01"),
    # a month and a year name no day: like "December 2024" in English, not a date
    ("ноябрь 2021", None),
    ("नवंबर 2021", None),
    # not dates at all
    ("31.04.2021", None),
    ("14 маяка 2021", None),
    ("version 1.14.2021.3", None),
])
def test_date_forms(text, iso):
    assert find_date(text) == iso


def test_dates_in_running_text():
    assert find_date("Переговоры прошли 14 ноября 2021 года в Москве.") == "2021-11-14"
    assert find_date("बैठक १४ नवंबर २०२१ को दिल्ली में हुई।") == "2021-11-14"


@pytest.mark.parametrize(("text", "published", "updated"), [
    ("Опубликовано: 14 ноября 2021 г., 18:05", "2021-11-14", None),
    ("Обновлено: 15.11.2021 в 09:30 МСК", None, "2021-11-15"),
    ("Изменено 15 ноября 2021", None, "2021-11-15"),
    ("Опубликовано: 14.11.2021 | Обновлено: 15.11.2021", "2021-11-14", "2021-11-15"),
    ("प्रकाशित: १४ नवंबर २०२१, 06:05 PM IST", "2021-11-14", None),
    ("अपडेट: 15 नवंबर 2021", None, "2021-11-15"),
    ("अपडेटेड: 15 नवम्बर 2021, 10:00 AM IST", None, "2021-11-15"),
    ("प्रकाशित: 14 नवंबर 2021 | अंतिम अपडेट: 15 नवंबर 2021", "2021-11-14", "2021-11-15"),
])
def test_a_modified_date_is_never_the_published_one(text, published, updated):
    assert labelled_dates(text) == (published, updated)
    found = find_dateline(line(text))
    assert found is not None and (found.date, found.updated) == (published, updated)
    assert found.text == text


# --- datelines ---

# (line, publication date, (month, day) without a year, agency, the dateline)
DATELINES = [
    ("МОСКВА, 14 ноября. /ТАСС/. Россия и Индия подписали соглашение о поставках.",
     None, (11, 14), "ТАСС", "МОСКВА, 14 ноября. /ТАСС/."),
    ("НЬЮ-ДЕЛИ, 14 ноября — РИА Новости. Индия и Россия обсудили поставки зерна.",
     None, (11, 14), "РИА Новости", "НЬЮ-ДЕЛИ, 14 ноября — РИА Новости."),
    ("МОСКВА, 14 ноя — РИА Новости. Министры встретятся в декабре.",
     None, (11, 14), "РИА Новости", "МОСКВА, 14 ноя — РИА Новости."),
    ("Москва. 14 ноября. /Интерфакс/ - Переговоры продолжатся в декабре.",
     None, (11, 14), "Интерфакс", "Москва. 14 ноября. /Интерфакс/ -"),
    ("МОСКВА, 14 ноября 2021 г. — Министерство сообщило о переговорах.",
     "2021-11-14", None, None, "МОСКВА, 14 ноября 2021 г. —"),
    ("नई दिल्ली, 14 नवंबर (भाषा) भारत ने रूस के साथ एक समझौता किया।",
     None, (11, 14), "भाषा", "नई दिल्ली, 14 नवंबर (भाषा)"),
    ("नई दिल्ली, १४ नवम्बर (आईएएनएस) मंत्रालय ने प्रस्ताव को मंजूरी दी।",
     None, (11, 14), "आईएएनएस", "नई दिल्ली, १४ नवम्बर (आईएएनएस)"),
    ("नई दिल्ली: भारत और रूस ने एक नए समझौते पर हस्ताक्षर किए।",
     None, None, None, "नई दिल्ली:"),
    ("नई दिल्ली, 14 नवंबर 2021", "2021-11-14", None, None, "नई दिल्ली, 14 नवंबर 2021"),
]


@pytest.mark.parametrize(("text", "date", "month_day", "agency", "quote"), DATELINES,
                         ids=[f"{i}" for i in range(len(DATELINES))])
def test_dateline_forms(text, date, month_day, agency, quote):
    found = find_dateline(line(text))
    assert found is not None
    assert (found.date, found.month_day, found.agency, found.text) == (
        date, month_day, agency, quote)


@pytest.mark.parametrize("text", [
    "Москва, 14 ноября была холодной, сообщили синоптики.",  # a sentence, not a dateline
    "14 ноября министры встретились в Москве.",
    "फोटो: भारत और रूस के मंत्री बैठक में।",  # a caption label, not a place
    "पढ़ें: रूस से तेल आयात बढ़ा।",
    "ФОТО: Министры на встрече в Москве.",
])
def test_what_is_not_a_dateline(text):
    assert find_dateline(line(text)) is None


# --- bylines and credit lines ---

@pytest.mark.parametrize(("text", "author"), [
    ("Автор: Иван Петров", "Иван Петров"),
    ("Автор: Иван Петров | 14 ноября 2021", "Иван Петров"),
    ("लेखक: राहुल सिंह", "राहुल सिंह"),
    ("द्वारा राहुल सिंह", "राहुल सिंह"),
    ("राहुल सिंह द्वारा", "राहुल सिंह"),
    ("लेखक: राहुल सिंह | नई दिल्ली", "राहुल सिंह"),
    ("लेखक: भारत और रूस", None),  # no one is called that
    ("Россия и Индия договорились о поставках", None),
])
def test_byline_forms(text, author):
    found = find_byline(line(text))
    assert (found[0].value if found else None) == author


@pytest.mark.parametrize(("text", "agency"), [
    ("Источник: ТАСС", "ТАСС"),
    ("ТАСС", "ТАСС"),
    ("स्रोत: भाषा", "भाषा"),
    ("(इनपुट: आईएएनएस)", "आईएएनएस"),
    ("भाषा", "भाषा"),
    ("Мы узнали это из сообщения ТАСС.", None),
])
def test_credit_lines(text, agency):
    found = find_agency_credit(line(text))
    assert (found.value if found else None) == agency


@pytest.mark.parametrize(("text", "reason"), [
    ("Читайте также: Индия получила новую партию оборудования", "Site link"),
    ("यह भी पढ़ें: रूस से तेल आयात बढ़ा", "Site link"),
    ("Фото: пресс-служба министерства", "Photo caption"),
    ("फोटो: विदेश मंत्रालय", "Photo caption"),
    ("Реклама", "Site widget"),
])
def test_russian_and_hindi_furniture(text, reason):
    assert boilerplate_reason(text) == reason


def test_a_danda_ends_a_sentence():
    text = "भारत ने समझौता किया। अधिकारियों ने बताया कि काम शुरू होगा।"
    assert [text[a:b] for a, b in sentences(text)] == [
        "भारत ने समझौता किया।", "अधिकारियों ने बताया कि काम शुरू होगा।"]


# --- whole seeds ---

RUSSIAN_SEED = """Главная | Политика | Мир
Россия и Индия договорились о совместном выпуске запчастей
Автор: Иван Петров
Опубликовано: 14 ноября 2021 г., 18:05
Обновлено: 15.11.2021 в 09:30 МСК
МОСКВА, 14 ноября. /ТАСС/. Россия и Индия договорились наладить совместный выпуск запасных \
частей для военной техники, сообщил в воскресенье представитель министерства.
По его словам, первые 20 предприятий начнут работу в 2022 году.
«Мы видим большой интерес индийских партнеров», — отметил он.
Читайте также: Индия получила новую партию оборудования
"""

HINDI_SEED = """होम | देश | विदेश
भारत और रूस के बीच रक्षा उपकरणों पर नया समझौता
लेखक: राहुल सिंह
अपडेटेड: 15 नवम्बर 2021, 10:00 AM IST
प्रकाशित: १४ नवंबर २०२१, 06:05 PM IST
नई दिल्ली, 14 नवंबर (भाषा) भारत और रूस ने रविवार को रक्षा उपकरणों के संयुक्त उत्पादन पर एक \
समझौता किया। अधिकारियों ने बताया कि पहले चरण में 20 कारखाने काम शुरू करेंगे।
विदेश मंत्री ने कहा, "यह साझेदारी दोनों देशों के लिए अहम है।"
यह भी पढ़ें: रूस से तेल आयात बढ़ा
"""


def test_a_russian_seed():
    guessed = draft(RUSSIAN_SEED)
    assert guessed.title == "Россия и Индия договорились о совместном выпуске запчастей"
    assert not guessed.no_headline
    assert (guessed.published, guessed.published_from.line) == ("2021-11-14", 4)
    assert (guessed.author, guessed.agency) == ("Иван Петров", "ТАСС")
    assert (guessed.language, guessed.script) == ("ru", "Cyrillic")
    assert {e.quote: e.reason for e in guessed.excludes} == {
        "Главная | Политика | Мир": "Site navigation",
        "Опубликовано: 14 ноября 2021 г., 18:05": "Dateline",
        "Обновлено: 15.11.2021 в 09:30 МСК": "Update date, not the publication date",
        "МОСКВА, 14 ноября. /ТАСС/.": "Dateline",
        "Читайте также: Индия получила новую партию оборудования": "Site link",
    }
    assert [(c.line, c.why) for c in guessed.candidates] == [
        (7, "numbers 20, 2022"), (8, "quotation")]


def test_a_hindi_seed():
    guessed = draft(HINDI_SEED)
    assert guessed.title == "भारत और रूस के बीच रक्षा उपकरणों पर नया समझौता"
    # The update date comes first on the page, and is still not the publication date.
    assert (guessed.published, guessed.published_from.line) == ("2021-11-14", 5)
    assert (guessed.author, guessed.agency) == ("राहुल सिंह", "भाषा")
    assert (guessed.language, guessed.script) == ("hi", "Devanagari")
    assert {e.quote: e.reason for e in guessed.excludes} == {
        "होम | देश | विदेश": "Site navigation",
        "अपडेटेड: 15 नवम्बर 2021, 10:00 AM IST": "Update date, not the publication date",
        "प्रकाशित: १४ नवंबर २०२१, 06:05 PM IST": "Dateline",
        "नई दिल्ली, 14 नवंबर (भाषा)": "Dateline",
        "यह भी पढ़ें: रूस से तेल आयात बढ़ा": "Site link",
    }
    # The dateline opens the first paragraph; its sentences are split at the danda.
    assert [(c.line, c.quote, c.why) for c in guessed.candidates] == [
        (6, "अधिकारियों ने बताया कि पहले चरण में 20 कारखाने काम शुरू करेंगे।", "numbers 20"),
        (7, 'विदेश मंत्री ने कहा, "यह साझेदारी दोनों देशों के लिए अहम है।"', "quotation")]


def test_a_name_alone_before_the_text_is_the_byline():
    russian = draft("Индия закупит новые самолеты у России\nИван Петров\n"
                    "14 ноября 2021\nИндия подпишет контракт на поставку 12 самолетов до конца "
                    "года, сообщили в министерстве обороны страны.\nВладимир Смирнов\n")
    assert (russian.author, russian.published) == ("Иван Петров", "2021-11-14")
    hindi = draft("भारत रूस से नए विमान खरीदेगा\nराहुल सिंह, नई दिल्ली\n"
                  "भारत इस साल के अंत तक 12 विमानों की खरीद के अनुबंध पर हस्ताक्षर करेगा, "
                  "रक्षा मंत्रालय ने बताया।\n")
    assert hindi.author == "राहुल सिंह"
    # A name below the first paragraph is a caption or a heading, not the byline.
    late = draft("Индия закупит новые самолеты у России\nИндия подпишет контракт на поставку "
                 "12 самолетов до конца года, сообщили в министерстве обороны страны.\n"
                 "Владимир Смирнов\n")
    assert late.author is None


def test_a_dateline_without_a_year_takes_it_from_the_page_or_the_text():
    # The update date is on or after the dateline: 31 December belongs to the year before.
    russian = draft("Индия закупит новые самолеты у России\nОбновлено: 15.01.2022 в 09:30 МСК\n"
                    "МОСКВА, 31 декабря. /ТАСС/. Индия подпишет контракт на поставку 12 "
                    "самолетов, сообщили в министерстве.\n")
    assert (russian.published, russian.agency) == ("2021-12-31", "ТАСС")
    assert russian.published_from.text == "МОСКВА, 31 декабря. /ТАСС/. [year from line 2]"
    hindi = draft("भारत रूस से नए विमान खरीदेगा\nनई दिल्ली, 14 नवंबर (भाषा) भारत 12 विमानों की "
                  "खरीद के अनुबंध पर हस्ताक्षर करेगा।\nयह समझौता 20 दिसंबर 2021 को होगा।\n")
    assert (hindi.published, hindi.agency) == ("2021-11-14", "भाषा")
    assert hindi.published_from.text == "नई दिल्ली, 14 नवंबर (भाषा) [year from line 3]"


def test_only_an_update_date_gives_no_publication_date():
    guessed = draft("Индия закупит новые самолеты у России\nОбновлено: 15 ноября 2021\n"
                    "Индия подпишет контракт на поставку 12 самолетов до конца года.\n")
    assert guessed.published is None
    assert guessed.no_date == ("only an update date, on line 2, which is not the publication "
                               "date")


def test_an_english_seed_guesses_no_language():
    english = draft("Grain corridor talks resume in Delhi\nBy Asha Rao\nDecember 10, 2024\n"
                    "Officials quoted TASS and the Hindi daily's headline, «Россия», on "
                    "Tuesday.\n")
    assert english.language is None
    assert "language" not in render_yaml(english)


# --- `python build.py new`, end to end ---

@pytest.mark.parametrize(("seed", "fields", "language"), [
    (RUSSIAN_SEED, ['author: "Иван Петров"', 'agency: "ТАСС"', "published: 2021-11-14"],
     "ru  # guessed: Cyrillic text"),
    (HINDI_SEED, ['author: "राहुल सिंह"', 'agency: "भाषा"', "published: 2021-11-14"],
     "hi  # guessed: Devanagari text"),
], ids=["russian", "hindi"])
def test_new_drafts_a_russian_or_hindi_seed(tmp_path, capsys, seed, fields, language):
    root = make_project(tmp_path / "p", {"talks": seed}, {})
    assert main(["--root", str(root), "new", "seeds/talks.txt"]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert out.startswith(f"wrote content/sources/talks.yaml: title '{seed.splitlines()[1]}', "
                          "published 2021-11-14, ")
    written = (root / "content/sources/talks.yaml").read_text(encoding="utf-8")
    lines = written.splitlines()
    for field in fields:
        assert any(ln.startswith(field) and "# guessed:" in ln for ln in lines), field
    # `language` is a field once the annotation format has it, a comment until then.
    field = "language" if "language" in ANNOTATION.keys else "# language"
    assert f"{field}: {language}" in lines
    data = yaml.safe_load(written)
    candidates = [ln for ln in lines if ln.startswith("#    quote: ")]
    for quote in (e["quote"] for e in data["exclude"]):
        assert not any(quote in ln for ln in candidates), quote
    # The draft is valid as written: every exclusion anchors.
    assert main(["--root", str(root), "check"]) == 0, capsys.readouterr().err
