"""Key findings on the home page (issue 15, finding 1): content/findings.md says what the
research found, citing facts as introductions do; the home page shows it first, each mark
linking to its fact's evidence, with how well each cited fact is supported."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli
from htmltree import Element, by_id, parse

FINDINGS = "content/findings.md"


def home(site: Path) -> Element:
    return parse((site / "index.html").read_text("utf-8"))


def with_class(tree: Element, name: str) -> list[Element]:
    return [e for e in tree.iter() if name in e.attrs.get("class", "").split()]


def test_the_home_page_opens_with_the_key_findings_and_their_evidence(built, facts_json):
    site = built / "site"
    tree = home(site)
    (section,) = with_class(tree, "key-findings")
    assert by_id(tree)["findings-heading"].text() == "Key findings"
    headings = [e.attrs.get("id") for e in tree.iter() if e.tag == "h2"]
    assert headings.index("findings-heading") < headings.index("topics-heading")
    (text,) = with_class(section, "findings-text")
    findings = [e for e in text.iter() if e.tag == "li"]
    assert len(findings) == 4 and findings[0].text().startswith("India bought the S-400")
    by_fact = {f["id"]: f for f in facts_json["facts"]}
    marks = [a for m in with_class(text, "fact-ref") for a in m.iter() if a.tag == "a"]
    (listed,) = with_class(section, "finding-facts")
    entries = [e for e in listed.iter() if e.tag == "li"]
    numbered = {e.attrs["value"]: e for e in entries}
    assert list(numbered) == [str(n) for n in range(1, len(entries) + 1)]
    seen = set()
    for mark in marks:
        href = mark.attrs["href"]
        fact_id = href.rpartition("#f-")[2]
        fact = by_fact[fact_id]
        # The mark lands on the fact's evidence, on its topic's page.
        page = site / href.partition("#")[0] / "index.html"
        assert f'id="f-{fact_id}"' in page.read_text("utf-8")
        if mark.text().startswith("[disputed"):
            assert fact["disputed"]
            continue
        number = mark.text().strip("[]")
        entry = numbered[number]
        seen.add(number)
        # Its entry gives the evidence strength first, as the research counts it.
        support = with_class(entry, "support")[0].text()
        reports = len(fact["independent_reports"])
        assert support.startswith(f"{reports} independent reports" if reports > 1
                                  else "Reported only by")
        assert entry.text().endswith(fact["statement"])
        assert ("Disputed" in entry.text()) == fact["disputed"]
    assert seen == set(numbered)


def test_a_project_without_findings_has_no_section(project: Path):
    (project / FINDINGS).unlink()
    result = run_cli(project, "build")
    assert result.returncode == 0, result.stderr
    assert not with_class(home(project / "site"), "key-findings")


def test_a_finding_that_cites_an_unknown_fact_is_a_located_error(project: Path):
    path = project / FINDINGS
    text = path.read_text("utf-8")
    path.write_text(text.replace("[@s400-deal-2018]", "[@s400-deal-2019]"), "utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "[@s400-deal-2018]" in row)
    col = text.splitlines()[line - 1].index("[@s400-deal-2018]") + 1
    before = (project / "site").exists()
    result = run_cli(project, "build")
    assert result.returncode == 1
    assert (f"{FINDINGS}:{line}:{col}: error: unknown fact 's400-deal-2019' cited"
            in result.stderr), result.stderr
    assert "did you mean 's400-deal-2018'" in result.stderr
    assert "Traceback" not in result.stderr
    assert (project / "site").exists() == before


def test_an_unknown_front_matter_field_is_a_located_error(project: Path):
    path = project / FINDINGS
    path.write_text(path.read_text("utf-8").replace("title:", "titel:"), "utf-8")
    result = run_cli(project, "build")
    assert result.returncode == 1
    assert f"{FINDINGS}:2:1: error:" in result.stderr and "titel" in result.stderr
    assert "title" in result.stderr.split("titel", 1)[1]  # the hint names the field
    assert "Traceback" not in result.stderr


def test_findings_without_front_matter_get_the_default_title(project: Path):
    path = project / FINDINGS
    body = path.read_text("utf-8").split("---\n", 2)[2]
    path.write_text(body, "utf-8")
    result = run_cli(project, "build")
    assert result.returncode == 0, result.stderr
    tree = home(project / "site")
    assert by_id(tree)["findings-heading"].text() == "Key findings"
    assert len(with_class(tree, "fact-ref")) >= 9
