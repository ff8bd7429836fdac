"""The newcomer walkthrough, as the README's "Adding an article" tells it: save a seed, draft its
annotation with `new`, check, cite claims from the candidates, build, and preview. The article
is a short test text of our own (tests/fixtures/newcomer/)."""

from __future__ import annotations

import json
import shutil
import urllib.request

from conftest import REPO, run_cli
from htmltree import by_id, parse
from test_serve import start_preview, stop_preview

FIXTURE = REPO / "tests" / "fixtures" / "newcomer"
NAME = "quad-first-summit"
SEED = f"seeds/{NAME}.txt"
ANNOTATION = f"content/sources/{NAME}.yaml"


def test_a_newcomer_adds_an_article_from_seed_to_preview(project):
    # 1. Save the article's text in seeds/, as collected.
    shutil.copyfile(FIXTURE / f"{NAME}.txt", project / SEED)

    # 2. Draft the annotation. Its guesses are marked for checking.
    drafted = run_cli(project, "new", SEED)
    assert drafted.returncode == 0, drafted.stderr
    assert drafted.stdout.startswith(f"wrote {ANNOTATION}: title 'Quad leaders hold first "
                                     "summit, promise vaccines for the Indo-Pacific', "
                                     "published 2021-03-13")
    draft = (project / ANNOTATION).read_text(encoding="utf-8")
    lines = draft.splitlines()
    for expected in ('title: "Quad leaders hold first summit, promise vaccines for the '
                     'Indo-Pacific"', 'author: "Meera Test"', "published: 2021-03-13"):
        assert any(ln.startswith(expected) and "# guessed:" in ln for ln in lines), expected
    for junk in ("Skip to main content | Home | World | Asia | Opinion",
                 "Read all the Latest News here", "© 2021 Test Desk. All rights reserved."):
        assert f'  - quote: "{junk}"' in lines
    for sentence in ("The leaders of Australia, India, Japan and the United States met",
                     "They agreed to help deliver up to one billion doses",
                     "Analysts said the meeting raised the Quad"):
        assert any(ln.startswith(f'#    quote: "{sentence}') for ln in lines), sentence

    # Running `new` again never overwrites the draft.
    again = run_cli(project, "new", SEED)
    assert again.returncode == 1 and f"{ANNOTATION}:1:1: error: an annotation" in again.stderr
    assert (project / ANNOTATION).read_text(encoding="utf-8") == draft

    # 3. `check` on the bare draft: valid, and it points at the sentences still to cite.
    checked = run_cli(project, "check")
    assert checked.returncode == 0, checked.stderr
    warned = [ln.split(": warning: ")[0] for ln in checked.stderr.splitlines()
              if ln.startswith(SEED)]
    assert warned == [f"{SEED}:5:1", f"{SEED}:8:1"]
    assert f"source {NAME}: 1/3 annotated" in checked.stdout

    # 4. Fill in what `new` cannot know, and cite the claims (what the newcomer typed).
    finished = (draft.replace('# outlet: ""', "outlet: Test Desk  #", 1)
                .replace("# retrieved: YYYY-MM-DD", "archive_url: https://web.archive.org/web/"
                         "2021/https://example.org/quad\nretrieved: 2026-12-02  #", 1)
                + (FIXTURE / "claims.yaml").read_text(encoding="utf-8"))
    (project / ANNOTATION).write_text(finished, encoding="utf-8")

    # 5. Build: it verifies every quote and writes the new fact files.
    built = run_cli(project, "build")
    assert built.returncode == 0, built.stderr
    assert "3 fact files updated" in built.stdout
    checked = run_cli(project, "check", "--strict", "--format", "json")
    assert checked.returncode == 0, checked.stdout
    report = json.loads(checked.stdout)
    assert report["warnings"] == 0 and report["sources"] == 6
    quad = next(t for t in report["coverage"]["topics"] if t["name"] == "quad")
    assert quad["uncovered"] == 0

    site = project / "site"
    facts = json.loads((site / "data/facts.json").read_text(encoding="utf-8"))
    mine = {f["id"]: f for f in facts["facts"] if f["evidence"][0]["source"] == NAME}
    assert sorted(mine) == ["quad-first-leaders-summit-2021",
                            "quad-summit-raised-to-leaders-level", "quad-vaccine-pledge-2021"]
    topic = by_id(parse((site / "topics/quad/index.html").read_text(encoding="utf-8")))
    summit = topic["f-quad-first-leaders-summit-2021"]
    assert "Reported only by Test Desk" in " ".join(summit.text().split())
    cite = next(e for e in summit.iter() if "cite-link" in e.attrs.get("class", ""))
    href = cite.attrs["href"]
    assert href == f"../../sources/{NAME}/#p-quad-first-leaders-summit-2021"
    source = by_id(parse((site / f"sources/{NAME}/index.html").read_text(encoding="utf-8")))
    assert "met by video link on Friday" in source["p-quad-first-leaders-summit-2021"].text()

    # 6. Preview: the new source's page is served, with the live-reload hook.
    preview = start_preview(project)
    try:
        with urllib.request.urlopen(f"{preview.url}sources/{NAME}/", timeout=10) as reply:
            html = reply.read().decode("utf-8")
        assert "Quad leaders hold first summit" in html and "livereload" in html.lower()
    finally:
        stop_preview(preview)
