"""The live preview, driven as a researcher uses it: a page open in headless Chromium while the
annotation behind it is edited, broken and fixed."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import REPO, own_template
from sourcebook.preview.server import Preview, error_panel, inject
from sourcebook.preview.watcher import changed_paths, snapshot

A003 = "content/sources/003_4197f04110c4ab2c.yaml"
FACT = "#f-india-raised-s400-at-lavrov-talks .statement"  # stated once, in 003
STATEMENT = ("Indian diplomats raised the question of obtaining the S-400 at the "
             "Jaishankar\u2013Lavrov talks on 6 April 2021.")
EDITED = "At the April 2021 talks, Indian diplomats asked about getting the S-400."


class Preview_:
    def __init__(self, process: subprocess.Popen[str], url: str, startup: str) -> None:
        self.process = process
        self.url = url
        self.startup = startup  # what it printed up to "Serving on"

    @property
    def port(self) -> int:
        return int(re.search(r":(\d+)/", self.url).group(1))


def start_preview(root: Path, *args: str) -> Preview_:
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "--root", str(root), "serve", "--port", "0",
         *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=root)
    assert process.stdout is not None
    startup = []
    for line in process.stdout:
        startup.append(line)
        match = re.match(r"Serving on (http://\S+)", line)
        if match:
            return Preview_(process, match.group(1), "".join(startup))
    raise AssertionError(f"the preview did not start (exit {process.wait()})")


def stop_preview(preview: Preview_) -> str:
    preview.process.send_signal(signal.SIGINT)
    rest, _ = preview.process.communicate(timeout=10)
    assert preview.process.returncode == 0
    return rest


@pytest.fixture
def preview(project) -> Iterator[Preview_]:
    running = start_preview(project)
    yield running
    if running.process.poll() is None:
        stop_preview(running)


def test_edits_errors_and_recovery_reach_the_open_page(project, preview, browser):
    page = browser.new_page()
    page.goto(preview.url + "topics/s-400/")
    fact = page.locator(FACT)
    expect(fact).to_have_text(STATEMENT)
    annotation = project / A003
    original = annotation.read_text(encoding="utf-8")

    # 1. An edited statement shows up with no manual reload.
    edited = original.replace(STATEMENT, EDITED)
    assert edited != original
    annotation.write_text(edited, encoding="utf-8")
    expect(fact).to_have_text(EDITED, timeout=10_000)

    # 2. Broken YAML: the page shows the error, naming the file and line; old content stays.
    annotation.write_text(edited.replace("claims:\n", "claims: [\n", 1), encoding="utf-8")
    panel = page.locator("#sourcebook-error")
    expect(panel).to_be_visible(timeout=10_000)
    expect(panel).to_contain_text(re.compile(rf"{re.escape(A003)}:\d+:\d+"))
    expect(panel).to_contain_text("malformed YAML")
    expect(fact).to_have_text(EDITED)

    # 3. Fixed: the panel goes and the page shows the fixed content.
    annotation.write_text(original, encoding="utf-8")
    expect(panel).to_have_count(0, timeout=10_000)
    expect(fact).to_have_text(STATEMENT)
    page.close()


def test_a_template_error_names_the_template_and_line(project, preview, browser):
    page = browser.new_page()
    page.goto(preview.url + "topics/quad/")
    template = own_template(project, "topic.html")
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace("{{ topic.title }}</h1>", "{{ topic.titel }}</h1>"), "utf-8")
    panel = page.locator("#sourcebook-error")
    expect(panel).to_contain_text(re.compile(r"templates/topic\.html:\d+"), timeout=10_000)
    expect(panel).to_contain_text("titel")
    page.close()


def test_listens_on_loopback_only(preview):
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port = local.rsplit(":", 1)
            if int(port, 16) == preview.port and state == "0A":  # 0A: LISTEN
                listening.append(address)
    assert listening == ["0100007F"]  # 127.0.0.1, and nothing on IPv6 or other interfaces


def request(preview: Preview_, method: str, path: str, **headers: str) -> tuple[int, dict, bytes]:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=10)
    connection.request(method, path, headers=headers)
    response = connection.getresponse()
    result = response.status, dict(response.getheaders()), response.read()
    connection.close()
    return result


def test_answers_only_for_its_own_host_names(preview):
    """DNS rebinding: a page of evil.example whose name resolves to 127.0.0.1 sends
    `Host: evil.example`, and gets nothing."""
    base = re.search(r"http://[^/]+(/.*)", preview.url).group(1)
    for host in ("evil.example", f"evil.example:{preview.port}", "127.0.0.1.evil.example"):
        for path in (base, "/livereload.js", "/__sourcebook__/preview.css"):
            status, _, body = request(preview, "GET", path, Host=host)
            assert status == 403 and b"<nav" not in body, (host, path)
    for host in (f"127.0.0.1:{preview.port}", f"localhost:{preview.port}", "localhost",
                 f"[::1]:{preview.port}"):
        status, _, body = request(preview, "GET", base, Host=host)
        assert status == 200 and b"<nav" in body, host


def test_the_reload_socket_refuses_other_origins(preview):
    handshake = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
                 "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}
    own = f"127.0.0.1:{preview.port}"
    assert request(preview, "GET", "/livereload", Host=own, Origin="http://evil.example",
                   **handshake)[0] == 403
    assert request(preview, "GET", "/livereload", Host=own, Origin=f"http://{own}",
                   **handshake)[0] == 101


def test_head_answers_like_get_without_a_body(preview):
    base = re.search(r"http://[^/]+(/.*)", preview.url).group(1)
    get_status, get_headers, get_body = request(preview, "GET", base)
    status, headers, body = request(preview, "HEAD", base)
    assert (status, body) == (200, b"") and get_status == 200
    assert headers["Content-Type"] == get_headers["Content-Type"]
    assert int(headers["Content-Length"]) == len(get_body)
    assert request(preview, "HEAD", base + "no-such-page/")[0] == 404


def test_ctrl_c_stops_cleanly_and_leaves_nothing_behind(project):
    before = sorted(p.relative_to(project).as_posix() for p in project.rglob("*"))
    running = start_preview(project)
    output = stop_preview(running)
    assert "stopped" in output and "Traceback" not in output
    after = sorted(p.relative_to(project).as_posix() for p in project.rglob("*")
                   if p.relative_to(project).parts[0] != ".sourcebook-cache")  # its lock
    assert after == before  # no site/, no temporary files, fact files untouched


def test_another_host_must_be_asked_for_and_warns(project):
    running = start_preview(project, "--host", "0.0.0.0")
    stop_preview(running)
    assert "warning: serving on 0.0.0.0" in running.startup


def test_watcher_sees_creations_edits_deletions_and_renames(project):
    first = snapshot(project)
    (project / "content/topics/new.md").write_text("---\ntitle: New\n---\n", "utf-8")
    (project / "seeds/000_0a8abdfef13416d9.txt").rename(project / "seeds/renamed.txt")
    (project / "content/topics/quad.md").unlink()
    path = project / "content/site.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    (project / "content/facts/s400-deal-2018.yaml").write_text("ignored", "utf-8")
    (project / "content/sources/.000.yaml.swp").write_text("editor droppings", "utf-8")
    assert changed_paths(first, snapshot(project)) == {
        "content/topics/new.md", "seeds/000_0a8abdfef13416d9.txt", "seeds/renamed.txt",
        "content/topics/quad.md", "content/site.yaml"}


def test_error_panel_escapes_what_it_shows():
    from sourcebook.diagnostics import Diagnostic, Location

    preview = Preview("/x/", {}, (Diagnostic(Location("a.yaml", 3, 4), "bad <script>", hints=(
        "try <b>this</b>",)),))
    panel = error_panel(preview)
    assert "a.yaml:3:4" in panel and "&lt;script&gt;" in panel and "<script>" not in panel
    page = inject(b"<html><head></head><body class='x'><p>hi</p></body></html>", preview, 8000)
    assert b'<script src="/livereload.js?port=8000"></script></head>' in page
    assert page.index(b"sourcebook-error") > page.index(b"<body class='x'>")


def test_a_burst_of_saves_becomes_one_rebuild(project):
    import threading
    import time

    from sourcebook.preview.watcher import Watcher

    calls: list[set[str]] = []
    done = threading.Event()

    def on_change(paths: set[str]) -> None:
        calls.append(paths)
        done.set()

    watcher = Watcher(project, on_change)
    watcher.start()
    try:
        target = project / A003
        text = target.read_text(encoding="utf-8")
        # An editor's save: write a temporary file, rename it over the original, touch it again.
        temp = target.with_name(".003.yaml.tmp")
        temp.write_text(text + "\n", encoding="utf-8")
        temp.replace(target)
        (project / "content/topics/quad.md").write_text("---\ntitle: Quad\n---\nNew.\n", "utf-8")
        target.write_text(text + "\n\n", encoding="utf-8")
        assert done.wait(5)
        time.sleep(0.5)  # long enough for a second callback, if there were one
    finally:
        watcher.stop()
        watcher.join()
    assert calls == [{A003, "content/topics/quad.md"}]


def test_data_files_are_served_as_a_clean_build_makes_them(project, preview):
    from sourcebook.engine.pipeline import build_in_memory

    clean = build_in_memory(project).pages
    base = re.search(r"http://[^/]+(/.*)", preview.url).group(1)
    for path in ("data/facts.json", "data/annotations.jsonld", "static/search-index.js",
                 "feed.xml", "sitemap.xml", "sources/000_0a8abdfef13416d9/seed.txt"):
        status, _, body = request(preview, "GET", base + path)
        assert (status, body) == (200, clean[path]), path
        head = request(preview, "HEAD", base + path)
        assert head[0] == 200 and int(head[1]["Content-Length"]) == len(clean[path])
    assert request(preview, "GET", base + "data/no-such.json")[0] == 404


def test_a_current_build_is_served_at_once_while_the_preview_builds(project):
    from conftest import run_cli

    assert run_cli(project, "build").returncode == 0
    running = start_preview(project)
    try:
        # It did not build before serving: it serves site/ until its own build is ready.
        assert "Serving the last build (site/)" in running.startup
        assert "built in" not in running.startup
        base = re.search(r"http://[^/]+(/.*)", running.url).group(1)
        for path in ("", "topics/s-400/", "data/facts.json"):
            status, _, body = request(running, "GET", base + path)
            file = project / "site" / (path + "index.html" if path.endswith("/") or not path
                                       else path)
            expected = file.read_bytes()
            assert status == 200
            if path.startswith("data/"):
                assert body == expected
            else:  # the same page, with the live-reload and annotation clients
                token = re.search(rb'name="sourcebook-annotate" content="([^"]+)"', body)
                assert token is not None
                rel = file.relative_to(project / "site").as_posix()
                assert body == inject(expected, Preview(base), running.port,
                                      token.group(1).decode(), rel)
        # Then its own build is ready (in the background), and serves the same pages.
        assert running.process.stdout is not None
        for line in running.process.stdout:
            if "built in" in line:
                break
        assert request(running, "GET", base)[2] == inject(
            (project / "site" / "index.html").read_bytes(), Preview(base), running.port,
            token.group(1).decode(), "index.html")
    finally:
        stop_preview(running)


def test_a_build_older_than_the_inputs_is_not_served(project):
    from conftest import run_cli

    assert run_cli(project, "build").returncode == 0
    annotation = project / A003
    annotation.write_text(annotation.read_text(encoding="utf-8").replace(STATEMENT, EDITED),
                          encoding="utf-8")
    running = start_preview(project)
    try:
        assert "Serving the last build" not in running.startup
        assert "built in" in running.startup  # built first, as without a build
    finally:
        stop_preview(running)


def test_the_last_build_is_served_only_as_it_was_written(project):
    from conftest import run_cli
    from sourcebook.engine.commands import current_site
    from sourcebook.preview.server import BuiltSite

    assert run_cli(project, "build").returncode == 0
    site = project / "site"
    files = current_site(project, site.resolve())
    assert files is not None and "index.html" in files
    built = BuiltSite(site, files)
    assert built["index.html"] == (site / "index.html").read_bytes()
    # Only files the build wrote: not its marker, not a path out of the folder.
    for path in (".sourcebook-build", "../content/site.yaml", "/etc/passwd", "nothing.html"):
        assert path not in built and built.get(path) is None
    # A file changed since the build is not served as if the build had made it.
    (site / "about" / "index.html").write_text("<p>changed by hand</p>", encoding="utf-8")
    assert built.get("about/index.html") is None
    # An input changed since the build: the folder is not current any more.
    (project / A003).write_text((project / A003).read_text(encoding="utf-8") + "\n",
                                encoding="utf-8")
    assert current_site(project, site.resolve()) is None


def test_an_earlier_builds_leftovers_are_freed_once_idle_not_between_a_save_and_its_pages(
        project):
    """Freeing a replaced build's research and answers takes a third of a second at 1,000
    sources: a rebuild keeps them, and `serve` releases them a second after the reload."""
    import weakref

    from sourcebook.engine.commands import PreviewBuilder
    from sourcebook.preview.server import RELEASE_AFTER

    builder = PreviewBuilder(project, lazy_exports=True)
    first = weakref.ref(builder.rebuild().built.rendered.later)
    quad = project / "content/topics/quad.md"
    quad.write_text(quad.read_text("utf-8").replace("The Quad is", "The Quad, a grouping, is"),
                    "utf-8")
    builder.rebuild({"content/topics/quad.md"})
    assert first() is not None  # not freed inside the rebuild
    builder.release()
    assert first() is None  # freed at once, by reference counting
    assert 0 < RELEASE_AFTER <= 2
