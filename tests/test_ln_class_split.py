"""LN class counts split per arm (invented wordings, full pipeline):

* a parenthesis after a class count that splits it per arm, by label or in arm order, or "n in each arm";
* a count wrapped onto the next line of a hard-wrapped paragraph ("III+V in" / "42 (20 and 22)");
* a percent pair after a class ("class IV disease (56.8 v. 43.2 per cent)") is not a count;
* classes packed into one cell ("Class III / IV / V, n" over "10 / 26 / 7"), arms as rows or columns;
* a result table by class subgroup ("Class III | CRR | 6/19 | 7/19") gives no class counts;
* an arm heading the sentence ("Control group: ...; pathological type: type III 15 cases").
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
    return sorted(((c.class_, c.n, c.arm) for c in record.ln_classes), key=lambda x: tuple(str(v) for v in x))


def _sorted(items):  # type: ignore[no-untyped-def]
    return sorted(items, key=lambda x: tuple(str(v) for v in x))


TWO_ARM = ("Title: A lupus nephritis trial\n\nMethods\nPatients with lupus nephritis were randomised to {a} (n = {n1}) "
           "or {b} (n = {n2}).\n\nResults\n{s}\n")
THREE_ARM = ("Title: A lupus nephritis trial\n\nMethods\nPatients with lupus nephritis were randomised to {a} (n = {n1}), "
             "{b} (n = {n2}) or {c} (n = {n3}).\n\nResults\n{s}\n")


@pytest.mark.parametrize("arms,sentence,want", [
    (("tacrolimus", "cyclophosphamide", 30, 28),
     "Biopsies showed class III in 21 patients (tacrolimus 11, cyclophosphamide 10) and class IV in 37 (tacrolimus 19, cyclophosphamide 18).",
     [("III", 21, None), ("III", 11, "A1"), ("III", 10, "A2"), ("IV", 37, None), ("IV", 19, "A1"), ("IV", 18, "A2")]),
    (("voclosporin", "placebo", 60, 61),
     "Class IV was found in 70 patients (36 voclosporin, 34 placebo), and class V in 25 (12 voclosporin, 13 placebo).",
     [("IV", 70, None), ("IV", 36, "A1"), ("IV", 34, "A2"), ("V", 25, None), ("V", 12, "A1"), ("V", 13, "A2")]),
    (("abatacept", "placebo", 45, 44),
     "Biopsy classes were III in 30 patients (16 and 14), IV in 48 (24 and 24) and IV+V in 11 (5 and 6).",
     [("III", 30, None), ("III", 16, "A1"), ("III", 14, "A2"), ("IV", 48, None), ("IV", 24, "A1"), ("IV", 24, "A2"),
      ("IV+V", 11, None), ("IV+V", 5, "A1"), ("IV+V", 6, "A2")]),
    (("rituximab", "placebo", 50, 50),
     "Class III was present in 26 patients (13 in each arm) and class IV + V in 12 (6 per group).",
     [("III", 26, None), ("III", 13, "A1"), ("III", 13, "A2"), ("IV+V", 12, None), ("IV+V", 6, "A1"), ("IV+V", 6, "A2")]),
    (("obinutuzumab", "placebo", 40, 41),
     "There were 15 patients with class III + V (obinutuzumab 8; placebo 7) and class IV in 50 (placebo 26, obinutuzumab 24).",
     [("III+V", 15, None), ("III+V", 8, "A1"), ("III+V", 7, "A2"), ("IV", 50, None), ("IV", 24, "A1"), ("IV", 26, "A2")]),
    (("belimumab", "placebo", 70, 70),
     "Class IV was seen in 61 patients (31 [44.3%] vs 30 [42.9%]).",
     [("IV", 61, None), ("IV", 31, "A1"), ("IV", 30, "A2")]),
])
def test_class_count_split_per_arm(tmp_path, arms, sentence, want):
    a, b, n1, n2 = arms
    assert _classes(tmp_path, TWO_ARM.format(a=a, b=b, n1=n1, n2=n2, s=sentence)) == _sorted(want)


def test_three_arm_split_in_arm_order(tmp_path):
    text = THREE_ARM.format(a="placebo", b="low dose", c="high dose", n1=30, n2=31, n3=29,
                            s="Class IV was present in 45 patients (15, 16 and 14) and class III in 21 (7 in each arm).")
    assert _classes(tmp_path, text) == _sorted([("IV", 45, None), ("IV", 15, "A1"), ("IV", 16, "A2"), ("IV", 14, "A3"),
                                                ("III", 21, None), ("III", 7, "A1"), ("III", 7, "A2"), ("III", 7, "A3")])


@pytest.mark.parametrize("sentence,want", [
    ("Class IV was present in 40 patients (45% and 55%).", [("IV", 40, None)]),  # percents, not counts
    ("Class IV was present in 40 patients (21 and 22).", [("IV", 40, None)]),  # does not add up to the total
    ("Class III was present in 20 patients (95% CI 12 to 28).", [("III", 20, None)]),
    ("Class V was present in 18 patients (rituximab 9, cyclosporine 9).", [("V", 18, None)]),  # a label that is no arm
    ("Class III was present in 30 patients (15 and 10 and 5).", [("III", 30, None)]),  # more parts than arms
])
def test_parentheses_that_are_not_a_split(tmp_path, sentence, want):
    text = TWO_ARM.format(a="rituximab", b="placebo", n1=40, n2=40, s=sentence)
    assert _classes(tmp_path, text) == _sorted(want)


@pytest.mark.parametrize("sentence,want", [
    ("Biopsy classes were IV in 88 (45 and 43), III+V in\n20 (11 and 9) and V in 12 (6 and 6).",
     [("IV", 88, None), ("IV", 45, "A1"), ("IV", 43, "A2"), ("III+V", 20, None), ("III+V", 11, "A1"), ("III+V", 9, "A2"),
      ("V", 12, None), ("V", 6, "A1"), ("V", 6, "A2")]),
    ("The biopsy showed class III in 14 patients, class IV in\n33 and class V in 9.",
     [("III", 14, None), ("IV", 33, None), ("V", 9, None)]),
    ("Class IV lesions were found in\n27 patients, class III in 12.", [("IV", 27, None), ("III", 12, None)]),
    ("Pure class V was present in\n16 (8 in each group).", [("V", 16, None), ("V", 8, "A1"), ("V", 8, "A2")]),
    ("Class IV+V was seen among\n10 patients (drug 4, placebo 6).", [("IV+V", 10, None), ("IV+V", 4, "A1"), ("IV+V", 6, "A2")]),
])
def test_count_on_the_next_wrapped_line(tmp_path, sentence, want):
    text = TWO_ARM.format(a="drug", b="placebo", n1=44, n2=44, s=sentence)
    assert _classes(tmp_path, text) == _sorted(want)


@pytest.mark.parametrize("sentence", [
    "The benefit was largest in class IV disease (61.5 v. 38.5 per cent) and absent in class V.",
    "Response was higher in class III (45.2 vs 30.1) than in class IV.",
    "Class IV patients responded in 52.4 per cent with the drug.",
    "In class V disease (33.3 versus 25.0 per cent) the difference was small.",
    "Among class III+V (70.0 v. 66.7 per cent), results were similar.",
])
def test_percent_pairs_are_not_counts(tmp_path, sentence):
    text = TWO_ARM.format(a="drug", b="placebo", n1=44, n2=44, s=sentence)
    assert _classes(tmp_path, text) == []


@pytest.mark.parametrize("table,want", [
    ("| Group | n | Class III / IV / V, n | Age, years |\n|---|---|---|---|\n| Drug | 40 | 10 / 22 / 8 | 34 |\n| Placebo | 41 | 11 / 21 / 9 | 35 |\n",
     [("III", 10, "A1"), ("IV", 22, "A1"), ("V", 8, "A1"), ("III", 11, "A2"), ("IV", 21, "A2"), ("V", 9, "A2")]),
    ("| Arm | ISN/RPS class III/IV/III+V/IV+V, n |\n|---|---|\n| Placebo | 5/12/2/3 |\n| Drug | 6/11/3/2 |\n",
     [("III", 5, "A2"), ("IV", 12, "A2"), ("III+V", 2, "A2"), ("IV+V", 3, "A2"),
      ("III", 6, "A1"), ("IV", 11, "A1"), ("III+V", 3, "A1"), ("IV+V", 2, "A1")]),
    ("| Characteristic | Drug (n = 40) | Placebo (n = 41) |\n|---|---|---|\n| Class III / IV / V, n | 12 / 20 / 8 | 13 / 20 / 8 |\n",
     [("III", 12, "A1"), ("IV", 20, "A1"), ("V", 8, "A1"), ("III", 13, "A2"), ("IV", 20, "A2"), ("V", 8, "A2")]),
    ("| Group | Biopsy class: IV / V, n (%) |\n|---|---|\n| Drug | 30 (75.0) / 10 (25.0) |\n| Placebo | 29 (70.7) / 12 (29.3) |\n",
     [("IV", 30, "A1"), ("V", 10, "A1"), ("IV", 29, "A2"), ("V", 12, "A2")]),
    ("| Group | Classes III/IV | Women |\n|---|---|---|\n| Drug | 15/25 | 35 |\n| Placebo | 16/25 | 36 |\n",
     [("III", 15, "A1"), ("IV", 25, "A1"), ("III", 16, "A2"), ("IV", 25, "A2")]),
])
def test_packed_class_cells(tmp_path, table, want):
    text = TWO_ARM.format(a="drug", b="placebo", n1=40, n2=41, s="Table 1. Baseline characteristics\n\n" + table)
    assert _classes(tmp_path, text, ".md") == _sorted(want)


@pytest.mark.parametrize("rows", [
    "| Class III | CRR | 6/19 (31.6) | 7/19 (36.8) |\n| Class IV | CRR | 11/44 (25.0) | 13/44 (29.5) |\n",
    "| Class III | Complete response | 5/20 | 8/21 |\n| Class IV | Complete response | 12/40 | 9/38 |\n",
    "| Class IV | ORR | 25/44 (56.8) | 19/44 (43.2) |\n| Class V | ORR | 6/12 (50.0) | 6/12 (50.0) |\n",
    "| Class III/IV + V | PRR | 3/12 | 3/12 |\n| Class IV | PRR | 10/44 | 9/44 |\n",
    "| Class III | Relapse | 2/19 | 4/19 |\n| Class IV | Relapse | 6/44 | 5/44 |\n",
])
def test_results_by_class_subgroup_are_not_class_counts(tmp_path, rows):
    table = "| Subgroup | Response | Drug | Placebo |\n|---|---|---|---|\n" + rows
    text = TWO_ARM.format(a="drug", b="placebo", n1=75, n2=75, s="Table 2. Renal response by class\n\n" + table)
    assert _classes(tmp_path, text, ".md") == []


@pytest.mark.parametrize("obs,ctl,want", [
    ("type III 14 cases, type IV 27 cases", "type III 15 cases, type IV 25 cases",
     [("III", 14, "A1"), ("IV", 27, "A1"), ("III", 15, "A2"), ("IV", 25, "A2")]),
    ("class IV 20 cases, class V 10 cases", "class IV 22 cases, class V 8 cases",
     [("IV", 20, "A1"), ("V", 10, "A1"), ("IV", 22, "A2"), ("V", 8, "A2")]),
    ("type III 9 cases, type IV 18 cases, type V 3 cases", "type III 8 cases, type IV 19 cases, type V 3 cases",
     [("III", 9, "A1"), ("IV", 18, "A1"), ("V", 3, "A1"), ("III", 8, "A2"), ("IV", 19, "A2"), ("V", 3, "A2")]),
    ("class IV 31 cases, class III+V 5 cases", "class IV 30 cases, class III+V 6 cases",
     [("IV", 31, "A1"), ("III+V", 5, "A1"), ("IV", 30, "A2"), ("III+V", 6, "A2")]),
    ("type IV 25 cases, type V 11 cases", "type IV 24 cases, type V 12 cases",
     [("IV", 25, "A1"), ("V", 11, "A1"), ("IV", 24, "A2"), ("V", 12, "A2")]),
])
def test_arm_heading_the_sentence(tmp_path, obs, ctl, want):
    text = ("Title: Tripterygium for lupus nephritis\n\nMethods\n72 patients with lupus nephritis were divided into an observation "
            "group and a control group, 36 cases in each group. "
            f"Observation group: 6 males and 30 females; age 20~50 years; pathological type: {obs}. "
            f"Control group: 7 males and 29 females; age 19~52 years; pathological type: {ctl}.\n")
    got = _classes(tmp_path, text)
    assert [g for g in got if g[2] is not None] == _sorted(want)


@pytest.mark.parametrize("rows,want", [
    ("| Class IV | A/C | 12 | 10 |\n| Class III | A | 5 | 6 |\n", [("IV", 12, "A1"), ("IV", 10, "A2"), ("III", 5, "A1"), ("III", 6, "A2")]),
    ("| Class IV | active | 9 | 11 |\n| Class V | - | 4 | 3 |\n", [("IV", 9, "A1"), ("IV", 11, "A2"), ("V", 4, "A1"), ("V", 3, "A2")]),
    ("| Class IV | G | 14 | 13 |\n| Class IV | S | 6 | 7 |\n", [("IV", 14, "A1"), ("IV", 13, "A2"), ("IV", 6, "A1"), ("IV", 7, "A2")]),
    ("| Class III | (A) | 8 | 9 |\n| Class IV | (A/C) | 20 | 19 |\n", [("III", 8, "A1"), ("III", 9, "A2"), ("IV", 20, "A1"), ("IV", 19, "A2")]),
    ("| Class V | — | 5 | 5 |\n| Class IV | chronic | 2 | 3 |\n", [("V", 5, "A1"), ("V", 5, "A2"), ("IV", 2, "A1"), ("IV", 3, "A2")]),
])
def test_a_qualifier_column_keeps_class_rows(tmp_path, rows, want):
    table = "| Class | Activity | Drug | Placebo |\n|---|---|---|---|\n" + rows
    text = TWO_ARM.format(a="drug", b="placebo", n1=40, n2=41, s="Table 1. Biopsy classes, n\n\n" + table)
    got = _classes(tmp_path, text, ".md")
    assert [(c, n, a) for c, n, a in got] == _sorted(want)


@pytest.mark.parametrize("sentence,want", [
    ("Class IV was present in 38 vs 37 patients.", [("IV", 38, "A1"), ("IV", 37, "A2")]),
    ("Class III lupus nephritis was found in 12 versus 14 patients.", [("III", 12, "A1"), ("III", 14, "A2")]),
    ("Class V: 9 v. 8.", [("V", 9, "A1"), ("V", 8, "A2")]),
    ("Class IV+V was seen in 6 vs. 7, and class IV in 30 vs 29.", [("IV+V", 6, "A1"), ("IV+V", 7, "A2"), ("IV", 30, "A1"), ("IV", 29, "A2")]),
    ("Class III was present in 45% vs 40%.", []),
])
def test_arm_order_lists_with_versus(tmp_path, sentence, want):
    text = TWO_ARM.format(a="drug", b="placebo", n1=60, n2=60, s=sentence)
    assert [g for g in _classes(tmp_path, text) if g[1] is not None] == _sorted(want)


@pytest.mark.parametrize("sentence,want", [
    ("Class III: 16 (25.4%) vs 14 (22.6%); class IV: 37 (58.7%) vs 39 (62.9%).",
     [("III", 16, "A1"), ("III", 14, "A2"), ("IV", 37, "A1"), ("IV", 39, "A2")]),
    ("Class IV lupus nephritis was present in 37 (58.7%) and 39 (62.9%) patients, respectively.", [("IV", 37, "A1"), ("IV", 39, "A2")]),
    ("Class V was found in 8 [13%] and 6 [10%] patients.", [("V", 8, "A1"), ("V", 6, "A2")]),
    ("Class IV LN was present in 76 patients (obinutuzumab, n = 37; placebo, n = 39).", [("IV", 76, None), ("IV", 37, "A1"), ("IV", 39, "A2")]),
    ("Class III was found in 30 patients (16 [25.4%] obinutuzumab and 14 [22.6%] placebo).",
     [("III", 30, None), ("III", 16, "A1"), ("III", 14, "A2")]),
    ("By class, 37 obinutuzumab and 39 placebo patients had class IV disease.", [("IV", 37, "A1"), ("IV", 39, "A2")]),
    ("Of 125 patients, 16 placebo and 14 obinutuzumab patients had class III.", [("III", 16, "A2"), ("III", 14, "A1")]),
])
def test_counts_per_arm_with_percents_or_labels_before(tmp_path, sentence, want):
    text = ("Title: A lupus nephritis trial\n\nMethods\nPatients with lupus nephritis were randomised to obinutuzumab (n = 63) "
            f"or placebo (n = 62).\n\nResults\n{sentence}\n")
    assert _classes(tmp_path, text) == _sorted(want)


@pytest.mark.parametrize("sentence", [
    "Class IV: 39 (62.9%) vs 37 (58.7%).",  # the percents fit the arms the other way round: not in arm order
    "Class IV was present in 40 (50%) and 41 (50%) patients.",  # percents that match no arm size
    "Class III was present in 10 (15.9%) patients and class IV in 20 (31.7%).",  # one count per class, not per arm
    "Class V: 5 (8.1%), 6 (9.5%) and 7 (11.1%).",  # three values for two arms
    "Class IV was present in 30 (50.0%) vs 20 (33.3%) patients at the repeat biopsy; 12 cyclosporine and 10 azathioprine patients had class V.",
])
def test_count_lists_that_do_not_prove_the_arms(tmp_path, sentence):
    text = ("Title: A lupus nephritis trial\n\nMethods\nPatients with lupus nephritis were randomised to obinutuzumab (n = 63) "
            f"or placebo (n = 62).\n\nResults\n{sentence}\n")
    got = _classes(tmp_path, text)
    assert not [g for g in got if g[2] is not None]
