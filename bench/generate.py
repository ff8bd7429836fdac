"""Deterministic synthetic research sets for benchmarks and stress tests.

N sources of about 600 words of news-like text, 10 claims per source anchored on real
sentences, 20 topics, about 10 % of facts shared between two sources, and a few hundred
entities. The same (n, seed) always gives the same files.

    python bench/generate.py OUT_DIR --sources 1000 [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TOPICS = 20
ENTITIES = 300
CLAIMS_PER_SOURCE = 10
SHARED_EVERY = 10  # one claim in ten cites a fact that another source also reports

FIRST = ("Asha Anil Bela Chen Dara Emil Farah Gita Hugo Iman Jonas Kiran Lena Mira Nadia Omar "
         "Priya Quinn Ravi Sara Tariq Uma Vikram Wen Yusuf Zara").split()
LAST = ("Rao Singh Novak Ito Haddad Kumar Lindqvist Mehta Okafor Petrov Quispe Rossi Sato "
        "Tanaka Usman Varga Weber Xu Yilmaz Zhou").split()
ROLES = ("defence minister", "foreign secretary", "spokesperson", "analyst", "ambassador",
         "procurement chief", "senator", "general")
PLACES = ("Delhi", "Moscow", "Washington", "Canberra", "Tokyo", "Ankara", "Paris", "Berlin")
THINGS = ("air-defence systems", "frigates", "assault rifles", "fighter jets", "radar units",
          "helicopters", "missile batteries", "patrol boats", "transport aircraft", "drones")
VERBS = ("signed", "announced", "delayed", "approved", "reviewed", "questioned", "expanded",
         "cancelled", "welcomed", "criticised")
FILLER = (
    "Officials familiar with the talks described the mood as cautious but constructive.",
    "The statement did not say when deliveries would begin.",
    "Analysts said the decision reflected long-standing supply relationships.",
    "Neither side disclosed the full terms of the arrangement.",
    "The ministry declined to comment further on the matter.",
    "Observers expect the issue to return at the next round of talks.",
    "Markets showed little reaction to the announcement.",
    "The opposition called for a parliamentary debate on the deal.",
)


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def claim_sentence(rng: random.Random, tag: str) -> str:
    """A sentence that carries a claim; the tag makes it unique in its seed."""
    count = rng.randint(2, 900)
    year = rng.randint(2015, 2024)
    return (f"In {year}, {rng.choice(PLACES)} {rng.choice(VERBS)} a deal for {count} "
            f"{rng.choice(THINGS)} worth {rng.randint(1, 90)}.{rng.randint(1, 9)} billion "
            f"dollars, according to officials cited in report {tag}.")


def generate(out: Path, sources: int, seed: int = 1) -> Path:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    for folder in ("seeds", "content/sources", "content/topics"):
        (out / folder).mkdir(parents=True)
    (out / "content/site.yaml").write_text(
        "title: Synthetic research set\ndescription: Generated for benchmarks.\n"
        "question: How fast is sourcebook?\nbase_url: https://bench.example.org/\n"
        "language: en\nlicence: CC0\n", "utf-8")
    for t in range(TOPICS):
        (out / f"content/topics/topic-{t:02d}.md").write_text(
            f"---\ntitle: Topic {t}\nsummary: Synthetic topic {t}.\naliases: [topic {t}]\n"
            f"order: {t}\n---\nAn introduction to topic {t}.\n", "utf-8")
    entity_ids = [f"person-{e:03d}" for e in range(ENTITIES)]
    (out / "content/entities.yaml").write_text("".join(
        f"{eid}:\n  name: {person(rng)}\n  kind: person\n  role: {rng.choice(ROLES)}\n"
        for eid in entity_ids), "utf-8")

    shared_pending: list[tuple[str, str]] = []  # (fact id, statement) waiting for a 2nd source
    for s in range(sources):
        sentences = []
        claims = []
        for c in range(CLAIMS_PER_SOURCE):
            sentence = claim_sentence(rng, f"{s}-{c}")
            if c % SHARED_EVERY == 0 and shared_pending and rng.random() < 0.5:
                fact_id, statement = shared_pending.pop()
                claims.append((fact_id, sentence, None))
            else:
                fact_id = f"fact-{s}-{c}"
                statement = f"Synthetic fact {s}.{c}: {sentence[:60]}"
                if c % SHARED_EVERY == 0:
                    shared_pending.append((fact_id, statement))
                claims.append((fact_id, sentence, statement))
            sentences.append(sentence)
            sentences.extend(rng.sample(FILLER, 4))
        text = (f"Report {s}\n\nBy {person(rng)}\n\n"
                + "\n\n".join(" ".join(sentences[i:i + 5]) for i in range(0, len(sentences), 5))
                + "\n\nShare this article\n")
        (out / f"seeds/s{s:05d}.txt").write_text(text, "utf-8")
        year, month, day = rng.randint(15, 24), rng.randint(1, 12), rng.randint(1, 28)
        lines = [f"title: Synthetic report {s}",
                 f"published: 20{year}-{month:02d}-{day:02d}",
                 # a web archive's copy, as a real research set has (else `check` warns)
                 f"archive_url: https://web.archive.org/web/20{year}{month:02d}{day:02d}/"
                 f"https://news.example.org/report-{s}",
                 "exclude:", '  - "Share this article"', "claims:"]
        for fact_id, sentence, statement in claims:
            lines.append(f"  - fact: {fact_id}")
            lines.append(f'    quote: "{sentence}"')
            if statement is not None:
                lines.append(f"    topics: [topic-{rng.randrange(TOPICS):02d}]")
                lines.append(f'    statement: "{statement}"')
                lines.append(f"    speaker: {rng.choice(entity_ids)}")
        (out / f"content/sources/s{s:05d}.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--sources", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.sources, args.seed)
    print(f"wrote {args.sources} sources to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
