"""The bundled seeds are the original articles, byte for byte, and the build never writes there."""

import hashlib

from conftest import REPO, copy_project
from sourcebook.cli import main

PINNED = {
    "000_0a8abdfef13416d9.txt": "c90f49801ae0e59cf6c6b9e21e7c2e4a58261460085aba1fcc70915b5005266f",
    "001_387e21b613e05868.txt": "9c6ea2cbf3c6303e1741991fce25f8125e130ee794ff37d2a50e7b1e4501668b",
    "002_7bf14ee84c1d808c.txt": "b59e4e9bde861daf8b0028824aee9c71e1bae8f6d0ed662201266f2d04c1ec78",
    "003_4197f04110c4ab2c.txt": "50123c0d00f3b4749d4d22d8217f1a9c95da03fd8e4b36ae1903a58e84437e96",
    "004_5baf2666bd463fc4.txt": "5749960802b1a858a5b6a1dee1aa8f89da51bb5402e2fac48efdec06575a4d1d",
}


def _hashes(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*"))}


def test_seeds_are_the_original_articles():
    assert _hashes(REPO / "seeds") == PINNED


def test_build_never_writes_to_seeds(tmp_path):
    root = copy_project(tmp_path / "p")
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in (root / "seeds").iterdir()}
    assert main(["--root", str(root), "build"]) == 0
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in (root / "seeds").iterdir()}
    assert before == after


def test_facts_json_records_each_seed_hash(facts_json):
    assert {s["id"] + ".txt": s["sha256"] for s in facts_json["sources"]} == PINNED
