"""Text, markdown, PubMed and JATS readers; the shared cleanup and section splitter."""

from __future__ import annotations

from pathlib import Path

from extractor.ingest.clean import MarginLine, Run, clean_text, find_furniture, normalize_chars
from extractor.ingest.load import load
from extractor.ingest.sections import heading_name, split_sections

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"


def test_pubmed_set_gives_one_document_per_article() -> None:
    docs = load(FIXTURES / "pubmed_three.xml")
    assert [d.pmid for d in docs] == ["90000001", "90000002", "90000003"]
    assert [d.doc_id for d in docs] == [f"pubmed_three-9000000{n}" for n in (1, 2, 3)]
    first = docs[0]
    assert first.kind == "pubmed" and first.title == "Invented LN trial number 1"
    assert first.year == 2016 and first.doi == "10.9999/imag.1"
    assert "RESULTS: Complete response in 11 of 40 patients." in first.text.split("\n")
    assert "NCT00000001" in first.text
    assert first.section_of(first.text.index("RESULTS:")) == "abstract"
    assert len({d.sha256 for d in docs}) == 1


def test_jats_sections_table_and_references() -> None:
    (doc,) = load(FIXTURES / "jats_table.xml")
    assert doc.kind == "jats" and doc.pmid == "99000042" and doc.year == 2022 and doc.doi == "10.9999/imag.jats"
    assert doc.title == "Tacrolimus add-on in the invented LUNA-9 trial"
    names = [s.name for s in doc.sections]
    assert names == ["title", "abstract", "introduction", "methods", "results", "discussion", "references", "tables"]
    assert doc.section_of(doc.text.index("Remission in 20 of 31")) == "abstract"
    assert doc.section_of(doc.text.index("Roe R. Another imaginary paper")) == "references"
    (table,) = doc.tables
    assert table.source == "jats" and table.label == "Table 1" and table.caption == "Table 1 Renal response at week 52"
    assert [r.cells for r in table.rows][1] == ["Complete response", "20 (64.5)", "12 (38.7)"]
    for row in table.rows:
        assert doc.text[row.start : row.end] == " | ".join(row.cells)


def test_markdown_pipe_table() -> None:
    (doc,) = load(FIXTURES / "arms_table.md")
    assert doc.kind == "markdown" and doc.title == "Voclosporin in an invented nephritis cohort"
    (table,) = doc.tables
    assert table.source == "markdown" and table.label == "Table 3"
    assert [r.cells for r in table.rows] == [
        ["Outcome", "Voclosporin (n = 20)", "Control (n = 21)"],
        ["Complete response", "9 (45.0)", "5 (23.8)"],
        ["Partial response", "6 (30.0)", "7 (33.3)"],
    ]
    for row in table.rows:
        assert doc.text[row.start : row.end] == " | ".join(row.cells)
    assert "---" not in doc.text
    assert doc.section_of(table.rows[1].start) == "results"


def test_tab_separated_table_in_text() -> None:
    for name in ("tabbed.txt", "utf16.txt"):
        (doc,) = load(FIXTURES / name)
        (table,) = doc.tables
        assert table.source == "text"
        assert [r.cells for r in table.rows] == [["Arm", "N", "Female"], ["Rituximab", "20", "18"], ["Placebo", "21", "19"]]
        assert doc.text[table.rows[2].start : table.rows[2].end] == "Placebo | 21 | 19"
        assert not doc.warnings


def test_cp1252_text_decoded_with_warning() -> None:
    (doc,) = load(FIXTURES / "cp1252.txt")
    assert "Naïve patients received 500 mg – the “Euro-Lupus” dose ± steroids; café visits." in doc.text
    assert doc.warnings == ["not valid UTF-8; decoded as cp1252"]


def test_normalisation_keeps_meaning() -> None:
    assert clean_text("e\ufb03cacy and signi\ufb01cant") == "efficacy and significant"
    assert clean_text("cyclophos\u00adphamide") == "cyclophosphamide"
    assert clean_text("1 \u00d7 10\u2076 cells/kg, 1.73 m\u00b2") == "1 \u00d7 10\u2076 cells/kg, 1.73 m\u00b2"
    assert clean_text("2 \u00d7 106 cells/kg") == "2 \u00d7 106 cells/kg"  # lost superscript: not guessed
    assert clean_text("\u22122.1 and 33.1 \u00b1 9.8") == "-2.1 and 33.1 \u00b1 9.8"
    assert clean_text("80 \u03bcmol/L vs 80 \u00b5mol/L") == "80 \u00b5mol/L vs 80 \u00b5mol/L"
    assert clean_text("1\u2009000 patients\u00a0enrolled") == "1000 patients enrolled"
    assert clean_text("\uff08n\uff1d12\uff09\uff05") == "(n=12)%"


def test_normalisation_keeps_the_box_map() -> None:
    box = (10.0, 20.0, 22.0, 30.0)
    run = normalize_chars(Run(["e", "\ufb01", "\u00ad", "x"], [None, box, (0, 0, 1, 1), None]))
    assert run.text == "efix"
    assert run.boxes[1] == (10.0, 20.0, 16.0, 30.0) and run.boxes[2] == (16.0, 20.0, 22.0, 30.0)
    assert len(run.boxes) == len(run.chars)


def test_furniture_needs_repetition_in_the_margin() -> None:
    def page(n: int) -> list[MarginLine]:
        return [
            MarginLine(f"Imag Nephrol 2024;{n}:1-9", 0.02, 0.04),
            MarginLine("Placebo", 0.5, 0.52),  # repeated in the body: a table cell, kept
            MarginLine(f"{n}", 0.96, 0.98),
        ]

    drop = find_furniture([page(1), page(2), page(3)])
    assert drop == {(p, i) for p in range(3) for i in (0, 2)}


def test_headings() -> None:
    assert heading_name("2. Patients and Methods") == "methods"
    assert heading_name("RESULTS") == "results"
    assert heading_name("Conclusions:") == "discussion"
    assert heading_name("BODY.RESULTS.ADVERSE EVENTS:") == "results"
    assert heading_name("Acknowledgements") == "other"
    assert heading_name("Methods: 82 patients were randomised to two arms of the trial") is None
    text = "A title\nAbstract\nBackground: x.\nMethods: y.\nIntroduction\nz\nResults\nw\nReferences\n1. Ref"
    names = [(s.name, s.heading) for s in split_sections(text)]
    assert names == [
        ("title", ""),
        ("abstract", "Abstract"),
        ("introduction", "Introduction"),
        ("results", "Results"),
        ("references", "References"),
    ]
