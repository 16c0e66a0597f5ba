"""Cohort wordings of the unseen-style batch (invented variants):

* sex counts with a bracketed percent ("285 men [70.2%] and 121 women");
* the stat word nearest the value decides mean / median ("mean age was 34.2 years (SD 10.3) and median
  time since diagnosis ...");
* ages in years and months with their range ("13 years 8 months (range 8 years 4 months to ...)");
* a duration whose value precedes a unit-led cue ("median 4.0 years since diagnostic biopsy [IQR ...]"),
  not a later "24-h";
* "time since SLE diagnosis" / "time since lupus diagnosis" as duration cues.
"""

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


def _stat(st):  # type: ignore[no-untyped-def]
    spread = (st.spread.kind, st.spread.value, st.spread.low, st.spread.high) if st.spread else None
    return st.stat, st.value, spread


@pytest.mark.parametrize("text,female,male", [
    ("Of 406 patients randomised (285 men [70.2%] and 121 women; mean age 46 years), most had IgAN.", 121, 285),
    ("Of 120 patients enrolled, 90 women [75.0%] and 30 men [25.0%] were analysed.", 90, 30),
    ("A total of 64 participants were randomised (40 men [62.5%], 24 women [37.5%]).", 24, 40),
    ("Of 88 patients randomised, 22 males [25%] and 66 females were included.", 66, 22),
    ("In total, 150 adults were enrolled: 131 women [87.3%] and 19 men [12.7%].", 131, 19),
])
def test_sex_counts_with_bracketed_percents(text, female, male):
    c = _cohort(text)
    assert (c.female, c.male) == (female, male)


@pytest.mark.parametrize("text,want", [
    ("Of the 150 patients randomised, mean age was 34.2 years (SD 10.3) and median time since lupus diagnosis 4.0 years (IQR 1.2–8.9).",
     ("mean", 34.2, ("sd", 10.3, None, None))),
    ("A total of 80 patients were enrolled; the mean age was 41.5 years (SD 12.0), and the median disease duration was 6 years.",
     ("mean", 41.5, ("sd", 12.0, None, None))),
    ("Of 60 patients randomised, median eGFR 80 and mean age 29.1 years (SD 7.7) were recorded.",
     ("mean", 29.1, ("sd", 7.7, None, None))),
    ("A total of 44 patients were randomised; median age was 31 years (IQR 25–38) and mean UPCR 3.1 g/g.",
     ("median", 31.0, ("iqr", None, 25.0, 38.0))),
    ("In total, 210 adults were enrolled: mean age 38.0 years (SD 11.2); median SLEDAI 10.",
     ("mean", 38.0, ("sd", 11.2, None, None))),
])
def test_the_stat_word_nearest_the_value(text, want):
    assert _stat(_cohort(text).age) == want


@pytest.mark.parametrize("text,want", [
    ("A total of 52 children were randomised. Median age at randomisation was 13 years 8 months (range 8 years 4 months to 17 years 10 months).",
     ("median", 13.67, ("range", None, 8.33, 17.83))),
    ("A total of 30 children were enrolled. Their median age was 10 years 6 months (IQR 8 years 3 months to 12 years 9 months).",
     ("median", 10.5, ("iqr", None, 8.25, 12.75))),
    ("A total of 40 children were enrolled; mean age was 9 years and 2 months.", ("mean", 9.17, None)),
    ("Of the 24 children randomised, median age 15 years, 4 months (range 11 to 17 years).",
     ("median", 15.33, ("range", None, 11.0, 17.0))),
    ("A total of 18 children were enrolled; median age 7 y 9 mo (range 3 y 1 mo–14 y 6 mo).",
     ("median", 7.75, ("range", None, 3.08, 14.5))),
])
def test_age_in_years_and_months(text, want):
    assert _stat(_cohort(text).age) == want


@pytest.mark.parametrize("text,want", [
    ("Of 406 patients randomised (mean age 46 years; median 4.0 years since diagnostic biopsy [IQR 1.1–9.5]), baseline median 24-h proteinuria was 1.8 g/day.",
     ("median", 4.0, ("iqr", None, 1.1, 9.5))),
    ("Of 100 patients enrolled (median 2.5 years since diagnosis (IQR 0.9–5.0)), median 24-h urine protein was 2.2 g.",
     ("median", 2.5, ("iqr", None, 0.9, 5.0))),
    ("A total of 70 patients were randomised, a mean of 6.1 years since onset (SD 3.0), with 24-h proteinuria of 3 g.",
     ("mean", 6.1, ("sd", 3.0, None, None))),
    ("A total of 36 patients were enrolled; median 18 months since renal biopsy, and 12-h fasting glucose was normal.",
     ("median", 18.0, None)),
    ("Of 58 patients randomised, median 7.2 years since SLE diagnosis (range 1–20) and 24-h urine protein 1.5 g.",
     ("median", 7.2, ("range", None, 1.0, 20.0))),
])
def test_duration_value_before_a_unit_led_cue(text, want):
    assert _stat(_cohort(text).disease_duration) == want


@pytest.mark.parametrize("text,want", [
    ("A total of 90 patients were enrolled; median time since SLE diagnosis was 5.1 years (IQR 1.6–9.4).", ("median", 5.1, ("iqr", None, 1.6, 9.4))),
    ("A total of 90 patients were enrolled; mean time since lupus diagnosis was 7.0 years (SD 4.2).", ("mean", 7.0, ("sd", 4.2, None, None))),
    ("A total of 40 patients were enrolled; median time from LN diagnosis 14 months (IQR 6–30).", ("median", 14.0, ("iqr", None, 6.0, 30.0))),
    ("A total of 40 patients were enrolled; median time since lupus nephritis diagnosis was 3 years (range 1–11).",
     ("median", 3.0, ("range", None, 1.0, 11.0))),
    ("A total of 55 patients were enrolled; mean time from disease onset 9.5 years (SD 5.5).", ("mean", 9.5, ("sd", 5.5, None, None))),
])
def test_time_since_disease_diagnosis(text, want):
    assert _stat(_cohort(text).disease_duration) == want


@pytest.mark.parametrize("text,want", [
    ("A total of 80 patients were enrolled (median 4.0 [IQR 1.1–9.5] years since diagnosis), and median 24-h proteinuria was 2 g.",
     ("median", 4.0, ("iqr", None, 1.1, 9.5))),
    ("A total of 80 patients were enrolled; median 3.5 years (IQR 1.0–7.5) since diagnosis, and 24-h proteinuria 2 g.",
     ("median", 3.5, ("iqr", None, 1.0, 7.5))),
    ("A total of 80 patients were enrolled; mean 6.2 (SD 3.1) years from onset; 24-h protein 2 g.", ("mean", 6.2, ("sd", 3.1, None, None))),
    ("A total of 80 patients were enrolled; mean 9.0 months [SD 4.4] since renal biopsy; 24-h protein 2 g.", ("mean", 9.0, ("sd", 4.4, None, None))),
    ("A total of 45 patients were enrolled; median 2 [range 1–6] years since LN diagnosis, with 12-h urine collections.",
     ("median", 2.0, ("range", None, 1.0, 6.0))),
])
def test_duration_spread_written_before_or_inside_the_cue(text, want):
    assert _stat(_cohort(text).disease_duration) == want
