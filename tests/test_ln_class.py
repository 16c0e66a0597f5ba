"""LN class parsing (pure) and extraction on small documents (tests/golden/ln_class.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.extract.ln_class import count_near, extract_ln_classes, find_class_mentions
from extractor.extract.run import build_context
from extractor.records import Document

GOLD = json.loads((Path(__file__).parent / "golden" / "ln_class.json").read_text(encoding="utf-8"))


def _doc(text: str) -> Document:
    return Document(path="t.txt", sha256="", kind="text", text=text)


@pytest.mark.parametrize("case", GOLD["mentions"], ids=[c["req"] for c in GOLD["mentions"]])
def test_mentions(case):
    got = find_class_mentions(case["req"])
    assert [[m.cls, m.activity] for m in got] == case["res"]


@pytest.mark.parametrize("case", GOLD["counts"], ids=[c["req"] for c in GOLD["counts"]])
def test_counts(case):
    text = case["req"]
    m = find_class_mentions(text, table_context=True)[0]
    got = count_near(text, m.start, m.end)
    if case["res"] is None:
        assert got is None
    else:
        assert got is not None and [got[0], got[2]] == case["res"]


@pytest.mark.parametrize("case", GOLD["documents"], ids=[c["text"][:40] for c in GOLD["documents"]])
def test_documents(case):
    ctx = build_context(_doc(case["text"]))
    got = extract_ln_classes(ctx)
    assert [[c.class_, c.activity, c.n] for c in got] == case["res"]
    for c in got:
        assert c.evidence is not None and c.evidence.rule.startswith("ln_class.")


def test_class_table_per_arm():
    from extractor.records import Arm, Table, TableRow

    lines = ["Characteristic | Drug (n = 40) | Placebo (n = 40)", "ISN/RPS class, n (%) | |", "III | 10 (25.0) | 12 (30.0)",
             "IV | 30 (75.0) | 28 (70.0)"]
    text = "Lupus nephritis trial.\n" + "\n".join(lines) + "\n"
    rows, pos = [], len("Lupus nephritis trial.\n")
    for line in lines:
        rows.append(TableRow(cells=[c.strip() for c in line.split("|")], start=pos, end=pos + len(line)))
        pos += len(line) + 1
    doc = _doc(text)
    doc.tables = [Table(rows=rows, caption="Table 1 Baseline", start=rows[0].start, end=rows[-1].end)]
    ctx = build_context(doc)
    ctx.state["arms"] = [Arm(id="A1", label="Drug", n=40, role="experimental"), Arm(id="A2", label="Placebo", n=40, role="placebo")]
    got = [(c.class_, c.n, c.percent, c.arm) for c in extract_ln_classes(ctx)]
    assert ("III", 10, 25.0, "A1") in got and ("IV", 28, 70.0, "A2") in got
    assert len([g for g in got if g[3] is not None]) == 4


ARM_CLAUSES = [
    "In the stem cell group, type Ⅲ 3 examples, type Ⅳ 9 examples; in the placebo group, type Ⅲ 2 examples, type Ⅳ 4 examples.",
    "In the stem cell group, class III 3 patients and class IV 9 patients; in the placebo group, class III 2 patients and class IV 4 patients.",
    "Stem cell group: class III in 3 patients, class IV in 9; placebo group: class III in 2 patients, class IV in 4.",
    "Among stem cell recipients 3 had class III and 9 had class IV; among placebo recipients 2 had class III and 4 had class IV.",
    "For the stem cell arm, class III (n = 3) and class IV (n = 9); for the placebo arm, class III (n = 2) and class IV (n = 4).",
]


@pytest.mark.parametrize("text", ARM_CLAUSES)
def test_class_counts_per_arm_clause(text):
    from extractor.records import Arm

    ctx = build_context(_doc("Lupus nephritis trial. " + text))
    ctx.state["arms"] = [Arm(id="A1", label="stem cell", n=12, role="experimental"),
                         Arm(id="A2", label="placebo", n=6, role="placebo")]
    got = sorted((c.class_, c.n, c.arm) for c in extract_ln_classes(ctx))
    assert got == [("III", 2, "A2"), ("III", 3, "A1"), ("IV", 4, "A2"), ("IV", 9, "A1")]


@pytest.mark.parametrize("cell,n", [("2 pure membranous", 2), ("4 with crescents", 4), ("3 incl. one relapse", 3), ("12", 12), ("5 (20.0)", 5)])
def test_class_table_cell_with_note(cell, n):
    from extractor.records import Table, TableRow

    lines = ["Histology | Patients", f"ISN/RPS 2003 class V | {cell}", "ISN/RPS 2003 class IV | 7"]
    text = "Lupus nephritis series.\n" + "\n".join(lines) + "\n"
    rows, pos = [], len("Lupus nephritis series.\n")
    for line in lines:
        rows.append(TableRow(cells=[c.strip() for c in line.split("|")], start=pos, end=pos + len(line)))
        pos += len(line) + 1
    doc = _doc(text)
    doc.tables = [Table(rows=rows, caption="Table 2 Renal histology", start=rows[0].start, end=rows[-1].end)]
    got = {(c.class_, c.n) for c in extract_ln_classes(build_context(doc))}
    assert ("V", n) in got and ("IV", 7) in got


# --- generalisation: per-arm lists, "each group", transposed class tables, traps -------------

THREE_ARMS = "Patients were randomly assigned to MMF (n = 60), tacrolimus (n = 60) or cyclophosphamide (n = 60).\n"


def _classes(text: str):  # type: ignore[no-untyped-def]
    from extractor.extract.arms import extract_arms
    from extractor.extract.design import extract_design

    ctx = build_context(_doc(text))
    extract_design(ctx)
    extract_arms(ctx)
    return sorted((c.class_, c.n, c.arm) for c in extract_ln_classes(ctx))


@pytest.mark.parametrize("sentence,want", [
    ("Class III lesions were found in 14, 13 and 15 patients, class IV in 38, 37 and 36, and class IV+V in 8 patients of each group.",
     [("III", 13, "A2"), ("III", 14, "A1"), ("III", 15, "A3"), ("IV", 36, "A3"), ("IV", 37, "A2"), ("IV", 38, "A1"),
      ("IV+V", 8, "A1"), ("IV+V", 8, "A2"), ("IV+V", 8, "A3")]),
    ("Class IV lupus nephritis was seen in 40, 41 and 39 patients.", [("IV", 39, "A3"), ("IV", 40, "A1"), ("IV", 41, "A2")]),
    ("Biopsies showed class V in 5 patients per group.", [("V", 5, "A1"), ("V", 5, "A2"), ("V", 5, "A3")]),
    ("By biopsy, class III: 10, 12 and 11.", [("III", 10, "A1"), ("III", 11, "A3"), ("III", 12, "A2")]),
    ("Class III+V was diagnosed in 3, 4 & 2 patients.", [("III+V", 2, "A3"), ("III+V", 3, "A1"), ("III+V", 4, "A2")]),
    ("Class IV disease was present in 6 cases in each group.", [("IV", 6, "A1"), ("IV", 6, "A2"), ("IV", 6, "A3")]),
])
def test_class_counts_listed_per_arm(sentence, want):
    assert _classes("Lupus nephritis trial.\n" + THREE_ARMS + sentence) == want


def test_percent_lists_are_not_per_arm_counts():
    got = _classes("Lupus nephritis trial.\n" + THREE_ARMS + "Class IV lesions were found in 60%, 58% and 61% of patients.")
    assert all(n not in (60, 58, 61) for _, n, _ in got)


@pytest.mark.parametrize("header,rows,want", [
    ("Group | Examples | III type | IV type | V type | IV+V type",
     ["Observation group | 42 | 11 | 20 | 5 | 6", "Control group | 42 | 10 | 21 | 6 | 5"],
     [("III", 10, "A2"), ("III", 11, "A1"), ("IV", 20, "A1"), ("IV", 21, "A2"), ("IV+V", 5, "A2"), ("IV+V", 6, "A1"), ("V", 5, "A1"), ("V", 6, "A2")]),
    ("Group | Class Ⅲ | Class Ⅳ", ["Observation group | 7 | 9", "Control group | 8 | 8"],
     [("III", 7, "A1"), ("III", 8, "A2"), ("IV", 8, "A2"), ("IV", 9, "A1")]),
    ("Arm | WHO III | WHO IV | P", ["Observation group | 4 (20.0) | 16 (80.0) | 0.5", "Control group | 5 (25.0) | 15 (75.0) | "],
     [("III", 4, "A1"), ("III", 5, "A2"), ("IV", 15, "A2"), ("IV", 16, "A1")]),
])
def test_transposed_class_table(header, rows, want, tmp_path):
    from extractor.extract.run import extract_document
    from extractor.ingest.load import load

    sep = " | ".join("---" for _ in header.split(" | "))
    body = "\n".join(f"| {r} |" for r in rows)
    text = ("# Lupus nephritis trial\n\n84 patients with lupus nephritis were divided into the observation group and the control "
            "group by the random number table method, 42 cases in each group.\n\n"
            f"Table 1 Pathological type (WHO classification)\n\n| {header} |\n| {sep} |\n{body}\n")
    path = tmp_path / "r.md"
    path.write_text(text, encoding="utf-8")
    record = extract_document(load(path)[0])
    assert sorted((c.class_, c.n, c.arm) for c in record.ln_classes) == want


@pytest.mark.parametrize("text", [
    "Membranous nephropathy trial. Secondary MN, including class V lupus nephritis, was excluded. On biopsy, Ehrenreich–Churg stage I–II changes were seen in 58 (67%) and stage III in 28 (33%).",
    "IgA nephropathy study. Exclusion criteria: lupus nephritis. Stage III in 12 patients.",
    "Diabetic kidney disease. Patients with LN were not eligible. 20 patients had CKD stage 3.",
    "Minimal change disease series; lupus nephritis excluded. Ehrenreich-Churg stage II in 4 cases.",
    "ANCA vasculitis trial, excluding lupus nephritis. Class III in 5 patients.",
])
def test_lupus_named_only_in_exclusions_gives_no_classes(text):
    assert extract_ln_classes(build_context(_doc(text))) == []


@pytest.mark.parametrize("text,want", [
    ("on biopsy 58 had class III, 131 class IV and 41 pure class V lesions.", ("V", 41)),
    ("Biopsy showed 7 isolated class V.", ("V", 7)),
    ("Of the cohort, 12 patients had pure class V nephritis.", ("V", 12)),
    ("Lupus nephritis: 9 pure class V cases.", ("V", 9)),
    ("In total 5 purely class V biopsies.", ("V", 5)),
])
def test_pure_class_counts(text, want):
    got = {(c.class_, c.n) for c in extract_ln_classes(build_context(_doc("Lupus nephritis report. " + text)))}
    assert want in got


@pytest.mark.parametrize("text", [
    "The trial randomised 144 patients with class III or IV lupus nephritis to drug or placebo.",
    "We enrolled 60 adults with biopsy-proven class III/IV lupus nephritis.",
    "The study randomized 90 patients with active class IV or V lupus nephritis.",
    "Investigators recruited 40 patients with ISN/RPS class III, IV or V lupus nephritis.",
    "It included a total of 52 participants with class III or class IV lupus nephritis.",
])
def test_enrolled_with_class_set_is_not_a_distribution(text):
    assert extract_ln_classes(build_context(_doc(text))) == []


TWO_GROUPS = "Lupus nephritis patients were randomly divided into the observation group (n = 30) and the control group (n = 30).\n"


@pytest.mark.parametrize("sentence,want", [
    ("Pathological types were class III in 9 cases, class IV in 17 cases in the observation group, and class III in 10 cases, class IV in 16 cases in the control group.",
     [("III", 9, "A1"), ("III", 10, "A2"), ("IV", 16, "A2"), ("IV", 17, "A1")]),
    ("Class IV was seen in 12 patients in the observation group, and class IV in 14 patients in the control group.",
     [("IV", 12, "A1"), ("IV", 14, "A2")]),
    ("Biopsy showed class V in 4 cases among the observation group; class V in 6 cases among the control group.",
     [("V", 4, "A1"), ("V", 6, "A2")]),
    ("Class III in 7 cases and class IV in 20 cases in the control group.",
     [("III", 7, "A2"), ("IV", 20, "A2")]),
    ("Renal pathology: class III in 5 cases, class V in 3 cases of the observation group.",
     [("III", 5, "A1"), ("V", 3, "A1")]),
])
def test_arm_named_after_class_list(sentence, want):
    assert _classes("A randomised trial.\n" + TWO_GROUPS + sentence) == sorted(want)
