"""PDF ingestion on generated PDFs, one difficulty each (see tests/fixtures/ingest/make_fixtures.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.ingest.load import load
from extractor.records import Document

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"


@pytest.fixture(scope="module")
def two_column() -> Document:
    (doc,) = load(FIXTURES / "two_column.pdf")
    return doc


def test_pages_and_offsets(two_column: Document) -> None:
    doc = two_column
    assert doc.kind == "pdf" and len(doc.pages) == 3
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert doc.pages[0].start == 0 and all(a.end < b.start for a, b in zip(doc.pages, doc.pages[1:]))
    page2 = doc.text[doc.pages[1].start : doc.pages[1].end]
    assert page2.startswith("Results") and "Eighty-two patients were enrolled" in page2
    assert doc.page_of(doc.text.index("Eighty-two patients were enrolled")) == 2
    assert len(doc.sha256) == 64 and doc.doc_id == "two_column"


def test_columns_do_not_interleave(two_column: Document) -> None:
    text = two_column.text.replace("\n", " ")  # same offsets, lines joined
    left_end = text.index("The left column of the first page ends with this sentence about induction therapy.")
    assert left_end < text.index("The right column of the first page starts here with the study design.")
    # a sentence that wraps over three lines of the left column reads whole
    assert "first page ends with this sentence about induction therapy." in text
    assert not two_column.warnings


def test_interleaved_content_stream_is_reordered() -> None:
    (doc,) = load(FIXTURES / "interleaved_columns.pdf")
    flat = doc.text.replace("\n", " ")
    assert "oral mycophenolate mofetil for 24 weeks. Results:" in flat
    assert "Methods: Eighty-two patients were randomised" in flat
    assert flat.index("is shown in Figure 1.") < flat.index("The right column of the first page starts here")
    assert any("re-ordered" in w for w in doc.warnings)


def test_line_end_hyphenation_joined(two_column: Document) -> None:
    assert "intravenous cyclophosphamide or oral" in two_column.text
    assert "cyclophos-" not in two_column.text and "\ufffe" not in two_column.text


def test_ligatures_normalised(two_column: Document) -> None:
    text = two_column.text
    assert "\ufb01" not in text and "\ufb02" not in text
    assert "first infusion" in text.replace("\n", " ") and "flow of patients" in text.replace("\n", " ")


def test_running_header_footer_and_page_numbers_removed(two_column: Document) -> None:
    text = two_column.text
    assert "Journal of Imaginary Nephrology" not in text
    assert "Page 1 of 3" not in text and "Page 2 of 3" not in text
    for line in text.split("\n"):
        assert line.strip() not in {"101", "102", "103"}


def test_character_boxes_follow_the_text(two_column: Document) -> None:
    doc = two_column
    assert doc.boxes is not None and len(doc.boxes) == len(doc.text)
    start = doc.text.index("Kidney involvement")
    box = doc.bbox_of(start, start + len("Kidney involvement"))
    assert box is not None
    x0, top, x1, bottom = box
    assert x0 == pytest.approx(56, abs=2)  # left margin of the left column
    assert 0 < top < bottom < 842 and x1 > x0
    assert doc.boxes[doc.text.index("\n")] is None  # inserted characters have no box


def test_arm_table_rows_and_cells(two_column: Document) -> None:
    doc = two_column
    (table,) = doc.tables
    assert table.label == "Table 2" and table.page == 2 and table.source == "pdfplumber"
    assert table.caption.startswith("Table 2 Renal outcomes at week 24")
    assert table.rows[0].cells == ["Outcome", "Cyclophosphamide (n = 42)", "Mycophenolate (n = 40)", "P value"]
    assert table.rows[1].cells == ["Complete renal response", "18 (42.9)", "15 (37.5)", "0.62"]
    assert len(table.rows) == 5
    for row in table.rows:
        assert doc.text[row.start : row.end] == " | ".join(row.cells)
    assert doc.section_of(table.rows[1].start) == "tables"
    assert table.bbox is not None and table.rows[1].bbox is not None


def test_sections_and_metadata(two_column: Document) -> None:
    doc = two_column
    names = [s.name for s in doc.sections]
    assert names == ["title", "abstract", "introduction", "methods", "results", "discussion", "references", "tables"]
    assert doc.section_of(doc.text.replace("\n", " ").index("Methods: Eighty-two")) == "abstract"  # structured label stays
    assert doc.title == "Low-dose cyclophosphamide versus mycophenolate in the invented LUNA-7 trial"


def test_encrypted_pdf_opens_with_password() -> None:
    (doc,) = load(FIXTURES / "encrypted.pdf", password="lupus")
    assert len(doc.pages) == 3 and "cyclophosphamide" in doc.text


def test_text_named_file_holding_a_pdf_is_read_as_pdf() -> None:
    (doc,) = load(FIXTURES / "really_a_pdf.txt")
    assert doc.kind == "pdf" and len(doc.pages) == 3
