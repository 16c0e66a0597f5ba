"""Build the part-I corpus PDFs (i01 and any other ``corpus/src/i*.md`` with ``format: pdf``).

Usage:  python corpus/tools/make_pdfs_i.py                 # all part-I PDFs, into corpus/
        python corpus/tools/make_pdfs_i.py i01             # only stems starting with i01
        python corpus/tools/make_pdfs_i.py i01 --out DIR   # write the PDFs into DIR (staging)

No layout code of its own: the source markup is the one of make_pdfs_b.py (read its docstring) and
the layouts are reused by import:

    layout: twocol    make_pdfs_c.build_twocol_wide — two columns, running head, page numbers
    layout: single    make_pdfs_b.build — single column report with wide ruled tables and footnotes
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_pdfs_b as b  # noqa: E402
import make_pdfs_c as c  # noqa: E402


def main(argv: list[str]) -> None:
    if "--out" in argv:
        i = argv.index("--out")
        out = Path(argv[i + 1]).resolve()
        out.mkdir(parents=True, exist_ok=True)
        b.ROOT = c.ROOT = out
        argv = argv[:i] + argv[i + 2:]
    b.build_part("i", argv, {"twocol": c.build_twocol_wide})


if __name__ == "__main__":
    main(sys.argv[1:])
