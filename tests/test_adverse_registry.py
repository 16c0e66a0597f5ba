"""Golden cases (tests/golden/adverse_registry.json) for adverse-event wordings of registry results
pages and varied report styles: tables titled by the line above them with "Total" rows, "TERM
affected 3 and 4 patients, respectively", per-arm counts followed by another event's bare list,
"one pneumonia in each group", deaths split evenly in a parenthesis, negated deaths, causes of
death, one total-type event specified in its parenthesis, a laboratory value below a threshold,
"patients receiving cells", and new vocabulary (hyperuricaemia, glucose intolerance, CMV)."""

from __future__ import annotations

from typing import Any

import golden_cases
import pytest

from extractor.extract.adverse import extract_adverse_events

GOLD = golden_cases.load("adverse_registry")


@pytest.mark.parametrize("case", GOLD, ids=golden_cases.ids(GOLD))
def test_golden(case: dict[str, Any]) -> None:
    golden_cases.check(case, extract_adverse_events)
