"""The floor under a cold build: what any build of this site in Python must spend before it
renders a single page, measured on a research set that has been built once.

    python bench/floor.py ROOT [--runs 5]

It times, each as the best of several runs (the most favourable figure, so the floor is not
overstated):
- starting Python (`python -c pass`), and importing the stack (jinja2, markdown, yaml);
- parsing every annotation with PyYAML's C loader, without line marks;
- reading every seed;
- writing the bytes of the built site/ into a fresh folder, file by file, as the build's
  write stage must.
The sum is a lower bound for a cold build of ROOT with this stack: rendering, anchoring and
the facts stage all come on top.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml


def best(function: Callable[[], object], runs: int) -> float:
    """The shortest of `runs` timings of function(), in seconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    root: Path = args.root
    site = root / "site"
    if not (site / "index.html").is_file():
        raise SystemExit(f"{site} holds no built site: run `python build.py --root {root}` first")
    annotations = sorted((root / "content/sources").glob("*.yaml"))
    seeds = sorted((root / "seeds").glob("*.txt"))
    built = [(p.relative_to(site), p.read_bytes()) for p in sorted(site.rglob("*")) if p.is_file()]
    size = sum(len(data) for _, data in built)

    def start() -> None:
        subprocess.run([sys.executable, "-c", "pass"], check=True)

    def imports() -> None:
        subprocess.run([sys.executable, "-c", "import jinja2, markdown, yaml"], check=True)

    def parse() -> None:
        for path in annotations:
            yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)

    def read() -> None:
        for path in seeds:
            path.read_text(encoding="utf-8")

    def write() -> None:
        out = Path(tempfile.mkdtemp(prefix="floor-", dir=root.parent))
        try:
            for rel, data in built:
                target = out / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        finally:
            shutil.rmtree(out)

    rows = [
        ("start Python", best(start, args.runs)),
        ("start Python and import jinja2, markdown, yaml", best(imports, args.runs)),
        (f"parse {len(annotations)} annotations (C loader, no marks)", best(parse, args.runs)),
        (f"read {len(seeds)} seeds", best(read, args.runs)),
        (f"write {len(built)} files, {size / 1e6:.0f} MB", best(write, args.runs)),
    ]
    for name, seconds in rows:
        print(f"{name}: {seconds * 1000:,.0f} ms")
    total = rows[1][1] + sum(seconds for _, seconds in rows[2:])
    print(f"floor (imports + parse + read + write): {total * 1000:,.0f} ms")


if __name__ == "__main__":
    main()
