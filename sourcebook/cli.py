"""Command line: arguments → a command; prints diagnostics; exit codes 0, 1 (content), 2 (usage),
3 (a bug). The commands' work is engine.commands; this module only reads and prints."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from .diagnostics import ContentError, Diagnostics
from .engine.gcpause import collector_paused

if TYPE_CHECKING:
    from .engine.settings import Settings
    from .research.model import Research

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
    init = commands.add_parser(
        "init", help="start a new research project in a new or empty folder",
        description="Make a new research project: content/site.yaml with your question, a "
        "first topic, an example article with its annotation and fact files, the GitHub Pages "
        "workflow, a README and a .gitignore. It never writes over a file.",
        epilog='example: sourcebook init my-research --question "How do towns fund libraries?"')
    init.add_argument("folder", type=Path, help="the new project's folder")
    init.add_argument("--title", help="the site's title (default: from the folder's name)")
    init.add_argument("--question", help="the research question, shown on the home page")
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
    if not any(a in ("build", "check", "new", "serve", "init", "-h", "--help") for a in argv):
        argv.append("build")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse prints its own usage message
        return EXIT_OK if exc.code == 0 else EXIT_USAGE
    if args.command == "init":
        return _init(args.folder, args.title, args.question)
    root: Path = args.root.resolve()
    if not (root / "content").is_dir():
        print(f"error: {root} has no content/ folder; run this in a sourcebook project "
              "or pass --root", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "serve":
        from .preview.server import serve

        return serve(root, args.host, args.port, args.open)
    if args.command == "new":
        return _new(root, args.seed)
    with collector_paused():
        return _check(root, args) if args.command == "check" else _build(root, args)



def _init(folder: Path, title: str | None, question: str | None) -> int:
    from .authoring.init import InitRefused, init_project, relative

    try:
        made = init_project(folder, title=title, question=question)
    except InitRefused as exc:
        print(f"error: {exc}\n  hint: name a new folder, e.g. `sourcebook init my-research`",
              file=sys.stderr)
        return EXIT_USAGE
    where = relative(made.root)
    print(f"made a new sourcebook project in {where}/: {len(made.files)} files, "
          f"{made.fact_files} fact files\n"
          f"  next: cd {where} && sourcebook serve   (a preview that rebuilds as you save)\n"
          "  then replace the example article and topic with your own (README.md says how)")
    return EXIT_OK


def _new(root: Path, seed: Path) -> int:
    from .authoring.new import new_annotation

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


def _settings(args: argparse.Namespace) -> Settings:
    from .engine.settings import Settings

    return Settings(args.base_url, args.strict)


def _check(root: Path, args: argparse.Namespace) -> int:
    from .authoring.coverage import format_shares
    from .engine.commands import check_project

    report = check_project(root, _settings(args))
    diags, coverage = report.diagnostics, report.coverage
    failed = diags.has_errors() or (args.strict and bool(diags.warnings))
    counts = _counts(report.built.research if report.built else None)
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


def _counts(research: Research | None) -> dict[str, int]:
    if research is None:
        return {"sources": 0, "facts": 0, "passages": 0}
    return {"sources": len(research.sources), "facts": len(research.facts),
            "passages": sum(len(f.evidence) for f in research.facts)}


def _build(root: Path, args: argparse.Namespace) -> int:
    from .engine.commands import build_site
    from .engine.output import OWN_HINT, OutputRefused

    site = (args.out or root / "site").resolve()
    shown = site.relative_to(root) if site.is_relative_to(root) else site
    try:
        report = build_site(root, _settings(args), site)
    except OutputRefused as exc:
        print(f"error: will not write the site there: {exc}\n  hint: {OWN_HINT}",
              file=sys.stderr)
        return EXIT_USAGE
    except ContentError as exc:
        _report(exc.diagnostics)
        print(f"failed: {_summary(exc.diagnostics)}; nothing was written", file=sys.stderr)
        return EXIT_CONTENT
    if report.built is None:
        print(f"{shown}/ is up to date: nothing changed since the last build")
        return EXIT_OK
    _report(report.built.diagnostics)
    research = report.built.research
    print(f"built {shown}/: {report.pages_made} pages rendered, {report.files_written} files "
          f"written of {report.files}, {len(research.facts)} facts from "
          f"{len(research.sources)} sources ({report.fact_files_written} fact files updated) "
          f"in {report.seconds:.2f}s")
    return EXIT_OK
