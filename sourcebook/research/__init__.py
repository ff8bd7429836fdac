"""The facts stage: anchored claims → facts, their evidence and corroboration, passages, the
entities they name, and the YAML fact files (facts.build_research)."""
