"""Arms labelled by their dose are named by that dose in prose ("in the 4,000 IU group"), and rates
read together share one population (responses_lists.dose_arm, responses_values.fits_size)."""

from __future__ import annotations

import pytest

from extractor.extract.responses_lists import dose_arm
from extractor.extract.responses_values import fits_size

LABELS = {"A1": "drug X 2,000 IU/day", "A2": "drug X 4,000 IU/day"}
MG = {"A1": "agent Y 10 mg/kg", "A2": "agent Y 30 mg/kg", "A3": "placebo"}


@pytest.mark.parametrize(("text", "labels", "want"), [
    ("of patients in the 4,000 IU group", LABELS, "A2"),
    ("and 3 in the 2000 IU arm", LABELS, "A1"),
    ("receiving 30 mg/kg", MG, "A2"),
    ("those given 10 mg/kg every 4 weeks", MG, "A1"),
    ("in the 4,000 IU and 2,000 IU groups", LABELS, None),  # two arms named: none
    ("at week 12", MG, None),
    ("of patients given 10 mg", MG, None),  # mg is not mg/kg
    ("the 500 IU group", LABELS, None),
])
def test_dose_arm(text: str, labels: dict[str, str], want: str | None) -> None:
    assert dose_arm(labels, text) == want


@pytest.mark.parametrize(("pct", "total", "want"), [
    (82.0, 60, True),  # 49/60 = 81.7 → 82
    (79.2, 60, False),  # no k of 60
    (31.3, 48, True),  # 15/48 = 31.25, printed 31.3
    (73.9, 99, False),
    (41.6, 80, False),
    (12.5, 8, True),
])
def test_fits_size(pct: float, total: int, want: bool) -> None:
    assert fits_size(pct, total) is want
