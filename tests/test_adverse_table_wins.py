"""A prose percent of one named event in an arm whose table row gives another percent is dropped
(the table's row stands); totals, deaths, prose counts without a percent and events without a table
row are kept.

Every case is an invented wording (terms, numbers, arms and word order varied)."""

from __future__ import annotations

import pytest
from test_tables import make_ctx

from extractor.extract.adverse import extract_adverse_events

ARMS = [{"id": "A1", "label": "placebo", "n": 100, "role": "placebo"},
        {"id": "A2", "label": "sifalimumab", "n": 100, "role": "experimental"}]
TABLE = [["Adverse event", "Placebo (n = 100)", "Sifalimumab (n = 100)"],
         ["Herpes zoster", "2 (2.0)", "7 (7.0)"],
         ["Nasopharyngitis", "5 (5.0)", "11 (11.0)"],
         ["Serious adverse events", "9 (9.0)", "12 (12.0)"]]


def _events(text: str) -> list[tuple[str, str | None, int | None, float | None, str]]:
    ctx = make_ctx(text, {"arms": ARMS}, tables=[TABLE], caption="Table 2 Adverse events")
    return [(e.term, e.arm, e.n, e.percent, e.evidence.rule if e.evidence else "") for e in extract_adverse_events(ctx)]


def _prose(text: str, term: str) -> list[tuple[str, str | None, int | None, float | None, str]]:
    return [e for e in _events(text) if term in e[0] and "table" not in e[4]]


@pytest.mark.parametrize("text", [
    "Herpes zoster infections (reported under several terms) occurred in 9.0% of the sifalimumab group and 3.0% of the placebo group.",
    "Adverse events of herpes zoster were observed in 9.5% of patients given sifalimumab compared with 2.5% with placebo.",
    "Herpes zoster was reported more often with sifalimumab (8.0%) than with placebo (1.0%).",
    "Among treated patients, herpes zoster affected 10.0% in the sifalimumab group versus 3.0% in the placebo group.",
    "In the placebo group, herpes zoster was reported in 4.0% of patients.",
])
def test_prose_percent_conflicting_with_table_row_is_dropped(text):
    assert _prose(text, "zoster") == []


@pytest.mark.parametrize(("text", "term"), [
    ("Within 2 hours of dosing, one patient receiving sifalimumab experienced herpes zoster.", "zoster"),
    ("Serious adverse events within 24 h occurred in 3.0% of the sifalimumab group and 1.0% of the placebo group.", "serious"),
    ("Urinary tract infections occurred in 6.0% of the sifalimumab group and 4.0% of the placebo group.", "urinary"),
    ("Headache was reported in 5.0% of patients receiving sifalimumab and 3.0% receiving placebo.", "headache"),
    ("Bronchitis was reported in 7.0% of sifalimumab patients and 2.0% of placebo patients.", "bronchitis"),
])
def test_kept_when_no_conflicting_table_percent(text, term):
    assert _prose(text, term), _events(text)
