"""Design type, phase, randomisation, blinding, follow-up."""

from __future__ import annotations

import pytest

from extractor.extract.design import extract_design
from extractor.extract.run import build_context
from extractor.records import Document


def _design(text: str):
    ctx = build_context(Document(path="t.txt", sha256="", kind="text", text=text))
    return extract_design(ctx), ctx


@pytest.mark.parametrize("text,want", [
    ("A phase I clinical trial in 9 cases of lupus nephritis.", ("single-arm", "I", False, None)),
    ("A randomised, double-blind, placebo-controlled phase 3 trial.", ("randomised", "III", True, "double-blind")),
    ("An open-label randomized phase 2b study of drug X versus standard therapy.", ("randomised", "IIb", True, "open-label")),
    ("A phase I/II single-arm study of MSC.", ("single-arm", "I/II", False, None)),
    ("Rituximab in lupus nephritis: experience with 12 patients at one centre.", ("case-series", None, False, None)),
    ("A non-randomised controlled study: MSC group versus control group.", ("non-randomised-controlled", None, False, None)),
    ("Long-term follow-up of a randomized cohort of lupus nephritis patients.", ("cohort", None, True, None)),
    ("Patients were randomly assigned in a 1:1 ratio; the trial was triple-blind.", ("randomised", None, True, "triple-blind")),
])
def test_design_cues(text, want):
    d, _ = _design(text)
    assert (d.type, d.phase, d.randomised, d.blinding) == want


@pytest.mark.parametrize("text,want", [
    ("Patients were followed up for 24 weeks.", (24, "week")),
    ("The median follow-up was 41 months.", (41, "month")),
    ("A 12-month follow-up was completed. CR at week 4.", (12, "month")),
    ("Records were reviewed to the end of follow-up (median 11 years; range 5.8 to 16.1).", (11, "year")),
    ("At 1 month the score fell. At 12 months it rose. Prednisone was given for 24 months.", (12, "month")),
])
def test_follow_up(text, want):
    d, ctx = _design(text)
    assert d.follow_up is not None and (d.follow_up.value, d.follow_up.unit) == want
    assert ctx.state["follow_up"] == want
