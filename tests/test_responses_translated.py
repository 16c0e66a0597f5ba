"""Response wordings of translated and registry-style reports: Romance word order ("the remission
complete", "the response global"), unit words left in the source language ("At the 12 meses"),
table rows naming the type by its adjective ("Complete, 6 months"), rates reported with a
definition in apposition, "had at least one flare", registry outcome blocks whose value row holds
percents, pooled rows of an aligned block and component-trial clauses of a pooled analysis, and
glucocorticoid-taper responder end points. All texts are invented variants."""

from __future__ import annotations

from typing import Any

import pytest
from test_tables import make_ctx

from extractor.extract.responses import extract_responses
from extractor.extract.responses_defs import apposed_definition
from extractor.extract.terms import find_terms


def _two(a: str, na: int, b: str, nb: int) -> dict[str, Any]:
    return {"arms": [{"id": "A1", "label": a, "n": na, "role": "experimental"},
                     {"id": "A2", "label": b, "n": nb, "role": "control"}]}


def _one(label: str, n: int) -> dict[str, Any]:
    return {"arms": [{"id": "A1", "label": label, "n": n, "role": "experimental"}]}


def _got(text: str, state: dict[str, Any], tables: list[list[list[str]]] | None = None,
         caption: str = "") -> list[tuple[Any, ...]]:
    ctx = make_ctx(text, state, tables=tables, caption=caption)
    out = []
    for r in extract_responses(ctx):
        t = (r.time.value, r.time.unit) if r.time else None
        out.append((r.type, r.arm, r.n, r.N, r.percent, t))
    return out


# --- Romance word order and translated time units -------------------------------------------

@pytest.mark.parametrize(("text", "state", "want"), [
    ("At the 12 meses, the remission complete was reached in 11 of 26 pacientes of the group tacrolimus (42,3 %) "
     "and in 14 of 28 of the group azathioprine (50,0 %), p = 0,56.",
     _two("tacrolimus", 26, "azathioprine", 28),
     [("complete", "A1", 11, 26, 42.3, (12.0, "month")), ("complete", "A2", 14, 28, 50.0, (12.0, "month"))]),
    ("At the 6 meses the response global was 53,8 % (14/26) in the group leflunomide and 60,7 % (17/28) in the group "
     "mycophenolate.",
     _two("leflunomide", 26, "mycophenolate", 28),
     [("overall", "A1", 14, 26, 53.8, (6.0, "month")), ("overall", "A2", 17, 28, 60.7, (6.0, "month"))]),
    ("At 24 semanas, the remission partial was observed in 7 of 20 pacientes (35,0 %).",
     _one("rituximab", 20), [("partial", "A1", 7, 20, 35.0, (24.0, "week"))]),
    ("At 12 mois, the réponse complète was obtained in 8 of 25 patients (32.0%) with voclosporin and 6 of 24 (25.0%) "
     "with placebo.",
     _two("voclosporin", 25, "placebo", 24),
     [("complete", "A1", 8, 25, 32.0, (12.0, "month")), ("complete", "A2", 6, 24, 25.0, (12.0, "month"))]),
    ("In the semana 52 the respuesta parcial was 30,0 % (6/20) in the group abatacept and 22,7 % (5/22) in the group "
     "placebo.",
     _two("abatacept", 20, "placebo", 22),
     [("partial", "A1", 6, 20, 30.0, (52.0, "week")), ("partial", "A2", 5, 22, 22.7, (52.0, "week"))]),
    ("At 18 meses, the response complete was seen in 9 of 30 pacientes (30,0 %). The remission partial in 12 "
     "(40,0 %) pacientes.",
     _one("obinutuzumab", 30),
     [("complete", "A1", 9, 30, 30.0, (18.0, "month")), ("partial", "A1", 12, 30, 40.0, (18.0, "month"))]),
])
def test_romance_word_order(text: str, state: dict[str, Any], want: list[tuple[Any, ...]]) -> None:
    assert _got(text, state) == want


def test_taper_time_of_another_clause_does_not_win() -> None:
    text = ("Prednisone 0,5 mg/kg/día was reduced until 7,5 mg/día at the month 4. "
            "Renal response: At the 12 meses, the remission complete was reached in 10 of 20 pacientes (50,0 %).")
    assert _got(text, _one("belimumab", 20)) == [("complete", "A1", 10, 20, 50.0, (12.0, "month"))]


# --- table rows naming the type by its adjective ----------------------------------------------

@pytest.mark.parametrize(("header", "rows", "want"), [
    ("Response", [["Complete, 6 months", "13 (32.5%)", "11 (28.9%)"], ["Overall, 12 months", "30 (75.0%)", "26 (68.4%)"]],
     [("complete", "A1", 13, (6.0, "month")), ("complete", "A2", 11, (6.0, "month")),
      ("overall", "A1", 30, (12.0, "month")), ("overall", "A2", 26, (12.0, "month"))]),
    ("Renal response", [["Partial (week 24)", "10 (25.0%)", "6 (15.8%)"]],
     [("partial", "A1", 10, (24.0, "week")), ("partial", "A2", 6, (24.0, "week"))]),
    ("Remission", [["Complete at month 9", "12/40 (30.0%)", "7/38 (18.4%)"], ["Partial at month 9", "9/40 (22.5%)", "8/38 (21.1%)"]],
     [("complete", "A1", 12, (9.0, "month")), ("complete", "A2", 7, (9.0, "month")),
      ("partial", "A1", 9, (9.0, "month")), ("partial", "A2", 8, (9.0, "month"))]),
    ("Respuesta", [["Total, 12 meses", "20 (50.0%)", "15 (39.5%)"]],
     [("overall", "A1", 20, (12.0, "month")), ("overall", "A2", 15, (12.0, "month"))]),
    ("Responders", [["Global, week 52", "22 (55.0%)", "13 (34.2%)"]],
     [("overall", "A1", 22, (52.0, "week")), ("overall", "A2", 13, (52.0, "week"))]),
    ("Parameter", [["Total, n", "40", "38"], ["Complete blood count abnormal", "3 (7.5%)", "2 (5.3%)"]], []),
])
def test_adjective_rows(header: str, rows: list[list[str]], want: list[tuple[Any, ...]]) -> None:
    table = [[header, "Drug X (n = 40)", "Drug Y (n = 38)"], *rows]
    got = [(t, a, n, tm) for t, a, n, _N, _p, tm in _got("Results are shown below.", _two("Drug X", 40, "Drug Y", 38), [table])]
    assert got == want


# --- a definition in apposition to a reported rate ----------------------------------------------

@pytest.mark.parametrize(("text", "state", "want"), [
    ("At month 12, three of the eight patients (37.5%) were in complete renal remission, defined as proteinuria "
     "below 0.5 g/24 h with a serum creatinine within 15% of baseline, and another three (37.5%) were in partial "
     "remission. The overall renal response was therefore 6/8 (75.0%).",
     _one("rituximab", 8),
     [("complete", "A1", 3, 8, 37.5, (12.0, "month")), ("partial", "A1", 3, 8, 37.5, (12.0, "month")),
      ("overall", "A1", 6, 8, 75.0, (12.0, "month"))]),
    ("At week 24, 5 of 12 patients (41.7%) achieved a complete response, defined as UPCR < 0.5 g/g, and 4 (33.3%) a "
     "partial response.",
     _one("belimumab", 12),
     [("complete", "A1", 5, 12, 41.7, (24.0, "week")), ("partial", "A1", 4, 12, 33.3, (24.0, "week"))]),
    ("By month 6, 7 of 15 (46.7%) reached remission, which was defined as SLEDAI-2K of 0 and prednisone of 5 mg or "
     "less, while 2 of 15 (13.3%) flared.",
     _one("anifrolumab", 15),  # remission defined by absolute criteria is a complete one
     [("complete", "A1", 7, 15, 46.7, (6.0, "month")), ("relapse", "A1", 2, 15, 13.3, (6.0, "month"))]),
    ("At week 52, 18 of 40 patients (45.0%) were complete responders, defined as UPCR below 0.5 g/g, while 10 of 40 "
     "(25.0%) were partial responders.",
     _one("voclosporin", 40),
     [("complete", "A1", 18, 40, 45.0, (52.0, "week")), ("partial", "A1", 10, 40, 25.0, (52.0, "week"))]),
    ("At month 24, 11 of 22 (50.0%) had a complete renal response, defined by proteinuria < 0.3 g/day and normal "
     "creatinine; 5 of 22 (22.7%) had a partial renal response.",
     _one("tacrolimus", 22),
     [("complete", "A1", 11, 22, 50.0, (24.0, "month")), ("partial", "A1", 5, 22, 22.7, (24.0, "month"))]),
])
def test_apposed_definition(text: str, state: dict[str, Any], want: list[tuple[Any, ...]]) -> None:
    assert _got(text, state) == want


@pytest.mark.parametrize(("text", "blank", "defined"), [
    ("9 of 20 (45%) had CR, defined as UPCR < 0.5, and 5 (25%) had PR", "UPCR", "UPCR < 0.5"),
    ("Twelve (40%) were in complete remission, defined by proteinuria < 0.3 g/day; 6 (20%) were in partial remission",
     "0.3 g/day", "proteinuria < 0.3 g/day"),
    ("At 6 months 14 patients (70%) achieved PR, defined as a 50% fall in UPCR", "50% fall", "a 50% fall in UPCR"),
])
def test_apposed_definition_pure(text: str, blank: str, defined: str) -> None:
    got = apposed_definition(text, find_terms(text, "response_terms"))
    assert got is not None
    masked, found = got
    assert len(masked) == len(text) and blank not in masked
    assert found[0][1] == defined


@pytest.mark.parametrize("text", [
    "Complete response, defined as UPCR < 0.5 g/g, was achieved in 20%, 31% and 29% of the groups, respectively",
    "Major clinical response, defined as BILAG C or better, was reached by 7% and 19%",
    "CR was defined as UPCR < 0.5, and PR as a 50% reduction",
])
def test_definition_before_the_rates_is_no_apposition(text: str) -> None:
    assert apposed_definition(text, find_terms(text, "response_terms")) is None


# --- "had at least one flare" -------------------------------------------------------------------

@pytest.mark.parametrize(("text", "want"), [
    ("Over the five years, 9 of the 51 drug X patients (17.6%) and 17 of the 46 drug Y patients (37.0%) had at least "
     "one renal flare.", [("A1", 9, 51), ("A2", 17, 46)]),
    ("During 104 weeks 6 of 51 drug X patients (11.8%) and 12 of 46 drug Y patients (26.1%) experienced one or more "
     "flares.", [("A1", 6, 51), ("A2", 12, 46)]),
    ("By year 3, 4 of 51 patients on drug X (7.8%) and 10 of 46 on drug Y (21.7%) had at least 1 relapse.",
     [("A1", 4, 51), ("A2", 10, 46)]),
    ("Up to month 24, 11 of 51 drug X patients (21.6%) and 15 of 46 drug Y patients (32.6%) developed a first renal "
     "flare.", [("A1", 11, 51), ("A2", 15, 46)]),
    ("Within two years 3 of the 51 drug X patients (5.9%) and 8 of the 46 drug Y patients (17.4%) had any flare.",
     [("A1", 3, 51), ("A2", 8, 46)]),
])
def test_at_least_one_flare(text: str, want: list[tuple[Any, ...]]) -> None:
    got = [(a, n, N) for t, a, n, N, _p, _tm in _got(text, _two("drug X", 51, "drug Y", 46)) if t == "relapse"]
    assert got == want


# --- registry outcome blocks with a percent value row ------------------------------------------

def _registry(title: str, frame: str, row: list[str]) -> tuple[str, list[list[str]]]:
    text = f"**Outcome Measure:** {title}\n\n**Time Frame:** {frame}\n"
    table = [["Arm/Group Title", "Drug X + MMF", "Placebo + MMF"],
             ["Overall Number of Participants Analyzed", "60", "58"], row]
    return text, [table]


@pytest.mark.parametrize(("title", "frame", "row", "want"), [
    ("Percentage of Participants With Overall Renal Response (CRR + PRR)", "Week 52",
     ["Measure Type: Number. Unit of Measure: percentage of participants", "46.6", "57.7"],
     [("overall", "A1", 46.6, (52.0, "week")), ("overall", "A2", 57.7, (52.0, "week"))]),
    ("Percentage of Participants Achieving Complete Renal Response", "Week 76",
     ["Measure Type: Number. Unit of Measure: percentage of participants", "30.0", "17.2"],
     [("complete", "A1", 30.0, (76.0, "week")), ("complete", "A2", 17.2, (76.0, "week"))]),
    ("Proportion of Participants With an SRI-4 Response", "Month 12",
     ["Measure Type: Number. Unit of Measure: % of participants", "55.0", "41.4"],
     [("sri4", "A1", 55.0, (12.0, "month")), ("sri4", "A2", 41.4, (12.0, "month"))]),
    ("Percentage of Participants With Renal Flare", "Up to Week 104",
     ["Measure Type: Number. Unit of Measure: percentage of participants", "10.0", "22.4"],
     [("relapse", "A1", 10.0, (104.0, "week")), ("relapse", "A2", 22.4, (104.0, "week"))]),
    ("Percentage of Participants With Partial Renal Response", "Week 24",
     ["Percentage of participants", "25.0", "19.0"],
     [("partial", "A1", 25.0, (24.0, "week")), ("partial", "A2", 19.0, (24.0, "week"))]),
    ("Number of Participants With Complete Renal Response", "Week 52",
     ["Measure Type: Number. Unit of Measure: participants", "18", "10"], []),  # counts, not percents
    ("Urine Protein-to-Creatinine Ratio", "Week 52",
     ["Measure Type: Number. Unit of Measure: percentage of participants", "46.6", "57.7"], []),  # no response named
])
def test_registry_percent_rows(title: str, frame: str, row: list[str], want: list[tuple[Any, ...]]) -> None:
    text, tables = _registry(title, frame, row)
    state = _two("Drug X", 60, "Placebo", 58)
    assert [(t, a, p, tm) for t, a, _n, _N, p, tm in _got(text, state, tables)] == want


# --- pooled analyses ------------------------------------------------------------------------------

POOLED = {"arms": [{"id": "A1", "label": "pooled anifrolumab", "n": 563, "role": "experimental"},
                   {"id": "A2", "label": "pooled placebo", "n": 562, "role": "placebo"}]}


@pytest.mark.parametrize(("lead", "label", "cells", "want"), [
    ("The SRI-4 response rate at week 52 was higher with anifrolumab in each trial and in the pooled data:", "Pooled",
     ["anifrolumab 285/563 (50.6%)", "placebo", "219/562 (39.0%)", "OR 1.68 (1.32-2.15)"],
     [("sri4", "A1", 285, (52.0, "week")), ("sri4", "A2", 219, (52.0, "week"))]),
    ("Complete renal response at week 104 was as follows:", "Combined",
     ["anifrolumab 120/563 (21.3%)", "placebo 90/562 (16.0%)", "p = 0.02"],
     [("complete", "A1", 120, (104.0, "week")), ("complete", "A2", 90, (104.0, "week"))]),
    ("Renal flares over 76 weeks were:", "All trials",
     ["placebo 70/562 (12.5%)", "anifrolumab 44/563 (7.8%)", "HR 0.61 (0.41-0.90)"],
     [("relapse", "A2", 70, (76.0, "week")), ("relapse", "A1", 44, (76.0, "week"))]),
    ("Overall response at month 6 in the individual trials and overall:", "Integrated",
     ["anifrolumab 300/563 (53.3%)", "placebo", "250/562 (44.5%)"],
     [("overall", "A1", 300, (6.0, "month")), ("overall", "A2", 250, (6.0, "month"))]),
    ("Partial response at week 24:", "Pooled",
     ["anifrolumab 150/563 (26.6%)", "placebo 120/562 (21.4%)"],
     [("partial", "A1", 150, (24.0, "week")), ("partial", "A2", 120, (24.0, "week"))]),
])
def test_pooled_row(lead: str, label: str, cells: list[str], want: list[tuple[Any, ...]]) -> None:
    table = [["Trial A", "anifrolumab 167/290 (57.6%)", "placebo", "126/287 (43.9%)"], [label, *cells]]
    got = [(t, a, n, tm) for t, a, n, _N, _p, tm in _got(lead, POOLED, [table])]
    assert got == want


@pytest.mark.parametrize("text", [
    "Severe flares occurred in 86/563 pooled anifrolumab patients (15.3%) and 113/562 pooled placebo patients (20.1%); in "
    "the individual trials the corresponding figures were 41/290 (14.1%) vs 55/287 (19.2%) in Trial A.",
    "Severe flares occurred in 86/563 pooled anifrolumab patients (15.3%) and 113/562 pooled placebo patients (20.1%); for "
    "the separate studies they were 41/290 (14.1%) and 55/287 (19.2%).",
    "Severe flares occurred in 86/563 pooled anifrolumab patients (15.3%) and 113/562 pooled placebo patients (20.1%); in "
    "each of the component trials the rates were 41/290 (14.1%) and 55/287 (19.2%).",
    "Severe flares occurred in 86/563 pooled anifrolumab patients (15.3%) and 113/562 pooled placebo patients (20.1%); in "
    "the constituent studies the figures were 45/273 (16.5%) and 58/275 (21.1%).",
    "Severe flares occurred in 86/563 pooled anifrolumab patients (15.3%) and 113/562 pooled placebo patients (20.1%); in "
    "the individual studies these were 45/273 (16.5%) vs 58/275 (21.1%).",
])
def test_component_trial_rates_are_not_the_pooled_arms(text: str) -> None:
    got = _got(text, POOLED)
    assert [(t, a, n) for t, a, n, *_ in got] == [("relapse", "A1", 86), ("relapse", "A2", 113)]


# --- glucocorticoid taper end point --------------------------------------------------------------

@pytest.mark.parametrize(("text", "want"), [
    ("Among patients taking more than 7.5 mg/day of prednisone at baseline, the dose was reduced by at least 25% to "
     "7.5 mg/day or less during weeks 40-52 in 54 of 302 drug X patients (17.9%) and in 36 of 298 placebo patients "
     "(12.1%).", [("A1", 54, 302), ("A2", 36, 298)]),
    ("Among patients taking at least 10 mg/day of prednisone or equivalent at entry, the dose was lowered to 7.5 "
     "mg/day or less and kept there from week 40 to week 52 in 45 of 87 (51.7 %) versus 25 of 83 (30.1 %).",
     [("A1", 45, 87), ("A2", 25, 83)]),
    ("At week 52 the glucocorticoid dose had been reduced to 5 mg/day or less in 30 of 80 drug X patients (37.5%) and "
     "18 of 78 placebo patients (23.1%).", [("A1", 30, 80), ("A2", 18, 78)]),
    ("At week 24, OCS taper to ≤7.5 mg/day was achieved in 20 of 50 (40.0%) with drug X and 11 of 49 (22.4%) with "
     "placebo.", [("A1", 20, 50), ("A2", 11, 49)]),
    ("By month 12 the prednisolone dose was tapered to 5 mg/d or less in 33 of 60 patients (55.0%) on drug X and 21 "
     "of 61 (34.4%) on placebo.", [("A1", 33, 60), ("A2", 21, 61)]),
])
def test_steroid_taper(text: str, want: list[tuple[Any, ...]]) -> None:
    got = [(a, n, N) for t, a, n, N, _p, _tm in _got(text, _two("drug X", 300, "placebo", 298)) if t == "other"]
    assert got == want


def test_steroid_dose_rule_is_no_end_point() -> None:
    text = "Prednisone was started at 0.5 mg/kg/day and the dose was reduced to 7.5 mg/day by month 4 in all 40 patients."
    assert [r for r in _got(text, _one("drug X", 40)) if r[0] == "other"] == []


@pytest.mark.parametrize(("text", "want"), [
    ("At month 6, 4 of 10 (40.0%) were in complete remission, defined as creatinine within 10% of baseline, and "
     "another 3 (30.0%) in partial remission. The overall response was thus 7/10 (70.0%).", (6.0, "month")),
    ("At week 48 complete response was seen in 5/10 (50.0%), defined as UPCR < 0.5 and eGFR above 90% of baseline, "
     "and 2 (20.0%) had a partial response. The overall response was therefore 7/10 (70.0%).", (48.0, "week")),
    ("By month 9, 6 of 10 (60.0%) had a complete response. Overall response, compared with baseline, was 8/10 "
     "(80.0%).", (9.0, "month")),
    ("At year 2, 3 of 10 (30.0%) had CR, defined as stable creatinine versus baseline, and 4 of 10 (40.0%) had PR. "
     "The overall response was 7/10 (70.0%).", (2.0, "year")),
    ("At week 24, 2 of 10 (20.0%) had CR, defined as a 50% fall from baseline, and 5 of 10 (50.0%) had PR. "
     "The overall response was 7/10 (70.0%).", (24.0, "week")),
])
def test_baseline_of_a_definition_is_no_rate_time(text: str, want: tuple[float, str]) -> None:
    got = [tm for t, _a, _n, _N, _p, tm in _got(text, _one("rituximab", 10)) if t == "overall"]
    assert got and got[-1] == want


@pytest.mark.parametrize("caption", ["Table 2. Renal response", "Table 3. Remission by visit", "Table 2. Response rates",
                                     "Table 4. Renal responders", "Table 1. Respuesta renal"])
def test_adjective_rows_outrank_a_one_type_caption(caption: str) -> None:
    table = [["Outcome", "Drug X (n = 40)", "Drug Y (n = 38)"],
             ["Complete, 6 months", "13 (32.5%)", "11 (28.9%)"], ["Partial, 6 months", "9 (22.5%)", "8 (21.1%)"]]
    got = [(t, a, n) for t, a, n, *_ in _got("Results are shown below.", _two("Drug X", 40, "Drug Y", 38), [table], caption)]
    assert got == [("complete", "A1", 13), ("complete", "A2", 11), ("partial", "A1", 9), ("partial", "A2", 8)]
