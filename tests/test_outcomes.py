"""Golden req/res cases for extractor.extract.outcomes (tests/golden/outcomes.json), incl. must-not-match."""

from __future__ import annotations

from typing import Any

import pytest
import golden_cases
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
