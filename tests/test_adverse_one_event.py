"""One event is one patient: a clause opening on "One" before a total-type term ("One serious event
was reported ...") counts one patient even in a trial of several arms, with no arm when none is
named; counts above one of such terms stay unread (events, not patients).

Every case is an invented wording (terms, arms and word order varied)."""

from __future__ import annotations

import pytest
from test_tables import make_ctx

from extractor.extract.adverse import extract_adverse_events

ARMS = [{"id": "A1", "label": "belimumab", "n": 40, "role": "experimental"},
        {"id": "A2", "label": "placebo", "n": 38, "role": "placebo"}]


def _events(text: str) -> list[tuple[str, str | None, int | None]]:
    ctx = make_ctx(text, {"arms": ARMS})
    return [(e.term, e.arm, e.n) for e in extract_adverse_events(ctx)]


@pytest.mark.parametrize("text", [
    "One serious adverse event occurred, which was judged unrelated to the study drug.",
    "One serious event was reported during the 24-week study period.",
    "One SAE was recorded and resolved without sequelae.",
    "One serious adverse reaction was observed, a hospital admission for cellulitis.",
    "One serious adverse event was reported, and it resolved after antibiotics.",
])
def test_one_pooled_serious_event_is_one_patient(text):
    got = [e for e in _events(text) if e[2] is not None]
    assert got and got[0][1] is None and got[0][2] == 1, got


@pytest.mark.parametrize("text", [
    "Three serious adverse events were reported during the study.",
    "Two serious events occurred, both judged unrelated to treatment.",
    "Five SAEs were recorded over 52 weeks.",
    "Four serious adverse reactions were observed.",
    "Twelve serious events were reported overall.",
])
def test_several_pooled_events_are_not_patients(text):
    assert not [e for e in _events(text) if e[2] is not None and e[2] > 1]
