"""Build the part-E corpus PDFs (e05) from their sources in corpus/src/.

Usage:  python corpus/tools/make_pdfs_e.py            # all part-E PDFs
        python corpus/tools/make_pdfs_e.py e05        # only stems starting with e05

No layout code of its own: the source markup is the one of make_pdfs_b.py (read its docstring) and
the single-column layout is reused by import (``make_pdfs_b.build``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from reportlab import rl_config

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_pdfs_b as b  # noqa: E402

SRC = b.SRC


def main(argv: list[str]) -> None:
    rl_config.invariant = 1  # byte-stable output
    b.register_fonts()
    prefix = argv[0] if argv else "e"
    for src in sorted(SRC.glob("e*.md")):
        if not src.stem.startswith(prefix):
            continue
        meta, _ = b.parse(src)
        if meta.get("format", "pdf") != "pdf":
            continue
        print(b.build(src))


if __name__ == "__main__":
    main(sys.argv[1:])
