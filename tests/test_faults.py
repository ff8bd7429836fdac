"""Faults and hostile input: random YAML never gives a traceback, injected markup never runs,
BOM and CRLF seeds anchor, and a build killed at any moment leaves the old site or the new."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO
from generate import generate
from htmltree import parse
from minisite import make_project
from sourcebook.content.schema import ANNOTATION, CLAIM
from sourcebook.diagnostics import ContentError
from sourcebook.engine.pipeline import build_in_memory as run

SEED = "Alpha said the deal was signed. Beta disagreed about the deal."
TOPIC = "---\ntitle: T\n---\nIntro [@deal].\n"

# --- random YAML ---

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.text(max_size=30), st.sampled_from(["2022-04-23", "2018-10", "t", "deal"]))
keys = st.one_of(st.sampled_from(ANNOTATION.keys + CLAIM.keys), st.text(max_size=8))
documents = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=6)), max_leaves=25)


def build_or_content_error(root: Path) -> None:
    try:
        run(root)
    except ContentError as exc:
        assert exc.diagnostics.errors  # a failure always says why
        for diagnostic in exc.diagnostics.errors:
            assert diagnostic.location.path and diagnostic.location.line >= 1


@pytest.fixture(scope="module")
def mini(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("mini") / "p", seeds={"a": SEED},
                        sources={"a": "title: A\n"}, topics={"t": TOPIC})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_random_yaml_documents_never_give_a_traceback(mini, document):
    (mini / "content/sources/a.yaml").write_text(yaml.safe_dump(document), "utf-8")
    build_or_content_error(mini)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=200), st.sampled_from(["content/sources/a.yaml", "content/site.yaml",
                                                 "content/topics/t.md", "content/entities.yaml",
                                                 "seeds/a.txt"]))
def test_random_bytes_in_any_file_never_give_a_traceback(mini, data, rel):
    path = mini / rel
    original = path.read_bytes() if path.exists() else None
    path.write_bytes(data)
    try:
        build_or_content_error(mini)
    finally:
        if original is None:
            path.unlink()
        else:
            path.write_bytes(original)


# --- markup injection ---

SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(2)">'
EVIL = f'{SCRIPT} {IMG} "</script><script>alert(3)</script>'


def injected_project(root: Path, allow_raw_html: bool = False) -> Path:
    seed = f"Plain words. {EVIL} The deal was signed. Boiler {SCRIPT} plate."
    quoted = json.dumps(EVIL)
    source = (f"title: {quoted}\noutlet: {quoted}\nauthor: {quoted}\nagency: {quoted}\n"
              f"exclude:\n  - quote: {json.dumps('Boiler ' + SCRIPT + ' plate.')}\n"
              f"    reason: {quoted}\n"
              f"claims:\n  - fact: deal\n    quote: {quoted}\n    topics: [t]\n"
              f"    statement: {quoted}\n    speaker: evil\n    note: {quoted}\n")
    root = make_project(root, seeds={"a": seed}, sources={"a": source}, topics={
        "t": f"---\ntitle: {quoted}\nsummary: {quoted}\n---\n{EVIL} [@deal]\n\n"
             "[click](javascript:alert(4)) [data](data:text/html,x) [ok](https://example.org/)\n"
             "[enc](&#106;avascript&#58;alert(5)) [pct](java%73cript:alert(6)) [ref][r] "
             "![img](&#x6A;avascript:alert(7)) <ftp://example.org/>\n\n"
             "[r]: &#106;avascript:alert(8)\n\n"
             '<a href="&#x6A;avascript:alert(9)">raw</a> <img srcset="a.png, javascript:x 2x">\n'},
        entities=f"evil:\n  name: {quoted}\n  role: {quoted}\n")
    raw = "true" if allow_raw_html else "false"
    (root / "content/site.yaml").write_text(
        f"title: {quoted}\ndescription: {quoted}\nquestion: {quoted}\n"
        f"base_url: https://example.org/\nallow_raw_html: {raw}\n", "utf-8")
    return root


def own_script(site: Path, page: Path, element) -> bool:
    """An empty script element whose src is one of the site's own static scripts."""
    src = element.attrs.get("src", "")
    if element.text().strip() or not src.endswith(".js"):
        return False
    target = site / src.lstrip("/") if src.startswith("/") else page.parent / src
    return target.resolve().parent == (site / "static").resolve() and target.is_file()


def executable_markup(site: Path) -> list[str]:
    """Every script element that is neither JSON data nor one of the site's own static scripts,
    every on* attribute, every javascript: URL."""
    found = []
    for page in sorted(site.rglob("*.html")):
        for element in parse(page.read_text(encoding="utf-8")).iter():
            rel = page.relative_to(site).as_posix()
            if element.tag == "script" and element.attrs.get("type") != "application/ld+json" \
                    and not own_script(site, page, element):
                found.append(f"{rel}: <script>")
            found += [f"{rel}: {name}=" for name in element.attrs if name.startswith("on")]
            found += [f"{rel}: {v}" for v in element.attrs.values()  # as a browser reads it
                      if re.search(r"(^|,)(javascript|data|ftp):",
                                   unquote(re.sub(r"[\x00-\x20]", "", v)).lower())]
    return found


def test_injected_markup_is_shown_as_text_everywhere(tmp_path):
    from sourcebook.cli import main

    root = injected_project(tmp_path / "p")
    assert main(["--root", str(root), "build"]) == 0
    site = root / "site"
    assert executable_markup(site) == []
    source = (site / "sources/a/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in source  # the seed's markup, as text
    topic = (site / "topics/t/index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in topic or \
        "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in topic
    assert 'href="https://example.org/"' in topic  # safe links stay links
    for page in site.rglob("*.html"):
        assert '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'; ' \
               "script-src 'self';" in page.read_text(encoding="utf-8")


def test_raw_html_in_topics_only_when_allowed(tmp_path):
    from sourcebook.cli import main

    root = injected_project(tmp_path / "p", allow_raw_html=True)
    assert main(["--root", str(root), "build"]) == 0
    found = executable_markup(root / "site")
    assert found and all(f.startswith("topics/t/index.html") for f in found)
    assert not any("javascript:" in f for f in found)  # unsafe link schemes stay inert


# --- resource limits ---


def test_a_yaml_alias_bomb_is_refused_within_512_mb(tmp_path):
    """Nine levels of nine aliases would expand to 9**9 values (gigabytes): the build
    refuses it at the file, under a 512 MB address-space limit, without a MemoryError."""
    import resource

    levels = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 10))
    root = make_project(tmp_path / "p", seeds={"a": SEED},
                        sources={"a": "title: A\n"}, topics={"t": "---\ntitle: T\n---\nI.\n"})
    (root / "content/sources/a.yaml").write_text(f"title: A\nl0: &l0 [lol]\n{levels}", "utf-8")

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (512 * 2**20, 512 * 2**20))

    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root)],
                            capture_output=True, text=True, preexec_fn=limit, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "content/sources/a.yaml:2:" in result.stderr and "YAML aliases" in result.stderr
    assert "MemoryError" not in result.stderr and "Traceback" not in result.stderr


# --- seeds: BOM and CRLF ---


def test_a_bom_is_dropped_and_crlf_is_kept_in_offsets(tmp_path):
    text = "Headline\r\n\r\nIndia signed\r\nthe deal.\r\n"
    root = make_project(tmp_path / "p", seeds={}, sources={
        "a": "title: A\nclaims:\n  - fact: deal\n    quote: India signed the deal.\n"
             "    topics: [t]\n    statement: S.\n"}, topics={"t": TOPIC})
    (root / "seeds/a.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    [evidence] = run(root).research.facts[0].evidence
    start = text.index("India")  # CRLF counts two code points; the BOM none
    assert (evidence.start, evidence.end) == (start, start + len("India signed\r\nthe deal."))
    assert text[evidence.start:evidence.end] == evidence.quote == "India signed\r\nthe deal."


# --- killed builds ---


def digest(folder: Path) -> str:
    hasher = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            hasher.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return hasher.hexdigest()


def build(root: Path) -> None:
    subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root)], check=True,
                   capture_output=True)


def processes_building(root: Path) -> list[int]:
    """Live processes whose command line builds this project (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if f"--root {root}" in cmdline and "build.py" in cmdline:
                found.append(int(entry.name))
    return found


def test_a_killed_build_leaves_the_old_site_or_the_new(tmp_path):
    root = generate(tmp_path / "big", sources=250, seed=7)
    build(root)
    old = digest(root / "site")
    title = root / "content/site.yaml"
    title.write_text(title.read_text().replace("Synthetic research set", "Renamed set"), "utf-8")
    started = time.perf_counter()
    build(root)
    duration = time.perf_counter() - started
    new = digest(root / "site")
    title.write_text(title.read_text().replace("Renamed set", "Synthetic research set"), "utf-8")
    build(root)  # back to the old site
    assert digest(root / "site") == old
    title.write_text(title.read_text().replace("Synthetic research set", "Renamed set"), "utf-8")
    outcomes = []
    for fraction in (0.05, 0.15, 0.3, 0.5, 0.7, 0.9):  # early and late in the build
        process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--root", str(root)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(fraction * duration)
        process.send_signal(signal.SIGKILL)
        process.wait()
        state = digest(root / "site")
        assert state in (old, new)
        outcomes.append("new" if state == new else "old")
        if state == new:  # start the next round from the old site again
            title.write_text(title.read_text().replace("Renamed set", "Synthetic research set"))
            build(root)
            title.write_text(title.read_text().replace("Synthetic research set", "Renamed set"))
    time.sleep(0.5)
    assert processes_building(root) == []  # no worker of a killed build lives on
    build(root)  # a completed build cleans what the killed ones left
    assert digest(root / "site") == new
    assert not list(root.glob(".site.*"))
    assert "old" in outcomes  # at least one kill landed mid-build
    assert not list((root / "content/facts").glob(".*.tmp"))
    os.sync()


def test_two_builds_at_once_both_end_with_a_whole_site(tmp_path):
    """Issue 13: the second build of a project waits for the first (it says so), so neither
    removes the other's staging folder, and both end with the whole site."""
    root = generate(tmp_path / "big", sources=250, seed=11)
    command = [sys.executable, str(REPO / "build.py"), "--root", str(root)]
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(0.1)
    second = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    results = [(process.wait(), *process.communicate()) for process in (first, second)]
    assert [code for code, _, _ in results] == [0, 0], results
    assert b"another build of this project is running (pid " in results[1][2]
    built = digest(root / "site")
    assert (root / "site/index.html").is_file()
    assert not list(root.glob(".site.*"))
    shutil.rmtree(root / "site")
    shutil.rmtree(root / ".sourcebook-cache")
    build(root)  # a clean build, alone
    assert digest(root / "site") == built


def small_project(root: Path) -> Path:
    return make_project(root, seeds={"a": SEED}, sources={"a": "title: A\n"},
                        topics={"t": "---\ntitle: T\n---\nIntro.\n"})


def build_into(root: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(REPO / "build.py"), "--root", str(root),
                             "build", "--out", str(out)], stderr=subprocess.PIPE, text=True)


def test_two_projects_building_into_one_folder_do_not_both_win(tmp_path):
    """The check that a folder is the project's own runs under the output's lock: the second
    project finds the first one's site there and refuses, whichever starts first."""
    out = tmp_path / "out" / "site"
    processes = [build_into(small_project(tmp_path / name), out) for name in ("p1", "p2")]
    results = sorted((process.wait(), process.communicate()[1]) for process in processes)
    assert [code for code, _ in results] == [0, 2], results
    assert "was built by another sourcebook project" in results[1][1]
    assert (out / "index.html").is_file()
    assert sorted(p.name for p in out.parent.iterdir()) == ["site"]


def test_out_never_replaces_a_folder_holding_what_the_build_did_not_write(tmp_path):
    from sourcebook.cli import main

    root = small_project(tmp_path / "p")
    out = tmp_path / "publish"
    out.mkdir()
    (out / "thesis.txt").write_text("two years of work", "utf-8")
    assert main(["--root", str(root), "build", "--out", str(out)]) == 2
    assert [p.name for p in out.iterdir()] == ["thesis.txt"]

    (out / "thesis.txt").unlink()
    assert main(["--root", str(root), "build", "--out", str(out)]) == 0
    (out / "sources/CNAME").write_text("research.example.org", "utf-8")
    (root / "content/site.yaml").write_text("title: Changed\n", "utf-8")
    assert main(["--root", str(root), "build", "--out", str(out)]) == 2
    assert (out / "sources/CNAME").is_file()

    other = small_project(tmp_path / "other")
    (out / "sources/CNAME").unlink()
    assert main(["--root", str(other), "build", "--out", str(out)]) == 2
    assert main(["--root", str(root), "build", "--out", str(out)]) == 0


def test_a_moved_project_still_owns_its_site_folder(tmp_path, capsys):
    from sourcebook.cli import main

    root = small_project(tmp_path / "p")
    assert main(["--root", str(root), "build"]) == 0
    moved = tmp_path / "moved"
    root.rename(moved)
    (moved / "content/site.yaml").write_text("title: Changed\n", "utf-8")
    assert main(["--root", str(moved), "build"]) == 0, capsys.readouterr().err
    (moved / "site/notes.txt").write_text("mine", "utf-8")
    (moved / "content/site.yaml").write_text("title: Changed again\n", "utf-8")
    assert main(["--root", str(moved), "build"]) == 2
    assert "holds files the build did not write" in capsys.readouterr().err
    assert (moved / "site/notes.txt").is_file()


def test_a_build_whose_staging_folder_loses_a_file_is_not_swapped_in(project):
    from sourcebook.engine import output
    from sourcebook.engine.commands import build_site
    from sourcebook.engine.settings import Settings

    site = project / "site"
    original = output.SiteFolder.commit

    def sabotaged(self, files):
        (self.staging / "index.html").unlink()  # as another process's cleanup would
        return original(self, files)

    output.SiteFolder.commit = sabotaged
    try:
        with pytest.raises(output.StagingLost):
            build_site(project, Settings(), site)
    finally:
        output.SiteFolder.commit = original
    assert not site.exists() and not list(project.glob(".site.*"))


def test_a_build_killed_between_renames_gets_its_old_site_back(tmp_path):
    from sourcebook.engine.output import MARKER, clean_leftovers

    root = tmp_path
    stranded = root / ".site.old-abc"
    stranded.mkdir()
    (stranded / MARKER).write_text("built")
    (stranded / "index.html").write_text("old site")
    (root / ".site.tmp-xyz").mkdir()
    (root / ".other.tmp-xyz").mkdir()  # another output folder's: not this build's to remove
    clean_leftovers(root / "site")
    assert (root / "site/index.html").read_text() == "old site"
    assert sorted(p.name for p in root.iterdir()) == [".other.tmp-xyz", "site"]


def test_a_fact_file_write_cut_short_is_cleaned_up(project):
    from sourcebook.cli import main

    leftover = project / "content/facts/.s400-deal-2018.yaml.tmp"
    leftover.write_text("half a fa", "utf-8")
    assert main(["--root", str(project), "build"]) == 0
    assert not leftover.exists()
