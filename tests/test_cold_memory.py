"""A one-shot build (`build`, `check`) keeps only what its build state needs (issue 16, a cold
build of 10,000 sources within 1 GB): each file's reads come back from the render workers with
their digests, so the parent neither re-runs the queries the pages read nor keeps their
answers, and the parsed annotations (the memo) go once the research is built. The records it
saves are exactly those of a build that takes every digest in one process."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import generate_project
from sourcebook.engine import pipeline
from sourcebook.engine.commands import build_site
from sourcebook.engine.output import Nowhere
from sourcebook.engine.parallel import MIN_ITEMS
from sourcebook.engine.settings import Settings
from sourcebook.engine.state import load_state


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated project large enough for the render stage to use every core."""
    return generate_project(tmp_path_factory.mktemp("cold") / "project", MIN_ITEMS + 16)


def test_one_shot_build_keeps_no_answers_and_no_memo(generated: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    engines: list[pipeline.Engine] = []
    build = pipeline.Engine.build

    def watched(self: pipeline.Engine, *args: object, **kwargs: object) -> pipeline.Built:
        engines.append(self)
        return build(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline.Engine, "build", watched)
    report = build_site(generated, Settings(), generated / "site")
    assert report.built is not None and len(engines) == 1
    rendered = report.built.rendered
    assert rendered.queries == {} and rendered.units == {}  # no answers, no unit digests
    assert engines[0].queries == {}
    assert engines[0].memo.count("source") == 0 and not engines[0].loaded.sources.entries
    assert report.built.research.sources  # the research itself is whole


def test_one_shot_records_equal_those_of_a_preview_build(generated: Path) -> None:
    build_site(generated, Settings(), generated / "site")
    saved = load_state(generated).records
    preview = pipeline.Engine(generated, parallel=False)  # every digest taken in one process
    built = preview.build(Nowhere())
    assert built.rendered.queries  # the preview keeps its answers for the next build
    assert saved == preview.records
