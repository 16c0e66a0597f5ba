"""An arm named right before a bracketed rate ("... compared with placebo (17.6%)") is that rate's
arm even when the sentence also names other arms together (responses.arm_before_paren_value)."""

from __future__ import annotations

import pytest
from test_tables import make_ctx

from extractor.extract.responses import extract_responses

ARMS = [{"id": "A1", "label": "placebo", "n": 60, "role": "placebo"},
        {"id": "A2", "label": "belimumab 5 mg/kg", "n": 61, "role": "experimental"},
        {"id": "A3", "label": "belimumab 10 mg/kg", "n": 59, "role": "experimental"}]


@pytest.mark.parametrize(("text", "pct"), [
    ("At week 52, both belimumab groups had higher complete response rates compared with placebo (21.7%).", 21.7),
    ("At week 52, complete response was more frequent in both belimumab groups than with placebo (12.5%).", 12.5),
    ("At week 52, the two belimumab groups reached complete response more often than placebo (30%).", 30.0),
    ("At week 52, complete response rates in the belimumab groups exceeded those seen with placebo (8.3%).", 8.3),
    ("At week 52, both belimumab groups achieved complete response more often versus placebo (15.0%).", 15.0),
])
def test_rate_in_brackets_belongs_to_the_arm_just_before(text, pct):
    got = [(r.arm, r.percent) for r in extract_responses(make_ctx(text, {"arms": ARMS}, section="results"))]
    assert ("A1", pct) in got
    assert (None, pct) not in got

