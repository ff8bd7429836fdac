"""Reading user files as text: UTF-8, a leading BOM dropped, bad bytes located."""

from __future__ import annotations

import codecs
import json
import shlex
from pathlib import PurePosixPath

from ..diagnostics import Diagnostics, Location, text_location

BOM = "\ufeff"


def decode_text(data: bytes, rel: str, diags: Diagnostics) -> str | None:
    """UTF-8 with a leading BOM dropped; undecodable bytes are located by line and column.

    rel is the file's path from the project root, as the hints name it."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8", errors="replace")
        diags.error(text_location(rel, good, len(good)),
                    f"not valid UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded",
                    "save the file as UTF-8 text", *conversion_hints(data, rel))
        return None
    if "\x00" in text:
        line = text_location(rel, text, text.index("\x00")).line
        diags.error(Location(rel, line, 1), "this looks like a binary file, not text",
                    "sourcebook reads UTF-8 text files; save it as plain text")
        return None
    return text.removeprefix(BOM)


def conversion_hints(data: bytes, rel: str) -> list[str]:
    """The commands that convert a file to UTF-8, when its bytes tell which encoding it is in:
    UTF-16 by its byte-order mark, else Windows-1252 (a superset of Latin-1's letters) if
    every byte decodes as that. None for a file that mixes UTF-8 with other bytes: converting
    it whole would garble the characters that are already right."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        iconv_from, python_from = "UTF-16", "utf-16"
    else:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            return []  # bytes 0x81, 0x8d, 0x8f, 0x90, 0x9d: some other encoding
        if "\x00" in text or _has_utf8_sequences(data):
            return []
        iconv_from, python_from = "WINDOWS-1252", "cp1252"
    name = PurePosixPath(rel)
    path, tmp_path = shlex.quote(rel), shlex.quote(str(name.with_name(
        f"{name.stem}.utf8{name.suffix}")))
    # The Python form rewrites the bytes only: line endings stay as they are.
    script = (f"import pathlib; p = pathlib.Path({json.dumps(rel)}); "
              f"p.write_bytes(p.read_bytes().decode({json.dumps(python_from)}).encode(\"utf-8\"))")
    return [f"it reads as {iconv_from} text; to convert it to UTF-8, run in the project folder: "
            f"iconv -f {iconv_from} -t UTF-8 {path} > {tmp_path} && mv {tmp_path} {path}",
            f"or, with Python: python3 -c {shlex.quote(script)}"]


def _has_utf8_sequences(data: bytes) -> bool:
    """Whether the bytes hold any well-formed UTF-8 character beyond ASCII."""
    return any(ord(char) > 0x7F and char != "\ufffd"
               for char in data.decode("utf-8", errors="replace"))
