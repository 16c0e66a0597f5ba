"""Duration outcomes ("time to conversion") take the observation window their end-point
definition states ("defined as ... within one hour of treatment"), before the follow-up;
flares counted as "disease flares" / "SLE flares" are the measure ``flare``."""

from __future__ import annotations

import pytest
from test_tables import make_ctx

from extractor.extract.outcomes import extract_outcomes
from extractor.extract.tables import find_terms

ARMS = [{"id": "A1", "label": "drug X", "n": 40, "role": "experimental"},
        {"id": "A2", "label": "placebo", "n": 40, "role": "placebo"}]


@pytest.mark.parametrize("definition, value, unit", [
    ("Main outcome measure: successful conversion, defined as termination of the arrhythmia within one hour of treatment.", 1.0, "hour"),
    ("The primary end point was restoration of sinus rhythm within 90 minutes after the start of infusion.", 90.0, "minute"),
    ("The primary outcome was defined as return of spontaneous rhythm within 2 hours following drug administration.", 2.0, "hour"),
    ("Principal outcome: cessation of seizures within 30 min of injection.", 30.0, "minute"),
    ("Treatment was considered successful when pain resolved within 24 h of dosing.", 24.0, "hour"),
    ("The primary efficacy endpoint was defined as resolution of symptoms within three days after randomisation.", 3.0, "day"),
])
def test_a_duration_takes_the_window_of_its_end_point_definition(definition: str, value: float, unit: str) -> None:
    text = definition + "\n\nThe mean time to conversion was 17 ± 9 with drug X and 26 ± 12 with placebo."
    items = [o for o in extract_outcomes(make_ctx(text, {"arms": ARMS, "follow_up": (45.0, "day")})) if o.measure.startswith("time_to_")]
    assert items and all(o.time is not None and (o.time.value, o.time.unit) == (value, unit) for o in items)
    assert {(o.arm, o.value) for o in items} == {("A1", 17.0), ("A2", 26.0)}


@pytest.mark.parametrize("definition", [
    "Patients were enrolled within 2 hours of arrival at hospital.",  # no end-point definition
    "Secondary outcomes included relapse within 6 months of treatment.",  # not minutes/hours/days, not a definition
    "Rescue medication was allowed within one hour.",  # no reference event
    "",
    "The primary end point was conversion after one hour of treatment.",  # "after", not a window
])
def test_without_a_defined_window_a_duration_is_observed_over_the_follow_up(definition: str) -> None:
    text = (definition + "\n\n" if definition else "") + "The mean time to conversion was 17 ± 9 with drug X and 26 ± 12 with placebo."
    items = [o for o in extract_outcomes(make_ctx(text, {"arms": ARMS, "follow_up": (45.0, "day")})) if o.measure.startswith("time_to_")]
    assert items and all(o.time is not None and (o.time.value, o.time.unit) == (45.0, "day") for o in items)


@pytest.mark.parametrize("text", [
    "The mean time to arrhythmia termination was 12 minutes.",
    "Time to termination of arrhythmia was shorter with drug X.",
    "Mean time to successful termination (min) by arm",
    "the median time to arrhythmia termination did not differ",
    "TIME TO TERMINATION OF ARRHYTHMIA",
])
def test_time_to_termination_is_time_to_conversion(text: str) -> None:
    assert "time_to_conversion" in {t.canonical for t in find_terms(text, "measures")}


@pytest.mark.parametrize("text", [
    "Disease flares (BILAG A or 2B) 10/50 (20.0) 5/48 (10.4)",
    "Fewer disease flares occurred with drug X.",
    "SLE flares were recorded at every visit.",
    "The number of lupus flares by week 24",
    "a severe SLE flare in 3 patients",
    "one disease flare in the placebo group",
])
def test_disease_and_lupus_flares_are_flares(text: str) -> None:
    assert "flare" in {t.canonical for t in find_terms(text, "measures")}


ROW_ARMS = {"arms": [{"id": "A1", "label": "cyclosporine", "n": 30, "role": "experimental"},
                     {"id": "A2", "label": "azathioprine", "n": 30, "role": "control"}], "follow_up": (52.0, "week")}


@pytest.mark.parametrize("rows, expected", [
    ([["C3, g/L — cyclosporine", "0.6 (0.2)", "0.9 (0.3)"], ["C3, g/L — azathioprine", "0.7 (0.2)", "0.8 (0.2)"]],
     {("c3", "A1", 0.6), ("c3", "A1", 0.9), ("c3", "A2", 0.7), ("c3", "A2", 0.8)}),
    ([["SLEDAI-2K – azathioprine", "12.0 (4.0)", "6.5 (3.1)"], ["SLEDAI-2K – cyclosporine", "11.2 (3.8)", "5.1 (2.9)"]],
     {("sledai", "A2", 12.0), ("sledai", "A2", 6.5), ("sledai", "A1", 11.2), ("sledai", "A1", 5.1)}),
    ([["Serum albumin, g/L - cyclosporine", "25.0 (5.0)", "34.0 (4.0)"], ["Serum albumin, g/L - azathioprine", "26.1 (4.9)", "31.2 (5.5)"]],
     {("serum_albumin", "A1", 25.0), ("serum_albumin", "A1", 34.0), ("serum_albumin", "A2", 26.1), ("serum_albumin", "A2", 31.2)}),
    ([["eGFR (cyclosporine)", "70.0 (20.0)", "74.0 (21.0)"], ["eGFR (azathioprine)", "72.5 (19.0)", "71.0 (22.0)"]],
     {("egfr", "A1", 70.0), ("egfr", "A1", 74.0), ("egfr", "A2", 72.5), ("egfr", "A2", 71.0)}),
    ([["UPCR, mg/mg: azathioprine group", "4.1 (2.0)", "1.9 (1.2)"], ["UPCR, mg/mg: cyclosporine group", "3.9 (2.2)", "1.2 (0.9)"]],
     {("upcr", "A2", 4.1), ("upcr", "A2", 1.9), ("upcr", "A1", 3.9), ("upcr", "A1", 1.2)}),
])
def test_a_row_label_that_names_an_arm_after_the_measure_gives_its_arm(rows: list[list[str]], expected: set[tuple[object, ...]]) -> None:
    table = [["Measure / group", "Baseline", "Week 52"], *rows]
    items = extract_outcomes(make_ctx("Table 2. Course of values, mean (SD).", dict(ROW_ARMS), tables=[table]))
    assert {(o.measure, o.arm, o.value) for o in items} == expected


def test_a_row_label_naming_a_measure_only_keeps_no_arm() -> None:
    table = [["Measure", "Baseline", "Week 52"], ["Prednisone dose, mg/day", "30.0 (10.0)", "7.5 (2.5)"]]
    state = {"arms": [{"id": "A1", "label": "cyclosporine + prednisone", "n": 30, "role": "experimental"},
                      {"id": "A2", "label": "azathioprine", "n": 30, "role": "control"}]}
    items = extract_outcomes(make_ctx("Table 2. Course of values, mean (SD).", state, tables=[table]))
    assert items and all(o.arm is None for o in items)


DOSE_ARMS = {"arms": [{"id": "A1", "label": "drug Y 1,000 IU/day", "n": 12, "role": "control"},
                      {"id": "A2", "label": "drug Y 5,000 IU/day", "n": 12, "role": "experimental"}], "follow_up": (12.0, "week")}


@pytest.mark.parametrize("text, expected", [
    ("The fall in PGA scores was 0.9 ± 0.3 in the 5,000 IU group and 0.4 ± 0.5 in the 1,000 IU group.",
     {("pga", "A2", -0.9), ("pga", "A1", -0.4)}),
    ("Mean (SD) HAQ-DI scores were 1.3 (0.6) in the 5,000 IU group and 1.5 (0.7) in the 1,000 IU group.",
     {("haq_di", "A2", 1.3), ("haq_di", "A1", 1.5)}),
    ("At week 12, CLASI scores were 3.0 ± 2.0 in the 1,000 IU group and 2.1 ± 1.9 in the 5,000 IU group.",
     {("clasi", "A1", 3.0), ("clasi", "A2", 2.1)}),
    ("SLEDAI scores were 6.0 ± 2.2 in the 5,000 IU group and 7.5 ± 3.1 in the 1,000 IU group at week 12.",
     {("sledai", "A2", 6.0), ("sledai", "A1", 7.5)}),
    ("The increase in SIBDQ scores was 0.8 ± 0.9 in the 5,000 IU group and 0.2 ± 1.1 in the 1,000 IU group.",
     {("sibdq", "A2", 0.8), ("sibdq", "A1", 0.2)}),
])
def test_plural_scores_link_a_measure_to_its_values(text: str, expected: set[tuple[object, ...]]) -> None:
    got = {(o.measure, o.arm, o.value) for o in extract_outcomes(make_ctx(text, dict(DOSE_ARMS)))}
    assert {(m, a, v) for m, a, v in got if m in {e[0] for e in expected}} == expected


@pytest.mark.parametrize("text", [
    "The SLEDAI score was significant in the 5,000 IU drug Y group (p = 0.01).",
    "SIBDQ scores improved in the 1,000 IU oral drug Y group.",
    "CRP fell more in the 5,000 IU daily group.",
    "The change in PGA was significant in the 1,000 IU vitamin D3 arm.",
    "HAQ-DI scores were lower in the 5,000 IU cholecalciferol dose group.",
])
def test_a_dose_that_names_an_arm_is_no_value(text: str) -> None:
    values = {o.value for o in extract_outcomes(make_ctx(text, dict(DOSE_ARMS)))}
    assert not values & {1000.0, 5000.0}


@pytest.mark.parametrize("text, expected", [
    ("The FSS change score was -0.4 (-1.2 to 0.3) with drug X and 0.3 (-0.2 to 0.8) with placebo.",
     {("fss", "A1", "change", -0.4), ("fss", "A2", "change", 0.3)}),
    ("PGA change scores were -0.6 ± 0.4 with drug X and -0.1 ± 0.3 with placebo.",
     {("pga", "A1", "change", -0.6), ("pga", "A2", "change", -0.1)}),
    ("With placebo the SLEDAI change score was -1.0 ± 2.0, and with drug X it was -3.5 ± 2.5.",
     {("sledai", "A2", "change", -1.0)}),
    ("Mean HAQ-DI change scores were -0.30 ± 0.20 with drug X and -0.10 ± 0.25 with placebo.",
     {("haq_di", "A1", "change", -0.3), ("haq_di", "A2", "change", -0.1)}),
    ("The CLASI change score from baseline was -4.0 (-6.0 to -2.0) with drug X and -1.0 (-2.5 to 0.5) with placebo.",
     {("clasi", "A1", "change", -4.0), ("clasi", "A2", "change", -1.0)}),
])
def test_a_change_score_is_a_change_over_the_follow_up(text: str, expected: set[tuple[object, ...]]) -> None:
    items = extract_outcomes(make_ctx(text, {"arms": ARMS, "follow_up": (24.0, "week")}))
    got = {(o.measure, o.arm, o.stat, o.value) for o in items}
    assert expected <= got
    assert all(o.time is not None and (o.time.value, o.time.unit) == (24.0, "week") for o in items if (o.measure, o.arm, o.stat, o.value) in expected)
