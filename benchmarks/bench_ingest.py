"""Speed of PDF ingestion against pdfplumber's extract_text, on one core.

    python benchmarks/bench_ingest.py [FILE ...] [--rounds N] [--no-memory] [--per-file]

Files: the arguments, else ../shared/real/pdfs/*.pdf (when present) plus corpus/*.pdf.
Three readers are timed over all files, interleaved round by round so machine noise hits
them alike: (a) pdfplumber ``extract_text`` on every page, (b) our ``load()`` (pypdfium2
text and character boxes, tables, cleanup, sections), (c) raw pypdfium2 ``get_text_range``
on every page (the floor). Reported: pages, seconds (median of the rounds), pages/s, docs/s,
and the ratio (b)/(a) (target at most 0.5); peak Python heap per reader (tracemalloc, a
separate untimed pass: pdfium's own C allocations are not seen) and the process's max RSS;
and how many pages load() handed to pdfplumber.
"""

from __future__ import annotations

import argparse
import logging
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor.ingest import pdftables  # noqa: E402
from extractor.ingest.load import load  # noqa: E402

TARGET_RATIO = 0.5


def default_files() -> list[Path]:
    real = ROOT.parent / "shared" / "real" / "pdfs"
    files = sorted(real.glob("*.pdf")) if real.is_dir() else []
    return files + sorted((ROOT / "corpus").glob("*.pdf"))


def plumber_text(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
        return len(pdf.pages)


def ours(path: Path) -> int:
    (doc,) = load(path)
    return len(doc.pages)


def pdfium_text(path: Path) -> int:
    pdf = pdfium.PdfDocument(str(path))
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
        return len(pdf)
    finally:
        pdf.close()


READERS: dict[str, Callable[[Path], int]] = {
    "(a) pdfplumber extract_text": plumber_text,
    "(b) load()": ours,
    "(c) pypdfium2 get_text_range": pdfium_text,
}


def run(reader: Callable[[Path], int], files: list[Path]) -> tuple[float, int, list[float]]:
    pages = 0
    per_file: list[float] = []
    start = time.perf_counter()
    for path in files:
        t = time.perf_counter()
        pages += reader(path)
        per_file.append(time.perf_counter() - t)
    return time.perf_counter() - start, pages, per_file


def peak_heap(reader: Callable[[Path], int], files: list[Path]) -> float:
    tracemalloc.start()
    try:
        for path in files:
            reader(path)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def plumber_pages(files: list[Path]) -> int:
    """Pages load() hands to pdfplumber (counted by wrapping the lazy opener)."""
    count = 0
    original = pdftables._Plumber.page

    def counting(self: pdftables._Plumber, number: int) -> object:
        nonlocal count
        count += 1
        return original(self, number)

    pdftables._Plumber.page = counting  # type: ignore[method-assign]
    try:
        for path in files:
            load(path)
    finally:
        pdftables._Plumber.page = original  # type: ignore[method-assign]
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--per-file", action="store_true")
    args = parser.parse_args()
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    files = args.files or default_files()
    if not files:
        sys.exit("no PDF files")
    load(files[0])  # warm up: imports, rule files

    seconds: dict[str, list[float]] = {name: [] for name in READERS}
    per_file: dict[str, list[list[float]]] = {name: [] for name in READERS}
    pages: dict[str, int] = {}
    ratios: list[float] = []
    for _ in range(args.rounds):
        for name, reader in READERS.items():
            took, n, files_took = run(reader, files)
            seconds[name].append(took)
            per_file[name].append(files_took)
            pages[name] = n
        ratios.append(seconds["(b) load()"][-1] / seconds["(a) pdfplumber extract_text"][-1])

    print(f"{len(files)} files, {pages['(b) load()']} pages, {args.rounds} rounds (median shown), 1 job")
    print(f"{'reader':<32}{'pages':>7}{'seconds':>10}{'pages/s':>10}{'docs/s':>9}{'peak MiB':>10}")
    for name, reader in READERS.items():
        took = statistics.median(seconds[name])
        heap = "" if args.no_memory else f"{peak_heap(reader, files):10.1f}"
        print(f"{name:<32}{pages[name]:>7}{took:>10.2f}{pages[name] / took:>10.1f}{len(files) / took:>9.2f}{heap}")
    ratio = statistics.median(ratios)
    verdict = "ok" if ratio <= TARGET_RATIO else "OVER TARGET"
    print(f"ratio (b)/(a): {ratio:.3f} (per round: {', '.join(f'{r:.3f}' for r in ratios)}; target <= {TARGET_RATIO}: {verdict})")
    print(f"pages given to pdfplumber by load(): {plumber_pages(files)} of {pages['(b) load()']}")
    print(f"max RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    if args.per_file:
        print(f"\n{'file':<44}{'(a) s':>8}{'(b) s':>8}{'(c) s':>8}{'b/a':>7}")
        for i, path in enumerate(files):
            a, b, c = (statistics.median(r[i] for r in per_file[name]) for name in READERS)
            print(f"{path.name[:43]:<44}{a:>8.3f}{b:>8.3f}{c:>8.3f}{b / a:>7.2f}")


if __name__ == "__main__":
    main()
