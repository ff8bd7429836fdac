"""`python build.py serve`: a live-reload preview that never shows a stale or half-built page.

- Pages are served from memory: the last good build, swapped in whole when a build succeeds.
  Nothing is read from a half-written file, and nothing is written to site/.
- The watcher (watcher.py) turns a burst of saves into one rebuild.
- Rebuilds run the build's own engine in memory (engine.commands.PreviewBuilder), reusing every
  unchanged result; then browsers reload over the LiveReload protocol (the livereload
  package's websocket handler and livereload.js).
- A failing build keeps the last good pages and shows its diagnostics in a panel on every page
  until the next good build clears it.
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import mimetypes
import secrets
import signal
import sys
import threading
import time
import traceback
import webbrowser
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import httpserver, netutil, web
from tornado.websocket import WebSocketHandler

from ..content.config import load_config
from ..content.layout import SITE_DIR
from ..diagnostics import ContentError, Diagnostic, Diagnostics
from ..engine.commands import PreviewBuilder, current_site
from ..engine.gcpause import collector_paused
from ..research.model import Research
from ..routes import Url
from .annotate import api as annotate_api
from .annotate.service import Annotator
from .watcher import Watcher

LOOPBACK = ("127.0.0.1", "localhost", "::1")
RELEASE_AFTER = 1.0  # seconds after a rebuild: the browsers have fetched their pages by then
FAILED_PAGE = (b'<!doctype html><html lang="en"><head><meta charset="utf-8">'
               b"<title>Build failed</title></head><body></body></html>")


# --- the preview's state ---


class BuiltSite(Mapping[str, bytes]):
    """The files of the site folder that the last `build` made from the inputs as they are
    now, served until the preview's own first build is ready (at 10,000 sources that build
    takes minutes; this takes none). A file is read when asked for, and served only if its
    bytes are still those the build wrote (their hash, as the build state records it)."""

    def __init__(self, site: Path, files: dict[str, tuple[str, tuple[int, int]]]) -> None:
        self._site = site
        self._files = files

    def __getitem__(self, rel: str) -> bytes:
        sha, _ = self._files[rel]  # only what the build wrote: no other path is opened
        try:
            data = (self._site / rel).read_bytes()
        except OSError:
            raise KeyError(rel) from None
        if hashlib.sha256(data).hexdigest() != sha:
            raise KeyError(rel)  # changed since: not what that build made
        return data

    def __contains__(self, rel: object) -> bool:
        return rel in self._files

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)


@dataclass
class Preview:
    """The pages being served and the current error; replaced whole, never edited in place."""

    base_path: str
    pages: Mapping[str, bytes] = field(default_factory=dict)
    errors: tuple[Diagnostic, ...] = ()
    internal_error: str = ""
    generation: int = 0
    research: Research | None = None  # of the build these pages come from (None: site/'s)


def error_panel(preview: Preview) -> str:
    """The HTML panel that lists a failed build's problems; '' after a good build."""
    if not preview.errors and not preview.internal_error:
        return ""
    items = []
    for diag in preview.errors:
        hints = "".join(f"<li>{html.escape(h)}</li>" for h in diag.hints)
        items.append(
            f'<li><code class="where">{html.escape(str(diag.location))}</code> '
            f'<strong>{diag.severity.value}:</strong> {html.escape(diag.message)}'
            + (f"<ul class=\"hints\">{hints}</ul>" if hints else "") + "</li>")
    if preview.internal_error:
        items.append(f"<li>{html.escape(preview.internal_error)}</li>")
    count = len(preview.errors) or 1
    return (
        '<section id="sourcebook-error" role="alert" aria-labelledby="sourcebook-error-title">'
        f'<h2 id="sourcebook-error-title">'
        f"The build failed ({count} problem{'s' * (count != 1)}). "
        "These are the last good pages.</h2>"
        f'<ul>{"".join(items)}</ul>'
        "<p>Fix the file and save: this page reloads by itself.</p>"
        "</section>"
    )


# The panel's style, served by the preview (the site's CSP allows no inline styles).
PANEL_CSS = b"""#sourcebook-error { position: sticky; top: 0; z-index: 1000; margin: 0;
  padding: 1rem 1.25rem; background: #fff1f0; color: #5c0b05; border-bottom: 3px solid #b3261e;
  font: 15px/1.5 system-ui, sans-serif; max-height: 60vh; overflow: auto; }
#sourcebook-error h2 { margin: 0 0 .5rem; font-size: 1.1rem; border: 0; padding: 0; }
#sourcebook-error ul { margin: 0; padding-left: 1.2rem; }
#sourcebook-error p { margin: .5rem 0 0; }
"""
PANEL_CSS_PATH = "/__sourcebook__/preview.css"


def inject(page: bytes, preview: Preview, port: int, token: str | None = None,
           rel: str = "") -> bytes:
    """Add the LiveReload client, the annotation client when given the preview's secret
    `token` (`rel`: the page's file in the site) and, after a failed build, the error panel."""
    text = page.decode("utf-8")
    script = (f'<link rel="stylesheet" href="{PANEL_CSS_PATH}">'
              f'<script src="/livereload.js?port={port}"></script>')
    if token is not None:
        script += (f'<meta name="sourcebook-annotate" content="{html.escape(token)}" '
                   f'data-page="{html.escape(rel)}">'
                   f'<link rel="stylesheet" href="{annotate_api.asset_url("annotate.css")}">' +
                   "".join(f'<script src="{annotate_api.asset_url(name)}" defer></script>'
                           for name in annotate_api.SCRIPTS))
    text = text.replace("</head>", script + "</head>", 1) if "</head>" in text else script + text
    panel = error_panel(preview)
    if panel:
        at = text.find("<body")
        end = text.find(">", at) + 1 if at != -1 else 0
        text = text[:end] + panel + text[end:]
    return text.encode("utf-8")


class HostChecked(web.RequestHandler):
    """Answers only requests addressed to the preview by a name it was started for: a web
    page on another site cannot reach it by pointing its own name at 127.0.0.1 (DNS
    rebinding), because the browser then sends that name as the Host."""

    def prepare(self) -> None:
        """Refuse a request for another host with 403."""
        hosts: frozenset[str] = self.settings["preview_hosts"]
        name = self.request.host_name.strip("[]")
        if hosts and name not in hosts:
            raise web.HTTPError(403, f"the preview does not answer for the host {name!r}")


class SocketHandler(HostChecked, LiveReloadHandler):
    """LiveReload's websocket, only for pages of the preview itself (the livereload package
    accepts any origin)."""

    def check_origin(self, origin: str) -> bool:
        """Tornado's own rule: the page's origin must be the host it connects to."""
        return WebSocketHandler.check_origin(self, origin)


class ScriptHandler(HostChecked, LiveReloadJSHandler):
    """livereload.js, behind the host check."""


class PanelStyleHandler(HostChecked):
    """Serves the error panel's stylesheet."""

    def get(self) -> None:
        """Send the panel's CSS."""
        self.set_header("Content-Type", "text/css; charset=utf-8")
        self.write(PANEL_CSS)


class AnnotateAssets(HostChecked, annotate_api.AssetHandler):
    """The annotation client's script and style, behind the host check."""


class PageHandler(HostChecked):
    """Serves the in-memory site under its base path, as GitHub Pages would."""

    def initialize(self, server: PreviewServer) -> None:
        """Keep the server whose pages are served."""
        self.server = server

    def set_default_headers(self) -> None:
        """Forbid caching: every response shows the current build."""
        self.set_header("Cache-Control", "no-store")

    async def head(self, path: str) -> None:
        """What GET would answer, headers only (Tornado leaves out the body)."""
        await self.get(path)

    async def get(self, path: str) -> None:
        """Serve a file of the site from memory (a data file is made when first asked for,
        off the event loop), a redirect, or a 404 page."""
        preview = self.server.preview
        base = preview.base_path
        request_path = "/" + path
        if not request_path.startswith(base):
            if request_path in ("/", base.rstrip("/")):
                self.redirect(base)
                return
            self._not_found(preview)
            return
        path = request_path[len(base):]
        rel = Url.for_path(path).file
        body = preview.pages.get(rel)
        if body is None:
            try:
                body = await asyncio.get_running_loop().run_in_executor(
                    None, self.server.builder.later, rel)
            except ValueError as exc:  # a data file's template failed
                self.server.log(f"error: {exc}", problem=True)
                raise web.HTTPError(500, str(exc)) from None
        if body is None:
            if Url.for_path(f"{path}/").file in preview.pages:
                self.redirect(request_path + "/", permanent=True)
                return
            if not preview.pages and (preview.errors or preview.internal_error):
                body = FAILED_PAGE
                rel = "error.html"
            else:
                self._not_found(preview)
                return
        content_type, encoding = mimetypes.guess_type(rel)
        if encoding or content_type is None:  # a .gz download is a file to save, as on Pages
            content_type = "application/gzip" if encoding == "gzip" else "application/octet-stream"
        if rel.endswith(".html"):
            body = inject(body, preview, self.server.port, self.server.token, rel)
            content_type = "text/html"
        if content_type.startswith("text/") or content_type.endswith(("json", "javascript")):
            content_type += "; charset=utf-8"
        self.set_header("Content-Type", content_type)
        self.write(body)

    def _not_found(self, preview: Preview) -> None:
        self.set_status(404)
        page = (f'<!doctype html><html lang="en"><head><title>Not found</title></head><body>'
                f'<h1>Not found</h1><p><a href="{html.escape(preview.base_path)}">'
                "Go to the home page</a></p></body></html>").encode()
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.write(inject(page, preview, self.server.port))


# --- the server ---


class PreviewServer:
    """The preview: serves the last good build and rebuilds it whenever the project changes."""

    def __init__(self, root: Path, host: str, port: int,
                 log: Callable[..., None]) -> None:
        self.root = root
        self.host = host
        self.port = port
        self.log = log
        self.builder = PreviewBuilder(root, lazy_exports=True)
        self.preview = Preview(base_path=self._base_path())
        self.loop: asyncio.AbstractEventLoop | None = None
        self.build_lock = threading.Lock()
        self.builds = 0
        # Annotating writes files: only on loopback, and only for pages given this secret.
        self.token = secrets.token_urlsafe(32) if host in LOOPBACK else None
        self.annotator = Annotator(
            root, lambda: self.preview.research,
            lambda: bool(self.preview.errors or self.preview.internal_error), log)

    def _base_path(self) -> str:
        return load_config(self.root, Diagnostics()).base_path

    @property
    def url(self) -> str:
        """The address of the preview's home page."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{self.preview.base_path}"

    def rebuild(self, changes: set[str] | None = None) -> None:
        """Build, swap in the result or the error, then tell the browsers to reload.
        `changes`: the paths the watcher saw change since the last build began (None: the
        first build, which proves every file)."""
        with self.build_lock:
            started = time.perf_counter()
            self.builds += 1
            base_path = self._base_path()
            try:
                with collector_paused():
                    result = self.builder.rebuild(changes)
            except ContentError as exc:
                diags = exc.diagnostics.sorted()
                self.preview = Preview(base_path, self.preview.pages, tuple(diags), "",
                                       self.preview.generation + 1, self.preview.research)
                for diag in diags:
                    self.log(diag.format(), problem=True)
                self.log(f"build failed: {len(exc.diagnostics.errors)} error(s); "
                         "still serving the last good pages", problem=True)
            except Exception:  # keep serving whatever happens: report it as a bug
                message = ("internal error while building: "
                           f"{traceback.format_exc(limit=1).strip().splitlines()[-1]}")
                self.preview = Preview(base_path, self.preview.pages, (), message,
                                       self.preview.generation + 1, self.preview.research)
                self.log(traceback.format_exc(), problem=True)
            else:
                self.preview = Preview(base_path, result.pages, (), "",
                                       self.preview.generation + 1, result.built.research)
                for diag in result.built.diagnostics.sorted():
                    self.log(diag.format(), problem=True)
                elapsed = (time.perf_counter() - started) * 1000
                what = f" after a change to {', '.join(sorted(changes))}" if changes else ""
                self.log(f"built in {elapsed:.0f} ms{what}: {len(result.built.rendered.made)} "
                         f"page(s) rendered, {result.fact_files_written} fact file(s) in "
                         "content/facts/ updated")
        if self.loop is not None:
            self.loop.call_soon_threadsafe(reload_browsers)
            # Once the browsers have their new pages: free the earlier build's leftovers.
            self.loop.call_soon_threadsafe(self.loop.call_later, RELEASE_AFTER,
                                           self.builder.release)

    def application(self) -> web.Application:
        """The web application: LiveReload's handlers, the panel's style, and the site's pages."""
        annotate = [] if self.token is None else annotate_api.routes(
            self.annotator, self.token, lambda: self.port, AnnotateAssets)
        return web.Application([
            (r"/livereload", SocketHandler),
            (r"/livereload\.js", ScriptHandler),
            (PANEL_CSS_PATH.replace(".", r"\."), PanelStyleHandler),
            *annotate,
            (r"/(.*)", PageHandler, {"server": self}),
        ], preview_hosts=preview_hosts(self.host))

    async def run(self, open_browser: bool) -> None:
        """Serve until SIGINT or SIGTERM: build once, then rebuild on every change."""
        self.loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            self.loop.add_signal_handler(signum, stop.set)
        sockets = netutil.bind_sockets(self.port, address=self.host)
        self.port = sockets[0].getsockname()[1]
        http = httpserver.HTTPServer(self.application())
        http.add_sockets(sockets)
        site = (self.root / SITE_DIR).resolve()
        built = current_site(self.root, site)
        # The watcher's first snapshot is taken before the first build reads anything: each
        # later build is handed what changed since, and looks at nothing else.
        watcher = Watcher(self.root, self.rebuild)
        if built:
            # Serve what `build` last made while the first build runs; browsers reload then.
            self.preview = Preview(self.preview.base_path, BuiltSite(site, built))
            threading.Thread(target=self.rebuild, name="first build", daemon=True).start()
            self.log("Serving the last build (site/) until the preview's own build is ready")
        else:
            self.rebuild()
        watcher.start()
        self.log(f"Serving on {self.url}")
        self.log("Watching seeds/, archive/, content/ and templates/ for changes. "
                 "Press Ctrl-C to stop.")
        if open_browser:
            threading.Thread(target=webbrowser.open, args=(self.url,), daemon=True).start()
        try:
            await stop.wait()
        finally:
            watcher.stop()
            http.stop()
            await http.close_all_connections()
            watcher.join(timeout=2)


def preview_hosts(host: str) -> frozenset[str]:
    """The names the preview answers for: the one it was started with and the loopback names;
    every name (empty set) when it listens on all interfaces, as asked for with a warning."""
    if host in ("0.0.0.0", "::", ""):
        return frozenset()
    return frozenset({host.strip("[]").lower(), *LOOPBACK})


def reload_browsers() -> None:
    """Tell every connected browser to reload."""
    message = {"command": "reload", "path": "*", "liveCSS": False, "liveImg": False}
    for waiter in list(LiveReloadHandler.waiters):
        try:
            waiter.write_message(message)
        except Exception:  # a browser that went away
            LiveReloadHandler.waiters.discard(waiter)


def serve(root: Path, host: str, port: int, open_browser: bool) -> int:
    """Run the preview until it is stopped; the exit status (2 if it cannot listen)."""
    def log(line: str, *, problem: bool = False) -> None:
        print(line, file=sys.stderr if problem else sys.stdout, flush=True)

    if host not in LOOPBACK:
        print(f"warning: serving on {host}: anyone who can reach this machine on port {port} "
              "can see the preview. Use the default (127.0.0.1) unless you mean it.",
              file=sys.stderr, flush=True)
    server = PreviewServer(root, host, port, log)
    try:
        asyncio.run(server.run(open_browser))
    except KeyboardInterrupt:  # a second Ctrl-C while stopping
        pass
    except OSError as exc:
        print(f"error: cannot listen on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print("stopped", flush=True)
    return 0
