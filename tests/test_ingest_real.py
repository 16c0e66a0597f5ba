"""Real journal PDFs and PMC texts from ../shared/real (skipped when absent).

Assertions are structural (page counts, no running lines, column order from the character
boxes, tables with rows); no text of these files is copied here.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from extractor.ingest.clean import furniture_key
from extractor.ingest.load import load
from extractor.records import Document

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "real"
PDFS = {
    "rct_trial__10078083__PMC1728725.pdf": 8,
    "rct_trial__12862299__PMC6654512.pdf": 7,
    "rct_trial__27233239__PMC4884402.pdf": 9,
    "rct_trial__32865004__PMC7594536.pdf": 12,
    "cermine-test5-meta-analysis.pdf": 7,
}
PROSE_LINE_CHARS = 30
MAX_COLUMN_SWITCHES_PER_PAGE = 8  # floats and captions add a few; interleaving adds dozens

pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real not present")


@pytest.fixture(scope="module", params=sorted(PDFS))
def real_pdf(request: pytest.FixtureRequest) -> tuple[str, Document]:
    (doc,) = load(REAL / "pdfs" / request.param)
    return request.param, doc


def _page_lines(doc: Document, number: int) -> list[tuple[int, str]]:
    page = doc.pages[number - 1]
    out, start = [], page.start
    for line in doc.text[page.start : page.end].split("\n"):
        out.append((start, line))
        start += len(line) + 1
    return out


def test_pages_and_text(real_pdf: tuple[str, Document]) -> None:
    name, doc = real_pdf
    assert len(doc.pages) == PDFS[name]
    assert all(p.end - p.start > 500 for p in doc.pages)
    assert "\ufffe" not in doc.text and "\ufb01" not in doc.text and "\u00ad" not in doc.text
    assert doc.boxes is not None and len(doc.boxes) == len(doc.text)


def test_no_running_line_left_on_several_pages(real_pdf: tuple[str, Document]) -> None:
    _, doc = real_pdf
    pages_with: Counter[str] = Counter()
    for page in doc.pages:
        lines = _page_lines(doc, page.number)
        edges = [line for _, line in lines[:3] + lines[-3:]]
        pages_with.update({furniture_key(line) for line in edges if len(furniture_key(line)) > 8})
    # a figure legend may legitimately recur on two pages; furniture recurs on (nearly) all
    repeated = {k: n for k, n in pages_with.items() if n > 2}
    assert not repeated


def test_column_reading_order(real_pdf: tuple[str, Document]) -> None:
    """Lines follow one column down, then the next: few left/right switches per page."""
    _, doc = real_pdf
    assert doc.boxes is not None
    for page in doc.pages:
        width = page.width or 600.0
        sides = []
        for start, line in _page_lines(doc, page.number):
            box = doc.bbox_of(start, start + len(line))
            if box is None or box[2] - box[0] > 0.55 * width or len(line) < PROSE_LINE_CHARS:
                continue  # full-width lines and short table cells are not column prose
            sides.append("L" if box[2] <= width / 2 + 5 else "R" if box[0] >= width / 2 - 5 else "M")
        switches = sum(1 for a, b in zip(sides, sides[1:]) if {a, b} == {"L", "R"})
        assert switches <= MAX_COLUMN_SWITCHES_PER_PAGE, (page.number, switches)


def test_sections_in_order(real_pdf: tuple[str, Document]) -> None:
    _, doc = real_pdf
    names = [s.name for s in doc.sections]
    for name in ("methods", "results", "discussion", "tables"):
        assert name in names
    assert names.index("methods") < names.index("results") < names.index("discussion") < names.index("tables")


def test_results_tables_have_rows(real_pdf: tuple[str, Document]) -> None:
    _, doc = real_pdf
    big = [t for t in doc.tables if len(t.rows) >= 3 and t.label]
    assert big
    for table in big:
        assert table.page is not None and table.caption.lower().startswith("table")
        for row in table.rows:
            assert doc.text[row.start : row.end] == " | ".join(row.cells)


@pytest.mark.skipif(not (REAL / "texts").is_dir(), reason="no texts")
def test_pmc_texts_load_as_text() -> None:
    paths = sorted((REAL / "texts").glob("*.txt"))
    assert len(paths) == 12
    for path in paths:
        (doc,) = load(path)
        assert doc.kind == "text" and doc.title and not doc.warnings
        names = [s.name for s in doc.sections]
        assert "abstract" in names or "introduction" in names, path.name
        assert any(n in names for n in ("methods", "results", "discussion")), path.name
