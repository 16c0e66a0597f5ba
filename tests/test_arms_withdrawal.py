"""Arms in the unseen-style batch (invented variants):

* the open-label lead-in of a randomised-withdrawal trial is an arm (A1, listed first; later extractors
  still attribute to the randomised arms); a placebo run-in, a lead-in no larger than the randomised
  arms, or a trial without a withdrawal design gives none;
* a heading that names an analysis population ("Baseline characteristics (randomised population,
  n = 150)") is not an arm;
* a randomisation list ends at a following ", after ..." clause, and a label cut inside its dose
  aside loses the aside ("oral Y 300 mg once daily (150 mg for the first 2 weeks)");
* an add-on arm and its control that share an agent ("drug D plus MMF" / "MMF alone") are two arms, and a
  list item's own "(n = 40)" is its size, not part of its label.
"""

from __future__ import annotations

import pytest

from extractor.extract.arms import extract_arms
from extractor.extract.design import extract_design
from extractor.extract.run import build_context
from extractor.records import Document


def _arms(text: str):
    ctx = build_context(Document(path="t.txt", sha256="", kind="text", text=text))
    extract_design(ctx)
    return extract_arms(ctx), ctx


WITHDRAWAL = [
    ("A randomised-withdrawal trial of {d} in lupus.\n\nMethods\nAll patients received {d} open-label during the lead-in. "
     "Responders were randomly assigned 1:1 to continue {d} or to placebo.\n\nResults\nA total of {n} patients entered the "
     "open-label lead-in. Of these, {k} were randomised: {a} were assigned to continue {d} and {b} to placebo.\n"),
    ("Randomized withdrawal design.\n\nMethods\nAfter an open-label lead-in with {d}, responders were randomised to continue {d} "
     "or switch to placebo.\n\nResults\nIn total {n} participants began the open-label lead-in; {a} patients were assigned to continue {d} "
     "and {b} to placebo.\n"),
    ("A two-period randomised withdrawal study.\n\nResults\nThe open-label lead-in period (n = {n}) used {d} weekly. "
     "Sixty responders were randomly assigned to continue {d} (n = {a}) or placebo (n = {b}).\n"),
]


@pytest.mark.parametrize("template,drug,n,a,b", [
    (WITHDRAWAL[0], "belimumab", 212, 64, 64),
    (WITHDRAWAL[0], "anifrolumab", 300, 90, 88),
    (WITHDRAWAL[1], "tacrolimus", 150, 50, 49),
    (WITHDRAWAL[1], "drug Q", 95, 30, 31),
    (WITHDRAWAL[2], "abatacept", 180, 30, 30),
])
def test_lead_in_arm_of_a_withdrawal_trial(template, drug, n, a, b):
    arms, ctx = _arms(template.format(d=drug, n=n, k=a + b, a=a, b=b))
    assert [(x.id, x.n, x.role) for x in arms] == [("A1", n, "experimental"), ("A2", a, "experimental"), ("A3", b, "placebo")]
    assert drug.split()[0] in arms[0].label.lower() and arms[0].evidence.rule == "arms.lead_in"
    assert [x.id for x in ctx.state["arms"]] == ["A2", "A3"]  # later extractors attribute to the randomised arms


@pytest.mark.parametrize("text", [
    # a placebo run-in is not an arm
    "A randomised withdrawal trial.\n\nResults\nA total of 200 patients entered the single-blind placebo run-in. "
    "Patients were randomly assigned to continue drug X (n = 60) or placebo (n = 61).\n",
    # the lead-in is not larger than the randomised arms
    "A randomised withdrawal trial.\n\nResults\nA total of 100 patients entered the open-label lead-in. "
    "Patients were randomly assigned to continue drug X (n = 50) or placebo (n = 50).\n",
    # no withdrawal design: a run-in before an ordinary randomisation
    "A randomised trial.\n\nResults\nA total of 300 patients entered the open-label run-in. "
    "Patients were randomly assigned to drug X (n = 120) or placebo (n = 118).\n",
    # withdrawal of consent is not a withdrawal design
    "A randomised trial.\n\nResults\nA total of 300 patients entered the run-in; withdrawal of consent occurred in 4. "
    "Patients were randomly assigned to drug X (n = 120) or placebo (n = 118).\n",
    # no lead-in size
    "A randomised withdrawal trial.\n\nResults\nPatients who responded in the open-label lead-in were randomly assigned "
    "to continue drug X (n = 40) or placebo (n = 41).\n",
])
def test_no_lead_in_arm(text):
    arms, _ = _arms(text)
    assert len(arms) == 2 and all(a.evidence.rule != "arms.lead_in" for a in arms)


@pytest.mark.parametrize("heading", [
    "Baseline characteristics (randomised population, n = 150)",
    "Demographic characteristics (n = 150)",
    "Safety population (n = 150)",
    "Clinical and laboratory characteristics (n = 150)",
    "Study population (n = 150)",
])
def test_population_headings_are_not_arms(heading):
    text = ("A randomised, double-blind trial.\n\nMethods\nPatients were randomly assigned to drug A (n = 76) or placebo (n = 74).\n\n"
            f"## {heading}\n\nOf the 150 randomised patients, 100 were women.\n")
    arms, _ = _arms(text)
    assert [(a.label, a.n) for a in arms] == [("drug A", 76), ("placebo", 74)]


@pytest.mark.parametrize("sentence,want", [
    ("were randomly assigned (1:1) to oral drug A 400 mg once daily (200 mg once daily for the first 2 weeks) or oral drug B 300 mg "
     "once daily (150 mg for the first 2 weeks), after withdrawal of prior blockers, for 110 weeks.", ["oral drug A 400 mg once daily", "oral drug B 300 mg once daily"]),
    ("were randomised to tacrolimus or mycophenolate, following a 4-week washout, for 24 weeks.", ["tacrolimus", "mycophenolate"]),
    ("were randomised to rituximab or placebo, before which all stopped other biologics.", ["rituximab", "placebo"]),
    ("were randomly assigned to drug K 10 mg or drug K 20 mg, after a screening visit.", ["drug K 10 mg", "drug K 20 mg"]),
    ("were randomised 1:1 to belimumab or placebo, while continuing standard therapy.", ["belimumab", "placebo"]),
])
def test_randomisation_list_ends_at_a_following_clause(sentence, want):
    text = f"A randomised, double-blind trial.\n\nMethods\nAdults with active disease {sentence}\n"
    arms, _ = _arms(text)
    assert [a.label for a in arms] == want


@pytest.mark.parametrize("sentence,want", [
    ("We randomly assigned 96 patients to drug D plus MMF (n = 48) or MMF alone (n = 48), following induction.",
     [("drug D plus MMF", 48, "experimental"), ("MMF alone", 48, "control")]),
    ("Patients were randomised to tacrolimus + MMF (n = 40) or MMF (n = 41).", [("tacrolimus + MMF", 40, "experimental"), ("MMF", 41, "control")]),
    ("Patients were randomised to rituximab with MMF (n = 30) or MMF alone (n = 31).",
     [("rituximab with MMF", 30, "experimental"), ("MMF alone", 31, "control")]),
    ("Adults were randomly assigned to abatacept plus cyclophosphamide (n = 66) or cyclophosphamide alone (n = 68).",
     [("abatacept plus cyclophosphamide", 66, "experimental"), ("cyclophosphamide alone", 68, "control")]),
    ("Children were randomised to belimumab and MMF (n = 25) or MMF (n = 24).", [("belimumab and MMF", 25, "experimental"), ("MMF", 24, "control")]),
])
def test_add_on_arm_and_its_control(sentence, want):
    arms, _ = _arms(f"A randomised, double-blind trial.\n\nMethods\n{sentence}\n")
    assert [(a.label, a.n, a.role) for a in arms] == want


@pytest.mark.parametrize("sentence,want", [
    ("Patients were randomised (2:1) to subcutaneous drug C 150 mg every 4 weeks or placebo; 120 received drug C and 60 placebo.",
     [("drug C", 120, "experimental"), ("placebo", 60, "placebo")]),
    ("Patients were randomised 1:1 to drug H 200 mg weekly for 52 weeks or standard care; 50 received drug H and 50 standard care.",
     [("drug H", 50, "experimental"), ("standard care", 50, "control")]),
    ("Patients were randomised to rituximab every 6 months or azathioprine daily; 30 received rituximab and 31 azathioprine.",
     [("rituximab", 30, "experimental"), ("azathioprine", 31, "control")]),
    ("Adults were randomly assigned to oral drug F 30 mg once daily or matching placebo. Of 200 patients randomised (100 per group), most were women.",
     [("oral drug F 30 mg once daily", 100, "experimental"), ("matching placebo", 100, "placebo")]),
    ("Patients were randomly assigned to intravenous drug M 5 mg/kg given monthly or placebo; 70 received drug M, and 72 placebo.",
     [("drug M", 70, "experimental"), ("placebo", 72, "placebo")]),
])
def test_last_item_after_the_first_items_schedule(sentence, want):
    arms, _ = _arms(f"A randomised, double-blind trial.\n\nMethods\n{sentence}\n")
    assert [(a.label, a.n, a.role) for a in arms] == want


@pytest.mark.parametrize("sentence", [
    "Patients were randomised to drug K or placebo; 45 received drug K and 44 were lost to follow-up.",
    "Patients were randomised to drug K or placebo; 45 received drug K and 60 mg of prednisone.",
    "Patients were randomised to drug K or placebo; 45 received drug K and 12 weeks of steroids.",
    "Patients were randomised to drug K or placebo; 45 received drug K and 3 had infusion reactions.",
    "Patients were randomised to drug K or placebo; 45 received drug K and 10 months of follow-up.",
])
def test_no_elided_second_size(sentence):
    arms, _ = _arms(f"A randomised, double-blind trial.\n\nMethods\n{sentence}\n")
    assert [(a.label, a.n) for a in arms] == [("drug K", 45), ("placebo", None)]
