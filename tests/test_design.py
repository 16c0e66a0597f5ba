"""Design type, phase, randomisation, blinding, follow-up."""

from __future__ import annotations

import pytest

from extractor.extract.design import extract_design
from extractor.extract.run import build_context
from extractor.records import Document


def _design(text: str):
    ctx = build_context(Document(path="t.txt", sha256="", kind="text", text=text))
    return extract_design(ctx), ctx


@pytest.mark.parametrize("text,want", [
    ("A phase I clinical trial in 9 cases of lupus nephritis.", ("single-arm", "I", False, None)),
    ("A randomised, double-blind, placebo-controlled phase 3 trial.", ("randomised", "III", True, "double-blind")),
    ("An open-label randomized phase 2b study of drug X versus standard therapy.", ("randomised", "IIb", True, "open-label")),
    ("A phase I/II single-arm study of MSC.", ("single-arm", "I/II", False, None)),
    ("Rituximab in lupus nephritis: experience with 12 patients at one centre.", ("case-series", None, False, None)),
    ("A non-randomised controlled study: MSC group versus control group.", ("non-randomised-controlled", None, False, None)),
    ("Long-term follow-up of a randomized cohort of lupus nephritis patients.", ("cohort", None, True, None)),
    ("Patients were randomly assigned in a 1:1 ratio; the trial was triple-blind.", ("randomised", None, True, "triple-blind")),
])
def test_design_cues(text, want):
    d, _ = _design(text)
    assert (d.type, d.phase, d.randomised, d.blinding) == want


@pytest.mark.parametrize("text,want", [
    ("Patients were followed up for 24 weeks.", (24, "week")),
    ("The median follow-up was 41 months.", (41, "month")),
    ("A 12-month follow-up was completed. CR at week 4.", (12, "month")),
    ("Records were reviewed to the end of follow-up (median 11 years; range 5.8 to 16.1).", (11, "year")),
    ("At 1 month the score fell. At 12 months it rose. Prednisone was given for 24 months.", (12, "month")),
])
def test_follow_up(text, want):
    d, ctx = _design(text)
    assert d.follow_up is not None and (d.follow_up.value, d.follow_up.unit) == want
    assert ctx.state["follow_up"] == want


@pytest.mark.parametrize("text,phase", [
    ("This phase 2 trial compared two doses. The low dose was chosen for phase 3.", "II"),
    ("Both doses improved remission; the lower one was taken into phase III. In this phase IIb study we randomised adults.", "IIb"),
    ("A prior phase 2 trial showed benefit. We conducted a phase 3 randomised trial.", "III"),
    ("Future phase III trials are needed.", None),
    ("Results support a larger phase 3 study.", None),
])
def test_phase_of_another_trial_is_skipped(text, phase):
    d, _ = _design(text)
    assert d.phase == phase


@pytest.mark.parametrize("text", [
    "In this single-arm phase I trial adults were treated. A randomised trial is warranted.",
    "Twelve patients were treated in an open, single-arm study. Larger randomized controlled trials are needed.",
    "Single-arm study of MSC. Future randomised studies should confirm these findings.",
    "Uncontrolled pilot study. Adequately powered randomized trials are required.",
    "A single-group trial. A randomised controlled trial would be justified.",
])
def test_call_for_randomised_trial_is_not_randomisation(text):
    d, _ = _design(text)
    assert d.randomised is False and d.type == "single-arm"


@pytest.mark.parametrize("text", [
    "Methods: databases were searched. The meta-analysis used random effect models. Results: pooled RCTs of drug X.",
    "We performed a systematic review and meta-analysis of randomized trials of drug X.",
    "Results: Eight studies met the inclusion criteria. The randomised trials were pooled.",
    "This meta-analysis of 12 randomised trials found a benefit.",
    "The pooled analysis of eight studies showed that the randomized treatment improved outcomes.",
])
def test_evidence_synthesis_is_not_a_trial(text):
    d, _ = _design(text)
    assert d.type == "other" and d.randomised is False


def test_self_stated_phase_outside_design_sections():
    text = "A randomised trial of drug X.\n\nDiscussion\nThis protocol describes a phase III study of 110 patients."
    d, _ = _design(text)
    assert d.phase == "III"


@pytest.mark.parametrize("text", [
    "84 patients were divided into observation group and control group according to the random number table method.",
    "Patients were randomly grouped into two groups.",
    "Allocation used a random number generator; patients were randomly distributed into two groups.",
    "Patients were divided into two groups by random drawing of lots.",
    "Grouping followed the random number table.",
])
def test_chinese_style_randomisation_cues(text):
    design, _ = _design(text)
    assert design.randomised and design.type == "randomised"


def test_grouping_by_disease_activity_is_not_randomisation():
    design, _ = _design("Patients were divided into two groups by disease activity.")
    assert not design.randomised


@pytest.mark.parametrize("text,want", [
    ("A randomised, double-masked, placebo-controlled phase 2b study.", ("randomised", "IIb", True, "double-blind")),
    ("An open-label, single-arm, phase 1/2 trial of drug X.", ("single-arm", "I/II", False, "open-label")),
    ("This was a multicentre, randomized, double-blind, placebo-controlled, phase II trial.", ("randomised", "II", True, "double-blind")),
    ("We did a prospective, open-label, randomised, controlled phase 3 trial.", ("randomised", "III", True, "open-label")),
    ("A phase Ib/IIa, open-label, dose-escalation study.", ("single-arm", "Ib/IIa", False, "open-label")),
    ("A single-centre, non-randomised, open-label pilot study.", ("single-arm", None, False, "open-label")),
    ("This phase 3, randomized, observer-blind trial enrolled adults.", ("randomised", "III", True, "single-blind")),
])
def test_unseen_design_wordings(text, want):
    d, _ = _design(text)
    assert (d.type, d.phase, d.randomised, d.blinding) == want


@pytest.mark.parametrize("text", [
    "Letter to the Editor. Rituximab then belimumab for refractory lupus nephritis: three cases from one clinic.",
    "Obinutuzumab in membranous lupus nephritis: four consecutive cases.",
    "We describe our first patients treated with the combination outside a trial.",
    "We report five patients with refractory nephritis who received rituximab.",
    "A case report of tacrolimus in lupus nephritis during pregnancy.",
])
def test_case_series_cues(text):
    d, _ = _design(text)
    assert d.type == "case-series"


def test_cases_of_a_disease_are_not_a_case_series():
    d, _ = _design("A randomised trial: three cases of lupus nephritis were enrolled in each of the two groups.")
    assert d.type == "randomised"


@pytest.mark.parametrize("text,want", [
    ("Patients were followed up every 3 months for 2 years.", (2, "year")),
    ("Follow-up visits were scheduled at 2-week intervals during 6 months.", (6, "month")),
    ("Follow-up was monthly for 12 months.", (12, "month")),
    ("Patients were followed up at regular intervals for up to five years.", (5, "year")),
    ("Follow-up visits took place every 4 weeks over 48 weeks.", (48, "week")),
])
def test_follow_up_length_not_the_visit_interval(text, want):
    d, _ = _design("A single-arm study of rituximab. " + text)
    assert d.follow_up is not None and (d.follow_up.value, d.follow_up.unit) == want


@pytest.mark.parametrize("text,want", [
    ("The study duration was 52 weeks.", (52, "week")),
    ("The total duration of the trial was 18 months.", (18, "month")),
    ("Patients were observed over a study period of 12 months.", (12, "month")),
    ("The trial duration was two years.", (2, "year")),
    ("The duration of the study was 24 weeks.", (24, "week")),
])
def test_follow_up_from_the_study_duration(text, want):
    d, _ = _design("A single-arm study of rituximab. " + text)
    assert d.follow_up is not None and (d.follow_up.value, d.follow_up.unit) == want


@pytest.mark.parametrize("text,want", [
    ("Patients were treated for 24 weeks and followed up for a further 24 weeks.", (48, "week")),
    ("After a 6-month treatment period, patients were followed for an additional 2 years.", (30, "month")),
    ("Treatment lasted 12 months; patients were then followed for a further 12 months.", (24, "month")),
    ("Patients received the study drug for 52 weeks and were followed up for another 4 weeks.", (56, "week")),
    ("The 24-week treatment phase was completed and patients were followed for an additional 28 weeks.", (52, "week")),
])
def test_follow_up_after_treatment_adds_up(text, want):
    d, _ = _design("A single-arm study of rituximab. " + text)
    assert d.follow_up is not None and (d.follow_up.value, d.follow_up.unit) == want


@pytest.mark.parametrize("text,want", [
    ("Results: At month 6, five responded. At month 12, seven responded. By month 12 none relapsed. One patient had "
     "pneumonia at month 14.", (12, "month")),
    ("Results: At week 24, 30% responded; at week 52, 40% responded. Overall at week 52 few relapsed. A death occurred at week 60.",
     (52, "week")),
    ("Results: Up to 40% of such patients reach kidney failure within 20 years. At 9 months, 17 patients responded. At 9 "
     "months, six patients did not respond.", (9, "month")),
    ("Results: The protocol continues to 36 months. At month 12, 8 patients were in remission; by month 12 none relapsed.",
     (12, "month")),
    ("Results: At year 1, twenty patients responded. At year 2, 25 patients responded. No deaths occurred by year 2. "
     "Disease onset was 7 years earlier.", (2, "year")),
])
def test_follow_up_fallback_is_the_latest_time_point_named_more_than_once(text, want):
    d, _ = _design("A single-arm study of rituximab.\n" + text)
    assert d.follow_up is not None and (d.follow_up.value, d.follow_up.unit) == want


@pytest.mark.parametrize("text,want", [
    ("Introduction. Drug X improved outcomes in large phase 3 trials. This extension followed those patients.\n"
     "References", "III"),
    ("The trial was registered with the national registry (Phase III/REG/2013/10/004040).", "III"),
    ("Background: In two phase 2 studies the drug was safe; we report long-term data of both.", "II"),
    ("The phase 1b programme enrolled patients at five centres; results are pooled here.", "Ib"),
    ("Earlier findings came from the phase II part of the programme. Long-term data of the phase II cohort are shown.", "II"),
])
def test_phase_named_only_outside_the_design_sections(text, want):
    d, _ = _design(text)
    assert d.phase == want


def test_a_phase_planned_for_the_future_is_not_the_phase():
    d, _ = _design("A pilot study of drug X. A larger phase 3 trial is planned.")
    assert d.phase is None
