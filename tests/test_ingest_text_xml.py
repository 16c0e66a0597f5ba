"""Text, markdown, PubMed and JATS readers; the shared cleanup and section splitter."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.ingest.clean import MarginLine, Run, clean_text, find_furniture, normalize_chars
from extractor.ingest.load import load
from extractor.ingest.sections import heading_name, qualified_heading_name, split_sections

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


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Methods of the extension", "methods"),
        ("Patients and treatment in the parent trial", "methods"),
        ("3.2 Statistical analysis for the follow-up study", "methods"),
        ("Results at week 104", "results"),
        ("RESULTS OF THE LONG-TERM FOLLOW-UP", "results"),
        ("Discussion and conclusions", "discussion"),
        ("BODY.RESEARCH DESIGN AND METHODS.STUDY DESIGN AND PARTICIPANTS:", "methods"),
        ("BODY.RESULTS.SAFETY AND TOLERABILITY OF THE TWO REGIMENS AT WEEK 12:", "results"),
        # a sentence that starts with a heading word is not a heading
        ("Patients with class III or IV lupus nephritis were eligible", None),
        ("Results were similar in the two groups of patients at 52 weeks", None),
        ("Efficacy of rituximab", "results"),
        ("Patients in the two groups did not differ.", None),
        ("patients with nephrotic syndrome", None),
    ],
)
def test_qualified_headings(line: str, name: str | None) -> None:
    assert (heading_name(line) or qualified_heading_name(line)) == name


def test_qualified_heading_needs_a_heading_before_it() -> None:
    text = "Safety and efficacy of drug X for\nlupus nephritis\nBackground\nWhy.\nMethods of the extension\nHow."
    names = [(s.name, s.heading) for s in split_sections(text)]
    assert names == [
        ("title", ""),
        ("introduction", "Background"),
        ("methods", "Methods of the extension"),
    ]
    # a wrapped sentence line of a PDF column is not a heading
    wrapped = "Methods\nWe enrolled adults.\nResults\nOverall the arms were similar.\nPatients in the MMF group had a\nhigher rate of diarrhoea."
    assert [s.name for s in split_sections(wrapped)] == ["methods", "results"]


# --- plain-text tables aligned with spaces ---------------------------------------------------

def _load_text(tmp_path: Path, body: str, name: str = "report.txt"):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    (doc,) = load(path)
    return doc


SPACE_TABLES = [
    (  # caption without number, indented header, decimal commas
        "Results\n\nTable. Values at month 12 (mean ± SD)\n\n"
        "                          Drug A (n = 20)    Drug B (n = 21)\n"
        "Proteinuria, g/24 h       1,20 ± 0,40        1,50 ± 0,60\n"
        "Serum albumin, g/L        35,1 ± 4,2         33,0 ± 5,1\n\nText after.\n",
        "Table", [["", "Drug A (n = 20)", "Drug B (n = 21)"], ["Proteinuria, g/24 h", "1,20 ± 0,40", "1,50 ± 0,60"],
                  ["Serum albumin, g/L", "35,1 ± 4,2", "33,0 ± 5,1"]],
    ),
    (  # numbered caption, labelled header row
        "Table 2: Outcomes at week 52\n"
        "Outcome               MMF          AZA\n"
        "Complete response     12 (40.0)    9 (30.0)\n"
        "Death                 0            1\n",
        "Table 2", [["Outcome", "MMF", "AZA"], ["Complete response", "12 (40.0)", "9 (30.0)"], ["Death", "0", "1"]],
    ),
    (  # no caption: three aligned lines with numbers
        "Some prose before the table.\n"
        "Visit        SLEDAI    C3, g/L\n"
        "Baseline     12        0.55\n"
        "Month 6      6         0.80\n"
        "Month 12     4         0.92\n",
        "", [["Visit", "SLEDAI", "C3, g/L"], ["Baseline", "12", "0.55"], ["Month 6", "6", "0.80"], ["Month 12", "4", "0.92"]],
    ),
    (  # an empty cell in the middle column
        "TABLE 3 Renal outcomes\n"
        "                 Group 1     Group 2     P\n"
        "ESKD, n          2                       0.40\n"
        "Doubling, n      3           5           0.51\n",
        "Table 3", [["", "Group 1", "Group 2", "P"], ["ESKD, n", "2", "", "0.40"], ["Doubling, n", "3", "5", "0.51"]],
    ),
    (  # wide gaps, negative changes, label longer than its column
        "Table 4 - Change from baseline\n"
        "Measure                               Placebo            Active\n"
        "Change in eGFR, mL/min/1.73 m2        -1.2 (-3.0 to 0.6)      2.4 (0.5 to 4.3)\n"
        "Change in UPCR                        -0.1               -0.8\n",
        "Table 4", [["Measure", "Placebo", "Active"], ["Change in eGFR, mL/min/1.73 m2", "-1.2 (-3.0 to 0.6)", "2.4 (0.5 to 4.3)"],
                    ["Change in UPCR", "-0.1", "-0.8"]],
    ),
]


@pytest.mark.parametrize(("body", "label", "rows"), SPACE_TABLES, ids=[str(i) for i in range(len(SPACE_TABLES))])
def test_space_aligned_table_in_text(tmp_path: Path, body: str, label: str, rows: list[list[str]]) -> None:
    doc = _load_text(tmp_path, body)
    (table,) = doc.tables
    assert table.source == "text"
    assert (table.label or "") == label
    assert [r.cells for r in table.rows] == rows
    for row in table.rows:
        assert doc.text[row.start : row.end] == " | ".join(row.cells)


@pytest.mark.parametrize("body", [
    "The patients were followed.  They did well.  Nothing else happened\nin the  next  months of the study.\nEnd.\n",
    "Address:   12 Main Street\n",  # one line
    "Name       Role\nAnna       nurse\nBert       doctor\n",  # aligned, but no numbers
    "Total  12\nThis line is plain prose without any double gap at all and goes on.\nDone  3\n",
])
def test_space_aligned_lookalikes_are_not_tables(tmp_path: Path, body: str) -> None:
    assert _load_text(tmp_path, body).tables == []


def test_b12_space_table_when_corpus_present() -> None:
    path = Path(__file__).resolve().parents[1] / "corpus" / "b12_euro_short_report.txt"
    if not path.exists():
        pytest.skip("corpus absent")
    (doc,) = load(path)
    (table,) = doc.tables
    assert table.rows[0].cells[1:] == ["MMF (n = 23)", "Cyclophosphamide (n = 23)"]
    assert len(table.rows) >= 10 and all(len(r.cells) == 3 for r in table.rows)
