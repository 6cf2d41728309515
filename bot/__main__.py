"""`python -m bot`, the entry point people know: the command line lives in the composition root
(app/__main__.py); this is the one module of `bot` allowed to reach up to it."""

from __future__ import annotations

import sys

from app.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
