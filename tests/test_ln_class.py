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
