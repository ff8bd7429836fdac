"""content/site.yaml → SiteConfig."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from ..diagnostics import Diagnostics, Location
from .fields import Fields, did_you_mean
from .layout import SITE_FILE
from .model import COUNT_PLACEHOLDER, COUNTS, Limits, SiteConfig
from .schema import SITE
from .yamldoc import read_yaml_file

_UNSAFE_IN_URL = re.compile(r"[\s\x00-\x1f\x7f\\\"'<>`]")


def load_config(root: Path, diags: Diagnostics, base_url: str | None = None) -> SiteConfig:
    """Read site.yaml; `base_url` (from --base-url) overrides the file's."""
    fallback = SiteConfig(title="Sourcebook", description="", question="",
                          base_url=base_url or "/", language="en", licence="")
    if not os.path.lexists(root / SITE_FILE):
        diags.error(Location(SITE_FILE), "site settings are missing",
                    "create content/site.yaml with at least `title: …`")
        return fallback
    doc = read_yaml_file(root, SITE_FILE, diags)
    if doc is None:
        return fallback
    fields = Fields(doc, diags)
    if not fields.require_mapping("site.yaml"):
        return fallback
    values = fields.read_all(SITE)
    for name in ("description", "question"):
        _check_counts(values[name] or "", fields.loc(name), diags)
    url = base_url if base_url is not None else (values["base_url"] or "/")
    if not _valid_base_url(url):
        where = Location("--base-url") if base_url is not None else fields.loc("base_url")
        diags.error(where, f"base_url {url!r} is not an absolute http(s) URL or a path",
                    "write e.g. https://user.github.io/repo/ or /repo/: no spaces, quotes, "
                    "backslashes, user names, '?' or '#'")
        url = "/"
    return SiteConfig(
        title=values["title"] or "Sourcebook",
        description=values["description"] or "",
        question=values["question"] or "",
        base_url=url if url.endswith("/") else url + "/",
        language=values["language"] or "en",
        licence=values["licence"] or "",
        allow_raw_html=values["allow_raw_html"],
        source_date_epoch=_source_date_epoch(diags),
        limits=Limits(**values["limits"]),
    )


def _check_counts(text: str, where: Location, diags: Diagnostics) -> None:
    """Every `{name}` in the text must be a count the build knows."""
    for match in COUNT_PLACEHOLDER.finditer(text):
        if match.group(1) not in COUNTS:
            known = ", ".join("{" + count + "}" for count in COUNTS)
            diags.error(where, f"unknown count {match.group(0)}",
                        *did_you_mean(match.group(1), COUNTS),
                        f"the build fills in {known} with the research's numbers")


def _source_date_epoch(diags: Diagnostics) -> int | None:
    """The reproducible-builds clock (https://reproducible-builds.org/specs/source-date-epoch/)."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        diags.error(Location("SOURCE_DATE_EPOCH"),
                    f"SOURCE_DATE_EPOCH must be whole seconds since 1970, not '{raw}'",
                    "unset it, or set it to e.g. `git log -1 --format=%ct`")
        return None
    return int(raw)


def _valid_base_url(url: str) -> bool:
    """An http(s) URL with a host, or a path from the root: what every page, robots.txt and
    the 404 page's script links are made from, so nothing that could end a line or an
    attribute, and no way to name another host ('//host', '/\\host') or a user."""
    if _UNSAFE_IN_URL.search(url) or "?" in url or "#" in url:
        return False
    if url.startswith("/"):
        return not url.startswith("//")
    parts = urlsplit(url)
    return (parts.scheme in ("http", "https") and bool(parts.hostname)
            and "@" not in parts.netloc and url.startswith(f"{parts.scheme}://"))
