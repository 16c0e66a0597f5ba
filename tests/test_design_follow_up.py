"""Follow-up length in further wordings: "Follow-up: 12 months", "follow-up through week 268", and
what is not the study's follow-up: a subgroup's minimum ("had ≥12 weeks of follow-up") and the
off-treatment tail ("a 12-week follow-up period after the final dose")."""

from __future__ import annotations

import pytest

from extractor.extract.design import extract_design
from extractor.extract.run import build_context
from extractor.records import Document


def _follow_up(text: str):
    d = extract_design(build_context(Document(path="t.txt", sha256="", kind="text", text=text)))
    return (d.follow_up.value, d.follow_up.unit) if d.follow_up else None


@pytest.mark.parametrize("text,want", [
    ("Follow-up: 12 months for all patients.", (12, "month")),
    ("Follow-up: 24 weeks.", (24, "week")),
    ("Planned follow-up (36 months) was completed by all.", (36, "month")),
    ("A total of 402 patients completed the safety followup through week 268.", (268, "week")),
    ("Patients entered follow-up through week 104 after randomisation.", (104, "week")),
    ("Survivors were followed up to month 60.", (60, "month")),
    ("Follow‐up until year 5 was complete in 80%.", (5, "year")),
])
def test_follow_up_wordings(text, want):
    assert _follow_up(text) == want


@pytest.mark.parametrize("text,want", [
    ("CR was assessed at week 52 and at week 52 again. Of these, 100 patients had ≥12 weeks of follow-up available.", (52, "week")),
    ("Response at week 48 and week 48. Only patients with at least 6 months of follow-up were analysed.", (48, "week")),
    ("Treatment was given to week 48; efficacy at week 52 and week 52. All patients completed a 12-week follow-up period "
     "after administration of the final dose.", (52, "week")),
    ("Outcomes at month 12 and month 12. A 3-month follow-up after the last infusion recorded adverse events.", (12, "month")),
    ("Visits at week 24 and week 24. A 4-week follow-up after the end of treatment was required.", (24, "week")),
])
def test_minimum_or_post_treatment_follow_up_is_not_the_study_length(text, want):
    assert _follow_up(text) == want
