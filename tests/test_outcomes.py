"""Golden req/res cases for extractor.extract.outcomes (tests/golden/outcomes.json), incl. must-not-match."""

from __future__ import annotations

from typing import Any

import golden_cases
import pytest
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
     {("upcr", "A2", "change", -0.4), ("upcr", "A1", "change", -1.6)}),
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
    ("At week 24, anti-dsDNA had decreased by 35 IU/mL.", {("anti_dsdna", None, "change", -35.0)}),
])
def test_a_decrease_is_a_negative_change(text: str, expected: set[tuple[object, ...]]) -> None:
    state = TWO if "placebo" in text else {"follow_up": (24.0, "week")}
    assert _got(text, state) == expected


@pytest.mark.parametrize("text, expected", [
    ("After 24 weeks, drug X significantly increased serum albumin (+4.2 ± 1.1 versus +0.3 ± 0.9 g/L, drug X versus placebo).",
     {("serum_albumin", "A1", "change", 4.2), ("serum_albumin", "A2", "change", 0.3)}),
    ("eGFR at week 24: +3.1 with drug X versus +0.4 with placebo.", {("egfr", "A1", "change", 3.1), ("egfr", "A2", "change", 0.4)}),
    ("C3 at week 24 was +12 mg/dL with drug X and +2 mg/dL with placebo.", {("c3", "A1", "change", 12.0), ("c3", "A2", "change", 2.0)}),
    ("Serum albumin at week 24 was 3.9 g/dL with drug X and 3.5 g/dL with placebo.", set()),  # no sign, no stat word: "other"
    ("Hemoglobin at week 24 was +0.8 with drug X and +0.1 with placebo.", {("hemoglobin", "A1", "change", 0.8), ("hemoglobin", "A2", "change", 0.1)}),
])
def test_an_explicit_plus_sign_is_a_change(text: str, expected: set[tuple[object, ...]]) -> None:
    got = _got(text, TWO)
    assert {g for g in got if g[2] != "other"} == expected


@pytest.mark.parametrize("text, expected", [
    ("Withdrawals: consent withdrawn (3 patients in drug X group), and renal replacement therapy (1 patient in drug X group and 2 patients in placebo group).",
     {("eskd", "A1", "count", 1.0), ("eskd", "A2", "count", 2.0)}),
    ("Reasons were relocation (2 patients in placebo group) and end-stage renal disease (2 patients in the drug X group and 1 patient in the placebo group).",
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
    ("The SIBDQ rose by 0.2 ± 0.8 in the group given 1,000 IU of drug Y daily and by 0.9 ± 1.0 in the 3,000 IU group.",
     {("sibdq", "A1", "change", 0.2), ("sibdq", "A2", "change", 0.9)}),
])
def test_a_distinctive_dose_word_names_the_arm(text: str, expected: set[tuple[object, ...]]) -> None:
    assert _got(text, DOSES) == expected


@pytest.mark.parametrize("text", [
    "A previous study using the same protocol reported a mean urine volume of 900 mL.",
    "In an earlier trial, proteinuria fell to 1.2 g/24 h at week 24.",
    "A mean SLEDAI of 7.5 after treatment has been described (Jones et al, 2019).",
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
    (["Measure", "Placebo (n = 40)", "Drug X (n = 40)"], ["C3 at week 24, g/L, mean (SD)", "0.8 (0.2)", "0.9 (0.2)"], {("c3", "A2", 0.8), ("c3", "A1", 0.9)}),
    (["Measure", "Week 24 placebo, mean (SD)", "Week 24 drug X, mean (SD)"], ["SLEDAI-2K", "6.0 (3.0)", "4.0 (2.0)"], {("sledai", "A2", 6.0), ("sledai", "A1", 4.0)}),
    (["Measure", "Drug X: change (SD)", "Placebo: change (SD)"], ["UPCR at week 24", "-1.2 (0.9)", "-0.5 (0.8)"], {("upcr", "A1", -1.2), ("upcr", "A2", -0.5)}),
])
def test_a_column_header_that_names_an_arm_gives_its_arm(headers: list[str], row: list[str], expected: set[tuple[object, ...]]) -> None:
    items = extract_outcomes(make_ctx("Table 3 shows the results.", dict(TWO), tables=[[headers, row]]))
    assert {(o.measure, o.arm, o.value) for o in items} == expected


OBS = {"arms": [{"id": "A1", "label": "observation group", "n": 30, "role": "experimental"},
                {"id": "A2", "label": "control group", "n": 30, "role": "control"}], "follow_up": (3.0, "year")}


@pytest.mark.parametrize("text, expected", [
    ("Both groups were treated for 12 weeks. The ALB of the two groups before treatment were (25.1±4.0) g/L and (24.8±4.2) g/L, respectively, "
     "after treatment were (35.2±3.9) g/L and (31.0±4.4) g/L, respectively.",
     {("serum_albumin", "A1", 0.0, 25.1), ("serum_albumin", "A2", 0.0, 24.8), ("serum_albumin", "A1", 12.0, 35.2), ("serum_albumin", "A2", 12.0, 31.0)}),
    ("Both groups were treated for 12 weeks. The Scr before treatment were (101.2±25.0) µmol/L and (99.8±24.1) µmol/L, respectively, "
     "after treatment were (80.3±20.2) µmol/L and (90.6±22.7) µmol/L, respectively.",
     {("serum_creatinine", "A1", 0.0, 101.2), ("serum_creatinine", "A2", 0.0, 99.8), ("serum_creatinine", "A1", 12.0, 80.3), ("serum_creatinine", "A2", 12.0, 90.6)}),
    ("Before treatment, the SLEDAI of the observation group and the control group were (15.2±3.9) and (15.9±4.1), respectively; "
     "after 12 weeks of treatment they were (5.6±2.0) and (8.1±2.5), respectively.",
     {("sledai", "A1", 0.0, 15.2), ("sledai", "A2", 0.0, 15.9), ("sledai", "A1", 12.0, 5.6), ("sledai", "A2", 12.0, 8.1)}),
    ("Before treatment, the 24 h urine protein of the observation group and the control group were (3.6±1.1) g and (3.7±1.2) g, respectively; "
     "after 12 weeks of treatment these were (0.7±0.4) g and (1.3±0.6) g, respectively.",
     {("proteinuria_24h", "A1", 0.0, 3.6), ("proteinuria_24h", "A2", 0.0, 3.7), ("proteinuria_24h", "A1", 12.0, 0.7), ("proteinuria_24h", "A2", 12.0, 1.3)}),
    ("Both groups were treated for 12 weeks. The C3 of both groups before treatment were (0.52±0.10) g/L and (0.55±0.12) g/L, respectively, "
     "after treatment were (0.86±0.15) g/L and (0.71±0.14) g/L, respectively.",
     {("c3", "A1", 0.0, 0.52), ("c3", "A2", 0.0, 0.55), ("c3", "A1", 12.0, 0.86), ("c3", "A2", 12.0, 0.71)}),
])
def test_before_and_after_treatment_lists_with_respectively(text: str, expected: set[tuple[object, ...]]) -> None:
    got = {(o.measure, o.arm, o.time.value if o.time else None, o.value) for o in extract_outcomes(make_ctx(text, dict(OBS)))}
    assert got == expected


@pytest.mark.parametrize("text, expected", [
    ("Median UPCR was (1.40 g/g; IQR 0.90–2.10) with drug X and (1.35 g/g; IQR 0.80–2.00) with placebo at baseline, "
     "and (0.70 g/g; IQR 0.40–1.20) versus (1.20 g/g; IQR 0.70–1.90) at 24 weeks.",
     {("upcr", "A1", "median", 0.0, 1.4), ("upcr", "A2", "median", 0.0, 1.35), ("upcr", "A1", "median", 24.0, 0.7), ("upcr", "A2", "median", 24.0, 1.2)}),
    ("Mean eGFR was (61.0; SD 18.0) versus (60.2; SD 19.5) mL/min/1.73 m² at baseline and (62.4; SD 18.8) versus (57.9; SD 20.1) mL/min/1.73 m² at 24 weeks.",
     {("egfr", "A1", "mean", 0.0, 61.0), ("egfr", "A2", "mean", 0.0, 60.2), ("egfr", "A1", "mean", 24.0, 62.4), ("egfr", "A2", "mean", 24.0, 57.9)}),
    ("Mean serum albumin was (3.1 g/dL; SD 0.6) with drug X and (3.0 g/dL; SD 0.7) with placebo at baseline.",
     {("serum_albumin", "A1", "mean", 0.0, 3.1), ("serum_albumin", "A2", "mean", 0.0, 3.0)}),
    ("Median C3 at 24 weeks was (0.92 g/L; IQR 0.80–1.05) with drug X and (0.81 g/L; IQR 0.70–0.95) with placebo.",
     {("c3", "A1", "median", 24.0, 0.92), ("c3", "A2", "median", 24.0, 0.81)}),
    ("Mean SLEDAI-2K was (10.2; SD 3.1) with drug X and (10.6; SD 3.4) with placebo at baseline, and (4.1; SD 2.2) versus (6.3; SD 2.9) at 24 weeks.",
     {("sledai", "A1", "mean", 0.0, 10.2), ("sledai", "A2", "mean", 0.0, 10.6), ("sledai", "A1", "mean", 24.0, 4.1), ("sledai", "A2", "mean", 24.0, 6.3)}),
])
def test_semicolon_spreads_and_a_repeated_arm_order(text: str, expected: set[tuple[object, ...]]) -> None:
    got = {(o.measure, o.arm, o.stat, o.time.value if o.time else None, o.value) for o in extract_outcomes(make_ctx(text, dict(TWO)))}
    assert got == expected


@pytest.mark.parametrize("text, expected", [
    ("Mean UPCR fell from 3.9 (SD 2.0) to 1.2 (SD 1.1) with drug X and from 4.0 (SD 2.2) to 2.0 (SD 1.5) with placebo; "
     "mean serum albumin rose from 2.8 (SD 0.6) to 3.7 (SD 0.5) g/dL and from 2.9 (SD 0.7) to 3.3 (SD 0.6) g/dL over the same 24 weeks.",
     {("serum_albumin", "A1", 0.0, 2.8), ("serum_albumin", "A1", 24.0, 3.7), ("serum_albumin", "A2", 0.0, 2.9), ("serum_albumin", "A2", 24.0, 3.3)}),
    ("Mean C3 rose from 60 (SD 15) to 88 (SD 20) and from 62 (SD 18) to 70 (SD 19) mg/dL at 24 weeks.",
     {("c3", "A1", 0.0, 60.0), ("c3", "A1", 24.0, 88.0), ("c3", "A2", 0.0, 62.0), ("c3", "A2", 24.0, 70.0)}),
    ("Mean eGFR went from 80 (SD 20) to 84 (SD 19) and from 79 (SD 22) to 76 (SD 24) at 24 weeks.",
     {("egfr", "A1", 0.0, 80.0), ("egfr", "A1", 24.0, 84.0), ("egfr", "A2", 0.0, 79.0), ("egfr", "A2", 24.0, 76.0)}),
    ("Mean hemoglobin rose from 10.1 (SD 1.2) to 11.9 (SD 1.1) and from 10.3 (SD 1.4) to 11.0 (SD 1.3) g/dL at 24 weeks.",
     {("hemoglobin", "A1", 0.0, 10.1), ("hemoglobin", "A1", 24.0, 11.9), ("hemoglobin", "A2", 0.0, 10.3), ("hemoglobin", "A2", 24.0, 11.0)}),
    ("Mean SLEDAI-2K fell from 11 (SD 4) to 4 (SD 2) and from 12 (SD 4) to 7 (SD 3) at 24 weeks.",
     {("sledai", "A1", 0.0, 11.0), ("sledai", "A1", 24.0, 4.0), ("sledai", "A2", 0.0, 12.0), ("sledai", "A2", 24.0, 7.0)}),
])
def test_from_to_pairs_without_arm_names_follow_report_order(text: str, expected: set[tuple[object, ...]]) -> None:
    got = {(o.measure, o.arm, o.time.value if o.time else None, o.value) for o in extract_outcomes(make_ctx(text, dict(TWO)))}
    assert {g for g in got if g[0] == next(iter(expected))[0]} == expected


@pytest.mark.parametrize("caption, header, rows, expected", [
    ("Table 3. UPCR (mg/mg) by visit, mean (SD)", ["Visit", "Drug X (N = 40)", "Placebo (N = 40)"], [["Week 12", "1.9 (1.8)", "2.6 (2.2)"]],
     {("upcr", "A1", 12.0, 1.9), ("upcr", "A2", 12.0, 2.6)}),
    ("Table 4. eGFR by visit, mean (SD)", ["Visit", "Drug X (N = 40)", "Placebo (N = 40)"], [["Week 24", "86.0 (29.9)", "88.7 (28.6)"]],
     {("egfr", "A1", 24.0, 86.0), ("egfr", "A2", 24.0, 88.7)}),
    ("Table 2. Serum albumin (g/dL), mean (SD)", ["Visit", "Drug X (N = 40)", "Placebo (N = 40)"], [["Month 6", "3.6 (0.5)", "3.4 (0.6)"]],
     {("serum_albumin", "A1", 6.0, 3.6), ("serum_albumin", "A2", 6.0, 3.4)}),
    ("Table 5. Adverse events, n (%)", ["Event", "Drug X (N = 40)", "Placebo (N = 40)"], [["eGFR decreased", "8 (20.0)", "3 (7.5)"]], set()),
    ("Table 3. UPCR and eGFR by visit, mean (SD)", ["Visit", "Drug X (N = 40)", "Placebo (N = 40)"], [["Week 12", "1.9 (1.8)", "2.6 (2.2)"]], set()),
])
def test_visit_rows_take_the_measure_of_the_caption(caption: str, header: list[str], rows: list[list[str]], expected: set[tuple[object, ...]]) -> None:
    ctx = make_ctx("See the tables.", dict(TWO), tables=[[header, *rows]], caption=caption)
    assert {(o.measure, o.arm, o.time.value if o.time else None, o.value) for o in extract_outcomes(ctx)} == expected


@pytest.mark.parametrize("text, expected", [
    ("At ten years, mean serum creatinine was 1.1 mg/dL with drug X and 1.2 mg/dL with placebo. The mean SDI was 1.2 (SD 1.4) with drug X and 1.3 (SD 1.6) with placebo.",
     {("sdi", "A1", 10.0, 1.2), ("sdi", "A2", 10.0, 1.3)}),
    ("At week 52, mean UPCR was 0.9 (SD 0.8) with drug X. The mean eGFR was 88 (SD 20) with drug X and 85 (SD 22) with placebo.",
     {("egfr", "A1", 52.0, 88.0), ("egfr", "A2", 52.0, 85.0)}),
    ("At month 12 most patients were in remission.\n\nThe mean eGFR was 88 (SD 20) with drug X and 85 (SD 22) with placebo.",
     {("egfr", "A1", None, 88.0), ("egfr", "A2", None, 85.0)}),
    ("Forty patients were enrolled (mean SLEDAI 11.2 (SD 3.0)). At week 52 the mean SLEDAI was 4.1 (SD 2.0) with drug X.",
     {("sledai", None, 0.0, 11.2), ("sledai", "A1", 52.0, 4.1)}),
    ("At 2 years, mean proteinuria was 0.48 g (SD 0.81) with drug X versus 0.38 g (SD 0.52) with placebo.",
     {("proteinuria_24h", "A1", 2.0, 0.48), ("proteinuria_24h", "A2", 2.0, 0.38)}),
])
def test_time_of_the_sentence_before_and_enrolled_values(text: str, expected: set[tuple[object, ...]]) -> None:
    got = {(o.measure, o.arm, o.time.value if o.time else None, o.value) for o in extract_outcomes(make_ctx(text, dict(TWO)))}
    assert {g for g in got if g[0] == next(iter(expected))[0]} == expected


@pytest.mark.parametrize("text, expected", [
    ("The British Isles Lupus Assessment Group 2004 index was scored at week 24.", set()),
    ("SLEDAI 2000 scores were recorded at every visit.", set()),
    ("At week 24, the median decrease from baseline of ~40% for anti-dsDNA was seen with drug X (25% decrease in C3).",
     {("anti_dsdna", "A1", "change", -40.0), ("c3", "A1", "change", -25.0)}),
    ("At week 24, SLEDAI-2K had a 3.5 mean reduction with drug X.", {("sledai", "A1", "change", -3.5)}),
    ("At week 24, eGFR had a 6.0 increase with drug X.", {("egfr", "A1", "change", 6.0)}),
])
def test_version_years_and_changes_named_after_the_value(text: str, expected: set[tuple[object, ...]]) -> None:
    assert _got(text, TWO) == expected


@pytest.mark.parametrize("text, expected", [
    ("The increase in C3 in the 3,000 IU group of 0.21 ± 0.10 (p < 0.001) was significantly higher compared to the increase in the 1,000 IU group of 0.05 ± 0.08 (p = 0.2).",
     {("c3", "A2", "change", 0.21), ("c3", "A1", "change", 0.05)}),
    ("The rise in eGFR in the 3,000 IU group of 4.0 ± 2.0 (P = 0.01) was larger than in the 1,000 IU group, 1.5 ± 2.2.",
     {("egfr", "A2", "change", 4.0), ("egfr", "A1", "change", 1.5)}),
    ("The decrease in SLEDAI in the 1,000 IU group of 1.0 ± 1.5 (p = 0.3) was smaller compared to the decrease in the 3,000 IU group of 2.5 ± 2.0.",
     {("sledai", "A1", "change", -1.0), ("sledai", "A2", "change", -2.5)}),
    ("We estimated that the change in eGFR in the 3,000 IU group would be about 30% greater than in the 1,000 IU group.", set()),
    ("This gave a power of 80% to detect a 2-point difference in SLEDAI between groups.", set()),
])
def test_comparisons_with_p_values_and_power_assumptions(text: str, expected: set[tuple[object, ...]]) -> None:
    assert _got(text, DOSES) == expected


@pytest.mark.parametrize("text, expected", [
    ("One patient in the drug X group died of sepsis and two in the placebo group died (stroke and pneumonia).",
     {("death", "A1", 24.0, 1.0), ("death", "A2", 24.0, 2.0)}),
    ("One patient in the placebo group died of a myocardial infarction at week 17.", {("death", "A2", 24.0, 1.0)}),
    ("The drug X group had 1 case of death (pneumonia, 3 months after the first dose).", {("death", "A1", 24.0, 1.0)}),
    ("Two patients in the placebo group had died by week 12.", {("death", "A2", 12.0, 2.0)}),
    ("At least one renal flare was diagnosed in 5 drug X patients (12.5%) and 9 placebo patients (23.7%).", set()),
])
def test_event_counts_arm_and_time(text: str, expected: set[tuple[object, ...]]) -> None:
    items = extract_outcomes(make_ctx(text, dict(TWO)))
    assert {(o.measure, o.arm, o.time.value if o.time else None, o.value) for o in items if o.stat == "count"} == expected


@pytest.mark.parametrize("text, want", [
    ("HR 0.51 (0.34 to 0.77)", []),
    ("hazard ratio (HR 1.2, 95% CI 0.8-1.6)", []),
    ("hour 24", [(24.0, "hour")]),
    ("Hr 6", [(6.0, "hour")]),
    ("HR 2.10 (1.18 to 3.74) at week 52", [(52.0, "week")]),
])
def test_an_upper_case_hr_is_a_hazard_ratio_not_hours(text: str, want: list[tuple[float, str]]) -> None:
    from extractor.extract.timepoints import find_timepoints
    assert [(t.value, t.unit) for t in find_timepoints(text)] == want


@pytest.mark.parametrize("text, expected", [
    ("Progression was minimal through week 52, and the overall mean change from baseline in SLEDAI-2K was -3.1.", {("sledai", None, "change", 52.0, -3.1)}),
    ("At week 24, the mean change from baseline in eGFR was 2.4.", {("egfr", None, "change", 24.0, 2.4)}),
    ("The median change from baseline in UPCR was -1.2 g/g at month 6.", {("upcr", None, "change", 6.0, -1.2)}),
    ("Up to week 52, the mean change from baseline in C3 was 0.15 g/L.", {("c3", None, "change", 52.0, 0.15)}),
    ("The mean change from baseline in serum albumin was 0.6 g/dL.", {("serum_albumin", None, "change", 24.0, 0.6)}),
])
def test_a_change_from_baseline_is_not_at_baseline(text: str, expected: set[tuple[object, ...]]) -> None:
    items = extract_outcomes(make_ctx(text, {"follow_up": (24.0, "week")}))
    assert {(o.measure, o.arm, o.stat, o.time.value if o.time else None, o.value) for o in items} == expected


@pytest.mark.parametrize("text", [
    "Disease activity was assessed using the DAS28 with the CRP level 7 and the SLEDAI 12.",
    "Proteinuria was measured by 24-hour urine collection in 3 laboratories.",
    "SLEDAI-2K was scored at baseline and every 3 months.",
    "Serum creatinine was determined with an enzymatic assay (reference 14).",
    "Physical function was evaluated using the HAQ disability index 10.",
])
def test_methods_sentences_on_how_a_measure_was_assessed_hold_no_value(text: str) -> None:
    assert extract_outcomes(make_ctx(text, dict(TWO), section="methods")) == []


@pytest.mark.parametrize("above, header, rows, expected", [
    ("**Title:** Change From Baseline in Anti-dsDNA Antibody Level\n**Time Frame:** Baseline to Week 52\n",
     ["Arm/Group", "Number Analyzed", "Mean change, IU/mL (Standard Deviation)"], [["Drug X", "38", "-80.5 (120.1)"], ["Placebo", "36", "-20.2 (98.4)"]],
     {("anti_dsdna", "A1", "change", 52.0, -80.5), ("anti_dsdna", "A2", "change", 52.0, -20.2)}),
    ("**Title:** Change From Baseline in eGFR\n**Time Frame:** Baseline to Month 12\n",
     ["Arm/Group", "Number Analyzed", "Mean change, mL/min/1.73 m2 (SD)"], [["Drug X", "38", "3.1 (9.0)"], ["Placebo", "36", "-2.4 (8.7)"]],
     {("egfr", "A1", "change", 12.0, 3.1), ("egfr", "A2", "change", 12.0, -2.4)}),
    ("**Title:** Serum Albumin at Week 24\n**Time Frame:** Week 24\n",
     ["Arm/Group", "Number Analyzed", "Mean (Standard Deviation), g/dL"], [["Drug X", "38", "3.6 (0.5)"], ["Placebo", "36", "3.3 (0.6)"]],
     {("serum_albumin", "A1", "mean", 24.0, 3.6), ("serum_albumin", "A2", "mean", 24.0, 3.3)}),
    ("**Title:** Change From Baseline in SLEDAI-2K Score\n**Time Frame:** Baseline to Week 52\n",
     ["Arm/Group", "Number Analyzed", "Mean change (SD)"], [["Drug X", "38", "-4.0 (3.1)"], ["Placebo", "36", "-2.1 (3.3)"]],
     {("sledai", "A1", "change", 52.0, -4.0), ("sledai", "A2", "change", 52.0, -2.1)}),
    ("**Title:** Change From Baseline in UPCR and eGFR\n**Time Frame:** Baseline to Week 52\n",
     ["Arm/Group", "Number Analyzed", "Mean change (SD)"], [["Drug X", "38", "-1.0 (0.8)"], ["Placebo", "36", "-0.4 (0.9)"]], set()),
])
def test_registry_tables_take_the_measure_of_their_title(above: str, header: list[str], rows: list[list[str]], expected: set[tuple[object, ...]]) -> None:
    ctx = make_ctx(above, dict(TWO), tables=[[header, *rows]])
    assert {(o.measure, o.arm, o.stat, o.time.value if o.time else None, o.value) for o in extract_outcomes(ctx)} == expected


@pytest.mark.parametrize("text, expected", [
    ("Results: 80 patients were randomised (drug X 40, placebo 40) at 12 centres; 70 (87.5%) were women; mean age was 33.4 (SD 10.7) years; "
     "at week 52 PERR was reached by 20/40 vs 12/40; CRR by 10/40 vs 6/40; renal events occurred in 5 vs 9; mean eGFR was 98.2 (SD 30.1) vs 97.0 (SD 31.6) "
     "mL/min/1.73 m² at baseline and 96.1 (SD 29.0) vs 90.4 (SD 32.2) mL/min/1.73 m² at week 52; serious infections occurred in 6 (15.0%) vs 8 (20.0%), "
     "herpes zoster in 3 (7.5%) vs 2 (5.0%) patients, and 2 vs 1 patients died; no new safety signal emerged in any subgroup analysed by the investigators, "
     "neither by induction regimen nor by race, region, baseline proteinuria or biopsy class, and adherence to the infusions stayed high in both groups throughout.",
     {("egfr", "A1", 0.0, 98.2), ("egfr", "A2", 0.0, 97.0), ("egfr", "A1", 52.0, 96.1), ("egfr", "A2", 52.0, 90.4),
      ("death", "A1", 52.0, 2.0), ("death", "A2", 52.0, 1.0)}),
])
def test_a_run_on_results_paragraph_is_prose_not_a_table(text: str, expected: set[tuple[object, ...]]) -> None:
    assert len(text) > 700
    got = {(o.measure, o.arm, o.time.value if o.time else None, o.value) for o in extract_outcomes(make_ctx(text, dict(TWO)))}
    assert {g for g in got if g[0] in {"egfr", "death"}} == expected


@pytest.mark.parametrize("text, expected", [
    ("Observation group urine protein quantification from (3.2±1.1) g/24h dropped to (0.7±0.5) g/24h, control group from (3.4±1.3) g/24h dropped to (1.5±0.8) g/24h.",
     {("proteinuria_24h", "A1", 0.0, 3.2), ("proteinuria_24h", "A1", 3.0, 0.7), ("proteinuria_24h", "A2", 0.0, 3.4), ("proteinuria_24h", "A2", 3.0, 1.5)}),
    ("Observation group SLEDAI from (14.1±3.0) dropped to (5.2±2.1), control group from (13.8±3.2) dropped to (8.0±2.6).",
     {("sledai", "A1", 0.0, 14.1), ("sledai", "A1", 3.0, 5.2), ("sledai", "A2", 0.0, 13.8), ("sledai", "A2", 3.0, 8.0)}),
    ("Observation group serum albumin from (26.1±3.3) g/L rose to (35.2±3.0) g/L, control group from (25.9±3.6) g/L rose to (31.1±3.4) g/L.",
     {("serum_albumin", "A1", 0.0, 26.1), ("serum_albumin", "A1", 3.0, 35.2), ("serum_albumin", "A2", 0.0, 25.9), ("serum_albumin", "A2", 3.0, 31.1)}),
    ("Observation group 24-hour proteinuria from (2.9±1.0) g/24 h decreased to (0.6±0.4) g/24 h, control group from (3.0±1.2) g/24 h decreased to (1.2±0.7) g/24 h.",
     {("proteinuria_24h", "A1", 0.0, 2.9), ("proteinuria_24h", "A1", 3.0, 0.6), ("proteinuria_24h", "A2", 0.0, 3.0), ("proteinuria_24h", "A2", 3.0, 1.2)}),
    ("Observation group C3 from (0.51±0.12) g/L increased to (0.88±0.15) g/L, control group from (0.53±0.14) g/L increased to (0.70±0.13) g/L.",
     {("c3", "A1", 0.0, 0.51), ("c3", "A1", 3.0, 0.88), ("c3", "A2", 0.0, 0.53), ("c3", "A2", 3.0, 0.7)}),
])
def test_bracketed_from_to_values_per_arm(text: str, expected: set[tuple[object, ...]]) -> None:
    state = {"arms": OBS["arms"], "follow_up": (3.0, "year")}
    got = {(o.measure, o.arm, o.time.value if o.time else None, o.value) for o in extract_outcomes(make_ctx(text, state))}
    assert got == expected
