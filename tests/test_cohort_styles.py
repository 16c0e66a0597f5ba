"""Cohort wordings of unseen report styles: numbers inside parentheses, sex label before its
count, tilde ranges, a range followed by a mean with SD, duration cues (time from biopsy,
"diagnosed a median of N years earlier", duration of other chronic diseases), flattened
baseline rows labelled "Females, number (%)"."""

from __future__ import annotations

import pytest

from extractor.extract.arms import extract_arms
from extractor.extract.cohort import extract_cohort
from extractor.extract.cohort_parens import unwrap_text
from extractor.extract.design import extract_design
from extractor.extract.run import build_context
from extractor.records import Document


def _cohort(text: str):
    ctx = build_context(Document(path="t.txt", sha256="", kind="text", text=text))
    extract_design(ctx)
    extract_arms(ctx)
    return extract_cohort(ctx)


@pytest.mark.parametrize("text", [
    "Of the (88) patients randomised, (45) received drug X",
    "women (58; 41.4%) and men (82; 58.6%)",
    "the mean age was (51.2; SD 9.9) years",
    "age 24~61 years",
    "duration 1 ~ 12 months",
    "median follow-up was (3.5; IQR 2.1–4.8) years",
])
def test_unwrap_keeps_length(text):
    out = unwrap_text(text)
    assert len(out) == len(text) and out != text


@pytest.mark.parametrize("text", [
    "median age 31 (24–40) years",
    "12 (40%) women",
    "randomised (1:1) to A or B",
    "mean ~30 years",
    "aged (18–65) years",
])
def test_unwrap_leaves_usual_style(text):
    assert unwrap_text(text) == text


@pytest.mark.parametrize("text,n,female,male", [
    ("Of the (150) patients randomised, (75) received drug A and (75) placebo; women (90; 60.0%) outnumbered men (60; 40.0%).", 150, 90, 60),
    ("In total, (64) participants were enrolled. Men (40; 62.5%) and women (24; 37.5%) took part.", 64, 24, 40),
    ("Of the (212) adults randomised, men (120; 56.6%) outnumbered women (92; 43.4%).", 212, 92, 120),
    ("A total of 80 patients were enrolled; females 52 (65%) and males 28 (35%).", 80, 52, 28),
    ("Of the (30) patients randomised, girls (18; 60%) and boys (12; 40%) were included.", 30, 18, 12),
    ("A total of 40 patients were randomised: men, 25 (62.5%); women, 15 (37.5%).", 40, 15, 25),
])
def test_parenthesised_numbers_and_label_first_sex(text, n, female, male):
    c = _cohort(text)
    assert (c.n, c.female, c.male) == (n, female, male)


def test_label_first_sex_needs_both_sexes_adding_up():
    c = _cohort("A total of 80 patients were enrolled; women 52 (65%) had a flare, men 20 (25%) did not.")
    assert c.female is None or c.female + c.male == 80


@pytest.mark.parametrize("text,value,spread", [
    ("Of the (120) patients randomised, the mean age was (44.1; SD 12.3) years.", 44.1, ("sd", 12.3)),
    ("A total of 60 patients were enrolled; the median age was (37; IQR 29–46) years.", 37, ("iqr", 29, 46)),
    ("Of the (48) participants enrolled, the mean age was (29.8; SD 7.4) years.", 29.8, ("sd", 7.4)),
    ("A total of 75 patients were included and their mean age was (61.0; SD 8.8) years.", 61.0, ("sd", 8.8)),
    ("Of the (200) patients randomised, the median age was (52; IQR 41–60) years.", 52, ("iqr", 41, 60)),
])
def test_parenthesised_age(text, value, spread):
    age = _cohort(text).age
    assert age.value == value and age.spread.kind == spread[0]
    if spread[0] == "sd":
        assert age.spread.value == spread[1]
    else:
        assert (age.spread.low, age.spread.high) == spread[1:]


@pytest.mark.parametrize("text,stat,value,low,high,sd", [
    ("A total of 30 patients were enrolled, age 21~55 years old, average (36.2±8.1) years old.", "mean", 36.2, 21, 55, 8.1),
    ("A total of 44 patients were enrolled, aged 18-60 years, average 35.5 ± 9.0 years.", "mean", 35.5, 18, 60, 9.0),
    ("A total of 26 cases were enrolled, age 16~48 years, mean 27.3±6.6 years.", "mean", 27.3, 16, 48, 6.6),
    ("A total of 52 patients were enrolled, aged 20–65 years (mean 41.7 ± 11.2).", "mean", 41.7, 20, 65, 11.2),
    ("A total of 18 patients were enrolled, age 19 ~ 39 years, average (25.0±4.4) years.", "mean", 25.0, 19, 39, 4.4),
])
def test_range_then_mean_with_sd(text, stat, value, low, high, sd):
    age = _cohort(text).age
    assert (age.stat, age.value, age.low, age.high) == (stat, value, low, high)
    assert age.spread.kind == "sd" and age.spread.value == sd


@pytest.mark.parametrize("text,stat,value,low,high", [
    ("A total of 12 patients were enrolled. Lupus had been diagnosed a median of 6 years earlier (range 1–15).", "median", 6, 1, 15),
    ("A total of 20 patients were enrolled. Nephritis was diagnosed a mean of 3.5 years before enrolment.", "mean", 3.5, None, None),
    ("A total of 9 patients were enrolled; SLE had been diagnosed a median of 8 years previously (range 2–20).", "median", 8, 2, 20),
    ("A total of 31 patients were enrolled. The median time from renal biopsy was 14 months (IQR 6–30).", "median", 14, None, None),
    ("A total of 90 patients were enrolled; the mean time from first diagnosis was 4.2 years.", "mean", 4.2, None, None),
    ("A total of 23 patients were enrolled, with a mean duration of T1D of 11.4±5.0 years.", "mean", 11.4, None, None),
    ("A total of 40 patients were enrolled; the mean diabetes duration was 9.1 years.", "mean", 9.1, None, None),
])
def test_duration_cues(text, stat, value, low, high):
    d = _cohort(text).disease_duration
    assert (d.stat, d.value, d.low, d.high) == (stat, value, low, high)


@pytest.mark.parametrize("text", [
    "A total of 30 patients were enrolled. Patients were diagnosed with class IV LN at a median age of 25 years.",
    "A total of 30 patients were enrolled; the duration of treatment was 12 weeks.",
    "A total of 30 patients were enrolled; the median time from randomisation to relapse was 14 months.",
    "A total of 30 patients were enrolled; the duration of follow-up was 2 years.",
    "A total of 30 patients were enrolled; the mean duration of infusion was 2 hours.",
])
def test_not_disease_duration(text):
    assert _cohort(text).disease_duration is None


@pytest.mark.parametrize("text,female,male", [
    ("A total of 17 patients were randomized to drug A (n = 11) or placebo (n = 6). Table 2 Baseline characteristics p*Age, years26.0 (3.6)26.9 (10.3)0.85Females, number (%)3 (27)2 (33)0.79", 5, 12),
    ("A total of 30 patients were randomized to drug A (n = 20) or placebo (n = 10). Baseline: Males, n (%) 12 (60) 6 (60) BMI 24.1", 12, 18),
    ("A total of 24 patients were randomized to drug A (n = 12) or placebo (n = 12). Table 1 Age 41 (8) 43 (9) Females, no. (%) 9 (75) 8 (67)", 17, 7),
    ("A total of 40 patients were randomized to drug A (n = 20) or drug B (n = 20). Baseline 0.12Females 14 (70) 12 (60) 0.5", 26, 14),
    ("A total of 50 patients were randomized to drug A (n = 25) or placebo (n = 25). Table 1 Females, number (%) 20 (80) 21 (84)", 41, 9),
])
def test_flat_sex_row_variants(text, female, male):
    c = _cohort(text)
    assert (c.female, c.male) == (female, male)


@pytest.mark.parametrize("text", [
    "A total of 50 patients were randomized to drug A (n = 25) or placebo (n = 25). Table 1 Females, number (%) 20 (80) 21 (84)",
    "A total of 36 patients were enrolled. Table 2 Women, n (%) 10 (56) 11 (61)",
    "A total of 44 patients were enrolled. Figure 3 Males, n (%) 12 (55) 13 (59)",
    "A total of 60 patients were enrolled. Supplementary Table 4 females by centre.",
    "A total of 28 patients were enrolled. Fig. 2 Men and women separately.",
])
def test_table_number_is_not_a_sex_count(text):
    c = _cohort(text)
    assert c.female not in (1, 2, 3, 4) and c.male not in (1, 2, 3, 4)


@pytest.mark.parametrize("text,female,male", [
    ("A total of 70 patients were enrolled. Table 1 Baseline characteristics, including all 60 subjects correctly assigned "
     "Drug Placebo Subset n 30 30 12 Age (years) 40.1 ± 9.0 41.0 ± 8.2 39.9 ± 7.7 Male sex (%) 12 (40) 15 (50) 6 (50) BMI 24 ± 3", 33, 27),
    ("A total of 50 patients were enrolled. Table 2 Demographics of the 45 randomised patients A B C "
     "n 15 15 15 Female sex (%) 10 (67) 9 (60) 11 (73) Weight 70 ± 9", 30, 15),
    ("A total of 44 patients were enrolled. Table 1 Characteristics in 40 participants Active Control Active Control "
     "n 10 10 10 10 Women, n (%) 6 (60) 7 (70) 5 (50) 8 (80) Age 33 ± 5", 26, 14),
    ("A total of 100 patients were enrolled. Table 3 Baseline data for all 90 patients High Low Placebo Substudy "
     "n 30 30 30 15 Males (%) 18 (60) 17 (57) 19 (63) 9 (60) Height 170 ± 8", 36, 54),
    ("A total of 36 patients were enrolled. Table 1 Baseline, including all 32 subjects X Y Z "
     "n 16 16 8 Men (%) 9 (56) 10 (63) 5 (63) Age 50 ± 6", 13, 19),
])
def test_flat_sex_row_over_partitioning_columns(text, female, male):
    c = _cohort(text)
    assert (c.female, c.male) == (female, male)


@pytest.mark.parametrize("text", [
    "A total of 70 patients were enrolled. Table 1 Baseline, including all 60 subjects n 30 30 12 Male sex (%) 12 (25) 15 (50) 6 (50)",
    "A total of 70 patients were enrolled. Table 1 Baseline n 30 30 Male sex (%) 12 (40) 15 (50)",
    "A total of 70 patients were enrolled. Table 1 Baseline, including all 55 subjects n 30 30 Male sex (%) 12 (40) 15 (50)",
    "A total of 70 patients were enrolled. Including all 60 subjects n 30 30 Male sex (%) 12 (40) 15 (50)",
    "A total of 70 patients were enrolled. Table 1 Baseline, including all 60 subjects n 30 30 10 Male sex (%) 12 (40) 15 (50)",
])
def test_flat_sex_columns_needs_caption_population_and_consistent_cells(text):
    c = _cohort(text)
    assert c.male not in (27, 33)
