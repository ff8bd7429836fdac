"""`python -m sourcebook …`: the same command line as the `sourcebook` command."""

import sys

from .cli import main

sys.exit(main())
