"""Reading user files as text: UTF-8, a leading BOM dropped, bad bytes located."""

from __future__ import annotations

from ..diagnostics import Diagnostics, Location, text_location

BOM = "\ufeff"


def decode_text(data: bytes, rel: str, diags: Diagnostics) -> str | None:
    """UTF-8 with a leading BOM dropped; undecodable bytes are located by line and column."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8", errors="replace")
        diags.error(text_location(rel, good, len(good)),
                    f"not valid UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded",
                    "save the file as UTF-8 text")
        return None
    if "\x00" in text:
        line = text_location(rel, text, text.index("\x00")).line
        diags.error(Location(rel, line, 1), "this looks like a binary file, not text",
                    "sourcebook reads UTF-8 text files; save it as plain text")
        return None
    return text.removeprefix(BOM)
