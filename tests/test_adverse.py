"""Golden req/res cases for extractor.extract.adverse (tests/golden/adverse.json), incl. must-not-match."""

from __future__ import annotations

from typing import Any

import golden_cases
import pytest

from extractor.extract.adverse import extract_adverse_events

GOLD = golden_cases.load("adverse")


@pytest.mark.parametrize("case", GOLD, ids=golden_cases.ids(GOLD))
def test_golden(case: dict[str, Any]) -> None:
    golden_cases.check(case, extract_adverse_events)
