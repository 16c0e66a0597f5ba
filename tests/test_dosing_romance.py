"""Interventions in the styles of the i-batch: Romance-language drug names, measurements with a
spread that are not doses, a dose written after the schedule, agent–dose gaps ("maintenance at",
"continued in both groups at", ", usually"), premedication "before each pulse" (also across a
layout break) and its arm, alternative regimens of one agent ("either ... or ..."), dose-escalation
cohorts labelled by their dose, and the therapy every arm shares.

Every case is an invented wording (drugs, numbers and word order varied)."""

from __future__ import annotations

import pytest

from extractor.extract.dosing import extract_interventions
from extractor.extract.dosing_agents import find_agents


def _ctx(text, arms=None, title=None, tables=None):
    from test_tables import make_ctx  # noqa: PLC0415
    return make_ctx(text, {"arms": arms} if arms else None, section="methods", title=title, tables=tables)


def _items(text, arms=None, title=None, tables=None):
    return [(i.agent, i.arm, i.role, i.amount, i.unit, i.per) for i in extract_interventions(_ctx(text, arms, title, tables))]


def _arms(*rows):
    return [{"id": f"A{k}", "label": label, "n": n, "role": role} for k, (label, n, role) in enumerate(rows, 1)]


TWO = _arms(("tacrolimus", 40, "experimental"), ("cyclophosphamide", 41, "control"))


# --- Romance drug names are vocabulary synonyms ------------------------------------------------

@pytest.mark.parametrize(("text", "agent"), [
    ("recibieron ciclofosfamida 500 mg", "cyclophosphamide"),
    ("micofenolato de mofetilo 1 g cada 12 horas", "mycophenolate mofetil"),
    ("micofenolato of mofetilo 1,5 g/día", "mycophenolate mofetil"),
    ("Metilprednisolona 250 mg intravenosa", "methylprednisolone"),
    ("azatioprina 1,5 mg/kg/día", "azathioprine"),
    ("prednisona 0,5 mg/kg/día", "prednisone"),
    ("rituximabe 1 g", "rituximab"),
    ("ciclofosfamide 750 mg/m2", "cyclophosphamide"),
    ("mycophénolate mofétil 2 g/j", "mycophenolate mofetil"),
    ("méthylprednisolone 500 mg", "methylprednisolone"),
    ("hidroxicloroquina 200 mg", "hydroxychloroquine"),
    ("tacrolimo 0,1 mg/kg", "tacrolimus"),
])
def test_romance_names(text, agent):
    assert agent in [t.canonical for t in find_agents(text)]


ES = _arms(("Grupo CFM", 26, "experimental"), ("Grupo MMF", 28, "control"))


@pytest.mark.parametrize(("text", "agent", "arm", "amount"), [
    ("The group CFM received ciclofosfamida 750 mg intravenous every 15 días.", "cyclophosphamide", "A1", 750),
    ("The group MMF received micofenolato de mofetilo 1,5 g every 12 hours oral.", "mycophenolate mofetil", "A2", 1.5),
    ("Both groups received metilprednisolona 250 mg intravenous on three days.", "methylprednisolone", None, 250),
    ("After 6 meses the two groups received azatioprina 1,5 mg/kg/día as maintenance.", "azathioprine", None, 1.5),
    ("All patients took prednisona 0,6 mg/kg/día oral.", "prednisone", None, 0.6),
])
def test_romance_regimens(text, agent, arm, amount):
    got = [g for g in _items(text, ES) if g[0] == agent]
    assert got and got[0][1] == arm and got[0][3] == pytest.approx(amount)


def test_romance_group_label_is_no_agent():
    got = _items("The group CFM received ciclofosfamida 500 mg intravenous.", ES)
    assert not [g for g in got if "grupo" in g[0].lower()]


# --- a value with its spread is a measurement, not a dose ---------------------------------------

@pytest.mark.parametrize("text", [
    "Mean proteinuria at entry was 3.8 g (SD 2.2) in the tacrolimus group and 4.4 g (SD 2.6) in the cyclophosphamide group.",
    "The proteinuria basal was 3,1 ± 1,9 g/24 h in the tacrolimus group and 2,8 ± 2,2 g/24 h in the cyclophosphamide group.",
    "Baseline protein excretion: 5.2 g/day, SD 3.0, with tacrolimus; 4.9 g/day, SD 2.7, with cyclophosphamide.",
    "Proteinuria was 2.9 +/- 1.4 g/24h (tacrolimus) and 3.3 +/- 1.8 g/24h (cyclophosphamide) at entry.",
    "Urine protein at baseline was 4.0 g (IQR 2.5-6.1) in the cyclophosphamide group and 3.6 g (IQR 2.1-5.0) in the tacrolimus group.",
])
def test_measured_value_is_no_dose(text):
    assert not [g for g in _items(text, TWO) if g[3] is not None]


# --- a dose written after the schedule ---------------------------------------------------------

@pytest.mark.parametrize(("text", "amount", "unit", "per"), [
    ("Cyclophosphamide was given monthly for six doses at 0.75 g/m² of body surface area.", 0.75, "g", "m2"),
    ("Cyclophosphamide was infused every 2 weeks at 500 mg.", 500, "mg", None),
    ("Cyclophosphamide was administered on days 1 and 15 at a dose of 0.5 g/m2.", 0.5, "g", "m2"),
    ("Cyclophosphamide was given weekly for 4 weeks at 10 mg/kg.", 10, "mg", "kg"),
    ("Cyclophosphamide was given monthly ×6 at 1 g/m2 adjusted to the leucocyte nadir.", 1, "g", "m2"),
])
def test_dose_after_schedule(text, amount, unit, per):
    got = [g for g in _items(text, TWO) if g[0] == "cyclophosphamide"]
    assert got and got[0][3:] == (pytest.approx(amount), unit, per)


# --- agent–dose gaps: "maintenance at", "continued in both groups at", ", usually" ------------

@pytest.mark.parametrize(("text", "agent", "amount"), [
    ("By week 48, during which all patients received azathioprine maintenance at 1.5 mg/kg/day, biopsies were repeated.", "azathioprine", 1.5),
    ("All patients were given azathioprine as maintenance at 2 mg/kg/day.", "azathioprine", 2),
    ("Mycophenolate mofetil was continued in both groups at 1–2 g/day.", "mycophenolate mofetil", 1),
    ("Hydroxychloroquine was kept in all patients at 200 mg/day.", "hydroxychloroquine", 200),
    ("All patients received oral prednisone, usually 0.8–1 mg/kg/day tapered over 4 months.", "prednisone", 0.8),
    ("All patients received prednisolone, typically 30 mg/day at start.", "prednisolone", 30),
])
def test_agent_dose_gap_fillers(text, agent, amount):
    got = [g for g in _items(text, TWO) if g[0] == agent]
    assert got and got[0][3] == pytest.approx(amount)


# --- premedication "before each pulse" and its arm ---------------------------------------------

@pytest.mark.parametrize(("text", "agent"), [
    ("In the cyclophosphamide group, 0.75 g/m2 was infused monthly; ondansetron 8 mg intravenously was given before each pulse.", "ondansetron"),
    ("In the cyclophosphamide group, 500 mg was infused every two weeks; granisetron 1 mg was given before every pulse.", "granisetron"),
    ("In the cyclophosphamide group, pulses were given monthly; ondansetron 4 mg was given prior to each dose.", "ondansetron"),
    ("Before each infusion of cyclophosphamide was administered ondansetron 8 mg intravenous.", "ondansetron"),
    ("Ondansetron 8 mg was given before every cyclophosphamide pulse.", "ondansetron"),
])
def test_premedication_before_each_pulse(text, agent):
    got = [g for g in _items(text, TWO) if g[0] == agent]
    assert got and got[0][1:3] == ("A2", "premedication")


def test_premedication_cue_after_a_layout_break():
    text = ("In the cyclophosphamide group, 0.75 g/m2 was infused monthly; ondansetron 8 mg intravenously was given\n\n"
            "before each pulse. All patients took prednisone 0.8 mg/kg/day.")
    got = [g for g in _items(text, TWO) if g[0] == "ondansetron"]
    assert got and got[0][2] == "premedication"


# --- alternative regimens of one agent ---------------------------------------------------------

@pytest.mark.parametrize(("text", "amounts"), [
    ("Cyclophosphamide followed either the NIH schedule (0.5–1 g/m² monthly for six pulses; 40 patients) or the Euro-Lupus schedule (500 mg every two weeks for six pulses; 30 patients).", {0.5, 500}),
    ("Cyclophosphamide was given according to either the high-dose protocol (1 g/m2 monthly) or the low-dose protocol (500 mg fortnightly).", {1, 500}),
    ("Cyclophosphamide was administered as either 750 mg/m2 monthly pulses or 500 mg every 2 weeks.", {750, 500}),
    ("Cyclophosphamide followed either a monthly regimen (0.75 g/m2) or a fortnightly one (0.5 g).", {0.75, 0.5}),
    ("Cyclophosphamide was used either at 1 g/m2 monthly or at 500 mg biweekly, by physician choice.", {1, 500}),
])
def test_either_or_regimens(text, amounts):
    got = sorted(g[3] for g in _items(text, TWO) if g[0] == "cyclophosphamide" and g[1] == "A2")
    assert got == pytest.approx(sorted(amounts))


# --- dose-escalation cohorts labelled by their dose -------------------------------------------

@pytest.mark.parametrize(("title", "doses"), [
    ("A phase 1 dose-escalation study of ianalumab in adults with SLE", (1, 3, 10)),
    ("First-in-human ascending-dose trial of dapirolizumab in lupus", (0.3, 1, 3)),
    ("Dose escalation of obexelimab in systemic lupus erythematosus: a phase 1b study", (2, 5, 10)),
    ("Safety of rising doses of telitacicept in lupus nephritis", (80, 160, 240)),
    ("Anifrolumab at three dose levels in active SLE: an open-label escalation study", (100, 300, 1000)),
])
def test_dose_label_cohorts_take_the_title_drug(title, doses):
    unit = "mg/kg" if doses[0] < 50 else "mg"
    arms = _arms(*[(f"{d:g} {unit}", 3, "experimental") for d in doses])
    got = [g for g in _items("Patients were enrolled in sequential cohorts.", arms, title=title) if g[2] == "study"]
    assert sorted(g[3] for g in got) == pytest.approx(sorted(doses))
    assert len({g[0] for g in got}) == 1 and {g[1] for g in got} == {"A1", "A2", "A3"}


# --- the therapy every arm shares ---------------------------------------------------------------

SHARED = _arms(("Placebo + MMF", 70, "placebo"), ("Obinutuzumab + MMF", 72, "experimental"))


@pytest.mark.parametrize("row", [
    ["Arm/Group Description", "Placebo IV on Days 1 and 15, plus MMF titrated to 2.5 g/day orally and prednisone 0.5 mg/kg/day orally.",
     "Obinutuzumab 1000 mg IV on Days 1 and 15, plus MMF titrated to 2.5 g/day orally and prednisone 0.5 mg/kg/day orally."],
    ["Intervention", "Matching placebo infusion on day 1, plus mycophenolate mofetil 2 g/day and prednisone 0.5 mg/kg/day",
     "Obinutuzumab 1000 mg infusion on day 1, plus mycophenolate mofetil 2 g/day and prednisone 0.5 mg/kg/day"],
    ["Regimen", "Placebo infusions every 6 months with prednisone 0.5 mg/kg/day and MMF 2 g/day",
     "Obinutuzumab 1000 mg every 6 months with prednisone 0.5 mg/kg/day and MMF 2 g/day"],
    ["Description", "Placebo infusion on weeks 0 and 2 and prednisone 0.5 mg/kg/day orally and MMF 3 g/day",
     "Obinutuzumab 1000 mg infusion on weeks 0 and 2 and prednisone 0.5 mg/kg/day orally and MMF 3 g/day"],
    ["Arm description", "Placebo given with MMF 2 g/day and prednisone 0.5 mg/kg/day by mouth",
     "Obinutuzumab 1000 mg given with MMF 2 g/day and prednisone 0.5 mg/kg/day by mouth"],
])
def test_shared_cell_regimen_is_background(row):
    got = _items("Patients were randomised.", SHARED, tables=[[["Arm/Group Title", "Placebo + MMF", "Obinutuzumab + MMF"], row]])
    assert not [g for g in got if g[0] in {"prednisone", "mycophenolate mofetil"} and g[2] != "background"]
    assert ("placebo", "A1", "comparator") in [g[:3] for g in got]


def test_dose_ranging_cells_are_not_shared():
    arms = _arms(("low dose", 30, "experimental"), ("high dose", 30, "experimental"))
    row = ["Regimen", "Voclosporin 23.7 mg twice daily with MMF 2 g/day", "Voclosporin 39.5 mg twice daily with MMF 2 g/day"]
    got = _items("Patients were randomised.", arms, tables=[[["Arm", "low dose", "high dose"], row]])
    assert all(g[2] != "background" for g in got if g[0] == "voclosporin")


def test_added_to_cues_only_what_follows():
    got = _items("Umbilical cord mesenchymal stromal cells 1 × 10^6/kg were added to mycophenolate 2 g/day.",
                 _arms(("UC-MSC", 20, "experimental"), ("placebo", 10, "placebo")))
    roles = {g[0]: g[2] for g in got}
    assert roles.get("mycophenolate mofetil") == "background"
    assert roles.get("umbilical cord mesenchymal stem cells") == "study"


@pytest.mark.parametrize("text", [
    "After induction the two groups received leflunomide 20 mg daily.",
    "From month 6, the two groups received leflunomide 10 mg/day as maintenance.",
    "Both groups were treated with leflunomide 20 mg once daily.",
    "In addition, the two groups received leflunomide 20 mg per day.",
    "Thereafter both groups were treated with leflunomide at 20 mg/day.",
])
def test_two_groups_received_is_background(text):
    got = [g for g in _items(text, TWO) if g[0] == "leflunomide"]
    assert got and got[0][1:3] == (None, "background")


@pytest.mark.parametrize(("text", "agent"), [
    ("Sequential cohorts received 1, 3 and 10 mg/kg of ianalumab.", "ianalumab"),
    ("Dapirolizumab was escalated through 1, 3 and 10 mg/kg.", "dapirolizumab"),
    ("Each cohort was given obexelimab at its dose level.", "obexelimab"),
    ("Patients received intravenous telitacicept at the cohort dose.", "telitacicept"),
    ("The 1, 3 and 10 mg/kg levels of anifrolumab were given every 4 weeks.", "anifrolumab"),
])
def test_dose_label_cohorts_take_the_one_antibody(text, agent):
    arms = _arms(("1 mg/kg", 3, "experimental"), ("3 mg/kg", 3, "experimental"), ("10 mg/kg", 3, "experimental"))
    got = [g for g in _items(text, arms, title="A phase 1 study in systemic lupus erythematosus") if g[2] == "study" and g[1]]
    assert sorted((g[1], g[3]) for g in got) == [("A1", 1), ("A2", 3), ("A3", 10)]
    assert {g[0] for g in got} == {agent}


# --- a lab value after its measure (and the parallel value of the other arm) is no dose --------

@pytest.mark.parametrize("text", [
    "Mean proteinuria at entry was 4.1 g in the tacrolimus group and 4.3 g in the cyclophosphamide group.",
    "Proteinuria at baseline was 3.5 g/24 h with tacrolimus and 3.9 g/24 h with cyclophosphamide.",
    "Baseline proteinuria: 2.8 g/day (tacrolimus) vs 3.1 g/day (cyclophosphamide).",
    "The median proteinuria was 4.0 g in the cyclophosphamide group.",
    "Serum albumin was 28 g/L in the cyclophosphamide group and 31 g/L in the tacrolimus group.",
])
def test_lab_value_is_no_dose(text):
    assert not [g for g in _items(text, TWO) if g[3] is not None]


@pytest.mark.parametrize(("text", "agent", "amount"), [
    ("Patients with proteinuria of 3 g received cyclophosphamide 500 mg every 2 weeks.", "cyclophosphamide", 500),
    ("Patients with proteinuria above 1 g/day were given tacrolimus 0.05 mg/kg/day.", "tacrolimus", 0.05),
    ("When serum albumin was below 30 g/L, tacrolimus 0.1 mg/kg/day was started.", "tacrolimus", 0.1),
    ("Proteinuria of 2 g or more led to cyclophosphamide 0.75 g/m2 monthly.", "cyclophosphamide", 0.75),
    ("With eGFR above 30 mL/min, cyclophosphamide 1 g/m2 was given monthly.", "cyclophosphamide", 1),
])
def test_dose_after_a_lab_value_is_kept(text, agent, amount):
    got = [g for g in _items(text, TWO) if g[0] == agent]
    assert got and got[0][3] == pytest.approx(amount)
