"""Golden cases for general adverse-event wordings (tests/golden/adverse_general.json): totals split
over arms in a parenthesis, grade ranges before a term, "in another patient", plain-language terms,
subgroup sentences, abbreviations in table rows, and flattened-table rows ("Total", "Serious",
"Non-serious", "n (events)" cells, headers in another word order)."""

from __future__ import annotations

from typing import Any

import golden_cases
import pytest

from extractor.extract.adverse import extract_adverse_events
from extractor.extract.adverse_tables import expand_abbreviations

GOLD = golden_cases.load("adverse_general")


@pytest.mark.parametrize("case", GOLD, ids=golden_cases.ids(GOLD))
def test_golden(case: dict[str, Any]) -> None:
    golden_cases.check(case, extract_adverse_events)


@pytest.mark.parametrize(
    ("label", "full"),
    [
        ("Any TEAE", "Any treatment-emergent adverse event"),
        ("Serious AEs", "Serious adverse events"),
        ("AEs leading to discontinuation", "adverse events leading to discontinuation"),
        ("SAE", "serious adverse event"),
        ("Patients with ≥1 AE", "Patients with ≥1 adverse event"),
        ("Headache", "Headache"),
    ],
)
def test_expand_abbreviations(label: str, full: str) -> None:
    assert expand_abbreviations(label) == full
