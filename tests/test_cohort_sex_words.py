"""Cohort sex split in further wordings: a percent after "women made up", the whole cohort's
"(male 8, female 57)" before the per-group splits, and Spanish sex / age / duration words."""

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
    return extract_cohort(ctx)


@pytest.mark.parametrize("text,female,male", [
    ("A randomised trial. Of the 96 patients analysed, 48 were assigned to drug A and 48 to drug B. Women made up 88.5% of the cohort.", 85, 11),
    ("A randomised trial. In total 120 patients were randomised. Females represented 75% of patients and the mean age was 40 years.", 90, 30),
    ("A randomised trial. A total of 50 patients were enrolled. Women were 64% and the mean age was 33.1 years.", 32, 18),
    ("A randomised trial. A total of 200 participants were randomised. Female patients accounted for 90% of the sample.", 180, 20),
    ("A randomised trial. Of the 40 patients enrolled, women comprised 85% of participants.", 34, 6),
])
def test_percent_after_women_verb(text, female, male):
    c = _cohort(text)
    assert (c.female, c.male) == (female, male)


@pytest.mark.parametrize("text,female,male", [
    ("A randomised trial. Of the 65 patients (male 8, female 57), 32 were allocated to the A group (male 4, female 28) "
     "and 33 to the B group (male 4, female 29).", 57, 8),
    ("A randomised trial. Of the 40 patients (female 35, male 5), 20 were allocated to the X group (female 18, male 2) "
     "and 20 to the Y group (female 17, male 3).", 35, 5),
    ("A randomised trial. All 30 patients (male 6, female 24) were randomised: 15 to the low group (male 3, female 12) "
     "and 15 to the high group (male 3, female 12).", 24, 6),
    ("A randomised trial. Of the 88 patients (women 80, men 8), 45 were allocated to the tacrolimus group (women 41, men 4) "
     "and 43 to the MMF group (women 39, men 4).", 80, 8),
    ("A randomised trial. Of the 21 patients (male 1, female 20), 10 were allocated to the R group (male 1, female 9) "
     "and 11 to the S group (male 0, female 11).", 20, 1),
])
def test_whole_cohort_pair_before_group_pairs(text, female, male):
    c = _cohort(text)
    assert (c.n, c.female, c.male) == (female + male, female, male)


@pytest.mark.parametrize("text,female,male", [
    ("Of the 54 pacientes, 49 were sexo femenino (90.7 %) and 5 sexo masculino (9.3 %).", 49, 5),
    ("Of the 40 pacientes, 36 mujeres (90 %) and 4 hombres (10 %) were included.", 36, 4),
    ("A total of 30 patients were included: 27 sexo femenino and 3 sexo masculino.", 27, 3),
    ("Of the 25 patients, 5 sexo masculino and 20 sexo femenino.", 20, 5),
    ("We included 61 patients, 55 mujeres and 6 varones.", 55, 6),
])
def test_spanish_sex_words(text, female, male):
    c = _cohort(text)
    assert (c.female, c.male) == (female, male)


@pytest.mark.parametrize("text,value", [
    ("Of the 54 pacientes, the edad media was 28.4 ± 8.1 años.", 28.4),
    ("The edad media of the 40 patients was 35.0 ± 9.0 years.", 35.0),
    ("In the 30 patients included, edad media 41.2 ± 10.3 years.", 41.2),
    ("A total of 22 patients; the edad media was 19.5 ± 4.4 years.", 19.5),
    ("Of 60 patients, edad media 30.1 (SD 7.7) years.", 30.1),
])
def test_spanish_age_word(text, value):
    c = _cohort(text)
    assert c.age is not None and c.age.value == value and c.age.stat == "mean"


@pytest.mark.parametrize("text,value", [
    ("Of 54 patients, the time of evolution of the lupus had a median of 3.2 years (IQR 1.1-6.0).", 3.2),
    ("In 40 patients the time of evolution of the disease was a median of 5.0 years (IQR 2.0-8.0).", 5.0),
    ("Of 30 patients, time of evolution of lupus nephritis: median 1.5 years (IQR 0.5-3.0).", 1.5),
    ("Of 61 patients, the time of evolution of SLE had a median of 7 years (IQR 3-12).", 7.0),
    ("A total of 25 patients; tiempo de evolución median 2.4 years (IQR 1.0-4.0).", 2.4),
])
def test_time_of_evolution_is_disease_duration(text, value):
    c = _cohort(text)
    assert c.disease_duration is not None and c.disease_duration.value == value
