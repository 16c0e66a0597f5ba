"""LN class lists in prose styles: count words after the class ("class IV-G (A) in three", "in the
remaining two"), percents before the class with the cohort N proving every count, bare numerals
after "the classes in the X group were", a hard-wrapped "Forty-nine patients had\\nclass IV", and
"class III or IV with V in 12" (a pooled count, not class V)."""

from __future__ import annotations

import pytest

from extractor.extract.run import extract_document
from extractor.ingest.load import load

LUPUS = "Lupus nephritis trial.\n\n"


def _classes(tmp_path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "report.txt"
    path.write_text(LUPUS + text, encoding="utf-8")
    record = extract_document(load(path)[0])
    return sorted((c.class_, c.n, c.arm) for c in record.ln_classes if c.n is not None)


@pytest.mark.parametrize("text,want", [
    ("Eight patients were treated. Biopsies showed class IV-G (A) in three, class IV-S (A/C) in two, class III (A) in one "
     "and class IV + V in the remaining two.", [("III", 1, None), ("IV+V", 2, None), ("IV-G", 3, None), ("IV-S", 2, None)]),
    ("Five patients were enrolled; their biopsies showed class III in two, class IV in two and class IV + V in one.",
     [("III", 2, None), ("IV", 2, None), ("IV+V", 1, None)]),
    ("Twelve patients took part. The biopsy showed class IV in seven, class III in four and class V in the remaining one.",
     [("III", 4, None), ("IV", 7, None), ("V", 1, None)]),
    ("Ten patients were studied: class III in six and class IV in four.", [("III", 6, None), ("IV", 4, None)]),
    ("Of 21 patients, class IV was seen in twelve, class III in five and class V in the other four.",
     [("III", 5, None), ("IV", 12, None), ("V", 4, None)]),
])
def test_count_words_after_the_class(tmp_path, text, want):
    assert _classes(tmp_path, text) == want


@pytest.mark.parametrize("text,want", [
    ("Of the 96 patients analysed, 48 were assigned to drug A and 48 to drug B. On the baseline biopsy, 20.8% of patients "
     "had class III, 58.3% class IV, 8.3% class III + V and 12.5% class IV + V.",
     [("III", 20, None), ("III+V", 8, None), ("IV", 56, None), ("IV+V", 12, None)]),
    ("A total of 40 patients were enrolled. At baseline, 25.0% had class III, 62.5% class IV and 12.5% class V.",
     [("III", 10, None), ("IV", 25, None), ("V", 5, None)]),
    ("A total of 60 patients were enrolled. On biopsy, 30.0% of patients had class III and 70.0% class IV.",
     [("III", 18, None), ("IV", 42, None)]),
    ("A total of 80 patients were enrolled. Overall, 35.0% had class IV, 40.0% class III and 25.0% class V.",
     [("III", 32, None), ("IV", 28, None), ("V", 20, None)]),
    ("A total of 32 patients were enrolled. Biopsies showed 37.5% class III, 50.0% class IV and 12.5% class IV + V.",
     [("III", 12, None), ("IV", 16, None), ("IV+V", 4, None)]),
])
def test_percent_before_class_with_a_proving_n(tmp_path, text, want):
    assert _classes(tmp_path, text) == want


def test_percent_before_class_without_proof_gives_no_count(tmp_path):
    text = "A total of 97 patients were enrolled. Biopsies showed 33.3% class III and 66.7% class IV."
    assert _classes(tmp_path, text) == []


@pytest.mark.parametrize("text,want", [
    ("Of the 60 patients, 30 were allocated to the A group and 30 to the B group. The ISN/RPS classes in the A group were "
     "III in 7, IV in 17, V in 4 and IV+V in 2; in the B group they were III in 8, IV in 16, V in 5 and IV+V in 1.",
     {("III", 7), ("IV", 17), ("V", 4), ("IV+V", 2), ("III", 8), ("IV", 16), ("V", 5), ("IV+V", 1)}),
    ("The class histological was IV in 31 patients, III in 11, IV + V in 7 and V pure in 5.",
     {("IV", 31), ("III", 11), ("IV+V", 7), ("V", 5)}),
    ("The histological classes were IV in 20, III in 9 and V in 3.", {("IV", 20), ("III", 9), ("V", 3)}),
    ("The biopsy classes included III in 4, IV in 12 and V in 2.", {("III", 4), ("IV", 12), ("V", 2)}),
    ("The classes were: IV in 15 patients, III in 6 and IV+V in 4.", {("IV", 15), ("III", 6), ("IV+V", 4)}),
])
def test_bare_numerals_after_the_classes_were(tmp_path, text, want):
    assert {(c, n) for c, n, _ in _classes(tmp_path, text)} == want


@pytest.mark.parametrize("text,want", [
    ("The mean age was 31 years. Forty-nine patients had\nclass IV, 14 class III, 12 class IV + V and 6 class\nIII + V disease.",
     {("IV", 49), ("III", 14), ("IV+V", 12), ("III+V", 6)}),
    ("Thirty patients had\nclass IV and 10 class III.", {("IV", 30), ("III", 10)}),
    ("Twenty-two patients showed\nclass III, 8 class IV.", {("III", 22), ("IV", 8)}),
    ("Fifteen biopsies showed\nclass IV and 5 class V.", {("IV", 15), ("V", 5)}),
    ("Eleven patients had\nclass IV-G and 3 class IV-S.", {("IV-G", 11), ("IV-S", 3)}),
])
def test_count_word_on_the_line_before_the_class(tmp_path, text, want):
    assert {(c, n) for c, n, _ in _classes(tmp_path, text)} == want


@pytest.mark.parametrize("text,want", [
    ("Biopsies had shown class III in 27, class IV in 58 and class III or IV with V in 12 (III + V in 4, IV + V in 8).",
     {("III", 27), ("IV", 58), ("III+V", 4), ("IV+V", 8)}),
    ("Biopsies showed class III in 10, class IV in 20 and class III or IV with V in 6 (III + V in 2, IV + V in 4).",
     {("III", 10), ("IV", 20), ("III+V", 2), ("IV+V", 4)}),
    ("There were class IV in 30 and class III or IV plus V in 9.", {("IV", 30)}),
    ("Class III in 5, class IV in 9 and class III/IV with V in 3.", {("III", 5), ("IV", 9)}),
    ("Class IV in 40 and class III or IV with V in 11 patients.", {("IV", 40)}),
])
def test_pooled_pair_with_v_is_not_class_v(tmp_path, text, want):
    assert {(c, n) for c, n, _ in _classes(tmp_path, text)} == want
