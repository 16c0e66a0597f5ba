"""Build the part-D corpus PDFs (d03, d06) from their sources in corpus/src/.

Usage:  python corpus/tools/make_pdfs_d.py            # all part-D PDFs
        python corpus/tools/make_pdfs_d.py d06        # only stems starting with d06

No layout code of its own: the source markup is the one of make_pdfs_b.py (read its docstring) and
the layouts are reused by import:

    layout: twocol    make_pdfs_c.build_twocol_wide — two columns, ``[table wide]`` tables span the page top
    layout: single    make_pdfs_b.build — single column report with wide ruled tables and footnotes
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_pdfs_b as b  # noqa: E402
import make_pdfs_c as c  # noqa: E402


def main(argv: list[str]) -> None:
    b.build_part("d", argv, {"twocol": c.build_twocol_wide})


if __name__ == "__main__":
    main(sys.argv[1:])
