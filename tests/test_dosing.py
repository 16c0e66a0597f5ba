"""Golden req/res cases for extractor.extract.dosing (tests/golden/dosing.json), incl. must-not-match."""

from __future__ import annotations

from typing import Any

import golden_cases
import pytest

from extractor.extract.dosing import extract_interventions

GOLD = golden_cases.load("dosing")


@pytest.mark.parametrize("case", GOLD, ids=golden_cases.ids(GOLD))
def test_golden(case: dict[str, Any]) -> None:
    golden_cases.check(case, extract_interventions)


@pytest.mark.parametrize("text", [
    "MMF 1.5 g per day in two divided doses",
    "MMF 2 g/day in two divided doses",
    "mycophenolate 1 g daily in 2 divided doses",
    "mycophenolic acid 1440 mg a day in two divided doses",
    "MMF 3 g per day in 2 divided doses",
])
def test_divided_daily_dose_is_not_once_daily(text):
    from extractor.extract.dosing import find_schedules  # noqa: PLC0415
    assert [s.text for s in find_schedules(text)] == ["daily in two divided doses"]


# --- drugs outside the vocabulary: WHO stems and misspellings (extractor.extract.dosing_agents) ---

@pytest.mark.parametrize(("text", "want"), [
    ("Patients received secukinumab 150 mg every 4 weeks.", "secukinumab"),
    ("Dapagliflozin 10 mg was taken once daily.", "dapagliflozin"),
    ("The losartan group was given 50 mg daily.", "losartan"),
    ("baricitinib 4 mg orally", "baricitinib"),
    ("metoprolol 25 mg twice daily", "metoprolol"),
    ("etanercept 50 mg weekly", "etanercept"),
    ("a dose of 0.01 mg/kg dofetilide", "dofetilide"),
])
def test_stem_agents(text, want):
    from extractor.extract.dosing_agents import find_agents, is_stem  # noqa: PLC0415
    hits = [t for t in find_agents(text) if is_stem(t)]
    assert [t.canonical for t in hits] == [want]


@pytest.mark.parametrize("text", [
    "The intercept of the regression line was 2.",
    "In April 2019, 40 patients were enrolled.",
    "Patients were followed for 12 months.",
    "Amiodarone (Cordarone\u00ae, Maker) was given.",
    "Enrolment was completed in the spring.",
])
def test_not_stem_agents(text):
    from extractor.extract.dosing_agents import find_agents, is_stem  # noqa: PLC0415
    assert [t.canonical for t in find_agents(text) if is_stem(t)] in ([], ["amiodarone"])


@pytest.mark.parametrize(("text", "want"), [
    ("cyclophosphamid 0.5 g/m2 monthly", "cyclophosphamide"),
    ("azathioprin 2 mg/kg per day", "azathioprine"),
    ("hydroxychloroquin 200 mg twice daily", "hydroxychloroquine"),
    ("methylprednisolon 500 mg iv", "methylprednisolone"),
    ("Tacrolimuss 2 mg twice daily", "tacrolimus"),
])
def test_misspelt_agents(text, want):
    from extractor.extract.dosing_agents import find_agents  # noqa: PLC0415
    assert [t.canonical for t in find_agents(text)] == [want]


def _items(text, arms=None):
    from test_tables import make_ctx  # noqa: PLC0415
    ctx = make_ctx(text, {"arms": arms} if arms else None, section="methods")
    return [(i.agent, i.arm, i.role, i.amount, i.amount_high, i.unit, i.per) for i in extract_interventions(ctx)]


TEST_REF = [{"id": "A1", "label": "test infliximab", "n": 50, "role": "experimental"},
            {"id": "A2", "label": "reference infliximab", "n": 50, "role": "control"}]


@pytest.mark.parametrize("text", [
    "Patients were given 5 mg/kg of either test infliximab or reference infliximab intravenously at weeks 0, 2 and 6.",
    "Both groups received 5 mg/kg of either the test infliximab (Brand A) or reference infliximab (Brand B) by infusion.",
    "All 100 patients were administered 5 mg/kg of either test infliximab or the reference infliximab.",
    "Participants received 5 mg/kg of either biosimilar test infliximab or reference infliximab every 8 weeks.",
    "Subjects were randomized to receive 5 mg/kg of either test infliximab, or reference infliximab.",
])
def test_dose_of_either_alternative(text):
    got = _items(text, TEST_REF)
    assert ("infliximab", "A1", "study", 5.0, None, "mg", "kg") in got
    assert ("infliximab", "A2", "comparator", 5.0, None, "mg", "kg") in got


DRUG_PLACEBO = [{"id": "A1", "label": "dronedarone", "n": 80, "role": "experimental"},
                {"id": "A2", "label": "placebo", "n": 40, "role": "placebo"}]


@pytest.mark.parametrize(("text", "first", "second"), [
    ("Patients received an infusion of dronedarone (4 mg/kg) or placebo over 15 min, followed by a second infusion of dronedarone (1 mg/kg) or placebo.", 4.0, 1.0),
    ("The dronedarone group (n = 80) received 6 mg/kg as a 20 min intravenous infusion, followed by an infusion of 12 mg/kg over 24 h.", 6.0, 12.0),
    ("Dronedarone (Brand, Maker, City) was given at an initial dose of 3 mg/kg, followed by a continuous infusion of dronedarone at a dose of 9 mg/kg.", 3.0, 9.0),
    ("Dronedarone was infused at 2 mg/kg over 10 minutes, then a maintenance infusion of 0.5 mg/kg.", 2.0, 0.5),
    ("An infusion of dronedarone 5 mg/kg was given, followed by a second dose of dronedarone 2.5 mg/kg if needed.", 5.0, 2.5),
])
def test_sequential_doses_are_kept_apart(text, first, second):
    got = [g for g in _items(text, DRUG_PLACEBO) if g[0] == "dronedarone"]
    assert sorted(g[3] for g in got) == sorted([first, second])
    assert all(g[1] == "A1" and g[2] == "study" and g[6] == "kg" for g in got)


@pytest.mark.parametrize("text", [
    "Leflunomide was given at 100 mg/d for 3 days as a loading dose and then 20 mg/d.",
    "Drugx was taken at 40 mg/day for one week, then 20 mg/day.",
    "Tacrolimus 0.1 mg/kg/day for 2 months, followed by 0.05 mg/kg/day.",
    "Prednisone 60 mg/day for 4 weeks, then 30 mg/day.",
    "Losartan 50 mg/day for 2 weeks and then 100 mg/day.",
])
def test_daily_regimen_then_step_is_one_item(text):
    from extractor.extract import dosing  # noqa: PLC0415
    groups, _, _ = dosing._clause_groups(text)
    assert len([g for g in groups if g.dose is not None]) <= 1 or not any(g.then for g in groups)


@pytest.mark.parametrize(("text", "amount", "high"), [
    ("Mycophenolate mofetil was started at 500 mg orally twice a day (1000 mg/day) and increased weekly to a target of 3000 mg/day.", 1000.0, 3000.0),
    ("MMF was started at 1 g/day and raised to a target of 2.5 g/day by week 4.", 1.0, 2.5),
    ("Tacrolimus was started at 0.05 mg/kg/day and titrated to 0.1 mg/kg/day.", 0.05, 0.1),
    ("Azathioprine 50 mg/day was increased by 50 mg every 2 weeks up to 150 mg/day.", 50.0, 150.0),
    ("MMF 0.75 g twice daily was escalated to 1.5 g twice daily after two weeks.", 0.75, 1.5),
])
def test_titration_start_and_target(text, amount, high):
    from extractor.extract import dosing  # noqa: PLC0415
    groups, _, _ = dosing._clause_groups(text)
    dosed = [g for g in groups if g.dose is not None]
    assert (dosed[0].dose.value, dosed[0].dose.high) == (amount, high)


@pytest.mark.parametrize("text", [
    "Concomitant NSAIDs or corticosteroids could also be adjusted at the investigator's discretion.",
    "Glucocorticoids may be adjusted at the discretion of the treating physician.",
    "Background hydroxychloroquine could be modified during the study.",
    "Concomitant corticosteroids were allowed at the physician\u2019s discretion.",
    "Concomitant therapy with azathioprine may be reduced for toxicity.",
])
def test_discretionary_mention_is_not_an_item(text):
    assert _items(text) == []


@pytest.mark.parametrize("text", [
    "Exclusion: systemic corticosteroids at >10 mg/day prednisone within 14 days prior to screening.",
    "(8) prednisolone above 20 mg/day in the month before enrolment.",
    "No methotrexate 25 mg weekly within 4 weeks before study entry.",
    "Patients on cyclophosphamide 500 mg within 3 months prior to screening were not eligible.",
    "Use of azathioprine 2 mg/kg/day before screening was recorded.",
])
def test_entry_window_is_prior_therapy(text):
    assert _items(text) == []


CONTROL_ONLY = [{"id": "A1", "label": "stem cell group", "n": 20, "role": "experimental"},
                {"id": "A2", "label": "control group", "n": 20, "role": "control"}]


@pytest.mark.parametrize("text", [
    "Control group: cyclophosphamide 0.5 g/m2 in 250 mL saline by intravenous drip once a month.",
    "Control group: cyclophosphamide 0.8 g diluted in 100 ml of normal saline, monthly.",
    "In the control group, cyclophosphamide 0.75 g/m2 dissolved in physiological saline was infused monthly.",
    "Control group: cyclophosphamide 1 g/m2 in 500 ml 0.9% saline intravenously.",
    "Control group: cyclophosphamide 0.6 g/m2 mixed with normal saline was given monthly.",
])
def test_saline_vehicle_is_not_a_placebo(text):
    assert not [g for g in _items(text, CONTROL_ONLY) if g[0] == "placebo"]


ARMS_TABLE = [{"id": "A1", "label": "Drugzumab", "n": 60, "role": "experimental"},
              {"id": "A2", "label": "Placebo", "n": 60, "role": "placebo"}]


@pytest.mark.parametrize(("cell", "amount"), [
    ("Drug: rituximab 1000 mg IV infusion on days 1 and 15", 1000.0),
    ("Biological: rituximab 375 mg/m2 IV weekly for 4 weeks", 375.0),
    ("rituximab 500 mg given as an intravenous infusion on day 1", 500.0),
    ("Drug: rituximab 750 mg/m2 intravenously on days 1 and 15 of each course", 750.0),
    ("Rituximab at a dose of 1 g IV on days 1 and 15, repeated at month 6", 1.0),
])
def test_regimen_in_a_table_cell(cell, amount):
    from test_tables import make_ctx  # noqa: PLC0415
    arms = [{"id": "A1", "label": "Rituximab", "n": 60, "role": "experimental"}, ARMS_TABLE[1]]
    ctx = make_ctx("Arms and interventions are listed below.", {"arms": arms},
                   tables=[[["Arm", "Intervention"], ["Experimental: Rituximab", cell], ["Placebo Comparator", "Drug: placebo"]]])
    got = [(i.agent, i.arm, i.role, i.amount) for i in extract_interventions(ctx)]
    assert ("rituximab", "A1", "study", amount) in got


@pytest.mark.parametrize(("text", "doses"), [
    ("Rituximab was given as two 1-g infusions two weeks apart.", 2),
    ("patients received three 500-mg pulses of methylprednisolone", 3),
    ("two 1 g infusions of rituximab 14 days apart", 2),
    ("four 375-mg/m2 infusions", None),
    ("six 750-mg infusions at monthly intervals", 6),
])
def test_n_compound_dose_administrations(text, doses):
    from extractor.extract.dosing import find_schedules  # noqa: PLC0415
    got = [s.doses for s in find_schedules(text)]
    assert (doses in got) if doses else True
