"""Cohort: N (not screened, not eligibility), sex split, age, disease duration."""

from __future__ import annotations

import pytest

from extractor.extract.arms import extract_arms
from extractor.extract.cohort import extract_cohort
from extractor.extract.design import extract_design
from extractor.extract.run import build_context
from extractor.records import Document


def _cohort(text: str):
    ctx = build_context(Document(path="t.txt", sha256="", kind="text", text=text))
    extract_design(ctx)
    extract_arms(ctx)
    return extract_cohort(ctx), ctx


@pytest.mark.parametrize("text,n", [
    ("The phase I clinical trial included a total of 9 adult patients (8 females and 1 male).", 9),
    ("Eighteen patients were enrolled between 2012 and 2015.", 18),
    ("Of 412 patients screened, 357 were randomised.", 357),
    ("412 patients were screened and 357 patients were randomly assigned.", 357),
    ("Sixty cases of LN were selected and treated.", 60),
    ("We re-examined every one of the 82 patients who had been randomly assigned.", 82),
    ("Patients aged 18-65 with class III LN were eligible. A total of 40 patients were enrolled.", 40),
])
def test_total_n(text, n):
    c, ctx = _cohort(text)
    assert c is not None and c.n == n
    assert ctx.state["cohort_n"] == n


@pytest.mark.parametrize("text,female,male", [
    ("A total of 9 adult patients (8 females and 1 male) were included.", 8, 1),
    ("A total of 9 patients (8F/1M) were included.", 8, 1),
    ("A total of 18 patients were enrolled (F/M 16/2).", 16, 2),
    ("A total of 9 patients were enrolled; male:female 1:8.", 8, 1),
    ("A total of 100 patients were enrolled; 89% were women.", 89, 11),
    ("Of the 125 patients enrolled, 112 (90%) were female.", 112, 13),  # n = 125 now read ("of the N enrolled")
    ("A total of 12 patients were enrolled (1 man and 11 women).", 11, 1),
    ("Sixty cases were enrolled. Observation group: male 4 cases, female 26 cases. Control group: male 5 cases, female 25 cases.", 51, 9),
])
def test_sex(text, female, male):
    c, _ = _cohort(text)
    assert (c.female, c.male) == (female, male)


def test_percent_only_sex_needs_exact_count():
    c, _ = _cohort("A total of 7 patients were enrolled; 50% were women.")
    assert c.female is None


@pytest.mark.parametrize("text,stat,value,low,high,spread", [
    ("A total of 9 patients, aged 19 to 36 years, were included.", "range", None, 19, 36, None),
    ("A total of 40 patients were enrolled; mean age was 31.6 ± 10.4 years (range 17–54).", "mean", 31.6, 17, 54, ("sd", 10.4)),
    ("A total of 82 patients were enrolled. The median age at entry was 31 years (IQR 24–40).", "median", 31, None, None, ("iqr", 24, 40)),
    ("Twelve patients were enrolled (median age 28.5 years, range 19–45).", "median", 28.5, 19, 45, None),
    ("A total of 357 patients were randomised. The mean age was 32.7 years.", "mean", 32.7, None, None, None),
])
def test_age(text, stat, value, low, high, spread):
    c, _ = _cohort(text)
    a = c.age
    assert (a.stat, a.value, a.low, a.high, a.unit) == (stat, value, low, high, "year")
    if spread:
        assert a.spread.kind == spread[0]
        got = (a.spread.kind, a.spread.value) if len(spread) == 2 else (a.spread.kind, a.spread.low, a.spread.high)
        assert got == spread


def test_eligibility_age_is_not_sample_age():
    c, _ = _cohort("Patients aged 18–65 years were eligible. A total of 20 patients were enrolled.")
    assert c.age is None


@pytest.mark.parametrize("text,stat,value,low,high,unit", [
    ("A total of 9 patients with a disease duration of 3 to 12 years were included.", "range", None, 3, 12, "year"),
    ("A total of 40 patients; the median disease duration was 6.0 years (range 1.5–18).", "median", 6.0, 1.5, 18, "year"),
    ("A total of 30 patients; SLE duration was 26 ± 12 months.", "mean", 26, None, None, "month"),
])
def test_disease_duration(text, stat, value, low, high, unit):
    c, _ = _cohort(text)
    d = c.disease_duration
    assert (d.stat, d.value, d.low, d.high, d.unit) == (stat, value, low, high, unit)


def test_no_cohort():
    c, _ = _cohort("Lupus nephritis is a complication of SLE.")
    assert c is None


@pytest.mark.parametrize("text,n", [
    ("One hundred and twenty-six subjects were randomized and treated.", 126),
    ("The protocol intended to enrol 300 patients. In all, 308 patients were randomised.", 308),
    ("The study was planned to enroll 30 patients per group. Forty-two patients were randomly assigned.", 42),
    ("Sixty cases of LN treated from January 2017 to June 2018 were selected. A total of 60 cases were analysed.", 60),
    ("44 patients were screened for eligibility and 23 patients were randomized.", 23),
    ("Twelve patients (11F/1M) were treated.", 12),
])
def test_total_wordings(text, n):
    c, _ = _cohort(text)
    assert c is not None and c.n == n


@pytest.mark.parametrize("text,female,male", [
    ("A total of 24 patients were enrolled; 22 were women.", 22, 2),
    ("A total of 40 patients were enrolled, 37 women (92.5%) among them.", 37, 3),
    ("A total of 50 patients were randomized; 84% were female.", 42, 8),
])
def test_missing_sex_is_the_complement(text, female, male):
    c, _ = _cohort(text)
    assert (c.female, c.male) == (female, male)


def test_mean_age_beats_an_age_range():
    c, _ = _cohort("Adults aged 18 to 70 years took part. A total of 24 patients were enrolled and the median age was 45.5 years.")
    assert c.age.stat == "median" and c.age.value == 45.5


TWO_ARMS = "A total of 60 patients were randomised to drug (n = 30) or placebo (n = 30). "


@pytest.mark.parametrize("text,female,male", [
    (TWO_ARMS + "Table 1 Baseline characteristics Drug (n = 30) Placebo (n = 30) Female, n (%) 12 (40) 14 (46.7) Age, years 40 ± 9 41 ± 8", 26, 34),
    (TWO_ARMS + "Baseline Drug (n = 30) Placebo (n = 30) P GENDER (%) Male 20 (66.7) 19 (63.3) 0.78 Female 10 (33.3) 11 (36.7)", 21, 39),
    (TWO_ARMS + "Characteristics Drug Placebo All Sex, no. (%) female 27 (90.0) 28 (93.3) 55 (91.7) Weight, kg 68 ± 19", 55, 5),
    (TWO_ARMS + "Male sex (%) 10 (33) 12 (40) Age 41 (30-50)", 38, 22),
    (TWO_ARMS + "Baseline data Drug Placebo Women 25 (83.3) 24 (80.0) Men 5 (16.7) 6 (20.0)", 49, 11),
])
def test_sex_from_flattened_baseline_row(text, female, male):
    c, _ = _cohort(text)
    assert (c.female, c.male) == (female, male)


@pytest.mark.parametrize("text", [
    TWO_ARMS + "Female, n (%) 12 (60) 14 (20)",  # percents disagree with the arm sizes
    TWO_ARMS + "Female patients of childbearing potential 2 (5) were excluded.",  # one cell only
    TWO_ARMS + "Inclusion criteria: female, n (%) 12 (40) 14 (46.7)",  # eligibility
    TWO_ARMS + "Male 20 mg 10 (33) 12 (40)",  # not a row label
    TWO_ARMS + "Women 40 (80) 45 (90) in the reference cohort",  # counts larger than the arms
])
def test_flattened_row_lookalikes_give_no_sex(text):
    c, _ = _cohort(text)
    assert c.female is None and c.male is None


@pytest.mark.parametrize("text,value,spread", [
    ("RESULTS: Twenty-three participants (mean age, 69.8 years) were recruited. The mean age of the cohort was 69.8±5.7 years.", 69.8, ("sd", 5.7)),
    ("A total of 24 patients were enrolled and the median age was 45.5 years. Age, years 44.0 (21–54) 54.0 (25–66) 45.5 (21–66)", 45.5, ("range", 21, 66)),
    ("Patients had a mean (± SD) age of 62.7 (±13.2) years.", 62.7, ("sd", 13.2)),
    ("A total of 227 patients were randomised. Their mean age was 32.6 years (SD 10.5).", 32.6, ("sd", 10.5)),
    ("Forty-six patients were included (women 87 %; mean age 33,4 ± 9,8 years).", 33.4, ("sd", 9.8)),
])
def test_age_spread_from_a_second_mention_or_written_form(text, value, spread):
    c, _ = _cohort(text)
    a = c.age
    assert a.value == value and a.spread is not None and a.spread.kind == spread[0]
    got = (a.spread.kind, a.spread.value) if len(spread) == 2 else (a.spread.kind, a.spread.low, a.spread.high)
    assert got == spread


# --- generalisation: male-only counts, per-arm female lists, per-patient tables, decimal commas ---

@pytest.mark.parametrize("text,female,male", [
    ("We randomised 86 patients (43 per group); mean age 51.3 years, 60 men (69.8%).", 26, 60),
    ("A total of 40 patients were enrolled; 12 were male.", 28, 12),
    ("Thirty patients were included. Nine men took part.", 21, 9),
    ("We enrolled 50 patients, of whom 15 patients were men.", 35, 15),
    ("In total 20 patients were treated; 7 (35%) males.", 13, 7),
])
def test_male_count_alone(text, female, male):
    cohort, _ = _cohort(text)
    assert (cohort.female, cohort.male) == (female, male)


@pytest.mark.parametrize("text,female", [
    ("Patients were randomly assigned to MMF (n = 64), tacrolimus (n = 62) or CYC (n = 63). Women made up 56, 55 and 54 of the participants.", 165),
    ("Patients were randomly assigned to drug (n = 30) or placebo (n = 30). Females were 25 and 27.", 52),
    ("Patients were randomly assigned to A (n = 20), B (n = 20) or C (n = 20). Women numbered 18, 17 and 19.", 54),
    ("Patients were randomly assigned to drug (n = 40) or placebo (n = 41). 35 and 36 patients were women.", 71),
    ("Patients were randomly assigned to drug (n = 12) or placebo (n = 12). Female patients totalled 10 and 11.", 21),
])
def test_female_counts_listed_per_arm_are_summed(text, female):
    cohort, _ = _cohort(text)
    assert cohort.female == female


def _md_cohort(tmp_path, text: str):  # type: ignore[no-untyped-def]
    from extractor.extract.run import extract_document
    from extractor.ingest.load import load

    path = tmp_path / "series.md"
    path.write_text(text, encoding="utf-8")
    return extract_document(load(path)[0]).cohort


@pytest.mark.parametrize("first,sex_head,sexes,want", [
    ("Patient", "Sex", ["F", "F", "M", "F", "F"], (5, 4, 1)),
    ("Case", "Gender", ["Female", "Male", "Female"], (3, 2, 1)),
    ("No.", "Sex (M/F)", ["M", "M", "F", "F"], (4, 2, 2)),
    ("Patient", "sex/age", ["F/24", "M/31", "F/40"], (3, 2, 1)),
    ("Pt", "Sex", ["F", "F", "F", "F", "F", "F"], (6, 6, 0)),
])
def test_cohort_counted_from_a_per_patient_table(tmp_path, first, sex_head, sexes, want):
    rows = "\n".join(f"| {i} | {s} | IV | Complete |" for i, s in enumerate(sexes, 1))
    text = (f"# Obinutuzumab in lupus nephritis: a case series\n\nWe describe our patients.\n\n"
            f"| {first} | {sex_head} | Class | Response |\n|---|---|---|---|\n{rows}\n")
    cohort = _md_cohort(tmp_path, text)
    assert (cohort.n, cohort.female, cohort.male) == want


def test_per_patient_rows_must_be_numbered_in_order(tmp_path):
    text = ("# Case series\n\nWe describe our patients.\n\n| Patient | Sex | Class |\n|---|---|---|\n"
            "| 1 | F | IV |\n| 3 | M | V |\n| Total | | |\n")
    cohort = _md_cohort(tmp_path, text)
    assert cohort is None or cohort.n is None


@pytest.mark.parametrize("label,cells,female", [
    ("Mujeres/women, n (%)", "14 (87,5 %) | 13 (81,3 %) | 27 (84,4 %)", 27),
    ("Femmes / women", "10 (62,5) | 11 (68,8) | 21 (65,6)", 21),
    ("Frauen/female, n (%)", "14 (87,5%) | 13 (81,3%) | 27 (84,4%)", 27),
    ("Female, n (%)", "14 (87.5) | 13 (81.3) | 27 (84.4)", 27),
    ("Women", "12 (75,0 %) | 15 (93,8 %) | 27 (84,4 %)", 27),
])
def test_bilingual_and_decimal_comma_sex_rows(tmp_path, label, cells, female):
    text = ("# Trial\n\nPatients were randomly assigned to RTX (n = 16) or control (n = 16).\n\n"
            "| | RTX (n = 16) | Control (n = 16) | Total (n = 32) |\n|---|---|---|---|\n"
            f"| {label} | {cells} |\n")
    assert _md_cohort(tmp_path, text).female == female


@pytest.mark.parametrize("text,value,low,high", [
    ("Median duration of SLE before the index biopsy was 2,5 years (RIC 0,8-6,1).", 2.5, 0.8, 6.1),
    ("Median disease duration was 3,4 years (2,1–5,0).", 3.4, 2.1, 5.0),
    ("Median duration of lupus was 6,5 years (IQR 2,5 to 9,5).", 6.5, 2.5, 9.5),
    ("The median disease duration was 1,5 years (RIC 0,5-3,0).", 1.5, 0.5, 3.0),
    ("Median time since diagnosis 4,2 years (1,1-8,3).", 4.2, 1.1, 8.3),
])
def test_decimal_comma_disease_duration(text, value, low, high):
    cohort, _ = _cohort("A total of 32 patients were randomised. " + text)
    d = cohort.disease_duration
    got = (d.value, d.spread.low if d.spread else d.low, d.spread.high if d.spread else d.high)
    assert got == (value, low, high)


# --- generalisation (d-corpus): "Of N patients randomised", sex per group, "women 22 examples" ----

@pytest.mark.parametrize("text,n", [
    ("Results. Of 246 patients randomised (82 per group), 229 (93.1%) were women.", 246),
    ("Results. Of the 120 participants enrolled, 60 completed the study.", 120),
    ("Results. Of 80 adults included, most had class IV disease.", 80),
    ("Results. Of these 64 patients who were randomized, 3 withdrew.", 64),
    ("Results. Of 51 eligible patients recruited, all were treated.", 51),
])
def test_of_n_randomised(text, n):
    c, _ = _cohort("Background. A study.\nMethods. Patients were treated.\nOther. Text.\n" + text)
    assert c is not None and c.n == n


@pytest.mark.parametrize("text,female,male", [
    ("Of 246 patients randomised (82 per group), 229 (93.1%) were women.", 229, 17),
    ("Of 90 patients randomised (30 per group), 81 (90.0%) were female.", 81, 9),
    ("Of 60 patients enrolled (20 in each arm), 57 (95.0%) were women.", 57, 3),
    ("Sixty patients were enrolled and divided into observation group and control group. The observation group comprised 25 women and 5 men; the control group 28 women and 2 men.", 53, 7),
    ("A total of 40 patients were divided into two groups; group A had 18 women and 2 men and group B 17 women and 3 men.", 35, 5),
])
def test_sex_with_group_words(text, female, male):
    c, _ = _cohort(text)
    assert (c.female, c.male) == (female, male)


@pytest.mark.parametrize("text,female,male", [
    ("A total enrolled 24 examples of patients, among them women 22 examples, men 2 examples.", 22, 2),
    ("A total of 30 cases were enrolled, female 27 cases, male 3 cases.", 27, 3),
    ("In total 15 patients were studied: men 4, women 11.", 11, 4),
    ("Totally 20 subjects were included, women 18 subjects and men 2 subjects.", 18, 2),
    ("A total of 12 patients were recruited; male 1 patients, female 11 patients.", 11, 1),
])
def test_sex_label_first_whole_cohort(text, female, male):
    c, _ = _cohort(text)
    assert (c.female, c.male) == (female, male)


@pytest.mark.parametrize("text,n,female,male", [
    ("Sixty-two patients (54 women; mean age, 34.2 years) underwent randomization: 31 to drug X and 31 to placebo.", 62, 54, 8),
    ("Of the 96 patients who underwent randomization, 85 (89%) were women; the mean (SD) age was 33.1 (10.2) years.", 96, 85, 11),
    ("We enrolled 48 patients (44 female, 4 male) with a mean age of 31 ± 9 years.", 48, 44, 4),
    ("A total of 72 participants were randomly assigned; 65 were female and the median age was 30 years (interquartile range, 24 to 38).",
     72, 65, 7),
    ("In total, 24 patients received at least one dose of study drug; 21 (87.5%) were women.", 24, 21, 3),
])
def test_unseen_cohort_wordings(text, n, female, male):
    c, _ = _cohort("A randomised trial.\n" + text)
    assert (c.n, c.female, c.male) == (n, female, male)


def test_sex_ratio_without_known_n_is_not_counts():
    c, _ = _cohort("A randomised trial.\nPatients with lupus nephritis participated (female:male ratio 7:1).")
    assert c is None or (c.female, c.male) == (None, None)


@pytest.mark.parametrize("text,n", [
    ("Participants (n=120; 88% female; median age 29 [IQR 23–37] years) were randomised.", 120),
    ("Patients (n = 48) were randomly assigned to two groups.", 48),
    ("The study population comprised 150 patients.", 150),
    ("The cohort consisted of 75 adult patients with active disease.", 75),
    ("Thirty-two patients participated.", 32),
    ("In all, 18 women took part in the study.", 18),
    ("Enrolment: 60 patients; sex, 53 F / 7 M.", 60),
])
def test_total_n_population_wordings(text, n):
    c, _ = _cohort(text)
    assert c is not None and c.n == n


@pytest.mark.parametrize("text,stat,value,low,high", [
    ("A total of 30 patients, aged 18–55 years (median 32), were enrolled.", "median", 32, 18, 55),
    ("A total of 40 patients aged 20 to 60 years (mean 41) were enrolled.", "mean", 41, 20, 60),
    ("Twenty women were recruited, aged 19-45 (median, 30 years).", "median", 30, 19, 45),
    ("A total of 50 patients were enrolled; ages ranged 21–64 years (median 38).", "median", 38, 21, 64),
    ("Sixteen patients were included, aged 17 to 52 years (mean 33.5).", "mean", 33.5, 17, 52),
])
def test_age_range_then_centre(text, stat, value, low, high):
    c, _ = _cohort(text)
    assert (c.age.stat, c.age.value, c.age.low, c.age.high) == (stat, value, low, high)
    assert c.age.spread is not None and c.age.spread.kind == "range"


@pytest.mark.parametrize("text,n", [
    ("Forty patients aged 20 to 60 years (mean 41) were enrolled.", 40),
    ("In this study, 36 adults aged 18-65 years were randomised to two groups.", 36),
    ("Twenty-two women, aged 19 to 44 years (median 30), were recruited.", 22),
    ("52 patients with a mean age of 38 years were included in the analysis.", 52),
    ("Eighteen children aged 6–17 years (median 12) were treated.", 18),
])
def test_total_n_with_an_age_phrase_before_the_verb(text, n):
    c, _ = _cohort(text)
    assert c is not None and c.n == n


@pytest.mark.parametrize("text,want", [
    ("Sir,\nWe describe three patients.\n**Patient 1**, a 24-year-old woman with class IV LN.\n**Patient 2**, a 31-year-old man.\n"
     "**Patient 3**, a 38-year-old woman.", (3, 2, 1)),
    ("Patient 1: a 19-year-old female with nephritis.\nPatient 2: a 45-year-old Caucasian woman.", (2, 2, 0)),
    ("Case 1. A 40-year-old man.\nCase 2. A 22-year-old woman.\nCase 3. A 35-year-old man.\nCase 4. A 29-year-old woman.", (4, 2, 2)),
    ("_Patient 1_, a woman aged 52, had class V LN.\n_Patient 2_, a man aged 60, had class IV LN.", (2, 1, 1)),
    ("Patient 1, a 30-year-old woman.\nPatient 2, whose sex was not recorded.", (2, None, None)),
])
def test_cohort_from_per_patient_paragraphs(text, want):
    c, _ = _cohort(text)
    assert c is not None and (c.n, c.female, c.male) == want


def test_patient_paragraphs_must_be_numbered_from_one():
    c, _ = _cohort("Patient 2, a 30-year-old woman.\nPatient 5, a 41-year-old man.")
    assert c is None or c.n is None


@pytest.mark.parametrize("text,n", [
    ("A randomised trial. A total of 300 patients was estimated to detect a difference of 17% (power 80%). "
     "In all, 288 patients were randomly assigned to drug A (n = 144) or placebo (n = 144).", 288),
    ("A randomised trial. Overall, 200 participants were estimated to provide 90% power. "
     "Patients were randomised to drug A (n = 95) or placebo (n = 97).", 192),
    ("A randomised trial. We planned to randomise 120 patients to detect a difference of 20%. "
     "Patients were randomised to MMF (n = 52) or azathioprine (n = 50).", 102),
    ("A randomised trial. With 80% power, a total of 150 patients were needed. "
     "Patients were randomised to rituximab (n = 70) or control (n = 71).", 141),
    ("A randomised trial. A total of 90 patients were estimated to be sufficient. "
     "Patients were randomly assigned to tacrolimus (n = 41) or cyclophosphamide (n = 40).", 81),
])
def test_sample_size_estimates_are_not_the_cohort(text, n):
    c, _ = _cohort(text)
    assert c is not None and c.n == n


@pytest.mark.parametrize("text,n", [
    ("A randomised trial. 308 patients (mean age 60 years, 70% men, 48% with heart disease) with disease X (n = 251) or "
     "disease Y (n = 57) (duration three hours to 45 days) were randomised to drug A (n = 99), drug B (n = 106) or "
     "drug C (n = 103). Drug A worked in 10 patients treated with it.", 308),
    ("A randomised trial. 120 adult patients (54 women; median age 41 years, range 19 to 70) with class III or IV lupus "
     "nephritis confirmed by biopsy were randomly assigned to MMF (n = 61) or azathioprine (n = 59).", 120),
    ("A randomised trial. Ninety-eight participants were randomized (rituximab n = 50, placebo n = 48). Six patients "
     "treated with rituximab had infusion reactions.", 98),
    ("A randomised trial. 64 patients, most of them women and all with active nephritis despite two years of standard "
     "therapy, were randomised to drug A (n = 32) or placebo (n = 32).", 64),
    ("A randomised trial. 45 subjects (age 18 to 65 years) with biopsy-proven disease at three centres in two countries "
     "were randomised to low dose (n = 15), high dose (n = 15) or placebo (n = 15).", 45),
])
def test_randomised_total_that_the_arm_sizes_add_up_to(text, n):
    c, _ = _cohort(text)
    assert c is not None and c.n == n


@pytest.mark.parametrize("text,n", [
    ("Thirty-two patients with active lupus nephritis participated in this open-label study.", 32),
    ("40 adults took part in the trial.", 40),
    ("Twenty-five women with class V nephritis participated.", 25),
    ("In total 18 patients participated in the pilot study.", 18),
    ("Sixty patients with biopsy-proven disease took part.", 60),
])
def test_total_n_of_participants_who_took_part(text, n):
    c, _ = _cohort(text)
    assert c is not None and c.n == n


@pytest.mark.parametrize("text,n", [
    ("Of the 52 participants, 47 (90.4%) were female.", 52),
    ("Among the 120 randomized patients, 60 had class IV disease.", 120),
    ("Of 40 patients, 36 were women and 4 were men.", 40),
    ("Among all 75 enrolled patients, the mean age was 33 years.", 75),
    ("Of these 30 subjects, 12 had hypertension.", 30),
])
def test_total_n_of_a_population_leading_the_sentence(text, n):
    c, _ = _cohort(text)
    assert c is not None and c.n == n


def test_a_subgroup_leading_the_sentence_is_not_the_population():
    c, _ = _cohort("A total of 80 patients were enrolled. Of the 52 participants who responded, 20 relapsed.")
    assert c is not None and c.n == 80
