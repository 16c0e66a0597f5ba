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


@pytest.mark.parametrize("text", [
    "MMF 1.5 g per day in two divided doses",
    "MMF 2 g/day in two divided doses",
    "mycophenolate 1 g daily in 2 divided doses",
    "mycophenolic acid 1440 mg a day in two divided doses",
    "MMF 3 g per day in 2 divided doses",
])
def test_divided_daily_dose_is_not_once_daily(text):
    from extractor.extract.dosing import find_schedules  # noqa: PLC0415
    assert [s.text for s in find_schedules(text)] == ["daily in two divided doses"]
