"""`python -m openspeakers.text.compile CACHE_DIR LANG`: one grammar built in a process of its
own (text/normalize.py runs it so that compiling never holds a server's GIL)."""

from __future__ import annotations

import sys
from pathlib import Path

from openspeakers.text.normalize import compile_language

if __name__ == "__main__":
    compile_language(Path(sys.argv[1]), sys.argv[2])
