"""Text layouts of unseen reports: pipe tables typed without the |---| rule line, bare "Table 2."
caption lines with the title below them, captions in other languages, "± SD" wrapped onto its own
table line. All wordings are invented."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.ingest.load import load
from extractor.ingest.rowcells import Row, _continues
from extractor.nlp.rules import regex


def _load_text(tmp_path: Path, body: str, name: str = "report.txt"):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    (doc,) = load(path)
    return doc


# --- pipe tables without a |---| rule line ----------------------------------------------------

BARE_PIPE_TABLES = [
    (  # arm in the second column, continuation rows with an empty label, "+/-" SDs
        "Table 3. Laboratory course (mean +/- SD)\n\n"
        "| Parameter | Arm | Baseline | Month 6 |\n"
        "| eGFR (mL/min) | Drug X | 81 +/- 20 | 88 +/- 18 |\n"
        "| | Drug Y | 79 +/- 22 | 84 +/- 19 |\n\nAfter the table.\n",
        "Table 3", [["Parameter", "Arm", "Baseline", "Month 6"], ["eGFR (mL/min)", "Drug X", "81 +/- 20", "88 +/- 18"],
                    ["", "Drug Y", "79 +/- 22", "84 +/- 19"]],
    ),
    (  # no caption, four rows, arms as columns
        "Results were these.\n"
        "| Outcome | Voclosporin | Placebo |\n"
        "| Complete response | 12 (40.0) | 7 (23.3) |\n"
        "| Partial response | 9 (30.0) | 8 (26.7) |\n"
        "| No response | 9 (30.0) | 15 (50.0) |\n",
        "", [["Outcome", "Voclosporin", "Placebo"], ["Complete response", "12 (40.0)", "7 (23.3)"],
             ["Partial response", "9 (30.0)", "8 (26.7)"], ["No response", "9 (30.0)", "15 (50.0)"]],
    ),
    (  # rows without the closing pipe are not rows; the run of full rows is the table
        "TABLE II Week 24 values\n"
        "| Measure | Group 1 | Group 2 | P |\n"
        "| UPCR, g/g | 1.1 | 1.9 | 0.04 |\n"
        "| C3, g/L | 0.92 | 0.81 | 0.20 |\n",
        "Table II", [["Measure", "Group 1", "Group 2", "P"], ["UPCR, g/g", "1.1", "1.9", "0.04"],
                     ["C3, g/L", "0.92", "0.81", "0.20"]],
    ),
    (  # decimal commas and a Spanish caption
        "Tabla 1. Valores basales\n"
        "| Variable | Grupo A (n = 20) | Grupo B (n = 22) |\n"
        "| Edad, años | 31,2 ± 8,0 | 29,9 ± 7,4 |\n"
        "| Proteinuria, g/24 h | 4,1 ± 2,2 | 3,8 ± 1,9 |\n",
        "Table 1", [["Variable", "Grupo A (n = 20)", "Grupo B (n = 22)"], ["Edad, años", "31,2 ± 8,0", "29,9 ± 7,4"],
                    ["Proteinuria, g/24 h", "4,1 ± 2,2", "3,8 ± 1,9"]],
    ),
    (  # empty corner cell over the label column
        "| | Belimumab (n = 40) | Placebo (n = 41) |\n"
        "| Female, n | 36 | 37 |\n"
        "| Age, years | 33.0 (9.1) | 34.2 (8.7) |\n",
        "", [["", "Belimumab (n = 40)", "Placebo (n = 41)"], ["Female, n", "36", "37"], ["Age, years", "33.0 (9.1)", "34.2 (8.7)"]],
    ),
    (  # grouped rows: the group row has empty value cells
        "| Item | Rituximab | Control |\n"
        "| Infections | | |\n"
        "| Pneumonia | 2 | 3 |\n"
        "| Herpes zoster | 1 | 0 |\n",
        "", [["Item", "Rituximab", "Control"], ["Infections", "", ""], ["Pneumonia", "2", "3"], ["Herpes zoster", "1", "0"]],
    ),
]


@pytest.mark.parametrize(("body", "label", "rows"), BARE_PIPE_TABLES, ids=[str(i) for i in range(len(BARE_PIPE_TABLES))])
def test_pipe_table_without_rule_line(tmp_path: Path, body: str, label: str, rows: list[list[str]]) -> None:
    doc = _load_text(tmp_path, body)
    (table,) = doc.tables
    assert table.source == "markdown"
    assert (table.label or "") == label
    assert [r.cells for r in table.rows] == rows
    for row in table.rows:
        assert doc.text[row.start : row.end] == " | ".join(row.cells)


@pytest.mark.parametrize("body", [
    "| Item | Drug A | Drug B |\n| UPCR | 1.2 | 1.5 |\n",  # two rows only
    "| a | b |\n| 1 | 2 |\n| 3 | 4 |\n",  # two columns only
    "| Item | Drug A | Drug B |\n| UPCR | 1.2 |\n| C3 | 0.9 | 0.8 |\n",  # rows of different widths
    # the boxes of an ASCII flow diagram: rows of empty cells
    "        |                    |                   |\n        |                    |                   |\n"
    "        |                    |                   |\n",
    "| Enrolled (n = 60) | | |\n| Allocated | | |\n| Analysed | | |\n",  # one filled cell per row
    # a flow diagram drawn with pipes: words, no value cell
    "| Assessed | Excluded | Randomised |\n| Allocated to A | | Allocated to B |\n| Analysed A | | Analysed B |\n",
])
def test_pipe_lookalikes_are_not_tables(tmp_path: Path, body: str) -> None:
    assert _load_text(tmp_path, body).tables == []


def test_pipe_table_with_rule_line_unchanged(tmp_path: Path) -> None:
    doc = _load_text(tmp_path, "| A | B | C |\n|---|---|---|\n| x | 1 | 2 |\n", name="t.md")
    (table,) = doc.tables
    assert [r.cells for r in table.rows] == [["A", "B", "C"], ["x", "1", "2"]]


# --- bare "Table 2." caption lines with the title on the next line ------------------------------

BARE_CAPTIONS = [
    ("Table 2.\nRenal responses at week 52 by arm, n/N (%)\n", "Table 2",
     "Table 2. Renal responses at week 52 by arm, n/N (%)"),
    ("TABLE 3\nSafety population: adverse events\n", "Table 3", "TABLE 3 Safety population: adverse events"),
    ("Table 1:\nBaseline characteristics of the 86 patients\n", "Table 1",
     "Table 1: Baseline characteristics of the 86 patients"),
    ("Table IV.\nLaboratory values at month 6\n", "Table IV", "Table IV. Laboratory values at month 6"),
    ("Tabla 2.\nRespuesta renal a los 12 meses\n", "Table 2", "Tabla 2. Respuesta renal a los 12 meses"),
    ("Table 5. Outcomes at year 1\n", "Table 5", "Table 5. Outcomes at year 1"),  # a caption on one line as before
]


@pytest.mark.parametrize(("head", "label", "caption"), BARE_CAPTIONS, ids=[str(i) for i in range(len(BARE_CAPTIONS))])
def test_bare_caption_line_takes_the_title_below(tmp_path: Path, head: str, label: str, caption: str) -> None:
    body = "Some prose.\n\n" + head + "Endpoint\tDrug A\tDrug B\nComplete\t10/40 (25.0)\t7/41 (17.1)\nPartial\t9/40 (22.5)\t8/41 (19.5)\n"
    (table,) = _load_text(tmp_path, body).tables
    assert table.label == label
    assert table.caption == caption


@pytest.mark.parametrize(("head", "label"), [
    ("Table 2.\nValues at month 12\n", "Table 2"),
    ("TABLE 4\nRenal outcomes by group\n", "Table 4"),
    ("Table III:\nLaboratory course\n", "Table III"),
    ("Tabla 1.\nValores a los 6 meses\n", "Table 1"),
    ("Table 7\nSafety\n", "Table 7"),
])
def test_space_table_of_two_rows_under_a_bare_caption(tmp_path: Path, head: str, label: str) -> None:
    body = "Prose before.\n\n" + head + "Measure        Drug A       Drug B\nUPCR, g/g      1.2 (0.8)    1.9 (1.1)\n\nProse after.\n"
    (table,) = _load_text(tmp_path, body).tables
    assert table.label == label
    assert [r.cells for r in table.rows] == [["Measure", "Drug A", "Drug B"], ["UPCR, g/g", "1.2 (0.8)", "1.9 (1.1)"]]


def test_title_line_without_caption_number_is_not_a_caption(tmp_path: Path) -> None:
    body = "The results were as follows.\nRenal responses at week 52\nEndpoint\tA\tB\nComplete\t10\t7\nPartial\t9\t8\n"
    (table,) = _load_text(tmp_path, body).tables
    assert table.caption == "" and table.label == ""


@pytest.mark.parametrize("line", [
    "Tabla 2. Evolución de los parámetros renales", "Tableau 3. Événements indésirables", "Tabelle 1: Ausgangswerte",
    "Tabella 2. Risposta renale", "TABLA 4 Resultados",
])
def test_caption_words_of_other_languages(line: str) -> None:
    assert regex("ingest", "ingest.table_caption").match(line)
    assert regex("ingest", "ingest.space_table_caption").match(line)


# --- "± SD" wrapped onto its own table line ------------------------------------------------------

def _row(label: str, values: list[str]) -> Row:
    return Row(cells=[label, *values], boxes=[None] * (1 + len(values)), lines=[0], placed=True)


@pytest.mark.parametrize(("label", "tail", "values"), [
    ("Proteinuria, g/24 h, mean", "± SD", ["4.1 ± 2.2", "3.9 ± 2.0"]),
    ("Serum albumin, g/L, mean", "± SEM", ["30.2 ± 1.1", "31.0 ± 1.3"]),
    ("eGFR, mL/min, mean", "+/- SD", ["88 +/- 21", "84 +/- 19"]),
    ("C3, mg/dL, mean", "± SD", ["61 ± 20", "66 ± 18"]),
    ("SLEDAI-2K score, mean", "± SE", ["12.1 ± 0.6", "11.4 ± 0.7"]),
])
def test_space_table_joins_the_wrapped_sd_tail(tmp_path: Path, label: str, tail: str, values: list[str]) -> None:
    body = ("Table 1. Baseline values\n"
            f"{'Variable':<30}{'Drug A':<14}Drug B\n"
            f"{label:<30}{values[0]:<14}{values[1]}\n"
            f"{tail}\n"
            f"{'Age, years':<30}{'33 (9)':<14}34 (8)\n")
    (table,) = _load_text(tmp_path, body).tables
    assert [r.cells for r in table.rows][1:] == [[f"{label} {tail}", *values], ["Age, years", "33 (9)", "34 (8)"]]


@pytest.mark.parametrize(("label", "tail"), [
    ("24-h proteinuria, g, mean", "± SD"),
    ("Serum albumin, g/L, mean", "± SEM"),
    ("eGFR, mean", "+/- SD"),
    ("C3, mg/dL, mean", "± s.d."),
    ("Anti-dsDNA, IU/mL, mean", "± SE"),
])
def test_sd_tail_continues_the_label_above(label: str, tail: str) -> None:
    assert _continues(_row(label, ["4.1 ± 2.2", "3.9 ± 2.0"]), _row(tail, ["", ""]))


@pytest.mark.parametrize("line", ["± 2.1", "Serum albumin", "Week 24"])
def test_other_lines_do_not_continue_by_sign(line: str) -> None:
    assert not regex("ingest", "ingest.continuation_start").match(line)


# --- markdown bold inside pipe-table cells ---------------------------------------------------------

@pytest.mark.parametrize(("row", "cells"), [
    ("| **Infections and infestations** | | |", ["Infections and infestations", "", ""]),
    ("| **Age, Continuous** Mean (Standard Deviation) | 32.4 (9.9) | 31.2 (8.8) |",
     ["Age, Continuous Mean (Standard Deviation)", "32.4 (9.9)", "31.2 (8.8)"]),
    ("| Any adverse event | **120 (75.9)** | 98 (61.3) |", ["Any adverse event", "120 (75.9)", "98 (61.3)"]),
    ("| __Week 52__ | 4.1 | 3.3 |", ["Week 52", "4.1", "3.3"]),
    ("| **Complete response**, n (%) | **14 (35.0)** | 9 (22.5) |", ["Complete response, n (%)", "14 (35.0)", "9 (22.5)"]),
    ("| P < 0.05* | 2 * 3 | x |", ["P < 0.05*", "2 * 3", "x"]),  # lone asterisks stay
])
def test_markdown_bold_dropped_from_cells(tmp_path: Path, row: str, cells: list[str]) -> None:
    doc = _load_text(tmp_path, f"| Item | Drug A | Drug B |\n|---|---|---|\n{row}\n", name="t.md")
    (table,) = doc.tables
    assert table.rows[1].cells == cells
    assert doc.text[table.rows[1].start : table.rows[1].end].rstrip() == " | ".join(cells).rstrip()
