"""Golden req/res cases for extractor.extract.responses (tests/golden/responses.json), incl. must-not-match."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import golden_cases
import pytest
from test_tables import make_ctx

from extractor.extract.responses import extract_responses

GOLD = golden_cases.load("responses")


@pytest.mark.parametrize("case", GOLD, ids=golden_cases.ids(GOLD))
def test_golden(case: dict[str, Any]) -> None:
    golden_cases.check(case, extract_responses)


def _response_regex_rows() -> list[dict[str, Any]]:
    path = Path(__file__).resolve().parents[1] / "rules" / "regex" / "responses.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("row", _response_regex_rows(), ids=lambda r: r["id"])
def test_response_regex_examples(row: dict[str, Any]) -> None:
    from extractor.nlp.rules import regexes

    rx = regexes("responses")[row["id"]]
    for example in row.get("examples", []):
        assert rx.search(example), f"{row['id']} misses {example!r}"
    for counter in row.get("counter_examples", []):
        assert not rx.search(counter), f"{row['id']} matches counter-example {counter!r}"


def test_vocab_generic_and_named_terms() -> None:
    from extractor.extract.responses_values import is_generic, term_name
    from extractor.extract.tables import find_terms

    terms = find_terms("an ACR20 response, a BICLA response and a response", "response_terms")
    assert [term_name(t) for t in terms] == ["ACR20", "BICLA", None]
    assert [is_generic(t) for t in terms] == [False, False, True]


def test_failing_table_or_flat_reader_keeps_prose_and_warns(monkeypatch: pytest.MonkeyPatch) -> None:
    """An exception while reading one table (or a flattened table) is a warning, not a lost kind."""
    import extractor.extract.responses_flat as flat
    import extractor.extract.responses_tables as tables

    def boom(*_: Any, **__: Any) -> Any:
        raise ValueError("broken table")

    monkeypatch.setattr(tables, "table_cells", boom)
    monkeypatch.setattr(flat, "read_rows", boom)
    state = {"arms": [{"id": "A1", "label": "tacrolimus", "n": 80, "role": "experimental"},
                      {"id": "A2", "label": "placebo", "n": 80, "role": "placebo"}]}
    ctx = make_ctx("Table 2 Results at week 24. At week 24, complete remission occurred in 20 of 80 (25.0%) and 12 of 80 (15.0%).",
                   state, tables=[[["End point", "Tacrolimus (n = 80)", "Placebo (n = 80)"], ["CR", "20 (25.0)", "12 (15.0)"]]])
    got = extract_responses(ctx)
    assert [(r.type, r.arm, r.n) for r in got] == [("complete", "A1", 20), ("complete", "A2", 12)]
    assert any("broken table" in w for w in ctx.warnings)


def test_definitions_are_trimmed_to_the_criteria() -> None:
    from extractor.extract.responses_defs import DEFINITION_MAX, definitions_of

    long = "Complete response was defined as " + ", ".join(f"criterion {i} below {i}.5 units" for i in range(40)) + "."
    (keys, text), = definitions_of(long)
    assert keys == ["complete"] and len(text) <= DEFINITION_MAX and text.startswith("criterion 0 below 0.5")


@pytest.mark.parametrize("text,key", [
    ("Sustained renal remission was defined as 24-hour proteinuria below 0.5 g and an inactive sediment.", "overall"),
    ("Complete response was defined as UPCR below 0.3 g/g with a normal serum creatinine.", "complete"),
    ("Partial remission was defined as a fall of proteinuria by at least 50% to below 3 g/day.", "partial"),
    ("Renal flare was defined as a reproducible rise in proteinuria above 1 g/day.", "relapse"),
    ("A complete renal response was defined as UPCR of 0.5 mg/mg or less and stable eGFR.", "complete"),
])
def test_definitions_in_a_background_section_are_read_but_not_rates(text, key):
    """A methods part headed as background still defines the responses; its values are no rates."""
    from extractor.extract.responses import _background_definitions

    ctx = make_ctx(text + " In an earlier trial, 40% of patients had a complete response.", {"cohort_n": 20},
                   section="introduction")
    definitions: dict[str, str] = {}
    _background_definitions(ctx, definitions)
    assert key in definitions and definitions[key]
    assert extract_responses(ctx) == []


@pytest.mark.parametrize("text", [
    "Remission was defined as proteinuria below 0.5 g/day and creatinine within 110% of baseline. Renal response was assessed monthly. "
    "At month 12, 9 of 20 patients (45.0%) were in remission.",
    "Remission was defined as UPCR under 0.3 g/g, an inactive sediment and creatinine no higher than 120% of baseline. "
    "At week 52, remission was reached by 9 of 20 (45.0%).",
    "Renal remission was defined as proteinuria below 0.5 g per day. At month 12, renal remission was seen in 9 of 20 (45.0%).",
    "Remission was defined as fewer than 5 red cells per field and proteinuria under 0.5 g per day. "
    "At month 12, 9 of 20 patients (45.0%) achieved remission.",
    "Remission required proteinuria below 0.5 g/day with creatinine at most 125% of baseline. Remission at month 12: 9 of 20 (45.0%).",
])
def test_remission_defined_by_absolute_criteria_is_complete(text):
    got = extract_responses(make_ctx(text, {"cohort_n": 20}))
    assert [(r.type, r.n, r.N) for r in got] == [("complete", 9, 20)]


@pytest.mark.parametrize("text,want", [
    ("Sir,\n\n**Patient 1**, a 30-year-old woman. By month 6 her UPCR was 0.3 g/g, a complete response.\n\n"
     "**Patient 2**, a 41-year-old man, had a partial response at month 6.\n\nThanks.",
     {("complete", 1, 2), ("partial", 1, 2), ("overall", 2, 2)}),
    ("Patient 1: a 22-year-old woman who had not responded to MMF reached complete remission at week 24.\n"
     "Patient 2: a 35-year-old woman; at week 24 she had no response.\n"
     "Patient 3: a 50-year-old man; partial remission at week 24.\n\nComment.",
     {("complete", 1, 3), ("none", 1, 3), ("partial", 1, 3), ("overall", 2, 3)}),
    ("Case 1. A 19-year-old woman; after 12 months she was in complete remission.\n"
     "Case 2. A 28-year-old woman; after 12 months complete remission.\n\nEnd.",
     {("complete", 2, 2), ("overall", 2, 2)}),
    ("Patient 1, a 33-year-old man, did not respond by month 9.\nPatient 2, a 27-year-old woman, failed to respond by month 9."
     "\n\nEnd.", {("none", 2, 2)}),
    ("Patient 1, a 40-year-old woman, reached a partial response at month 3.\nPatient 2, a 31-year-old woman, was lost to "
     "follow-up.\n\nEnd.", set()),
])
def test_responses_counted_from_per_patient_paragraphs(text, want):
    got = extract_responses(make_ctx(text, {"cohort_n": len(want) and max(w[2] for w in want) or 2}))
    assert {(r.type, r.n, r.N) for r in got if r.evidence and r.evidence.rule == "response.case_prose_count"} == want
