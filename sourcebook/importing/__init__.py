"""`python build.py import`: saved web pages, URLs and reference-manager exports turned into
seeds, archived originals and draft annotations (docs/format.md, "Importing")."""
