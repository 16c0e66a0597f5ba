"""A sentence under a heading the sections vocabulary does not know (read as introduction) is
read for doses when it says the reported patients get them: past tense, a protocol's future
tense, or a labelled arm's regimen ("Group 1: ...")."""

from __future__ import annotations

import pytest

from extractor.extract.dosing import _given_here


@pytest.mark.parametrize("text", [
    "Group 1: Fixed dose regime—oral drug Z 30 mg/kg body weight to induce remission.",
    "Arm B: agent Q 10 mg/kg intravenously every 4 weeks.",
    "Participants in the intervention group will receive agent Q 500 mg twice daily.",
    "Agent Q will be given at 2 g per day for 24 weeks.",
    "Cohort 2 – agent Q 15 mg/kg as a single infusion.",
    "All patients received agent Q 1 g on days 1 and 15.",
])
def test_given_here(text: str) -> None:
    assert _given_here(text)


@pytest.mark.parametrize("text", [
    "In lymphoma, agent Q is given at 375 mg/m2 weekly.",
    "Agent Q at 2 g per day is widely used in transplantation.",
    "Group sizes were similar (30 mg/kg cut-off).",
    "Previous trials used 1 g twice daily.",
])
def test_not_given_here(text: str) -> None:
    assert not _given_here(text)
