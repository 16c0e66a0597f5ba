"""Golden cases for extractor.extract.numbers (tests/golden/numbers.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.extract import numbers as nb

GOLD = json.loads((Path(__file__).parent / "golden" / "numbers.json").read_text(encoding="utf-8"))


def _ids(cases):
    return [c["req"][:40] for c in cases]


@pytest.mark.parametrize("case", GOLD["parse_number"], ids=_ids(GOLD["parse_number"]))
def test_parse_number(case):
    got = nb.parse_number(case["req"])
    assert got == (pytest.approx(case["res"]) if case["res"] is not None else None)


@pytest.mark.parametrize("case", GOLD["count_percents"], ids=_ids(GOLD["count_percents"]))
def test_find_count_percents(case):
    got = nb.find_count_percents(case["req"], total=case.get("total"))
    assert len(got) == len(case["res"]), got
    for cp, want in zip(got, case["res"]):
        for key, value in want.items():
            actual = getattr(cp, key)
            assert actual == (pytest.approx(value) if isinstance(value, float) else value), (key, cp)
        assert case["req"][cp.start : cp.end]


@pytest.mark.parametrize("case", GOLD["summaries"], ids=_ids(GOLD["summaries"]))
def test_find_summaries(case):
    got = nb.find_summaries(case["req"], context=case.get("context"))
    assert len(got) == len(case["res"]), got
    for s, want in zip(got, case["res"]):
        for key, value in want.items():
            actual = getattr(s, key)
            assert actual == (pytest.approx(value) if isinstance(value, float) else value), (key, s)
        assert s.surface == case["req"][s.start : s.end]


@pytest.mark.parametrize("case", GOLD["ranges"], ids=_ids(GOLD["ranges"]))
def test_find_ranges(case):
    assert [[lo, hi] for lo, hi, _, _ in nb.find_ranges(case["req"])] == case["res"]


@pytest.mark.parametrize("case", GOLD["sci"], ids=_ids(GOLD["sci"]))
def test_parse_sci(case):
    got = nb.parse_sci(case["req"])
    assert [n.value for n in got] == case["res"]
    if case.get("repaired"):
        assert got[0].repaired
    for n in got:
        assert n.surface == case["req"][n.start : n.end]


def test_find_numbers_offsets_and_signs():
    text = "fell by \u22122.1 and rose 3-4 units in nine of 1,234 patients"
    got = nb.find_numbers(text)
    assert [n.value for n in got] == [-2.1, 3, 4, 9, 1234]
    assert all(text[n.start : n.end] == n.surface for n in got)


def test_repair_requires_proof():
    assert nb.repair_percent("444", None, 9) == pytest.approx(44.4)
    assert nb.repair_percent("444", None, 10) is None  # 44.4 % is not k/10
    assert nb.repair_percent("333", 3, 9) == pytest.approx(33.3)
    assert nb.repair_percent("333", 4, 9) is None


def test_impossible_percent_warns():
    warnings: list[str] = []
    assert nb.find_count_percents("a rate of 250%", total=9, warnings=warnings) == []
    assert warnings and "250" in warnings[0]


def test_percent_consistent():
    assert nb.percent_consistent(29, 89, 32.6)
    assert nb.percent_consistent(3, 9, 33)
    assert not nb.percent_consistent(3, 9, 44.4)


@pytest.mark.parametrize("text,value", [
    ("One hundred and twenty-six", 126), ("two hundred", 200), ("one hundred twenty", 120),
    ("three hundred and five", 305), ("Nine hundred ninety-nine", 999), ("hundred", None), ("one hundred and", None),
])
def test_hundreds_in_words(text, value):
    from extractor.extract.numbers import parse_number

    assert parse_number(text) == value


@pytest.mark.parametrize("text,n,pct", [
    ("27 (84,4 %)", 27, 84.4),
    ("14 (87,5%)", 14, 87.5),
    ("3 (9,4)", 3, 9.4),
    ("1 (100,0 %)", 1, 100.0),
    ("5 [15,6 %]", 5, 15.6),
])
def test_count_with_decimal_comma_percent(text, n, pct):
    from extractor.extract.numbers import find_count_percents

    got = find_count_percents(text)
    assert got and (got[0].n, got[0].percent) == (n, pct)


def test_thousands_in_brackets_is_not_a_decimal_comma_percent():
    from extractor.extract.numbers import find_count_percents

    assert all(c.percent != 1.234 for c in find_count_percents("12 (1,234)"))


@pytest.mark.parametrize("text,value,low,high,kind", [
    ("2,5 years (RIC 0,8-6,1)", 2.5, 0.8, 6.1, "iqr"),
    ("3,4 (2,1–5,0)", 3.4, 2.1, 5.0, "range"),
    ("12 (IQR 8,5 to 15,5)", 12.0, 8.5, 15.5, "iqr"),
    ("0,9 (0,3-3,1)", 0.9, 0.3, 3.1, "range"),
    ("44 (21,5-54)", 44.0, 21.5, 54.0, "range"),
])
def test_decimal_comma_ranges(text, value, low, high, kind):
    s = nb.find_summaries(text, context="median")[0]
    assert (s.value, s.low, s.high, s.spread_kind) == (value, low, high, kind)


def test_comma_range_without_decimals_is_unchanged():
    s = nb.find_summaries("12 (3,5)", context="median")[0]
    assert (s.value, s.low, s.high) == (12.0, 3.0, 5.0)
