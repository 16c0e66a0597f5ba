"""Outcome wordings and table layouts seen in third-party reports, checked on invented variants:
an arm piece that ends the words before a measure's first value ("the increase in SIBDQ scores
was significant in the 4,000 IU group 1.0 ± 1.0"), summaries read on a measure written after them
("... compared to placebo (0.05 [IQR ...]) based on the PGA"), columns of patients grouped by
their result ("Responders (n = 88)", "Yes (n = 112)"), and a column header row hidden under a
one-cell title row."""

from __future__ import annotations

from typing import Any

import pytest
from test_tables import make_ctx

from extractor.extract.outcomes import extract_outcomes

DOSES = [{"id": "A1", "label": "1,000 IU vitamin D3", "n": 12, "role": "experimental"},
         {"id": "A2", "label": "5,000 IU vitamin D3", "n": 14, "role": "experimental"}]
DRUGS = [{"id": "A1", "label": "krill oil", "n": 30, "role": "experimental"},
         {"id": "A2", "label": "placebo", "n": 28, "role": "placebo"}]
TRIAL = [{"id": "A1", "label": "sotalol group", "n": 90, "role": "experimental"},
         {"id": "A2", "label": "control group", "n": 45, "role": "control"}]


def _run(text: str, arms: list[dict[str, Any]], tables: list[list[list[str]]] | None = None,
         caption: str = "") -> list[tuple[Any, ...]]:
    ctx = make_ctx(text, {"arms": arms}, tables=tables, caption=caption)
    return [(o.measure, o.arm, o.value) for o in extract_outcomes(ctx)]


# --- an arm piece ends the words between a measure and its first value ----------------------------

@pytest.mark.parametrize(("text", "want"), [
    ("This increase in SIBDQ scores was significant in the 5,000 IU vitamin D3 group 1.20 ± 0.90 (p = 0.02) "
     "but not in the 1,000 IU vitamin D3 group 0.20 ± 1.10.", [("sibdq", "A2", 1.2), ("sibdq", "A1", 0.2)]),
    ("The rise in serum 25(OH)D was larger in the 5,000 IU group 18.4 ± 7.2 than in the 1,000 IU group 6.1 ± 4.0.",
     [("serum_25oh_vitamin_d", "A2", 18.4), ("serum_25oh_vitamin_d", "A1", 6.1)]),
    ("The mean CRP was higher in the 5,000 IU vitamin D3 group 4.4 ± 2.0 (p = 0.04).", [("crp", "A2", 4.4)]),
    ("SLEDAI improved in the krill oil group (-1.5 [-2.0 to -0.5]) compared to the placebo patients (0.5 [-0.5 to 1.0]).",
     [("sledai", "A1", -1.5), ("sledai", "A2", 0.5)]),
    ("The mean PGA was lower in the krill oil arm 0.8 ± 0.4 and higher in the placebo arm 1.3 ± 0.6.",
     [("pga", "A1", 0.8), ("pga", "A2", 1.3)]),
])
def test_arm_piece_before_first_value(text: str, want: list[tuple[Any, ...]]) -> None:
    arms = DOSES if "IU" in text else DRUGS
    got = _run(text, arms)
    for item in want:
        assert item in got, (item, got)


@pytest.mark.parametrize("text", [
    "SLEDAI was assessed in the krill oil group 12 weeks after the first dose.",
    "The CRP was measured in the 5,000 IU group of 14 patients.",
    "Anti-dsDNA was positive in the placebo group 3 times.",
    "The SIBDQ was completed by patients in the 1,000 IU group at 90 days.",
    "PGA forms were returned in the krill oil arm 2 weeks late.",
])
def test_arm_piece_without_value(text: str) -> None:
    arms = DOSES if "IU" in text else DRUGS
    assert not [o for o in _run(text, arms) if o[2] not in {None}], _run(text, arms)


# --- summaries read on a measure written after them -------------------------------------------------

@pytest.mark.parametrize(("text", "want"), [
    ("The krill oil patients improved (-0.80 [-1.20 to -0.30]) compared to the placebo patients (0.10 [-0.40 to 0.50]) based on the PGA.",
     [("pga", "A1", -0.8), ("pga", "A2", 0.1)]),
    ("Disease activity fell in the krill oil group (-2.0 ± 1.5) and rose in the placebo group (1.0 ± 2.0) as measured by the SLEDAI-2K.",
     [("sledai", "A1", -2.0), ("sledai", "A2", 1.0)]),
    ("Fatigue eased with krill oil (-0.6 ± 0.9) but not with placebo (0.2 ± 1.1), as assessed with the Fatigue Severity Scale.",
     [("fss", "A1", -0.6), ("fss", "A2", 0.2)]),
    ("Global activity decreased among krill oil patients (median -0.5 [IQR -1.0 to 0.0]) compared to placebo (0.0 [-0.5 to 0.5]) according to the PGA.",
     [("pga", "A1", -0.5), ("pga", "A2", 0.0)]),
    ("Scores improved for krill oil (4.1 ± 2.2) versus placebo (1.3 ± 2.5) on the SIBDQ.",
     [("sibdq", "A1", 4.1), ("sibdq", "A2", 1.3)]),
])
def test_values_then_measure(text: str, want: list[tuple[Any, ...]]) -> None:
    got = _run(text, DRUGS)
    for item in want:
        assert item in got, (item, got)


@pytest.mark.parametrize("text", [
    "Of 30 patients, 12 (40%) were women, based on the SLEDAI.",
    "In 2015, 58 patients were enrolled as measured by the PGA.",
    "After 6 months 20 patients were assessed with the Fatigue Severity Scale.",
    "Twelve of 28 patients (43%) were scored on the SIBDQ.",
    "A total of 45 visits were rated by the PGA.",
])
def test_values_then_measure_needs_summaries(text: str) -> None:
    assert _run(text, DRUGS) == []


# --- columns of patients grouped by their result ----------------------------------------------------

@pytest.mark.parametrize(("head", "row"), [
    (["", "Responders n = 70", "Sotalol Nonresponders n = 20", "p Value"], ["Systolic pressure (mmHg)", "131 ± 15", "139 ± 19", "NS"]),
    (["", "Yes (n = 101)", "No (n = 34)", "p"], ["Heart rate (beats/min)", "112 ± 18", "117 ± 16", "NS"]),
    (["", "Non-responders (n = 9)", "Responders (n = 81)"], ["Serum creatinine (mg/dL)", "1.1 ± 0.3", "0.9 ± 0.2"]),
    (["", "Converters (n = 60)", "Non-converters (n = 30)"], ["Diastolic pressure (mmHg)", "82 ± 9", "80 ± 11"]),
    (["", "Yes (n = 17)", "No (n = 118)"], ["eGFR (mL/min/1.73 m2)", "71 ± 20", "84 ± 17"]),
])
def test_result_group_columns_are_not_arms(head: list[str], row: list[str]) -> None:
    got = _run("Characteristics by conversion are shown below.", TRIAL, tables=[[head, row]],
               caption="Table 2. Predictors of conversion at baseline")
    assert got == [], got


@pytest.mark.parametrize(("head", "row", "want"), [
    (["", "Sotalol group (n = 90)", "Control group (n = 45)"], ["Systolic pressure (mmHg)", "131 ± 15", "139 ± 19"], ("sbp", "A1", 131.0)),
    (["", "Sotalol (n = 90)", "Control (n = 45)"], ["Heart rate (beats/min)", "112 ± 18", "117 ± 16"], ("heart_rate", "A2", 117.0)),
    (["", "All patients (n = 135)"], ["Serum creatinine (mg/dL)", "1.0 ± 0.3"], ("serum_creatinine", None, 1.0)),
    (["", "Sotalol group", "Control group"], ["Diastolic pressure (mmHg)", "82 ± 9", "80 ± 11"], ("dbp", "A2", 80.0)),
    (["", "Sotalol group (n = 88)", "Control group (n = 44)"], ["Systolic pressure (mmHg)", "128 ± 16", "133 ± 20"], ("sbp", "A2", 133.0)),
])
def test_arm_columns_still_read(head: list[str], row: list[str], want: tuple[Any, ...]) -> None:
    got = _run("Baseline characteristics are shown below.", TRIAL, tables=[[head, row]], caption="Table 1. Baseline characteristics")
    assert want in got, got


# --- a header row under a one-cell title row --------------------------------------------------------

@pytest.mark.parametrize(("title", "head", "row"), [
    ("Conversion to sinus rhythm", ["", "Yes (n = 101)", "No (n = 34)", "p Value"], ["Systolic pressure (mmHg)", "131 ± 17", "128 ± 22", "NS"]),
    ("Relapse during follow-up", ["", "Yes (n = 20)", "No (n = 115)"], ["Heart rate (beats/min)", "101 ± 12", "97 ± 15"]),
    ("Outcome at 6 months", ["", "Non-responders (n = 30)", "Responders (n = 105)"], ["eGFR (mL/min/1.73 m2)", "62 ± 19", "80 ± 14"]),
    ("Renal response", ["", "Achievers (n = 70)", "Non-achievers (n = 65)"], ["Serum creatinine (mg/dL)", "0.9 ± 0.2", "1.3 ± 0.4"]),
    ("Restored rhythm", ["", "Converters (n = 99)", "Non-converters (n = 36)", "P"], ["Diastolic pressure (mmHg)", "84 ± 9", "81 ± 10", "0.2"]),
])
def test_header_under_title_row(title: str, head: list[str], row: list[str]) -> None:
    got = _run("Predictors are shown below.", TRIAL, tables=[[[title], head, row]], caption="Table 2. Predictors of conversion")
    assert got == [], got


# --- "M change scores were similar between the A patients (x [...]) and B patients (y [...])" -------

@pytest.mark.parametrize(("text", "want"), [
    ("The FSS change scores were quite similar between the krill oil patients (-0.10 [-1.2 to 0.4]) and placebo patients (0.30 [-0.5 to 0.9]).",
     [("fss", "A1", "change", -0.1), ("fss", "A2", "change", 0.3)]),
    ("The SLEDAI-2K change scores were similar between the placebo subjects (-1.0 [-3.0 to 0.0]) and krill oil subjects (-2.0 [-4.0 to 0.0]).",
     [("sledai", "A2", "change", -1.0), ("sledai", "A1", "change", -2.0)]),
    ("PGA change scores were similar among the krill oil participants (-0.40 ± 0.30) and placebo participants (0.10 ± 0.20).",
     [("pga", "A1", "change", -0.4), ("pga", "A2", "change", 0.1)]),
    ("The SIBDQ change scores were higher among the krill oil patients (6.5 ± 3.0) than in the placebo patients (2.0 ± 2.5).",
     [("sibdq", "A1", "change", 6.5), ("sibdq", "A2", "change", 2.0)]),
    ("FSS change scores were quite similar between the krill oil group (0.20 [-0.8 to 1.0]) and placebo group (0.25 [-0.6 to 1.1]).",
     [("fss", "A1", "change", 0.2), ("fss", "A2", "change", 0.25)]),
])
def test_change_scores_between_patients(text: str, want: list[tuple[Any, ...]]) -> None:
    ctx = make_ctx(text, {"arms": DRUGS})
    got = [(o.measure, o.arm, o.stat, o.value) for o in extract_outcomes(ctx)]
    for item in want:
        assert item in got, (item, got)
