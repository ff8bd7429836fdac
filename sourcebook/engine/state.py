"""The build state under .sourcebook-cache/: what the last successful build read and wrote.

It lets a fresh process skip work exactly: a file whose reads are unchanged is not made again
(site.reader.Record), a fact file or a file of site/ that is as the last build wrote it is not
read again, and when nothing at all changed the build stops at once. Deleting the folder only
costs time: the next build is a clean one with the same output. (Parsed annotations and anchored
quotes stay in the memory of the process that made them, such as the preview's; a fresh process
parses and anchors again, on every core, which is faster than reading them back.)

The files hold data, never code: JSON of a fixed shape, with a header that names the format,
the version of the code that wrote them and the hash of what follows. A file that fails any of
these checks is not used, and the build says so and starts clean. (pickle would run whatever a
planted state file named.)
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..content.layout import FACTS_DIR, INPUT_FOLDERS

if TYPE_CHECKING:
    from ..site.reader import Record

FORMAT = "sourcebook-state 1"
CACHE_DIR = ".sourcebook-cache"
STATE_FILE = "state.json"
OUTPUTS_FILE = "outputs.json"  # each output folder built → the id of the site built there
MARKER = ".sourcebook-build"  # in every built site: only such a folder is ever replaced
QUICK_FILE = "quick.json"  # just enough to tell "nothing changed" without the whole state
OLD_FILES = ("state.pickle", "quick.pickle")  # earlier versions' state: never read, removed
PACKAGE = Path(__file__).resolve().parents[1]

Stat = tuple[int, int]  # (mtime_ns, size)
InputStat = tuple[int, int, int]  # (mtime_ns, size, inode): a replaced file shows too


def input_stats(root: Path, skip: Callable[[str], bool] | None = None) -> dict[str, InputStat]:
    """Every input file: seeds/, archive/, content/ but not content/facts/, templates/. The
    build uses it to tell that nothing changed, the preview to see what did (skipping names it
    ignores)."""
    stats: dict[str, InputStat] = {}
    for top in INPUT_FOLDERS:
        # Plain strings, not Path objects: at 10,000 sources the preview's watcher lists
        # 20,000 files on every poll, and pathlib's parsing was most of a poll's time.
        stack = [(os.path.join(root, top), top)]
        while stack:
            folder, folder_rel = stack.pop()
            try:
                entries = list(os.scandir(folder))
            except FileNotFoundError:
                continue
            for entry in entries:
                if skip is not None and skip(entry.name):
                    continue
                rel = f"{folder_rel}/{entry.name}"
                try:
                    if entry.is_dir(follow_symlinks=False):
                        if rel != FACTS_DIR:
                            stack.append((entry.path, rel))
                    elif entry.is_file():
                        st = entry.stat()
                        stats[rel] = (st.st_mtime_ns, st.st_size, st.st_ino)
                    elif entry.is_symlink():  # broken, or to a folder: the build refuses it
                        st = entry.stat(follow_symlinks=False)
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


CODE_SUFFIXES = (".py", ".json", ".html", ".xml", ".css", ".js", ".svg")  # the theme's too


def code_version() -> str:
    """Changes whenever sourcebook's own code (default theme included) or the Python version
    does."""
    # Plain strings and one scandir per folder: every build, the no-op too, starts here.
    lines = [sys.version]
    stack = [(str(PACKAGE), "")]
    while stack:
        folder, rel = stack.pop()
        with os.scandir(folder) as listing:
            for entry in listing:
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, f"{rel}{entry.name}/"))
                elif entry.name.endswith(CODE_SUFFIXES) and entry.is_file():
                    st = entry.stat()
                    lines.append(f"{rel}{entry.name}:{st.st_mtime_ns}:{st.st_size}")
    return hashlib.sha256("\n".join(sorted(lines)).encode("utf-8", "surrogateescape")).hexdigest()


@dataclass
class BuildState:
    """What the last successful build read and wrote, as saved under .sourcebook-cache/."""

    version: str
    settings: tuple = ()  # base URL option, strict, SOURCE_DATE_EPOCH, output folder
    inputs: dict[str, InputStat] = field(default_factory=dict)
    records: dict[str, Record] = field(default_factory=dict)
    site_files: dict[str, tuple[str, Stat]] = field(default_factory=dict)  # path → (sha, stat)
    site_id: str = ""
    fact_files: dict[str, tuple[str, Stat]] = field(default_factory=dict)

    def quick(self) -> QuickState:
        """What tells, without the records, that nothing changed since this state was saved."""
        listing = fact_listing((rel.rsplit("/", 1)[-1], *stat)
                               for rel, (_, stat) in self.fact_files.items())
        return QuickState(self.settings, self.inputs, self.site_id, listing,
                          lambda: self.site_files)


@dataclass
class QuickState:
    """The quick copy of the state (quick.json): what the no-op build reads. The fact files are
    one digest of their names and stats, not a table to load; the site's files, which only the
    preview's start-up needs, are decoded when asked for."""

    settings: tuple = ()
    inputs: dict[str, InputStat] = field(default_factory=dict)
    site_id: str = ""
    fact_listing: str = ""
    _site_files: Callable[[], dict[str, tuple[str, Stat]]] = dict

    def up_to_date(self, root: Path, settings: tuple, site: Path) -> bool:
        """Nothing changed since this state was saved: inputs, settings, outputs."""
        return (
            settings == self.settings
            and input_stats(root) == self.inputs
            and read_site_id(site) == self.site_id != ""
            and fact_listing(_fact_file_stats(root)) == self.fact_listing
        )

    def site_files(self) -> dict[str, tuple[str, Stat]]:
        """The last build's files of site/: path → (sha, stat)."""
        return self._site_files()


def fact_listing(stats: Iterable[tuple[str, int, int]]) -> str:
    """One digest of the fact files' names, mtimes and sizes: equal digests, the same files
    as the last build wrote them (an edit in place changes the mtime)."""
    lines = "".join(f"{name}\0{mtime}\0{size}\n" for name, mtime, size in sorted(stats))
    return hashlib.sha256(lines.encode("utf-8", "surrogateescape")).hexdigest()


def _fact_file_stats(root: Path) -> list[tuple[str, int, int]]:
    try:
        listing = os.scandir(root / FACTS_DIR)
    except FileNotFoundError:
        return []
    with listing:
        return [(entry.name, st.st_mtime_ns, st.st_size)
                for entry in listing if entry.name.endswith(".yaml")
                for st in (entry.stat(),)]


def read_site_id(site: Path) -> str:
    """The id in a built site's marker file, or '' if there is none."""
    try:
        with open(site / MARKER, "rb") as handle:
            first = handle.readline(512)
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return ""
    return first.decode("utf-8", "replace").rsplit(" ", 1)[-1].strip()


class StateError(ValueError):
    """A state file that is corrupt, or not one sourcebook wrote."""


class OtherVersion(StateError):
    """A state file written by another version of sourcebook: not used, and not a problem."""


def load_state(root: Path, *, warn: Callable[[str], None] | None = None) -> BuildState:
    """The saved state if this code wrote it; a fresh one otherwise. A file that is corrupt or
    not a sourcebook state is not used, and `warn` is told why."""
    version = code_version()
    return _load(root / CACHE_DIR / STATE_FILE, version, warn,
                 lambda payload: _decode(_json(payload), version), lambda: BuildState(version))


def load_quick(root: Path, *, warn: Callable[[str], None] | None = None) -> QuickState:
    """The quick copy of the saved state (what `up_to_date` needs), as load_state."""
    return _load(root / CACHE_DIR / QUICK_FILE, code_version(), warn, _decode_quick, QuickState)


def _load(path: Path, version: str, warn: Callable[[str], None] | None,
          decode: Callable[[bytes], Any], fresh: Callable[[], Any]) -> Any:
    try:
        return decode(_payload(path.read_bytes(), version))
    except (FileNotFoundError, OtherVersion):
        return fresh()
    except (OSError, StateError) as exc:
        if warn is not None:
            warn(f"{CACHE_DIR}/{path.name}: {exc}; it is not used, and the build starts clean")
        return fresh()


def _payload(data: bytes, version: str) -> bytes:
    """What follows the header, once the header proves that this code wrote it whole."""
    head, _, payload = data.partition(b"\n")
    try:
        header = json.loads(head)
    except ValueError as exc:
        raise StateError("not a sourcebook build state") from exc
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise StateError("not a sourcebook build state")
    if header.get("version") != version:
        raise OtherVersion("written by another version of sourcebook")
    if hashlib.sha256(payload).hexdigest() != header.get("sha256"):
        raise StateError("the build state does not match its hash (changed or cut short)")
    return payload


def _json(payload: bytes) -> Any:
    try:
        return json.loads(payload)
    except ValueError as exc:
        raise StateError("the build state is not JSON") from exc


def _framed(payload: bytes, version: str) -> bytes:
    header = {"format": FORMAT, "version": version,
              "sha256": hashlib.sha256(payload).hexdigest()}
    return json.dumps(header).encode() + b"\n" + payload


def _dumps(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _decode_quick(payload: bytes) -> QuickState:
    # Two lines: what proves a no-op, then the site's files, decoded only when asked for.
    proof, _, files = payload.partition(b"\n")
    data = _json(proof)
    try:
        return QuickState(tuple(data["settings"]),
                          {path: tuple(stat) for path, stat in data["inputs"].items()},
                          str(data["site_id"]), str(data["fact_listing"]),
                          lambda: _files(_json(files)))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise StateError(f"the build state has an unexpected shape ({exc})") from exc


def _encode_quick(quick: QuickState, version: str) -> bytes:
    proof = _dumps({"settings": list(quick.settings),
                    "inputs": {path: list(stat) for path, stat in quick.inputs.items()},
                    "site_id": quick.site_id, "fact_listing": quick.fact_listing})
    return _framed(proof + b"\n" + _dumps(_listed(quick.site_files())), version)


def _files(data: Any) -> dict[str, tuple[str, Stat]]:
    return {path: (sha, (mtime, size)) for path, (sha, mtime, size) in data.items()}


def _listed(files: dict[str, tuple[str, Stat]]) -> dict[str, list[Any]]:
    return {path: [sha, *stat] for path, (sha, stat) in files.items()}


def _decode(data: Any, version: str) -> BuildState:
    """The state in a payload, every value checked for its shape as it is converted."""
    try:
        files = {name: _files(data[name]) for name in ("site_files", "fact_files")}
        records = _records(data["reads"], data["records"]) if data["records"] else {}
        state = BuildState(
            version, tuple(data["settings"]),
            {path: tuple(stat) for path, stat in data["inputs"].items()}, records,
            files["site_files"], str(data["site_id"]), files["fact_files"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise StateError(f"the build state has an unexpected shape ({exc})") from exc
    return state


def _records(reads: Any, data: Any) -> dict[str, Record]:
    # Imported here: the no-op build reads the quick state, which has no records, and the
    # reader's import (the research's data classes) is a tenth of its time.
    from ..site.reader import Record

    table = [(tuple(key), str(digest)) for key, digest in reads]
    return {path: Record(tuple(table[i] for i in numbers), sha)
            for path, (sha, numbers) in data.items()}


def _encode(state: BuildState) -> bytes:
    # Each distinct read (a key and its digest) is written once, and a record lists the
    # numbers of its reads: most reads (the settings, the templates, the menus) are shared
    # by thousands of pages, and written whole they made most of the file.
    table: dict[tuple[Any, str], int] = {}
    records = {path: [r.sha256, [table.setdefault(read, len(table)) for read in r.reads]]
               for path, r in state.records.items()}
    return _framed(_dumps({
        "settings": list(state.settings),
        "inputs": {path: list(stat) for path, stat in state.inputs.items()},
        "reads": [[list(key), digest] for key, digest in table],
        "records": records,
        "site_files": _listed(state.site_files),
        "site_id": state.site_id,
        "fact_files": _listed(state.fact_files),
    }), state.version)


def cache_folder(root: Path) -> Path:
    """The project's .sourcebook-cache/, made if need be, with a .gitignore that keeps it out
    of commits."""
    folder = root / CACHE_DIR
    folder.mkdir(exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")
    return folder


def save_state(root: Path, state: BuildState) -> None:
    """Save the state and its quick copy under .sourcebook-cache/, each file replaced atomically."""
    from .output import atomic_write

    folder = cache_folder(root)
    for name in OLD_FILES:
        (folder / name).unlink(missing_ok=True)
    atomic_write(folder / STATE_FILE, _encode(state))
    atomic_write(folder / QUICK_FILE, _encode_quick(state.quick(), state.version))


def load_outputs(root: Path) -> dict[str, str]:
    """The output folders this project has built, each with the id of the site it left
    there: what lets a build replace a folder outside the project (output.check_output)."""
    try:
        data = json.loads((root / CACHE_DIR / OUTPUTS_FILE).read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}


def save_outputs(root: Path, outputs: dict[str, str]) -> None:
    """Record the output folders this project has built (see load_outputs)."""
    from .output import atomic_write

    data = json.dumps(dict(sorted(outputs.items())), indent=0).encode("utf-8")
    atomic_write(cache_folder(root) / OUTPUTS_FILE, data)
