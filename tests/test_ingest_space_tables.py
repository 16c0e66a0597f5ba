"""Plain-text tables aligned with spaces (pdftotext -layout style): wrapped labels, group rows,
ruling lines, grouped (spanning) column headers, cells run together over one space, footnote
marks glued to values; prose, reference lists and CONSORT flow diagrams stay prose."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.ingest.load import load


def _doc(tmp_path: Path, body: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "report.txt"
    path.write_text(body, encoding="utf-8")
    (doc,) = load(path)
    return doc


def _rows(tmp_path: Path, body: str) -> list[list[str]]:
    doc = _doc(tmp_path, body)
    assert len(doc.tables) == 1, [t.rows for t in doc.tables]
    (table,) = doc.tables
    for row in table.rows:
        assert doc.text[row.start : row.end] == " | ".join(row.cells)
    return [r.cells for r in table.rows]


# --- wrapped labels, ruling lines, two-line header, total column ------------------------------

WRAPPED = [
    (
        "Table 1   Characteristics at baseline\n\n"
        "                                      Abatacept        Placebo          Total\n"
        "                                      (n = 48)         (n = 50)         (N = 98)\n"
        "     ------------------------------------------------------------------------\n"
        "     Women, n (%)                     41 (85.4)        44 (88.0)        85 (86.7)\n"
        "     Duration of lupus,               6.2 (2.0-11.5)   5.8 (1.9-10.0)   6.0 (2.0-10.9)\n"
        "       years, median (IQR)\n"
        "     Serum creatinine, mg/dL          0.9 (0.3)        1.0 (0.4)        0.95 (0.35)\n"
        "     ------------------------------------------------------------------------\n"
        "     Values are n (%) unless stated otherwise.\n",
        [["", "Abatacept (n = 48)", "Placebo (n = 50)", "Total (N = 98)"],
         ["Women, n (%)", "41 (85.4)", "44 (88.0)", "85 (86.7)"],
         ["Duration of lupus, years, median (IQR)", "6.2 (2.0-11.5)", "5.8 (1.9-10.0)", "6.0 (2.0-10.9)"],
         ["Serum creatinine, mg/dL", "0.9 (0.3)", "1.0 (0.4)", "0.95 (0.35)"]],
    ),
    (
        "TABLE 2 Laboratory values\n"
        "                                Tacrolimus      Azathioprine\n"
        "                                (n = 31)        (n = 29)\n"
        "=============================================================\n"
        "Estimated GFR at month 12,      88.1 (21.4)     84.9 (25.0)\n"
        "  mL/min/1.73 m2, mean (SD)\n"
        "Albumin at month 12, g/L        38 (4)          36 (5)\n"
        "Proteinuria at month 12, g/d    0.6 (0.5)       0.9 (0.8)\n",
        [["", "Tacrolimus (n = 31)", "Azathioprine (n = 29)"],
         ["Estimated GFR at month 12, mL/min/1.73 m2, mean (SD)", "88.1 (21.4)", "84.9 (25.0)"],
         ["Albumin at month 12, g/L", "38 (4)", "36 (5)"],
         ["Proteinuria at month 12, g/d", "0.6 (0.5)", "0.9 (0.8)"]],
    ),
    (
        "Table 3. Safety summary\n\n"
        "                                   Low dose     High dose\n"
        "  Patients with any adverse        30 (75.0)    35 (85.4)\n"
        "    event\n"
        "  Discontinued because of an       2 (5.0)      4 (9.8)\n"
        "    adverse event\n"
        "  Pneumonia                        1 (2.5)      3 (7.3)\n",
        [["", "Low dose", "High dose"],
         ["Patients with any adverse event", "30 (75.0)", "35 (85.4)"],
         ["Discontinued because of an adverse event", "2 (5.0)", "4 (9.8)"],
         ["Pneumonia", "1 (2.5)", "3 (7.3)"]],
    ),
    (
        "Table 4 Patients by biopsy class\n"
        "                               Group A      Group B\n"
        "  Biopsy class at entry,\n"
        "    n (%)\n"
        "      Class III                 9 (30.0)     8 (25.8)\n"
        "      Class IV                  17 (56.7)    19 (61.3)\n"
        "      Class V                   4 (13.3)     4 (12.9)\n",
        [["", "Group A", "Group B"],
         ["Biopsy class at entry, n (%)", "", ""],
         ["Class III", "9 (30.0)", "8 (25.8)"],
         ["Class IV", "17 (56.7)", "19 (61.3)"],
         ["Class V", "4 (13.3)", "4 (12.9)"]],
    ),
    (
        "Table 5  Outcomes at one year\n"
        "                               Belimumab     Standard care    Difference\n"
        "                               (n = 120)     (n = 118)        (95% CI)\n"
        "  --------------------------------------------------------------------\n"
        "  Renal flare, n (%)           12 (10.0)     21 (17.8)        -7.8 (-16.6, 1.0)\n"
        "  Death, n (%)                 1 (0.8)       2 (1.7)\n"
        "  Doubling of creatinine,      3 (2.5)       7 (5.9)\n"
        "    n (%)\n\nText after the table.\n",
        [["", "Belimumab (n = 120)", "Standard care (n = 118)", "Difference (95% CI)"],
         ["Renal flare, n (%)", "12 (10.0)", "21 (17.8)", "-7.8 (-16.6, 1.0)"],
         ["Death, n (%)", "1 (0.8)", "2 (1.7)", ""],
         ["Doubling of creatinine, n (%)", "3 (2.5)", "7 (5.9)", ""]],
    ),
]


@pytest.mark.parametrize(("first", "second", "label"), [
    ("eGFR at week 52, mL/min/", "1.73 m2, mean (SD)", "eGFR at week 52, mL/min/1.73 m2, mean (SD)"),
    ("Creatinine clearance, mL/", "min, median (IQR)", "Creatinine clearance, mL/min, median (IQR)"),
    ("Change in UPCR from", "baseline, mg/mg", "Change in UPCR from baseline, mg/mg"),
    ("Anti-dsDNA antibodies,", "IU/mL, mean (SD)", "Anti-dsDNA antibodies, IU/mL, mean (SD)"),
    ("Complement C4 at month 6, g/", "L, mean (SD)", "Complement C4 at month 6, g/L, mean (SD)"),
])
def test_label_wrapped_after_a_slash_or_a_comma(tmp_path: Path, first: str, second: str, label: str) -> None:
    body = (
        "Table 6. Laboratory values\n"
        f"{'':34}{'Drug':14}Placebo\n"
        f"  {first:32}{'91.5 (20.2)':14}88.0 (22.4)\n"
        f"    {second:30}\n"
        f"  {'Albumin, g/L':32}{'36 (5)':14}34 (6)\n"
    )
    assert _rows(tmp_path, body)[1] == [label, "91.5 (20.2)", "88.0 (22.4)"]


@pytest.mark.parametrize(("body", "rows"), WRAPPED, ids=[str(i) for i in range(len(WRAPPED))])
def test_wrapped_labels_rules_and_headers(tmp_path: Path, body: str, rows: list[list[str]]) -> None:
    assert _rows(tmp_path, body) == rows


def test_caption_with_two_spaces_is_the_caption(tmp_path: Path) -> None:
    doc = _doc(tmp_path, WRAPPED[4][0])
    assert doc.tables[0].label == "Table 5"
    assert doc.tables[0].caption.startswith("Table 5")


# --- a group row over indented time-point rows (two-level rows) -------------------------------

TWO_LEVEL = [
    ("SLEDAI-2K, mean (SD)", "Month 6", "Month 12", "Drug X (n = 40)", "Placebo (n = 41)", ("6.1 (3.0)", "5.9 (2.8)"), ("4.0 (2.2)", "5.5 (3.1)")),
    ("Proteinuria, g/day, median (IQR)", "Week 12", "Week 48", "Voclosporin", "Control", ("1.9 (1.0-3.2)", "2.4 (1.1-3.9)"), ("0.8 (0.4-1.6)", "1.5 (0.7-2.8)")),
    ("Complete renal response, n/N (%)", "Week 24", "Week 52", "Rituximab (n = 36)", "MMF (n = 35)", ("9/36 (25.0)", "7/35 (20.0)"), ("15/36 (41.7)", "11/35 (31.4)")),
    ("Serum albumin, g/L, mean (SD)", "Baseline", "Year 2", "Arm 1", "Arm 2", ("29 (6)", "30 (5)"), ("37 (4)", "35 (5)")),
    ("Daily prednisone, mg, mean (SD)", "Day 90", "Day 180", "Obinutuzumab", "Placebo", ("10.2 (3.1)", "10.8 (3.3)"), ("5.1 (1.9)", "7.4 (2.6)")),
]


@pytest.mark.parametrize("case", TWO_LEVEL, ids=[c[0] for c in TWO_LEVEL])
def test_group_row_over_time_rows(tmp_path: Path, case: tuple) -> None:  # type: ignore[type-arg]
    group, t1, t2, arm1, arm2, v1, v2 = case
    body = (
        "Table 2. Results by visit\n\n"
        f"{'':36}{arm1:22}{arm2}\n"
        f"  {group}\n"
        f"    {t1:32}{v1[0]:22}{v1[1]}\n"
        f"    {t2:32}{v2[0]:22}{v2[1]}\n"
        f"  Any serious infection, n (%)      {'3 (7.5)':22}4 (9.8)\n"
    )
    assert _rows(tmp_path, body) == [
        ["", arm1, arm2], [group, "", ""], [t1, *v1], [t2, *v2], ["Any serious infection, n (%)", "3 (7.5)", "4 (9.8)"],
    ]


# --- grouped columns: an arm header spanning its visit columns --------------------------------

GROUPED = [
    ("Rituximab (n = 60)", "Placebo (n = 58)", "Entry", "Month 12", ["Haemoglobin, g/L", "108 (15)", "121 (13)", "111 (14)", "115 (16)"]),
    ("Drug A", "Drug B", "Baseline", "Week 24", ["C3, g/L", "0.61 (0.20)", "0.88 (0.21)", "0.64 (0.22)", "0.79 (0.25)"]),
    ("Low dose (n = 20)", "High dose (n = 22)", "Before", "After", ["UPCR, mg/mg", "3.1 (2.0)", "1.2 (1.1)", "2.9 (1.8)", "0.9 (0.8)"]),
    ("Tacrolimus", "Cyclophosphamide", "Day 0", "Day 180", ["eGFR, mL/min", "76 (22)", "84 (20)", "79 (25)", "80 (24)"]),
    ("Group 1 (n = 15)", "Group 2 (n = 16)", "Start", "6 months", ["Anti-dsDNA, IU/mL", "210 (95)", "88 (60)", "198 (101)", "120 (77)"]),
]


@pytest.mark.parametrize("case", GROUPED, ids=[c[0] for c in GROUPED])
def test_spanning_arm_header_over_visit_columns(tmp_path: Path, case: tuple) -> None:  # type: ignore[type-arg]
    arm1, arm2, t1, t2, row = case
    label, a1, a2, b1, b2 = row
    body = (
        "Table 1. Laboratory course, mean (SD)\n\n"
        f"  {'Measure':30}{arm1:26}{arm2}\n"
        f"  {'':30}{t1:13}{t2:13}{t1:13}{t2}\n"
        f"  {label:30}{a1:13}{a2:13}{b1:13}{b2}\n"
        f"  {'Platelets, 10^9/L':30}{'250 (60)':13}{'262 (58)':13}{'245 (66)':13}255 (61)\n"
    )
    rows = _rows(tmp_path, body)
    assert rows[0] == ["Measure", arm1, "", arm2, ""]
    assert rows[1] == ["", t1, t2, t1, t2]
    assert rows[2] == [label, a1, a2, b1, b2]


@pytest.mark.parametrize("pair", [
    ("0.68 (0.22) 0.94 (0.20)", "0.68 (0.22)", "0.94 (0.20)"),
    ("112.5 (16.1) 124.0 (14.9)", "112.5 (16.1)", "124.0 (14.9)"),
    ("3/19 (15.8) 7/19 (36.8)", "3/19 (15.8)", "7/19 (36.8)"),
    ("-1.2 (0.4) -2.5 (0.6)", "-1.2 (0.4)", "-2.5 (0.6)"),
    ("1,45 (0,30) 1,10 (0,25)", "1,45 (0,30)", "1,10 (0,25)"),
])
def test_cells_run_together_over_one_space_are_cut_at_the_column(tmp_path: Path, pair: tuple[str, str, str]) -> None:
    joined, first, second = pair
    width = len(first) + 1  # the second value of the joined pair starts right at its column
    body = (
        "Table 3. Values\n"
        f"  {'':20}{'Entry':{width}}End\n"
        f"  {'Measure one':20}{'10 (1)':{width}}11 (1)\n"
        f"  {'Measure two':20}{joined}\n"
        f"  {'Measure three':20}{'12 (2)':{width}}13 (2)\n"
    )
    rows = _rows(tmp_path, body)
    assert rows[2] == ["Measure two", first, second]


# --- footnote marks glued to values -----------------------------------------------------------

@pytest.mark.parametrize(("cell", "value"), [
    ("22/63 (34.9)a", "22/63 (34.9)"),
    ("4 (6.3)\u2020", "4 (6.3)"),
    ("12.5 (3.1)*", "12.5 (3.1)"),
    ("35 (55.6)\u2021", "35 (55.6)"),
    ("0.41b", "0.41"),
    ("18 (29%)c", "18 (29%)"),
])
def test_footnote_marks_glued_to_values_are_dropped(tmp_path: Path, cell: str, value: str) -> None:
    body = (
        "Table 2. Outcomes\n"
        f"  {'':26}{'Active':16}Control\n"
        f"  {'Outcome one':26}{cell:16}10 (15.9)\n"
        f"  {'Outcome two':26}{'8 (12.7)':16}9 (14.5)\n"
    )
    rows = _rows(tmp_path, body)
    assert rows[1] == ["Outcome one", value, "10 (15.9)"]


def test_footnote_mark_in_a_label_is_kept(tmp_path: Path) -> None:
    body = "Table 2. AEs\n                          Active    Control\n  Serious infection\u2020      4 (6.3)   11 (17.7)\n  Herpes zoster           3 (4.8)   2 (3.2)\n"
    assert _rows(tmp_path, body)[1][0] == "Serious infection\u2020"


# --- look-alikes that stay prose --------------------------------------------------------------

NOT_TABLES = [
    # prose with two spaces after full stops and short wrapped last lines
    "Patients were followed for 52 weeks.  The dose was 500 mg.  Adverse events were\n"
    "recorded at 4 weeks.  Serum creatinine  rose in 3 of them.\n"
    "End of story.\n"
    "Another paragraph with  12 patients  and more text that goes on for a while here.\n",
    # a reference list aligned with spaces
    "REFERENCES\n"
    "1.   Rovin BH, Teng YKO, Ginzler EM, et al.   Lancet 2021; 397: 2070-80.\n"
    "2.   Furie R, Rovin BH, Houssiau F, et al.   N Engl J Med 2020; 383: 1117-28.\n"
    "3.   Houssiau FA, Vasconcelos C, D'Cruz D.   Arthritis Rheum 2002; 46: 2121-31.\n",
    # a CONSORT flow diagram drawn with spaces
    "                 Assessed for eligibility (n = 231)\n"
    "                                 |\n"
    "  Allocated to drug A (n = 49)        Allocated to drug B (n = 51)\n"
    "   adverse event 3                      adverse event 5\n"
    "   death 0                              death 1\n"
    "   lost to follow-up 1                  lost to follow-up 0\n"
    "  Analysed (n = 48)                   Analysed (n = 49)\n",
    # author affiliations
    "R. Smith1, T. Jones2\n"
    "1  Department of Nephrology, City Hospital\n"
    "2  Renal Unit, County Hospital\n"
    "3  Department of Medicine, University Clinic\n",
    # a ruling line and a one-cell line between paragraphs
    "Results were similar.\n--------------------------\nSee below\nNothing else  here.\n",
]


@pytest.mark.parametrize("body", NOT_TABLES, ids=["prose", "references", "consort", "affiliations", "rule"])
def test_lookalikes_stay_prose(tmp_path: Path, body: str) -> None:
    assert _doc(tmp_path, body).tables == []


def test_g01_layout_tables_when_corpus_present() -> None:
    path = Path(__file__).resolve().parents[1] / "corpus" / "g01_pdftext_anticd20_layout.txt"
    if not path.exists():
        pytest.skip("corpus absent")
    (doc,) = load(path)
    assert [t.label for t in doc.tables] == ["Table 1", "Table 2", "Table 3"]
    labels = [r.cells[0] for r in doc.tables[1].rows]
    assert "Complete renal response, n/N (%)" in labels and "Week 52" in labels
    assert all("(34.9)a" not in c for r in doc.tables[1].rows for c in r.cells)


# --- double-spaced rows, a second table right under the first ----------------------------------

@pytest.mark.parametrize(("arms", "rows"), [
    (("Drug A", "Drug B"), [("Age, years", "34 (9)", "35 (8)"), ("Women, n", "40", "38"), ("eGFR, mL/min", "88 (20)", "85 (24)")]),
    (("Belimumab (n = 60)", "Placebo (n = 61)"), [("SLEDAI", "9.8 (3.1)", "10.1 (3.4)"), ("C3, g/L", "0.7 (0.2)", "0.7 (0.3)")]),
    (("Low", "High"), [("Proteinuria, g/d", "2.9", "3.3"), ("Albumin, g/L", "28", "27"), ("Creatinine", "1.1", "1.2")]),
    (("MMF", "AZA"), [("Flares, n (%)", "5 (12.5)", "9 (22.0)"), ("Deaths, n", "0", "1")]),
    (("Group I", "Group II"), [("UPCR, mg/mg", "3.5 (2.0)", "3.2 (1.8)"), ("Anti-dsDNA, IU/mL", "150 (80)", "170 (95)")]),
])
def test_double_spaced_rows_stay_one_table(tmp_path: Path, arms: tuple[str, str], rows: list[tuple[str, str, str]]) -> None:
    lines = ["Table 1. Baseline", "", f"{'':24}{arms[0]:22}{arms[1]}", ""]
    for label, a, b in rows:
        lines += [f"{label:24}{a:22}{b}", ""]
    body = "\n".join(lines) + "\nProse after the table.\n"
    assert _rows(tmp_path, body) == [["", *arms]] + [list(r) for r in rows]


def test_two_blank_lines_or_misaligned_rows_end_the_table(tmp_path: Path) -> None:
    body = (
        "Table 1. Values\n"
        "                 Drug A      Drug B\n"
        "Age, years       34 (9)      35 (8)\n"
        "Women, n         40          38\n"
        "\n"
        "Reference  12  and more words  later\n"
    )
    assert [r.cells[0] for r in _doc(tmp_path, body).tables[0].rows] == ["", "Age, years", "Women, n"]


def test_a_caption_ends_the_table_above(tmp_path: Path) -> None:
    body = (
        "Table 1. Baseline\n"
        "                 Drug A      Drug B\n"
        "Age, years       34 (9)      35 (8)\n"
        "Women, n         40          38\n"
        "Table 2  Outcomes at week 52\n"
        "                 Drug A      Drug B\n"
        "Remission, n     20          14\n"
        "Deaths, n        1           2\n"
    )
    doc = _doc(tmp_path, body)
    assert [t.label for t in doc.tables] == ["Table 1", "Table 2"]
    assert [len(t.rows) for t in doc.tables] == [3, 3]


@pytest.mark.parametrize(("group", "arms"), [
    ("Treatment group", ("Drug A", "Drug B")),
    ("Randomised arm", ("Rituximab", "Placebo")),
    ("Induction regimen", ("MMF (n = 30)", "IV CYC (n = 28)")),
    ("Dose of study drug", ("200 mg", "400 mg")),
    ("Allocation", ("Active", "Control")),
])
def test_group_header_line_above_the_arm_header(tmp_path: Path, group: str, arms: tuple[str, str]) -> None:
    body = (
        "Table 3. Results at week 24\n"
        f"{'':30}{group}\n"
        f"{'':24}{arms[0]:18}{arms[1]}\n"
        f"{'Remission, n (%)':24}{'12 (40.0)':18}9 (31.0)\n"
        f"{'Flare, n (%)':24}{'3 (10.0)':18}6 (20.7)\n"
    )
    doc = _doc(tmp_path, body)
    (table,) = doc.tables
    assert table.label == "Table 3"
    assert [r.cells[0] for r in table.rows[-2:]] == ["Remission, n (%)", "Flare, n (%)"]
    assert table.rows[0].cells == ["", group, ""]  # spread over the arm columns by the table readers
    assert table.rows[1].cells == ["", *arms]


@pytest.mark.parametrize("note", [
    "  a Counted as non-responders",
    "  * P < 0.05 versus placebo",
    "    b Includes two deaths",
    "  \u2020 Adjudicated events",
    "   NR, not reached",
])
def test_footnote_under_the_last_row_is_not_its_label(tmp_path: Path, note: str) -> None:
    body = (
        "Table 4. Events\n"
        "                   Drug A      Drug B\n"
        "Renal flare        4 (10.0)    8 (19.5)\n"
        "Death              1 (2.5)     0\n"
        f"{note}\n\nMore prose.\n"
    )
    doc = _doc(tmp_path, body)
    assert doc.tables[0].rows[-1].cells == ["Death", "1 (2.5)", "0"]
    assert note.strip() in doc.text


@pytest.mark.parametrize("boxes", [
    ("49 allocated to drug A", "51 allocated to drug B", "48 analysed", "49 analysed", "1 withdrew consent", "2 withdrew consent"),
    ("30 assigned to rituximab", "31 assigned to placebo", "28 completed week 52", "27 completed week 52", "2 lost to follow-up", "4 lost to follow-up"),
    ("100 randomised to MMF", "98 randomised to AZA", "95 treated", "97 treated", "90 analysed", "92 analysed"),
    ("12 received low dose", "13 received high dose", "11 completed", "12 completed", "1 discontinued", "1 discontinued"),
    ("60 entered period 2", "61 entered period 2", "55 evaluable", "58 evaluable", "5 excluded", "3 excluded"),
])
def test_number_led_flow_diagram_boxes_are_not_a_table(tmp_path: Path, boxes: tuple[str, ...]) -> None:
    a1, b1, a2, b2, a3, b3 = boxes
    body = "Figure 1. Participant flow\n\n" + "".join(f"   {a:30}{b}\n" for a, b in ((a1, b1), (a2, b2), (a3, b3))) + "\nProse.\n"
    assert _doc(tmp_path, body).tables == []


@pytest.mark.parametrize(("first", "second", "label"), [
    ("Time since lupus diagnosis,", "years, median (IQR)", "Time since lupus diagnosis, years, median (IQR)"),
    ("Urine protein-to-creatinine", "ratio, g/g, mean (SD)", "Urine protein-to-creatinine ratio, g/g, mean (SD)"),
    ("Patients with hypertension at", "entry, n (%)", "Patients with hypertension at entry, n (%)"),
    ("Serum creatinine at", "week 24, mg/dL", "Serum creatinine at week 24, mg/dL"),
    ("Prior cyclophosphamide", "(any dose), n (%)", "Prior cyclophosphamide (any dose), n (%)"),
])
def test_label_wrapped_above_its_values(tmp_path: Path, first: str, second: str, label: str) -> None:
    body = (
        "Table 1. Baseline\n"
        f"{'':36}{'Drug A':14}Drug B\n"
        f"{'Age, years, mean (SD)':36}{'35.1 (9.9)':14}33.0 (10.4)\n"
        f"{first}\n"
        f"  {second:34}{'4.2 (1.1-8.0)':14}3.9 (0.9-7.7)\n"
        f"{'Women, n (%)':36}{'40 (83.3)':14}44 (88.0)\n"
    )
    assert _rows(tmp_path, body)[2] == [label, "4.2 (1.1-8.0)", "3.9 (0.9-7.7)"]
