"""Write small synthetic projects for tests."""

from __future__ import annotations

from pathlib import Path


def make_project(root: Path, seeds: dict[str, str], sources: dict[str, str],
                 topics: dict[str, str] | None = None, entities: str = "") -> Path:
    (root / "seeds").mkdir(parents=True)
    (root / "content" / "sources").mkdir(parents=True)
    (root / "content" / "topics").mkdir(parents=True)
    (root / "content" / "site.yaml").write_text("title: Test site\nbase_url: /\n", "utf-8")
    for name, text in seeds.items():
        (root / "seeds" / f"{name}.txt").write_text(text, "utf-8", newline="")
    for name, text in sources.items():
        (root / "content" / "sources" / f"{name}.yaml").write_text(text, "utf-8")
    for name, text in (topics or {"t": "---\ntitle: T\n---\nIntro.\n"}).items():
        (root / "content" / "topics" / f"{name}.md").write_text(text, "utf-8")
    if entities:
        (root / "content" / "entities.yaml").write_text(entities, "utf-8")
    return root
