"""Numbers near a measure that are not results: formula constants, category ranges, per-kg doses."""

from __future__ import annotations

import pytest
from test_tables import make_ctx

from extractor.extract.outcomes import extract_outcomes

TWO = {"arms": [{"id": "A1", "label": "drug X", "n": 40}, {"id": "A2", "label": "placebo", "n": 40}], "follow_up": (12.0, "week")}


def _got(text: str, section: str = "results") -> set[tuple[object, ...]]:
    return {(o.measure, o.value) for o in extract_outcomes(make_ctx(text, dict(TWO), section=section))}


@pytest.mark.parametrize("text", [
    "Fractional excretion of sodium FENa 100 x (UNa x SCr) = ( ) % / (SNa x UCr), where UNa is the urine sodium.",
    "Creatinine clearance was estimated with the equation: creatinine clearance 140 minus age x weight / 72 x serum creatinine.",
    "BMI 1 x weight = ( ) / height ( ) where weight is the body weight in kg.",
    "eGFR 175 x SCr x 0.742 = ( ) where SCr is the serum creatinine.",
    "Proteinuria 1000 x UP / UCr = ( ) mg/g, where UP denotes the urine protein.",
    "Serum albumin was corrected using the formula: serum albumin 4.0 minus measured value.",
])
def test_a_formula_sentence_holds_no_result(text: str) -> None:
    assert _got(text, "methods") == set()


@pytest.mark.parametrize("text, forbidden", [
    ("All patients had heart failure (40.2% had an ejection fraction of 30% to 40%), with a median NT-proBNP of 1900 pg/mL.", {30.0, 40.0}),
    ("Nine patients (22%) had an eGFR of 30 to 59 mL/min/1.73 m², and the rest were above that.", {30.0, 59.0}),
    ("Of those enrolled, 18 with a baseline UPCR of 1.0 to 3.0 g/g entered the extension.", {1.0, 3.0}),
    ("Most participants (61%) had a left ventricular ejection fraction of 41% to 49% at screening.", {41.0, 49.0}),
    ("Subjects having a BMI of 25 to 29.9 made up one third of the sample.", {25.0, 29.9}),
    ("A third of the cohort had a serum albumin of 2.5 to 3.0 g/dL.", {2.5, 3.0}),
])
def test_a_range_placing_participants_in_a_category_is_not_a_value(text: str, forbidden: set[float]) -> None:
    assert not {v for _, v in _got(text)} & forbidden


@pytest.mark.parametrize("text, expected", [
    ("The ejection fraction rose from 36% to 45% at week 12 in the drug X group.", {("lvef", 36.0), ("lvef", 45.0)}),
    ("Mean eGFR was 62.1 at week 12.", {("egfr", 62.1)}),
    ("At week 12, patients on drug X had an ejection fraction of 48%.", {("lvef", 48.0)}),
    ("The UPCR fell from 2.4 to 1.1 g/g at week 12.", {("upcr", 2.4), ("upcr", 1.1)}),
    ("Serum creatinine was 1.2 mg/dL at week 12 (P = 0.03).", {("serum_creatinine", 1.2)}),
])
def test_results_stay_values(text: str, expected: set[tuple[object, ...]]) -> None:
    assert expected <= _got(text)


@pytest.mark.parametrize("text", [
    "Drug X was given at an initial dose of 5 mg/kg body weight in 50 ml of saline.",
    "Patients received 10 mg per kg of body weight in 250 mL of dextrose over 2 hours.",
    "Drug X 2 mg/kg body weight 100 ml of saline was infused.",
    "An infusion of 15 µg/kg body weight in 40 ml was given each day.",
    "Each cycle used 1.5 g per kg body weight in 500 ml of saline.",
])
def test_body_weight_in_a_per_kg_dose_is_no_outcome(text: str) -> None:
    assert not {m for m, _ in _got(text)} & {"body_weight"}


@pytest.mark.parametrize("text", [
    "An echocardiogram performed while the individual was in sinus rhythm revealed an ejection fraction of 38 %.",
    "The patient who died had an eGFR of 24 mL/min/1.73 m² at entry.",
    "She had a serum creatinine of 2.6 mg/dL on day 4.",
    "He developed a CRP of 140 mg/L after the third infusion.",
    "On day 9 this subject had a serum albumin of 2.1 g/dL.",
])
def test_one_patient_of_a_case_narrative_is_no_group_outcome(text: str) -> None:
    assert _got(text) == set()


@pytest.mark.parametrize("text, expected", [
    ("The patient global assessment improved by 14.8 at week 12.", {("patient_global", -14.8), ("patient_global", 14.8)}),
    ("The patient population had a mean eGFR of 71 at week 12.", {("egfr", 71.0)}),
])
def test_group_sentences_naming_the_patient_keep_their_values(text: str, expected: set[tuple[object, ...]]) -> None:
    assert _got(text) & expected


@pytest.mark.parametrize("text, value", [
    ("There were two deaths in the study: one in the drug X group and one in the placebo group.", 2.0),
    ("Three deaths occurred during follow-up, two in the drug X group and one in the placebo group.", 3.0),
    ("Four patients died (three in the placebo group and one in the drug X group).", 4.0),
    ("Overall, 5 deaths were recorded: 3 with drug X and 2 with placebo.", 5.0),
    ("Two deaths were reported, one with drug X and one with placebo.", 2.0),
])
def test_a_death_total_split_over_the_arms_belongs_to_no_arm(text: str, value: float) -> None:
    items = [o for o in extract_outcomes(make_ctx(text, dict(TWO))) if o.measure == "death" and o.value == value]
    assert items and all(o.arm is None for o in items)


def test_a_death_count_of_one_named_arm_keeps_its_arm() -> None:
    items = extract_outcomes(make_ctx("Two patients in the placebo group died.", dict(TWO)))
    assert [(o.measure, o.arm, o.value) for o in items] == [("death", "A2", 2.0)]


@pytest.mark.parametrize("text, value, week", [
    ("Eight deaths occurred prior to week 104 in the drug X group.", 8.0, 104.0),
    ("Three patients in the placebo group died prior to week 48.", 3.0, 48.0),
    ("Two deaths were recorded prior to week 36 in the drug X group.", 2.0, 36.0),
    ("In the placebo group, five deaths had occurred prior to week 60.", 5.0, 60.0),
    ("Four deaths occurred in the drug X group prior to the week 72 visit.", 4.0, 72.0),
])
def test_deaths_prior_to_a_week_count_up_to_that_week(text: str, value: float, week: float) -> None:
    state = dict(TWO, follow_up=(12.0, "week"))
    items = [o for o in extract_outcomes(make_ctx(text, state)) if o.measure == "death" and o.value == value]
    assert items and all(o.time is not None and o.time.value == week and o.time.unit == "week" for o in items)
