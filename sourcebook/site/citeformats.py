"""How a reader cites one fact of the research: a permalink, a plain-text citation and a BibTeX
entry, made here so that templates only show them (and a script only copies them)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import routes
from ..content.model import SiteConfig

_BIBTEX_SPECIAL = re.compile(r"([\\{}%&$#_^~])")


@dataclass(frozen=True, slots=True)
class FactCitation:
    """A fact as a reader cites it."""

    permalink: str  # the fact's address on its topic page, absolute when the site has a host
    plain: str
    bibtex: str


def bibtex_text(text: str) -> str:
    """Text safe inside a BibTeX field: its special characters escaped."""
    return _BIBTEX_SPECIAL.sub(lambda m: {"\\": r"\textbackslash{}", "^": r"\^{}",
                                          "~": r"\~{}"}.get(m.group(1), "\\" + m.group(1)), text)


def fact_citation(config: SiteConfig, fact_id: str, statement: str, home: routes.Url,
                  evidence: tuple[str, ...]) -> FactCitation:
    """How to cite a fact: its statement, the research it belongs to, its permalink and the
    sources it rests on (`evidence`: how citations name them, 'Mint, 12 April 2021')."""
    link = config.absolute(home) or config.base_url.rstrip("/") + "/" + str(home).lstrip("/")
    rests_on = "; ".join(evidence)
    licence = f" Licence: {config.licence}." if config.licence else ""
    plain = (f"“{statement.rstrip('.')}.” {config.title}, fact “{fact_id}”. {link}"
             f" (evidence: {rests_on}).{licence}")
    fields = [("title", bibtex_text(statement.rstrip("."))), ("url", link),
              ("note", bibtex_text(f"{config.title}, fact {fact_id}; evidence: {rests_on}"))]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    key = "fact:" + fact_id
    return FactCitation(link, plain, f"@misc{{{key},\n{body}\n}}")
