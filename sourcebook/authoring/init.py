"""`sourcebook init DIR`: a new research project of one's own, as `hugo new site` or `mkdocs new`
make one. It holds the settings with the project's question, a first topic, an example article
with its annotation, the GitHub Pages workflow, a README and a .gitignore; no templates/ (the
package's default theme serves until the project overrides a file). It builds at once, and its
fact files are written, so that `check --strict` passes from the start."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from ..content.layout import SITE_FILE, annotation_path, seed_path, topic_path

STARTER = Path(__file__).resolve().parent / "starter"
DEFAULT_QUESTION = "What question does this research answer? (Edit content/site.yaml.)"

# The starter's files: where each goes in the new project.
FILES = {
    "site.yaml": SITE_FILE,
    "topic.md": topic_path("reading-rooms"),
    "example-article.txt": seed_path("example-article"),
    "example-article.yaml": annotation_path("example-article"),
    "README.md": "README.md",
    "gitignore": ".gitignore",
    "pages.yml": ".github/workflows/pages.yml",
}


class InitRefused(Exception):
    """The folder cannot become a new project: the message says why."""


@dataclass(frozen=True)
class Initialised:
    """What `init` made."""

    root: Path
    files: tuple[str, ...]  # every file written, relative to root
    fact_files: int  # fact files the first build wrote


def version() -> str:
    """sourcebook's version, as installed."""
    try:
        return metadata.version("sourcebook")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "0.1.0"


def init_project(root: Path, *, title: str | None = None,
                 question: str | None = None) -> Initialised:
    """Make a new project in `root` (a new or empty folder), then write its fact files.
    Raise InitRefused if the folder holds anything."""
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise InitRefused(f"{root} is not empty: `init` makes a new project in a new or "
                          "empty folder, and never writes over files")
    title = " ".join((title or _title_from(root)).split())
    question = " ".join((question or DEFAULT_QUESTION).split())
    plain = {"{title}": title, "{question}": question, "{version}": version()}
    quoted = {key: json.dumps(value, ensure_ascii=False) for key, value in plain.items()}
    written = []
    for name, rel in FILES.items():
        text = (STARTER / name).read_text(encoding="utf-8")
        for key, value in (quoted if name.endswith(".yaml") else plain).items():
            text = text.replace(key, value)  # only these: `{sources}` stays for the build
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        written.append(rel)
    return Initialised(root, tuple(sorted(written)), _write_fact_files(root))


def _write_fact_files(root: Path) -> int:
    """Build in memory once and write content/facts/, as `build` would."""
    from ..engine.output import Nowhere
    from ..engine.pipeline import Engine
    from ..engine.settings import Settings

    engine = Engine(root, Settings(), parallel=False)
    return engine.write_fact_files(engine.build(Nowhere()))


def _title_from(root: Path) -> str:
    words = root.resolve().name.replace("-", " ").replace("_", " ").strip()
    return (words[:1].upper() + words[1:]) if words else "My sourcebook"


def relative(path: Path) -> str:
    """A path as the user would type it from where they are."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive
        return str(path)
