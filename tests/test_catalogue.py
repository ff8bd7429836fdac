"""A catalogue of broken inputs. Each case breaks the bundled project one way and asserts the
exit code, the `path:line` of the error, a key phrase of its message, that no traceback was
printed, and that the last good site/ is unchanged."""

from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import copy_project, project_file
from sourcebook.cli import main

A = "content/sources/000_0a8abdfef13416d9.yaml"
A3 = "content/sources/003_4197f04110c4ab2c.yaml"
SEED = "seeds/000_0a8abdfef13416d9.txt"
SITE = "content/site.yaml"
QUAD = "content/topics/quad.md"
ENTITIES = "content/entities.yaml"
STATUS = "content/status.yaml"
DEAL_QUOTE = ('"In October 2018, India signed a USD 5 billion deal with Russia to buy five '
              'units of the S-400 Triumf air defence missile systems"')


GIT_CONFIG = "[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0LXRva2Vu\n"
# Nine levels of nine aliases: a few hundred bytes that would expand to 9**9 strings.
ALIAS_BOMB = "\nbomb:\n  a: &a [\"lol\"]\n" + "".join(
    f"  {chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n"
    for i in range(8))


@dataclass(frozen=True)
class Case:
    name: str
    edits: tuple  # ("replace", path, old, new) | ("write", path, text|bytes) | ("delete", path)
    path: str  # the file the error must name
    line: int | str | tuple  # a number, text on that line after the edits, or ("last", text)
    phrase: str
    code: int = 1


def case(name: str, path: str, line: int | str, phrase: str, *edits: tuple,
         code: int = 1) -> Case:
    return Case(name, edits, path, line, phrase, code)


def swap(path: str, old: str, new: str) -> tuple:
    return ("replace", path, old, new)


CASES = [
    # --- annotations: syntax, shape and encoding ---
    case("malformed yaml", A, 'x: "US', "malformed YAML",
         swap(A, 'title: "US', 'title: [unclosed\n  x: "US')),
    case("not a mapping", A, 1, "an annotation must be a mapping",
         ("write", A, "- just\n- a list\n")),
    case("binary bytes", A, 1, "this looks like a binary file", ("write", A, b"\x00\x01\x02")),
    case("non-utf8", A, 1, "not valid UTF-8", ("write", A, b"title: caf\xe9\n")),
    case("empty file", A, 1, "an annotation is empty", ("write", A, "")),
    # --- annotations: keys, types, values ---
    case("unknown key", A, "qoute:", "did you mean 'quote'?",
         swap(A, "    quote: " + DEAL_QUOTE, "    qoute: " + DEAL_QUOTE)),
    case("unknown top-level key", A, "claim:", "did you mean 'claims'?",
         swap(A, "claims:", "claim:")),
    case("wrong type: title", A, "title: [a, b]", "'title' must be text",
         swap(A, 'title: "US', 'title: [a, b]\nx: "US')),
    case("wrong type: topics", A, "topics: {a: b}", "'topics' must be a list",
         swap(A, "topics: [s-400]", "topics: {a: b}")),
    case("wrong type: claims", A, "claims: 7", "'claims' must be a list",
         swap(A, "claims:\n", "claims: 7\nold_claims:\n")),
    case("missing title", A, "headline:", "missing required field 'title'",
         swap(A, 'title: "US discourages', 'headline: "US discourages')),
    case("empty statement", A, 'statement: ""', "'statement' is empty",
         swap(A, "    statement: In 2018 India signed", '    statement: ""\n    x: In 2018')),
    case("invalid published date", A, "published: 2022-13-40", "is not a valid date",
         swap(A, "published: 2022-04-23", "published: 2022-13-40")),
    case("invalid claim date", A, "date: April 2018", "'date' is not a valid date",
         swap(A, "    date: 2018-10", "    date: April 2018")),
    case("bad fact id", A, "fact: S400_Deal", "'S400_Deal' is not a valid id",
         swap(A, "fact: s400-deal-2018", "fact: S400_Deal")),
    case("fact id escaping the output", A, "fact: ../../etc", "is not a valid id",
         swap(A, "fact: s400-deal-2018", "fact: ../../etc")),
    case("unknown topic", A, "topics: [s400]", "did you mean 's-400'?",
         swap(A, "topics: [s-400]", "topics: [s400]")),
    case("unknown speaker", A, "speaker: jon-kirby", "did you mean 'john-kirby'?",
         swap(A, "speaker: john-kirby", "speaker: jon-kirby")),
    case("unknown stance", A3, "stance: dispute", "did you mean 'disputes'?",
         swap(A3, "stance: disputes", "stance: dispute")),
    case("duplicate key", A, 'title: "again"', "duplicate key 'title'",
         swap(A, "published: 2022-04-23", 'title: "again"')),
    case("duplicate claim", A, ("last", "- fact: s400-deal-2018"), "duplicate claim",
         ("append", A, "\n  - fact: s400-deal-2018\n    quote: " + DEAL_QUOTE + "\n")),
    case("conflicting statements", "content/sources/001_387e21b613e05868.yaml",
         "A different account", "has two different statements",
         swap("content/sources/001_387e21b613e05868.yaml",
              "statement: In 2018 India signed", "statement: A different account. In 2018")),
    case("unsafe url", A, "url: javascript", "'url' must be an http(s) address",
         swap(A, "published: 2022-04-23", "published: 2022-04-23\nurl: javascript:alert(1)")),
    # --- quotes ---
    case("quote not in seed", A, "Triumph", "the quote is not in seeds/000",
         swap(A, "S-400 Triumf air defence", "S-400 Triumph air defence")),
    case("ambiguous quote", A, "quote: \"Kirby said\"", "the quote matches 4 places",
         swap(A, "claims:\n", "claims:\n  - fact: x-y\n    quote: \"Kirby said\"\n"
              "    topics: [quad]\n    statement: S.\n")),
    case("whitespace-only quote", A, 'quote: "   "', "'quote' is empty",
         swap(A, "    quote: " + DEAL_QUOTE, '    quote: "   "')),
    case("prefix that does not fit", A, "In October 2018, India signed",
         "not with prefix 'Nonsense'",
         swap(A, "    quote: " + DEAL_QUOTE,
              "    quote: " + DEAL_QUOTE + "\n    prefix: Nonsense")),
    case("quote in boilerplate", A, 'quote: "partners use technology', "excluded as boilerplate",
         swap(A, "claims:\n", "claims:\n  - fact: x-y\n"
              "    quote: \"partners use technology\"\n    topics: [quad]\n    statement: S.\n")),
    case("quote across boilerplate", A, "Sanctions Act for the purchase",
         "only matches if the boilerplate",
         swap(A, "exclude:\n", "exclude:\n  - \"(CAATSA)\"\n"),
         swap(A, "Sanctions Act (CAATSA) for the purchase", "Sanctions Act for the purchase")),
    case("crossing quotes", A, "five units of the S-400 Triumf air defence missile systems to",
         "overlaps another quote",
         swap(A, "claims:\n", "claims:\n  - fact: x-y\n    quote: \"five units of the S-400 "
              "Triumf air defence missile systems to ramp up\"\n    topics: [quad]\n"
              "    statement: S.\n")),
    case("exclude not in seed", A, "No such boilerplate", "the exclude passage is not in",
         swap(A, "exclude:\n", "exclude:\n  - \"No such boilerplate\"\n")),
    # --- topics ---
    case("topic without front matter", QUAD, 1, "the topic has no front matter",
         ("write", QUAD, "Just text.\n")),
    case("topic front matter not closed", QUAD, 1, "the front matter is not closed",
         ("write", QUAD, "---\ntitle: Quad\nNo closing line.\n")),
    case("topic unknown key", QUAD, "titel:", "did you mean 'title'?",
         swap(QUAD, "title:", "titel:")),
    case("topic malformed front matter", QUAD, "aliases:", "malformed YAML",
         swap(QUAD, "summary: The Quad", "summary: [The Quad")),
    case("topic order not a number", QUAD, "order: fourth", "'order' must be a whole number",
         swap(QUAD, "order: 4", "order: fourth")),
    case("topic cites unknown fact", QUAD, "[@quad-meeting-melbourne-2021]",
         "unknown fact 'quad-meeting-melbourne-2021'",
         swap(QUAD, "[@quad-meeting-melbourne-2022]", "[@quad-meeting-melbourne-2021]")),
    case("topic file name not an id", "content/topics/Bad_Name.md", 1,
         "'Bad_Name' is not a valid topic id",
         ("write", "content/topics/Bad_Name.md", "---\ntitle: Bad\n---\n")),
    # --- entities ---
    case("entities not a mapping", ENTITIES, 1, "entities.yaml must be a mapping",
         ("write", ENTITIES, "- john-kirby\n")),
    case("entity id not an id", ENTITIES, "John Kirby:", "'John Kirby' is not a valid entity id",
         swap(ENTITIES, "john-kirby:", "John Kirby:")),
    case("entity unknown kind", ENTITIES, "kind: persn", "did you mean 'person'?",
         swap(ENTITIES, "kind: person", "kind: persn")),
    case("entity without name", ENTITIES, "john-kirby:", "missing required field 'name'",
         swap(ENTITIES, "  name: John Kirby\n", "")),
    case("entity duplicate", ENTITIES, 1000, "duplicate key 'john-kirby'",
         ("append", ENTITIES, "\njohn-kirby:\n  name: Again\n")),
    # --- status.yaml ---
    case("status for unknown fact", STATUS, "s400-deliveries-planed-december-2021:",
         "status for unknown fact", swap(STATUS, "s400-deliveries-planned-december-2021:",
                                         "s400-deliveries-planed-december-2021:")),
    case("unknown status", STATUS, "status: outdate", "did you mean 'outdated'?",
         swap(STATUS, "status: outdated", "status: outdate")),
    case("status without reason", STATUS, "s400-deliveries-planned-december-2021:",
         "missing required field 'reason'",
         swap(STATUS, '  reason: "A plan reported', '  why: "A plan reported')),
    case("status bad date", STATUS, "date: 2021-13", "date",
         swap(STATUS, "date: 2021-12", "date: 2021-13")),
    # --- site.yaml ---
    case("site.yaml malformed", SITE, "description:", "malformed YAML",
         swap(SITE, 'title: "India', 'title: ["India')),
    case("site.yaml unknown key", SITE, "titel:", "did you mean 'title'?",
         swap(SITE, "title:", "titel:")),
    case("site.yaml bad base_url", SITE, "base_url: ftp", "is not an absolute http(s) URL",
         swap(SITE, "base_url: https://", "base_url: ftp://")),
    case("site.yaml raw html not boolean", SITE, "allow_raw_html", "must be true or false",
         ("append", SITE, "allow_raw_html: sometimes\n")),
    # --- seeds ---
    case("annotation without seed", A, 1, "no seed for this annotation", ("delete", SEED)),
    case("empty seed", SEED, 1, "the seed is empty", ("write", SEED, "")),
    case("undecodable seed", SEED, 1, "not valid UTF-8", ("write", SEED, b"date \xff\xfe")),
    # --- hostile files (issue 13): links, limits, control characters, over-long ids ---
    case("seed linked to .git/config", SEED, 1, "symbolic link",
         ("write", ".git/config", GIT_CONFIG), ("link", SEED, "../.git/config")),
    case("annotation linked outside", A, 1, "symbolic link",
         ("write", "outside.yaml", "title: Outside\n"), ("link", A, "../../outside.yaml")),
    case("topic linked outside", QUAD, 1, "symbolic link",
         ("write", "outside.md", "---\ntitle: Outside\n---\n"),
         ("link", QUAD, "../../outside.md")),
    case("entities linked outside", ENTITIES, 1, "symbolic link",
         ("write", "outside.yaml", "x: {name: X, kind: person}\n"),
         ("link", ENTITIES, "../outside.yaml")),
    case("template linked outside", "templates/topic.html", 1, "symbolic link",
         ("write", "outside.html", "{{ 1 }}"), ("link", "templates/topic.html", "../outside.html")),
    case("yaml alias bomb", A, "a: &a", "aliases",
         ("append", A, ALIAS_BOMB)),
    case("deep flow nesting", A, "x: [[", "nest more than 40 levels",
         ("append", A, "x: " + "[" * 800 + "]" * 800 + "\n")),
    case("numeric entity key", ENTITIES, "123:", "'123' is not a valid entity id",
         ("append", ENTITIES, "\n123:\n  name: Number\n  kind: person\n")),
    case("control character in a title", A, "title:", "control character U+0000",
         swap(A, 'title: "US', 'title: "US \\0')),
    case("escape sequence in a value", A, "title:", "control character U+001B",
         swap(A, 'title: "US', 'title: "US \\e[2K')),
    case("terminal escape in a key", A, "x\\e", "[2K\\u202e'",
         ("append", A, '"x\\e]0;title\\a\\e[2K\\u202e": 1\n')),
    case("control character in a seed", SEED, 1, "control character U+0007",
         ("write", SEED, "An article.\x07 With a bell.\n")),
    case("id with a newline inside", A, 'fact: "s400-deal', "is not a valid id",
         swap(A, "fact: s400-deal-2018", 'fact: "s400-deal\\n-2018"')),
    case("over-long id", A, "fact: s400-deal-2018-", "at most 100 characters",
         swap(A, "fact: s400-deal-2018", "fact: s400-deal-2018" + "-x" * 60)),
    case("oversized value", A, "title:", "over the limit of 20,000",
         swap(A, 'title: "US', 'title: "' + "US " * 7000)),
    case("seed over its size limit", SEED, 1, "over the limit of 1,000 bytes",
         ("append", SITE, "limits: {seed_bytes: 1000}\n")),
    case("annotation over its size limit", A, 1, "over the limit of 2.0 MB",
         ("append", A, "# " + "x" * (2 * 2**20) + "\n")),
    case("limit that is not a number", SITE, "limits:", "'seed_bytes' must be a whole number",
         ("append", SITE, "limits: {seed_bytes: lots}\n")),
    case("site.yaml base_url with a backslash", SITE, "base_url:", "base_url",
         swap(SITE, "base_url: https://sourcebook.example.org/", 'base_url: "/\\\\evil.example/"')),
    case("site.yaml base_url with a newline", SITE, "base_url:", "base_url",
         swap(SITE, "base_url: https://sourcebook.example.org/",
              'base_url: "/x\\nDisallow: /"')),
    case("site.yaml base_url without a host", SITE, "base_url:", "base_url",
         swap(SITE, "base_url: https://sourcebook.example.org/", "base_url: https:///x/")),
    case("site.yaml base_url starting with //", SITE, "base_url:", "base_url",
         swap(SITE, "base_url: https://sourcebook.example.org/", "base_url: //evil.example/")),
    # --- templates ---
    case("template error", "templates/topic.html", "topic.titel", "template error",
         swap("templates/topic.html", "{{ topic.title }}</h1>", "{{ topic.titel }}</h1>")),
    # --- YAML slips (issue 14) ---
    # Each is reported on the line where the slip is, in plain words: not where the parser
    # gave up (an unclosed quote on line 35 used to be reported at 39:13), nor in its words.
    case("yaml unclosed double quote", A, 'statement: "The United States imposed',
         'this quoted value is never closed: the closing " is missing',
         swap(A, "statement: The United States imposed", 'statement: "The United States imposed')),
    case("yaml unclosed single quote", A, "statement: 'The United States imposed",
         "this quoted value is never closed: the closing ' is missing",
         swap(A, "statement: The United States imposed", "statement: 'The United States imposed")),
    case("yaml quote inside a quoted value", A, 'statement: "The United "States" imposed',
         "ends the quoted value that opens at column 16",
         swap(A, "statement: The United States imposed",
              'statement: "The United "States" imposed')),
    case("yaml colon in an unquoted value", A, "statement: The United States said: it imposed",
         "': ' stands inside a value that is not quoted",
         swap(A, "statement: The United States imposed",
              "statement: The United States said: it imposed")),
    case("yaml tab used for indentation", A, "topics: [caatsa, s-400]",
         "this line is indented with a tab",
         swap(A, "    topics: [caatsa, s-400]", "\ttopics: [caatsa, s-400]")),
    case("yaml claim key indented too far", A, "     topics: [caatsa, s-400]",
         "indented by 5 spaces, but `quote:` above it (line 35) is indented by 4 spaces",
         swap(A, "    topics: [caatsa, s-400]", "     topics: [caatsa, s-400]")),
    case("yaml claim key indented too little", A, "   topics: [caatsa, s-400]",
         "indented by 3 spaces, but `quote:` above it (line 35) is indented by 4 spaces",
         swap(A, "    topics: [caatsa, s-400]", "   topics: [caatsa, s-400]")),
    case("yaml claim misaligned", A, "   - fact: s400-deal-2018",
         "indented by 3 spaces, but `- fact:` above it (line 34) is indented by 2 spaces",
         swap(A, "  - fact: s400-deal-2018", "   - fact: s400-deal-2018")),
    case("yaml duplicate claim key", A, 39,  # the line after `speaker: pti` (38)
         "it is already set at line 36",
         swap(A, "    speaker: pti\n", "    speaker: pti\n    topics: [s-400]\n")),
    case("yaml control character typed in a value", A, "outlet:", "the character U+0007",
         swap(A, "outlet: Mint", "outlet: Mi\x07nt")),
    case("yaml backslash in a double-quoted value", A, "outlet:", "'\\I' is not an escape",
         swap(A, "outlet: Mint", 'outlet: "Mint\\India"')),
    case("yaml value starting with @", A, "outlet:", "cannot start with '@'",
         swap(A, "outlet: Mint", "outlet: @Mint")),
    case("site.yaml unclosed quote", SITE, "title:", 'the closing " is missing',
         swap(SITE, 'a sourcebook"\n', "a sourcebook\n")),
    case("site.yaml apostrophe inside single quotes", SITE, "question:",
         "this ' ends the quoted value",
         swap(SITE, 'question: "How', "question: 'How")),
    case("site.yaml colon in a value", SITE, "licence:", "': ' stands inside a value",
         swap(SITE, "licence: CC BY 4.0", "licence: CC BY 4.0: attribution")),
    case("site.yaml tab", SITE, "language:", "indented with a tab",
         swap(SITE, "language: en", "\tlanguage: en")),
    case("site.yaml key indented under a value", SITE, " language: en",
         "indented by 1 space, but `base_url:` above it (line 4) is not indented",
         swap(SITE, "language: en", " language: en")),
    case("topic unclosed quote", QUAD, "summary:", 'the closing " is missing',
         swap(QUAD, "summary: The Quad", 'summary: "The Quad')),
    case("topic key misaligned", QUAD, "  order: 4",
         "`aliases:` above it (line 4) is not indented",
         swap(QUAD, "order: 4", "  order: 4")),
    case("topic duplicate key", QUAD, "title: Again", "it is already set at line 2",
         swap(QUAD, "order: 4", "order: 4\ntitle: Again")),
]


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("pristine") / "project")
    assert main(["--root", str(root), "build"]) == 0
    return root


def apply(root: Path, edit: tuple) -> None:
    kind, rel = edit[0], edit[1]
    path = project_file(root, rel) if kind in ("replace", "link") else root / rel
    if kind == "replace":
        text = path.read_text(encoding="utf-8")
        assert edit[2] in text, f"the case does not apply: {edit[2]!r} is not in {rel}"
        path.write_text(text.replace(edit[2], edit[3], 1), encoding="utf-8")
    elif kind == "write":
        data = edit[2]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    elif kind == "append":
        path.write_text(path.read_text(encoding="utf-8") + edit[2], encoding="utf-8")
    elif kind == "delete":
        path.unlink()
    elif kind == "link":  # ("link", path, target): path becomes a symbolic link to target
        path.unlink()
        path.symlink_to(edit[2])


def expected_line(root: Path, item: Case) -> int:
    if isinstance(item.line, tuple):  # ("last", text): the last line holding text
        lines = (root / item.path).read_text(encoding="utf-8").splitlines()
        return max(i for i, line in enumerate(lines, 1) if item.line[1] in line)
    if isinstance(item.line, int):
        if item.line == 1000:  # the last line with text
            lines = (root / item.path).read_text(encoding="utf-8").splitlines()
            return max(i for i, line in enumerate(lines, 1) if line.startswith("john-kirby"))
        return item.line
    lines = (root / item.path).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if item.line in line)


def test_the_catalogue_has_at_least_thirty_cases():
    assert len(CASES) >= 30
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("item", CASES, ids=[c.name for c in CASES])
def test_broken_input(item: Case, pristine: Path, tmp_path: Path, capsys) -> None:
    root = tmp_path / "project"
    shutil.copytree(pristine, root)
    before = digest(root / "site")
    for edit in item.edits:
        apply(root, edit)
    code = main(["--root", str(root), "build"])
    err = capsys.readouterr().err
    assert code == item.code, err
    assert "Traceback" not in err and "internal error" not in err
    line = expected_line(root, item)
    located = [ln for ln in err.splitlines() if ln.startswith(f"{item.path}:{line}:")
               and ": error: " in ln]
    assert located, f"no error at {item.path}:{line}:\n{err}"
    assert item.phrase in err, err
    assert "  hint: " in err
    # untrusted text is printed escaped: nothing can rewrite the terminal or fake a line
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", err)
    assert digest(root / "site") == before
    assert not list(root.glob(".site.*"))
