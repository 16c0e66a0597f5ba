"""PDF tables: strict captions, rows from pdfium lines, merged header/label lines, regions,
page and row boxes, and pdfplumber only under a ruled grid.

Uses the generated fixtures and the corpus PDFs of this repository (corpus/*.pdf).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.ingest import pdftables
from extractor.ingest.load import load
from extractor.records import Document, Table

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "ingest"
CORPUS = ROOT / "corpus"
REAL = ROOT.parent / "shared" / "real" / "pdfs"


def _doc(path: Path) -> Document:
    (doc,) = load(path)
    return doc


def _table(doc: Document, label: str) -> Table:
    return next(t for t in doc.tables if t.label == label)


@pytest.fixture(scope="module")
def voclosporin() -> Document:
    return _doc(CORPUS / "a01_voclosporin_rct.pdf")


@pytest.mark.parametrize(
    "line,label",
    [
        ("Table 1. Baseline characteristics", "Table 1"),
        ("TABLE II Predictors of conversion", "Table II"),
        ("Table 3 (Continued)", "Table 3"),
        ("Table 4", "Table 4"),
        ("Table 2 shows the renal outcomes", None),
        ("table 2). They were similar", None),
        ("(Table 1) and", None),
        ("as shown in Table 1.", None),
    ],
)
def test_caption_is_a_line_start_not_a_mention(line: str, label: str | None) -> None:
    assert pdftables.caption_match(line) == label


def test_multi_line_header_cells_are_merged(voclosporin: Document) -> None:
    table = _table(voclosporin, "Table 1")
    assert table.rows[0].cells == ["Characteristic", "Voclosporin (n = 179)", "Placebo (n = 178)"]
    assert _table(voclosporin, "Table 2").rows[0].cells[1] == "Voclosporin (n = 179)"
    assert all(len(row.cells) == 3 for row in table.rows)  # a label and one cell per column
    egfr = next(row for row in table.rows if row.cells[0].startswith("eGFR"))
    assert egfr.cells == ["eGFR, mL/min/1.73 m², mean (SD)", "91.5 (30.1)", "89.8 (29.3)"]


def test_header_without_first_column_label_is_merged() -> None:
    table = _table(_doc(CORPUS / "a04_mmf_vs_ivc_induction.pdf"), "Table 1")
    assert table.rows[0].cells == ["Characteristic", "Mycophenolate mofetil (N=71)", "Cyclophosphamide (N=69)"]


def test_wrapped_labels_are_joined() -> None:
    table = _table(_doc(CORPUS / "a04_mmf_vs_ivc_induction.pdf"), "Table 1")
    labels = [row.cells[0] for row in table.rows]
    assert "Urinary protein — g/24 hr, median (IQR)" in labels
    assert "median (IQR)" not in labels
    row = table.rows[labels.index("Urinary protein — g/24 hr, median (IQR)")]
    assert row.cells[1:] == ["3.9 (2.4–6.1)", "4.4 (2.6–7.0)"]
    complete = _table(_doc(CORPUS / "a01_voclosporin_rct.pdf"), "Table 2")
    assert "Complete renal response, n/N (%)" in [r.cells[0] for r in complete.rows]


def test_table_ends_before_the_body_text(voclosporin: Document) -> None:
    for table in voclosporin.tables:
        assert table.rows[-1].cells[1]  # the last row holds values, not a footnote or heading
        assert not any(len(" ".join(row.cells).split()) > 20 for row in table.rows)


def test_regions_are_the_flattened_table_in_the_page_text(voclosporin: Document) -> None:
    doc = voclosporin
    tables_start = next(s.start for s in doc.sections if s.name == "tables")
    for table in doc.tables:
        assert table.regions
        body = " ".join(doc.text[a:b] for a, b in table.regions)
        assert all(0 <= a < b <= tables_start for a, b in table.regions)
        assert body.startswith(table.caption.split()[0])
        for row in table.rows[1:]:
            for cell in row.cells[1:]:
                assert cell in body  # every value is inside the spans Context skips


def test_page_and_row_boxes_of_appended_rows(voclosporin: Document) -> None:
    for table in voclosporin.tables:
        assert table.page == 2 and table.bbox is not None
        for row in table.rows:
            assert row.bbox is not None
            assert voclosporin.page_of(row.start) == 2
            assert voclosporin.bbox_of(row.start, row.end) == row.bbox


def test_ruled_table_uses_pdfplumber_and_records_regions() -> None:
    doc = _doc(FIXTURES / "two_column.pdf")
    (table,) = doc.tables
    assert table.source == "pdfplumber" and table.regions
    body = " ".join(doc.text[a:b] for a, b in table.regions)
    assert "Complete renal response" in body and body.startswith("Table 2")


def test_pdfplumber_not_opened_without_a_ruled_grid(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(self: object, number: int) -> None:
        raise AssertionError(f"pdfplumber opened for page {number}")

    monkeypatch.setattr(pdftables._Plumber, "page", fail)
    for name in ("a01_voclosporin_rct.pdf", "b04_iga_methylpred.pdf", "b05_rtx_refractory_ln_series.pdf"):
        assert _doc(CORPUS / name).tables


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real not present")
def test_real_pdfs_touch_pdfplumber_only_on_ruled_table_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[tuple[str, int]] = []
    original = pdftables._Plumber.page

    def counting(self: pdftables._Plumber, number: int) -> object:
        opened.append((self.path.name, number))
        return original(self, number)

    monkeypatch.setattr(pdftables._Plumber, "page", counting)
    for path in sorted(REAL.glob("*.pdf")):
        doc = _doc(path)
        assert all(t.regions and t.page for t in doc.tables if t.label), path.name
    assert {name for name, _ in opened} <= {"rct_trial__32865004__PMC7594536.pdf"}
    assert len(opened) <= 3
