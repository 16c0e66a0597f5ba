"""Arms in report styles seen less often: dose asides in list labels, sizes in parentheses, flattened
table headers of dose cohorts, dose-comparison roles, numbered group headings of protocols, and the
arm an item's phrase refers to (connector words, stereo prefixes, "the control group")."""

from __future__ import annotations

import pytest

from extractor.extract.arms import arm_for_text, extract_arms
from extractor.extract.design import extract_design
from extractor.extract.run import build_context
from extractor.ingest.load import load
from extractor.records import Document


def _arms(text: str):
    ctx = build_context(Document(path="t.txt", sha256="", kind="text", text=text))
    extract_design(ctx)
    return extract_arms(ctx), ctx


def _got(text: str):
    arms, _ = _arms("A randomised, double-blind trial.\n" + text)
    return [(a.label, a.n, a.role) for a in arms]


@pytest.mark.parametrize("text,want", [
    ("Adults were randomised (1:1) to QX-7 (8 mg once daily, orally) or matching placebo for (12 months). "
     "Of the (150) patients randomised, (76) received QX-7 and (74) placebo.",
     [("QX-7", 76, "experimental"), ("matching placebo", 74, "placebo")]),
    ("Patients were randomised to drug K (500 mg twice daily) or placebo. Of the 90 patients randomised, "
     "(45) received drug K and (45) placebo.",
     [("drug K", 45, "experimental"), ("placebo", 45, "placebo")]),
    ("Participants were randomly assigned to zelbumab (10 mg/kg intravenously) or placebo. "
     "In total 61 participants were randomised: (30) received zelbumab and (31) placebo.",
     [("zelbumab", 30, "experimental"), ("placebo", 31, "placebo")]),
    ("Children were randomised to vitamin K (1,000 IU daily) or placebo for (6 months). "
     "Of the (58) children randomised, (29) received vitamin K and (29) placebo.",
     [("vitamin K", 29, "experimental"), ("placebo", 29, "placebo")]),
    ("Patients were randomized to tacrolimus (0.05 mg/kg twice daily) or azathioprine. "
     "Of the 40 patients randomized, (21) received tacrolimus and (19) azathioprine.",
     [("tacrolimus", 21, "experimental"), ("azathioprine", 19, "control")]),
])
def test_dose_asides_and_sizes_in_parentheses(text, want):
    assert _got(text) == want


@pytest.mark.parametrize("text,want", [
    ("Patients were randomised to drug Z (10 mg daily) or drug Z (20 mg daily).", ["drug Z (10 mg daily)", "drug Z (20 mg daily)"]),
    ("Patients were randomised to MMF (1 g twice daily) or MMF (1.5 g twice daily).", ["MMF (1 g twice daily)", "MMF (1.5 g twice daily)"]),
    ("Patients were randomised to rituximab (1 g weekly) or placebo.", ["rituximab", "placebo"]),
    ("Patients were randomised to low-dose (weight-adjusted) drug Y or placebo.", ["low-dose (weight-adjusted) drug Y", "placebo"]),
    ("Patients were randomised to drug W (2 mg/kg intravenously), drug V (5 mg orally) or placebo.", ["drug W", "drug V", "placebo"]),
])
def test_dose_aside_kept_when_it_tells_arms_apart(text, want):
    assert [g[0] for g in _got(text)] == want


HEADER = ("Patients (n = {total}) were randomised ({ratio}) to receive {agent} (single dose: {doses}) or matching placebo. "
          "Table 1 Baseline characteristics of the patients in the study {cells} All (n = {total}) Age, years 44 (21–54).")


@pytest.mark.parametrize("agent,cells,total,want", [
    ("zorecept", [("Placebo", 3), ("Zorecept 1 mg/kg", 3), ("Zorecept 3 mg/kg", 3), ("Zorecept 10 mg/kg", 3)], 12, 4),
    ("drug Q", [("Placebo", 4), ("drug Q 5 mg", 6), ("drug Q 15 mg", 6), ("drug Q 45 mg", 6)], 22, 4),
    ("ablimab", [("Ablimab 2 mg/kg", 8), ("Ablimab 6 mg/kg", 8), ("Ablimab 12 mg/kg", 8), ("Placebo", 6)], 30, 4),
    ("trelumab", [("Placebo", 5), ("Trelumab 0.3 mg/kg", 5), ("Trelumab 1 mg/kg", 5), ("Trelumab 3 mg/kg", 5),
                  ("Trelumab 10 mg/kg", 5)], 25, 5),
    ("kivimab", [("Placebo", 2), ("Kivimab 50 mg", 6), ("Kivimab 150 mg", 6)], 14, 3),
])
def test_flattened_header_of_dose_cohorts_widens_the_arms(agent, cells, total, want):
    text = HEADER.format(total=total, ratio="5:1", agent=agent, doses="1, 3 or 10 mg/kg",
                         cells=" ".join(f"{lab} (  n =  {n})" for lab, n in cells))
    got = _got(text)
    assert len(got) == want
    assert [(g[0], g[1]) for g in got] == cells
    assert {g[2] for g in got if g[0] == "Placebo"} == {"placebo"}


def test_header_run_that_does_not_add_up_is_ignored():
    text = HEADER.format(total=40, ratio="1:1", agent="drug Q", doses="5 or 15 mg",
                         cells="Placebo (n = 4) drug Q 5 mg (n = 6) drug Q 15 mg (n = 6)").replace("All (n = 40)", "")
    assert [g[0] for g in _got(text)] == ["drug Q", "matching placebo"]


@pytest.mark.parametrize("text,roles", [
    ("Subjects were randomized to receive either 1,000 IU or 5,000 IU of oral vitamin D3 daily.", ["control", "experimental"]),
    ("Patients were randomised to drug X 3 g (n = 20) or drug X 1 g (n = 20).", ["experimental", "control"]),
    ("Patients were randomised to 200 mg drug Y (n = 15) or 400 mg drug Y (n = 15).", ["control", "experimental"]),
    ("Patients were randomised to standard-dose prednisone (n = 30) or reduced-dose prednisone (n = 30).", ["control", "experimental"]),
    ("Patients were randomised to high-dose drug B (n = 12) or conventional-dose drug B (n = 12).", ["experimental", "control"]),
    ("Patients were randomised to drug A 10 mg (n = 10) or drug C 20 mg (n = 10).", ["experimental", "control"]),
])
def test_dose_comparison_roles(text, roles):
    assert [g[2] for g in _got(text)] == roles


@pytest.mark.parametrize("text,want", [
    ("INTERVENTION: CONTROL:\nGroup 1: Fixed dose regime—oral mycophenolate mofetil 1 g twice daily.\n"
     "INTERVENTION: EXPERIMENTAL:\nGroup 2: Concentration-guided dose—oral mycophenolate mofetil adjusted to levels.\n",
     [("Fixed dose mycophenolate mofetil", "control"), ("Concentration-guided dose mycophenolate mofetil", "experimental")]),
    ("Arm A: Standard care. Patients continue usual therapy.\nArm B: Early rituximab. Patients receive two infusions.\n",
     [("Standard care", "control"), ("Early rituximab", "experimental")]),
    ("Group 1: Weekly schedule – tacrolimus 0.1 mg/kg.\nGroup 2: Daily schedule – tacrolimus 0.05 mg/kg.\n",
     [("Weekly tacrolimus", "experimental"), ("Daily tacrolimus", "control")]),
    ("Group A: Placebo. Matching tablets.\nGroup B: Active drug; hydroxychloroquine 400 mg daily.\n",
     [("Placebo", "placebo"), ("Active drug hydroxychloroquine", "experimental")]),
    ("Cohort 1: Low dose (1 mg/kg) infusion of belimumab.\nCohort 2: High dose (10 mg/kg) infusion of belimumab.\n"
     "Cohort 3: Placebo infusion.\n",
     [("Low dose belimumab", "experimental"), ("High dose belimumab", "experimental"), ("Placebo infusion", "placebo")]),
])
def test_numbered_group_headings_of_a_protocol(text, want):
    arms, _ = _arms("A protocol for an open-label, randomised controlled trial. Participants will be randomised.\n" + text)
    assert [(a.label, a.role) for a in arms] == want


@pytest.mark.parametrize("trial,phrase,want", [
    ("randomised to either MMF alone, MMF plus DZB, or placebo.", "in subjects given MMF and DZB", "A2"),
    ("randomised to either drug A alone, drug A + drug B, or placebo.", "drug A plus drug B recipients", "A2"),
    ("randomised to tacrolimus and MMF or cyclophosphamide.", "patients on tacrolimus + MMF", "A1"),
    ("randomised to rituximab with CYC or CYC alone.", "rituximab and CYC", "A1"),
    ("randomised to steroids plus azathioprine or steroids alone.", "the steroids with azathioprine arm", "A1"),
])
def test_connector_words_name_the_same_combination_arm(trial, phrase, want):
    _, ctx = _arms("A randomised trial. Patients were " + trial)
    assert arm_for_text(ctx, phrase) == want


@pytest.mark.parametrize("trial,phrase,want", [
    ("randomly assigned to drug X (n = 12) or placebo (n = 6).", "in the control group", "A2"),
    ("randomly assigned to belimumab (n = 20) or placebo (n = 21).", "the control arm had fewer flares", "A2"),
    ("randomly assigned to placebo (n = 9) or abatacept (n = 10).", "control group: 3 events", "A1"),
    ("randomly assigned to drug X (n = 12), drug Y (n = 11) or placebo (n = 6).", "the control group", "A3"),
    ("randomly assigned to drug X (n = 12) or standard therapy (n = 12).", "the control group", "A2"),
    ("randomly assigned to drug X (n = 12) or placebo (n = 6).", "healthy controls", None),
])
def test_the_control_group_is_the_placebo_arm(trial, phrase, want):
    _, ctx = _arms("A randomised trial. Patients were " + trial)
    assert arm_for_text(ctx, phrase) == want


@pytest.mark.parametrize("trial,phrase,want", [
    ("randomly assigned to DL-sotalol (n = 30) or placebo (n = 30).", "patients on sotalol", "A1"),
    ("randomly assigned to d-sotalol (n = 30) or placebo (n = 30).", "sotalol recipients", "A1"),
    ("randomly assigned to S-ketamine (n = 20) or placebo (n = 20).", "after ketamine", "A1"),
    ("randomly assigned to sotalol (n = 30) or placebo (n = 30).", "patients on DL-sotalol", "A1"),
    ("randomly assigned to L-carnitine (n = 25) or placebo (n = 25).", "carnitine group", "A1"),
    ("randomly assigned to drug K (n = 12) or placebo (n = 6).", "sotalol", None),
])
def test_stereo_prefix_of_an_agent_label(trial, phrase, want):
    _, ctx = _arms("A randomised trial. Patients were " + trial)
    assert arm_for_text(ctx, phrase) == want


@pytest.mark.parametrize("trial,phrase,want", [
    ("randomised to 1 mg drug K (n = 99), 2 mg drug K (n = 106) or 1.5 mg/kg DL-sotalol (n = 103).",
     "side effects were more common with DL-sotalol", "A3"),
    ("randomised to 1 mg drug K (n = 99), 2 mg drug K (n = 106) or 1.5 mg/kg DL-sotalol (n = 103).",
     "hypotension with sotalol", "A3"),
    ("randomised to 1 mg drug K (n = 99), 2 mg drug K (n = 106) or 1.5 mg/kg DL-sotalol (n = 103).",
     "nausea with drug K", None),
    ("randomised to abatacept 10 mg/kg (n = 40) or placebo (n = 40).", "infections on abatacept", "A1"),
    ("randomised to vitamin D3 2,000 IU (n = 20) or placebo (n = 20).", "levels rose with vitamin D3", "A1"),
    ("randomised to 500 mg/m2 cyclophosphamide (n = 30) or MMF (n = 30).", "cyclophosphamide recipients", "A1"),
])
def test_arm_named_without_its_dose(trial, phrase, want):
    _, ctx = _arms("A randomised trial. Patients were " + trial)
    assert arm_for_text(ctx, phrase) == want


@pytest.mark.parametrize("trial,phrase,want", [
    ("Ninety patients were randomised: 44 to the low-dose arm and 46 to the high-dose arm.", "Low-dose patients received pulses", "A1"),
    ("Ninety patients were randomised: 44 to the low-dose arm and 46 to the high-dose arm.", "the high dose patients", "A2"),
    ("Sixty patients were randomised: 30 to the standard-dose group and 30 to the reduced-dose group.", "reduced dose recipients", "A2"),
    ("Forty patients were randomised: 20 to the high dose group and 20 to the low dose group.", "in low-dose subjects", "A2"),
    ("Eighty patients were randomised: 40 to the conventional-dose arm and 40 to the low-dose arm.", "conventional-dose", "A1"),
    ("Eighty patients were randomised: 40 to the treatment group and 40 to the control group.", "after treatment", None),
])
def test_dose_word_arms_named_without_arm_or_group(trial, phrase, want):
    _, ctx = _arms("A randomised trial. " + trial)
    assert arm_for_text(ctx, phrase) == want


def test_cohort_headings_of_a_single_arm_study_are_not_arms():
    arms, _ = _arms("An open-label, single-arm phase I study of belimumab in 9 patients.\n"
                    "Cohort 1: Low dose (1 mg/kg) infusion of belimumab.\nCohort 2: High dose (10 mg/kg) infusion of belimumab.\n")
    assert len(arms) == 1


@pytest.mark.parametrize("text,want", [
    ("Subjects were randomized to receive either 2,000 IU or 4,000 IU of oral vitamin D3 daily.",
     ["2,000 IU of oral vitamin D3 daily", "4,000 IU of oral vitamin D3 daily"]),
    ("Patients were randomised to 10 mg or 20 mg of drug X.", ["10 mg of drug X", "20 mg of drug X"]),
    ("Patients were randomised to 1 g or 2 g MMF.", ["1 g MMF", "2 g MMF"]),
    ("Patients were randomised to 0.5 mg/kg, 1 mg/kg or 2 mg/kg of tacrolimus.",
     ["0.5 mg/kg of tacrolimus", "1 mg/kg of tacrolimus", "2 mg/kg of tacrolimus"]),
    ("Patients were randomised to 100 mg or 300 mg aspirin.", ["100 mg aspirin", "300 mg aspirin"]),
    ("Patients were randomised to drug Y or 300 mg aspirin.", ["drug Y", "300 mg aspirin"]),
])
def test_bare_amounts_share_the_agent_of_the_last_item(text, want):
    assert [g[0] for g in _got(text)] == want


@pytest.mark.parametrize("title,background,want", [
    ("Rituximab for refractory lupus nephritis: an open-label pilot",
     "Patients whose nephritis does not respond to cyclophosphamide or to cyclophosphamide pulses "
     "and mycophenolate have few options.", "rituximab"),
    ("Bone marrow mesenchymal stem cells in lupus nephritis resistant to standard therapy",
     "Cyclophosphamide failed in all of them; cyclophosphamide had been given for a median of 6 months.",
     "mesenchymal stem cells"),
    ("Belimumab after failure of induction: a single-centre experience",
     "All had received mycophenolate mofetil; mycophenolate mofetil was stopped before entry.", "belimumab"),
    ("Obinutuzumab in membranous lupus nephritis: a case series",
     "Earlier rituximab and rituximab retreatment had failed in each patient.", "obinutuzumab"),
    ("Tacrolimus monotherapy in class V lupus nephritis",
     "Azathioprine and azathioprine plus steroids had not induced remission.", "tacrolimus"),
])
def test_single_arm_agent_is_the_one_the_title_names(title: str, background: str, want: str, tmp_path) -> None:
    text = (f"{title}\n\nAbstract\nBackground: {background}\nMethods: An open-label single-arm study "
            "of twelve patients.\n\nMethods\nTwelve patients were treated and followed for 12 months.\n")
    path = tmp_path / "pilot.txt"
    path.write_text(text, encoding="utf-8")
    ctx = build_context(load(path)[0])
    extract_design(ctx)
    arms = extract_arms(ctx)
    assert len(arms) == 1
    assert want in arms[0].label.lower()
