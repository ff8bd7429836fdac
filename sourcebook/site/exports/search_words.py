"""The words of search records as static/search.js sees them, for the sharded search index.

static/search.js finds a record when every word of the query starts a word of the record,
after folding both (lower case, accents removed, typographic quotes and dashes made ASCII).
Folding works across scripts: Cyrillic "ё" folds to the plain Cyrillic e and a stress mark
goes, but "й" stays "й" (a letter of its own, not "и" with an accent); a Devanagari nukta goes
("क़" is "क"), but the vowel signs, virama and anusvara stay, for they spell the word; the
zero-width joiners that shape a conjunct go. Words are cut at whitespace and punctuation (the
danda "।" included), never at a mark, so a Devanagari word stays whole.
The sharded index (search_index.py) lists, for each such word, the records that hold it, so
the build must cut and fold text exactly as search.js does: `fold`, `words` and `query_terms`
here are line-for-line ports of search.js's functions of the same names (JavaScript's `\\s`
and UTF-16 string order included). tests/test_search_parts.py checks, in Chromium, that a
sharded index lists for a set of queries (accented, hyphenated, quoted, one letter …) what
the one-file index lists, on the bundled project and on a generated one.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Collection, Iterable

# JavaScript's \s: WhiteSpace and LineTerminator (not Python's str.isspace, which differs).
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_SPACES = re.compile(f"[{_JS_SPACE}]+")
# The marks that fold away after NFD: the accents of Latin, Greek and Cyrillic text, and the
# nukta of the Indic scripts (U+093C Devanagari …); not an Indic vowel sign, virama or anusvara.
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
                    "\u093c\u09bc\u0a3c\u0abc\u0b3c\u0c3c\u0cbc]")
_SHORT = re.compile("[\u0418\u0438\u0423\u0443]\u0306")  # Й й Ў ў after NFD: kept whole
_JOINERS = re.compile("[\u200c\u200d]")  # zero-width non-joiner and joiner
_SINGLE_QUOTES = re.compile("[\u2018\u2019\u201a\u201b\u2032\u02bc]")
_DOUBLE_QUOTES = re.compile("[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]")
_DASHES = re.compile("[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
_PUNCT = "!-/:-@\\[-`{-~\u0964\u0965"  # ASCII punctuation, the danda and double danda
_SEPARATORS = re.compile(
    f"[{_JS_SPACE}{_PUNCT}\u00a0-\u00bf\u00d7\u00f7\u2000-\u206f\u3000-\u303f]+")
_EDGES = re.compile(f"^[{_PUNCT}]+|[{_PUNCT}]+$")
KIND_ORDER = {"topic": 0, "fact": 1, "entity": 2, "source": 3}  # search.js's KIND_ORDER


def fold(text: str) -> str:
    """Lower-case, accents and nuktas removed, typographic quotes and dashes made ASCII
    (search.js's fold)."""
    text = _SHORT.sub(lambda m: unicodedata.normalize("NFC", m.group()),
                      unicodedata.normalize("NFD", text))
    text = _MARKS.sub("", _JOINERS.sub("", text))
    text = _DASHES.sub("-", _DOUBLE_QUOTES.sub('"', _SINGLE_QUOTES.sub("'", text)))
    return text.lower()


def _edges(token: str) -> str:
    return _EDGES.sub("", token)


def words(folded: str) -> list[str]:
    """The words of folded text (search.js's words): each whitespace-separated token without
    edge punctuation, its pieces between any punctuation, and the pieces run together."""
    out: list[str] = []
    for token in _SPACES.split(folded):
        out.extend(_token_words(token))
    return out


@functools.lru_cache(maxsize=1 << 16)
def _token_words(token: str) -> tuple[str, ...]:
    if token.isascii() and token.isalnum():
        return (token,)
    out = []
    whole = _edges(token)
    if whole:
        out.append(whole)
    pieces = [piece for piece in _SEPARATORS.split(token) if piece]
    out.extend(piece for piece in pieces if piece != whole)
    if len(pieces) > 1:
        out.append("".join(pieces))
    return tuple(out)


def record_words(record: dict[str, str]) -> tuple[set[str], set[str]]:
    """The words of a record's title haystack and of its whole haystack (search.js's
    `prepare`): a topic is named by its aliases and summary as much as by its title. (Words
    are found token by token, so the words of "title text meta" are those of each part.)"""
    title = set(words(fold(record["title"])))
    every = title.union(words(fold(record["text"])), words(fold(record["meta"])))
    return (every if record["kind"] == "topic" else title), every


def sort_key(record: dict[str, str]) -> tuple[int, bytes, bytes]:
    """The order search.js ranks records of the same rank in: kind, folded title, href, with
    strings compared by UTF-16 code units as JavaScript's < does."""
    return (KIND_ORDER.get(record["kind"], 3), fold(record["title"]).encode("utf-16-be"),
            record["href"].encode("utf-16-be"))


def shard_file(key: str) -> str:
    """The file name of a shard (search.js's shardFile): a-z and 0-9 as they are, any other
    character as _<hex code point>_, so that every name is safe in a URL and on any disk."""
    return "".join(c if ("a" <= c <= "z" or "0" <= c <= "9") else f"_{ord(c):x}_"
                   for c in key)


def query_terms(query: str) -> list[tuple[str, list[str]]]:
    """A query's words, each whole and as its pieces (search.js's queryTerms)."""
    terms = []
    for token in _SPACES.split(fold(query)):
        whole = _edges(token)
        pieces = [piece for piece in _SEPARATORS.split(whole) if piece] if whole else []
        if pieces:
            terms.append((whole, pieces))
    return terms


def query_strings(query: str) -> list[str]:
    """Every string whose records a query needs: each word whole, and each piece of a word
    that search.js would also match piece by piece."""
    found: dict[str, None] = {}
    for whole, pieces in query_terms(query):
        found[whole] = None
        if not (len(pieces) < 2 and pieces[0] == whole):
            found.update(dict.fromkeys(pieces))
    return list(found)


def shard_of(text: str, words: Collection[str], prefixes: Collection[str]) -> str | None:
    """The shard that search.js loads for a query string (search.js's shardOf): the longest
    key that starts it, of the shards of words (`words`) and of prefixes (`prefixes`, a shard
    that lists under its key every record with a word starting with it, and that stands for
    a shard too large to load, split into the shards of its longer keys). None: no record has
    a word starting with `text`."""
    for n in range(len(text), 0, -1):
        if text[:n] in words:
            return text[:n]
        if text[:n] in prefixes:
            return text if n == len(text) else None
    return None


def query_shards(query: str, words: Collection[str], prefixes: Collection[str]) -> list[str]:
    """The shards that search.js loads for a query, in order, each once."""
    found = (shard_of(text, words, prefixes) for text in query_strings(query))
    return list(dict.fromkeys(key for key in found if key is not None))


def encode_ids(ids: Iterable[int]) -> str:
    """Ascending record numbers, compactly: runs of consecutive numbers, each as the gap since
    the previous run in base 36 and, if it is longer than one, "." and its length less one;
    runs separated by ","."""
    out: list[str] = []
    previous = start = end = -2
    for n in ids:
        if n == end + 1:
            end = n
            continue
        if start >= 0:
            out.append(_run(start - previous - 1, end - start))
            previous = end
        else:
            previous = -1
        start = end = n
    if start >= 0:
        out.append(_run(start - previous - 1, end - start))
    return ",".join(out)


def _run(gap: int, extra: int) -> str:
    return f"{_b36(gap)}.{_b36(extra)}" if extra else _b36(gap)


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_SMALL = [a + b for a in ("", *_DIGITS[1:]) for b in _DIGITS]  # 0 … 1295 in base 36


def _b36(n: int) -> str:
    if n < len(_SMALL):
        return _SMALL[n]
    text = ""
    while n:
        n, r = divmod(n, 36)
        text = _DIGITS[r] + text
    return text


def decode_ids(text: str) -> list[int]:
    """The record numbers that `encode_ids` wrote (for tests and tools)."""
    ids: list[int] = []
    previous = -1
    for run in filter(None, text.split(",")):
        gap, _, extra = run.partition(".")
        start = previous + 1 + int(gap, 36)
        end = start + (int(extra, 36) if extra else 0)
        ids.extend(range(start, end + 1))
        previous = end
    return ids
