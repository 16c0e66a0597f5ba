"""Arms: labels, n, roles; arm_for_text / arm_for_header lookups."""

from __future__ import annotations

import pytest

from extractor.extract.arms import arm_columns, arm_for_header, arm_for_text, clean_label, extract_arms
from extractor.extract.design import extract_design
from extractor.extract.run import build_context
from extractor.records import Document


def _arms(text: str):
    ctx = build_context(Document(path="t.txt", sha256="", kind="text", text=text))
    extract_design(ctx)
    return extract_arms(ctx), ctx


@pytest.mark.parametrize("text,want", [
    ("Patients were randomly assigned to hUC-MSC (n = 12) or placebo (n = 6).",
     [("hUC-MSC", 12, "experimental"), ("placebo", 6, "placebo")]),
    ("Of 357 randomised patients, 179 were assigned to voclosporin and 178 to placebo.",
     [("voclosporin", 179, "experimental"), ("placebo", 178, "placebo")]),
    ("We randomly assigned 140 patients: 71 to mycophenolate mofetil and 69 to cyclophosphamide.",
     [("mycophenolate mofetil", 71, "experimental"), ("cyclophosphamide", 69, "control")]),
    ("The cases were divided by random number table into the observation group and the control group, 30 cases each.",
     [("observation group", 30, "experimental"), ("control group", 30, "control")]),
    ("We randomised 265 patients to drug X 10 mg (low dose, n = 89), drug X 20 mg (high dose, n = 88) or placebo (n = 88).",
     [("drug X 10 mg (low dose)", 89, "experimental"), ("drug X 20 mg (high dose)", 88, "experimental"), ("placebo", 88, "placebo")]),
    ("A total of 448 patients were randomised 1:1 to belimumab or placebo; 224 were assigned to belimumab and 224 to placebo.",
     [("belimumab", 224, "experimental"), ("placebo", 224, "placebo")]),
])
def test_randomised_arms(text, want):
    arms, _ = _arms("A randomised trial.\n" + text)
    assert [(a.label, a.n, a.role) for a in arms] == want
    assert [a.id for a in arms] == [f"A{i}" for i in range(1, len(want) + 1)]
    assert all(a.evidence is not None for a in arms)


def test_single_arm_uses_study_agent():
    arms, _ = _arms("A phase I trial of rituximab in 12 patients. Premedication was paracetamol. Rituximab was given weekly.")
    assert len(arms) == 1 and arms[0].id == "A1" and arms[0].label.lower() == "rituximab"


def test_subgroup_counts_are_not_arms():
    arms, _ = _arms("A randomised trial. Patients were randomly assigned to MMF (n = 71) or cyclophosphamide (n = 69). "
                    "In the MMF group (n = 4) who stopped early, values were missing.")
    assert len(arms) == 2


@pytest.mark.parametrize("phrase,want", [
    ("in the placebo group", "A2"), ("the MSC group", "A1"), ("hUC-MSC arm", "A1"), ("the control group", "A2"),
    ("given placebo", "A2"), ("nothing here", None),
])
def test_arm_for_text(phrase, want):
    _, ctx = _arms("A randomised trial. Patients were randomly assigned to hUC-MSC (n = 12) or placebo (n = 6).")
    assert arm_for_text(ctx, phrase) == want


def test_arm_for_text_control_roles():
    _, ctx = _arms("A randomised trial. The cases were divided by random number table into the observation group and the control group, 30 cases each.")
    assert arm_for_text(ctx, "in the control group, 5 patients") == "A2"
    assert arm_for_text(ctx, "observation group") == "A1"


def test_headers_and_columns():
    _, ctx = _arms("A randomised trial. Of 357 randomised patients, 179 were assigned to voclosporin and 178 to placebo.")
    assert arm_for_header(ctx, "Voclosporin (n = 179)") == "A1"
    assert arm_for_header(ctx, "Placebo (n=178)") == "A2"
    assert arm_for_header(ctx, "P value") is None
    assert arm_columns(ctx, ["Characteristic", "VCS (n = 179)", "PBO (n = 178)", "P"]) == {1: "A1", 2: "A2", 3: None}


def test_clean_label():
    assert clean_label("were randomly assigned to hUC-MSC") == "hUC-MSC"
    assert clean_label("Total") is None
    assert clean_label("placebo.") == "placebo"


@pytest.mark.parametrize("text,want", [
    ("Subjects were randomized to either MMF alone, MMF plus DZB, or placebo, and then followed for 2 years.",
     [("MMF alone", None), ("MMF plus DZB", None), ("placebo", None)]),
    ("Patients will be randomised on a 1:1 basis to receive two courses of either rituximab or placebo infusion in addition to standard therapy.",
     [("rituximab", None), ("placebo infusion", None)]),
    ("Subjects were randomly assigned in a 1 : 1 ratio to test drug and reference drug.",
     [("test drug", None), ("reference drug", None)]),
    ("Patients were randomized 1:1:1 to receive placebo, drug Y 300 mg, or drug Y 1,000 mg, every 4 weeks.",
     [("placebo", None), ("drug Y 300 mg", None), ("drug Y 1,000 mg", None)]),
    ("Adults were randomly allocated in a 1:1 ratio to drug Z or placebo; treatment lasted 48 weeks.",
     [("drug Z", None), ("placebo", None)]),
])
def test_randomised_list_without_sizes(text, want):
    arms, _ = _arms("A randomised trial.\n" + text)
    assert [(a.label, a.n) for a in arms] == want


@pytest.mark.parametrize("text,want", [
    ("The ITT population consisted of 305 patients (102 receiving placebo, 99 receiving drug Y 300 mg, and 104 receiving drug Y 1,000 mg).",
     [102, 99, 104]),
])
def test_list_sizes_filled_from_population_sentence(text, want):
    arms, _ = _arms("A randomised trial. Patients were randomized 1:1:1 to receive placebo, drug Y 300 mg, or drug Y 1,000 mg. " + text)
    assert [a.n for a in arms] == want


@pytest.mark.parametrize("text,want", [
    ("A total of 305 patients received the trial drug: 102 placebo, 99 drugY and 104 drugZ.", [102, 99, 104]),
    ("Overall 305 patients were analysed (ITT population): 102 placebo, 99 drugY, 104 drugZ.", [102, 99, 104]),
    ("The safety population comprised 305 patients: 102 placebo, 99 drugY and 104 drugZ.", [102, 99, 104]),
])
def test_sizes_from_pairs_that_add_up(text, want):
    arms, _ = _arms("A randomised trial. Patients were randomized 1:1:1 to receive placebo, drugY, or drugZ. " + text)
    assert [a.n for a in arms] == want


@pytest.mark.parametrize("text,want", [
    ("Patients were randomized (2:1) to drug X suspended in gel (X + gel group) (n = 11) or gel alone (n = 6).",
     [("X + gel group", 11), ("gel alone", 6)]),
    ("Patients were randomly assigned to drug X (n = 11; the X + gel group) or gel alone (n = 6).",
     [("X + gel group", 11), ("gel alone", 6)]),
    ("Patients were randomly divided into the cell group 12 examples and the placebo group 6 examples.",
     [("cell group", 12), ("placebo group", 6)]),
    ("308 patients with fibrillation (n = 251) or flutter (n = 57) were randomised to 1 mg drug A (n = 99), 2 mg\ndrug A (n = 106), or 1.5 mg/kg drug B (n = 103).",
     [("1 mg drug A", 99), ("2 mg drug A", 106), ("1.5 mg/kg drug B", 103)]),
    ("Subjects were randomly allocated to vitamin D at a dosage of 50,000 IU (n = 30) or placebo (n = 30).",
     [("50,000 IU", 30), ("placebo", 30)]),
])
def test_arm_size_wordings(text, want):
    arms, _ = _arms("A randomised trial.\n" + text)
    assert [(a.label, a.n) for a in arms] == want


def test_group_numbers_take_their_treatment():
    arms, _ = _arms("A randomised trial. Patients were randomized (1:1:1) to placebo + MTX (group 1), drug 50 mg + MTX (group 2), "
                    "or drug 100 mg + MTX (group 3). A total of 480 patients were randomly assigned to group 1 (n = 160), "
                    "group 2 (n = 159), and group 3 (n = 161; see Supplementary Table 1).")
    assert [(a.label, a.n) for a in arms] == [("group 1: placebo + MTX", 160), ("group 2: drug 50 mg + MTX", 159),
                                               ("group 3: drug 100 mg + MTX", 161)]


@pytest.mark.parametrize("text,roles", [
    ("Patients were randomized to drug X plus gel (n = 11) or gel alone (n = 6).", ["experimental", "control"]),
    ("82 patients were randomised: 27 to drug A, 27 to drug B and 28 to combination therapy.", ["control", "control", "experimental"]),
    ("Patients were randomised to 1 mg drug A (n = 99), 2 mg drug A (n = 106), or 1.5 mg/kg drug B (n = 103).",
     ["experimental", "experimental", "control"]),
    ("Patients were randomized to drug A (n = 40), drug B (n = 40) or placebo (n = 40).", ["experimental", "experimental", "placebo"]),
    ("Subjects were randomly assigned to test drug (n = 60) or reference drug (n = 60).", ["experimental", "control"]),
])
def test_roles_without_cues(text, roles):
    arms, _ = _arms("A randomised trial.\n" + text)
    assert [a.role for a in arms] == roles


@pytest.mark.parametrize("label,want", [
    ("study participantsMPC + HA", "MPC + HA"),
    ("treatment groupsAllCompletersPlacebo", "Placebo"),
    ("hUC-MSC", "hUC-MSC"),
    ("matching placebo and", "matching placebo"),
    ("Completers", None),
    ("intial randomized patient groups", None),
])
def test_clean_label_glue_and_populations(label, want):
    assert clean_label(label) == want


def test_observational_cohort_has_no_study_arm():
    arms, _ = _arms("A retrospective cohort study of 214 patients. Induction was mycophenolate mofetil or cyclophosphamide.")
    assert arms == []


# --- generalisation: heading lines, time-point columns, "random number table" groups ---------

@pytest.mark.parametrize("text,want", [
    ("Membranous nephropathy trial; patients were randomised 1:1.\nMeasure Rituximab (n = 43) Tacrolimus (n = 43)\nProteinuria 8.6 8.9",
     [("Rituximab", 43), ("Tacrolimus", 43)]),
    ("A randomised trial.\nVariable Drug A (n = 20) Placebo (n = 21)\nAge 40 41", [("Drug A", 20), ("Placebo", 21)]),
    ("A randomised trial.\nOutcome MMF (N = 30) CYC (N = 31) P\nCRR 10 9 0.5", [("MMF", 30), ("CYC", 31)]),
    ("A randomised trial.\nCharacteristic Belimumab (n = 223) Placebo (n = 223)\nAge 33 34", [("Belimumab", 223), ("Placebo", 223)]),
    ("A randomised trial.\nLow dose (n=12) High dose (n=12) Placebo (n=11)", [("Low dose", 12), ("High dose", 12), ("Placebo", 11)]),
])
def test_arms_from_a_heading_line(text, want):
    arms, _ = _arms(text)
    assert [(a.label, a.n) for a in arms] == want


@pytest.mark.parametrize("label", ["Baseline", "Month 12", "Week 24", "Day 7", "Visit 3", "Week 52", "Screening"])
def test_time_point_columns_are_not_arms(label):
    assert clean_label(label) is None


@pytest.mark.parametrize("text", [
    "84 patients were divided into observation group and control group according to the random number table method, 42 cases in each group.",
    "They were divided into the study group and the control group by the random number table method, 42 cases in each group.",
    "Patients were randomly divided into treatment group and control group using sealed envelopes, 42 patients per group.",
    "Patients were divided into the MSC group and the control group by random numbers, 42 cases each.",
    "Patients were assigned into observation group and control group (random number table), 42 patients in each group.",
])
def test_groups_each_after_a_method_clause(text):
    arms, _ = _arms(text)
    assert len(arms) == 2 and all(a.n == 42 for a in arms)


# --- generalisation (d-corpus): "A, B or C" lists, "N per group", "each group N examples" ---------

@pytest.mark.parametrize("text,want", [
    ("Adults were randomised 1:1:1 to drugzumab 3 mg twice daily, drugzumab 6 mg twice daily or placebo twice daily, in addition to standard care.",
     ["drugzumab 3 mg twice daily", "drugzumab 6 mg twice daily", "placebo twice daily"]),
    ("Patients were randomly assigned to tacrolimus, mycophenolate mofetil or cyclophosphamide, in addition to steroids.",
     ["tacrolimus", "mycophenolate mofetil", "cyclophosphamide"]),
    ("Participants were allocated to agent A 1 mg, agent A 2 mg, agent A 4 mg or placebo; randomisation was central.",
     ["agent A 1 mg", "agent A 2 mg", "agent A 4 mg", "placebo"]),
    ("They were randomized to low-dose drug Q, high-dose drug Q or placebo, stratified by region.",
     ["low-dose drug Q", "high-dose drug Q", "placebo"]),
    ("Subjects were randomised to rituximab, belimumab or standard care, given for one year.",
     ["rituximab", "belimumab", "standard care"]),
])
def test_list_with_bare_or_before_last_item(text, want):
    arms, _ = _arms("A randomised trial.\n" + text)
    assert [a.label for a in arms] == want


@pytest.mark.parametrize("text,n", [
    ("Patients were randomised 1:1:1 to drug X 3 mg, drug X 6 mg or placebo. Of 246 patients randomised (82 per group), most were women.", 82),
    ("Patients were randomised to drug X 3 mg, drug X 6 mg or placebo. In total 120 patients were randomised, 40 patients per arm.", 40),
    ("Patients were randomised to drug X 3 mg, drug X 6 mg or placebo. Overall 90 subjects were enrolled, 30 in each group.", 30),
    ("Patients were randomised to drug X 3 mg, drug X 6 mg or placebo. The ITT population was 75 (n = 25 per arm).", 25),
    ("Patients were randomised to drug X 3 mg, drug X 6 mg or placebo. We enrolled 36 participants, 12 participants in each arm.", 12),
])
def test_equal_size_per_group(text, n):
    arms, _ = _arms("A randomised trial.\n" + text)
    assert len(arms) == 3 and [a.n for a in arms] == [n, n, n]


@pytest.mark.parametrize("text,labels,n", [
    ("Patients by random number table method divided into stem cell group and control group, each group 12 examples.", ("stem cell group", "control group"), 12),
    ("Patients were randomly divided into the study group and the control group, each group 20 cases.", ("study group", "control group"), 20),
    ("Cases were divided into observation group and reference group, every group 15 patients.", ("observation group", "reference group"), 15),
    ("By lottery patients were divided into treatment group and control group, per group 8 subjects.", ("treatment group", "control group"), 8),
    ("Patients were randomly divided into the MSC group and the placebo group, each group 30 examples.", ("MSC group", "placebo group"), 30),
])
def test_groups_each_group_n_examples(text, labels, n):
    arms, _ = _arms("A randomised trial.\n" + text)
    assert [(a.label, a.n) for a in arms] == [(labels[0], n), (labels[1], n)]


@pytest.mark.parametrize("text,want", [
    ("Sixty-two patients underwent randomization: 31 to drug X and 31 to placebo.",
     [("drug X", 31, "experimental"), ("placebo", 31, "placebo")]),
    ("Of the 120 randomised patients, 60 received drug X and 60 received placebo.",
     [("drug X", 60, "experimental"), ("placebo", 60, "placebo")]),
    ("Patients were allocated (1:1) to receive either drug X (n=40) or standard of care (n=40).",
     [("drug X", 40, "experimental"), ("standard of care", 40, "control")]),
    ("A total of 90 patients were randomly assigned to low-dose drug X (30 patients), high-dose drug X (30 patients), or placebo (30 patients).",
     [("low-dose drug X", 30, "experimental"), ("high-dose drug X", 30, "experimental"), ("placebo", 30, "placebo")]),
    ("Patients were randomly assigned, in a 2:1 ratio, to drug X (n = 50) or placebo (n = 25).",
     [("drug X", 50, "experimental"), ("placebo", 25, "placebo")]),
])
def test_unseen_arm_wordings(text, want):
    arms, _ = _arms("A randomised trial.\n" + text)
    assert [(a.label, a.n, a.role) for a in arms] == want


@pytest.mark.parametrize("text,expected", [
    ("Forty patients were randomized to the belimab group and 41 to the placebo group.", [("belimab group", 40), ("placebo group", 41)]),
    ("Of these, 25 patients were randomized to zetomab plus MMF and 26 to MMF alone.", [("zetomab plus MMF", 25), ("MMF alone", 26)]),
    ("Thirty patients were randomly assigned to rituximab and thirty-one to cyclophosphamide.", [("rituximab", 30), ("cyclophosphamide", 31)]),
    ("Overall, 52 participants were allocated to the active arm and 50 to the control arm.", [("active arm", 52), ("control arm", 50)]),
    ("Eighteen were randomised to tacrolimus and 17 to azathioprine.", [("tacrolimus", 18), ("azathioprine", 17)]),
])
def test_n_then_second_n_to_label(text, expected):
    arms, _ = _arms(text)
    assert [(a.label, a.n) for a in arms] == expected


@pytest.mark.parametrize("text,want", [
    ("Sixty were allocated to high-dose, 58 to low-dose and 59 to placebo.",
     [("high-dose", 60), ("low-dose", 58), ("placebo", 59)]),
    ("Forty-two patients were randomly assigned to drug Y 20 mg, 40 to drug Y 40 mg and 41 to placebo.",
     [("drug Y 20 mg", 42), ("drug Y 40 mg", 40), ("placebo", 41)]),
    ("In total, 95 were randomised to tacrolimus, 90 to mycophenolate and 92 to cyclophosphamide.",
     [("tacrolimus", 95), ("mycophenolate", 90), ("cyclophosphamide", 92)]),
    ("Thirty-one were assigned to MMF, 29 to azathioprine, 30 to leflunomide and 28 to placebo.",
     [("MMF", 31), ("azathioprine", 29), ("leflunomide", 30), ("placebo", 28)]),
    ("Twenty were randomized to abatacept, 22 to rituximab and 19 to standard care.",
     [("abatacept", 20), ("rituximab", 22), ("standard care", 19)]),
])
def test_mixed_comma_and_list_with_lead_size(text, want):
    """", ... and" lists whose later items carry their own size: every item is an arm."""
    arms, _ = _arms("A randomised trial.\n" + text)
    assert [(a.label, a.n) for a in arms] == want


@pytest.mark.parametrize("text,want", [
    ("448 patients were randomised (belimumab 223, placebo 225) at 107 centres.", [("belimumab", 223), ("placebo", 225)]),
    ("A total of 120 participants were randomized (MMF 61 and azathioprine 59).", [("MMF", 61), ("azathioprine", 59)]),
    ("89 patients were randomly assigned (tacrolimus: 45; placebo: 44).", [("tacrolimus", 45), ("placebo", 44)]),
    ("Overall, 150 were allocated (low dose 50, high dose 51, placebo 49).",
     [("low dose", 50), ("high dose", 51), ("placebo", 49)]),
    ("We randomised 64 adults (rituximab n = 32, control n = 32).", [("rituximab", 32), ("control", 32)]),
])
def test_labelled_sizes_in_parentheses_after_the_verb(text, want):
    arms, _ = _arms("A randomised trial.\n" + text)
    assert [(a.label, a.n) for a in arms] == want


def test_labelled_sizes_in_parentheses_must_add_up():
    arms, _ = _arms("A randomised trial.\n90 patients were randomised (belimumab 20, placebo 25) at 10 centres.")
    assert [(a.label, a.n) for a in arms] != [("belimumab", 20), ("placebo", 25)]


@pytest.mark.parametrize("text,want", [
    ("129 patients were randomised 1:1:1 to abatacept 10 mg/kg, abatacept 30 mg/kg for the first 2 months followed by "
     "10 mg/kg, or placebo, for 52 weeks.", ["abatacept 10 mg/kg", "abatacept 30 mg/kg", "placebo"]),
    ("Patients were randomised to drug Z 5 mg, drug Z 10 mg for the first month followed by 5 mg, or placebo.",
     ["drug Z 5 mg", "drug Z 10 mg", "placebo"]),
    ("Patients were randomly assigned to MMF 2 g, MMF 3 g for the initial 8 weeks then 2 g, or control.",
     ["MMF 2 g", "MMF 3 g", "control"]),
    ("Adults were allocated to belimumab 10 mg/kg, belimumab 20 mg/kg followed by 10 mg/kg, or placebo.",
     ["belimumab 10 mg/kg", "belimumab 20 mg/kg", "placebo"]),
    ("Patients were randomised to rituximab 500 mg, rituximab 1000 mg for the first two doses then 500 mg, or placebo, for one year.",
     ["rituximab 500 mg", "rituximab 1000 mg", "placebo"]),
])
def test_list_item_after_a_schedule_modifier(text, want):
    arms, _ = _arms("A randomised trial.\n" + text)
    assert [a.label for a in arms] == want


@pytest.mark.parametrize("text,want", [
    ("Patients were randomized to either low-dose (500 mg every 2 weeks for 6 doses) or high-dose (weight-adjusted) "
     "intravenous cyclophosphamide.", ["low-dose intravenous cyclophosphamide", "high-dose (weight-adjusted) intravenous cyclophosphamide"]),
    ("Patients were randomised to low-dose or high-dose MMF.", ["low-dose MMF", "high-dose MMF"]),
    ("Patients were randomly assigned to standard-dose or reduced-dose oral prednisone.",
     ["standard-dose oral prednisone", "reduced-dose oral prednisone"]),
    ("Patients were randomised to MMF (2 g daily in two divided doses for six months and longer) or azathioprine.",
     ["MMF", "azathioprine"]),
    ("Adults were allocated to rituximab (1 g on days 1 and 15, repeated at month 6 in responders) or placebo.",
     ["rituximab", "placebo"]),
])
def test_list_items_with_long_dose_asides_and_a_shared_agent(text, want):
    arms, _ = _arms("A randomised trial.\n" + text)
    assert [a.label for a in arms] == want


@pytest.mark.parametrize("text,want", [
    ("A total of 60 patients were randomised equally to abatacept or placebo (30 per group).", ["abatacept", "placebo"]),
    ("Patients were randomised to MMF or azathioprine (n = 40 per arm).", ["MMF", "azathioprine"]),
    ("Patients were randomised to drug A or control (25 patients in each group).", ["drug A", "control"]),
    ("Patients were randomly assigned to belimumab or placebo (112 each group).", ["belimumab", "placebo"]),
    ("Patients were randomised to tacrolimus, MMF or cyclophosphamide (20 per group).", ["tacrolimus", "MMF", "cyclophosphamide"]),
])
def test_a_per_group_size_aside_is_not_part_of_the_label(text, want):
    arms, _ = _arms("A randomised trial.\n" + text)
    assert [a.label for a in arms] == want
