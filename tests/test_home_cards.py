"""Issue 15, a home page that ranks its topics: a catch-all topic (`general: true`) comes after
the main topic cards as a lighter line, and each card shows its evidence strength."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli
from htmltree import Element, parse


def home(site: Path) -> Element:
    return parse((site / "index.html").read_text("utf-8"))


def text(element: Element) -> str:
    return " ".join(element.text().split())


def has_class(element: Element, name: str) -> bool:
    return name in element.attrs.get("class", "").split()


def test_the_catch_all_topic_follows_the_main_cards_as_a_lighter_line(built: Path):
    root = home(built / "site")
    cards = [text(next(h for h in e.iter() if h.tag == "h3"))
             for e in root.iter() if has_class(e, "card")]
    assert cards == ["S-400", "CAATSA", "AK-203", "Quad"]
    general = [e for e in root.iter() if has_class(e, "card-general")]
    assert len(general) == 1
    title = "India\u2013Russia\u2013US defence ties"
    assert text(general[0]).startswith(f"Also in this research: {title}")
    start = next(e for e in root.iter() if has_class(e, "start-here"))
    assert "S-400" in text(start)


def test_each_card_gives_its_evidence_strength(built: Path, facts_json: dict):
    root = home(built / "site")
    lines = [text(e) for e in root.iter() if has_class(e, "card-strength")]
    expected = []
    for topic_id in ("s-400", "caatsa", "ak-203", "quad"):
        facts = [f for f in facts_json["facts"] if topic_id in f["topics"]]
        many = sum(len(f["independent_reports"]) >= 2 for f in facts)
        disputed = sum(f["disputed"] for f in facts)
        expected.append(f"{many} on two or more reports · {len(facts) - many} on one"
                        + (f" · {disputed} disputed" if disputed else ""))
    assert lines == expected


def test_a_general_flag_that_is_not_true_or_false_is_a_located_error(project: Path):
    topic = project / "content" / "topics" / "quad.md"
    topic.write_text(topic.read_text("utf-8").replace("---\n", "---\ngeneral: maybe\n", 1),
                     "utf-8")
    result = run_cli(project, "build")
    assert result.returncode == 1, result.stdout
    assert "content/topics/quad.md:2:" in result.stderr and "general" in result.stderr
    assert "Traceback" not in result.stderr
