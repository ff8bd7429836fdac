"""The default theme: the Jinja templates and static files every project starts from.

A project's templates/ folder overrides any of them, file by file (a template by its name, a
static file by its path under static/), as MkDocs' `custom_dir` does; what a project does not
override comes from here. See README.md, "Templates".
"""

from pathlib import Path

THEME_DIR = Path(__file__).resolve().parent
THEME_STATIC = THEME_DIR / "static"
