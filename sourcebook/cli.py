"""Command line: arguments → a command; prints diagnostics; exit codes 0, 1 (content), 2 (usage),
3 (a bug). The commands' work is engine.commands; this module only reads and prints."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, NoReturn

from .content.layout import SITE_DIR
from .diagnostics import ContentError, Diagnostics, OutputRefused
from .engine.gcpause import collector_paused

if TYPE_CHECKING:
    from .engine.settings import Settings
    from .research.model import Research

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


COMMANDS = ("build", "check", "new", "import", "serve", "init")
EXAMPLES = {
    "build": "examples:\n  python build.py\n  python build.py --base-url https://you.github.io/repo/"
             "\n  python build.py build --strict --out /tmp/site",
    "check": "examples:\n  python build.py check\n  python build.py check --strict   "
             "(as CI runs it: fact files must be committed)\n  python build.py check --format json",
    "new": "example:\n  python build.py new seeds/my-article.txt",
    "import": "examples:\n  python build.py import ~/Downloads/article.html\n"
              "  python build.py import page.mhtml capture.warc.gz report.pdf\n"
              "  python build.py import https://example.com/news/article --name my-article\n"
              "  python build.py import --from-csl my-library.json\n"
              "  python build.py import --from-bibtex my-library.bib",
    "serve": "examples:\n  python build.py serve\n  python build.py serve --port 0 --open",
    "init": 'example:\n  sourcebook init my-research --question "How do towns fund libraries?"',
}


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors that name the fix: the command an option belongs to, or
    the command that was meant."""

    owners: ClassVar[dict[str, list[str]]] = {}  # option → the commands that take it

    def error(self, message: str) -> NoReturn:  # argparse's name
        """Print the usage, the error and a hint; exit 2."""
        hints = []
        for option in re.findall(r"(--?[\w-]+)", message.split(":", 1)[-1]):
            owners = self.owners.get(option)
            if owners and "unrecognized" in message:
                hints.append(f"{option} is an option of `{' and '.join(owners)}`, e.g. "
                             f"`python build.py {owners[0]} {option} …`")
        if "invalid choice" in message:
            word = re.search(r"invalid choice: '([^']*)'", message)
            import difflib  # here: only a mistyped command needs it

            close = difflib.get_close_matches(word.group(1) if word else "", COMMANDS, n=1)
            hints.append(f"did you mean `{close[0]}`?" if close else
                         f"the commands are {', '.join(COMMANDS)}; options go before or after")
        self.print_usage(sys.stderr)
        text = f"{self.prog}: error: {message}" + "".join(f"\n  hint: {h}" for h in hints)
        self.exit(EXIT_USAGE, text + "\n")


def _parser(prog: str) -> argparse.ArgumentParser:
    """The command line. The options of build (the default command) and --root may also stand
    before the command: `python build.py --strict` builds, as `python build.py build --strict`
    does."""
    root = _Parser(add_help=False)
    root.add_argument("--root", type=Path, default=argparse.SUPPRESS,
                      help="the project folder (default: the current one)")
    site = _Parser(add_help=False)
    site.add_argument("--base-url", default=argparse.SUPPRESS,
                      help="the URL the site is published at (default: base_url in "
                           "content/site.yaml)")
    site.add_argument("--strict", action="store_true", default=argparse.SUPPRESS,
                      help="treat warnings as errors, and stale fact files too")
    out = _Parser(add_help=False)
    out.add_argument("--out", type=Path, default=argparse.SUPPRESS,
                     help="the output folder (default: site/ in the project)")
    formatter = argparse.RawDescriptionHelpFormatter
    parser = _Parser(prog=prog, parents=[root, site, out], formatter_class=formatter,
                     description="Build a research microsite in which every claim links to "
                                 "the passage it rests on. Without a command: build.",
                     epilog=EXAMPLES["build"])
    parser.add_argument("--version", action=_VersionAction)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help_text: str, parents: list, description: str = "") -> _Parser:
        return commands.add_parser(name, help=help_text, description=description or help_text,
                                   parents=parents, epilog=EXAMPLES[name],
                                   formatter_class=formatter)

    command("build", "verify everything, update content/facts/ and write site/ (the default)",
            [root, site, out])
    check = command("check", "verify everything and write nothing", [root, site])
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help="text for people (default), or json: one JSON document on stdout "
                            "with every diagnostic, for editors and CI")
    new = command("new", "draft the annotation of a new seed", [root],
                  "Draft content/sources/<name>.yaml for seeds/<name>.txt: title, date, byline, "
                  "agency and boilerplate guessed from the text and marked for checking, and "
                  "the sentences worth citing listed as comments. It never overwrites an "
                  "annotation.")
    new.add_argument("seed", type=Path, help="the seed, e.g. seeds/my-article.txt")
    page = command("import", "turn saved web pages into seeds and draft annotations; "
                   "bring in a reference manager's metadata", [root],
                   "Import a page saved from a browser (.html, .mhtml), a WARC record, a PDF "
                   "with a text layer or an http(s) address: its main text becomes "
                   "seeds/<name>.txt, the original is kept byte for byte as "
                   "archive/<name>.<suffix>, and content/sources/<name>.yaml is drafted with "
                   "the page's own metadata, each value marked `guessed:`. With --from-csl "
                   "or --from-bibtex, match each entry of a Zotero (or any CSL-JSON or "
                   "BibTeX) export to a source by its key, URL or title, and add the "
                   "metadata its annotation lacks, marked with where it came from. It "
                   "never overwrites a file or a value you wrote, and refuses a page "
                   "imported before.")
    page.add_argument("pages", nargs="*", metavar="PATH_OR_URL",
                      help="saved pages (.html, .htm, .mhtml, .mht, .warc, .warc.gz, .pdf) "
                           "or http(s):// addresses")
    page.add_argument("--name", help="the new source's name (default: its date and the "
                                     "title's first words); only with one page")
    page.add_argument("--allow-http", action="store_true",
                      help="fetch plain http:// addresses too (default: https only)")
    page.add_argument("--timeout", type=_seconds, default=20.0, metavar="SECONDS",
                      help="seconds to wait for a server (default: 20)")
    page.add_argument("--from-csl", type=Path, metavar="FILE",
                      help="a CSL-JSON export (Zotero: Export Collection… → CSL JSON)")
    page.add_argument("--from-bibtex", type=Path, metavar="FILE",
                      help="a BibTeX or BibLaTeX export")
    serve = command("serve", "preview with live reload", [root],
                    "Preview the site with live reload. It rebuilds what changed in seeds/, "
                    "content/ and templates/, and keeps the last good pages when a build fails.")
    serve.add_argument("--port", type=int, default=8000, help="the port (default: 8000; 0: any)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="the address to listen on (default: 127.0.0.1, this machine only)")
    serve.add_argument("--open", action="store_true", help="open the preview in a browser")
    init = command("init", "start a new research project in a new or empty folder", [],
                   "Make a new research project: content/site.yaml with your question, a first "
                   "topic, an example article with its annotation and fact files, the GitHub "
                   "Pages workflow, a README and a .gitignore. It never writes over a file.")
    init.add_argument("folder", type=Path, help="the new project's folder")
    init.add_argument("--title", help="the site's title (default: from the folder's name)")
    init.add_argument("--question", help="the research question, shown on the home page")
    _Parser.owners = {"--base-url": ["build", "check"], "--strict": ["build", "check"],
                      "--out": ["build"], "--format": ["check"], "--port": ["serve"],
                      "--host": ["serve"], "--open": ["serve"], "--title": ["init"],
                      "--question": ["init"], "--name": ["import"], "--allow-http": ["import"],
                      "--timeout": ["import"], "--from-csl": ["import"],
                      "--from-bibtex": ["import"]}
    return parser


def _seconds(text: str) -> float:
    """A number of seconds above zero (argparse's type for --timeout)."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds above zero")
    return value


class _VersionAction(argparse.Action):
    """--version, looked up only when asked: reading the installed metadata costs a tenth of
    a no-op build."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS,
                 help: str = "show program's version number and exit") -> None:
        super().__init__(option_strings=option_strings, dest=dest, default=default, nargs=0,
                         help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> NoReturn:
        """Print the version and exit."""
        print(f"sourcebook {_version()}")
        parser.exit()


def _version() -> str:
    from .authoring.init import version

    return version()


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
    import tempfile  # here, as below: only a crash needs them
    import traceback

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
    prog = "python build.py" if sys.argv[0].endswith("build.py") else "sourcebook"
    try:
        args = _parser(prog).parse_args(argv)
        args.command = args.command or "build"
        for name in ("base_url", "strict", "out"):  # before a command that does not take it
            option = "--" + name.replace("_", "-")
            if hasattr(args, name) and args.command not in _Parser.owners[option]:
                _Parser(prog=prog).error(f"unrecognized arguments: {option} "
                                         f"(with {args.command})")
    except SystemExit as exc:  # argparse printed its usage, help or version
        return EXIT_OK if exc.code == 0 else EXIT_USAGE
    for name, default in (("root", Path(".")), ("base_url", None), ("strict", False),
                          ("out", None), ("format", "text")):
        if not hasattr(args, name):
            setattr(args, name, default)
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
    if args.command == "import":
        return _import(root, args)
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
    diags.report()
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


def _import(root: Path, args: argparse.Namespace) -> int:
    """Import the pages given, then match the reference manager's entries (importing.command)."""
    if not args.pages and args.from_csl is None and args.from_bibtex is None:
        print("error: name a saved page or an address to import\n  hint: e.g. `python build.py "
              "import ~/Downloads/article.html`, or give --from-csl FILE or "
              "--from-bibtex FILE", file=sys.stderr)
        return EXIT_USAGE
    if args.name and len(args.pages) > 1:
        print("error: --name names one source, and there are several pages\n  hint: import "
              "them one by one to name each", file=sys.stderr)
        return EXIT_USAGE
    from .importing.command import import_all
    from .importing.pages import Options

    failed = import_all(root, args.pages, Options(args.name, args.allow_http, args.timeout),
                        csl=args.from_csl, bibtex=args.from_bibtex)
    return EXIT_CONTENT if failed else EXIT_OK


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
                          "coverage": coverage.as_json() if coverage else None,
                          "fact_files_pending": dict(zip(("new", "updated", "removed"),
                                                         report.pending, strict=True))},
                         ensure_ascii=False, indent=2))
        return EXIT_CONTENT if failed else EXIT_OK
    diags.report()
    if coverage is not None:
        print("\n".join(format_shares(coverage)))
    if any(report.pending) and not args.strict:
        print(f"note: {_pending(report.pending)}")
    if failed:
        print(f"failed: {diags.summary()}", file=sys.stderr)
        return EXIT_CONTENT
    print(f"ok: {counts['sources']} sources, {counts['facts']} facts, "
          f"{counts['passages']} passages verified; {diags.summary()}")
    return EXIT_OK


def _pending(pending: tuple[int, int, int]) -> str:
    """What the next build does to content/facts/, in words."""
    parts = [f"{count} {what}" for count, what in zip(pending, (
        "new fact file(s) to write", "to update", "to remove"), strict=True) if count]
    return (f"the next `python build.py` brings content/facts/ up to date ({', '.join(parts)}); "
            "commit it with your change (`check --strict`, as CI runs it, fails until then)")


def _counts(research: Research | None) -> dict[str, int]:
    if research is None:
        return {"sources": 0, "facts": 0, "passages": 0}
    return {"sources": len(research.sources), "facts": len(research.facts),
            "passages": sum(len(f.evidence) for f in research.facts)}


def _build(root: Path, args: argparse.Namespace) -> int:
    from .engine.commands import build_site

    site = (args.out or root / SITE_DIR).resolve()
    shown = site.relative_to(root) if site.is_relative_to(root) else site
    try:
        report = build_site(root, _settings(args), site)
    except OutputRefused as exc:
        print(f"error: will not write the site there: {exc}\n  hint: {exc.hint}",
              file=sys.stderr)
        return EXIT_USAGE
    except ContentError as exc:
        exc.diagnostics.report()
        print(f"failed: {exc.diagnostics.summary()}; nothing was written", file=sys.stderr)
        return EXIT_CONTENT
    if report.built is None:
        print(f"{shown}/ is up to date: nothing changed since the last build")
        return EXIT_OK
    report.built.diagnostics.report()
    research = report.built.research
    print(f"built {shown}/: {report.pages_made} pages rendered, {report.files_written} files "
          f"written of {report.files}, {len(research.facts)} facts from "
          f"{len(research.sources)} sources ({report.fact_files_written} fact files updated) "
          f"in {report.seconds:.2f}s")
    return EXIT_OK
