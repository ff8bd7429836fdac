"""YAML syntax errors explained in plain words, at the place where the mistake is.

PyYAML reports where its parser gave up, in its own words ("did not find expected key", "while
parsing a block mapping"), and that is often lines after the mistake: a quote left open on line
35 swallows text up to the next quote, on line 39, and the parser stops there. When parsing fails
we look for the common slips, in the text before the parser's mark, and name the first one found:

- a quoted value that is never closed (confirmed by closing it and parsing again);
- text after a quoted value's closing quote (a quote or apostrophe inside the value);
- a tab where YAML wants spaces;
- ': ' inside a value that is not quoted;
- a line indented differently from the keys or list items around it;
- a line of text with no `key:`, or under-indented as the rest of a value;
- a few rarer ones: a backslash escape, a value starting with '@', '*', '&' or '!', a '- '
  item on its key's line, a '[' or '{' left open, a control character.

Anything else gets a plain-words reading of the parser's own message, at the parser's mark.
A slip's lines are the file's: the caller passes the offset of the parsed text (a topic's front
matter starts on the file's second line), and columns count code points, as PyYAML's do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

# YAML's line breaks: its marks count lines by these, so ours must too (str.splitlines would
# also break at form feeds and other characters that YAML keeps inside a line).
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
# A line that starts like `key: …` or `- key: …`: the key, then ': ' or ':' at the line's end.
_KEY_LINE = re.compile(r"^[ \t]*(?:-[ \t]+)*(?P<key>[^\s#'\"\[\]{},&*!|>%@`-][^#]*?):(?:[ \t]|$)")
# At most this many open quotes are tried as "the" unclosed one (each try parses the file again).
_MAX_REPAIRS = 3

_QUOTES = ('"', "'")


@dataclass(frozen=True)
class Slip:
    """A YAML mistake: where it is in the file (1-based line and column) and what to say."""

    line: int
    col: int
    message: str
    hints: tuple[str, ...]


def explain(text: str, exc: yaml.MarkedYAMLError, loader: Any, line_offset: int = 0) -> Slip:
    """The mistake behind a YAML syntax error, in plain words, located where it was made.

    `loader` is the loader class that raised `exc` (libyaml's or PyYAML's own): it scans the text
    again to find what the parser saw before it gave up. `line_offset` is the number of file lines
    before the text (a topic's front matter starts on line 2): every line number of the slip, in
    its location and its words, is a line of the file."""
    return _Reader(text, exc, loader, line_offset).explain()


def explain_character(text: str, exc: yaml.reader.ReaderError, line_offset: int = 0) -> Slip:
    """A character that YAML refuses to read (a control character), at its place.

    libyaml reports a byte offset and PyYAML a code-point one, so the character is looked up in
    the text instead: the reader stops at its first occurrence."""
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
    offset = max(text.find(chr(code)), 0)
    before = _BREAK.split(text[:offset])
    return Slip(len(before) + line_offset, len(before[-1]) + 1,
                f"malformed YAML: this file holds the character U+{code:04X}, which YAML does "
                "not allow",
                ("remove it: only tabs and line breaks may stand in text",))


class _Reader:
    """One failed parse: the text, the parser's complaint and the tokens it read before it."""

    def __init__(self, text: str, exc: yaml.MarkedYAMLError, loader: Any,
                 line_offset: int) -> None:
        self.text = text
        self.line_offset = line_offset
        self.lines = _BREAK.split(text)
        self.loader = loader
        self.problem = (exc.problem or "").lower()
        self.context = (exc.context or "").lower()
        mark = exc.problem_mark or exc.context_mark
        self.mark = (mark.line, mark.column) if mark else (0, 0)  # 0-based, as PyYAML's
        cmark = exc.context_mark
        self.context_mark = (cmark.line, cmark.column) if cmark else None
        self.raw_problem = exc.problem or ""
        self.raw_context = exc.context or ""
        self.tokens = self._tokens_before(self.mark)

    # --- what the parser saw ---

    def _tokens_before(self, stop: tuple[int, int]) -> list[yaml.Token]:
        """The tokens that start before `stop`; scanning stops quietly at a scanner error."""
        tokens: list[yaml.Token] = []
        try:
            for token in yaml.scan(self.text, Loader=self.loader):
                if (token.start_mark.line, token.start_mark.column) >= stop:
                    break
                tokens.append(token)
        except yaml.YAMLError:
            pass
        return tokens

    def n(self, index: int) -> int:
        """The file's line number of a 0-based line of the text."""
        return index + 1 + self.line_offset

    def line(self, index: int) -> str:
        """The text of a 0-based line, or '' past the end."""
        return self.lines[index] if 0 <= index < len(self.lines) else ""

    def char(self, at: tuple[int, int]) -> str:
        """The character at a 0-based (line, column), or '' past the end of its line."""
        text = self.line(at[0])
        return text[at[1]] if at[1] < len(text) else ""

    def fails_later(self, text: str) -> bool:
        """Whether `text` reads past the place the original text failed at (or to its end)."""
        try:
            # Parser events, not a node tree: nothing after the mark needs building or resolving.
            for event in yaml.parse(text, Loader=self.loader):
                if (event.start_mark.line, event.start_mark.column) > self.mark:
                    return True
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            return mark is not None and (mark.line, mark.column) > self.mark
        except yaml.YAMLError:
            return False
        return True

    # --- the slips, most specific first ---

    def explain(self) -> Slip:
        """The first slip that fits, or a plain reading of the parser's message."""
        checks = (self.quote_never_closed, self.text_after_quote, self.bad_escape, self.tab,
                  self.colon_in_value, self.bad_indent, self.key_without_colon,
                  self.bare_text)
        for check in checks:
            slip = check()
            if slip is not None:
                return slip
        return self.fallback()

    def quote_never_closed(self) -> Slip | None:
        """A quoted value whose closing quote is missing.

        At the end of the file the scanner says so itself, at the opening quote. Otherwise the value
        ran on to the next quote of the same kind, lines later, and the parser failed there: each
        quoted value spanning lines before the mark is closed at the end of its first line as a
        test, and it is the culprit if the text then parses, or fails only further on (a quoted
        value may rightly span lines, so that alone proves nothing)."""
        ran_out = "end of stream" in self.problem or "document indicator" in self.problem
        if "quoted scalar" in self.context and ran_out and self.context_mark:
            quote = self.char(self.context_mark)
            if quote in _QUOTES:
                return self.unclosed(self.context_mark, quote, None)
        spanning = [t for t in self.tokens if isinstance(t, yaml.ScalarToken)
                    and t.style in _QUOTES and t.end_mark.line > t.start_mark.line]
        for token in reversed(spanning[-_MAX_REPAIRS:]):
            start = (token.start_mark.line, token.start_mark.column)
            quote = token.style
            lines = list(self.lines)
            lines[start[0]] = lines[start[0]].rstrip(" \t") + quote
            if self.fails_later("\n".join(lines)):
                end = (token.end_mark.line, token.end_mark.column - 1)
                return self.unclosed(start, quote, end)
        return None

    def unclosed(self, start: tuple[int, int], quote: str,
                 stopped: tuple[int, int] | None) -> Slip:
        """The report for a quote opened at `start` and never closed."""
        where = ("the value runs on to the end of the file" if stopped is None else
                 f"the value runs on to the next {quote} (line {self.n(stopped[0])}, column "
                 f"{stopped[1] + 1}), and reading stops there")
        return Slip(self.n(start[0]), start[1] + 1,
                    f"malformed YAML: this quoted value is never closed: the closing {quote} is "
                    "missing",
                    (f"add a {quote} at the end of the value: without it, {where}",))

    def text_after_quote(self) -> Slip | None:
        """A quoted value followed by more text on its line: a quote or an apostrophe inside
        the value closed it early (`"He said "no" today"`, `'India's view'`)."""
        if not self.tokens:
            return None
        last = self.tokens[-1]
        if not (isinstance(last, yaml.ScalarToken) and last.style in _QUOTES):
            return None
        end = (last.end_mark.line, last.end_mark.column)
        between = self.line(end[0])[end[1]:self.mark[1]]
        if end[0] != self.mark[0] or between.strip(" \t") or not self.char(self.mark):
            return None
        quote = last.style
        opened = (f"column {last.start_mark.column + 1}" if last.start_mark.line == end[0]
                  else f"line {self.n(last.start_mark.line)}, column {last.start_mark.column + 1}")
        inside = ('to put a " inside a "…" value, write it as \\", or quote the value with '
                  "'…' instead" if quote == '"' else
                  "to put an apostrophe inside a '…' value, write it twice ('', as in "
                  "India''s), or quote the value with \"…\" instead")
        return Slip(self.n(end[0]), end[1],
                    f"malformed YAML: this {quote} ends the quoted value that opens at {opened}, "
                    "but more text follows it on the line",
                    (inside, "if the value only starts with a quote, put the whole value in "
                     "quotes"))

    def bad_escape(self) -> Slip | None:
        """A backslash in a double-quoted value that starts no escape YAML knows (`"C:\\x"`)."""
        if "escape" not in self.problem and "hexdecimal" not in self.problem:
            return None
        line, col = self.mark
        text = self.line(line)
        # libyaml points at the backslash, PyYAML at the letter after it, and both past `\u`
        # at the first character that is not a hexadecimal digit: step back to the backslash.
        backslash = text.rfind("\\", max(0, col - 9), col + 1)
        col = backslash if backslash >= 0 else col
        escape = text[col:col + 2]
        message = (f"'{escape}' starts a character code, but the hexadecimal digits after it "
                   "are missing" if "hex" in self.problem else
                   f"'{escape}' is not an escape that a \"…\" value may hold")
        return Slip(self.n(line), col + 1, f"malformed YAML: {message}",
                    ("write a backslash as \\\\ inside \"…\", or quote the value with '…', "
                     "where a backslash is just a backslash",))

    def tab(self) -> Slip | None:
        """A tab where YAML wants spaces: in indentation, or after a '-' or a ':'."""
        if self.char(self.mark) != "\t":
            return None
        line, col = self.mark
        if self.line(line)[:col].strip(" \t"):
            return Slip(self.n(line), col + 1,
                        "malformed YAML: a tab stands here, where YAML expects a space",
                        ("replace the tab with a space",))
        return Slip(self.n(line), col + 1,
                    "malformed YAML: this line is indented with a tab; YAML indents with spaces "
                    "only",
                    ("replace the tab with spaces, lined up with the lines around it; most "
                     "editors can insert spaces when Tab is pressed",))

    def colon_in_value(self) -> Slip | None:
        """': ' inside a value that is not quoted, which YAML reads as the start of a key.

        When the colon ends the first `key:` of its line, the line itself is the slip: indented
        more than the key above it, it was read as the rest of that key's value."""
        if "mapping values are not allowed" not in self.problem or self.char(self.mark) != ":":
            return None
        line, col = self.mark
        text = self.line(line)
        key = _KEY_LINE.match(text)
        if key is not None and key.end("key") == col:
            slip = self.bad_indent(line) or self.text_without_key(line)
            if slip is not None:
                return slip
        example = ""
        if key is not None:  # the line's own key and value, quoted, as the example to follow
            value = text[key.end():].strip(" \t")
            value = value if len(value) <= 50 else value[:45].rstrip() + " …"
            quoted = ('"' + value + '"' if '"' not in value else
                      "'" + value.replace("'", "''") + "'")
            example = f", as in `{key.group('key').strip()}: {quoted}`"
        return Slip(self.n(line), col + 1,
                    "malformed YAML: ': ' stands inside a value that is not quoted, and YAML "
                    "reads it as the start of another key",
                    (f"put the whole value in quotes{example}",))

    def bad_indent(self, at_line: int | None = None) -> Slip | None:
        """A line indented differently from the keys or list items around it.

        The parser failed at the start of the line (or at its key's colon, when the line was read
        as part of the value above). The indentations open at that point are those of the keys
        and '- ' items of the lines above that are not closed yet; the line should have that of
        the nearest of its kind (a key lines up with keys, a '- ' item with items)."""
        if at_line is None:
            line, col = self.mark
            text = self.line(line)
            if col != len(text) - len(text.lstrip(" ")) or not text.strip():
                return None
        else:
            line = at_line
            text = self.line(line)
        indent = len(text) - len(text.lstrip(" "))
        item = text.lstrip(" ").startswith("-")
        levels = self.open_levels(line)
        if not levels:
            return None
        if not item and not _KEY_LINE.match(text):
            # Text, not a key: it can only continue the value of the last key above, and must be
            # indented more than that key.
            col, _, above = max(levels, key=lambda lv: lv[2])
            if indent <= col:
                shown = _shown(self.line(above)[col:], item=False)
                return Slip(self.n(line), indent + 1,
                            f"malformed YAML: this line is indented by {_spaces(indent)}, but as "
                            f"part of the value of `{shown}` (line {self.n(above)}) it must be "
                            f"indented by more than {_spaces(col)}",
                            (f"indent it by {_spaces(col + 2)}, or put the value on one line "
                             "(in quotes if it holds ': ')",))
        same = [lv for lv in levels if lv[1] == item] or levels
        col, is_item, above = min(same, key=lambda lv: (abs(lv[0] - indent), -lv[0]))
        if col == indent:
            return None
        shown = _shown(self.line(above)[col:], item=is_item)
        indent_it = f"indent it by {_spaces(col)}" if col else "do not indent it"
        hints = [f"{indent_it}, like line {self.n(above)}: the keys of one mapping, and the '- ' "
                 "items of one list, line up exactly"]
        if indent > col and at_line is not None:
            hints.append("if the line continues the value above instead, put the whole value "
                         "in quotes (a ': ' in it is read as a key)")
        theirs = f"is indented by {_spaces(col)}" if col else "is not indented"
        return Slip(self.n(line), indent + 1,
                    f"malformed YAML: this line is indented by {_spaces(indent)}, but `{shown}` "
                    f"above it (line {self.n(above)}) {theirs}",
                    tuple(hints))

    def open_levels(self, before: int) -> list[tuple[int, bool, int]]:
        """The indentations open at the start of a 0-based line: (column, is a '- ' item,
        the line that opened it), from the block keys and items of the tokens before it."""
        levels: dict[tuple[int, bool], int] = {}
        flow = 0
        for token in self.tokens:
            if token.start_mark.line >= before:
                break
            if isinstance(token, (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)):
                flow += 1
            elif isinstance(token, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)):
                flow = max(0, flow - 1)
            elif flow == 0 and isinstance(token, (yaml.KeyToken, yaml.BlockEntryToken)):
                col = token.start_mark.column
                levels = {k: v for k, v in levels.items() if k[0] <= col}
                levels[(col, isinstance(token, yaml.BlockEntryToken))] = token.start_mark.line
        return [(col, item, line) for (col, item), line in levels.items()]

    def bare_text(self) -> Slip | None:
        """A line of text with no key at the top of a file, before its `key: value` lines."""
        if "document start" not in self.problem or not self.tokens:
            return None
        last = self.tokens[-1]
        if isinstance(last, yaml.ScalarToken) and last.plain:
            return self.key_without_colon((last.start_mark.line, last.start_mark.column))
        return None

    def text_without_key(self, line: int) -> Slip | None:
        """Text on a line of its own above a `key:` line, with no key of its own: YAML read both
        lines as one key, which may not span lines."""
        if not self.tokens:
            return None
        last = self.tokens[-1]
        before = self.tokens[-2] if len(self.tokens) > 1 else None
        if (isinstance(last, yaml.ScalarToken) and last.plain and last.start_mark.line < line
                and not isinstance(before, yaml.ValueToken)):
            return self.key_without_colon((last.start_mark.line, last.start_mark.column))
        return None

    def key_without_colon(self, at: tuple[int, int] | None = None) -> Slip | None:
        """A line that is neither `key: value` nor a '- ' item, read as a key waiting for ':'."""
        if at is None:
            if "simple key" not in self.context or self.context_mark is None:
                return None
            at = self.context_mark
        line, col = at
        return Slip(self.n(line), col + 1,
                    "malformed YAML: this line is neither `key: value` nor a '- ' list item: "
                    "the ':' after its key is missing",
                    ("write `key: value`; if the line continues the value above, indent it more "
                     "than that value's key, or put the whole value in quotes",))

    def indicator(self) -> tuple[int, int] | None:
        """Where a value starts with '*', '&' or '!' that YAML could not read as an alias, an
        anchor or a tag: the parser's mark or its context's, whichever holds the character."""
        if not any(word in self.context + self.problem for word in ("alias", "anchor", "tag")):
            return None
        for at in (self.mark, self.context_mark):
            if at is not None and self.char(at) in _INDICATOR:
                return at
        return None

    # --- anything else ---

    def fallback(self) -> Slip:
        """The parser's complaint in plain words, at its mark, with where the enclosing
        structure began."""
        line, col = self.mark
        char = self.char(self.mark)
        hints: list[str] = []
        if "cannot start any token" in self.problem and char.strip():
            message = f"a value cannot start with '{char}' unless it is quoted"
            hints.append("put the whole value in quotes")
        elif "sequence entries are not allowed" in self.problem:
            message = "a '- ' list item cannot start on the same line as its key"
            hints.append("start the list on the next line, indented, or write it as [a, b]; if "
                         "the value is text that starts with '- ', put it in quotes")
        elif "undefined alias" in self.problem:
            message = "a value starting with '*' names an anchor (&name) that is not defined"
            hints.append("put the value in quotes if the '*' is part of the text")
        elif (at := self.indicator()) is not None:
            line, col = at
            char = self.char(at)
            message = f"a value cannot start with '{char}' unless it is quoted"
            hints.append(f"YAML reads '{char}name' as {_INDICATOR[char]}; put the whole value in "
                         "quotes")
        elif "another document" in self.problem:
            message = "a second YAML document starts here; a file holds only one"
            hints.append("remove the '---' or '...' line")
        elif "',' or" in self.problem:  # a [ ] list or { } mapping left open
            bracket = "[" if "]" in self.problem else "{"
            opened = (f" (opened at line {self.n(self.context_mark[0])}, column "
                      f"{self.context_mark[1] + 1})" if self.context_mark else "")
            message = (f"the {bracket} {_CLOSE[bracket]} {_FLOW[bracket]}{opened} is not closed: a "
                       f"',' or '{_CLOSE[bracket]}' was expected here")
            hints.append(f"close it with '{_CLOSE[bracket]}'; put a value that holds ',', ':', "
                         "'[' or '{' in quotes")
        elif "block scalar" in self.context:
            message = "after '|' or '>', the line must end: the text starts on the next line"
            hints.append("put the text on the lines below, indented; or quote the value if it "
                         "starts with '|' or '>'")
        else:
            message = _plain_problem(self.problem)
            if self.context_mark is not None and self.context_mark[0] != line:
                hints.append(f"reading {_plain_context(self.context)} that starts at line "
                             f"{self.n(self.context_mark[0])}, column {self.context_mark[1] + 1}")
            hints.append("look for a quote left open, ': ' in a value that is not quoted, a tab, "
                         "or a line indented differently from its neighbours, here or just "
                         "above; quoting a value with \"…\" fixes most of them")
            hints.append(f"the YAML reader's own words: {self.raw_problem}"
                         + (f" ({self.raw_context})" if self.raw_context else ""))
        return Slip(self.n(line), col + 1, f"malformed YAML: {message}", tuple(hints))


def _spaces(count: int) -> str:
    return "1 space" if count == 1 else f"{count} spaces"


def _shown(text: str, item: bool) -> str:
    """How a line that opens an indentation is named in a message: its key (`quote:`), or '- '
    and the key or text after it (`- fact:`)."""
    if item:
        key = _KEY_LINE.match("- " + text[1:].lstrip(" "))
        return f"- {key.group('key')}:" if key else "-"
    key = _KEY_LINE.match(text)
    return f"{key.group('key')}:" if key else text[:30].rstrip()


_INDICATOR = {"*": "an alias of another value", "&": "an anchor", "!": "a type tag"}
_CLOSE = {"[": "]", "{": "}"}
_FLOW = {"[": "list", "{": "mapping"}


def _plain_problem(problem: str) -> str:
    """What libyaml's or PyYAML's problem means, in plain words."""
    if "expected key" in problem or "<block end>" in problem:
        return "a new `key: value` line, lined up with the keys above, was expected here"
    if "'-' indicator" in problem:
        return "a new '- ' list item, lined up with the items above, was expected here"
    if "node content" in problem:
        return "a value is missing here"
    if "tab" in problem:
        return "a tab stands here, where YAML expects spaces"
    return "this cannot be read as YAML"


def _plain_context(context: str) -> str:
    """The structure the parser was reading, in plain words."""
    for words, plain in (("block mapping", "the `key: value` lines"),
                         ("block collection", "the '- ' list"),
                         ("flow sequence", "the [ ] list"), ("flow mapping", "the { } mapping"),
                         ("quoted scalar", "the quoted value"), ("block scalar", "the | or > text"),
                         ("anchor", "the anchor (&name)"), ("alias", "the alias (*name)"),
                         ("simple key", "the key")):
        if words in context:
            return plain
    return "the value"
