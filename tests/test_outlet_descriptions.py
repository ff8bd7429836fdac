"""Issue 15, provenance a reader can judge: content/outlets.yaml says what each outlet is (who
publishes it, what kind of outlet), shown on its outlet page and next to the outlet on every
source page; its mistakes are located errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from conftest import REPO, run_cli
from htmltree import Element, parse
from sourcebook.content.schema import OUTLET_KINDS

OUTLETS = "content/outlets.yaml"


def described() -> dict[str, dict]:
    """The bundled project's outlet descriptions, as the file writes them."""
    return yaml.safe_load((REPO / OUTLETS).read_text("utf-8"))


def page(path: Path) -> Element:
    return parse(path.read_text("utf-8"))


def text(element: Element) -> str:
    return " ".join(element.text().split())


def with_class(root: Element, name: str) -> list[Element]:
    return [e for e in root.iter() if name in e.attrs.get("class", "").split()]


def outlet_dd(root: Element) -> Element:
    """The source page's value for its Outlet row."""
    meta = with_class(root, "source-meta")[0]
    items = [e for e in meta.parts if isinstance(e, Element)]
    at = next(i for i, e in enumerate(items) if e.tag == "dt" and text(e) == "Outlet")
    return items[at + 1]


def test_the_bundled_project_describes_every_outlet_its_sources_name():
    named = set()
    for path in sorted((REPO / "content/sources").glob("*.yaml")):
        outlet = yaml.safe_load(path.read_text("utf-8")).get("outlet")
        if outlet:
            named.add(outlet)
    entries = described()
    assert set(entries) == named
    assert all(entry["description"] and entry["kind"] in OUTLET_KINDS
               for entry in entries.values())


def test_the_outlet_page_says_what_the_outlet_is(built: Path):
    entry = described()["umorina.info"]
    root = page(built / "site/outlets/umorina-info/index.html")
    header = with_class(root, "page-header")[0]
    assert text(with_class(header, "outlet-description")[0]) == entry["description"]
    facts = with_class(header, "outlet-facts")[0]
    assert text(facts) == "Aggregator · Home page: umorina.info"
    home = next(e for e in facts.iter() if e.tag == "a")
    assert home.attrs["href"] == entry["url"] == "https://umorina.info/"
    # The page's JSON-LD describes the organisation too.
    script = next(e for e in root.iter() if e.attrs.get("type") == "application/ld+json")
    about = json.loads(script.text())["about"]
    assert about == {"@type": "NewsMediaOrganization", "name": "umorina.info",
                     "description": entry["description"], "url": "https://umorina.info/"}


def test_the_outlet_index_names_each_outlets_kind(built: Path):
    root = page(built / "site/outlets/index.html")
    rows = {text(next(a for a in li.iter() if a.tag == "a")): text(li)
            for li in root.iter() if li.tag == "li" and with_class(li, "meta")}
    assert "· newspaper · 1 article ·" in rows["Mint"]
    assert "· aggregator · 1 article ·" in rows["umorina.info"]
    assert "· portal · 1 article ·" in rows["Rediff.com"]


def test_each_source_page_says_what_its_outlet_is_and_links_to_it(built: Path):
    entries = described()
    expected = {  # source → (outlet, its page)
        "000_0a8abdfef13416d9": ("Mint", "mint"),
        "001_387e21b613e05868": ("Indian Defence News", "indian-defence-news"),
        "002_7bf14ee84c1d808c": ("Rediff.com", "rediff-com"),
        "003_4197f04110c4ab2c": ("bdnewsnet.com.bd", "bdnewsnet-com-bd"),
        "004_5baf2666bd463fc4": ("umorina.info", "umorina-info"),
    }
    for source, (outlet, key) in expected.items():
        dd = outlet_dd(page(built / f"site/sources/{source}/index.html"))
        link = next(e for e in dd.iter() if e.tag == "a")
        assert (text(link), link.attrs["href"]) == (outlet, f"../../outlets/{key}/")
        about = with_class(dd, "outlet-about")[0]
        assert text(about) == f"About this outlet: {entries[outlet]['description']}"
        assert text(dd).startswith(f"{outlet} · {entries[outlet]['kind']} About this outlet:")


def test_an_outlet_may_be_described_under_another_spelling_of_its_name(project: Path):
    (project / OUTLETS).write_text("REDIFF.COM:\n  description: A web portal.\n", "utf-8")
    result = run_cli(project, "build")
    assert result.returncode == 0, result.stderr
    dd = outlet_dd(page(project / "site/sources/002_7bf14ee84c1d808c/index.html"))
    assert text(dd) == "Rediff.com About this outlet: A web portal."
    mint = outlet_dd(page(project / "site/sources/000_0a8abdfef13416d9/index.html"))
    assert text(mint) == "Mint" and not with_class(mint, "outlet-about")
    outlet = page(project / "site/outlets/mint/index.html")
    assert not with_class(outlet, "outlet-description") and not with_class(outlet, "outlet-facts")


def test_without_outlets_yaml_the_site_builds_and_describes_no_outlet(project: Path):
    (project / OUTLETS).unlink()
    result = run_cli(project, "build")
    assert result.returncode == 0, result.stderr
    for path in sorted((project / "site").rglob("*.html")):
        assert "About this outlet" not in path.read_text("utf-8"), path


MINT = ("Mint:\n  description: An Indian business and financial daily newspaper published by "
        "HT Media; the archived article is from its website, livemint.com.\n"
        "  kind: newspaper\n  url: https://www.livemint.com/\n")

ERRORS = [  # (name, old text, new text, text on the error's line, column, message, hint)
    ("unknown field", "  kind: newspaper", "  knd: newspaper", "knd:", 3,
     "unknown key 'knd'", "did you mean 'kind'?"),
    ("kind outside the vocabulary", "  kind: newspaper", "  kind: tabloid", "kind: tabloid", 9,
     "unknown kind 'tabloid'", "use one of: newspaper, magazine, broadcaster, wire agency"),
    ("misspelt kind", "  kind: portal", "  kind: portl", "kind: portl", 9,
     "unknown kind 'portl'", "did you mean 'portal'?"),
    ("outlet that no source names", "Mint:", "Mnt:", "Mnt:", 1,
     "no source names the outlet 'Mnt'", "did you mean 'Mint'?"),
    ("one outlet described twice", "Mint:", "MINT:\n  description: Again.\nMint:", "Mint:", 1,
     "'Mint' is the outlet 'MINT' again", "describe it once, line 4"),
    ("description not text", "  description: An Indian business",
     "  description:\n    - An Indian business", "- An Indian business", 5,
     "'description' must be text, not a list", "put text in quotes"),
    ("kind not text", "  kind: newspaper", "  kind: [newspaper]", "kind: [newspaper]", 9,
     "'kind' must be text, not a list", "put text in quotes"),
    ("url not an address", "  url: https://www.livemint.com/", "  url: livemint.com",
     "url: livemint.com", 8, "'url' must be an http(s) address, not 'livemint.com'",
     "write the full address, e.g. https://www.example.com/"),
    ("entry not a mapping", MINT, "Mint: A newspaper\n", "Mint: A newspaper", 7,
     "outlet 'Mint' must be a mapping of 'key: value' lines, not text", "write one `key: value`"),
    ("missing description", MINT, "Mint:\n  kind: newspaper\n", "Mint:", 1,
     "missing required field 'description'", "add a line such as `description: "),
    ("name not text", MINT, "2022:\n  description: A year.\n", "2022:", 1,
     "'2022' is not an outlet's name", "as the annotations' `outlet:` lines name it"),
]


@pytest.mark.parametrize("case", ERRORS, ids=[c[0] for c in ERRORS])
def test_a_mistake_in_outlets_yaml_is_a_located_error(project: Path, case: tuple):
    _, old, new, on_line, column, message, hint = case
    path = project / OUTLETS
    source = path.read_text("utf-8")
    assert old in source
    path.write_text(source.replace(old, new, 1), "utf-8")
    line = next(n for n, text in enumerate(path.read_text("utf-8").splitlines(), 1)
                if on_line in text)
    result = run_cli(project, "build")
    assert result.returncode == 1, result.stdout
    assert f"{OUTLETS}:{line}:{column}: error: {message}" in result.stderr, result.stderr
    assert "hint: " in result.stderr and hint in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "site").exists()
