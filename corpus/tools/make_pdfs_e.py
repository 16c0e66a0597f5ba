"""Build the part-E corpus PDFs (e05) from their sources in corpus/src/.

Usage:  python corpus/tools/make_pdfs_e.py            # all part-E PDFs
        python corpus/tools/make_pdfs_e.py e05        # only stems starting with e05

No layout code of its own: the source markup is the one of make_pdfs_b.py (read its docstring) and
the single-column layout is reused by import (``make_pdfs_b.build``).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_pdfs_b as b  # noqa: E402


def main(argv: list[str]) -> None:
    b.build_part("e", argv)


if __name__ == "__main__":
    main(sys.argv[1:])
