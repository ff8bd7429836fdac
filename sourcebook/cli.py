"""Command line: arguments → a command; prints diagnostics; exit codes 0, 1 (content), 2 (usage)."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from .diagnostics import ContentError, Diagnostics, Location
from .gcpause import collector_paused
from .layout import FACTS_DIR, user_cache_dir
from .output import (
    new_staging,
    stale_fact_files,
    unsafe_output,
    verified_site_files,
    write_fact_files,
    write_site,
)
from .state import BuildState, input_stats, load_state, save_state

if TYPE_CHECKING:
    from .pipeline import BuildResult

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python build.py",
        description="Build a research microsite in which every claim links to its passage.",
    )
    parser.add_argument("--root", type=Path, default=Path("."),
                        help="the project folder (default: the current one)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in (("build", "verify everything and write site/ (the default)"),
                            ("check", "verify everything and write nothing")):
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--base-url", help="the URL the site is published at "
                                            "(default: base_url in content/site.yaml)")
        sub.add_argument("--strict", action="store_true", help="treat warnings as errors")
        if name == "check":
            sub.add_argument("--format", choices=("text", "json"), default="text",
                             help="text for people (default), or json: one JSON document on "
                                  "stdout with every diagnostic, for editors and CI")
        if name == "build":
            sub.add_argument("--out", type=Path, default=None,
                             help="the output folder (default: site/ in the project)")
    new = commands.add_parser("new", help="draft the annotation of a new seed",
                              description="Draft content/sources/<name>.yaml for "
                              "seeds/<name>.txt: title, date, byline, agency and boilerplate "
                              "guessed from the text and marked for checking, and the "
                              "sentences worth citing listed as comments. It never overwrites "
                              "an annotation.")
    new.add_argument("seed", type=Path, help="the seed, e.g. seeds/my-article.txt")
    serve = commands.add_parser("serve", help="preview with live reload",
                                description="Preview the site with live reload. It rebuilds "
                                "what changed in seeds/, content/ and templates/, and keeps "
                                "the last good pages when a build fails.")
    serve.add_argument("--port", type=int, default=8000, help="the port (default: 8000; 0: any)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="the address to listen on (default: 127.0.0.1, this machine only)")
    serve.add_argument("--open", action="store_true", help="open the preview in a browser")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run a command; an unexpected failure is reported as a bug, never as a bare traceback."""
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("interrupted; site/ is unchanged", file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_CONTENT
    except Exception:  # the last line of defence: a bug report, not a traceback
        return _internal_error()


def _internal_error() -> int:
    fd, path = tempfile.mkstemp(prefix="sourcebook-crash-", suffix=".txt")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        traceback.print_exc(file=handle)
    print("internal error: sourcebook failed unexpectedly. This is a bug, not a problem with "
          "your content.", file=sys.stderr)
    print(f"  The traceback is saved in {path}; please attach it to a bug report.",
          file=sys.stderr)
    return EXIT_INTERNAL


def _main(argv: list[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    if not any(a in ("build", "check", "new", "serve", "-h", "--help") for a in argv):
        argv.append("build")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse prints its own usage message
        return EXIT_OK if exc.code == 0 else EXIT_USAGE
    root: Path = args.root.resolve()
    if not (root / "content").is_dir():
        print(f"error: {root} has no content/ folder; run this in a sourcebook project "
              "or pass --root", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "serve":
        from .serve import serve

        return serve(root, args.host, args.port, args.open)
    if args.command == "new":
        return _new(root, args.seed)
    with collector_paused():
        return _check(root, args) if args.command == "check" else _build(root, args)



def _new(root: Path, seed: Path) -> int:
    from .scaffold import new_annotation

    diags = Diagnostics()
    made = new_annotation(root, seed, diags)
    _report(diags)
    if made is None:
        return EXIT_CONTENT
    draft = made.draft
    found = ["no headline: write a title" if draft.no_headline else f"title {draft.title!r}",
             f"published {draft.published}" if draft.published else "no date",
             f"{len(draft.excludes)} boilerplate exclusions",
             f"{len(draft.candidates)} candidate claims"]
    print(f"wrote {made.path}: {', '.join(found)}\n"
          f"  next: check every `guessed:` value against the article, add outlet, url and "
          f"retrieved,\n  cite claims from the candidates, then run `python build.py check`")
    return EXIT_OK


def _report(diags: Diagnostics) -> None:
    for diagnostic in diags.sorted():
        print(diagnostic.format(), file=sys.stderr)


def _summary(diags: Diagnostics) -> str:
    errors, warnings = len(diags.errors), len(diags.warnings)
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def _run(root: Path, args: argparse.Namespace, state: BuildState | None = None,
         site: Path | None = None, staging: Path | None = None,
         diags: Diagnostics | None = None) -> BuildResult | None:
    """Run the pipeline, reusing what the saved build state says is unchanged. Diagnostics
    are printed, or collected into `diags` when the caller reports them itself."""
    from .pipeline import BuildSession  # imported here: a no-op build never needs it
    from .render import Page, RenderCache

    session = BuildSession(root, args.base_url, args.strict)
    if state is not None:
        session.memo = state.memo
        reusable = verified_site_files(site, state.site_files) if site else frozenset()
        session.render_cache = RenderCache(
            pages={path: (key, Page(path, None, sha)) for path, (key, sha) in state.pages.items()},
            reusable=reusable,
            stage_dir=staging,
            bytecode_dir=_template_cache() if site else None)  # check writes nothing
    try:
        result = session.build()
    except ContentError as exc:
        if diags is not None:
            diags.extend(exc.diagnostics)
            return None
        _report(exc.diagnostics)
        print(f"failed: {_summary(exc.diagnostics)}; nothing was written", file=sys.stderr)
        return None
    if diags is not None:
        diags.extend(result.diagnostics)
    else:
        _report(result.diagnostics)
    return result


def _template_cache() -> Path | None:
    folder = user_cache_dir()
    return folder / "jinja" if folder else None


def _check(root: Path, args: argparse.Namespace) -> int:
    from .coverage import coverage_report, format_shares, report_uncovered  # check only

    state = load_state(root)  # read only: check writes nothing, not even the cache
    diags = Diagnostics()
    result = _run(root, args, state, diags=diags)
    coverage = None
    if result is not None:
        changed, extra = stale_fact_files(root, result.research.fact_files, state.fact_files)
        missing = [path for path in changed if not (root / path).is_file()]
        _stale(diags, [
            (missing, "no fact file yet for this new fact: the build writes it"),
            ([path for path in changed if path not in missing], "the fact file is out of date"),
            (extra, "the fact file belongs to no fact any more")])
        coverage = coverage_report(result.research)
        report_uncovered(coverage, result.research, diags)
    failed = diags.has_errors() or (args.strict and bool(diags.warnings))
    counts = _counts(result)
    if args.format == "json":
        print(json.dumps({"ok": not failed, **counts,
                          "errors": len(diags.errors), "warnings": len(diags.warnings),
                          "diagnostics": [d.as_json() for d in diags.sorted()],
                          "coverage": coverage.as_json() if coverage else None},
                         ensure_ascii=False, indent=2))
        return EXIT_CONTENT if failed else EXIT_OK
    _report(diags)
    if coverage is not None:
        print("\n".join(format_shares(coverage)))
    if failed:
        print(f"failed: {_summary(diags)}", file=sys.stderr)
        return EXIT_CONTENT
    print(f"ok: {counts['sources']} sources, {counts['facts']} facts, "
          f"{counts['passages']} passages verified; {_summary(diags)}")
    return EXIT_OK


def _counts(result: BuildResult | None) -> dict[str, int]:
    if result is None:
        return {"sources": 0, "facts": 0, "passages": 0}
    research = result.research
    return {"sources": len(research.sources), "facts": len(research.facts),
            "passages": sum(len(f.evidence) for f in research.facts)}


def _stale(diags: Diagnostics, groups: list[tuple[list[str], str]], shown: int = 5) -> None:
    """Stale fact files as errors, per kind the first few by name and then a count; the first
    error carries the one hint that fixes them all."""
    hints = ["run `python build.py`, which updates content/facts/, and commit it"]
    for paths, message in groups:
        located = [(Location(path), message) for path in paths[:shown]]
        if len(paths) > shown:
            located.append((Location(f"{FACTS_DIR}/"), f"{len(paths) - shown} more: {message}"))
        for location, text in located:
            diags.error(location, text, *hints)
            hints = []


def _build(root: Path, args: argparse.Namespace) -> int:
    started = time.perf_counter()
    site = (args.out or root / "site").resolve()
    refusal = unsafe_output(root, site)
    if refusal:
        print(f"error: will not write the site there: {refusal}\n"
              "  hint: the build replaces its output folder whole; choose an empty or new folder,"
              " or the site/ of an earlier build", file=sys.stderr)
        return EXIT_USAGE
    shown = site.relative_to(root) if site.is_relative_to(root) else site
    settings = (args.base_url, args.strict, os.environ.get("SOURCE_DATE_EPOCH"), str(site))
    if load_state(root, quick=True).up_to_date(root, settings, site):
        print(f"{shown}/ is up to date: nothing changed since the last build")
        return EXIT_OK
    state = load_state(root)
    inputs = input_stats(root)  # before reading: a change during the build is seen next time
    staging = new_staging(site.parent, site)
    try:
        result = _run(root, args, state, site, staging)
        if result is None:
            return EXIT_CONTENT
        facts_written, fact_files = write_fact_files(root, result.research.fact_files,
                                                     state.fact_files)
        written = write_site(site.parent, site, result.pages, state.site_files, staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # gone already once swapped in
    save_state(root, BuildState(
        state.version, settings, inputs, state.memo,
        {path: (key, page.sha256) for path, (key, page) in result.page_keys.items()},
        written.files, written.site_id, fact_files))
    elapsed = time.perf_counter() - started
    research = result.research
    print(f"built {shown}/: {len(result.rendered)} pages rendered, {written.written} files "
          f"written of {len(written.files)}, {len(research.facts)} facts from "
          f"{len(research.sources)} sources ({facts_written} fact files updated) "
          f"in {elapsed:.2f}s")
    return EXIT_OK
