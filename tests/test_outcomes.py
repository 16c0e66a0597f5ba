"""Golden req/res cases for extractor.extract.outcomes (tests/golden/outcomes.json), incl. must-not-match."""

from __future__ import annotations

from typing import Any

import pytest
import golden_cases
from test_tables import make_ctx

from extractor.extract.outcomes import extract_outcomes

GOLD = golden_cases.load("outcomes")


@pytest.mark.parametrize("case", GOLD, ids=golden_cases.ids(GOLD))
def test_golden(case: dict[str, Any]) -> None:
    golden_cases.check(case, extract_outcomes)


LIST_ARMS = {"arms": [{"id": "A1", "label": "an observation group", "n": 30}, {"id": "A2", "label": "control group", "n": 30}],
             "follow_up": (12.0, "week")}


@pytest.mark.parametrize("text, expected", [
    ("Before treatment, 24 h urinary protein, serum albumin and SLEDAI were (3.2 ± 1.1) g, (28.4 ± 4.2) g/L and 14.2 ± 3.1 "
     "in the observation group and (3.1 ± 1.2) g, (28.9 ± 3.9) g/L and 13.8 ± 2.9 in the control group.",
     {("proteinuria_24h", "A1", 0.0, 3.2), ("serum_albumin", "A1", 0.0, 28.4), ("sledai", "A1", 0.0, 14.2),
      ("proteinuria_24h", "A2", 0.0, 3.1), ("serum_albumin", "A2", 0.0, 28.9), ("sledai", "A2", 0.0, 13.8)}),
    ("After 12 weeks, serum creatinine and eGFR were (88.1 ± 20.4) μmol/L and (92.0 ± 15.3) in the control group, "
     "and (80.2 ± 18.7) μmol/L and (99.5 ± 14.1) in the observation group.",
     {("serum_creatinine", "A2", 12.0, 88.1), ("egfr", "A2", 12.0, 92.0), ("serum_creatinine", "A1", 12.0, 80.2), ("egfr", "A1", 12.0, 99.5)}),
    ("Before treatment the 24 h urinary protein was (3.6 ± 1.0) g and (3.5 ± 1.1) g, and serum albumin (24.9 ± 4.0) g/L "
     "and (25.3 ± 4.4) g/L in the observation and control groups.",
     {("proteinuria_24h", "A1", 0.0, 3.6), ("proteinuria_24h", "A2", 0.0, 3.5), ("serum_albumin", "A1", 0.0, 24.9), ("serum_albumin", "A2", 0.0, 25.3)}),
    ("Before treatment the 24 h urinary protein was (3.6 ± 1.0) g and (3.5 ± 1.1) g, and serum albumin (24.9 ± 4.0) g/L "
     "and (25.3 ± 4.4) g/L in the observation and control groups. After treatment the corresponding values were "
     "(0.9 ± 0.4) g vs (1.5 ± 0.6) g and (35.8 ± 4.1) g/L vs (31.9 ± 4.5) g/L.",
     {("proteinuria_24h", "A1", 0.0, 3.6), ("proteinuria_24h", "A2", 0.0, 3.5), ("serum_albumin", "A1", 0.0, 24.9), ("serum_albumin", "A2", 0.0, 25.3),
      ("proteinuria_24h", "A1", 12.0, 0.9), ("proteinuria_24h", "A2", 12.0, 1.5), ("serum_albumin", "A1", 12.0, 35.8), ("serum_albumin", "A2", 12.0, 31.9)}),
    ("At the end of treatment, SLEDAI score and C3 were 5.1 ± 2.0 and (0.92 ± 0.18) g/L in the observation group, "
     "versus 7.9 ± 2.4 and (0.78 ± 0.20) g/L in the control group.",
     {("sledai", "A1", 12.0, 5.1), ("c3", "A1", 12.0, 0.92), ("sledai", "A2", 12.0, 7.9), ("c3", "A2", 12.0, 0.78)}),
])
def test_a_list_of_measures_then_values_per_arm(text: str, expected: set[tuple[object, ...]]) -> None:
    got = {(o.measure, o.arm, o.time.value if o.time else None, o.value) for o in extract_outcomes(make_ctx(text, dict(LIST_ARMS)))}
    assert got == expected


def test_corresponding_values_need_the_same_number_of_values() -> None:
    text = ("Before treatment the 24 h urinary protein was (3.6 ± 1.0) g and (3.5 ± 1.1) g, and serum albumin (24.9 ± 4.0) g/L "
            "and (25.3 ± 4.4) g/L in the observation and control groups. After treatment the corresponding values were (0.9 ± 0.4) g vs (1.5 ± 0.6) g.")
    got = [o for o in extract_outcomes(make_ctx(text, dict(LIST_ARMS))) if o.time and o.time.value and o.evidence and "list" in o.evidence.rule]
    assert got == []


# --------------------------------------------------------------------------------------
# general wordings of real reports (stat, sign, arm, event counts, non-results)
# --------------------------------------------------------------------------------------

TWO = {"arms": [{"id": "A1", "label": "drug X", "n": 40, "role": "experimental"},
                {"id": "A2", "label": "placebo", "n": 40, "role": "placebo"}], "follow_up": (24.0, "week")}
DOSES = {"arms": [{"id": "A1", "label": "1,000 IU", "n": 10, "role": "experimental"},
                  {"id": "A2", "label": "3,000 IU of oral drug Y daily", "n": 10, "role": "experimental"}], "follow_up": (12.0, "week")}


def _got(text: str, state: dict[str, object] | None = None, tables: list[list[list[str]]] | None = None) -> set[tuple[object, ...]]:
    items = extract_outcomes(make_ctx(text, dict(state or {}), tables=tables))
    return {(o.measure, o.arm, o.stat, o.value) for o in items}


@pytest.mark.parametrize("text", [
    "Patients with new BILAG 1A or 2B flares were fewer with drug X.",
    "In the 2nd tertile of SLEDAI the effect was larger.",
    "BILAG 3B domains improved in most patients.",
    "The 3rd quartile of eGFR showed no difference.",
    "A SLEDAI 4th-item score was not recorded.",
])
def test_a_number_glued_to_letters_is_no_value(text: str) -> None:
    assert _got(text, TWO) == set()


@pytest.mark.parametrize("text, expected", [
    ("At week 24 the geometric mean C3 was 0.81 g/L (95% CI 0.70–0.92) with drug X, compared with 0.74 (0.66–0.83) with placebo.",
     {("c3", "A1", "other", 0.81), ("c3", "A2", "other", 0.74)}),
    ("Geometric mean anti-dsDNA at week 24 was 110 IU/mL with drug X and 180 IU/mL with placebo.",
     {("anti_dsdna", "A1", "other", 110.0), ("anti_dsdna", "A2", "other", 180.0)}),
    ("The geometric mean UPCR at week 24 was 0.9 mg/mg (95% CI 0.6-1.2) in the drug X group; and 1.4 (1.0-1.8) in the placebo group.",
     {("upcr", "A1", "other", 0.9), ("upcr", "A2", "other", 1.4)}),
    ("At week 24 the mean C3 was 0.81 g/L with drug X and 0.74 g/L with placebo.",
     {("c3", "A1", "mean", 0.81), ("c3", "A2", "mean", 0.74)}),
    ("At week 24 the geometric mean eGFR was 88 with drug X; and 84 with placebo.",
     {("egfr", "A1", "other", 88.0), ("egfr", "A2", "other", 84.0)}),
])
def test_geometric_means_are_other_and_a_clause_continues_its_measure(text: str, expected: set[tuple[object, ...]]) -> None:
    assert _got(text, TWO) == expected


@pytest.mark.parametrize("text, expected", [
    ("The change in SLEDAI-2K (drug X -2.00 [-4.0–0.5] and placebo 0.50 [-1.0–2.0]) did not differ.",
     {("sledai", "A1", "change", -2.0), ("sledai", "A2", "change", 0.5)}),
    ("The increase in serum albumin (drug X 4.1 ± 2.0 and placebo 1.2 ± 1.9) was larger with drug X.",
     {("serum_albumin", "A1", "change", 4.1), ("serum_albumin", "A2", "change", 1.2)}),
    ("The mean reduction in UPCR (placebo 0.4 ± 0.9 and drug X 1.6 ± 1.1) favoured drug X.",
     {("upcr", "A2", "change", 0.4), ("upcr", "A1", "change", 1.6)}),
    ("Changes in eGFR (drug X -1.5 [-6.0–3.0] and placebo -4.0 [-9.0–0.0]) were small.",
     {("egfr", "A1", "change", -1.5), ("egfr", "A2", "change", -4.0)}),
    ("The improvement in PGA (drug X -0.60 [-1.2–0.1] and placebo 0.10 [-0.3–0.4]) favoured drug X.",
     {("pga", "A1", "change", -0.6), ("pga", "A2", "change", 0.1)}),
])
def test_a_change_named_before_the_measure_and_arms_in_brackets(text: str, expected: set[tuple[object, ...]]) -> None:
    assert _got(text, TWO) == expected


@pytest.mark.parametrize("text, expected", [
    ("CRP decreased by 2.5 ± 4.0 with drug X and decreased by 0.5 ± 3.0 with placebo.", {("crp", "A1", "change", -2.5), ("crp", "A2", "change", -0.5)}),
    ("At week 24, proteinuria had fallen by 1.4 g/24 h.", {("proteinuria_24h", None, "change", -1.4)}),
    ("The mean decrease in SLEDAI-2K was -3.0 at week 24.", {("sledai", None, "change", -3.0)}),
    ("At week 24, eGFR had risen by 6.5 mL/min/1.73 m2.", {("egfr", None, "change", 6.5)}),
    ("Anti-dsDNA showed a median reduction of 35% at week 24.", {("anti_dsdna", None, "change", -35.0)}),
])
def test_a_decrease_is_a_negative_change(text: str, expected: set[tuple[object, ...]]) -> None:
    state = TWO if "placebo" in text else {"follow_up": (24.0, "week")}
    assert _got(text, state) == expected


@pytest.mark.parametrize("text, expected", [
    ("After 24 weeks, drug X significantly increased serum albumin (+4.2 ± 1.1 vs. +0.3 ± 0.9 g/L, drug X vs placebo).",
     {("serum_albumin", "A1", "change", 4.2), ("serum_albumin", "A2", "change", 0.3)}),
    ("eGFR at week 24: +3.1 with drug X versus +0.4 with placebo.", {("egfr", "A1", "change", 3.1), ("egfr", "A2", "change", 0.4)}),
    ("C3 at week 24 was +12 mg/dL with drug X and +2 mg/dL with placebo.", {("c3", "A1", "change", 12.0), ("c3", "A2", "change", 2.0)}),
    ("Serum albumin at week 24 was 3.9 g/dL with drug X and 3.5 g/dL with placebo.", {("serum_albumin", "A1", "mean", 3.9), ("serum_albumin", "A2", "mean", 3.5)}),
    ("Hemoglobin at week 24 was +0.8 with drug X and +0.1 with placebo.", {("hemoglobin", "A1", "change", 0.8), ("hemoglobin", "A2", "change", 0.1)}),
])
def test_an_explicit_plus_sign_is_a_change(text: str, expected: set[tuple[object, ...]]) -> None:
    got = _got(text, TWO)
    assert {g for g in got if g[2] != "other"} == expected


@pytest.mark.parametrize("text, expected", [
    ("Withdrawals: consent withdrawn (3 patients in drug X group), and start of dialysis (1 patient in drug X group and 2 patients in placebo group).",
     {("eskd", "A1", "count", 1.0), ("eskd", "A2", "count", 2.0)}),
    ("Reasons were relocation (2 patients in placebo group) and dialysis (2 patients in the drug X group and 1 patient in the placebo group).",
     {("eskd", "A1", "count", 2.0), ("eskd", "A2", "count", 1.0)}),
    ("End-stage kidney disease (one patient on drug X versus three patients on placebo) was rare.",
     {("eskd", "A1", "count", 1.0), ("eskd", "A2", "count", 3.0)}),
    ("Adverse events (4 patients in drug X group), and dialysis were reported.", set()),
    ("Doubling of serum creatinine (2 subjects receiving drug X and 0 subjects receiving placebo) occurred late.",
     {("doubling_creatinine", "A1", "count", 2.0), ("doubling_creatinine", "A2", "count", 0.0)}),
])
def test_event_counts_in_brackets_after_the_event(text: str, expected: set[tuple[object, ...]]) -> None:
    assert {g for g in _got(text, TWO) if g[2] == "count"} == expected


@pytest.mark.parametrize("text, expected", [
    ("In the group receiving 1,000 IU of drug Y daily, the mean decrease in the partial Mayo score was -0.4 ± 1.2 compared to -1.1 ± 2.0 in the 3,000 IU group.",
     {("partial_mayo_score", "A1", "change", -0.4), ("partial_mayo_score", "A2", "change", -1.1)}),
    ("CRP decreased by 2.0 ± 5.0 in the group receiving 1,000 IU of drug Y and by 8.0 ± 20.0 in the 3,000 IU group.",
     {("crp", "A1", "change", -2.0), ("crp", "A2", "change", -8.0)}),
    ("With 3,000 IU of drug Y daily the SIBDQ rose by 0.9 ± 1.0, and with 1,000 IU of drug Y daily by 0.2 ± 0.8.",
     {("sibdq", "A2", "change", 0.9), ("sibdq", "A1", "change", 0.2)}),
])
def test_a_distinctive_dose_word_names_the_arm(text: str, expected: set[tuple[object, ...]]) -> None:
    assert _got(text, DOSES) == expected


@pytest.mark.parametrize("text", [
    "A previous study using the same protocol reported a mean urine volume of 900 mL.",
    "In an earlier trial, proteinuria fell to 1.2 g/24 h at week 24.",
    "Jones et al. observed a mean SLEDAI of 7.5 after treatment.",
    "We hypothesized that drug X would cause a 25% increase in eGFR.",
    "Several other published studies found serum albumin of 3.1 g/dL at week 24.",
])
def test_other_studies_and_hypotheses_are_not_results(text: str) -> None:
    assert _got(text, TWO) == set()


@pytest.mark.parametrize("text, unit", [
    ("The mean time to conversion was 7.5 ± 5.0 and 6.1 ± 4.2, respectively.", "hour"),
    ("Median time to remission was 120 and 210 days, respectively.", "week"),
    ("The mean time to response was 30 ± 12 and 45 ± 20 days, respectively.", "week"),
    ("Time to flare was 300 and 250 days in drug X and placebo, respectively.", "week"),
    ("The mean time to cardioversion was 9.0 ± 6.0 and 7.0 ± 5.0, respectively.", "hour"),
])
def test_a_duration_without_time_point_is_observed_over_the_follow_up(text: str, unit: str) -> None:
    state = {"arms": TWO["arms"], "follow_up": (20.0, unit)}
    items = [o for o in extract_outcomes(make_ctx(text, state)) if o.measure.startswith("time_to_")]
    assert items and all(o.time is not None and o.time.value == 20.0 and o.time.unit == unit for o in items)
    assert {o.arm for o in items} == {"A1", "A2"}


@pytest.mark.parametrize("headers, row, expected", [
    (["Measure", "Change to week 24 Placebo, mean (95% CI)", "Change to week 24 Drug X, mean (95% CI)"], ["Body weight, kg", "-0.3 (-0.9 to 0.3)", "-2.1 (-2.7 to -1.4)"],
     {("body_weight", "A2", -0.3), ("body_weight", "A1", -2.1)}),
    (["Measure", "Drug X, mean (SD)", "Placebo, mean (SD)"], ["eGFR at week 24", "80 (20)", "78 (22)"], {("egfr", "A1", 80.0), ("egfr", "A2", 78.0)}),
    (["Measure", "Placebo (n = 40)", "Drug X (n = 40)"], ["C3 at week 24, g/L", "0.8 (0.2)", "0.9 (0.2)"], {("c3", "A2", 0.8), ("c3", "A1", 0.9)}),
    (["Measure", "Week 24 placebo, mean", "Week 24 drug X, mean"], ["SLEDAI-2K", "6.0 (3.0)", "4.0 (2.0)"], {("sledai", "A2", 6.0), ("sledai", "A1", 4.0)}),
    (["Measure", "Drug X: change (SD)", "Placebo: change (SD)"], ["UPCR at week 24", "-1.2 (0.9)", "-0.5 (0.8)"], {("upcr", "A1", -1.2), ("upcr", "A2", -0.5)}),
])
def test_a_column_header_that_names_an_arm_gives_its_arm(headers: list[str], row: list[str], expected: set[tuple[object, ...]]) -> None:
    items = extract_outcomes(make_ctx("Table 3 shows the results.", dict(TWO), tables=[[headers, row]]))
    assert {(o.measure, o.arm, o.value) for o in items} == expected
