"""Arms whose sizes are not written beside a randomisation verb: "(A, n = 24; B, n = 12)" asides,
subgroup columns of a baseline table (summed only when they add up to the randomised total),
registry results tables ("Arm/Group Title" columns and a "STARTED" row), and the report's own
population in extension studies and pooled analyses (the parent trial's sizes are context)."""

from __future__ import annotations

import pytest

from extractor.extract.arms import extract_arms
from extractor.extract.cohort import extract_cohort
from extractor.extract.design import extract_design
from extractor.extract.run import build_context
from extractor.ingest.load import load
from extractor.records import Document


def _run(text: str, tmp_path=None, name: str = "t.txt"):
    if tmp_path is not None:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        ctx = build_context(load(str(path))[0])
    else:
        ctx = build_context(Document(path=name, sha256="", kind="text", text=text))
    extract_design(ctx)
    arms = extract_arms(ctx)
    return arms, extract_cohort(ctx)


def _got(text: str, tmp_path=None, name: str = "t.txt"):
    arms, _ = _run(text, tmp_path, name)
    return sorted((a.label, a.n) for a in arms)


@pytest.mark.parametrize("text,want", [
    ("A randomised, placebo-controlled trial. Thirty patients were randomised (drug Q, n = 20; placebo, n = 10); 25 were women.",
     [("drug Q", 20), ("placebo", 10)]),
    ("A randomised trial. In total 45 adults were randomized (MMF, n=23; azathioprine, n=22) and followed for a year.",
     [("MMF", 23), ("azathioprine", 22)]),
    ("A double-blind randomised trial. 61 participants were randomly assigned (tacrolimus, n = 31; placebo, n = 30).",
     [("placebo", 30), ("tacrolimus", 31)]),
    ("A randomised trial. Forty patients were allocated (rituximab, n = 21; cyclophosphamide, n = 19).",
     [("cyclophosphamide", 19), ("rituximab", 21)]),
    ("A randomised controlled trial. 90 patients were randomised (low dose, n = 30; high dose, n = 30; placebo, n = 30).",
     [("high dose", 30), ("low dose", 30), ("placebo", 30)]),
])
def test_sizes_after_a_comma_in_a_parenthesised_list(text, want):
    assert _got(text) == want


SUBGROUP_TABLE = """A randomised, placebo-controlled trial.

Methods
{n} adults were randomised 1:1 to drug K or placebo on top of standard therapy, stratified by background regimen.

Results
Table 1. Baseline by background regimen
Characteristic\tMMF, drug K (n = {a})\tMMF, placebo (n = {b})\tAZA, drug K (n = {c})\tAZA, placebo (n = {d})
Age, years\t33 (10)\t34 (11)\t35 (9)\t32 (10)
"""


@pytest.mark.parametrize("a,b,c,d", [(164, 162, 58, 62), (40, 41, 20, 19), (100, 98, 12, 15), (7, 8, 9, 10), (55, 50, 45, 50)])
def test_subgroup_columns_sum_to_the_arm_size(a, b, c, d, tmp_path):
    text = SUBGROUP_TABLE.format(n=a + b + c + d, a=a, b=b, c=c, d=d)
    assert _got(text, tmp_path) == [("drug K", a + c), ("placebo", b + d)]


def test_subgroup_columns_that_miss_the_total_give_no_size(tmp_path):
    text = SUBGROUP_TABLE.format(n=999, a=10, b=11, c=12, d=13)
    assert all(n != 10 for _, n in _got(text, tmp_path))


REGISTRY = """# Study Results: trial

Study type: Interventional · Allocation: Randomized

## Participant Flow

| Arm/Group Title | {l1} | {l2} |
|---|---|---|
| Arm/Group Description | first | second |
| {started} | {a} | {b} |
| COMPLETED | {ca} | {cb} |

## Baseline Characteristics

| Arm/Group Title | {l1} | {l2} | Total |
|---|---|---|---|
| Overall Number of Baseline Participants | {a} | {b} | {t} |
| Female | 10 (50%) | 11 (50%) | 21 (50%) |
"""


@pytest.mark.parametrize("l1,l2,a,b,started", [
    ("Placebo + MMF", "Rituximab + MMF", 73, 71, "STARTED"),
    ("Drug X 10 mg", "Placebo", 40, 42, "Started"),
    ("Abatacept", "Placebo", 134, 64, "STARTED"),
    ("Tacrolimus", "Cyclophosphamide", 30, 31, "Randomized"),
    ("Placebo", "Belimumab", 220, 223, "STARTED"),
])
def test_registry_results_arm_columns_and_started_row(l1, l2, a, b, started, tmp_path):
    text = REGISTRY.format(l1=l1, l2=l2, a=a, b=b, started=started, ca=a - 3, cb=b - 2, t=a + b)
    arms, cohort = _run(text, tmp_path, "r.md")
    assert sorted((x.label, x.n) for x in arms) == sorted([(l1, a), (l2, b)])
    assert cohort is not None and cohort.n == a + b


@pytest.mark.parametrize("text,want,n", [
    ("Of 125 patients randomised in the parent trial (63 drug R, 62 placebo), 97 entered the extension: "
     "51 from the drug R group and 46 from the placebo group.", [("drug R", 51), ("placebo", 46)], 97),
    ("The parent study randomised 200 patients (101 to belimumab and 99 to placebo). Of these, 150 continued into the "
     "open-label extension, 80 from the belimumab group and 70 from the placebo group.", [("belimumab", 80), ("placebo", 70)], 150),
    ("In the core trial 90 patients were randomised to tacrolimus or MMF. Sixty rolled over into the extension: "
     "32 from the tacrolimus arm and 28 from the MMF arm.", [("MMF", 28), ("tacrolimus", 32)], 60),
    ("Two randomised trials randomised 300 and 310 patients to drug V or placebo. The pooled population comprised "
     "610 patients: pooled drug V (n = 306) and pooled placebo (n = 304).", [("pooled drug V", 306), ("pooled placebo", 304)], 610),
    ("Trial 1 randomised 120 patients to anifrolumab and 118 to placebo; Trial 2 randomised 121 and 119. The combined "
     "analysis set included 479 patients: anifrolumab (n = 241) and placebo (n = 238).", [("anifrolumab", 241), ("placebo", 238)], 479),
])
def test_extension_and_pooled_population_arms(text, want, n):
    arms, cohort = _run("A randomised, double-blind, placebo-controlled trial.\n" + text)
    assert sorted((a.label, a.n) for a in arms) == want
    assert cohort is not None and cohort.n == n


def test_extension_sizes_that_do_not_add_up_are_not_arms():
    arms, _ = _run("A randomised trial.\nOf 125 patients randomised (63 to drug R and 62 to placebo), 97 entered the extension: "
                   "40 from the drug R group and 46 from the placebo group.")
    assert all(a.n not in (40, 46) for a in arms)


@pytest.mark.parametrize("text,want", [
    ("A randomised trial of drug R. Of 125 patients randomised (63 drug R, 62 placebo), all were analysed.",
     [("drug R", 63), ("placebo", 62)]),
    ("A randomised trial. In total, 80 patients were randomized (41 to tacrolimus and 39 to MMF).",
     [("MMF", 39), ("tacrolimus", 41)]),
    ("A randomised trial. 90 patients were randomised (45 rituximab; 45 placebo).", [("placebo", 45), ("rituximab", 45)]),
    ("A double-blind trial. Of the 151 participants randomly assigned (76 belimumab, 75 placebo), 140 completed.",
     [("belimumab", 76), ("placebo", 75)]),
    ("A randomised trial. 60 patients were allocated (31 patients to cyclosporine and 29 patients to azathioprine).",
     [("azathioprine", 29), ("cyclosporine", 31)]),
])
def test_sizes_before_labels_in_a_parenthesised_list(text, want):
    assert _got(text) == want


def test_parenthesised_sizes_that_miss_the_total_are_not_arms():
    assert all(n not in (30, 20) for _, n in _got("A randomised trial. 90 patients were randomised (30 drug A, 20 placebo).") if n)


@pytest.mark.parametrize("label,l1,l2,a,b", [
    ("n", "Drug A", "Placebo", 40, 41),
    ("N", "Tacrolimus", "MMF", 33, 32),
    ("No. of patients", "Rituximab", "Cyclophosphamide", 20, 21),
    ("Number of patients", "Voclosporin", "Placebo", 179, 178),
    ("Number of participants", "Abatacept", "Placebo", 134, 64),
])
def test_count_row_of_a_baseline_table_without_sizes_in_the_header(label, l1, l2, a, b, tmp_path):
    text = (f"# Trial\n\nA randomised trial.\n\n| Characteristic | {l1} | {l2} |\n|---|---|---|\n| {label} | {a} | {b} |\n"
            "| Age, years | 33 (9) | 34 (10) |\n")
    arms, _ = _run(text, tmp_path, "b.md")
    assert sorted((x.label, x.n) for x in arms) == sorted([(l1, a), (l2, b)])
