"""Datelines, bylines and credit lines as wire services (Reuters, AP, AFP, PTI, ANI, IANS) and
Indian and international newspapers write them, read by `python build.py new` (issue 14,
item 5); and a seed saved in Windows-1252 or Latin-1, which the build refuses with the command
that converts it (item 7). Every article here is a short text of our own."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys

import pytest
import yaml

from minisite import make_project
from sourcebook.authoring.boilerplate import boilerplate_reason
from sourcebook.authoring.draft import Origin, draft_annotation
from sourcebook.authoring.metadata import find_agency_credit, find_byline, find_dateline
from sourcebook.authoring.sentences import Line
from sourcebook.cli import main
from sourcebook.content.textio import conversion_hints


def line(text: str, number: int = 1) -> Line:
    return Line(number, 0, len(text), text)


def draft(text: str):
    return draft_annotation("x", text, [], [])


def reasons(guessed) -> dict[str, str]:
    return {e.quote: e.reason for e in guessed.excludes}


# --- the forms, one line each ---

# (line, publication date, update date, (month, day) without a year, agency, the dateline)
FORMS = [
    # wire services: the dateline opens the first paragraph
    ("NEW DELHI, Dec 10 (Reuters) - India's trade gap with Russia widened in November, "
     "officials said.", None, None, (12, 10), "Reuters", "NEW DELHI, Dec 10 (Reuters) -"),
    ("LONDON/NEW DELHI, Dec 10 (Reuters) - Oil buyers in both cities paused orders.",
     None, None, (12, 10), "Reuters", "LONDON/NEW DELHI, Dec 10 (Reuters) -"),
    ("WASHINGTON (AP) \u2014 The State Department said on Tuesday it would keep talking.",
     None, None, None, "AP", "WASHINGTON (AP) \u2014"),
    ("KYIV, Ukraine (AP) \u2014 Ukraine's navy said it had cleared the corridor.",
     None, None, None, "AP", "KYIV, Ukraine (AP) \u2014"),
    ("MOSCOW, Dec. 10 (AFP) - The foreign ministry welcomed the visit on Tuesday.",
     None, None, (12, 10), "AFP", "MOSCOW, Dec. 10 (AFP) -"),
    ("New Delhi, Dec 10 (PTI) The Centre on Tuesday said 14 projects would be reviewed.",
     None, None, (12, 10), "PTI", "New Delhi, Dec 10 (PTI)"),
    ("New Delhi [India], December 10 (ANI): The minister met his counterpart on Tuesday.",
     None, None, (12, 10), "ANI", "New Delhi [India], December 10 (ANI):"),
    ("New Delhi, Dec 10 (IANS) The ministry on Tuesday cleared the proposal.",
     None, None, (12, 10), "IANS", "New Delhi, Dec 10 (IANS)"),
    # newspapers: a place and a full date, or a place alone in capitals
    ("New Delhi, December 10, 2024 18:05 IST", "2024-12-10", None, None, None,
     "New Delhi, December 10, 2024 18:05 IST"),
    ("NEW DELHI: The Centre on Tuesday said it would review the deal.", None, None, None, None,
     "NEW DELHI:"),
    ("New Delhi | December 10, 2024", "2024-12-10", None, None, None,
     "New Delhi | December 10, 2024"),
    ("December 10, 2024 | New Delhi", "2024-12-10", None, None, None,
     "December 10, 2024 | New Delhi"),
    # date lines, labelled or not
    ("Published: December 10, 2024 6:05 pm IST", "2024-12-10", None, None, None,
     "Published: December 10, 2024 6:05 pm IST"),
    ("Dec 10, 2024, 06:05 PM IST", "2024-12-10", None, None, None, "Dec 10, 2024, 06:05 PM IST"),
    ("10 December 2024", "2024-12-10", None, None, None, "10 December 2024"),
    ("2024-12-10T18:05:00+05:30", "2024-12-10", None, None, None, "2024-12-10T18:05:00+05:30"),
    ("Published On: Dec 9, 2024 | Updated On: Dec 10, 2024 10:00 IST", "2024-12-09",
     "2024-12-10", None, None, "Published On: Dec 9, 2024 | Updated On: Dec 10, 2024 10:00 IST"),
    # update lines: never the publication date
    ("Updated: Dec 10, 2024", None, "2024-12-10", None, None, "Updated: Dec 10, 2024"),
    ("Last Updated: 10 Dec 2024, 18:05 IST", None, "2024-12-10", None, None,
     "Last Updated: 10 Dec 2024, 18:05 IST"),
    ("Last modified on 11 December 2024 at 09:30", None, "2024-12-11", None, None,
     "Last modified on 11 December 2024 at 09:30"),
    ("Modified: 2024-12-11", None, "2024-12-11", None, None, "Modified: 2024-12-11"),
    ("Updated 6:05 PM EST, December 10, 2024", None, "2024-12-10", None, None,
     "Updated 6:05 PM EST, December 10, 2024"),
]


@pytest.mark.parametrize(("text", "date", "updated", "month_day", "agency", "quote"), FORMS,
                         ids=[f[5] for f in FORMS])
def test_dateline_forms(text, date, updated, month_day, agency, quote):
    found = find_dateline(line(text))
    assert found is not None
    assert (found.date, found.updated, found.month_day, found.agency, found.text) == (
        date, updated, month_day, agency, quote)
    assert (found.start, found.end) == (0, len(quote))


@pytest.mark.parametrize(("dateline", "sentence"), [
    # a place and a date in running text is news, not a dateline
    ("Moscow, December 10, 2024", "Moscow, December 10 was a cold day for the delegation."),
    ("NEW DELHI, Dec 10 (Reuters) - Talks went on.",
     "India, Russia and China met in Moscow on Tuesday."),
    # a capitalised label with a colon is not a place
    ("NEW DELHI: The ministry said so.", "EXCLUSIVE: The ministry said so."),
    ("NEW DELHI: The ministry said so.", "IMAGE: The two ministers at the talks. Photograph: "
     "Desk/Reuters"),
    # a place alone counts only before a sentence, not in a headline
    ("MUMBAI: Port traffic rose in November.", "BRICS: what the new members want"),
    # "New Delhi:" in title case could be any label: only capitals make a bare place a dateline
    ("New Delhi, Dec 10 (PTI) The talks went on.", "Note: The talks went on."),
])
def test_a_sentence_is_not_a_dateline(dateline, sentence):
    assert find_dateline(line(dateline)) is not None
    assert find_dateline(line(sentence)) is None


@pytest.mark.parametrize(("text", "author"), [
    ("Written by Asha Rao and Vikram Mehta", "Asha Rao and Vikram Mehta"),
    ("Reported by Meera Nair", "Meera Nair"),
    ("Rahul Singh | New Delhi", "Rahul Singh"),
    ("Written by Rahul Singh | New Delhi | Updated: December 10, 2024 18:05 IST", "Rahul Singh"),
    ("Rahul Singh / TNN / Updated: Dec 10, 2024, 18:05 IST", "Rahul Singh"),
])
def test_byline_forms(text, author):
    found = find_byline(line(text))
    assert found is not None and found[0].value == author


@pytest.mark.parametrize(("byline", "other"), [
    # a menu of two sections is not a name and a place
    ("Rahul Singh | New Delhi", "World News | India"),
    ("Rahul Singh | New Delhi", "Press Releases | Contact Us"),
    # Reuters' credits name reporters and editors, and an editor is not the author
    ("Written by Asha Rao", "Reporting by Asha Rao; Editing by Tom Hale"),
    ("Written by Asha Rao", "Edited by Tom Hale"),
])
def test_what_is_not_a_byline(byline, other):
    assert find_byline(line(byline)) is not None
    assert find_byline(line(other)) is None


@pytest.mark.parametrize(("text", "agency"), [
    ("Reuters", "Reuters"),
    ("By Reuters Staff", "Reuters"),
    ("Press Trust of India", "Press Trust of India"),
    ("(With PTI inputs)", "PTI"),
])
def test_a_wire_alone_is_the_agency_not_an_author(text, agency):
    found = find_agency_credit(line(text))
    assert found is not None and found.value == agency
    assert find_byline(line(text)) is None


@pytest.mark.parametrize(("text", "reason"), [
    ("Reporting by Asha Rao in New Delhi; Editing by Tom Hale", "Reporting and editing credits"),
    ("(Reporting by Asha Rao; Additional reporting by Li Wei; Editing by Tom Hale)",
     "Reporting and editing credits"),
    ("Edited by Tom Hale", "Editor credit"),
    ("Edited By: Tom Hale", "Editor credit"),
    ("(With inputs from agencies)", "Agency credit"),
    ("Updated 2 hours ago", "Relative date of the page"),
    ("4 min read", "Reading time"),
])
def test_credit_and_clock_lines_are_boilerplate(text, reason):
    assert boilerplate_reason(text) == reason


# --- the draft `new` writes ---

REUTERS = """India, Russia agree to double fertiliser trade
By Reuters Staff
NEW DELHI, Dec 10 (Reuters) - India and Russia agreed on Tuesday to double their fertiliser \
trade by 2026, two Indian officials said. The deal covers urea and potash.
"We expect the first larger shipments in March," one of the officials said.
Reporting by Asha Rao in New Delhi; Editing by Tom Hale
Updated: Dec 11, 2024
"""


def test_a_reuters_story():
    guessed = draft(REUTERS)
    assert (guessed.author, guessed.agency) == (None, "Reuters")  # credits name no author
    # The dateline gives no year; the update line does, and the dateline is not after it.
    assert guessed.published == "2024-12-10"
    assert guessed.published_from == Origin(
        3, "NEW DELHI, Dec 10 (Reuters) - [year from line 6]")
    assert reasons(guessed) == {
        "By Reuters Staff": "Agency credit",
        "NEW DELHI, Dec 10 (Reuters) -": "Dateline",
        "Reporting by Asha Rao in New Delhi; Editing by Tom Hale": "Reporting and editing credits",
        "Updated: Dec 11, 2024": "Update date, not the publication date",
    }
    # The first sentence is a candidate without its dateline.
    first = guessed.candidates[0]
    assert first.quote == ("India and Russia agreed on Tuesday to double their fertiliser trade "
                           "by 2026, two Indian officials said.")
    assert REUTERS[first.start:first.end] == first.quote
    assert not any("Reuters" in c.quote or "Asha Rao" in c.quote for c in guessed.candidates)


@pytest.mark.parametrize(("first_paragraph", "agency", "dateline"), [
    ("WASHINGTON (AP) \u2014 The United States said on Tuesday that 12 ships had left port.",
     "AP", "WASHINGTON (AP) \u2014"),
    ("MOSCOW, Dec. 10 (AFP) - Russia said on Tuesday that 12 ships had left port.",
     "AFP", "MOSCOW, Dec. 10 (AFP) -"),
    ("New Delhi, Dec 10 (PTI) The Centre on Tuesday said that 12 ships had left port.",
     "PTI", "New Delhi, Dec 10 (PTI)"),
    ("New Delhi [India], December 10 (ANI): The minister said on Tuesday that 12 ships had "
     "left port.", "ANI", "New Delhi [India], December 10 (ANI):"),
    ("New Delhi, Dec 10 (IANS) The ministry said on Tuesday that 12 ships had left port.",
     "IANS", "New Delhi, Dec 10 (IANS)"),
    ("NEW DELHI: The ministry said on Tuesday that 12 ships had left port.", None,
     "NEW DELHI:"),
])
def test_a_wire_dateline_is_excluded_and_never_a_candidate(first_paragraph, agency, dateline):
    text = f"Ships leave the port after the strike ends\n{first_paragraph}\n"
    guessed = draft(text)
    assert guessed.agency == agency
    assert reasons(guessed) == {dateline: "Dateline"}
    [candidate] = guessed.candidates
    assert candidate.line == 2 and candidate.numbers == ("12",)
    assert text[candidate.start:candidate.end] == first_paragraph[len(dateline):].strip()
    # No year anywhere: the date is left for the researcher.
    assert guessed.published is None


def test_the_issue_datelines():
    """Issue 14's examples: a dateline with place, date, time and zone is the publication
    date and no candidate claim; an "Updated:" line is never the publication date."""
    dated = draft("Talks on the grain corridor resume in Delhi\n"
                  "New Delhi, December 10, 2024 18:05 IST\n"
                  "The two sides met for 3 hours on Tuesday.\n")
    assert dated.published == "2024-12-10"
    assert dated.published_from == Origin(2, "New Delhi, December 10, 2024 18:05 IST")
    assert [c.line for c in dated.candidates] == [3]

    updated = draft("Talks on the grain corridor resume in Delhi\n"
                    "Updated: Dec 10, 2024\n"
                    "The two sides met for 3 hours on Tuesday.\n")
    assert updated.published is None and updated.published_from is None
    assert reasons(updated) == {"Updated: Dec 10, 2024": "Update date, not the publication date"}
    assert [c.line for c in updated.candidates] == [3]


def test_published_wins_over_updated_wherever_they_stand():
    guessed = draft("Talks on the grain corridor resume in Delhi\n"
                    "Last Updated: 11 Dec 2024, 09:30 IST\n"
                    "Published: December 10, 2024 6:05 pm IST\n"
                    "The two sides met for 3 hours on Tuesday.\n")
    assert guessed.published == "2024-12-10"
    assert guessed.published_from == Origin(3, "Published: December 10, 2024 6:05 pm IST")


def test_an_update_date_by_the_byline_is_not_the_publication_date():
    updated = draft("Talks on the grain corridor resume in Delhi\n"
                    "Written by Asha Rao and Vikram Mehta | New Delhi | Updated: December 10, "
                    "2024 18:05 IST\nThe two sides met for 3 hours on Tuesday.\n")
    assert updated.author == "Asha Rao and Vikram Mehta"
    assert updated.published is None
    published = draft("Talks on the grain corridor resume in Delhi\n"
                      "By Asha Rao | Dec 10, 2024, 06:05 PM IST\n"
                      "The two sides met for 3 hours on Tuesday.\n")
    assert (published.author, published.published) == ("Asha Rao", "2024-12-10")


def test_a_dateline_without_a_year_takes_it_from_the_page_or_the_text():
    # Filed on 31 December, updated on 1 January: the dateline's year is the one before.
    new_year = draft("Port strike ends\nMUMBAI, Dec 31 (Reuters) - Dock workers in Mumbai "
                     "ended a 3-day strike on Tuesday.\nUpdated: Jan 1, 2025\n")
    assert new_year.published == "2024-12-31"
    # No date on the page: the year of the latest full date in the text, and the origin says so.
    in_text = draft("Port strike ends\nMUMBAI, Dec 10 (PTI) Dock workers ended a strike that "
                    "began on October 2, 2023.\nThey had last struck on June 5, 2024.\n")
    assert in_text.published == "2024-12-10"
    assert in_text.published_from == Origin(2, "MUMBAI, Dec 10 (PTI) [year from line 3]")


def test_bylines_and_credits_in_one_article():
    guessed = draft("Panel reviews the grain corridor\n"
                    "Rahul Singh | New Delhi\n"
                    "Last Updated: 10 Dec 2024, 18:05 IST\n"
                    "The panel met on Tuesday and reviewed the corridor, which carried 3 "
                    "million tonnes last year.\n"
                    "(With inputs from PTI)\n"
                    "Edited by Tom Hale\n")
    assert (guessed.author, guessed.agency, guessed.published) == ("Rahul Singh", "PTI", None)
    assert guessed.author_from == Origin(2, "Rahul Singh | New Delhi")
    assert reasons(guessed) == {
        "Last Updated: 10 Dec 2024, 18:05 IST": "Update date, not the publication date",
        "(With inputs from PTI)": "Agency credit",
        "Edited by Tom Hale": "Editor credit",
    }
    assert [c.line for c in guessed.candidates] == [4]


def test_a_speaker_in_capitals_is_no_dateline_after_the_first_paragraph():
    guessed = draft("Minister sets out the trade plan\n"
                    "NEW DELHI: The minister set out a plan on Tuesday to double trade by 2030.\n"
                    "RAO: What will the plan change for exporters in the first 2 years?\n"
                    "MINISTER: It removes 3 of the 5 licences they need today.\n")
    assert reasons(guessed) == {"NEW DELHI:": "Dateline"}
    assert [c.quote for c in guessed.candidates] == [
        "The minister set out a plan on Tuesday to double trade by 2030.",
        "RAO: What will the plan change for exporters in the first 2 years?",
        "MINISTER: It removes 3 of the 5 licences they need today."]


def test_a_wire_byline_alone_is_the_agency():
    guessed = draft("Ships leave the port after the strike ends\nReuters\n"
                    "Dock workers ended a 3-day strike on Tuesday.\n")
    assert (guessed.author, guessed.agency) == (None, "Reuters")
    assert reasons(guessed) == {"Reuters": "Agency credit"}


# --- `python build.py new`, end to end ---

WIRE_SEED = REUTERS
PAPER_SEED = """Grain corridor talks resume in Delhi
Written by Asha Rao | New Delhi | Updated: December 11, 2024 09:30 IST
New Delhi, December 10, 2024 18:05 IST
Officials from the two countries met for 3 hours on Tuesday and agreed to meet again in March.
"The corridor carried 4 million tonnes this year," a ministry official said.
Edited by Tom Hale
"""
UPDATED_SEED = """Grain corridor talks resume in Delhi
By Asha Rao
Updated: Dec 11, 2024
Officials from the two countries met for 3 hours on Tuesday.
"""


@pytest.mark.parametrize(("seed", "summary", "fields", "excluded"), [
    (WIRE_SEED, "published 2024-12-10",
     ['agency: "Reuters"', "published: 2024-12-10"],
     ["By Reuters Staff", "NEW DELHI, Dec 10 (Reuters) -",
      "Reporting by Asha Rao in New Delhi; Editing by Tom Hale", "Updated: Dec 11, 2024"]),
    (PAPER_SEED, "published 2024-12-10",
     ['author: "Asha Rao"', "published: 2024-12-10"],
     ["New Delhi, December 10, 2024 18:05 IST", "Edited by Tom Hale"]),
    (UPDATED_SEED, "no date",
     ['author: "Asha Rao"', "# published: YYYY-MM-DD"],
     ["Updated: Dec 11, 2024"]),
], ids=["wire", "newspaper", "updated-only"])
def test_new_drafts_the_dateline_end_to_end(tmp_path, capsys, seed, summary, fields, excluded):
    root = make_project(tmp_path / "p", {"talks": seed}, {})
    assert main(["--root", str(root), "new", "seeds/talks.txt"]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert out.startswith(f"wrote content/sources/talks.yaml: title '{seed.splitlines()[0]}', "
                          f"{summary}, ")
    written = (root / "content/sources/talks.yaml").read_text(encoding="utf-8")
    lines = written.splitlines()
    for field in fields:
        assert any(ln.startswith(field) and "# guessed:" in ln for ln in lines), field
    data = yaml.safe_load(written)
    assert [e["quote"] for e in data["exclude"]] == excluded
    candidates = [ln for ln in lines if ln.startswith("#    quote: ")]
    assert candidates
    for quote in excluded:  # no dateline, update line or credit is offered as a claim
        assert not any(quote in ln for ln in candidates), quote
    # The draft is valid as written: every exclusion anchors.
    assert main(["--root", str(root), "check"]) == 0, capsys.readouterr().err


# --- a seed that is not UTF-8 ---

LATIN1_SEED = ("Caf\u00e9 talks in Delhi end without a deal\n"
               "By Ren\u00e9e Fran\u00e7ois\n"
               "Officials met at a caf\u00e9 near the ministry for 3 hours on Tuesday.\n")


def test_a_latin1_seed_gets_the_command_that_converts_it(tmp_path, capsys):
    root = make_project(tmp_path / "p", {}, {})
    seed = root / "seeds" / "cafe-talks.txt"
    seed.write_bytes(LATIN1_SEED.encode("latin-1"))
    assert main(["--root", str(root), "build"]) == 1
    err = capsys.readouterr().err
    assert "seeds/cafe-talks.txt:1:4: error: not valid UTF-8: byte 0xe9 cannot be decoded" in err
    assert ("  hint: it reads as WINDOWS-1252 text; to convert it to UTF-8, run in the project "
            "folder: iconv -f WINDOWS-1252 -t UTF-8 seeds/cafe-talks.txt > "
            "seeds/cafe-talks.utf8.txt && mv seeds/cafe-talks.utf8.txt seeds/cafe-talks.txt"
            in err.splitlines())
    [python_hint] = [ln for ln in err.splitlines() if ln.startswith("  hint: or, with Python: ")]

    # Run the Python form of the hint as given, from the project folder.
    command = shlex.split(python_hint.removeprefix("  hint: or, with Python: "))
    assert command[:2] == ["python3", "-c"]
    subprocess.run([sys.executable, *command[1:]], cwd=root, check=True, timeout=60)
    assert seed.read_text(encoding="utf-8") == LATIN1_SEED
    assert main(["--root", str(root), "build"]) == 0
    assert "UTF-8" not in capsys.readouterr().err
    assert main(["--root", str(root), "new", "seeds/cafe-talks.txt"]) == 0
    assert "title 'Caf\u00e9 talks in Delhi end without a deal'" in capsys.readouterr().out


@pytest.mark.skipif(shutil.which("iconv") is None, reason="no iconv on this machine")
def test_the_iconv_hint_converts_the_seed(tmp_path, capsys):
    root = make_project(tmp_path / "p", {}, {})
    seed = root / "seeds" / "cafe-talks.txt"
    seed.write_bytes(LATIN1_SEED.encode("cp1252") + "\u201cQuoted\u201d\n".encode("cp1252"))
    assert main(["--root", str(root), "build"]) == 1
    hint = next(ln for ln in capsys.readouterr().err.splitlines() if "iconv " in ln)
    command = re.search(r"iconv .*", hint).group()
    subprocess.run(["sh", "-c", command], cwd=root, check=True, timeout=60)
    assert seed.read_text(encoding="utf-8") == LATIN1_SEED + "\u201cQuoted\u201d\n"
    assert main(["--root", str(root), "build"]) == 0


def test_no_conversion_is_offered_when_it_would_garble_the_file():
    # Mostly UTF-8 with one stray Latin-1 byte: converting it whole would garble the "é"s.
    mixed = "Caf\u00e9 talks\n".encode() + b"caf\xe9\n"
    assert conversion_hints(mixed, "seeds/x.txt") == []
    # A UTF-16 file is told by its byte-order mark.
    [iconv, _] = conversion_hints("Caf\u00e9 talks\n".encode("utf-16"), "seeds/x.txt")
    assert "iconv -f UTF-16 -t UTF-8 seeds/x.txt > seeds/x.utf8.txt" in iconv


def test_the_draft_says_why_it_guessed_no_date():
    from sourcebook.authoring.draft_yaml import render_yaml

    cases = {
        "Port strike ends\nMUMBAI, Dec 10 (PTI) Dock workers ended a strike.\n":
            "# published: YYYY-MM-DD  # guessed: the dateline on line 2 gives no year",
        "Port strike ends\nLast Updated: 10 Dec 2024, 18:05 IST\nDock workers ended a strike.\n":
            "# published: YYYY-MM-DD  # guessed: only an update date, on line 2, which is not "
            "the publication date",
        "Port strike ends\nDock workers ended a strike on Tuesday.\n":
            "# published: YYYY-MM-DD  # guessed: no dateline in the seed",
    }
    for text, comment in cases.items():
        guessed = draft(text)
        assert guessed.published is None
        assert comment in render_yaml(guessed), text
