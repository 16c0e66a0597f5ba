"""Interventions in report styles the first rules did not meet: run-on abstracts, translated
"Observation group: ..." regimens, line-end hyphens, abbreviations defined once, induction phases
before randomisation, double-dummy placebos, and the arm every other arm is compared with.

Every case is an invented wording (drugs, numbers and word order varied)."""

from __future__ import annotations

import pytest

from extractor.extract.dosing import extract_interventions


def _ctx(text, arms=None, title=None):
    from test_tables import make_ctx  # noqa: PLC0415
    return make_ctx(text, {"arms": arms} if arms else None, section="methods", title=title)


def _items(text, arms=None, title=None):
    return [(i.agent, i.arm, i.role, i.amount, i.amount_high, i.unit, i.per)
            for i in extract_interventions(_ctx(text, arms, title))]


DRUG_PLACEBO = [{"id": "A1", "label": "drugumab", "n": 100, "role": "experimental"},
                {"id": "A2", "label": "placebo", "n": 100, "role": "placebo"}]


# --- a run-on sentence: only its end-point clause is skipped ------------------------------

@pytest.mark.parametrize(("text", "agent", "amount"), [
    ("Methods: adults were randomised to drugumab 10 mg/kg or placebo; every patient took mycophenolate mofetil 1 g twice daily; the primary end point was renal response at week 52.", "mycophenolate mofetil", 1.0),
    ("Patients received azathioprine 2 mg/kg/day as background therapy; the primary outcome was defined as a fall in proteinuria.", "azathioprine", 2.0),
    ("The key secondary end point was complete response at week 104; all patients received hydroxychloroquine 200 mg twice daily.", "hydroxychloroquine", 200.0),
    ("All patients also received prednisone 0.5 mg/kg/day tapered to 5 mg/day; the main outcome was time to flare (hazard ratio reported).", "prednisone", 0.5),
    ("Background therapy was tacrolimus 2 mg twice daily in both groups; the secondary endpoints were eGFR and UPCR (P < 0.05 deemed significant).", "tacrolimus", 2.0),
])
def test_endpoint_clause_does_not_hide_the_regimen(text, agent, amount):
    got = [g for g in _items(text, DRUG_PLACEBO) if g[0] == agent]
    assert got and got[0][2] == "background" and got[0][3] == amount


# --- "X was added to 250 mL saline": a vehicle, not an add-on cue nor a placebo --------------

OBS_CONTROL = [{"id": "A1", "label": "observation group", "n": 40, "role": "experimental"},
               {"id": "A2", "label": "control group", "n": 40, "role": "control"}]


@pytest.mark.parametrize("text", [
    "Control group: cyclophosphamide 0.8 g/m2 was added to 200 mL normal saline by intravenous drip, once a month.",
    "Control group: cyclophosphamide 0.5 g/m2 added to 100 ml of 0.9% sodium chloride, infused monthly for six months.",
    "Control group: cyclophosphamide 1.0 g/m2 was added into 250 mL physiological saline and dripped intravenously.",
    "Control group: cyclophosphamide 0.6 g/m2 was added to 500 mL 5% glucose, intravenous drip, every 4 weeks.",
    "Control group: cyclophosphamide 0.75 g/m2 was added to normal saline 250 mL, once monthly, 6 times in total.",
])
def test_vehicle_after_added_to(text):
    got = _items(text, OBS_CONTROL)
    assert ("cyclophosphamide", "A2", "comparator") in [g[:3] for g in got]
    assert not [g for g in got if g[0] == "placebo" or g[2] == "background"]


# --- "Observation group: A ...; B ...": the label opens the sentence, every clause keeps it ----

@pytest.mark.parametrize(("text", "second", "arm"), [
    ("Observation group: tacrolimus 1 mg each time, 2 times/d; mycophenolate mofetil 0.75 g each time, 2 times/d.", "mycophenolate mofetil", "A1"),
    ("Observation group: leflunomide 20 mg once daily; azathioprine 50 mg twice daily after week 4.", "azathioprine", "A1"),
    ("Control group: cyclophosphamide 0.5 g/m2 monthly; azathioprine 2 mg/kg/day from month 6.", "azathioprine", "A2"),
    ("In the observation group: tacrolimus capsules 3 mg/d; mycophenolate mofetil tablets 1.5 g/d in two doses.", "mycophenolate mofetil", "A1"),
    ("Control group (n = 40): cyclophosphamide 0.6 g/m2 monthly for 6 months; leflunomide 20 mg/d thereafter.", "leflunomide", "A2"),
])
def test_sentence_label_arm_covers_later_clauses(text, second, arm):
    got = [g for g in _items(text, OBS_CONTROL) if g[0] == second]
    assert got and got[0][1] == arm and got[0][2] == ("study" if arm == "A1" else "comparator")


# --- doses written after "starting at" / "at most" ------------------------------------------

@pytest.mark.parametrize(("text", "agent", "amount", "high"), [
    ("Everyone received oral prednisone starting at 20–25 mg/day, tapered to 5 mg/day by week 12.", "prednisone", 20.0, 25.0),
    ("All patients received prednisolone beginning at 0.5 mg/kg/day and tapered over 8 weeks.", "prednisolone", 0.5, None),
    ("In both groups oral prednisone, starting at 40 mg/day, was tapered by 5 mg every week.", "prednisone", 40.0, None),
    ("All patients received methylprednisolone commencing at 16 mg/day, tapered monthly.", "methylprednisolone", 16.0, None),
    ("Both groups received oral prednisolone starting at a dose of 30 mg/day, then tapered.", "prednisolone", 30.0, None),
])
def test_dose_after_starting_at(text, agent, amount, high):
    got = [g for g in _items(text) if g[0] == agent]
    assert got and (got[0][3], got[0][4]) == (amount, high)


@pytest.mark.parametrize(("text", "agent", "amount"), [
    ("Prednisone (at most 15 mg/day) and hydroxychloroquine were continued.", "prednisone", 15.0),
    ("Prednisolone at most 10 mg/day was continued in all patients.", "prednisolone", 10.0),
    ("All patients continued prednisone, not more than 7.5 mg/day.", "prednisone", 7.5),
    ("Hydroxychloroquine (at most 400 mg/day) was continued unchanged.", "hydroxychloroquine", 400.0),
    ("Existing prednisone (at most 12.5 mg daily) was continued throughout.", "prednisone", 12.5),
])
def test_dose_after_at_most(text, agent, amount):
    got = [g for g in _items(text) if g[0] == agent]
    assert got and got[0][3] == amount and got[0][2] == "background"


# --- "does not respond to X": prior therapy, not a regimen ---------------------------------

@pytest.mark.parametrize("text", [
    "Patients with nephritis that does not respond to cyclophosphamide or mycophenolate have few options.",
    "Children not responding to azathioprine 2 mg/kg/day were enrolled.",
    "Disease unresponsive to tacrolimus and MMF was required.",
    "Adults with an inadequate response to mycophenolate mofetil 2 g/day were eligible.",
    "We studied patients who did not respond to cyclophosphamide pulses.",
])
def test_non_response_is_prior_therapy(text):
    assert _items(text) == []


# --- vocabulary names split by a line-end hyphen ------------------------------------------

@pytest.mark.parametrize(("text", "want"), [
    ("prednisone (at most 10 mg/day) and hydroxy-\nchloroquine 200 mg twice daily were continued.", "hydroxychloroquine"),
    ("All patients received aza-\nthioprine 100 mg daily.", "azathioprine"),
    ("Background therapy was myco-\nphenolate mofetil 1 g twice daily.", "mycophenolate mofetil"),
    ("Both groups received methyl-  \nprednisolone 500 mg for 3 days.", "methylprednisolone"),
    ("Patients continued hydroxy-\r\nchloroquine 400 mg/day.", "hydroxychloroquine"),
])
def test_line_end_hyphen_agents(text, want):
    from extractor.extract.dosing_agents import find_agents  # noqa: PLC0415
    hits = [t for t in find_agents(text) if t.canonical == want]
    assert hits and "\n" in text[hits[0].start : hits[0].end]


@pytest.mark.parametrize("text", [
    "anti-\nCD20 therapy", "non-\nresponders", "week 12-\n24", "B-\ncell depletion", "dose-\nranging design",
])
def test_line_end_hyphen_not_an_agent(text):
    from extractor.extract.dosing_agents import find_agents  # noqa: PLC0415
    assert all("\n" not in text[t.start : t.end] for t in find_agents(text))


# --- RAS blockade: a background therapy ----------------------------------------------------

@pytest.mark.parametrize("text", [
    "RAS blockade continued at the maximum tolerated dose in both groups.",
    "All patients continued renin-angiotensin system blockade throughout the study.",
    "Renin-angiotensin-aldosterone system blockade was continued in both arms.",
    "Both groups received RAS inhibitors at stable doses.",
    "All patients were maintained on RAAS blockade at the highest tolerated dose.",
])
def test_ras_blockade_background(text):
    got = _items(text, DRUG_PLACEBO)
    assert ("renin-angiotensin system blockade", None, "background") in [g[:3] for g in got]


# --- an arm label written as an abbreviation the text defines --------------------------------

@pytest.mark.parametrize(("text", "label", "want"), [
    ("A modified-release form of budesonide (MR-BUD) was tested.", "MR-BUD (9 mg once daily, orally)", "budesonide"),
    ("Subcutaneous belimumab (SC-BEL) was compared with placebo.", "SC-BEL 200 mg weekly", "belimumab"),
    ("We used a liposomal formulation of tacrolimus (LTAC).", "LTAC (4 mg/day)", "tacrolimus"),
    ("Enteric-coated mycophenolate [ECM] was given.", "ECM 720 mg twice daily", "mycophenolate mofetil"),
    ("An oral suspension of hydroxychloroquine (OSH) was used.", "OSH 200 mg", "hydroxychloroquine"),
])
def test_label_abbreviation_defined_in_text(text, label, want):
    arms = [{"id": "A1", "label": label, "n": 50, "role": "experimental"},
            {"id": "A2", "label": "placebo", "n": 50, "role": "placebo"}]
    got = [g for g in _items(text, arms) if g[1] == "A1"]
    assert got and got[0][0] == want and got[0][2] == "study"


# --- "glucocorticoid effects": a drug named, not given -----------------------------------

@pytest.mark.parametrize("text", [
    "At the cost of mild glucocorticoid effects, proteinuria fell on top of standard therapy.",
    "A steroid-sparing effect was seen with standard therapy in both groups.",
    "Cyclophosphamide-related leukopenia occurred in both groups.",
    "Both groups had corticosteroid side effects in addition to infections.",
    "Tacrolimus toxicity was monitored in both groups.",
])
def test_drug_effects_are_not_regimens(text):
    assert [g[0] for g in _items(text, DRUG_PLACEBO)] in (["drugumab", "placebo"], ["placebo", "drugumab"])


# --- an induction phase the trial began with, before randomisation --------------------------

MAINT = [{"id": "A1", "label": "MMF", "n": 100, "role": "experimental"},
         {"id": "A2", "label": "azathioprine", "n": 100, "role": "control"}]


@pytest.mark.parametrize("text", [
    "The study began with a 24-week open-label induction phase in which patients received MMF or intravenous cyclophosphamide.",
    "The trial started with a 6-month induction phase of cyclophosphamide 0.5 g/m2 monthly.",
    "The protocol opened with an open-label run-in period during which all patients received cyclophosphamide.",
    "During the pre-randomisation induction, cyclophosphamide 500 mg every 2 weeks was given.",
    "A 12-week induction phase before randomization used cyclophosphamide pulses of 750 mg/m2.",
])
def test_pre_randomisation_induction_is_prior(text):
    assert not [g for g in _items(text, MAINT) if g[0] == "cyclophosphamide"]


# --- "each with matching placebo" in an active-controlled trial: a dummy, not a comparator ---

@pytest.mark.parametrize("text", [
    "Patients were randomised to oral MMF 2 g/day or oral azathioprine 2 mg/kg/day, each with matching placebo.",
    "Patients received MMF 1 g twice daily or azathioprine 150 mg/day, each with a matching placebo.",
    "Those who responded were randomised to azathioprine 2 mg/kg/day plus placebo tablets or MMF 3 g/day.",
    "Double-dummy: azathioprine 100 mg/day with identical placebo, or MMF 2 g/day with placebo.",
    "The azathioprine group received 2 mg/kg/day and a matching placebo capsule.",
])
def test_active_control_placebo_is_a_dummy(text):
    assert not [g for g in _items(text, MAINT) if g[0] == "placebo"]


# --- the arm every other arm is compared with ---------------------------------------------

THREE = [{"id": "A1", "label": "mycophenolate mofetil (MMF group)", "n": 60, "role": "experimental"},
         {"id": "A2", "label": "tacrolimus (TAC group)", "n": 60, "role": "experimental"},
         {"id": "A3", "label": "cyclophosphamide (CYC group)", "n": 60, "role": "experimental"}]


@pytest.mark.parametrize("text", [
    "Cyclophosphamide 500 mg was infused every 2 weeks. Response was higher with MMF versus CYC (P = 0.04) and with TAC versus CYC (P = 0.07).",
    "Cyclophosphamide 0.75 g/m2 was given monthly. Comparisons: MMF vs CYC, P = 0.2; TAC vs CYC, P = 0.3.",
    "The CYC group received cyclophosphamide 0.5 g/m2. Odds ratios were 1.8 for MMF versus CYC and 1.6 for TAC versus CYC.",
    "Cyclophosphamide 1 g/m2 was infused monthly. For MMF vs. CYC the difference was 10%; for TAC vs. CYC it was 8%.",
    "The CYC group received cyclophosphamide 500 mg fortnightly. Rates favoured tacrolimus versus cyclophosphamide and MMF versus cyclophosphamide.",
])
def test_reference_arm_drug_is_the_comparator(text):
    got = [g for g in _items(text, THREE) if g[0] == "cyclophosphamide"]
    assert got and got[0][1] == "A3" and got[0][2] == "comparator"


@pytest.mark.parametrize("text", [
    "Cyclophosphamide 500 mg was infused every 2 weeks. Response was 50% with MMF versus 40% with CYC.",
    "Cyclophosphamide 0.75 g/m2 was given monthly. MMF versus CYC, P = 0.2.",
    "Cyclophosphamide 0.5 g/m2 monthly. MMF versus CYC, P = 0.2; CYC versus TAC, P = 0.3.",
    "Cyclophosphamide 1 g/m2 was infused monthly in the CYC group.",
    "Cyclophosphamide 500 mg in the CYC group; TAC versus MMF, P = 0.4; CYC versus MMF, P = 0.5.",
])
def test_no_reference_arm_without_two_comparisons(text):
    got = [g for g in _items(text, THREE) if g[0] == "cyclophosphamide"]
    assert got and got[0][2] == "study"


# --- insulin as an ingredient of an infusion does not make the clause an outcome -------------

@pytest.mark.parametrize("text", [
    "The zelodarone group received 5 mg/kg over 30 min, followed by 10 mg/kg in 1000 ml of 10% glucose with 20 IU of insulin.",
    "Zelodarone 3 mg/kg was infused in 500 mL of glucose-insulin-potassium solution.",
    "Patients received zelodarone 7 mg/kg diluted in dextrose with 10 IU insulin over 24 h.",
    "Zelodarone 150 mg was given in 250 ml glucose containing insulin and potassium.",
    "Zelodarone 2 mg/kg (in glucose, insulin and magnesium) was infused over 12 h.",
])
def test_insulin_ingredient_keeps_the_regimen(text):
    assert [g for g in _items(text) if g[0] == "zelodarone" and g[3] is not None]


# --- an abbreviation the text defines, dosed as a regimen ("1000 ml of GIKM") ----------------

DRUG_CONTROL = [{"id": "A1", "label": "zelodarone group", "n": 60, "role": "experimental"},
                {"id": "A2", "label": "control group", "n": 30, "role": "control"}]


@pytest.mark.parametrize(("text", "name", "amount", "unit"), [
    ("Zelodarone was diluted in glucose, insulin and potassium (GIK). The control group received 500 ml of GIK alone.", "GIK", 500.0, "mL"),
    ("Rabbit antithymocyte globulin (RATG) was compared with usual care. The control group received 1.5 mg/kg of RATG placebo.", "RATG", 1.5, "mg"),
    ("The solution (PSX) contained electrolytes only. The control group was given 250 mL of PSX over 2 h.", "PSX", 250.0, "mL"),
    ("Human albumin solution (HAS) served as control. The control group received 100 ml of HAS daily.", "HAS", 100.0, "mL"),
    ("Low-molecular dextran (LMD40) was infused. The control group received 1000 mL of LMD40 over 24 h.", "LMD40", 1000.0, "mL"),
])
def test_defined_abbreviation_dosed_is_an_agent(text, name, amount, unit):
    got = [g for g in _items(text, DRUG_CONTROL) if g[0] == name]
    assert got and got[0][1:4] == ("A2", "comparator", amount) and got[0][5] == unit


@pytest.mark.parametrize("text", [
    "Body surface area (BSA) was measured. The control group received cyclophosphamide 500 mg/m2 of BSA.",
    "The intention-to-treat population (ITT) was analysed; 100 ml of ITT was never a dose.",
    "Body weight (BW) was recorded; the dose was 2 mg/kg of BW.",
    "The solution (PSX) contained electrolytes only. PSX was prepared daily.",
    "Glucose-insulin-potassium (GIK) was prepared; the control group received glucose.",
])
def test_defined_abbreviation_not_dosed_or_not_an_agent(text):
    from extractor.extract.dosing_agents import defined_names, dosed_names  # noqa: PLC0415
    names = defined_names(text)
    assert dosed_names(text, names) == []


# --- "DZB or matched placebo" with an active arm that has no DZB: that arm's comparator -------

ADDON = [{"id": "A1", "label": "MMF plus drugumab", "n": 40, "role": "experimental"},
         {"id": "A2", "label": "MMF alone", "n": 40, "role": "experimental"},
         {"id": "A3", "label": "placebo", "n": 40, "role": "placebo"}]


@pytest.mark.parametrize("text", [
    "Drugumab or matched placebo was given by intravenous infusion on days 0 and 14 at a dose of 2 mg/kg.",
    "Drugumab or matching placebo was infused at 1 mg/kg every 4 weeks.",
    "Patients received drugumab or a matching placebo, 3 mg/kg intravenously, at weeks 0 and 2.",
    "At baseline, drugumab or identical placebo was administered at a dose of 5 mg/kg.",
    "Drugumab or matched placebo (0.5 mg/kg) was given subcutaneously every week for 12 weeks.",
])
def test_matched_placebo_in_active_arm_without_the_drug(text):
    got = _items(text, ADDON)
    assert ("drugumab placebo", "A2", "comparator") in [g[:3] for g in got]
    assert not [g for g in got if g[0] == "drugumab placebo" and g[1] != "A2"]


@pytest.mark.parametrize("text", [
    "Drugumab or placebo was infused at 1 mg/kg every 4 weeks.",
    "Drugumab was infused at 1 mg/kg every 4 weeks; the placebo arm received saline.",
    "MMF or matched placebo was given at 600 mg/m2 twice daily.",
    "Drugumab 2 mg/kg was given with matching placebo tablets of MMF.",
    "Drugumab (1 mg/kg) was given intravenously on days 0 and 14.",
])
def test_no_dummy_placebo_without_or_matched_placebo(text):
    assert not [g for g in _items(text, ADDON) if g[0].endswith(" placebo")]


# --- "on the basis of the control group": the control regimen is given to both arms ------------

@pytest.mark.parametrize("text", [
    "Control group: prednisone 0.5 mg/(kg·d) orally and mycophenolate mofetil 0.75 g twice daily. Observation group: on the basis of the control group, telitacicept 160 mg subcutaneously once a week.",
    "The control group received mycophenolate mofetil 1 g twice daily. The observation group received belimumab 10 mg/kg in addition to the treatment of the control group.",
    "Control group: mycophenolate mofetil 0.5 g, 2 times/d. The observation group was given tacrolimus 2 mg/d on top of the control group's regimen.",
    "The control group was given mycophenolate mofetil 1.5 g/d. Based on the control group treatment, the observation group added leflunomide 20 mg/d.",
    "Control group: mycophenolate mofetil tablets 0.75 g each time, twice a day. Observation group: besides the treatment of the control group, rituximab 375 mg/m2 weekly for 4 weeks.",
])
def test_control_regimen_given_to_both_arms_is_background(text):
    got = _items(text, OBS_CONTROL)
    mmf = [g for g in got if g[0] == "mycophenolate mofetil"]
    assert mmf and all(g[1] is None and g[2] == "background" for g in mmf)
    assert [g for g in got if g[1] == "A1" and g[2] == "study"]


@pytest.mark.parametrize("text", [
    "Control group: mycophenolate mofetil 1 g twice daily. Observation group: tacrolimus 2 mg twice daily.",
    "The control group received mycophenolate mofetil 1 g twice daily, compared with the observation group.",
    "Control group: mycophenolate mofetil 0.5 g twice daily. On the basis of routine treatment, the observation group received tacrolimus.",
    "The control group was given mycophenolate mofetil 1.5 g/d; the observation group was given leflunomide 20 mg/d.",
    "Control group: mycophenolate mofetil 0.75 g twice a day, based on the random number table.",
])
def test_control_regimen_stays_comparator(text):
    mmf = [g for g in _items(text, OBS_CONTROL) if g[0] == "mycophenolate mofetil"]
    assert mmf and mmf[0][1:3] == ("A2", "comparator")


# --- a drug every arm label names is what the arms share, not what they compare ----------------

@pytest.mark.parametrize(("labels", "text", "shared"), [
    (("rituximab plus MMF", "MMF with standard steroids"), "Both groups received MMF 1 g every 12 hours.", "mycophenolate mofetil"),
    (("belimumab + azathioprine", "placebo + azathioprine"), "All patients received azathioprine 2 mg/kg/day.", "azathioprine"),
    (("tacrolimus and prednisone", "cyclophosphamide and prednisone"), "Both arms received prednisone 0.5 mg/kg/day.", "prednisone"),
    (("MMF + hydroxychloroquine + obinutuzumab", "MMF + hydroxychloroquine"), "In both groups hydroxychloroquine 200 mg twice daily was continued.", "hydroxychloroquine"),
    (("voclosporin with MMF", "MMF alone"), "All patients also received MMF 1 g twice daily.", "mycophenolate mofetil"),
])
def test_drug_in_every_arm_label_is_background(labels, text, shared):
    arms = [{"id": "A1", "label": labels[0], "n": 30, "role": "experimental"},
            {"id": "A2", "label": labels[1], "n": 30, "role": "control"}]
    got = [g for g in _items(text, arms) if g[0] == shared]
    assert got and all(g[1] is None and g[2] == "background" for g in got)


# --- "X without oral steroids": the label does not name steroids as given ----------------------

@pytest.mark.parametrize(("label", "absent"), [
    ("rituximab plus MMF without oral steroids", "glucocorticoids"),
    ("MMF without glucocorticoids", "glucocorticoids"),
    ("steroid-free: belimumab without prednisone", "prednisone"),
    ("tacrolimus, no cyclophosphamide", "cyclophosphamide"),
    ("obinutuzumab instead of cyclophosphamide", "cyclophosphamide"),
])
def test_label_without_drug_does_not_name_it(label, absent):
    from extractor.extract.dosing_arms import _agents  # noqa: PLC0415
    assert absent not in _agents(label)


# --- a dose written only as a titration target yields to the regimen with its starting dose -----

MMF_IVC = [{"id": "A1", "label": "MMF", "n": 90, "role": "experimental"},
           {"id": "A2", "label": "IVC", "n": 90, "role": "control"}]


@pytest.mark.parametrize(("text", "amount"), [
    ("Patients were randomised to MMF titrated to 3 g/day or to IVC. MMF was started at 0.5 g twice daily and increased to 1.5 g twice daily.", 0.5),
    ("Patients received MMF up-titrated to 2 g/day. MMF was started at 500 mg twice daily and raised to 1 g twice daily by week 4.", 500.0),
    ("MMF escalated to 3 g/day was compared with IVC. MMF was given at 1 g/day for one week, then increased to 3 g/day.", 1.0),
    ("The MMF arm (titrated to 2.5 g/day) was compared with IVC. MMF 0.75 g twice daily was increased to 1.25 g twice daily.", 0.75),
    ("MMF was titrated to 3000 mg/day. MMF was started at 1000 mg/day and increased weekly to a target of 3000 mg/day.", 1000.0),
])
def test_target_dose_yields_to_starting_dose(text, amount):
    got = [g for g in _items(text, MMF_IVC) if g[0] == "mycophenolate mofetil"]
    assert len(got) == 1 and got[0][3] == amount


# --- "both arms on X": the drugs named after the cue are background ----------------------------

@pytest.mark.parametrize(("text", "agent"), [
    ("Adults were randomised to drugumab 1000 mg or placebo on day 1 and week 2, both arms on mycophenolate mofetil 2 g/day and prednisone 0.5 mg/kg/day.", "prednisone"),
    ("Drugumab 10 mg/kg or placebo was infused monthly, both groups on azathioprine 2 mg/kg/day.", "azathioprine"),
    ("Drugumab or placebo was given every 4 weeks with all patients on hydroxychloroquine 400 mg/day.", "hydroxychloroquine"),
    ("Participants received drugumab 300 mg or placebo, each arm on tacrolimus 4 mg/day and prednisolone 10 mg/day.", "prednisolone"),
    ("Drugumab 200 mg weekly or placebo was added, both arms on methylprednisolone 8 mg/day.", "methylprednisolone"),
])
def test_both_arms_on_is_background(text, agent):
    got = [g for g in _items(text, DRUG_PLACEBO) if g[0] == agent]
    assert got and got[0][1] is None and got[0][2] == "background"
    assert ("drugumab", "A1", "study") in [g[:3] for g in _items(text, DRUG_PLACEBO)]


# --- a regimen table whose rows name the arms by part of their label ----------------------------

@pytest.mark.parametrize(("labels", "rows"), [
    (("anifrolumab basic regimen", "anifrolumab intensified regimen"),
     [["Basic regimen", "anifrolumab 900 mg IV for the first 3 doses, then 300 mg every 4 weeks"],
      ["Intensified regimen", "anifrolumab 900 mg IV every 4 weeks throughout"]]),
    (("belimumab low dose", "belimumab high dose"),
     [["Low dose", "belimumab 1 mg/kg given intravenously on days 0, 14 and 28"],
      ["High dose", "belimumab 10 mg/kg given intravenously on days 0, 14 and 28"]]),
    (("rituximab standard schedule", "rituximab extended schedule"),
     [["Standard schedule", "rituximab 1000 mg given on days 1 and 15 only"],
      ["Extended schedule", "rituximab 500 mg given every 6 months for 2 years"]]),
    (("abatacept weekly arm", "abatacept monthly arm"),
     [["Weekly arm", "abatacept 125 mg given subcutaneously every week"],
      ["Monthly arm", "abatacept 10 mg/kg given intravenously every 4 weeks"]]),
    (("tacrolimus trough-guided group", "tacrolimus fixed-dose group"),
     [["Trough-guided group", "tacrolimus 0.05 mg/kg/day adjusted to a trough of 5-8 ng/mL"],
      ["Fixed-dose group", "tacrolimus 3 mg/day given as a fixed daily dose"]]),
])
def test_regimen_rows_stay_in_their_arm(labels, rows):
    from test_tables import make_ctx  # noqa: PLC0415
    arms = [{"id": "A1", "label": labels[0], "n": 40, "role": "experimental"},
            {"id": "A2", "label": labels[1], "n": 40, "role": "experimental"}]
    ctx = make_ctx("Regimens are listed below.", {"arms": arms}, section="methods",
                   tables=[[["Group", "Regimen"]] + rows])
    from extractor.extract.dosing_tables import regimen_cells  # noqa: PLC0415
    assert [a for _, a in regimen_cells(ctx)] == ["A1", "A2"]
    got = [(i.arm, i.amount) for i in extract_interventions(ctx) if i.role == "study"]
    assert {a for a, _ in got} == {"A1", "A2"}
    for arm, amount in got:  # every dose an arm has is written in that arm's own row
        row = rows[0][1] if arm == "A1" else rows[1][1]
        assert f"{amount:g}" in row.split(), (arm, amount)


# --- "each combined with X": the drug named after the cue is background -----------------------

@pytest.mark.parametrize(("text", "agent"), [
    ("Patients were randomised to drugumab 10 mg/kg (high dose) or placebo, each combined with mycophenolate mofetil 2 g/day.", "mycophenolate mofetil"),
    ("We randomised patients to drugumab or placebo, each in combination with azathioprine 2 mg/kg/day.", "azathioprine"),
    ("Drugumab 5 mg/kg or placebo was given every 4 weeks, each given with prednisone 10 mg/day.", "prednisone"),
    ("Participants took drugumab or placebo on a background of hydroxychloroquine 400 mg/day.", "hydroxychloroquine"),
    ("Drugumab (2 doses) or placebo, each combined with tacrolimus 4 mg/day, was studied.", "tacrolimus"),
])
def test_each_combined_with_is_background(text, agent):
    got = [g for g in _items(text, DRUG_PLACEBO) if g[0] == agent]
    assert got and got[0][1] is None and got[0][2] == "background"


# --- "patients who responded to X were randomised to A or B": X is prior therapy ---------------

@pytest.mark.parametrize("text", [
    "Patients who responded to six monthly pulses of intravenous cyclophosphamide (0.75 g/m2) were randomly assigned to MMF 2 g/day or azathioprine 2 mg/kg/day.",
    "Those who had responded to induction with cyclophosphamide 500 mg every 2 weeks were randomised to MMF 1 g twice daily or azathioprine 150 mg/day.",
    "Patients that had responded after cyclophosphamide 1 g/m2 monthly were allocated to MMF 2 g/day or azathioprine 2 mg/kg/day.",
    "After successful induction with intravenous cyclophosphamide 0.5 g/m2, patients were randomised to MMF 3 g/day or azathioprine 100 mg/day.",
    "Following induction therapy with cyclophosphamide 750 mg/m2 monthly, patients received MMF 2 g/day or azathioprine 2 mg/kg/day.",
])
def test_responded_to_induction_is_prior(text):
    got = _items(text, MAINT)
    assert not [g for g in got if g[0] == "cyclophosphamide"]
    assert ("mycophenolate mofetil", "A1", "study") in [g[:3] for g in got]
    assert ("azathioprine", "A2", "comparator") in [g[:3] for g in got]


# --- "Group A: X ...; Y ...": a lettered or numbered arm label opens the sentence --------------

@pytest.mark.parametrize(("label", "text", "second"), [
    ("group A", "Group A: tacrolimus 2 mg twice daily; mycophenolate mofetil 0.5 g twice daily.", "mycophenolate mofetil"),
    ("arm 2", "Arm 2: leflunomide 20 mg once daily; azathioprine 50 mg twice daily.", "azathioprine"),
    ("group B", "Group B (n = 30): tacrolimus 3 mg/d; mycophenolate mofetil 1 g/d.", "mycophenolate mofetil"),
    ("cohort 1", "Cohort 1: tacrolimus 0.05 mg/kg/d; leflunomide 10 mg/d.", "leflunomide"),
    ("group C", "Group C: leflunomide 30 mg/d for 3 days; azathioprine 100 mg/d afterwards.", "azathioprine"),
])
def test_lettered_arm_label_covers_later_clauses(label, text, second):
    arms = [{"id": "A1", "label": label, "n": 30, "role": "experimental"},
            {"id": "A2", "label": "control group", "n": 30, "role": "control"}]
    got = [g for g in _items(text, arms) if g[0] == second]
    assert got and got[0][1:3] == ("A1", "study")
