"""404.html: "page not found", with links home and to every topic. GitHub Pages serves it for
any missing address at any depth, so its links start from the base path (routes.Linker)."""

from __future__ import annotations

from typing import Any

from ... import routes
from ..kinds import Here, PageKind
from ..reader import Reader


def _view(_read: Reader, _here: Here) -> dict[str, Any]:
    return {}


NOT_FOUND = PageKind("404", "404.html", lambda _key: routes.not_found(), _view,
                     in_sitemap=False)
