"""Golden cases for adverse-event wordings of unseen report styles (tests/golden/adverse_styles.json):
arms named by their dose alone, a bare count list that follows the arm order of the list before it,
a sentence opening on a population with its size, CONSORT flow diagrams (not results), a clause
opening on its count with the event specified in brackets, and cell-therapy / electrolyte terms."""

from __future__ import annotations

from typing import Any

import golden_cases
import pytest

from extractor.extract.adverse import extract_adverse_events
from extractor.extract.adverse_arms import flow_diagram, list_order
from extractor.records import AdverseEvent

GOLD = golden_cases.load("adverse_styles")


@pytest.mark.parametrize("case", GOLD, ids=golden_cases.ids(GOLD))
def test_golden(case: dict[str, Any]) -> None:
    golden_cases.check(case, extract_adverse_events)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("  Allocated n = 49        Allocated n = 51\n  lost to follow-up 1      lost to follow-up 0\n", True),
        ("Stopped treatment 9           Stopped treatment 12\n   death 0                       death 1\n   consent withdrawn 3   consent withdrawn 2", True),
        ("Randomised (n = 40)\n  analysed 20      analysed 19\n", True),
        ("Two patients were lost to follow-up and one was excluded.", False),  # prose: no boxes
        ("Any adverse event      57 (90.5)      56 (90.3)", False),  # a laid-out table row
        ("Discontinued treatment      3 (4.8)      2 (3.2)", False),  # one flow wording only
    ],
)
def test_flow_diagram(text: str, want: bool) -> None:
    assert flow_diagram(text) is want


def _ae(term: str, arm: str | None) -> AdverseEvent:
    return AdverseEvent(term=term, arm=arm, n=1)


@pytest.mark.parametrize(
    ("items", "want"),
    [
        ([_ae("rash", "A2"), _ae("rash", "A1")], ["A2", "A1"]),
        ([_ae("rash", "A2"), _ae("rash", "A1"), _ae("fever", "A1"), _ae("fever", "A3"), _ae("fever", "A2")], ["A1", "A3", "A2"]),
        ([_ae("rash", "A2"), _ae("rash", None)], None),  # an unattributed count: no order
        ([_ae("rash", "A1"), _ae("rash", "A1")], None),  # one arm twice
        ([_ae("rash", "A1")], None),
        ([], None),
    ],
)
def test_list_order(items: list[AdverseEvent], want: list[str] | None) -> None:
    assert list_order(items) == want


def test_lead_in_arm_of_population_frame() -> None:
    """The lead-in arm of a randomised-withdrawal trial is kept out of ``state["arms"]``; a sentence
    opening on its population ("During the open-label phase (n = 180), ...") is still its."""
    from test_tables import make_ctx

    from extractor.records import Arm

    text = ("During the open-label phase (n = 180), adverse events were reported by 101 patients (56.1%) "
            "and headache by 12 (6.7%).")
    randomised = [{"id": "A2", "label": "drug Y continued", "n": 70, "role": "experimental"},
                  {"id": "A3", "label": "placebo", "n": 71, "role": "placebo"}]
    ctx = make_ctx(text, {"arms": randomised})
    ctx.state["lead_in_arm"] = Arm(id="A1", label="Open-label drug Y (lead-in)", n=180, role="experimental")
    got = [(e.n, e.arm) for e in extract_adverse_events(ctx)]
    assert got == [(101, "A1"), (12, "A1")]
