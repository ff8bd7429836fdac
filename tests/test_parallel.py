"""Work on every core gives what one core gives: on a research set big enough for the parallel
paths (parsing and anchoring, rendering), the built site, the fact files and every diagnostic
equal a serial build's, and an edit rebuilt that way equals a clean build."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from builds import clean_build, expected_fact_files, fact_files, site_files
from generate import generate
from sourcebook.cli import main
from sourcebook.engine.parallel import MIN_ITEMS, workers

SOURCES = 100


def build(root: Path, *args: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["--root", str(root), *args])
    return code, err.getvalue()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert SOURCES >= MIN_ITEMS  # big enough to take the parallel paths
    return generate(tmp_path_factory.mktemp("parallel") / "set", SOURCES)


@pytest.mark.skipif(workers() < 2, reason="one core: nothing runs in parallel")
def test_a_build_on_every_core_equals_a_serial_one(generated, tmp_path):
    assert build(generated, "build")[0] == 0
    serial = clean_build(generated, tmp_path / "serial")
    assert not isinstance(serial, list), serial
    assert site_files(generated / "site") == serial.pages
    assert fact_files(generated) == expected_fact_files(serial)
    # An edit, then a build in a fresh process (parsing and anchoring on every core again).
    path = generated / "content/sources/s00007.yaml"
    text = path.read_text("utf-8")
    start = text.index("statement: ") + len("statement: ")
    path.write_text(text[:start] + '"An edited statement." #' + text[start:], "utf-8")
    assert build(generated, "build")[0] == 0
    serial = clean_build(generated, tmp_path / "serial")
    assert not isinstance(serial, list), serial
    assert site_files(generated / "site") == serial.pages


@pytest.mark.skipif(workers() < 2, reason="one core: nothing runs in parallel")
def test_diagnostics_from_every_core_equal_a_serial_run(generated, tmp_path):
    for name in ("s00003", "s00050", "s00090"):  # broken quotes, found by the workers
        path = generated / f"content/sources/{name}.yaml"
        text = path.read_text("utf-8")
        assert 'quote: "' in text
        path.write_text(text.replace('quote: "', 'quote: "Never written here. ', 1), "utf-8")
    code, err = build(generated, "check")
    serial = clean_build(generated, tmp_path / "serial")
    assert code == 1 and isinstance(serial, list) and len(serial) == 3
    assert all("is not in seeds/" in d for d in serial)
    assert all(line in err for line in serial), (err, serial)
