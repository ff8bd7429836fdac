"""Where things live in a project (docs/format.md, "A project"): constants every stage may use,
importable without loading anything heavy."""

SITE_FILE = "content/site.yaml"
SITE_DIR = "site"  # where `build` writes the site unless told otherwise (--out)
SEEDS_DIR = "seeds"
ARCHIVE_DIR = "archive"  # the originals `import` kept: archive/<source>.<suffix>
SOURCES_DIR = "content/sources"
TOPICS_DIR = "content/topics"
ENTITIES_FILE = "content/entities.yaml"
STATUS_FILE = "content/status.yaml"
OUTLETS_FILE = "content/outlets.yaml"
FINDINGS_FILE = "content/findings.md"
FACTS_DIR = "content/facts"  # written by the build: an output, never an input
TEMPLATES_DIR = "templates"
# The folders whose files are the build's inputs (FACTS_DIR excepted).
INPUT_FOLDERS = ("seeds", "archive", "content", "templates")


def seed_path(source_id: str) -> str:
    """Where a source's seed is: seeds/<source>.txt."""
    return f"{SEEDS_DIR}/{source_id}.txt"


def annotation_path(source_id: str) -> str:
    """Where a source's annotation is: content/sources/<source>.yaml."""
    return f"{SOURCES_DIR}/{source_id}.yaml"


def topic_path(topic_id: str) -> str:
    """Where a topic's file is: content/topics/<topic>.md."""
    return f"{TOPICS_DIR}/{topic_id}.md"


def fact_file_path(fact_id: str) -> str:
    """Where the build writes a fact's file: content/facts/<fact>.yaml."""
    return f"{FACTS_DIR}/{fact_id}.yaml"
