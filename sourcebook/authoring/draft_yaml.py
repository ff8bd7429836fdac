"""The skeleton annotation as YAML: every guess marked `# guessed:` with where it came from,
boilerplate as exclusions, candidate claims as comments ready to uncomment."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..content.ids import ID
from ..content.layout import seed_path
from ..research.factfile import yaml_quote

if TYPE_CHECKING:
    from .draft import Draft, Origin, PageFacts


def _yaml_id(value: str) -> str:
    return value if ID.fullmatch(value) else yaml_quote(value)


def _from(origin: Origin | None, what: str) -> str:
    if origin is None:
        return f"# guessed: {what}"
    shown = origin.text if len(origin.text) <= 80 else origin.text[:79] + "…"
    return f"# guessed: {what} {yaml_quote(shown)}, line {origin.line}"


def render_yaml(draft: Draft) -> str:
    """The draft as the text of its annotation file, each guess commented with its origin."""
    if draft.page is None:
        lines = [
            f"# Skeleton annotation of {seed_path(draft.seed_id)}, drafted by `python build.py "
            "new`.",
            "# Every value marked `guessed:` was read from the seed by simple rules: check it "
            "against the",
            "# article. Still to do: outlet, url and retrieved; review `exclude`; cite the "
            "claims.",
        ]
        lines += _metadata_lines(draft)
    else:
        lines = [
            f"# Draft annotation of {seed_path(draft.seed_id)},",
            f"# made by `python build.py import` from {draft.page.file}.",
            "# Every value marked `guessed:` was read from the page's metadata or its text: "
            "check it",
            "# against the page. Still to do: review `exclude`; cite the claims.",
        ]
        lines += _page_lines(draft, draft.page)
    lines += _exclude_lines(draft)
    lines += _claim_lines(draft)
    return "\n".join(lines) + "\n"


def _metadata_lines(draft: Draft) -> list[str]:
    lines = []
    if draft.no_headline:
        lines += ["# The seed has no headline line: the title below is its first sentence, "
                  "a placeholder.", "# Write a descriptive title."]
        title_note = _from(draft.title_from, "placeholder from the first sentence of")
    else:
        title_note = _from(draft.title_from, "headline")
    lines.append(f"title: {yaml_quote(draft.title)}  {title_note}")
    if draft.language:
        lines.append(f"language: {draft.language}  # guessed: {draft.script} text")
    lines.append('# outlet: ""  # the publication the text was found in')
    for key, value, origin, what in (
            ("author", draft.author, draft.author_from, "byline"),
            ("agency", draft.agency, draft.agency_from, "credit line"),
    ):
        if value is None:
            lines.append(f'# {key}: ""  # guessed: no {what} in the seed')
        else:
            lines.append(f"{key}: {yaml_quote(value)}  {_from(origin, what)}")
    if draft.published is None:
        lines.append(f"# published: YYYY-MM-DD  # guessed: {draft.no_date}")
    else:
        lines.append(f"published: {draft.published}  {_from(draft.published_from, 'dateline')}")
    lines.append('# url: ""  # the original article\'s address')
    lines.append("# retrieved: YYYY-MM-DD  # the day you saved the text")
    lines.append('# archive_url: ""  # a web archive\'s copy (Wayback Machine, archive.today); '
                 "`check` warns of a source with none")
    return lines


def _page_lines(draft: Draft, page: PageFacts) -> list[str]:
    """The metadata of an imported page: the page's own, each with where it was read; what
    the page does not give, guessed from the seed as `new` guesses it."""
    lines = []
    own = {line.split(":", 1)[0].lstrip("# "): line for line in _metadata_lines(draft)}
    for key in ("title", "language", "outlet", "author", "agency", "published", "modified",
                "url", "canonical"):
        found = page.guess(key)
        if found is None and key == "published" and page.guess("modified"):
            lines.append("# published: YYYY-MM-DD  # guessed: none; the page gives only the "
                         "date it was modified, which is not the publication date")
            continue
        if found is None:
            if key in own and not (key in ("outlet", "url") and own[key].startswith("#")):
                lines.append(own[key])
            elif key in ("outlet", "url"):
                lines.append(f'# {key}: ""  # not in the page\'s metadata')
            continue
        value, where = found
        shown = value if key in ("published", "language") else yaml_quote(value)
        if key == "modified":  # not an annotation field: kept as a note, never as `published`
            lines.append(f"# modified: {value}  # guessed: from {where}; the page's last "
                         "update, not its publication date")
        elif key == "canonical":  # the page's own word for its address, when `url` differs
            lines.append(f"# canonical: {shown}  # from {where}: the page's own address, "
                         "if `url` should be it")
        else:
            lines.append(f"{key}: {shown}  # guessed: from {where}")
    lines.append(f"retrieved: {page.retrieved}  # the day the page was imported")
    lines += ["original:  # the page as imported, byte for byte",
              f"  file: {page.file}", f"  sha256: {page.sha256}"]
    if page.fetched:
        lines.append(f"  fetched: {page.fetched}")
    if page.redirects:
        lines.append("  redirects:")
        lines += [f"    - {yaml_quote(url)}" for url in page.redirects]
    return lines


def _exclude_lines(draft: Draft) -> list[str]:
    if not draft.excludes and not draft.suggestions:
        return ["exclude:  # guessed: no boilerplate found"]
    lines = ["exclude:"]
    for item in draft.excludes:
        lines += [f"  # guessed: {item.reason.lower()}, line {item.line}",
                  f"  - quote: {yaml_quote(item.quote)}",
                  f"    reason: {yaml_quote(item.reason)}"]
    for item in draft.suggestions:
        lines += [f"  # guessed: {item.reason.lower()}, line {item.line}; it matches the "
                  "headline too, so it needs its suffix. To exclude it, uncomment:",
                  f"  # - quote: {yaml_quote(item.quote)}",
                  f"  #   suffix: {yaml_quote(item.suffix)}",
                  f"  #   reason: {yaml_quote(item.reason)}"]
    return lines


def _claim_lines(draft: Draft) -> list[str]:
    lines = [
        "claims:",
        "# Candidate claims: sentences that name a topic or an entity, or carry numbers or a",
        "# quotation. To cite one, uncomment it (remove the '#' from each of its lines), give",
        "# the fact an id ([a-z0-9-]+), trim the quote to the words that carry the claim (keep",
        "# any prefix or suffix only if the shorter quote still matches several places), check",
        "# its topics, and add `statement:` unless the fact has one in another source.",
    ]
    if not draft.candidates:
        lines.append("# guessed: no candidate sentences found")
    for item in draft.candidates:
        lines += ["#", f"# guessed: line {item.line}: {item.why}",
                  "#  - fact: <fact-id>",
                  f"#    quote: {yaml_quote(item.quote)}"]
        if item.prefix:
            lines.append(f"#    prefix: {yaml_quote(item.prefix)}")
        if item.suffix:
            lines.append(f"#    suffix: {yaml_quote(item.suffix)}")
        if item.topics:
            lines.append(f"#    topics: [{', '.join(_yaml_id(t) for t, _ in item.topics)}]")
    return lines
