"""LN classes in report styles the first extractor missed (invented wordings, full pipeline):

* counts with the classification system's criteria named beside them ("(WHO criteria)") are not
  eligibility statements;
* per-patient tables whose class header follows a caption row, per-patient listings and prose
  ("Patient 1, a 24-year-old woman with class IV-G (A/C) ...") are counted per class;
* class rows of a table flattened into running text ("Biopsy class, n (%) III 8 (20.0) 9 (22.0) IV ...").
"""

from __future__ import annotations

import pytest

from extractor.extract.run import extract_document
from extractor.ingest.load import load


def _classes(tmp_path, text: str, suffix: str = ".txt"):  # type: ignore[no-untyped-def]
    path = tmp_path / f"report{suffix}"
    path.write_text(text, encoding="utf-8")
    record = extract_document(load(path)[0])
    for c in record.ln_classes:
        assert c.evidence is not None and c.evidence.rule.startswith("ln_class.")
    return sorted(((c.class_, c.activity, c.n, c.arm) for c in record.ln_classes), key=_key)


def _key(item):  # type: ignore[no-untyped-def]
    return tuple(str(x) for x in item)


TWO_ARM = "Title: {t}\n\nMethods\nPatients with lupus nephritis were randomised to {a} (n = {n1}) or {b} (n = {n2}).\n{s}\n"


# --- "(WHO criteria)" beside the enrolled distribution is not an eligibility statement ----------

@pytest.mark.parametrize("drugs,sentence,want", [
    (("low-dose", "high-dose", 30, 30),
     "Renal biopsy showed class IV-G (A/C) in 22 patients, class III (A) in 18, class V in 8 and class IV+V in 12 (ISN/RPS 2003 criteria).",
     [("III", "A", 18, None), ("IV+V", None, 12, None), ("IV-G", "A/C", 22, None), ("V", None, 8, None)]),
    (("mycophenolate", "azathioprine", 40, 40),
     "Biopsies read by WHO criteria showed WHO class IVc in 35 patients, WHO class IIIb in 20, class Vb in 5 and class IV ± V in 20.",
     [("III", "A/C", 20, None), ("IV", None, 20, None), ("IV", "A/C", 35, None), ("V", None, 5, None)]),
    (("tacrolimus", "cyclophosphamide", 25, 25),
     "Histology (World Health Organization criteria): class III in 11 patients, class IV in 30 and class III+V in 9.",
     [("III", None, 11, None), ("III+V", None, 9, None), ("IV", None, 30, None)]),
    (("rituximab", "placebo", 45, 45),
     "By the ISN/RPS classification criteria, class IV-S (A) was found in 41 patients, class IV-G (A) in 39 and class V in 10.",
     [("IV-G", "A", 39, None), ("IV-S", "A", 41, None), ("V", None, 10, None)]),
    (("voclosporin", "placebo", 50, 50),
     "Class III+V in 14 patients, class IV+V in 16 and class IV in 70 (histological criteria of the 2018 revision).",
     [("III+V", None, 14, None), ("IV", None, 70, None), ("IV+V", None, 16, None)]),
])
def test_classification_criteria_are_not_eligibility(tmp_path, drugs, sentence, want):
    a, b, n1, n2 = drugs
    text = TWO_ARM.format(t="A lupus nephritis trial", a=a, b=b, n1=n1, n2=n2, s=sentence)
    assert _classes(tmp_path, text) == sorted(want, key=_key)


@pytest.mark.parametrize("sentence", [
    "Patients with class III or IV LN were eligible (WHO criteria).",
    "Inclusion criteria: ISN/RPS class IV-G (A/C) in the last 6 months, by ISN/RPS 2003 criteria.",
    "Patients were required to have class III (A) or IV (A) lupus nephritis by WHO criteria.",
    "Exclusion criteria were class VI or class V alone (ISN/RPS criteria).",
    "Eligibility: biopsy-proven class III ± V or IV ± V (World Health Organization criteria).",
])
def test_eligibility_with_system_criteria_still_gives_no_classes(tmp_path, sentence):
    text = TWO_ARM.format(t="A lupus nephritis trial", a="drug", b="placebo", n1=20, n2=20, s=sentence)
    assert _classes(tmp_path, text) == []


# --- per-patient tables, listings and prose ----------------------------------------------------

PER_PATIENT_TABLES = [
    ("Table 2  Patients\nCase  Age/sex  Biopsy (ISN/RPS)   Treatment before   Outcome\n"
     "1     29/F     IV-G (A/C)         MMF                CR\n2     35/F     III (A) + V        CYC                PR\n"
     "3     22/M     IV-G (A/C)         MMF, CYC           CR\n4     40/F     V                  TAC                NR\n",
     [("III+V", "A", 1, None), ("IV-G", "A/C", 2, None), ("V", None, 1, None)]),
    ("Table 2 Characteristics of each patient\nNo.  Age (y)  Sex  WHO class  Previous treatment  Outcome\n"
     "1    34       F    IVc        CYC                 CR\n2    27       F    IIIb       MMF                 PR\n"
     "3    45       M    Vb         CYC, AZA            NR\n4    19       F    IVc        MMF                 CR\n",
     [("III", "A/C", 1, None), ("IV", "A/C", 2, None), ("V", None, 1, None)]),
    ("Table 1  Individual data (proteinuria in g/day)\nPt  Sex/age  ISN/RPS class   Prior therapy   UP 0 -> 12 mo\n"
     "1   M/44     IV-S (A)        CYC             4.1 -> 0.9\n2   F/23     IV-S (A)        MMF             2.2 -> 0.4\n"
     "3   F/30     III (A/C)       CYC, MMF        3.0 -> 2.7\n4   F/51     V               TAC             6.2 -> 1.1\n"
     "5   F/38     IV-G (A)        MMF             2.8 -> 0.3\n",
     [("III", "A/C", 1, None), ("IV-G", "A", 1, None), ("IV-S", "A", 2, None), ("V", None, 1, None)]),
    ("Table 3  Baseline by patient\nPatient  Age  Histological class  SLEDAI  Response\n"
     "1        17   III+V               12      CR\n2        25   IV+V                16      NR\n"
     "3        33   IV+V                14      PR\n",
     [("III+V", None, 1, None), ("IV+V", None, 2, None)]),
    ("Table 1  Listing of treated patients (n = 4)\nID  Sex  Age  Renal pathology (ISN/RPS 2018)  Dose\n"
     "1   F    26   IV-G (A/C)                     2 x 10^6/kg\n2   F    31   IV-G (A/C) + V                 2 x 10^6/kg\n"
     "3   M    40   III (A)                        1 x 10^6/kg\n4   F    22   IV-G (A/C)                     1 x 10^6/kg\n",
     [("III", "A", 1, None), ("IV+V", "A/C", 1, None), ("IV-G", "A/C", 2, None)]),
]


@pytest.mark.parametrize("table,want", PER_PATIENT_TABLES)
def test_per_patient_table_under_a_caption_row(tmp_path, table, want):
    text = ("Stem cells and biologics in refractory lupus nephritis: a case series\n\nResults\n"
            "All treated patients are listed below.\n\n" + table)
    assert _classes(tmp_path, text) == sorted(want, key=_key)


PROSE = [
    ("Patient 1: woman, 29 years, ISN/RPS class IV-S (A), proteinuria 3.1 g/day.\nPatient 2: man, 41 years, class V, proteinuria 5.0 g/day.\n"
     "Patient 3: woman, 23 years, class III (A/C) ± V, proteinuria 2.2 g/day.\nPatient 4: woman, 35 years, class IV-G (A/C), proteinuria 4.4 g/day.\n"
     "Patient 5: woman, 30 years, class IV-S (A), proteinuria 1.9 g/day.\n",
     [("III", "A/C", 1, None), ("IV-G", "A/C", 1, None), ("IV-S", "A", 2, None), ("V", None, 1, None)]),
    ("Case 1 was a 17-year-old girl with ISN/RPS class IV-G (A) lupus nephritis and nephrotic syndrome.\n\n"
     "Case 2, a 44-year-old man, had biopsy-proven class III+V disease.\n\nCase 3 was a 26-year-old woman; her biopsy showed class V.\n",
     [("III+V", None, 1, None), ("IV-G", "A", 1, None), ("V", None, 1, None)]),
    ("1. F, 31 y, class IV-S (A), CR at 12 months\n2. M, 27 y, class III ± V, PR at 12 months\n"
     "3. F, 45 y, class IV-S (A), NR\n4. F, 19 y, class V, CR at 12 months\n",
     [("III", None, 1, None), ("IV-S", "A", 2, None), ("V", None, 1, None)]),
    ("**Case 1.** A 33-year-old woman presented with nephrotic syndrome. Kidney biopsy showed ISN/RPS class IV-G (A) lupus nephritis.\n\n"
     "**Case 2.** A 52-year-old man with class III+V lupus nephritis had failed mycophenolate.\n\n"
     "**Case 3.** A 19-year-old woman had WHO class IVc disease.\n",
     [("III+V", None, 1, None), ("IV", "A/C", 1, None), ("IV-G", "A", 1, None)]),
    ("Patient 1 was a 41-year-old woman. Her kidney biopsy showed ISN/RPS class IV-S (A/C).\n\n"
     "Patient 2 was a 23-year-old woman. Biopsy: class IV-S (A/C).\n\nPatient 3 was a 35-year-old man. Biopsy: WHO class Vb.\n",
     [("IV-S", "A/C", 2, None), ("V", None, 1, None)]),
    ("- Patient no. 1: F/36, class IV-G (A/C) + V, relapsing.\n- Patient no. 2: M/28, class III (A).\n- Patient no. 3: F/19, class III (A).\n",
     [("III", "A", 2, None), ("IV+V", "A/C", 1, None)]),
]


@pytest.mark.parametrize("body,want", PROSE)
def test_per_patient_prose_and_listings(tmp_path, body, want):
    text = "# Rituximab then belimumab in refractory lupus nephritis: a case series\n\n## Cases\n\n" + body
    assert _classes(tmp_path, text, ".md") == sorted(want, key=_key)


@pytest.mark.parametrize("body,want", [
    # two classes for one patient (a repeat biopsy): that patient is not counted
    ("Patient 1, a 24-year-old woman, had class IV-G (A/C) on the first biopsy and class V at repeat biopsy.\n\n"
     "Patient 2 was a 30-year-old man with class III (A) lupus nephritis.\n", [("III", "A", 1, None)]),
    # a summary of the classes wins over the patients described one by one
    ("Overall, class IV was present in 4 patients and class V in 2.\n\nPatient 1 was a 41-year-old woman with class IV-S (A/C).\n",
     [("IV", None, 4, None), ("V", None, 2, None)]),
    # no patient lead: a sentence about the cohort is not one patient
    ("Most women had class IV-G (A/C) disease.\n", []),
    # a numbered sentence about women in general is not a patient lead
    ("3. Women with class V were older.\n", []),
    # eligibility named beside a patient
    ("Patient 1, a 22-year-old woman with class IV LN, was eligible for the trial.\n", []),
])
def test_per_patient_prose_traps(tmp_path, body, want):
    text = "# Rituximab in lupus nephritis: a case series\n\n" + body
    assert _classes(tmp_path, text, ".md") == sorted(want, key=_key)


# --- class rows of a table flattened into text ---------------------------------------------------

FLAT_ARMS = "Belimumab in lupus nephritis\n\nMETHODS: Patients with lupus nephritis were randomised to belimumab (n = 50) or placebo (n = 50).\n\n"


@pytest.mark.parametrize("block,want", [
    ("Table 1 Baseline Characteristic Belimumab (n = 50) Placebo (n = 50) Age, years 33.1 ± 9.8 34.0 ± 10.2 ISN/RPS class, n (%) "
     "III 10 (20.0) 12 (24.0) IV-G (A/C) 25 (50.0) 24 (48.0) IV+V 10 (20.0) 9 (18.0) V 5 (10.0) 5 (10.0) eGFR, mL/min 88 ± 20 90 ± 22",
     [("III", None, 10, "A1"), ("III", None, 12, "A2"), ("IV+V", None, 9, "A2"), ("IV+V", None, 10, "A1"),
      ("IV-G", "A/C", 24, "A2"), ("IV-G", "A/C", 25, "A1"), ("V", None, 5, "A1"), ("V", None, 5, "A2")]),
    ("Table 1 Baseline Belimumab (n = 50) Placebo (n = 50) Total (n = 100) Biopsy class, n III 16 18 34 IV 24 22 46 III+V 10 10 20 "
     "Proteinuria, g/day 3.1 ± 1.2 3.4 ± 1.5 3.2 ± 1.3",
     [("III", None, 16, "A1"), ("III", None, 18, "A2"), ("III+V", None, 10, "A1"), ("III+V", None, 10, "A2"),
      ("IV", None, 22, "A2"), ("IV", None, 24, "A1")]),
    ("Table 1 Baseline WHO class, no. (%) IVc 30 (60.0) 28 (56.0) IIIb 15 (30.0) 17 (34.0) Vb 5 (10.0) 5 (10.0) Serum creatinine 1.1 ± 0.3",
     [("III", "A/C", 15, "A1"), ("III", "A/C", 17, "A2"), ("IV", "A/C", 28, "A2"), ("IV", "A/C", 30, "A1"), ("V", None, 5, "A1"), ("V", None, 5, "A2")]),
    ("Table 1 Histological class (ISN/RPS 2003) III ± V 12 (24.0) 14 (28.0) IV ± V 38 (76.0) 36 (72.0) Anti-dsDNA positive 40 (80.0) 41 (82.0)",
     [("III", None, 12, "A1"), ("III", None, 14, "A2"), ("IV", None, 36, "A2"), ("IV", None, 38, "A1")]),
    ("Table 1 Baseline Renal biopsy class: IV-G (A/C) 20 (40.0) 21 (42.0) IV-S (A) 10 (20.0) 9 (18.0) III (A) 20 (40.0) 20 (40.0) C3, g/L 0.6 ± 0.2",
     [("III", "A", 20, "A1"), ("III", "A", 20, "A2"), ("IV-G", "A/C", 20, "A1"), ("IV-G", "A/C", 21, "A2"),
      ("IV-S", "A", 9, "A2"), ("IV-S", "A", 10, "A1")]),
])
def test_flattened_class_rows(tmp_path, block, want):
    assert _classes(tmp_path, FLAT_ARMS + "RESULTS: " + block + "\n") == sorted(want, key=_key)


@pytest.mark.parametrize("text", [
    # percentages that do not fit the arms in the order they were named
    FLAT_ARMS + "RESULTS: Table 1 Baseline class, n (%) III 10 (40.0) 12 (24.0) IV 40 (50.0) 38 (76.0)\n",
    # three values per row but two arms and no total column
    FLAT_ARMS + "RESULTS: Table 1 Baseline Biopsy class, n III 16 18 34 IV 24 22 46 Proteinuria 3.1\n",
    # arms unknown: several values per class row cannot be attributed (and are not read as prose counts)
    "Rituximab in lupus nephritis\n\nRESULTS: Table 1 Baseline Biopsy class, n III 6 8 14 IV 20 19 39 III+V 4 3 7 Proteinuria, g/day 3.1\n",
])
def test_flattened_class_rows_traps(tmp_path, text):
    assert _classes(tmp_path, text) == []


# --- "class IV in 64 patients, class III in 16" and its word orders (unattributed in a two-arm trial) --

@pytest.mark.parametrize("sentence,want", [
    ("Class IV lupus nephritis was diagnosed in 64 patients, class III in 16 and mixed class III+V in 10.",
     [("III", None, 16, None), ("III+V", None, 10, None), ("IV", None, 64, None)]),
    ("Class IV-G (A/C) lesions were observed in 33 patients and class V in 12.",
     [("IV-G", "A/C", 33, None), ("V", None, 12, None)]),
    ("WHO class IVc was identified in 40 patients and WHO class IIIb in 50.",
     [("III", "A/C", 50, None), ("IV", "A/C", 40, None)]),
    ("Class IV-S (A) ± V was confirmed in 21 cases, class III (A) in 9.",
     [("III", "A", 9, None), ("IV-S", "A", 21, None)]),
    ("Histology: class IV in 58 patients; class III in 20; class V + III in 7; class V + IV in 5.",
     [("III", None, 20, None), ("III+V", None, 7, None), ("IV", None, 58, None), ("IV+V", None, 5, None)]),
    ("At entry, 44 patients had class IV, 26 class III, 12 class IV+V and 8 class III+V lupus nephritis.",
     [("III", None, 26, None), ("III+V", None, 8, None), ("IV", None, 44, None), ("IV+V", None, 12, None)]),
])
def test_class_counts_in_prose_two_arm_trial(tmp_path, sentence, want):
    text = TWO_ARM.format(t="Ten-year follow-up in lupus nephritis", a="low-dose", b="high-dose", n1=45, n2=45, s=sentence)
    assert _classes(tmp_path, text) == sorted(want, key=_key)


# --- the enrolled set as the subject of a distribution is not an eligibility statement ----------

@pytest.mark.parametrize("sentence,want", [
    ("Of the 90 eligible patients, 64 had class IV, 16 class III and 10 class V.",
     [("III", None, 16, None), ("IV", None, 64, None), ("V", None, 10, None)]),
    ("Among the 80 patients who met the inclusion criteria, class IV was found in 50 and class III in 30.",
     [("III", None, 30, None), ("IV", None, 50, None)]),
    ("Of the seventy included patients, class IV-G (A/C) was present in 40 and class III (A) in 30.",
     [("III", "A", 30, None), ("IV-G", "A/C", 40, None)]),
    ("Patients who fulfilled the eligibility criteria had class IV in 38 cases and class III+V in 12.",
     [("III+V", None, 12, None), ("IV", None, 38, None)]),
    ("Among all 50 randomised participants, WHO class IVc was seen in 35 and WHO class Vb in 15.",
     [("IV", "A/C", 35, None), ("V", None, 15, None)]),
])
def test_enrolled_set_subject_is_not_eligibility(tmp_path, sentence, want):
    text = TWO_ARM.format(t="A lupus nephritis trial", a="drug", b="placebo", n1=45, n2=45, s=sentence)
    assert _classes(tmp_path, text) == sorted(want, key=_key)


@pytest.mark.parametrize("header,rows,want", [
    ("Belimumab (n = 50) Placebo (n = 50) Total (n = 100) Biopsy class, n", "III 16 18 34 IV 24 22 46 V 10 10 20",
     [("III", 16, "A1"), ("III", 18, "A2"), ("IV", 22, "A2"), ("IV", 24, "A1"), ("V", 10, "A1"), ("V", 10, "A2")]),
    ("Belimumab (n = 50) Placebo (n = 50) Overall (N = 100) ISN/RPS class, n (%)", "IV-G (A/C) 30 (60.0) 26 (52.0) 56 (56.0) III (A) 20 (40.0) 24 (48.0) 44 (44.0)",
     [("III", 20, "A1"), ("III", 24, "A2"), ("IV-G", 26, "A2"), ("IV-G", 30, "A1")]),
    ("Belimumab Placebo All patients Class (WHO), n", "IVc 35 33 68 IIIb 15 17 32",
     [("III", 15, "A1"), ("III", 17, "A2"), ("IV", 33, "A2"), ("IV", 35, "A1")]),
    ("Belimumab Placebo Total Histological class, n", "III+V 5 6 11 IV+V 7 4 11 IV 38 40 78",
     [("III+V", 5, "A1"), ("III+V", 6, "A2"), ("IV", 38, "A1"), ("IV", 40, "A2"), ("IV+V", 4, "A2"), ("IV+V", 7, "A1")]),
    ("Belimumab (n = 50) Placebo (n = 50) Total (n = 100) Renal biopsy class, n (%)", "III ± V 12 (24.0) 14 (28.0) 26 (26.0) IV ± V 38 (76.0) 36 (72.0) 74 (74.0)",
     [("III", 12, "A1"), ("III", 14, "A2"), ("IV", 36, "A2"), ("IV", 38, "A1")]),
])
def test_flattened_class_rows_with_a_total_column(tmp_path, header, rows, want):
    text = FLAT_ARMS + f"RESULTS: Table 1 Baseline {header} {rows} Proteinuria, g/day 3.1 ± 1.2 3.4 ± 1.5 3.2 ± 1.3\n"
    got = [(c, n, arm) for c, _, n, arm in _classes(tmp_path, text)]
    assert got == sorted(want, key=_key)


@pytest.mark.parametrize("text,suffix,want", [
    ("Rituximab in refractory lupus nephritis\n\nResults\nTable 1. Patient characteristics\nPatient\tAge\tSex\tClass (ISN/RPS)\tOutcome\n"
     "1\t24\tF\tIV-G (A/C)\tCR\n2\t31\tF\tV\tPR\n3\t28\tM\tIV-G (A/C)\tNR\n", ".txt",
     [("IV-G", "A/C", 2, None), ("V", None, 1, None)]),
    ("# Rituximab in refractory lupus nephritis\n\n**Table 1.** Clinical data of the patients\n\n| Patient | Age (years) | Sex | ISN/RPS class | Response |\n"
     "|---|---|---|---|---|\n| 1 | 24 | F | IV-S (A) | CR |\n| 2 | 31 | F | III (A/C) + V | PR |\n| 3 | 28 | M | IV-S (A) | NR |\n| 4 | 44 | F | V | CR |\n", ".md",
     [("III+V", "A/C", 1, None), ("IV-S", "A", 2, None), ("V", None, 1, None)]),
    ("# Rituximab in refractory lupus nephritis\n\n| Individual patient data | | | |\n|---|---|---|---|\n| Patient | Sex/age | Biopsy class | Response |\n"
     "| 1 | F/24 | IV-G (A/C) | CR |\n| 2 | F/31 | IV-G (A/C) | PR |\n| 3 | M/28 | III ± V | NR |\n", ".md",
     [("III", None, 1, None), ("IV-G", "A/C", 2, None)]),
    # a column named like a class column whose cells are not classes: nothing
    ("# Rituximab in refractory lupus nephritis\n\n| Patient | Age | Months since biopsy | Response |\n|---|---|---|---|\n"
     "| 1 | 24 | 6 | CR |\n| 2 | 31 | 4 | PR |\n| 3 | 28 | 5 | NR |\n", ".md", []),
])
def test_per_patient_table_formats(tmp_path, text, suffix, want):
    assert _classes(tmp_path, text, suffix) == sorted(want, key=_key)


# --- "class III/IV/V: 12/30/8" ------------------------------------------------------------------

@pytest.mark.parametrize("sentence,want", [
    ("Class III/IV/V: 12/30/8.", [("III", 12), ("IV", 30), ("V", 8)]),
    ("ISN/RPS classes III/IV/V were 5/20/3 in the study population.", [("III", 5), ("IV", 20), ("V", 3)]),
    ("Biopsy classes II/III/IV/V, n = 2/10/25/6.", [("II", 2), ("III", 10), ("IV", 25), ("V", 6)]),
    ("Class IV/III/V in 18/9/4 patients.", [("III", 9), ("IV", 18), ("V", 4)]),
    ("The class distribution (V/IV/III) was 7/41/22 (10/59/31%).", [("III", 22), ("IV", 41), ("V", 7)]),
])
def test_slash_class_lists(tmp_path, sentence, want):
    text = TWO_ARM.format(t="A lupus nephritis trial", a="drug", b="placebo", n1=35, n2=35, s=sentence)
    assert [(c, n) for c, _, n, _ in _classes(tmp_path, text)] == sorted(want, key=_key)


@pytest.mark.parametrize("sentence", [
    "The class distribution (III/IV/V) was 12/30/8 in the drug group vs 10/32/8 in the placebo group.",
    "Classes III/IV/V: 12/30/8 and 11/31/8, respectively.",
    "Class III/IV/V proportions were 12.5/30/8.",
    "Class III/IV/V: 12/30 patients.",
    "Patients with class III/IV/V were eligible (12/30/8 centres).",
])
def test_slash_class_list_traps(tmp_path, sentence):
    text = TWO_ARM.format(t="A lupus nephritis trial", a="drug", b="placebo", n1=35, n2=35, s=sentence)
    assert _classes(tmp_path, text) == []


@pytest.mark.parametrize("sentence", [
    "Class IV lupus nephritis was diagnosed in 2010 in the index patient's sister.",
    "The first case of class V nephritis was identified in 1998.",
    "Class III was confirmed in 2015 by a second biopsy.",
    "Class IV-G (A/C) lesions were documented in 2019 and again in 2021.",
    "WHO class IVc disease was observed in 2004.",
])
def test_a_year_after_a_class_is_not_a_count(tmp_path, sentence):
    text = TWO_ARM.format(t="A lupus nephritis trial", a="drug", b="placebo", n1=35, n2=35, s=sentence)
    assert all(n is None or n < 1900 for _, _, n, _ in _classes(tmp_path, text))
