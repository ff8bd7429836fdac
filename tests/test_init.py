"""A research project of one's own: `sourcebook init` from an installed wheel, the default theme
from the package, a project's templates/ overriding it file by file."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO
from sourcebook.cli import main
from sourcebook.theme import THEME_DIR

ARTICLE = ("Harbour board names a new pilot\n\n"
           "Portmere, 12 May 2025 - The Portmere harbour board appointed a second pilot for "
           "night arrivals, the board said on Monday.\n\n"
           "The board said the reading room at the harbour office would stay open on Sundays.\n")


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A virtual environment with sourcebook installed from a wheel of this tree (its other
    dependencies come from the system's site-packages: no network needed)."""
    tmp = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                    "-q", "-w", str(tmp / "dist"), str(REPO)], check=True, capture_output=True)
    [wheel] = (tmp / "dist").glob("sourcebook-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "sourcebook/theme/topic.html" in names and "sourcebook/theme/static/style.css" in names
    assert "sourcebook/authoring/starter/site.yaml" in names
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(tmp / "venv")],
                   check=True)
    subprocess.run([str(tmp / "venv/bin/pip"), "install", "-q", "--no-deps", str(wheel)],
                   check=True, capture_output=True)
    return tmp / "venv/bin"


def sourcebook(bin_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(bin_dir / "sourcebook"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def test_init_builds_at_once_and_a_new_article_is_cited(installed, tmp_path):
    made = sourcebook(installed, tmp_path, "init", "libraries",
                      "--question", "How do small towns pay for their libraries?")
    assert made.returncode == 0, made.stderr
    root = tmp_path / "libraries"
    assert not (root / "templates").exists()  # the default theme serves
    assert (root / ".github/workflows/pages.yml").is_file() and (root / "README.md").is_file()
    assert "How do small towns pay for their libraries?" in \
        (root / "content/site.yaml").read_text("utf-8")
    strict = sourcebook(installed, root, "check", "--strict")
    assert strict.returncode == 0, strict.stdout + strict.stderr
    first = sourcebook(installed, root, "build")
    assert first.returncode == 0, first.stderr
    home = (root / "site/index.html").read_text("utf-8")
    assert "How do small towns pay for their libraries?" in home
    assert "Sources archived: 1;" in home  # {sources}, filled in by the build
    assert (root / "site/static/style.css").read_bytes() == \
        (THEME_DIR / "static/style.css").read_bytes()

    (root / "seeds/harbour-pilot.txt").write_text(ARTICLE, "utf-8")
    drafted = sourcebook(installed, root, "new", "seeds/harbour-pilot.txt")
    assert drafted.returncode == 0, drafted.stderr
    annotation = root / "content/sources/harbour-pilot.yaml"
    text = annotation.read_text("utf-8")
    assert "claims:" in text or "claims" in text
    annotation.write_text(
        text.split("\nclaims:")[0].rstrip("\n") + "\nclaims:\n"
        "  - fact: sunday-opening\n"
        "    quote: the reading room at the harbour office would stay open on Sundays.\n"
        "    topics: [reading-rooms]\n"
        "    statement: Portmere's harbour reading room was to open on Sundays.\n", "utf-8")
    second = sourcebook(installed, root, "build")
    assert second.returncode == 0, second.stderr
    assert "3 facts from 2 sources" in second.stdout
    source_page = (root / "site/sources/harbour-pilot/index.html").read_text("utf-8")
    assert "would stay open on Sundays" in source_page
    assert "Sources archived: 2;" in (root / "site/index.html").read_text("utf-8")


def test_init_never_writes_into_a_folder_that_holds_anything(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine", "utf-8")
    assert main(["init", str(tmp_path)]) == 2
    assert "is not empty" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_python_m_sourcebook_is_the_same_command_line(tmp_path):
    result = subprocess.run([sys.executable, "-m", "sourcebook", "init", str(tmp_path / "p")],
                            capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "p/content/site.yaml").is_file()


def test_a_project_template_overrides_the_theme_file_by_file(tmp_path, capsys):
    root = tmp_path / "p"
    assert main(["init", str(root)]) == 0
    (root / "templates/static").mkdir(parents=True)
    topic = (THEME_DIR / "topic.html").read_text("utf-8")
    (root / "templates/topic.html").write_text(topic.replace("</h1>", " (ours)</h1>", 1), "utf-8")
    (root / "templates/static/style.css").write_text("body { color: black }\n", "utf-8")
    assert main(["--root", str(root), "build"]) == 0
    site = root / "site"
    assert "(ours)</h1>" in (site / "topics/reading-rooms/index.html").read_text("utf-8")
    assert "(ours)" not in (site / "index.html").read_text("utf-8")  # home.html: the theme's
    assert (site / "static/style.css").read_text("utf-8") == "body { color: black }\n"
    assert (site / "static/search.js").read_bytes() == (THEME_DIR / "static/search.js").read_bytes()
    # removing the override brings the theme's back, and the page is made again
    (root / "templates/topic.html").unlink()
    assert main(["--root", str(root), "build"]) == 0
    assert "(ours)" not in (site / "topics/reading-rooms/index.html").read_text("utf-8")


def test_the_new_projects_workflow_checks_then_builds_for_pages(tmp_path):
    import yaml

    root = tmp_path / "p"
    assert main(["init", str(root)]) == 0
    workflow = yaml.safe_load((root / ".github/workflows/pages.yml").read_text("utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    runs = [step.get("run", "") for step in steps]
    uses = [step.get("uses", "").split("@")[0] for step in steps]
    install = next(i for i, r in enumerate(runs) if "pip install" in r)
    check = runs.index("sourcebook check --strict")
    build = next(i for i, r in enumerate(runs) if r.startswith("sourcebook build --base-url"))
    assert install < check < uses.index("actions/configure-pages") < build
    assert uses.index("actions/upload-pages-artifact") > build
    assert workflow["env"]["SOURCEBOOK"].startswith("sourcebook==")
    assert workflow["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages@")
