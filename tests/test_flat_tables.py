"""Tables flattened into running text (extractor.extract.flat_tables). Invented table lines only."""

from __future__ import annotations

import pytest
from test_tables import make_ctx

from extractor.extract.flat_tables import FlatArm, caption_starts, flat_outcomes, read_block

TWO = [FlatArm("A1", "Drugzumab", 40), FlatArm("A2", "Placebo", 38)]
THREE = [FlatArm("A1", "Placebo", 30), FlatArm("A2", "Lowmab 5 mg", 31), FlatArm("A3", "Lowmab 10 mg", 29)]


def _arm_of(arms: list[FlatArm]):  # type: ignore[no-untyped-def]
    def of(seg: str) -> str | None:
        hits = [a.id for a in arms if a.label.lower() in seg.lower()]
        longest = [a.id for a in arms if a.id in hits and not any(len(b.label) > len(a.label) and b.id in hits for b in arms)]
        return longest[-1] if longest else None
    return of


def _read(block: str, arms: list[FlatArm] = TWO, fu: tuple[float, str] | None = (52.0, "week")):  # type: ignore[no-untyped-def]
    return [(v.measure, v.arm, v.time.value, v.time.unit, v.stat, v.value) for v in read_block(block, arms, _arm_of(arms), fu)]


@pytest.mark.parametrize("block, expected", [
    ("Table 2 Efficacy end points at week 24 Drugzumab (n = 40) Placebo (n = 38) SLEDAI-2K score 6.1 ± 2.2 8.4 ± 3.0 C3, g/L 0.91 ± 0.20 0.80 ± 0.22",
     [("sledai", "A1", 24.0, "week", "mean", 6.1), ("sledai", "A2", 24.0, "week", "mean", 8.4),
      ("c3", "A1", 24.0, "week", "mean", 0.91), ("c3", "A2", 24.0, "week", "mean", 0.80)]),
    ("Table 3 Outcomes at month 6 Drugzumab (n = 40) Placebo (n = 38) eGFR, mean (SD) 88.0 (12.5) 79.5 (14.1)",
     [("egfr", "A1", 6.0, "month", "mean", 88.0), ("egfr", "A2", 6.0, "month", "mean", 79.5)]),
    ("Table 2 Results at week 52 Drugzumab (n = 40) Placebo (n = 38) Proteinuria, g/24 h, median [IQR] 0.8 [0.3–1.6] 1.9 [0.9–3.1]",
     [("proteinuria_24h", "A1", 52.0, "week", "median", 0.8), ("proteinuria_24h", "A2", 52.0, "week", "median", 1.9)]),
    ("Table 4 Change from baseline to week 12 Drugzumab (n = 40) Placebo (n = 38) Change in DAS28-CRP, mean (SD) −1.9 (1.2) −1.4 (1.3)",
     [("das28_crp", "A1", 12.0, "week", "change", -1.9), ("das28_crp", "A2", 12.0, "week", "change", -1.4)]),
    ("Table 1 Baseline characteristics Drugzumab (n = 40) Placebo (n = 38) Age, years 41 ± 9 40 ± 11 Serum albumin, g/L 31.2 ± 5.0 30.8 ± 4.6",
     [("serum_albumin", "A1", 0.0, "day", "mean", 31.2), ("serum_albumin", "A2", 0.0, "day", "mean", 30.8)]),
])
def test_two_arm_variants(block: str, expected: list[tuple[object, ...]]) -> None:
    assert _read(block) == expected


def test_three_arms_and_a_total_column() -> None:
    block = ("Table 2 Disease activity at week 48 Placebo (n = 30) Lowmab 5 mg (n = 31) Lowmab 10 mg (n = 29) Total (n = 90) "
             "BILAG global score 9.0 ± 4.1 7.2 ± 3.9 6.8 ± 3.3 7.7 ± 3.8 PGA 1.1 ± 0.5 0.9 ± 0.4 0.8 ± 0.5 0.9 ± 0.5")
    got = _read(block, THREE)
    assert ("bilag", "A1", 48.0, "week", "mean", 9.0) in got
    assert ("bilag", "A3", 48.0, "week", "mean", 6.8) in got
    assert ("pga", "A2", 48.0, "week", "mean", 0.9) in got
    assert len(got) == 6  # the total column is not an arm


def test_header_with_n_only_maps_columns_by_n() -> None:
    block = "Table 3 Laboratory results at month 3 Group I (n = 38) Group II (n = 40) Serum creatinine, mg/dL 1.1 ± 0.3 0.9 ± 0.2"
    got = _read(block)
    assert ("serum_creatinine", "A2", 3.0, "month", "mean", 1.1) in got
    assert ("serum_creatinine", "A1", 3.0, "month", "mean", 0.9) in got


def test_glued_cells_footnote_marks_and_p_value() -> None:
    block = "Table 2Results at month 6Drugzumab (n = 40)Placebo (n = 38)p valueUPCR, g/g0.52 (0.31)a0.97 (0.40)0.003C4, g/L0.19 (0.05)0.15 (0.06)0.04"
    got = _read(block)
    assert ("upcr", "A1", 6.0, "month", "mean", 0.52) in got
    assert ("c4", "A2", 6.0, "month", "mean", 0.15) in got


def test_sub_rows_inherit_the_measure_and_change() -> None:
    block = ("Table 4 Disease activity Drugzumab (n = 40) Placebo (n = 38) SLEDAI score Baseline 10.2 ± 3.1 10.4 ± 2.9 "
             "Change from baseline at Week 4 −2.0 ± 2.2 −1.1 ± 2.5 Week 12 −3.9 ± 2.8 −2.0 ± 2.7")
    got = _read(block)
    assert ("sledai", "A1", 0.0, "day", "mean", 10.2) in got
    assert ("sledai", "A1", 4.0, "week", "change", -2.0) in got
    assert ("sledai", "A2", 12.0, "week", "change", -2.0) in got


def test_group_time_heads_the_rows_below() -> None:
    block = ("Table 3 Scores at baseline and month 6 Drugzumab (n = 40) Placebo (n = 38) Baseline FSS 5.1 [4.0–6.0] 5.0 [4.2–6.1] "
             "Month 6 FSS 4.0 [3.1–5.2] 4.9 [4.0–6.0]")
    got = _read(block)
    assert ("fss", "A1", 0.0, "day", "median", 5.1) in got
    assert ("fss", "A1", 6.0, "month", "median", 4.0) in got


@pytest.mark.parametrize("block", [
    # prose sentence with several numbers
    "Table 2 Results at week 24 Drugzumab (n = 40) Placebo (n = 38) The SLEDAI fell from 10.1 ± 3.2 to 6.0 ± 2.8 in the drug group and from 9.9 ± 3.0 to 8.8 ± 2.9 on placebo.",
    # a per-patient listing: one value per patient, not per arm
    "Table 3 Individual patients at month 6 Drugzumab (n = 40) Placebo (n = 38) Patient 1 SLEDAI 12 (4) Patient 2 SLEDAI 10 (6) 9 (2) 7 (1)",
    # a dose table: counts of patients, not measures
    "Table 4 Doses at week 24 Drugzumab (n = 40) Placebo (n = 38) Prednisone 10 mg/day, n (%) 12 (30.0) 15 (39.5)",
    # more cells than arms (arms by visit)
    "Table 2 Values at baseline and week 24 Drugzumab (n = 40) Placebo (n = 38) C3, g/L 0.8 ± 0.2 0.9 ± 0.2 0.8 ± 0.3 0.8 ± 0.2",
    # counts with percentages
    "Table 2 Outcomes at week 52 Drugzumab (n = 40) Placebo (n = 38) SLEDAI ≤ 2 20 (50.0) 10 (26.3)",
    # no header with the arms
    "Table 2 Outcomes at week 52 SLEDAI-2K 6.1 ± 2.2 8.4 ± 3.0",
])
def test_must_not_match(block: str) -> None:
    assert _read(block) == []


def test_caption_is_not_a_reference() -> None:
    assert caption_starts("as shown (Table 2) and in Table 3.") == []
    assert caption_starts("profileTable 1Baseline values") == [7]


def test_flat_outcomes_over_a_context() -> None:
    text = ("Results were similar between groups.\nTable 2 Efficacy end points at week 52 Drugzumab (n = 40) Placebo (n = 38) "
            "SLEDAI-2K global score 5.1 ± 4.0 7.7 ± 3.9 Values are mean ± SD.\nThe drug was well tolerated overall in this study.")
    ctx = make_ctx(text, {"arms": [_arm("A1", "Drugzumab", 40), _arm("A2", "Placebo", 38)]})
    got, rows = flat_outcomes(ctx)
    assert {(o.measure, o.arm, o.value, o.stat) for o in got} == {("sledai", "A1", 5.1, "mean"), ("sledai", "A2", 7.7, "mean")}
    assert got[0].evidence.rule == "outcome.flat_table.mean" and rows


def _arm(arm_id: str, label: str, n: int):  # type: ignore[no-untyped-def]
    from extractor.records import Arm
    return Arm(id=arm_id, label=label, n=n)


ONE = [FlatArm("A1", "Drugzumab", 28)]


@pytest.mark.parametrize("block, expected", [
    ("Table 2 Course of laboratory values (median, IQR) Baseline 3 months 6 months 12 months "
     "Proteinuria, g/24 h 2.1 (1.4–3.0) 1.2 (0.8–1.9) 0.9 (0.5–1.4) 0.7 (0.4–1.1)",
     [("proteinuria_24h", "A1", 0.0, "day", "median", 2.1), ("proteinuria_24h", "A1", 3.0, "month", "median", 1.2),
      ("proteinuria_24h", "A1", 6.0, "month", "median", 0.9), ("proteinuria_24h", "A1", 12.0, "month", "median", 0.7)]),
    ("Tabelle 3 / Table 3. Verlauf, median (IQR) Parameter Baseline (n = 28) 3 Monate (n = 27) 6 Monate (n = 25) "
     "Serum-Kreatinin, µmol/l 88 (70–105) 85 (69–101) 84 (66–99)",
     [("serum_creatinine", "A1", 0.0, "day", "median", 88.0), ("serum_creatinine", "A1", 3.0, "month", "median", 85.0),
      ("serum_creatinine", "A1", 6.0, "month", "median", 84.0)]),
    ("Tableau 2 Évolution, médiane (IQR) Inclusion Baseline 6 mois 12 mois Protéinurie, g/24 h 1.6 (0.9–2.4) 0.8 (0.4–1.3) 0.5 (0.2–0.9)",
     [("proteinuria_24h", "A1", 0.0, "day", "median", 1.6), ("proteinuria_24h", "A1", 6.0, "month", "median", 0.8),
      ("proteinuria_24h", "A1", 12.0, "month", "median", 0.5)]),
    ("Table 4 Disease activity over time, mean ± SD Baseline Month 3 Month 6 SLEDAI-2K 10.2 ± 3.1 6.0 ± 2.2 4.1 ± 2.0",
     [("sledai", "A1", 0.0, "day", "mean", 10.2), ("sledai", "A1", 3.0, "month", "mean", 6.0), ("sledai", "A1", 6.0, "month", "mean", 4.1)]),
    ("Table 2 Course under treatment, mean (SD) Baseline (n = 28) 4 Wochen (n = 28) 12 Wochen (n = 26) eGFR, ml/min/1.73 m² 71.0 (18.2) 73.5 (17.9) 75.1 (16.4)",
     [("egfr", "A1", 0.0, "day", "mean", 71.0), ("egfr", "A1", 4.0, "week", "mean", 73.5), ("egfr", "A1", 12.0, "week", "mean", 75.1)]),
])
def test_time_columns_of_one_arm(block: str, expected: list[tuple[object, ...]]) -> None:
    assert _read(block, ONE) == expected


def test_time_columns_need_one_arm_and_increasing_times() -> None:
    block = "Table 2 Course, median (IQR) Baseline 3 months 6 months Proteinuria, g/24 h 2.1 (1.4–3.0) 1.2 (0.8–1.9) 0.9 (0.5–1.4)"
    assert _read(block, TWO) == []  # two arms and no arm named: whose values?
    assert _read("Table 2 Course, median (IQR) 6 months 3 months Proteinuria, g/24 h 1.2 (0.8–1.9) 0.9 (0.5–1.4)", ONE) == []


@pytest.mark.parametrize("block, expected", [
    ("Table 2 Results at week 52 Drugzumab Placebo Total Patients randomized, no. 40 38 78 SLEDAI-2K score, mean ± SD 6.1 ± 2.2 8.4 ± 3.0 7.2 ± 2.8",
     [("sledai", "A1", 52.0, "week", "mean", 6.1), ("sledai", "A2", 52.0, "week", "mean", 8.4)]),
    ("Table 3 Outcomes at month 6 Drugzumab Placebo n 40 38 eGFR, mean (SD) 88.0 (12.5) 79.5 (14.1)",
     [("egfr", "A1", 6.0, "month", "mean", 88.0), ("egfr", "A2", 6.0, "month", "mean", 79.5)]),
    ("Table 2 Results at week 52 Drugzumab Placebo Number of patients 40 38 Improvement from baseline in HAQ DI, mean ± SD 0.61 ± 0.5 0.42 ± 0.6",
     [("haq_di", "A1", 52.0, "week", "change", 0.61), ("haq_di", "A2", 52.0, "week", "change", 0.42)]),
    ("Table 2 Results Drugzumab Placebo Patients randomized, no. 40 38 SHS change from baseline, mean ± SD At week 24 0.9 ± 2.1 1.8 ± 3.0 "
     "At week 52 1.2 ± 2.5 2.6 ± 3.4 SHS change from week 24, mean ± SD At week 52 0.3 ± 1.0 0.8 ± 1.2",
     [("sharp_van_der_heijde", "A1", 24.0, "week", "change", 0.9), ("sharp_van_der_heijde", "A2", 24.0, "week", "change", 1.8),
      ("sharp_van_der_heijde", "A1", 52.0, "week", "change", 1.2), ("sharp_van_der_heijde", "A2", 52.0, "week", "change", 2.6)]),
    ("Table 2 Results at week 52 Drugzumab Placebo Patients randomized, no. 41 38 SLEDAI-2K score, mean ± SD 6.1 ± 2.2 8.4 ± 3.0", []),  # sizes differ from the arms
])
def test_a_row_of_column_sizes_maps_columns_to_arms(block: str, expected: list[tuple[object, ...]]) -> None:
    assert _read(block) == expected
