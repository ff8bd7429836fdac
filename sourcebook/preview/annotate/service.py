"""What the preview's annotation endpoints do, apart from HTTP (api.py checks who asks).

Each answer is read from the research of the last good build, the one the open page was
rendered from, and each write is proved before it is made: the new file is parsed and
anchored by the build's own code (content.sources, anchoring), and read back by PyYAML as the
old data with exactly this change (yamledit). A write whose file changed on disk since the
page was shown is refused: the page is stale, and the researcher reloads it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ... import routes
from ...anchoring.anchor import anchor_source
from ...content.fields import DATE, parse_date
from ...content.ids import ID, ID_RULE, MAX_LENGTH, is_id, is_source_name, slugify
from ...content.layout import SOURCES_DIR, annotation_path
from ...content.model import Stance
from ...content.sources import parse_source_file
from ...diagnostics import Diagnostics
from ...research.model import Research, SourceRecord
from ...selectors.names import NameFinder
from ...selectors.position import line_col
from ...selectors.quote import QuoteIndex, Span
from . import yamledit
from .textmap import StalePage, block_texts, check_selected_text, labels_between, seed_span, trimmed

RELOAD = "reload the page (it reloads by itself after each save) and try again"
STOP_WORDS = frozenset("a an the of to in on for and with that is was its as by at from".split())
ID_WORDS = 6  # a suggested fact id: the statement's first meaningful words


class Refused(Exception):
    """A request the preview will not carry out: its HTTP status, a sentence and a hint."""

    def __init__(self, status: int, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.status, self.message, self.hint = status, message, hint


@dataclass(frozen=True, slots=True)
class Selected:
    """A selection mapped onto the seed, described as a claim would quote it."""

    span: Span
    quote: str
    prefix: str
    suffix: str


class Annotator:
    """The annotation endpoints' work, for one project and the preview's last good build."""

    def __init__(self, root: Path, research: Callable[[], Research | None],
                 failed: Callable[[], bool] = lambda: False,
                 log: Callable[[str], None] = lambda line: None) -> None:
        self.root = root
        self._research = research
        self._failed = failed  # whether the last build failed (its pages are the last good)
        self.log = log
        self.undo = yamledit.UndoStack()

    # --- reading ---

    def research(self) -> Research:
        """The research of the last good build."""
        found = self._research()
        if found is None:
            raise Refused(503, "the preview has not finished its first build",
                          "wait for the page to reload, then try again")
        return found

    def record(self, source: Any, version: Any = None) -> SourceRecord:
        """The source a request names, as the page was built (a version given must be the
        one the page was built from)."""
        if not isinstance(source, str) or not is_source_name(source):
            raise Refused(400, f"{source!r} is not the name of a source in {SOURCES_DIR}/",
                          "the preview writes only annotations of content/sources/")
        record = self.research().source_index.get(source)
        if record is None:
            raise Refused(404, f"the last good build has no source named {source!r}", RELOAD)
        if version is not None and version != record.doc.digest:
            raise Refused(409, "this page is out of date: the annotation was changed since",
                          RELOAD)
        return record

    def context(self, page: Any) -> dict[str, Any]:
        """What the forms offer on a source page: the source, its annotation's version, the
        facts, topics and entities, and the claims behind each passage."""
        research = self.research()
        source = _page_source(page, research)
        record = self.record(source)
        return {
            "source": record.id, "file": annotation_path(record.id), "version": record.doc.digest,
            "facts": [{"id": f.id, "statement": f.statement, "topics": list(f.topics),
                       "evidence": len(f.evidence)} for f in research.facts],
            "topics": [{"id": t.id, "title": t.title} for t in research.topics],
            "entities": [{"id": e.id, "name": e.name}
                         for e in sorted(research.entities.values(), key=lambda e: e.id)],
            "passages": _passage_claims(record),
            # The load stage's rules (content/ids.py, content/fields.py), so that the form
            # checks an id and a date as the build will.
            "id_rule": {"pattern": ID.pattern, "max": MAX_LENGTH, "text": ID_RULE},
            "date_rule": {"pattern": DATE.pattern},
        }

    def fact(self, fact_id: Any) -> dict[str, Any]:
        """A fact's statement and the passages it rests on now, for the form to show."""
        research = self.research()
        fact = research.fact_index.get(fact_id) if isinstance(fact_id, str) else None
        if fact is None:
            raise Refused(404, f"there is no fact {fact_id!r}", "a new id makes a new fact")
        titles = {r.id: r.doc.title for r in research.sources}
        return {"id": fact.id, "statement": fact.statement, "topics": list(fact.topics),
                "evidence": [{"source": e.source_id, "title": titles.get(e.source_id, ""),
                              "quote": e.quote, "stance": e.stance.value,
                              "href": str(e.href)}
                             for e in fact.evidence]}

    def select(self, body: dict[str, Any]) -> dict[str, Any]:
        """A selection as a claim would quote it, with the topics and speakers it names."""
        record = self.record(body.get("source"), body.get("version"))
        selected = self._selected(record, body)
        research = self.research()
        quote = record.seed.text[selected.span.start:selected.span.end]
        topics = NameFinder.of((t.id, t.aliases) for t in research.topics).owners_in(quote)
        speakers = NameFinder.of((e.id, (e.name, *e.aliases))
                                 for e in research.entities.values()).owners_in(quote)
        line, column = line_col(record.seed.text, selected.span.start)
        return {"quote": selected.quote, "prefix": selected.prefix, "suffix": selected.suffix,
                "start": selected.span.start, "end": selected.span.end, "line": line,
                "column": column, "topics": list(topics), "speakers": list(speakers),
                "inside": [p.anchor for p in record.passages
                           if p.start < selected.span.end and selected.span.start < p.end]}

    def suggest(self, statement: Any) -> dict[str, Any]:
        """A fact id made from a statement, and whether a fact has it already."""
        if not isinstance(statement, str):
            raise Refused(400, "'statement' must be text")
        words = [w for w in slugify(statement).split("-") if w not in STOP_WORDS]
        fact = "-".join(words[:ID_WORDS]) or "fact"
        return {"fact": fact, "taken": fact in self.research().fact_index}

    def _selected(self, record: SourceRecord, body: dict[str, Any]) -> Selected:
        start, end, text = body.get("start"), body.get("end"), body.get("text")
        if not (_point(start) and _point(end) and isinstance(text, str)):
            raise Refused(400, "a selection needs 'start' and 'end' as [block, offset] and "
                          "its 'text'")
        seed = record.seed.text
        blocks = block_texts(record)
        try:
            span = trimmed(seed, seed_span(blocks, tuple(start), tuple(end)))
            if span.end <= span.start:
                raise StalePage("the selection holds none of the article's text")
            check_selected_text(seed, span, text, labels_between(blocks, start[0], end[0]),
                                start[0] == end[0])
        except StalePage as exc:
            raise Refused(409, f"this page is out of date: {exc}", RELOAD) from None
        for excluded in record.excludes:
            if excluded.span.start < span.end and span.start < excluded.span.end:
                reason = f" ({excluded.reason})" if excluded.reason else ""
                raise Refused(422, f"the selection holds excluded text{reason}",
                              "select only text that is not greyed out, or remove the "
                              "exclusion from the annotation first")
        described = QuoteIndex(seed).describe_as_written(span)
        if described is None:
            raise Refused(422, "no quote with a prefix or suffix of up to 8 words picks out "
                          "only this passage",
                          "select a longer passage, or one that begins and ends on whole "
                          "characters")
        return Selected(span, described.exact, described.prefix, described.suffix)

    # --- writing ---

    def write(self, body: dict[str, Any]) -> dict[str, Any]:
        """Carry out a cite, exclude, edit or remove: the file is written, or nothing is."""
        if self._failed():
            raise Refused(409, "the last build failed, so this page may not show the files "
                          "as they are", "fix the problem shown at the top of the page; the "
                          "page reloads by itself once the build is good")
        record = self.record(body.get("source"), body.get("version"))
        path = self._file(record)
        before = self._current(path, record)
        action = body.get("action")
        if action == "cite":
            selected = self._selected(record, body)
            fields = self._claim_fields(body.get("claim"), new=True)
            fields.update(quote=selected.quote, prefix=selected.prefix, suffix=selected.suffix)
            after, message = yamledit.append(before, "claims", fields), \
                f"Cited “{_short(selected.quote)}” as {fields['fact']}"
        elif action == "exclude":
            selected = self._selected(record, body)
            reason = body.get("reason")
            if not isinstance(reason, str) or not reason.strip():
                raise Refused(422, "an exclusion needs a reason",
                              "say why the text carries no claim: “Cookie banner”")
            after = yamledit.append(before, "exclude", {
                "quote": selected.quote, "prefix": selected.prefix,
                "suffix": selected.suffix, "reason": reason.strip()})
            message = f"Excluded “{_short(selected.quote)}”"
        elif action in ("edit", "remove"):
            index = body.get("index")
            if not isinstance(index, int) or isinstance(index, bool) or index < 0:
                raise Refused(400, "'index' must be the number of one of the claims, from 0")
            if action == "edit":
                fields = self._claim_fields(body.get("claim"), new=False)
                self._check_edit(record, index, fields)
                after = self._edited(before, index, fields)
                message = f"Changed the citation of {fields.get('fact') or 'the fact'}"
            else:
                after = self._edited(before, index, None)
                fact = next((c.fact_id for c in record.doc.claims if c.index == index), "")
                message = f"Removed the citation of {fact or 'the fact'}"
        else:
            raise Refused(400, "'action' must be cite, exclude, edit or remove")
        self._prove(record, after)
        return self._commit(path, before, after, message)

    def undo_write(self, undo_id: Any) -> dict[str, Any]:
        """Put back the bytes a write replaced, if the file is still what it left."""
        written = self.undo.take(undo_id) if isinstance(undo_id, str) else None
        if written is None:
            raise Refused(404, "there is nothing to undo under that id",
                          "the preview forgets its writes when it stops")
        current = written.path.read_bytes() if written.path.exists() else b""
        if current != written.after:
            self.undo.put_back(undo_id, written)
            raise Refused(409, "the annotation changed since that write: undoing it would "
                          "lose the later change", "edit the file by hand instead")
        yamledit.write_atomic(written.path, written.before)
        self.log(f"undone: {written.path.relative_to(self.root).as_posix()} is as it was")
        return {"ok": True, "version": yamledit.sha256(written.before),
                "message": "Undone: the annotation is as it was"}

    def _file(self, record: SourceRecord) -> Path:
        folder = (self.root / SOURCES_DIR).resolve()
        path = self.root / annotation_path(record.id)
        if path.is_symlink() or path.resolve().parent != folder:
            raise Refused(403, f"{annotation_path(record.id)} is not a file of {SOURCES_DIR}/")
        return path

    def _current(self, path: Path, record: SourceRecord) -> bytes:
        try:
            data = path.read_bytes()
        except OSError:
            raise Refused(409, f"{annotation_path(record.id)} is gone", RELOAD) from None
        if yamledit.sha256(data) != record.doc.digest:
            raise Refused(409, "the annotation changed on disk since this page was shown",
                          RELOAD)
        return data

    def _claim_fields(self, claim: Any, *, new: bool) -> dict[str, Any]:
        if not isinstance(claim, dict):
            raise Refused(400, "'claim' must be an object of the claim's fields")
        research = self.research()
        allowed = {"fact", "topics", "statement", "speaker", "date", "stance", "note"}
        unknown = sorted(set(claim) - allowed)
        if unknown:
            raise Refused(400, f"a claim has no field {unknown[0]!r}")
        fields: dict[str, Any] = {}
        fact = claim.get("fact")
        if new or fact is not None:
            if not isinstance(fact, str) or not is_id(fact):
                raise Refused(422, f"{fact!r} is not a fact id", f"an id is {ID_RULE}")
            fields["fact"] = fact
        statement = claim.get("statement")
        if statement is not None:
            if not isinstance(statement, str):
                raise Refused(400, "'statement' must be text")
            fields["statement"] = statement.strip()
        if "topics" in claim:
            topics = claim["topics"]
            if not isinstance(topics, list) or not all(isinstance(t, str) for t in topics):
                raise Refused(400, "'topics' must be a list of topic ids")
            missing = [t for t in topics if t not in research.topic_index]
            if missing:
                raise Refused(422, f"there is no topic {missing[0]!r}",
                              "add it under content/topics/ first")
            fields["topics"] = list(dict.fromkeys(topics))
        for name in ("speaker", "date", "stance", "note"):
            value = claim.get(name)
            if value is None:
                continue
            if not isinstance(value, str):
                raise Refused(400, f"'{name}' must be text")
            fields[name] = self._checked(name, value.strip(), research)
        if new:
            self._agrees_with_fact(fields["fact"], fields.get("statement", ""),
                            fields.get("date", ""), fields.get("topics", []))
        return fields

    def _check_edit(self, record: SourceRecord, index: int, fields: dict[str, Any]) -> None:
        """Refuse an edit the build would refuse (_agrees_with_fact): what it sets must agree with
        the claim's fact, and a claim moved to another fact must fit that one with its own
        values for what the edit leaves alone."""
        spec = next((c for c in record.doc.claims if c.index == index), None)
        fact = fields.get("fact")
        if spec is None or fact is None:
            return  # no such claim (the edit says so), or the claim keeps its fact
        if fact == spec.fact_id:  # what the edit sets must still agree with the fact
            self._agrees_with_fact(fact, fields.get("statement", ""), fields.get("date", ""), [])
            return
        self._agrees_with_fact(fact, fields.get("statement", spec.statement or ""),
                        fields.get("date", spec.date.iso() if spec.date else ""),
                        fields.get("topics", list(spec.topics)))

    def _agrees_with_fact(self, fact: str, statement: str, date: str, topics: list[str]) -> None:
        """Refuse a claim the facts stage would refuse for the fact it cites: a new fact
        without a statement or a topic; an existing fact whose statement or date the
        claim's own contradicts (a claim may leave them out)."""
        known = self.research().fact_index.get(fact)
        if known is None:
            if not statement:
                raise Refused(422, f"{fact} is a new fact: it needs a statement",
                              "write the fact in your own words")
            if not topics:
                raise Refused(422, f"{fact} is a new fact: it needs a topic",
                              "tick at least one topic")
            return
        if statement and statement != known.statement:
            raise Refused(422, f"the fact {fact} already says “{known.statement}”",
                          "empty the statement to cite the fact as it is")
        if date and known.date is not None and parse_date(date) != known.date:
            raise Refused(422, f"the fact {fact} is dated {known.date.iso()}",
                          "empty the date to cite the fact as it is")

    @staticmethod
    def _checked(name: str, value: str, research: Research) -> str:
        if not value:
            return ""
        if name == "speaker" and value not in research.entities:
            raise Refused(422, f"there is no entity {value!r}",
                          "add it to content/entities.yaml first")
        if name == "date" and parse_date(value) is None:
            raise Refused(422, f"{value!r} is not a date", "write YYYY, YYYY-MM or YYYY-MM-DD")
        if name == "stance":
            if value not in {s.value for s in Stance}:
                raise Refused(422, f"{value!r} is not a stance", "supports or disputes")
            return "" if value == Stance.SUPPORTS else value  # the default is not written
        return value

    @staticmethod
    def _edited(before: bytes, index: int, fields: dict[str, Any] | None) -> bytes:
        try:
            if fields is None:
                return yamledit.remove(before, "claims", index)
            return yamledit.update(before, "claims", index, fields)
        except yamledit.EditFailed as exc:
            raise Refused(409, str(exc), RELOAD) from None

    def _prove(self, record: SourceRecord, after: bytes) -> None:
        """Parse and anchor the new file as the build will: refuse it with the first problem."""
        diags = Diagnostics()
        limits = self.research().config.limits
        doc = parse_source_file(record.id, annotation_path(record.id), after, diags, limits)
        if doc is not None and not diags.errors:
            anchor_source(doc, record.seed, diags)
        if diags.errors:
            first = diags.errors[0]
            raise Refused(422, first.message, "; ".join(first.hints))

    def _commit(self, path: Path, before: bytes, after: bytes, message: str) -> dict[str, Any]:
        yamledit.write_atomic(path, after)
        self.log(f"{message} in {path.relative_to(self.root).as_posix()}")
        undo_id = self.undo.push(yamledit.Written(path, before, after))
        return {"ok": True, "version": yamledit.sha256(after), "undo": undo_id,
                "message": message}


def _point(value: Any) -> bool:
    return (isinstance(value, list) and len(value) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value))


def _page_source(page: Any, research: Research) -> str:
    """The source whose page is at this site file (by the route table)."""
    if isinstance(page, str):
        found = next((source_id for source_id in research.source_index
                      if routes.source(source_id).file == page), None)
        if found is not None:
            return found
    raise Refused(404, "this page is not a source page", "open a source to annotate it")


def _passage_claims(record: SourceRecord) -> dict[str, list[dict[str, Any]]]:
    """The claims behind each passage of the page, by the passage's anchor."""
    anchored = anchor_source(record.doc, record.seed, Diagnostics())
    spans = {(p.start, p.end): p.anchor for p in record.passages}
    found: dict[str, list[dict[str, Any]]] = {}
    for claim in anchored.claims:
        anchor = spans.get((claim.span.start, claim.span.end))
        if anchor is None:
            continue
        spec = claim.spec
        found.setdefault(anchor, []).append({
            "index": spec.index, "fact": spec.fact_id, "topics": list(spec.topics),
            "statement": spec.statement or "", "speaker": spec.speaker or "",
            "date": spec.date.iso() if spec.date else "", "stance": spec.stance.value,
            "note": spec.note or ""})
    return found


def _short(text: str, most: int = 60) -> str:
    return text if len(text) <= most else text[:most - 1].rstrip() + "…"
