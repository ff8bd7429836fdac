"""The build state under .sourcebook-cache/: what the last successful build read and wrote.

It lets a fresh process skip work exactly: an unchanged input is not re-parsed (the memo, keyed
by content hashes), an unchanged quote is not re-anchored, a page whose reads are unchanged is
not made again (site.render.Record), and when nothing at all changed the build stops at once.
Deleting the folder only costs time: the next build is a clean one with the same output.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content.layout import FACTS_DIR, INPUT_FOLDERS
from ..memo import Memo

CACHE_DIR = ".sourcebook-cache"
STATE_FILE = "state.pickle"
QUICK_FILE = "quick.pickle"  # just enough to tell "nothing changed" without the whole state
PACKAGE = Path(__file__).resolve().parents[1]

Stat = tuple[int, int]  # (mtime_ns, size)
InputStat = tuple[int, int, int]  # (mtime_ns, size, inode): a replaced file shows too


def input_stats(root: Path, skip: Callable[[str], bool] | None = None) -> dict[str, InputStat]:
    """Every input file: seeds/, content/ but not content/facts/, templates/. The build uses it
    to tell that nothing changed, the preview to see what did (skipping names it ignores)."""
    stats: dict[str, InputStat] = {}
    for top in INPUT_FOLDERS:
        stack = [root / top]
        while stack:
            folder = stack.pop()
            try:
                entries = list(os.scandir(folder))
            except FileNotFoundError:
                continue
            for entry in entries:
                if skip is not None and skip(entry.name):
                    continue
                rel = Path(entry.path).relative_to(root).as_posix()
                try:
                    if entry.is_dir(follow_symlinks=False):
                        if rel != FACTS_DIR:
                            stack.append(Path(entry.path))
                    elif entry.is_file():
                        st = entry.stat()
                        stats[rel] = (st.st_mtime_ns, st.st_size, st.st_ino)
                except FileNotFoundError:  # removed between listing and stat
                    continue
    return dict(sorted(stats.items()))


def user_cache_dir() -> Path | None:
    """The per-user cache (XDG), for what is shared by every project, like __pycache__:
    compiled templates, each checked against its source before use. None if there is no home."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:
            return None
    return Path(base) / "sourcebook"


def code_version() -> str:
    """Changes whenever sourcebook's own code or the Python version does."""
    hasher = hashlib.sha256(sys.version.encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".json"):
            st = path.stat()
            rel = path.relative_to(PACKAGE).as_posix()
            hasher.update(f"{rel}:{st.st_mtime_ns}:{st.st_size}".encode())
    return hasher.hexdigest()


@dataclass
class BuildState:
    """What the last successful build read and wrote, as saved under .sourcebook-cache/."""

    version: str
    settings: tuple = ()  # base URL option, strict, SOURCE_DATE_EPOCH, output folder
    inputs: dict[str, InputStat] = field(default_factory=dict)
    memo: Memo = field(default_factory=Memo)
    records: dict[str, Any] = field(default_factory=dict)  # path → site.render.Record
    site_files: dict[str, tuple[str, Stat]] = field(default_factory=dict)  # path → (sha, stat)
    site_id: str = ""
    fact_files: dict[str, tuple[str, Stat]] = field(default_factory=dict)

    def up_to_date(self, root: Path, settings: tuple, site: Path) -> bool:
        """Nothing changed since this state was saved: inputs, settings, outputs."""
        return (
            settings == self.settings
            and input_stats(root) == self.inputs
            and read_site_id(site) == self.site_id != ""
            and self._fact_files_unchanged(root)
        )

    def _fact_files_unchanged(self, root: Path) -> bool:
        """The same fact files, each with the (mtime, size) this build state recorded."""
        expected = {rel.rsplit("/", 1)[-1]: stat for rel, (_, stat) in self.fact_files.items()}
        try:
            entries = [e for e in os.scandir(root / FACTS_DIR) if e.name.endswith(".yaml")]
        except FileNotFoundError:
            return not expected
        if len(entries) != len(expected):
            return False
        for entry in entries:
            st = entry.stat()
            if expected.get(entry.name) != (st.st_mtime_ns, st.st_size):
                return False
        return True

    def quick(self) -> BuildState:
        """This state without the memo and records: small and fast to load."""
        return BuildState(self.version, self.settings, self.inputs, Memo(), {},
                          self.site_files, self.site_id, self.fact_files)


def read_site_id(site: Path) -> str:
    """The id in a built site's marker file, or '' if there is none."""
    from .output import MARKER  # here, not at the top: the no-op path stays light

    try:
        return (site / MARKER).read_text(encoding="utf-8").rsplit(" ", 1)[-1].strip()
    except (FileNotFoundError, NotADirectoryError):
        return ""


def load_state(root: Path, *, quick: bool = False) -> BuildState:
    """The saved state if it was written by this code; a fresh one otherwise.
    `quick` loads only what `up_to_date` needs."""
    version = code_version()
    try:
        with (root / CACHE_DIR / (QUICK_FILE if quick else STATE_FILE)).open("rb") as handle:
            state = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
            TypeError, ValueError):
        return BuildState(version)
    if not isinstance(state, BuildState) or state.version != version:
        return BuildState(version)
    return state


def save_state(root: Path, state: BuildState) -> None:
    """Save the state and its quick copy under .sourcebook-cache/, each file replaced atomically."""
    from .output import atomic_write

    folder = root / CACHE_DIR
    folder.mkdir(exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")
    atomic_write(folder / STATE_FILE, pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
    atomic_write(folder / QUICK_FILE, pickle.dumps(state.quick(),
                                                   protocol=pickle.HIGHEST_PROTOCOL))
