"""Doses and units (extractor.extract.quantities) and the examples of the clinical rule files."""

from __future__ import annotations

import json

import pytest

from extractor.extract.quantities import convert, find_doses, normalise_unit, to_float, unit_at
from extractor.nlp.rules import regexes
from extractor.resources import rules_dir

DOSES = [
    # text, (value, high, unit, per, rate), repaired?
    ("patients received 10 mg of chlorpheniramine", (10, None, "mg", None, None), False),
    ("an intravenous infusion of 2 million kg of AD-MSCs", (2e6, None, "cells", "kg", None), True),
    ("0.5–1.0 g/m² monthly", (0.5, 1.0, "g", "m2", "monthly"), False),
    ("2 × 10^6 cells/kg", (2e6, None, "cells", "kg", None), False),
    ("1 × 106/kg body weight", (1e6, None, "cells", "kg", None), True),
    ("1 3 10^6 cells/kg", (1e6, None, "cells", "kg", None), True),
    ("2 million cells per kilogram", (2e6, None, "cells", "kg", None), False),
    ("10^6 cells/kg", (1e6, None, "cells", "kg", None), False),
    ("2×10⁸ cells", (2e8, None, "cells", None, None), False),
    ("23·7 mg twice daily", (23.7, None, "mg", None, None), False),
    ("mycophenolate 2 g/day", (2, None, "g", None, "once daily"), False),
    ("belimumab 10 mg/kg", (10, None, "mg", "kg", None), False),
    ("1–2 × 10^6 MSCs/kg", (1e6, 2e6, "cells", "kg", None), False),
    ("400 µg daily", (400, None, "ug", None, "once daily"), False),
    ("1,000 mg", (1000, None, "mg", None, None), False),
    # cell-dose spellings (DOMAIN §4.1)
    ("1 × 10^6 cells/kg", (1e6, None, "cells", "kg", None), False),
    ("1×10(6)/kg", (1e6, None, "cells", "kg", None), False),
    ("2 x 10^8 cells", (2e8, None, "cells", None, None), False),
    ("1.0 × 10⁶ cells per kilogram", (1e6, None, "cells", "kg", None), False),
    ("5 million cells/kg", (5e6, None, "cells", "kg", None), False),
    ("10^6/kg body weight", (1e6, None, "cells", "kg", None), False),
    # German "per day"
    ("2 g/Tag", (2, None, "g", None, "once daily"), False),
    ("1,5 g/Tag", (1.5, None, "g", None, "once daily"), False),
    ("5 mg/Tag", (5, None, "mg", None, "once daily"), False),
    ("100 mg pro Tag", (100, None, "mg", None, "once daily"), False),
    ("200 mg täglich", (200, None, "mg", None, "once daily"), False),
]


@pytest.mark.parametrize(("text", "want", "repaired"), DOSES, ids=[d[0][:30] for d in DOSES])
def test_find_doses(text: str, want: tuple, repaired: bool) -> None:
    [q] = find_doses(text)
    assert (q.value, q.high, q.unit, q.per, q.rate) == want
    assert bool(q.repaired) is repaired
    assert text[q.start : q.end] == q.surface


@pytest.mark.parametrize("text", ["aged 19 to 36 years", "on days 0 and 7", "Table 2", "9 patients", "p = 0.03"])
def test_not_doses(text: str) -> None:
    assert find_doses(text) == []


def test_repair_message() -> None:
    [q] = find_doses("2 million kg of AD-MSCs")
    assert q.repaired == "2 million kg → 2 × 10^6 cells/kg"


@pytest.mark.parametrize(
    ("surface", "canonical"),
    [("g/24 h", "g/24h"), ("mg/dl", "mg/dL"), ("umol/L", "µmol/L"), ("μmol/L", "µmol/L"),
     ("mL/min/1.73 m²", "mL/min/1.73m2"), ("IU/ml", "IU/mL"), ("RBC/HPF", "RBC/hpf"), ("furlongs", None)],
)
def test_normalise_unit(surface: str, canonical: str | None) -> None:
    assert normalise_unit(surface) == canonical


def test_unit_at_needs_word_boundary() -> None:
    assert unit_at("3 given", 1, "dose_units") is None
    assert unit_at("1.1 mg/dL in", 3) == ("mg/dL", 9)


def test_convert() -> None:
    assert convert(1.0, "mg/dL", "serum_creatinine") == (88.4, "µmol/L")
    assert convert(90.0, "mg/dL", "c3") == (0.9, "g/L")
    assert convert(500.0, "mg/24h") == (0.5, "g/24h")
    assert convert(12.0, "score", "sledai") == (12.0, "score")


@pytest.mark.parametrize(("raw", "value"), [("23·7", 23.7), ("1,000", 1000.0), ("0,5", 0.5), ("12", 12.0)])
def test_to_float(raw: str, value: float) -> None:
    assert to_float(raw) == value


CLINICAL_FAMILIES = ("quantities", "dosing", "outcomes", "responses", "adverse", "tables")


@pytest.mark.parametrize("family", CLINICAL_FAMILIES)
def test_regex_examples(family: str) -> None:
    """Every named regex of the clinical families matches its examples and none of its counter-examples."""
    compiled = regexes(family)
    rows = [json.loads(line) for line in (rules_dir() / "regex" / f"{family}.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:
        rx = compiled[row["id"]]
        assert row.get("examples"), row["id"]
        for ex in row.get("examples", []):
            assert rx.search(ex), (row["id"], ex)
        for ex in row.get("counter_examples", []):
            assert not rx.search(ex), (row["id"], ex)


PER_BASIS = [
    ("prednisone 1 mg/(kg·d), maximum 60 mg/d", 1.0, "mg", "kg"),
    ("prednisolone 1 mg·kg−1·d−1", 1.0, "mg", "kg"),
    ("prednisone 0.5 mg·kg-1 per day", 0.5, "mg", "kg"),
    ("1 mg/(kg.d) orally", 1.0, "mg", "kg"),
    ("azathioprine 2 mg/kg/day", 2.0, "mg", "kg"),
    ("cyclophosphamide 0.5 g·m−2 monthly", 0.5, "g", "m2"),
]


@pytest.mark.parametrize(("text", "value", "unit", "per"), PER_BASIS, ids=[p[0][:30] for p in PER_BASIS])
def test_per_basis_spellings(text: str, value: float, unit: str, per: str) -> None:
    """Per-kg / per-m² doses written with a bracketed rate or negative exponents."""
    q = find_doses(text)[0]
    assert (q.value, q.unit, q.per) == (value, unit, per)


def test_mid_dot_decimal_is_not_a_per_separator() -> None:
    q = find_doses("voclosporin 23·7 mg twice daily")[0]
    assert (q.value, q.unit, q.per) == (23.7, "mg", None)


LINE_BREAKS = [  # a PDF line break between an amount and its unit or basis is a space
    ("cyclophosphamide 0.75\ng/m2 monthly", 0.75, "g", "m2"),
    ("1 × 10^6\ncells/kg on day 0", 1e6, "cells", "kg"),
    ("prednisone 1\nmg/kg/day", 1.0, "mg", "kg"),
    ("BM-MSC 2 × 106\n/kg once", 2e6, "cells", "kg"),
    ("azathioprine 2\r\nmg/kg per day", 2.0, "mg", "kg"),
]


@pytest.mark.parametrize(("text", "value", "unit", "per"), LINE_BREAKS, ids=[t[0][:30] for t in LINE_BREAKS])
def test_dose_across_line_break(text: str, value: float, unit: str, per: str) -> None:
    q = find_doses(text)[0]
    assert (q.value, q.unit, q.per) == (value, unit, per)
