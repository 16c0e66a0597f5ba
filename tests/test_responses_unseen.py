"""Response wordings of unseen report styles (tests/golden/responses_unseen.json): anaphora to the
previous clause ("...; at week 76 the figures were ..."), remission defined as an activity index of
0 (complete), arm order implied by the previous sentence ("..., respectively"), time points
counted in treatment courses ("after 3 courses" with "each course lasted 4 weeks") and end-point
times over another clause's time; plus the pure helpers behind them."""

from __future__ import annotations

from typing import Any

import golden_cases
import pytest
from test_tables import make_ctx

from extractor.extract.responses import extract_responses
from extractor.extract.responses_endpoints import endpoint_times, prefer_endpoint
from extractor.extract.responses_lists import implied_arms, lead_in_values, named_order
from extractor.extract.timepoints import KIND_POINT, TimeMention, course_length, course_points
from extractor.records import Arm

GOLD = golden_cases.load("responses_unseen")


@pytest.mark.parametrize("case", GOLD, ids=golden_cases.ids(GOLD))
def test_golden(case: dict[str, Any]) -> None:
    golden_cases.check(case, extract_responses)


@pytest.mark.parametrize(("text", "want"), [
    ("4 weeks was 1 course of treatment, and both groups were treated for 3 courses.", (4.0, "week")),
    ("Each course lasted 21 days.", (21.0, "day")),
    ("The drug was given in 28-day cycles.", (28.0, "day")),
    ("One treatment cycle comprised two weeks.", (2.0, "week")),
    ("3 months as a course.", (3.0, "month")),
    ("A four-week course of rituximab was given.", None),  # one treatment's length, not a repeated unit
    ("Each course lasted 4 weeks; from month 6 each course lasted 6 weeks.", None),  # two lengths: none
    ("Both groups were treated for 3 courses.", None),
    # the wordings the outcome table reader's own course-length rule used to cover (now one reader)
    ("28 days as one course", (28.0, "day")),
    ("one course of treatment lasted 6 weeks", (6.0, "week")),
    ("Each course was 2 weeks", (2.0, "week")),
    ("three 4-week courses", (4.0, "week")),
    ("1 course = 14 days", (14.0, "day")),
    ("in the course of the disease", None),
    ("after 3 courses of treatment", None),
    ("course of 12 months of disease", None),
])
def test_course_length(text: str, want: tuple[float, str] | None) -> None:
    assert course_length(text) == want


@pytest.mark.parametrize(("text", "length", "want"), [
    ("After 3 courses of treatment, UPCR fell", (4.0, "week"), [(12.0, "week")]),
    ("at the end of the second cycle", (21.0, "day"), [(42.0, "day")]),
    ("following six treatment cycles and after 2 courses", (1.0, "month"), [(6.0, "month"), (2.0, "month")]),
    ("upon completion of 4 cycles", (2.0, "week"), [(8.0, "week")]),
    ("After 3 courses of treatment", None, []),
    ("treated for 3 courses", (4.0, "week"), []),
])
def test_course_points(text: str, length: tuple[float, str] | None, want: list[tuple[float, str]]) -> None:
    assert [(t.value, t.unit) for t in course_points(text, length)] == want


ARMS = {"placebo": "A2", "belimumab": "A1", "high-dose": "A3"}


def _name(piece: str) -> str | None:
    hits = [a for k, a in ARMS.items() if k in piece.lower()]
    return hits[0] if len(hits) == 1 else None


@pytest.mark.parametrize(("text", "want"), [
    ("27 of 64 placebo recipients flared, compared with 15 of 64 who kept belimumab", ["A2", "A1"]),
    ("Belimumab and placebo groups were alike", ["A1", "A2"]),
    ("fewest with placebo, most with high-dose X and belimumab in between", ["A2", "A3", "A1"]),
    ("No arm is named here", []),
    ("placebo (n = 30) versus placebo run-in", ["A2"]),
])
def test_named_order(text: str, want: list[str]) -> None:
    assert named_order(text, _name) == want


def test_implied_arms() -> None:
    assert implied_arms([["relapse"], ["relapse"]], ["A2", "A1"]) == ["A2", "A1"]
    assert implied_arms([["relapse"], ["complete"]], ["A2", "A1"]) is None  # not one run
    assert implied_arms([["relapse"]] * 3, ["A2", "A1"]) is None  # as many values as arms only
    assert implied_arms([["relapse"]], ["A1"]) is None


def _tm(value: float, start: int) -> TimeMention:
    return TimeMention(value, "week", None, start, start + 7, f"week {value:g}", KIND_POINT)


def test_endpoint_times() -> None:
    text = ("The primary end point was the change in UPCR to week 36, and key secondary end points were eGFR change to "
            "week 110, complete remission (<0.3 g/day) and partial remission at week 36. Results follow.")
    got = endpoint_times(text, None)
    assert (got["complete"].value, got["partial"].value) == (36.0, 36.0)
    assert endpoint_times("The primary end point was complete renal response at week 52; follow-up lasted to week 76.", None)[
        "complete"].value == 52.0
    assert endpoint_times("Complete remission at week 24 was 40%.", None) == {}  # no end-point statement


def test_prefer_endpoint() -> None:
    text = "x" * 300
    stated, before, after = _tm(36, 0), _tm(36, 10), _tm(110, 200)
    assert prefer_endpoint(stated, after, [before, after], 100, text) is before  # the sentence names it
    assert prefer_endpoint(stated, after, [after], 100, text) is stated  # a later clause's time is another measure's
    framed = "At week 24, UPCR fell; CR was 40% and 20%"
    assert prefer_endpoint(stated, _tm(24, 3), [_tm(24, 3)], 30, framed).value == 24  # a framing time carries over
    inner = "the change in eGFR to week 24 was 3; CR was 40% and 20%"
    assert prefer_endpoint(stated, _tm(24, 22), [_tm(24, 22)], 45, inner) is stated  # another measure's time
    assert prefer_endpoint(None, after, [after], 100, text) is after


WITHDRAWAL = [{"id": "A2", "label": "continue drug X", "n": 60, "role": "experimental"},
              {"id": "A3", "label": "placebo", "n": 60, "role": "placebo"}]


@pytest.mark.parametrize(("text", "lead_n", "want"), [
    ("At week 24, 134 of the 212 patients (63.2%) were SRI-4 responders.", 212, [("sri4", "A1", 134)]),
    ("By week 16, 150/180 patients (83.3%) had a complete response.", 180, [("complete", "A1", 150)]),
    ("At month 6, an overall renal response was seen in 97 of 150 (64.7%).", 150, [("overall", "A1", 97)]),
    ("A partial response at week 12 was reached by 80 of 140 patients (57.1%).", 140, [("partial", "A1", 80)]),
    ("Flares during the lead-in occurred in 12 of 200 patients (6.0%) by week 24.", 200, [("relapse", "A1", 12)]),
    ("At week 76, an overall response was kept by 20 of 60 (33.3%) patients in the placebo group.", 60, [("overall", "A3", 20)]),  # a named arm
])
def test_lead_in_rates(text: str, lead_n: int, want: list[tuple[str, str, int]]) -> None:
    ctx = make_ctx(text, {"arms": WITHDRAWAL})
    ctx.state["lead_in_arm"] = Arm(id="A1", label="Open-label drug X (lead-in)", n=lead_n, role="experimental")
    got = [(r.type, r.arm, r.n) for r in extract_responses(ctx)]
    assert got == want


def test_lead_in_values() -> None:
    assert lead_in_values([None, "A2"], [212, 212], ("A1", 212)) == ["A1", "A2"]  # a named arm is kept
    assert lead_in_values([None], [64], ("A1", 212)) == [None]
    assert lead_in_values([None], [212], None) == [None]
