"""Publishing on GitHub Pages: the site works at a domain root and under a sub-path, and passes
what real clients check: the Nu HTML checker, every link and #fragment over HTTP, axe in
Chromium, no console errors; plus the Pages furniture and the workflow."""

from __future__ import annotations

import json
import os
import re
import subprocess
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
import yaml

from conftest import REPO, copy_project
from htmltree import by_id, parse
from pagesserver import serve_pages
from sourcebook.cli import main

TOOLS = REPO / ".tools" / "node_modules"
VNU = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = TOOLS / "axe-core" / "axe.min.js"
DEMO_URL = "https://example.github.io/sourcebook-demo/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

# (name, --base-url or None for site.yaml's, the path it is served under)
DEPLOYMENTS = [("root", None, "/"), ("sub-path", DEMO_URL, "/sourcebook-demo/")]


@pytest.fixture(scope="module", params=DEPLOYMENTS, ids=[d[0] for d in DEPLOYMENTS])
def deployment(request, tmp_path_factory) -> Iterator[tuple[Path, str, str]]:
    """(site folder, the URL it is served at, its base URL)."""
    name, base_url, base_path = request.param
    root = copy_project(tmp_path_factory.mktemp(name) / "project")
    args = ["--root", str(root), "build"] + (["--base-url", base_url] if base_url else [])
    assert main(args) == 0
    with serve_pages(root / "site", base_path) as url:
        yield root / "site", url, base_url or "https://sourcebook.example.org/"


def html_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def page_url(url: str, rel: str) -> str:
    return url + rel.removesuffix("index.html")


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.url
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), url


def required_tool(path: Path) -> Path:
    assert path.is_file(), (f"{path} is missing: run the README's test command, which installs "
                            "it with npm into .tools/")
    return path


def axe_report(context, url: str, paths) -> dict[str, list[str]]:
    """axe's violations on each page (url + path) opened in the browser context, by path;
    only the pages that have any."""
    axe = required_tool(AXE).read_text(encoding="utf-8")
    report = {}
    for path in paths:
        page = context.new_page()
        page.goto(url + path)
        page.evaluate(axe)  # through DevTools: the page's CSP stays enforced
        violations = page.evaluate("async () => (await axe.run()).violations"
                                   ".map(v => v.id + ': ' + v.nodes.map(n => n.target))")
        if violations:
            report[path] = violations
        page.close()
    return report


def test_html_and_css_are_valid(deployment):
    site, _, _ = deployment
    vnu = ["java", "-Xss4m", "-jar", str(required_tool(VNU)), "--format", "gnu",
           "--exit-zero-always"]
    html = subprocess.run([*vnu, "--skip-non-html", str(site)], capture_output=True, text=True)
    css = subprocess.run([*vnu, "--css", *map(str, sorted(site.glob("static/*.css")))],
                         capture_output=True, text=True)
    problems = [line for line in (html.stdout + html.stderr + css.stdout + css.stderr)
                .splitlines() if re.search(r": (error|warning|fatal)", line)]
    assert problems == []


def test_every_link_and_fragment_resolves_over_http(deployment):
    site, url, _ = deployment
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    base = urlsplit(url).path
    ids: dict[str, set[str]] = {}
    checked = 0
    for rel in html_pages(site):
        here = page_url(url, rel)
        status, body, _ = fetch(here)
        assert status == 200 or rel == "404.html", (rel, status)
        tree = parse(body.decode("utf-8"))
        for element in tree.iter():
            link = element.attrs.get("href") or element.attrs.get("src")
            if not link or element.tag not in ("a", "link", "script", "img"):
                continue
            if link.startswith("/"):
                assert link.startswith(base), (rel, link, "escapes the sub-path")
            target, fragment = urldefrag(urljoin(here, link))
            if not target.startswith(origin):
                continue  # an external address: not fetched (offline)
            if target not in ids:
                status, content, final = fetch(target)
                assert status == 200, (rel, link, status)
                path = urlsplit(final).path  # a list opened filtered has a query
                is_html = path.endswith("/") or path.endswith(".html")
                ids[target] = set(by_id(parse(content.decode("utf-8")))) if is_html else set()
            if fragment:
                assert fragment in ids[target], (rel, link)
            checked += 1
    assert checked > 250


def test_404_page_works_from_any_depth(deployment):
    _, url, _ = deployment
    status, body, _ = fetch(url + "no/such/page/at/depth/")
    assert status == 404
    links = [e.attrs.get("href") or e.attrs.get("src") for e in parse(body.decode()).iter()
             if e.tag in ("a", "link") and (e.attrs.get("href") or "").startswith(("/", "."))]
    assert links
    deep = url + "no/such/page/at/depth/"
    for link in links:
        assert fetch(urljoin(deep, link))[0] == 200, link


def test_axe_finds_no_violations_and_the_console_no_errors(deployment, browser):
    site, url, _ = deployment
    axe = required_tool(AXE).read_text(encoding="utf-8")
    report = {}
    for rel in html_pages(site):
        page = browser.new_page()
        problems: list[str] = []
        page.on("console", lambda m, problems=problems: m.type == "error"
                and problems.append(m.text))
        page.on("pageerror", lambda e, problems=problems: problems.append(str(e)))
        page.on("response", lambda r, problems=problems, rel=rel:
                r.status >= 400 and r.url.startswith(url) and rel != "404.html"
                and problems.append(f"{r.status} {r.url}"))
        page.goto(page_url(url, rel))
        page.evaluate(axe)  # through DevTools: the page's CSP stays enforced
        violations = page.evaluate("async () => (await axe.run()).violations"
                                   ".map(v => v.id + ': ' + v.nodes.length)")
        if violations or problems:
            report[rel] = violations + problems
        page.close()
    assert report == {}


def test_sitemap_lists_every_page_under_the_base_url(deployment):
    site, _, base_url = deployment
    root = ET.parse(site / "sitemap.xml").getroot()
    urls = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    # Home, 5 topics, the archive and 5 sources, the entity index and 25 entities, the outlet
    # index and 5 outlets, timeline, data and about: every page but the 404 and the search
    # page, which ask not to be indexed.
    assert len(urls) == len(set(urls)) == 1 + 5 + 1 + 5 + 1 + 25 + 1 + 5 + 3
    unindexed = {rel for rel in html_pages(site)
                 if 'name="robots" content="noindex"' in (site / rel).read_text("utf-8")}
    assert unindexed == {"404.html", "search/index.html"}
    pages = {base_url + rel.removesuffix("index.html") for rel in html_pages(site)
             if rel not in unindexed}
    assert set(urls) == pages


def test_feed_is_atom_in_publication_order(deployment):
    site, _, base_url = deployment
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    categories = {e.find(f"{ATOM}category").get("term") for e in entries}
    assert categories == {"source", "fact"} and len(entries) == 5 + 52
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids) and all(i.startswith(base_url) for i in ids)
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert feed.findtext(f"{ATOM}updated") == max(updated)
    self_link = [link.get("href") for link in feed.findall(f"{ATOM}link")
                 if link.get("rel") == "self"]
    assert self_link == [base_url + "feed.xml"]


def test_pages_carry_canonical_and_open_graph_urls(deployment):
    site, _, base_url = deployment
    for rel in html_pages(site):
        html = (site / rel).read_text(encoding="utf-8")
        canonical = re.findall(r'<link rel="canonical" href="([^"]+)">', html)
        if rel == "404.html":
            assert canonical == [] and 'content="noindex"' in html
            continue
        expected = base_url + rel.removesuffix("index.html")
        assert canonical == [expected]
        assert f'<meta property="og:url" content="{expected}">' in html
        for prop in ("og:title", "og:description", "og:type", "og:site_name"):
            assert f'property="{prop}"' in html
        data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>',
                                    html).group(1))
        assert data["@context"] == "https://schema.org"


def test_scripts_are_deferred_files_of_the_site_and_pages_have_a_print_stylesheet(deployment):
    """JavaScript only enhances: every script is JSON-LD data or a deferred file in static/,
    never inline code (the browser tests check that the pages work with JavaScript off)."""
    site, _, _ = deployment
    for rel in html_pages(site):
        html = (site / rel).read_text(encoding="utf-8")
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
            if 'type="application/ld+json"' in attrs:
                continue
            src = re.fullmatch(r' src="([^"]+)" defer', attrs)
            assert src and body == "", (rel, attrs)
            name = src.group(1).rsplit("/", 1)[-1]
            assert src.group(1).endswith(f"static/{name}") and (site / "static" / name).is_file()
        assert 'static/print.css" media="print"' in html
    assert (site / ".nojekyll").is_file()
    assert "Sitemap: " in (site / "robots.txt").read_text()


def test_dates_come_from_the_content_or_source_date_epoch(project):
    assert main(["--root", str(project), "build"]) == 0
    feed = ET.parse(project / "site/feed.xml").getroot()
    assert feed.findtext(f"{ATOM}updated") == "2022-04-23T00:00:00Z"  # the newest source
    os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
    try:
        assert main(["--root", str(project), "build"]) == 0
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    feed = ET.parse(project / "site/feed.xml").getroot()
    assert feed.findtext(f"{ATOM}updated") == "2023-11-14T22:13:20Z"


def test_the_workflow_uses_the_official_pages_actions():
    workflow = yaml.safe_load((REPO / ".github/workflows/pages.yml").read_text())
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"] == "pages"
    build = workflow["jobs"]["build"]["steps"]
    uses = [step.get("uses", "").split("@")[0] for step in build]
    order = ["actions/checkout", "actions/setup-python", "actions/configure-pages",
             "actions/upload-pages-artifact"]
    assert [u for u in uses if u] == order
    runs = [step.get("run", "") for step in build]
    install = next(i for i, r in enumerate(runs) if "pip install -e ." in r)
    configure = uses.index("actions/configure-pages")
    build_step = next(i for i, r in enumerate(runs) if "build.py build --base-url" in r)
    pages_id = build[configure]["id"]
    assert install < configure < build_step < uses.index("actions/upload-pages-artifact")
    assert f"steps.{pages_id}.outputs.base_url" in runs[build_step]
    assert build[-1]["with"]["path"] == "site"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")
    readme = (REPO / "README.md").read_text()
    assert ".venv/bin/pip install -e ." in readme  # the same install command as the README
