"""Per-arm counts of events (not patients) of all adverse events of a grade or above
("grade 2 or higher AEs ... (167 or 4.1 events/subject) ... (117, 3.8 events/subject)"): one item
per arm with ``n`` unknown and the count in ``events``; nothing when a count finds no arm of its own.

Every case is an invented wording (arms, grades, numbers and word order varied)."""

from __future__ import annotations

import pytest
from test_tables import make_ctx

from extractor.extract.adverse import extract_adverse_events

ARMS = [{"id": "A1", "label": "abatacept", "n": 40, "role": "experimental"},
        {"id": "A2", "label": "rituximab", "n": 41, "role": "experimental"},
        {"id": "A3", "label": "placebo", "n": 39, "role": "placebo"}]


def _events(text: str) -> list[tuple[str, str | None, int | None, object]]:
    ctx = make_ctx(text, {"arms": ARMS})
    return [(e.term, e.arm, e.n, getattr(e, "events", None)) for e in extract_adverse_events(ctx)
            if e.evidence and e.evidence.rule == "adverse.events_per_arm"]


@pytest.mark.parametrize(("text", "term", "want"), [
    ("More grade 2 or higher AEs occurred in rituximab subjects (98 or 2.4 events/subject) "
     "compared with abatacept (71, 1.8 events/subject) or control subjects (60, 1.5 events/subject).",
     "grade ≥2 adverse events", {"A2": 98, "A1": 71, "A3": 60}),
    ("Grade ≥3 adverse events were reported with placebo (12 events) and with abatacept (25 events).",
     "grade ≥3 adverse events", {"A3": 12, "A1": 25}),
    ("Fewer grade 3 or higher TEAEs were seen in the abatacept group (14, 0.35 events per patient) than in the "
     "placebo group (22, 0.56 events per patient).", "grade ≥3 adverse events", {"A1": 14, "A3": 22}),
    ("Grade 2+ AEs: rituximab 130 events, abatacept 101 events, placebo 88 events.",
     "grade ≥2 adverse events", {"A2": 130, "A1": 101, "A3": 88}),
    ("Overall, grade 4 adverse events were rare: in the placebo arm 1 event, in the abatacept arm 3 events.",
     "grade 4 adverse events", {"A1": 3, "A3": 1}),
])
def test_event_counts_per_arm(text, term, want):
    got = _events(text)
    assert {a: ev for _, a, _, ev in got} == want, got
    assert all(t == term and n is None for t, _, n, _ in got), got


@pytest.mark.parametrize("text", [
    "Grade 2 or higher AEs occurred in 14 patients (34%) and 9 patients (22%).",
    "There were 19 serious adverse events reported for 14 subjects and 3 events in 3 subjects.",
    "Grade 3 adverse events occurred in 120 events overall (4.1 events/subject).",
    "Grade 2 neutropenia was seen with abatacept (12 events) and placebo (4 events).",
    "Grade ≥2 AEs totalled 54 events in the first year and 61 events in the second year.",
])
def test_not_event_counts_per_arm(text):
    assert _events(text) == []
