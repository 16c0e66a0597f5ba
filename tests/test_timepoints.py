"""Golden cases for extractor.extract.timepoints (tests/golden/timepoints.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.extract.timepoints import KIND_POINT, find_timepoints, nearest_timepoint, unit_of

GOLD = json.loads((Path(__file__).parent / "golden" / "timepoints.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", GOLD["points"], ids=[c["req"] for c in GOLD["points"]])
def test_points(case):
    fu = tuple(case["follow_up"]) if case.get("follow_up") else None
    got = find_timepoints(case["req"], follow_up=fu)
    assert [[t.value, t.unit, t.label] for t in got] == case["res"]
    for t in got:
        assert case["req"][t.start : t.end] == t.surface


@pytest.mark.parametrize("text", GOLD["not_points"])
def test_not_points(text):
    assert find_timepoints(text) == []


def test_schedules_exposed_with_include_all():
    got = find_timepoints("prednisone for 6 months, then every 4 weeks", include_all=True)
    assert [t.is_schedule for t in got] == [True, True]
    assert all(t.kind != KIND_POINT for t in got)


@pytest.mark.parametrize("case", GOLD["nearest"], ids=[c["req"][:40] for c in GOLD["nearest"]])
def test_nearest(case):
    text = case["req"]
    offset = text.index(case["at"])
    tm = nearest_timepoint(find_timepoints(text), offset, text)
    assert tm is not None and [tm.value, tm.unit] == case["res"]


def test_units():
    assert unit_of("wks.") == "week"
    assert unit_of("W") == "week"
    assert unit_of("Months") == "month"
    assert unit_of("furlong") is None


@pytest.mark.parametrize(
    "text",
    [
        "mean age 33,4 ± 9,8 years",
        "aged 33.4 ± 9.8 years",
        "age 41,2 ± 12,0 years in women",
        "the mean (± SD) age was 29.5 ± 7.1 years",
        "duration 4,5 ± 3,2 years",
    ],
)
def test_the_spread_or_decimal_part_of_a_number_is_not_a_time_point(text: str) -> None:
    assert find_timepoints(text) == []
