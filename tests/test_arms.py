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
    ("in the placebo group", "A2"), ("the MSC group", "A1"), ("hUC-MSC arm", "A1"), ("the control group", None),
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
