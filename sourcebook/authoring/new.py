"""`python build.py new seeds/<name>.txt`: draft content/sources/<name>.yaml from the seed, with
every guess marked for the researcher to check. It never overwrites an annotation."""

from __future__ import annotations

import difflib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..content.entities import load_entities
from ..content.ids import SOURCE_NAME_RULE, is_source_name
from ..content.layout import SEEDS_DIR, annotation_path, seed_path
from ..content.sources import read_seed
from ..content.topics import load_topics
from ..diagnostics import Diagnostics, Location
from ..memo import Memo
from .draft import Draft, draft_annotation
from .draft_yaml import render_yaml


@dataclass(frozen=True, slots=True)
class NewAnnotation:
    """A drafted annotation: where it was written, and the draft."""

    path: str  # relative to the project root
    draft: Draft


def new_annotation(root: Path, seed_arg: Path, diags: Diagnostics) -> NewAnnotation | None:
    """Draft and write a seed's annotation; None (reported) if the seed is unusable or annotated."""
    seed_path = _seed_path(root, seed_arg, diags)
    if seed_path is None:
        return None
    target_rel = annotation_path(seed_path.stem)
    target = root / target_rel
    if target.exists():
        diags.error(Location(target_rel), "an annotation for this seed already exists; `new` "
                    "never overwrites one",
                    f"edit {target_rel}, or delete it first to draft it again")
        return None
    seed = read_seed(root, f"{SEEDS_DIR}/{seed_path.name}", diags)  # refuses a link
    if seed is None:
        return None
    draft = draft_annotation(seed.id, seed.text, *aliases(root, diags))
    target.parent.mkdir(parents=True, exist_ok=True)
    write_new(target, render_yaml(draft).encode("utf-8"))
    return NewAnnotation(target_rel, draft)


def _seed_path(root: Path, seed_arg: Path, diags: Diagnostics) -> Path | None:
    """The seed as given (from the current folder, or from the project root), which must be a
    .txt file directly in the project's seeds/."""
    candidates = [seed_arg] if seed_arg.is_absolute() else [Path.cwd() / seed_arg, root / seed_arg]
    if len(seed_arg.parts) == 1:  # `new frigate.txt` means seeds/frigate.txt
        candidates.append(root / SEEDS_DIR / seed_arg)
    # The folder is resolved, not the file: a seed that is a link is refused when it is read.
    found = next((p.parent.resolve() / p.name for p in candidates
                  if p.is_file() or p.is_symlink()), None)
    shown = seed_arg.as_posix()
    if found is None:
        names = sorted(p.name for p in (root / SEEDS_DIR).glob("*.txt"))
        near = difflib.get_close_matches(seed_arg.name, names, n=5, cutoff=0.4)
        listed = near or names[:5]
        diags.error(Location(shown), "no such seed file",
                    *([f"did you mean seeds/{near[0]}?"] if near else []),
                    "save the article as seeds/<name>.txt first, then run "
                    "`python build.py new seeds/<name>.txt`",
                    *([f"{'nearest seeds' if near else 'seeds in this project'}: "
                       f"{', '.join(listed)}" + (" …" if len(names) > len(listed) else "")]
                      if names else []))
        return None
    if found.parent != (root / SEEDS_DIR).resolve() or found.suffix != ".txt":
        diags.error(Location(shown), "the seed must be a .txt file in the project's seeds/ "
                    "folder", f"move it to {seed_path(found.stem)} and run `new` on that")
        return None
    if not is_source_name(found.stem):
        diags.error(Location(f"{SEEDS_DIR}/{found.name}"),
                    f"'{found.stem}' cannot be a source name",
                    f"rename the file with {SOURCE_NAME_RULE}")
        return None
    return found


def aliases(root: Path, diags: Diagnostics) -> tuple[list[tuple[str, list[str]]],
                                                     list[tuple[str, str, list[str]]]]:
    """Topic and entity names for finding candidate claims. Problems in those files are the
    build's to report: here they only cost candidates, with a warning."""
    local = Diagnostics()
    topics = load_topics(root, local, Memo())
    entities = load_entities(root, local)
    if local.has_errors():
        diags.warning(Location("content/"), "some topics or entities could not be read, so "
                      "their names are not used to find candidate claims",
                      "run `python build.py check` to see why")
    return ([(t.id, [t.title, *t.aliases]) for t in sorted(topics.values(), key=lambda t: t.id)],
            [(e.id, e.name, list(e.aliases)) for e in entities.values()])


def write_new(target: Path, data: bytes) -> None:
    """Write the file whole or not at all, and never over one that appeared meanwhile
    (FileExistsError)."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.link(tmp, target)  # fails if the target exists
    finally:
        os.unlink(tmp)
