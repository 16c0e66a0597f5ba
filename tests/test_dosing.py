"""Golden req/res cases for extractor.extract.dosing (tests/golden/dosing.json), incl. must-not-match."""

from __future__ import annotations

from typing import Any

import pytest
import golden_cases

from extractor.extract.dosing import extract_interventions

GOLD = golden_cases.load("dosing")


@pytest.mark.parametrize("case", GOLD, ids=golden_cases.ids(GOLD))
def test_golden(case: dict[str, Any]) -> None:
    golden_cases.check(case, extract_interventions)
