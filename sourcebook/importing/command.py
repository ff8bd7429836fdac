"""`python build.py import`: the pages given, each imported on its own, then a reference
manager's export matched to the sources (which may be the ones just imported); what each did is
printed as the command line prints the other commands' work. The command line itself only
checks the arguments (cli.py)."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

from ..diagnostics import Diagnostics
from .pages import ImportedPage, Options, import_page, original_limit


def import_all(root: Path, pages: list[str], options: Options, *, csl: Path | None,
               bibtex: Path | None) -> bool:
    """Import the pages, then match the export (if one is given); whether anything failed."""
    failed = import_pages(root, pages, options) if pages else False
    if csl is not None or bibtex is not None:
        failed = import_references(root, csl, bibtex) or failed
    return failed


def import_pages(root: Path, pages: list[str], options: Options) -> bool:
    """Import each page, saying what was written; whether any was refused. The project's
    size limit for an original is read once, for all of them."""
    if options.max_bytes is None:
        options = dataclasses.replace(options, max_bytes=original_limit(root))
    failed = False
    for given in pages:
        diags = Diagnostics()
        made = import_page(root, given, options, diags)
        diags.report()
        if made is None:
            failed = True
            continue
        print(_wrote(made))
    return failed


def _wrote(made: ImportedPage) -> str:
    """What one import wrote, and what the researcher does next."""
    draft = made.draft
    found = [f"title {draft.title!r}" if draft.page is None or not draft.page.guess("title")
             else f"title {draft.page.guess('title')[0]!r}",  # type: ignore[index]
             f"{len(draft.excludes)} boilerplate exclusions",
             f"{len(draft.candidates)} candidate claims"]
    return (f"wrote {made.seed}, {made.archive} and {made.annotation}: {', '.join(found)}\n"
            f"  next: check every `guessed:` value against the page ({made.archive}),\n"
            "  cite claims from the candidates, then run `python build.py check`")


def import_references(root: Path, csl: Path | None, bibtex: Path | None) -> bool:
    """Match a reference manager's export to the sources, a line an entry; whether it failed."""
    from .references import import_references as match_export

    diags = Diagnostics()
    results = match_export(root, csl=csl, bibtex=bibtex, diags=diags)
    diags.report()
    if diags.has_errors():
        print(f"failed: {diags.summary()}", file=sys.stderr)
        return True
    for result in results:
        print(result.line())
    return False
