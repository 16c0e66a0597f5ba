"""Outcome wordings and layouts of unseen report styles (phase-3 i batch): a title row typed without
a `|---|` rule with the arm in the second column, Spanish row labels ("basal", "12 meses"),
registry results rows ("Measure Type: Mean. Dispersion: Standard Deviation"), a column header that
describes the arm, translated cut-offs ("greater of 1 g/24 h"), event counts split over the arms
("(one in each group)", "died in each group", "in 1 A patient and 3 B patients"), bare flare counts
per year with a shrinking n, percent falls per dose cohort, "dose of PSL" and "time to CR".
Every family is checked on invented variants (other agents, numbers, word order)."""

from __future__ import annotations

from typing import Any

import pytest
from test_tables import make_ctx

from extractor.extract.outcomes import extract_outcomes

TWO = [{"id": "A1", "label": "mizoribine", "n": 32, "role": "experimental"},
       {"id": "A2", "label": "tacrolimus", "n": 33, "role": "control"}]
CFM_MMF = [{"id": "A1", "label": "CFM", "n": 26, "role": "experimental"},
           {"id": "A2", "label": "MMF", "n": 28, "role": "control"}]
DOSES = [{"id": "A1", "label": "1 mg/kg", "n": 3, "role": "experimental"},
         {"id": "A2", "label": "3 mg/kg", "n": 6, "role": "experimental"},
         {"id": "A3", "label": "10 mg/kg", "n": 3, "role": "experimental"}]


def _run(text: str, arms: list[dict[str, Any]] | None, tables: list[list[list[str]]] | None = None,
         caption: str = "") -> list[tuple[Any, ...]]:
    ctx = make_ctx(text, {"arms": arms} if arms else None, tables=tables, caption=caption)
    out = []
    for o in extract_outcomes(ctx):
        tm = (o.time.value, o.time.unit) if o.time else None
        out.append((o.measure, o.arm, tm, o.stat, o.value))
    return out


# --- a title row with no rule under it, the arm in the second column ------------------------------

@pytest.mark.parametrize(("head", "rows", "want"), [
    (["Item", "Group", "Baseline", "6 months", "12 months"],
     [["UPCR (g/gCr)", "MZR", "3.42 +/- 2.10", "1.05 +/- 1.12", "0.61 +/- 0.88"], ["", "TAC", "3.58 +/- 2.36", "0.98 +/- 1.04", "0.55 +/- 0.79"]],
     [("upcr", "A1", (0.0, "day"), "mean", 3.42), ("upcr", "A2", (12.0, "month"), "mean", 0.55)]),
    (["Parameter", "Arm", "Baseline", "Week 24", "Week 52"],
     [["C3 (mg/dL)", "Tacrolimus", "61 +/- 20", "80 +/- 18", "88 +/- 17"], ["", "Mizoribine", "57 +/- 19", "79 +/- 21", "90 +/- 15"]],
     [("c3", "A2", (0.0, "day"), "mean", 61.0), ("c3", "A1", (52.0, "week"), "mean", 90.0)]),
    (["Variable", "Treatment", "Month 0", "Month 3", "Month 6"],
     [["Serum creatinine (mg/dL)", "MZR", "1.01 ± 0.3", "0.95 ± 0.2", "0.90 ± 0.2"], ["", "TAC", "0.99 ± 0.4", "0.97 ± 0.3", "0.93 ± 0.3"]],
     [("serum_creatinine", "A1", (3.0, "month"), "mean", 0.95), ("serum_creatinine", "A2", (6.0, "month"), "mean", 0.93)]),
    (["Measure", "Group", "Baseline", "3 months", "9 months"],
     [["Anti-dsDNA (IU/mL)", "tacrolimus", "150 +/- 90", "60 +/- 40", "30 +/- 20"], ["", "mizoribine", "170 +/- 110", "55 +/- 35", "28 +/- 25"]],
     [("anti_dsdna", "A2", (3.0, "month"), "mean", 60.0), ("anti_dsdna", "A1", (9.0, "month"), "mean", 28.0)]),
    (["Outcome", "Group", "Baseline", "1 year", "2 years"],
     [["eGFR (mL/min/1.73 m2)", "TAC", "88.1 +/- 20.2", "90.3 +/- 19.0", "89.0 +/- 21.4"], ["", "MZR", "85.0 +/- 22.1", "86.4 +/- 23.0", "84.2 +/- 24.6"]],
     [("egfr", "A2", (0.0, "day"), "mean", 88.1), ("egfr", "A1", (2.0, "year"), "mean", 84.2)]),
])
def test_title_row_without_rule(head: list[str], rows: list[list[str]], want: list[tuple[Any, ...]]) -> None:
    arms = [{"id": "A1", "label": "mizoribine (MZR)", "n": 32, "role": "experimental"},
            {"id": "A2", "label": "tacrolimus (TAC)", "n": 33, "role": "control"}]
    got = _run("Laboratory data are shown below.", arms, tables=[[head, *rows]], caption="Table 2. Laboratory data (mean +/- SD)")
    assert len(got) == 6 * len(rows) // 2
    for w in want:
        assert w in got, (w, got)


# --- Spanish row labels and a Spanish albumin ------------------------------------------------------

@pytest.mark.parametrize(("rows", "want"), [
    ([["Proteinuria basal, g/24 h", "3,5 ± 2,1", "3,9 ± 2,4"], ["Proteinuria 12 meses, g/24 h", "0,9 ± 0,8", "0,7 ± 0,6"]],
     [("proteinuria_24h", "A1", (0.0, "day"), "mean", 3.5), ("proteinuria_24h", "A2", (12.0, "month"), "mean", 0.7)]),
    ([["Albúmina basal, g/dL", "2,7 ± 0,6", "2,6 ± 0,5"], ["Albúmina 6 meses, g/dL", "3,4 ± 0,5", "3,5 ± 0,4"]],
     [("serum_albumin", "A1", (0.0, "day"), "mean", 2.7), ("serum_albumin", "A2", (6.0, "month"), "mean", 3.5)]),
    ([["C3 basal, mg/dL", "62 ± 21", "58 ± 19"], ["C3 24 meses, mg/dL", "99 ± 20", "101 ± 18"]],
     [("c3", "A2", (0.0, "day"), "mean", 58.0), ("c3", "A1", (24.0, "month"), "mean", 99.0)]),
    ([["Creatinina sérica basal (mg/dL)", "1,2 ± 0,5", "1,1 ± 0,4"]],
     [("serum_creatinine", "A1", (0.0, "day"), "mean", 1.2), ("serum_creatinine", "A2", (0.0, "day"), "mean", 1.1)]),
    ([["Albumina basal (g/dL)", "2,9 ± 0,7", "3,0 ± 0,6"], ["Albumina 3 meses (g/dL)", "3,3 ± 0,6", "3,6 ± 0,5"]],
     [("serum_albumin", "A2", (0.0, "day"), "mean", 3.0), ("serum_albumin", "A1", (3.0, "month"), "mean", 3.3)]),
])
def test_spanish_row_labels(rows: list[list[str]], want: list[tuple[Any, ...]]) -> None:
    table = [["Parámetro", "Grupo CFM (n = 26)", "Grupo MMF (n = 28)"], *rows]
    got = _run("Evolución de los parámetros.", CFM_MMF, tables=[table])
    for w in want:
        assert w in got, (w, got)
    assert all(g[2] is not None for g in got), got


@pytest.mark.parametrize("text", [
    "The proteinuria basal was 3,5 ± 2,1 g/24 h in the group CFM and 3,9 ± 2,4 g/24 h in the group MMF; the creatinina sérica basal 1,1 ± 0,4 and 1,0 ± 0,3 mg/dL respectively.",
    "The proteinuria basal was 2,8 ± 1,5 g/24 h in the group MMF and 3,1 ± 1,9 g/24 h in the group CFM; the creatinina sérica basal 0,9 ± 0,2 and 1,3 ± 0,6 mg/dL respectively.",
])
def test_spanish_basal_in_prose(text: str) -> None:
    got = _run(text, CFM_MMF)
    creat = [g for g in got if g[0] == "serum_creatinine"]
    assert len(creat) == 2 and all(g[2] == (0.0, "day") for g in creat), got
    assert {g[1] for g in creat} == {"A1", "A2"}


@pytest.mark.parametrize("text", [
    "Were included 54 pacientes of 18 to 55 años with renal biopsy of class III or IV and proteinuria greater of 1 g/24 h.",
    "Patients aged 16 to 60 years with a proteinuria superior to 0,5 g/24 h were eligible.",
    "We enrolled adults with proteinuria mayor de 1,5 g/24 h and active sediment.",
    "Inclusion required a UPCR higher of 1.0 g/g at screening.",
    "Included were 40 patients with proteinuria greater than 3.5 g/24 h.",
])
def test_translated_cutoffs_are_not_outcomes(text: str) -> None:
    assert _run(text, CFM_MMF) == []


# --- registry results rows ------------------------------------------------------------------------

REG_HEAD = [["Arm/Group Title", "Placebo + MMF", "Rituximab + MMF"], ["Overall Number of Participants Analyzed", "70", "68"]]
REG_ARMS = [{"id": "A1", "label": "Placebo + MMF", "n": 70, "role": "placebo"},
            {"id": "A2", "label": "Rituximab + MMF", "n": 68, "role": "experimental"}]


@pytest.mark.parametrize(("title", "frame", "rows", "want"), [
    ("Urine Protein-to-Creatinine Ratio (UPCR)", "Baseline, Week 52",
     [["Measure Type: Mean. Dispersion: Standard Deviation. Unit of Measure: mg/mg", "", ""], ["Baseline", "4.1 (2.7)", "3.9 (2.5)"], ["Week 52", "2.0 (2.2)", "1.7 (1.9)"]],
     [("upcr", "A1", (0.0, "day"), "mean", 4.1), ("upcr", "A2", (52.0, "week"), "mean", 1.7)]),
    ("Anti-dsDNA Antibody Titer", "Week 52",
     [["Measure Type: Median. Dispersion: Inter-Quartile Range. Unit of Measure: IU/mL", "88 (30 to 210)", "37 (12 to 99)"]],
     [("anti_dsdna", "A1", (52.0, "week"), "median", 88.0), ("anti_dsdna", "A2", (52.0, "week"), "median", 37.0)]),
    ("Serum C3", "Week 24",
     [["Measure Type: Mean. Dispersion: Standard Deviation. Unit of Measure: mg/dL", "81 (22)", "95 (25)"]],
     [("c3", "A1", (24.0, "week"), "mean", 81.0), ("c3", "A2", (24.0, "week"), "mean", 95.0)]),
    ("Estimated Glomerular Filtration Rate (eGFR)", "Baseline, Week 24, Week 48",
     [["Measure Type: Mean. Dispersion: Standard Deviation. Unit of Measure: mL/min/1.73m^2", "", ""], ["Baseline", "90.2 (25.1)", "88.7 (24.0)"], ["Week 24", "91.0 (23.3)", "92.5 (22.8)"], ["Week 48", "89.9 (24.2)", "93.1 (21.7)"]],
     [("egfr", "A2", (24.0, "week"), "mean", 92.5), ("egfr", "A1", (48.0, "week"), "mean", 89.9)]),
    ("SELENA-SLEDAI Score", "Week 52",
     [["Measure Type: Median. Dispersion: Full Range. Unit of Measure: units on a scale", "4 (0 to 12)", "2 (0 to 10)"]],
     [("sledai", "A1", (52.0, "week"), "median", 4.0), ("sledai", "A2", (52.0, "week"), "median", 2.0)]),
])
def test_registry_value_rows(title: str, frame: str, rows: list[list[str]], want: list[tuple[Any, ...]]) -> None:
    text = f"### 3. Secondary Outcome\n\n**Outcome Measure:** {title}\n\n**Time Frame:** {frame}\n"
    got = _run(text, REG_ARMS, tables=[REG_HEAD + rows])
    for w in want:
        assert w in got, (w, got)


@pytest.mark.parametrize("desc", [
    "Placebo IV on Days 1 and 15 plus MMF 3 g/day and prednisone 0.75 mg/kg/day orally (maximum 60 mg/day), tapered to 10 mg/day by Day 112.",
    "Matching placebo infusions, with mycophenolate mofetil and oral prednisone 0.5 mg/kg/day tapered to 7.5 mg/day by Week 16 in all participants.",
    "Placebo on Days 1, 15, 168 and 182; prednisolone 1 mg/kg/day reduced to 5 mg/day by Month 6 and MMF titrated to 2 g/day.",
    "Placebo plus standard therapy: glucocorticoid 40 mg/day for 4 weeks, tapered by 5 mg/day every two weeks to 10 mg/day by Day 84.",
    "Saline infusion every four weeks and a prednisone dose of 0.6 mg/kg/day tapered to 10 mg/day by Week 12 with MMF 2 g/day.",
])
def test_arm_description_header_names_no_measure(desc: str) -> None:
    table = [["Arm/Group Title", "Placebo + MMF", "Rituximab + MMF"], ["Arm/Group Description", desc, desc.replace("Placebo", "Rituximab 1000 mg")],
             ["STARTED", "73", "71"], ["COMPLETED", "62", "63"], ["NOT COMPLETED", "11", "8"]]
    assert _run("## Participant Flow", REG_ARMS, tables=[table]) == []


# --- event counts: split over the arms, for each arm, arm named before "patient" ------------------------

ARMS2 = [{"id": "A1", "label": "MMF", "n": 40, "role": "experimental"},
         {"id": "A2", "label": "cyclophosphamide", "n": 38, "role": "control"}]


@pytest.mark.parametrize(("text", "want"), [
    ("Two patients died during the first year (one in each group).", [("death", "A1", 1.0), ("death", "A2", 1.0)]),
    ("Four patients (2 in each group) reached end-stage kidney disease.", [("eskd", "A1", 2.0), ("eskd", "A2", 2.0)]),
    ("Six patients died in each group.", [("death", "A1", 6.0), ("death", "A2", 6.0)]),
    ("Three deaths occurred in each arm during follow-up.", [("death", "A1", 3.0), ("death", "A2", 3.0)]),
    ("Overall 6 patients died (three in each group), and 2 (one in each group) started dialysis.",
     [("death", "A1", 3.0), ("death", "A2", 3.0)]),
    ("End-stage kidney disease occurred in 1 MMF patient and 3 cyclophosphamide patients.", [("eskd", "A1", 1.0), ("eskd", "A2", 3.0)]),
    ("ESKD developed in 4 cyclophosphamide patients and 2 MMF patients.", [("eskd", "A2", 4.0), ("eskd", "A1", 2.0)]),
    ("Two patients died, both in the cyclophosphamide group (one of sepsis, one of a stroke).", [("death", "A2", 2.0)]),
])
def test_event_counts_per_arm(text: str, want: list[tuple[Any, ...]]) -> None:
    got = [(g[0], g[1], g[4]) for g in _run(text, ARMS2) if g[0] in {"death", "eskd"}]
    for w in want:
        assert w in got, (w, got)
    assert not [g for g in got if g[1] is None and g[0] in {w[0] for w in want}], got


# --- bare flare counts per year, n from a "patients followed" row -------------------------------------

@pytest.mark.parametrize(("label", "cells_a", "cells_b"), [
    ("Renal flares, n", ["2", "3", "1"], ["5", "4", "4"]),
    ("Lupus flares, n", ["0", "1", "2"], ["3", "2", "1"]),
    ("Renal flare", ["4", "2", "0"], ["1", "1", "3"]),
    ("SLE flares (number)", ["1", "1", "1"], ["2", "2", "0"]),
    ("Renal flares, n", ["7", "6", "5"], ["9", "8", "6"]),
])
def test_flare_counts_by_year(label: str, cells_a: list[str], cells_b: list[str]) -> None:
    arms = [{"id": "A1", "label": "obinutuzumab", "n": 51, "role": "experimental"},
            {"id": "A2", "label": "placebo", "n": 46, "role": "placebo"}]
    table = [["Measure", "Group", "Year 1", "Year 2", "Year 3"],
             ["Patients followed, n", "Obinutuzumab", "51", "48", "44"], ["", "Placebo", "46", "42", "37"],
             [label, "Obinutuzumab", *cells_a], ["", "Placebo", *cells_b]]
    ctx = make_ctx("Renal course by year.", {"arms": arms}, tables=[table])
    got = [o for o in extract_outcomes(ctx) if o.measure == "flare"]
    assert [(o.arm, o.time.value if o.time else None, o.value) for o in got] == \
        [("A1", float(i + 1), float(v)) for i, v in enumerate(cells_a)] + [("A2", float(i + 1), float(v)) for i, v in enumerate(cells_b)]
    assert [o.n for o in got] == [51, 48, 44, 46, 42, 37]


def test_flare_rate_cells_stay_responses() -> None:
    table = [["", "MMF (n = 23)", "CYC (n = 23)"], ["Renal flare during follow-up", "2 (8,7)", "3 (13,0)"], ["Lupus flare", "4/23", "5/23"]]
    got = _run("Outcomes.", [{"id": "A1", "label": "MMF", "n": 23, "role": "experimental"}, {"id": "A2", "label": "CYC", "n": 23, "role": "control"}], tables=[table])
    assert [g for g in got if g[0] == "flare"] == []


# --- percent falls per dose cohort ---------------------------------------------------------------

@pytest.mark.parametrize(("text", "measure", "values", "time"), [
    ("CD19+ B cells fell by a median of 62%, 88% and 94% from baseline by day 29 in the 1, 3 and 10 mg/kg cohorts.", "cd19_b_cells", [-62, -88, -94], (29.0, "day")),
    ("Anti-dsDNA decreased by 20%, 35% and 41% at week 12 in the 1, 3 and 10 mg/kg groups.", "anti_dsdna", [-20, -35, -41], (12.0, "week")),
    ("Proteinuria was reduced by 30%, 45% and 52% at month 6 in the 1, 3 and 10 mg/kg dose cohorts.", "proteinuria_24h", [-30, -45, -52], (6.0, "month")),
    ("By week 8, CD19+ B cells had fallen by 50%, 71% and 90% in the 1, 3 and 10 mg/kg cohorts.", "cd19_b_cells", [-50, -71, -90], (8.0, "week")),
    ("UPCR declined by 15%, 22% and 40% at week 24 in the 1, 3 and 10 mg/kg arms.", "upcr", [-15, -22, -40], (24.0, "week")),
])
def test_dose_cohort_percent_falls(text: str, measure: str, values: list[int], time: tuple[float, str]) -> None:
    got = [g for g in _run(text, DOSES) if g[0] == measure]
    assert [(g[1], g[2], g[3], g[4]) for g in got] == [(a, time, "change", float(v)) for a, v in zip(["A1", "A2", "A3"], values)], got


# --- "dose of PSL", "time to CR" ------------------------------------------------------------------

@pytest.mark.parametrize(("text", "measure", "want"), [
    ("The dose of PSL at 12 months was 8.2 +/- 2.5 mg/day in the MZR group and 8.0 +/- 2.3 mg/day in the TAC group.", "prednisone_dose", [("A1", 8.2), ("A2", 8.0)]),
    ("At 6 months the PSL dose was 12.5 +/- 3.0 mg/day in the TAC group and 13.1 +/- 2.8 mg/day in the MZR group.", "prednisone_dose", [("A2", 12.5), ("A1", 13.1)]),
    ("The mean dose of corticosteroids at week 24 was 10.2 mg/day in the MZR group and 9.6 mg/day in the TAC group.", "prednisone_dose", [("A1", 10.2), ("A2", 9.6)]),
    ("The median time to CR was 168 days in the MZR group and 154 days in the TAC group.", "time_to_remission", [("A1", 168.0), ("A2", 154.0)]),
    ("Median time to CRR was 120 days with tacrolimus and 182 days with mizoribine.", "time_to_remission", [("A2", 120.0), ("A1", 182.0)]),
])
def test_psl_dose_and_time_to_cr(text: str, measure: str, want: list[tuple[str, float]]) -> None:
    arms = [{"id": "A1", "label": "mizoribine (MZR)", "n": 32, "role": "experimental"},
            {"id": "A2", "label": "tacrolimus (TAC)", "n": 33, "role": "control"}]
    got = [(g[1], g[4]) for g in _run(text, arms) if g[0] == measure]
    assert got == want
