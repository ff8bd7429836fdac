#!/usr/bin/env python3
"""Build the research site: `python build.py [build|check|serve] …` (see README.md)."""

import sys

from sourcebook.cli import main

if __name__ == "__main__":
    sys.exit(main())
