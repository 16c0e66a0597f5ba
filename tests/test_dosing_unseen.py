"""Interventions in report styles of the unseen-style batch: double-dummy "placebo matching X",
arms written as the subject of a dose ("The BR was 900 mg ..."), "randomised to X ... or to Y",
background antibodies in trials whose labels name another study drug, cell products named inside
their dose, lymphodepletion, unlisted drugs named by their dosage form, "On this basis, the
observation group was given ...", structured-abstract headings, "X versus Y" titles.

Every case is an invented wording (drugs, numbers and word order varied)."""

from __future__ import annotations

import pytest

from extractor.extract.dosing import extract_interventions
from extractor.extract.dosing_agents import find_agents, product_names
from extractor.extract.quantities import find_doses


def _items(text, arms=None, title=None):
    from test_tables import make_ctx  # noqa: PLC0415
    ctx = make_ctx(text, {"arms": arms} if arms else None, section="methods", title=title)
    return [(i.agent, i.arm, i.role, i.amount, i.unit, i.per) for i in extract_interventions(ctx)]


def _arms(*rows):
    return [{"id": f"A{k}", "label": label, "n": n, "role": role} for k, (label, n, role) in enumerate(rows, 1)]


# --- "placebo tablets matching X": X is not given in that arm ---------------------------------

DUMMY = _arms(("zilucopan 20 mg twice daily", 90, "experimental"), ("prednisolone", 88, "control"))


@pytest.mark.parametrize("text", [
    "Patients in the zilucopan group took zilucopan 20 mg twice daily together with placebo tablets matching prednisolone.",
    "The zilucopan group received zilucopan 20 mg twice daily plus capsules matching prednisolone.",
    "In the zilucopan group, zilucopan 20 mg twice daily was given with a placebo matched to prednisolone.",
    "Zilucopan 20 mg twice daily was combined in the zilucopan group with dummy prednisolone tablets.",
    "The zilucopan group took zilucopan 20 mg twice daily and prednisolone-matching placebo for 26 weeks.",
])
def test_matching_placebo_names_no_regimen(text):
    got = _items(text, DUMMY)
    assert not [g for g in got if g[0] == "prednisolone" and g[1] == "A1"]
    assert ("zilucopan", "A1", "study") in [g[:3] for g in got]


# --- "randomised to X 30 mg (n = 160) or to a course of Y (n = 158)" ---------------------------

@pytest.mark.parametrize(("text", "agent"), [
    ("Patients were randomised to zilucopan 20 mg twice daily (n = 90) or to a tapering course of prednisolone (n = 88).", "prednisolone"),
    ("We assigned 178 adults to zilucopan 20 mg twice daily or to prednisolone 40 mg/day tapered over 16 weeks.", "prednisolone"),
    ("Allocation was to zilucopan 20 mg twice daily versus standard prednisolone 1 mg/kg/day.", "prednisolone"),
    ("They received zilucopan 20 mg twice daily (90 patients) or a reducing prednisolone regimen (88 patients).", "prednisolone"),
    ("Eligible adults took zilucopan 20 mg twice daily or, alternatively, prednisolone from 60 mg/day.", "prednisolone"),
])
def test_drug_after_or_takes_its_own_arm(text, agent):
    got = [g for g in _items(text, DUMMY) if g[0] == agent]
    assert got and all(g[1] == "A2" for g in got)


# --- an arm written as the subject of a dose ---------------------------------------------------

REGIMENS = _arms(("placebo", 40, "placebo"), ("LD", 41, "experimental"), ("HD", 42, "experimental"))


@pytest.mark.parametrize(("text", "a2", "a3"), [
    ("Adults were randomised to placebo, an ustekimab low-dose regimen (LD) or an ustekimab high-dose regimen (HD). "
     "The LD was 150 mg subcutaneously every 8 weeks; the HD was 450 mg every 4 weeks.", 150.0, 450.0),
    ("Patients got placebo, ustekimab low dose (LD) or ustekimab high dose (HD). The LD received 2 mg/kg monthly, "
     "while the HD received 6 mg/kg monthly.", 2.0, 6.0),
    ("Arms: placebo; ustekimab loading regimen (LD); ustekimab sustained regimen (HD). The LD was 300 mg at weeks 0 and 2; "
     "the HD was 600 mg every 2 weeks.", 300.0, 600.0),
    ("We compared placebo with an ustekimab lower-exposure regimen (LD) and an ustekimab higher-exposure regimen (HD). "
     "Patients in the LD were given 0.5 g intravenously on day 1; the HD was given a single dose of 1 g.", 0.5, 1.0),
    ("Three arms: placebo, ustekimab short regimen (LD), ustekimab extended regimen (HD). The LD was 90 mg weekly for 4 weeks, "
     "and the HD was 90 mg weekly for 12 weeks.", 90.0, 90.0),
])
def test_arm_subject_takes_its_drug(text, a2, a3):
    got = [g for g in _items(text, REGIMENS) if g[0] == "ustekimab"]
    assert ("ustekimab", "A2", "study", a2) in [g[:4] for g in got]
    assert ("ustekimab", "A3", "study", a3) in [g[:4] for g in got]


def test_arm_subject_needs_an_arm():
    got = _items("All patients were 45 years old. The dose was 900 mg every 4 weeks.", REGIMENS)
    assert not [g for g in got if g[3] == 900.0]


# --- a background antibody in a trial whose labels name another study drug ----------------------

@pytest.mark.parametrize("text", [
    "All patients received standard immunosuppression chosen by the investigator: rituximab 375 mg/m2 weekly for 4 weeks.",
    "Both groups received background rituximab 1 g on days 1 and 15.",
    "Background therapy was rituximab 375 mg/m2 intravenously once a week for four weeks in all patients.",
    "In addition, all patients received rituximab 500 mg every 6 months as maintenance therapy.",
    "Standard of care consisted of rituximab 1000 mg at weeks 0 and 2, given to all patients.",
])
def test_background_antibody_stays_background(text):
    got = [g for g in _items(text, DUMMY) if g[0] == "rituximab"]
    assert got and got[0][2] == "background"


# --- cell products named inside their dose -------------------------------------------------------

@pytest.mark.parametrize(("text", "value"), [
    ("a single infusion of 1 × 10^6 CAR T cells per kilogram of body weight", 1e6),
    ("2 x 10^6 CAR-T cells/kg were infused on day 0", 2e6),
    ("patients received 5 × 10^5 chimeric antigen receptor T cells per kg", 5e5),
    ("1 × 10⁶ UC-MSCs per kg body weight", 1e6),
    ("3 × 10^6 allogeneic umbilical cord MSCs/kg", 3e6),
])
def test_cell_dose_with_product_name(text, value):
    [q] = find_doses(text)
    assert (q.value, q.unit, q.per) == (value, "cells", "kg")


def test_garbled_million_kg_is_not_a_product_name():
    [q] = find_doses("an infusion of 3 million kg of BM-MSCs")
    assert (q.value, q.unit, q.per) == (3e6, "cells", "kg")


SINGLE = _arms(("CAR T cells", 8, "experimental"))


@pytest.mark.parametrize(("text", "value"), [
    ("On day 0 a single infusion of 1 × 10^6 CAR T cells per kilogram of body weight was given.", 1e6),
    ("Patients received 2 × 10^6 CAR-T cells/kg intravenously after lymphodepletion.", 2e6),
    ("A dose of 5 × 10^5 CD19 CAR T cells per kg was infused.", 5e5),
    ("Each patient was given 1.5 × 10^6 chimeric antigen receptor T cells per kilogram.", 1.5e6),
    ("Infusion of 3 x 10^6 CAR-T cells/kg took place on day 0.", 3e6),
])
def test_cell_product_takes_its_dose(text, value):
    got = [g for g in _items(text, SINGLE) if g[0] == "CAR T cells"]
    assert got and got[0][3:6] == (value, "cells", "kg") and got[0][2] == "study"


# --- lymphodepletion is background ------------------------------------------------------------

@pytest.mark.parametrize(("text", "agent"), [
    ("Before infusion, patients received lymphodepleting chemotherapy with fludarabine 25 mg/m2 on days -5 to -3.", "fludarabine"),
    ("Lymphodepletion consisted of fludarabine 30 mg/m2 daily for 3 days and cyclophosphamide 500 mg/m2.", "cyclophosphamide"),
    ("The conditioning regimen was fludarabine 25 mg/m2 for three days.", "fludarabine"),
    ("Cyclophosphamide 1000 mg/m2 was given on day -3 as lymphodepleting chemotherapy.", "cyclophosphamide"),
    ("Patients received conditioning chemotherapy with fludarabine phosphate 20 mg/m2 on days -4 to -2.", "fludarabine"),
])
def test_lymphodepletion_is_background(text, agent):
    got = [g for g in _items(text, SINGLE) if g[0] == agent]
    assert got and got[0][2] == "background"


# --- unlisted drugs named by their dosage form ---------------------------------------------------

@pytest.mark.parametrize(("text", "agent", "amount"), [
    ("On this basis, the observation group was given tripterygium glycosides tablets orally, 20 mg each time, 3 times a day.", "tripterygium glycosides", 20.0),
    ("The observation group additionally received Huangkui capsules 2.5 g three times daily.", "huangkui", 2.5),
    ("Patients in the observation group took Bailing capsules, 2 g each time, 3 times a day.", "bailing", 2.0),
    ("The observation group was treated with Shenkang injection 100 mL by intravenous drip once daily.", "shenkang", 100.0),
    ("The observation group was given compound Xyzine granules 10 g twice a day.", "xyzine", 10.0),
])
def test_product_named_by_dosage_form(text, agent, amount):
    arms = _arms(("observation group", 40, "experimental"), ("control group", 40, "control"))
    got = [g for g in _items(text, arms) if g[0] == agent]
    assert got and got[0][1] == "A1" and got[0][2] == "study" and got[0][3] == amount


@pytest.mark.parametrize("text", [
    "Patients were given two tablets twice daily.",
    "All patients received matching capsules 1 g daily.",
    "The control group was given placebo tablets 20 mg three times a day.",
    "Patients took the same tablets orally, 10 mg each time.",
    "Mycophenolate mofetil dispersible tablets were given, 1 g each time.",
])
def test_no_product_name(text):
    assert product_names(text) == []


# --- "On this basis, the observation group was given ...": the control regimen is background -------

@pytest.mark.parametrize("text", [
    "The control group was given mycophenolate mofetil 1.0 g twice a day. On this basis, the observation group was given leflunomide 20 mg daily.",
    "The control group received mycophenolate mofetil 0.75 g twice daily; on this basis the study group was additionally given leflunomide 10 mg daily.",
    "Control group patients were given mycophenolate mofetil 1 g twice a day, and the observation group was additionally given leflunomide 20 mg once daily.",
    "The control group took mycophenolate mofetil 1.5 g/day. On that basis, the observation group was also given leflunomide 20 mg/day.",
    "The control group was treated with mycophenolate mofetil 1 g bid. On the same basis, the observation group was given leflunomide 30 mg daily.",
])
def test_control_regimen_on_this_basis_is_background(text):
    arms = _arms(("observation group", 40, "experimental"), ("control group", 40, "control"))
    got = _items(text, arms)
    mmf = [g for g in got if g[0] == "mycophenolate mofetil"]
    assert mmf and all(g[2] == "background" for g in mmf)
    assert ("leflunomide", "A1", "study") in [g[:3] for g in got]


# --- a structured abstract's "Background:" heading is no role cue ------------------------------

@pytest.mark.parametrize("text", [
    "**Background:** Proteinuria despite maximal angiotensin receptor blockers predicts kidney failure.",
    "Background: Patients on ACE inhibitors still progress in IgA nephropathy.",
    "## Background: Hydroxychloroquine is widely used in lupus.",
    "Background: Many patients remain nephrotic despite tacrolimus.",
    "**Background:** Mycophenolate mofetil is standard induction therapy for lupus nephritis.",
])
def test_background_heading_is_not_a_cue(text):
    assert [g for g in _items(text, DUMMY) if g[0] != "zilucopan"] == []


@pytest.mark.parametrize("text", [
    "Background: mycophenolate mofetil 2 g/day in all patients.",
    "Background: hydroxychloroquine 200 mg twice daily was continued.",
    "Background: prednisone 10 mg/day or less.",
    "Background: azathioprine 2 mg/kg/day.",
    "Background: tacrolimus 3 mg daily in both arms.",
])
def test_background_label_with_a_dose_still_cues(text):
    got = [g for g in _items(text, DUMMY) if g[0] != "zilucopan"]
    assert got and got[0][2] == "background"


# --- a title "X versus Y": Y is the comparator when no arm label names a drug -------------------

@pytest.mark.parametrize(("title", "text", "agent"), [
    ("Dual receptor antagonism versus irbesartan in IgA nephropathy", "Patients took irbesartan 300 mg once daily.", "irbesartan"),
    ("A new oral agent vs. losartan for proteinuric kidney disease", "The comparator was losartan 100 mg daily.", "losartan"),
    ("Endothelin blockade compared with valsartan in diabetic nephropathy", "Valsartan 160 mg daily was given.", "valsartan"),
    ("Combined blockade versus telmisartan in IgA nephropathy", "Telmisartan 80 mg once daily was used.", "telmisartan"),
    ("Novel therapy against olmesartan: a randomised trial", "Olmesartan 40 mg once daily was given.", "olmesartan"),
])
def test_title_versus_names_the_comparator(title, text, agent):
    got = [g for g in _items(text, None, title) if g[0] == agent]
    assert got and got[0][2] == "comparator"


# --- stems and arm labels that are no drug -------------------------------------------------------

@pytest.mark.parametrize("word", ["sparsentan", "atrasentan", "bosentan", "macitentan", "aprocitentan"])
def test_endothelin_antagonist_stem(word):
    assert [t.canonical for t in find_agents(f"oral {word} 200 mg once daily")] == [word]


@pytest.mark.parametrize("label", [
    "Baseline characteristics (randomised population)", "Randomised population", "Safety population",
    "Intention-to-treat population", "All randomized participants",
])
def test_population_heading_is_no_arm_drug(label):
    from extractor.extract.dosing_doc import label_agent  # noqa: PLC0415
    assert label_agent(label) is None


@pytest.mark.parametrize(("text", "amount"), [
    ("Background therapy: mycophenolate mofetil escalated to 3 g/day by mouth.", 3.0),
    ("All patients took mycophenolate mofetil, raised to 2 g/day by week 4.", 2.0),
    ("All patients received mycophenolate mofetil, up-titrated to 2.5 g/day.", 2.5),
    ("Both groups received mycophenolate mofetil escalated to 1.5 g twice daily.", 1.5),
    ("All patients received prednisolone 0.75 mg/kg daily (not exceeding 60 mg) reduced to 10 mg daily by week 16.", 0.75),
])
def test_target_and_taper_doses_read(text, amount):
    got = [g for g in _items(text, REGIMENS) if g[0] in {"mycophenolate mofetil", "prednisolone"}]
    assert got and got[0][3] == amount and got[0][2] == "background"


# --- the open-label lead-in arm of a randomised-withdrawal trial ---------------------------------

@pytest.mark.parametrize(("text", "agent", "amount"), [
    ("Every participant self-injected belimumab 200 mg subcutaneously once a week; responders were randomised to continue belimumab or placebo.", "belimumab", 200.0),
    ("All patients first received open-label anifrolumab 300 mg every 4 weeks; responders continued anifrolumab or switched to placebo.", "anifrolumab", 300.0),
    ("During the lead-in, patients received ustekimab 90 mg every 8 weeks; those who responded were randomised to continue ustekimab or placebo.", "ustekimab", 90.0),
    ("In period 1 everyone took voclosporin 23.7 mg twice daily; responders were randomised to keep voclosporin or to placebo.", "voclosporin", 23.7),
    ("Patients started open-label abatacept 125 mg weekly; those in remission were randomly assigned to continue abatacept or to stop it with placebo.", "abatacept", 125.0),
])
def test_lead_in_arm_takes_the_study_regimen(text, agent, amount):
    from test_tables import make_ctx  # noqa: PLC0415

    from extractor.records import Arm  # noqa: PLC0415
    arms = [Arm(id="A2", label=f"continue {agent}", n=60, role="experimental"), Arm(id="A3", label="placebo", n=60, role="placebo")]
    ctx = make_ctx(text, {"arms": arms, "lead_in_arm": Arm(id="A1", label=f"Open-label {agent} (lead-in)", n=200, role="experimental")},
                   section="methods")
    got = [(i.agent, i.arm, i.role, i.amount) for i in extract_interventions(ctx)]
    assert (agent, "A1", "study", amount) in got
    assert not [g for g in got if g[0].startswith("continue")]


# --- an arm labelled by an abbreviation: the dose written after the abbreviation -------------------

@pytest.mark.parametrize(("text", "label", "amount"), [
    ("A delayed-release formulation of budesonide (DR-B) was tested. Patients were randomised to DR-B (9 mg once daily) or placebo.", "DR-B", 9.0),
    ("An ileal-release formulation of budesonide (IRB) was studied; participants received IRB 12 mg daily or placebo.", "IRB", 12.0),
    ("We used an enteric formulation of budesonide (EFB). Randomisation was to EFB (6 mg twice daily) or matching placebo.", "EFB", 6.0),
    ("Modified-release budesonide (MR-BUD) was compared with placebo: MR-BUD 16 mg was taken each morning.", "MR-BUD", 16.0),
    ("A gut-selective budesonide (GSB) capsule was used; the active arm took GSB at 8 mg/day.", "GSB", 8.0),
])
def test_abbreviated_label_takes_its_dose(text, label, amount):
    arms = _arms((label, 50, "experimental"), ("placebo", 50, "placebo"))
    got = [g for g in _items(text, arms) if g[0] == "budesonide" and g[1] == "A1"]
    assert got and got[0][3] == amount


# --- "N times a day / per day" schedules ------------------------------------------------------

@pytest.mark.parametrize(("text", "schedule"), [
    ("Patients took leflunomide tablets orally, 10 mg each time, 3 times a day.", "three times daily"),
    ("Leflunomide 20 mg was given three times per day with meals.", "three times daily"),
    ("All patients took hydroxychloroquine 200 mg twice per day.", "twice daily"),
    ("Azathioprine 25 mg was taken 4 times a day.", "four times daily"),
    ("Tacrolimus 1 mg was taken 2 times per day, adjusted to trough levels.", "twice daily"),
])
def test_times_a_day_schedules(text, schedule):
    from test_tables import make_ctx  # noqa: PLC0415
    ctx = make_ctx(text, {"arms": REGIMENS}, section="methods")
    got = [i.schedule for i in extract_interventions(ctx) if i.agent != "placebo"]
    assert got and got[0] == schedule
