"""Edits of a project's input files, field by field, for the incremental-equals-clean tests.

The fields come from the formats' own declaration (sourcebook.content.schema), so a field added
to a format is edited by the tests without anyone listing it here. Where an edit needs to know
something of the project (a topic id to refer to, a shorter quote that is still in the seed),
it reads the project's files.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from conftest import own_template
from sourcebook.content.schema import (
    ANNOTATION,
    CLAIM,
    ENTITY,
    EXCLUDE,
    FINDINGS,
    LIMITS,
    ORIGINAL,
    OUTLET,
    OUTLET_KINDS,
    SITE,
    STATUS,
    TOPIC,
    Field,
    Format,
    Holds,
)
from sourcebook.content.topics import split_front_matter

# --- reading and writing YAML mappings and topic front matter ---


def _load(path: Path) -> tuple[Any, Callable[[Any], None]]:
    """A file's YAML data, and a function that writes new data back in the same form."""
    text = path.read_text("utf-8")
    if path.suffix == ".md":
        parts = split_front_matter(text)
        assert not isinstance(parts, str), path
        front, body, _ = parts

        def save_topic(data: Any) -> None:
            path.write_text("---\n" + _dump(data) + "---\n" + body, "utf-8")

        return yaml.safe_load(front), save_topic

    def save(data: Any) -> None:
        path.write_text(_dump(data), "utf-8")

    return yaml.safe_load(text), save


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


@dataclass(frozen=True)
class Place:
    """Where one mapping of a format is: a file, and the keys down to the mapping in it."""

    path: Path
    keys: tuple[str | int, ...]

    def read(self) -> dict | None:
        data, _ = _load(self.path)
        for key in self.keys:
            data = data.get(key) if isinstance(data, dict) else data[key]
        return data if isinstance(data, dict) else None

    def update(self, change: Callable[[dict], None]) -> None:
        data, save = _load(self.path)
        target = data
        for key in self.keys[:-1]:
            target = target[key]
        if self.keys:
            if isinstance(target, dict) and target.get(self.keys[-1]) is None:
                target[self.keys[-1]] = {}  # an optional mapping, such as site.yaml's limits
            entry = target[self.keys[-1]]
            if isinstance(entry, str):  # an exclude given as just its quote
                entry = target[self.keys[-1]] = {"quote": entry}
            change(entry)
        else:
            change(target)
        save(data)


def places(root: Path, form: Format) -> list[Place]:
    """Every mapping of a format in the project, in a fixed order."""
    found: list[Place] = []
    if form is SITE:
        found.append(Place(root / "content/site.yaml", ()))
    elif form is LIMITS:
        found.append(Place(root / "content/site.yaml", ("limits",)))
    elif form is TOPIC:
        found += [Place(p, ()) for p in sorted((root / "content/topics").glob("*.md"))]
    elif form is FINDINGS:
        path = root / "content/findings.md"
        if path.is_file() and path.read_text("utf-8").startswith("---"):
            found.append(Place(path, ()))
    elif form is ORIGINAL:
        found += [Place(path, ("original",))
                  for path in sorted((root / "content/sources").glob("*.yaml"))
                  if isinstance((_load(path)[0] or {}).get("original"), dict)]
    elif form in (ANNOTATION, CLAIM, EXCLUDE):
        for path in sorted((root / "content/sources").glob("*.yaml")):
            if form is ANNOTATION:
                found.append(Place(path, ()))
                continue
            key = "claims" if form is CLAIM else "exclude"
            data, _ = _load(path)
            found += [Place(path, (key, i)) for i in range(len(data.get(key) or []))]
    elif form in (ENTITY, STATUS, OUTLET):
        path = root / MAPPING_FILES[form.name]
        if path.is_file():
            found += [Place(path, (key,)) for key in (_load(path)[0] or {})]
    else:
        raise AssertionError(f"no places for {form.name}: teach tests/edits.py the new format")
    return found


MAPPING_FILES = {  # the files that map a key to an entry, by the name of the entries' format
    ENTITY.name: "content/entities.yaml",
    STATUS.name: "content/status.yaml",
    OUTLET.name: "content/outlets.yaml",
}
WHICH = {"entity": ENTITY.name, "status": STATUS.name, "outlet": OUTLET.name}


# --- new values, by what a field holds ---


def topic_ids(root: Path) -> list[str]:
    return sorted(p.stem for p in (root / "content/topics").glob("*.md"))


def entity_ids(root: Path) -> list[str]:
    path = root / "content/entities.yaml"
    return sorted(_load(path)[0] or {}) if path.is_file() else []


def fact_ids(root: Path) -> list[str]:
    return sorted(p.stem for p in (root / "content/facts").glob("*.yaml"))


def outlet_names(root: Path) -> list[str]:
    """The outlets the annotations name, as they write them."""
    names = {(_load(p)[0] or {}).get("outlet")
             for p in sorted((root / "content/sources").glob("*.yaml"))}
    return sorted(str(n) for n in names if n)


def new_value(root: Path, field: Field, current: Any, rng: random.Random) -> Any:
    """A different value of the kind the field holds; most keep the project sound, some do
    not (the tests then check that both builds fail alike)."""
    n = rng.randrange(1, 1000)
    if field.name == "quote" and isinstance(current, str) and len(current.split()) > 3:
        words = current.split()  # a shorter quote that is still in the seed
        return " ".join(words[1:] if rng.random() < 0.5 else words[:-1])
    if field.name == "base_url":
        return rng.choice(["/", "/sub/", "https://example.org/x/", "https://edited.test/"])
    if field.name in ("outlet", "agency") and isinstance(current, str):
        # Names that are one outlet or agency, or another.
        return rng.choice([current.upper(), current.lower(), current + ".", f"Outlet {n % 3}"])
    if field.name == "original":  # a page imported anew
        return archived(root, f"edited-{n}.html", f"<p>Page {n}</p>\n".encode())
    if field.name == "file":  # another original, whose hash the annotation does not give
        return archived(root, f"other-{n}.pdf", b"%PDF-1.4 " + bytes(str(n), "ascii"))["file"]
    match field.holds:
        case Holds.TEXT:
            return f"{current} (edit {n})" if isinstance(current, str) else f"Edited {n}"
        case Holds.RAW_TEXT:
            return ""
        case Holds.DATE:
            return rng.choice(["2019", "2020-05", f"2021-0{rng.randrange(1, 10)}-1{n % 10}"])
        case Holds.URL:
            return f"https://example.org/edited/{n}"
        case Holds.URLS:
            return [f"http://example.org/moved/{i}" for i in range(n % 3)]
        case Holds.TIMESTAMP:  # a time that is not UTC fails both builds alike
            return rng.choice([f"2026-12-0{n % 9 + 1}T10:{n % 60:02d}:00Z", "2026-12-04 10:00"])
        case Holds.SHA256:  # not the file's: both builds fail alike
            return hashlib.sha256(str(n).encode()).hexdigest()
        case Holds.LANGUAGE:  # "Russian" is not a tag: both builds fail alike
            return rng.choice(["ru", "hi", "en", "pt-BR", "en-IN", "Russian"])
        case Holds.ID:
            return f"edited-{n}"
        case Holds.TEXTS:
            if field.refers_to == "topic":
                return rng.sample(topic_ids(root), k=min(2, rng.randrange(1, 3)))
            return [*(current or []), f"Alias {n}"]
        case Holds.CHOICE:
            others = [c for c in field.choices if c != current]
            return rng.choice(others)
        case Holds.BOOL:
            return not current
        case Holds.INT:
            return rng.randrange(1, 10)
        case Holds.COUNT:  # mostly roomy; a tight limit fails both builds alike
            return rng.choice([10**8, 10**7, 64, 3])
        case Holds.MAPPING:
            return {f.name: 10**8 for f in field.entries.fields[:n % 3]}
    raise AssertionError(f"no new value for a field that holds {field.holds}")


def edit_field(root: Path, form: Format, field: Field, rng: random.Random) -> str:
    """Give the field of one mapping of the format a new value, or remove it if it is
    optional; returns what was done."""
    found = places(root, form)
    if not found:
        return f"no {form.name} to edit"
    place = rng.choice(found)
    entry = place.read() or {}
    if field.name in entry and not field.required and rng.random() < 0.25:
        place.update(lambda data: data.pop(field.name, None))
        return f"removed {field.name} of {place}"
    if field.refers_to == "entity":
        value: Any = rng.choice(entity_ids(root) or ["nobody"])
    else:
        value = new_value(root, field, entry.get(field.name), rng)

    def change(data: dict) -> None:
        data[field.name] = value

    place.update(change)
    return f"set {field.name} of {place} to {value!r}"


def edit_entries(root: Path, form: Format, field: Field, rng: random.Random) -> str:
    """Remove an entry of a list (a claim, an exclusion), or repeat one under a new fact id."""
    place = rng.choice(places(root, form))
    data, save = _load(place.path)
    entries = data.get(field.name) or []
    if not entries:
        return f"no {field.name} in {place.path.name}"
    if rng.random() < 0.5:
        entries.pop(rng.randrange(len(entries)))
        action = "removed one of"
    else:
        copy = dict(entries[-1]) if isinstance(entries[-1], dict) else {"quote": entries[-1]}
        if "fact" in copy:
            copy["fact"] = f"copied-{rng.randrange(1000)}"
            copy.setdefault("statement", "A copied claim.")
            copy.setdefault("topics", topic_ids(root)[:1])
        entries.append(copy)
        action = "repeated one of"
    data[field.name] = entries
    save(data)
    return f"{action} the {field.name} of {place.path.name}"


# --- whole files ---


def add_article(root: Path, n: int) -> str:
    (root / f"seeds/zz-{n}.txt").write_text(
        f"The Quad met again in 20{n % 90 + 10}. Nothing else happened there.\n", "utf-8")
    (root / f"content/sources/zz-{n}.yaml").write_text(
        f"title: Article {n}\noutlet: Outlet {n % 3}\nclaims:\n  - fact: quad-met-{n}\n"
        f"    quote: The Quad met again\n    topics: [{topic_ids(root)[0]}]\n"
        f"    statement: The Quad met again ({n}).\n", "utf-8")
    return f"added article zz-{n}"


def remove_article(root: Path, rng: random.Random) -> str:
    added = sorted((root / "seeds").glob("zz-*.txt"))
    if not added:
        return "no added article to remove"
    seed = rng.choice(added)
    seed.unlink()
    (root / f"content/sources/{seed.stem}.yaml").unlink()
    return f"removed article {seed.stem}"


def add_topic(root: Path, n: int, rng: random.Random) -> str:
    facts = fact_ids(root)
    cite = f" [@{rng.choice(facts)}]" if facts else ""
    (root / f"content/topics/zz-topic-{n}.md").write_text(
        f"---\ntitle: Topic {n}\nsummary: A topic added by a test.\n---\nIt cites{cite}.\n",
        "utf-8")
    return f"added topic zz-topic-{n}"


def remove_topic(root: Path, rng: random.Random) -> str:
    added = sorted((root / "content/topics").glob("zz-topic-*.md"))
    if not added:
        return "no added topic to remove"
    rng.choice(added).unlink()
    return "removed an added topic"


def edit_topic_body(root: Path, rng: random.Random) -> str:
    """Cite a fact (of any topic) in an introduction, or drop the last paragraph."""
    path = rng.choice(sorted((root / "content/topics").glob("*.md")))
    text = path.read_text("utf-8")
    if rng.random() < 0.6 and fact_ids(root):
        fact = rng.choice(fact_ids(root))
        path.write_text(text.rstrip("\n") + f"\n\nA sentence that cites [@{fact}].\n", "utf-8")
        return f"cited {fact} in {path.name}"
    paragraphs = text.rstrip("\n").split("\n\n")
    if len(paragraphs) > 2:
        path.write_text("\n\n".join(paragraphs[:-1]) + "\n", "utf-8")
        return f"dropped a paragraph of {path.name}"
    return "nothing dropped"


FINDINGS_TEXT = "- **A finding.** It rests on a fact [@{fact}].\n"


def edit_findings(root: Path, rng: random.Random) -> str:
    """Cite another fact in the key findings, drop a finding, delete the file, or write one."""
    path = root / "content/findings.md"
    if not path.is_file():
        if not fact_ids(root):
            return "no fact to find"
        path.write_text(FINDINGS_TEXT.format(fact=rng.choice(fact_ids(root))), "utf-8")
        return "wrote content/findings.md"
    text = path.read_text("utf-8")
    choice = rng.random()
    if choice < 0.2:
        path.unlink()
        return "deleted content/findings.md"
    if choice < 0.6 and fact_ids(root):
        fact = rng.choice(fact_ids(root))
        path.write_text(text.rstrip("\n") + "\n" + FINDINGS_TEXT.format(fact=fact), "utf-8")
        return f"cited {fact} in the key findings"
    lines = text.rstrip("\n").split("\n")
    if len(lines) > 1 and lines[-1].startswith("- "):
        path.write_text("\n".join(lines[:-1]) + "\n", "utf-8")
        return "dropped a key finding"
    return "nothing dropped"


def add_entry(root: Path, which: str, n: int, rng: random.Random) -> str:
    """An entity, a status of an existing fact, or a description of an outlet that the
    annotations name (now and then of one they do not: that breaks the content)."""
    path = root / MAPPING_FILES[WHICH[which]]
    data = (_load(path)[0] if path.is_file() else None) or {}
    if which == "entity":
        data[f"zz-entity-{n}"] = {"name": f"Quad Person {n}", "role": "A role",
                                  "aliases": ["Quad"]}
    elif which == "outlet":
        names = [name for name in outlet_names(root) if name not in data]
        name = f"Outlet {n}" if not names or rng.random() < 0.1 else rng.choice(names)
        data[name] = {"description": f"An outlet described by a test ({n}).",
                      "kind": rng.choice(OUTLET_KINDS)}
    else:
        if not fact_ids(root):
            return "no fact for a status"
        data[rng.choice(fact_ids(root))] = {"status": "unverified", "reason": f"Reason {n}."}
    path.write_text(_dump(data), "utf-8")
    return f"added a {which}"


TEMPLATE_EDITS = (  # (template, text, replacement): each changes what pages show
    ("base.html", "Skip to content", "Skip to the content"),
    ("_facts.html", '"note-label">Researcher', '"note-label">The researcher'),
    ("topic.html", ">Facts</h2>", ">The facts</h2>"),
    ("source.html", "Archived source", "Archived article"),
    ("home.html", ">Topics</h2>", ">The topics</h2>"),
    ("outlet.html", "Facts it reports", "Facts reported"),
    ("feed.xml", "<author>", "<author><!-- edited -->"),
    ("sitemap.xml", "</urlset>", "<!-- edited --></urlset>"),
    ("base.html", "</body>", '{% include ["_custom.html", "_fallback.html"] %}\n</body>'),
)


def edit_template(root: Path, rng: random.Random) -> str:
    """Change (or change back) what a template shows; with an include list, add or remove the
    templates it tries."""
    name, old, new = rng.choice(TEMPLATE_EDITS)
    path = root / "templates" / name
    if path.exists() and rng.random() < 0.2:  # back to the default theme's
        path.unlink()
        return f"removed the override {name}"
    path = own_template(root, name)
    text = path.read_text("utf-8")
    if "_custom.html" in new and new in text and rng.random() < 0.6:
        target = root / "templates" / rng.choice(["_custom.html", "_fallback.html"])
        if target.exists():
            target.unlink()
            return f"removed {target.name}"
        target.write_text(f"<p>{target.stem} {rng.randrange(100)}</p>\n", "utf-8")
        return f"wrote {target.name}"
    path.write_text(text.replace(new, old) if new in text else text.replace(old, new, 1),
                    "utf-8")
    return f"edited {name}"


def rename_article(root: Path, rng: random.Random) -> str:
    """Give an article (its seed and its annotation) another name."""
    seed = rng.choice(sorted((root / "seeds").glob("*.txt")))
    new = f"renamed-{rng.randrange(1000)}"
    seed.rename(seed.with_name(f"{new}.txt"))
    annotation = root / f"content/sources/{seed.stem}.yaml"
    annotation.rename(annotation.with_name(f"{new}.yaml"))
    return f"renamed {seed.stem} to {new}"


def remove_entry(root: Path, which: str, rng: random.Random) -> str:
    """Remove an entity, a status or an outlet's description (removing an entity that something
    names breaks the content); now and then delete content/outlets.yaml."""
    path = root / MAPPING_FILES[WHICH[which]]
    if which == "outlet" and path.is_file() and rng.random() < 0.3:
        path.unlink()
        return "deleted outlets.yaml"
    data = (_load(path)[0] if path.is_file() else None) or {}
    if not data:
        return f"no {which} to remove"
    data.pop(rng.choice(sorted(data)))
    path.write_text(_dump(data), "utf-8")
    return f"removed a {which}"


def archived(root: Path, name: str, data: bytes) -> dict[str, str]:
    """Keep a page in archive/: the `original:` of an annotation that names it."""
    (root / "archive").mkdir(exist_ok=True)
    (root / "archive" / name).write_bytes(data)
    return {"file": f"archive/{name}", "sha256": hashlib.sha256(data).hexdigest()}


def edit_original(root: Path, rng: random.Random) -> str:
    """Change the bytes of an archived original, most often recording its new hash (else
    both builds fail alike); if no annotation has an original, import one."""
    found = places(root, ORIGINAL)
    if not found:
        place = Place(rng.choice(sorted((root / "content/sources").glob("*.yaml"))), ())
        value = archived(root, f"imported-{rng.randrange(1000)}.html", b"<p>Imported</p>\n")
        place.update(lambda data: data.__setitem__("original", value))
        return f"imported an original for {place.path.name}"
    place = rng.choice(found)
    file = root / str((place.read() or {}).get("file"))
    if not file.is_file():
        return f"no file for the original of {place.path.name}"
    data = file.read_bytes() + f"<p>edit {rng.randrange(1000)}</p>\n".encode()
    file.write_bytes(data)
    if rng.random() < 0.75:
        place.update(lambda entry: entry.__setitem__("sha256", hashlib.sha256(data).hexdigest()))
        return f"edited {file.name} and its hash"
    return f"edited {file.name} but not its hash"


def edit_seed(root: Path, rng: random.Random) -> str:
    path = rng.choice(sorted((root / "seeds").glob("*.txt")))
    extra = "\nA line added to the archive."
    text = path.read_bytes().decode("utf-8")
    path.write_bytes((text.removesuffix(extra) if text.endswith(extra) else text + extra)
                     .encode("utf-8"))
    return f"edited seed {path.name}"


def formats_edited() -> Iterator[Format]:
    """The formats whose every field the tests edit: all of them."""
    yield from (SITE, LIMITS, ANNOTATION, CLAIM, EXCLUDE, ORIGINAL, TOPIC, FINDINGS, ENTITY,
                STATUS, OUTLET)
