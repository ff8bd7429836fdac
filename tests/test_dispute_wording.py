"""Issue 15, disputes that read right: a report that contradicts itself is not shown as an outside
challenge, and a status that resolves a dispute replaces the "Disputed" badge."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli
from htmltree import Element, by_id, parse

SELF = "s400-defence-ministers-talks-timing"  # both sides from one bdnewsnet.com.bd article
OUTSIDE = "trump-administration-warned-india-on-s400"  # Mint for, bdnewsnet.com.bd against


def fact_item(site: Path, fact_id: str) -> Element:
    return by_id(parse((site / "topics" / "s-400" / "index.html").read_text("utf-8")))[
        f"f-{fact_id}"]


def text(element: Element) -> str:
    return " ".join(element.text().split())


def labels(item: Element) -> list[str]:
    return [text(e) for e in item.iter() if "side-label" in e.attrs.get("class", "")]


def badges(item: Element) -> list[str]:
    return [text(e) for e in item.iter() if "badge" in e.attrs.get("class", "").split()]


def test_a_report_contradicting_itself_says_so(built: Path):
    item = fact_item(built / "site", SELF)
    assert labels(item) == ["One passage says", "The same report also says"]
    assert ("One report gives two accounts: the report (bdnewsnet.com.bd, 6 April 2021) "
            "contradicts itself, and no other source challenges it.") in text(item)


def test_evidence_from_another_source_keeps_for_and_against(built: Path):
    item = fact_item(built / "site", OUTSIDE)
    assert labels(item) == ["Supported by", "Disputed by"]
    assert "two accounts" not in text(item)


def test_a_resolved_status_replaces_the_disputed_badge(project: Path):
    status = project / "content" / "status.yaml"
    status.write_text(status.read_text("utf-8") + f"""
{OUTSIDE}:
  status: resolved
  reason: "The administration took office in 2017; the 2016 line is a slip of the report."
""", "utf-8")
    result = run_cli(project, "build")
    assert result.returncode == 0, result.stderr
    site = project / "site"
    item = fact_item(site, OUTSIDE)
    assert badges(item)[-1:] == ["Dispute resolved"] and "Disputed" not in badges(item)
    assert "disputed" not in item.attrs["class"].split()
    assert labels(item) == ["Supported by", "Disputed by"]  # the evidence is still shown
    assert "Dispute resolved (as of" not in text(item) and "Dispute resolved:" in text(item)
    home = text(parse((site / "index.html").read_text("utf-8")))
    assert "; 1 is disputed;" in home  # of two disputes, one is left


def test_resolving_an_undisputed_fact_is_a_located_error(project: Path):
    status = project / "content" / "status.yaml"
    before = status.read_text("utf-8")
    status.write_text(before + "\ns400-deal-2018:\n  status: resolved\n  reason: Settled.\n",
                      "utf-8")
    line = before.count("\n") + 2
    result = run_cli(project, "build")
    assert result.returncode == 1
    assert (f"content/status.yaml:{line}:1: error: status 'resolved' for fact "
            "'s400-deal-2018', which no evidence disputes") in result.stderr
    assert "stance: disputes" in result.stderr and "Traceback" not in result.stderr
