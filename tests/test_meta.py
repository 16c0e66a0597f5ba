"""Random-effects pooling (extractor.meta) against hand computations and published results."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
from rich.console import Console
from scipy import stats

from extractor import meta
from extractor.meta_forest import plot_forest

EVENTS = [9, 3, 14, 12, 30]
TOTALS = [12, 10, 20, 20, 41]

# BCG vaccine trials (Colditz et al., JAMA 1994;271:698; metafor's dat.bcg):
# tpos, tneg, cpos, cneg per trial.
BCG = [
    (4, 119, 11, 128), (6, 300, 29, 274), (3, 228, 11, 209), (62, 13536, 248, 12619),
    (33, 5036, 47, 5761), (180, 1361, 372, 1079), (8, 2537, 10, 619), (505, 87886, 499, 87892),
    (29, 7470, 45, 7232), (17, 1699, 65, 1600), (186, 50448, 141, 27197), (5, 2493, 3, 2338),
    (27, 16886, 29, 17825),
]  # fmt: skip


def _hand_dl(y, v):
    """DerSimonian & Laird 1986 by hand (DOMAIN.md §6.4)."""
    y, v = np.asarray(y, float), np.asarray(v, float)
    w = 1 / v
    mu_fe = (w * y).sum() / w.sum()
    q = (w * (y - mu_fe) ** 2).sum()
    k = len(y)
    tau2 = max(0.0, (q - (k - 1)) / (w.sum() - (w**2).sum() / w.sum()))
    wr = 1 / (v + tau2)
    mu = (wr * y).sum() / wr.sum()
    se = math.sqrt(1 / wr.sum())
    return mu, se, tau2, q, max(0.0, (q - (k - 1)) / q), 100 * wr / wr.sum()


def test_transform_vectors():
    # DOMAIN.md §6.3 test vector: x 9, n 12 → logit 1.0986 (var 0.444), PFT 1.0262 (var 0.02).
    y, v = meta.logit(9, 12)
    assert (y, v) == (pytest.approx(1.0986, abs=1e-4), pytest.approx(0.4444, abs=1e-4))
    y, v = meta.freeman_tukey(9, 12)
    assert (y, v) == (pytest.approx(1.0262, abs=1e-4), pytest.approx(0.02))


def test_zero_and_full_event_correction():
    assert meta.logit(0, 10) == (pytest.approx(math.log(0.5 / 10.5)), pytest.approx(1 / 0.5 + 1 / 10.5))
    assert meta.logit(10, 10) == (pytest.approx(math.log(10.5 / 0.5)), pytest.approx(1 / 10.5 + 1 / 0.5))
    assert meta.logit(3, 10)[0] == pytest.approx(math.log(3 / 7))  # no correction otherwise
    res = meta.pool_proportions([0, 5, 10], [10, 10, 10])
    assert math.isfinite(res.estimate) and 0 < res.estimate < 1
    with pytest.raises(ValueError):
        meta.logit(11, 10)


def test_dl_logit_matches_hand_computation():
    res = meta.pool_proportions(EVENTS, TOTALS, transform="logit", method="dl")
    y, v = zip(*(meta.logit(x, n) for x, n in zip(EVENTS, TOTALS)))
    mu, se, tau2, q, i2, weights = _hand_dl(y, v)
    assert res.effect == pytest.approx(mu, abs=1e-6)
    assert res.se == pytest.approx(se, abs=1e-6)
    assert res.tau2 == pytest.approx(tau2, abs=1e-6) and tau2 > 0
    assert res.q == pytest.approx(q, abs=1e-6)
    assert res.i2 == pytest.approx(i2, abs=1e-6)
    assert [s.weight for s in res.studies] == pytest.approx(list(weights), abs=1e-6)
    assert res.estimate == pytest.approx(1 / (1 + math.exp(-mu)), abs=1e-6)
    z = stats.norm.isf(0.025)
    assert res.ci_low == pytest.approx(1 / (1 + math.exp(-(mu - z * se))), abs=1e-6)
    half = stats.t.isf(0.025, len(EVENTS) - 2) * math.sqrt(tau2 + se**2)
    assert res.pi_high == pytest.approx(1 / (1 + math.exp(-(mu + half))), abs=1e-6)


def test_bcg_dersimonian_laird_log_rr():
    # metafor documentation (rma, method="DL", measure="RR" on dat.bcg): estimate −0.7141,
    # tau² = 0.3088, I² = 92.12 %, Q(df = 12) = 152.2330. Recomputed here, all agree.
    a, b, c, d = (list(col) for col in zip(*BCG))
    res = meta.pool_two_arm(a, [x + y for x, y in zip(a, b)], c, [x + y for x, y in zip(c, d)], measure="RR")
    assert res.effect == pytest.approx(-0.7141, abs=5e-5)
    assert res.estimate == pytest.approx(math.exp(-0.7141), abs=1e-4)
    assert res.tau2 == pytest.approx(0.3088, abs=5e-5)
    assert res.i2 == pytest.approx(0.9212, abs=5e-5)
    assert res.q == pytest.approx(152.2330, abs=5e-4)
    assert res.k == 13 and sum(s.weight for s in res.studies) == pytest.approx(100)


def test_paule_mandel_solves_generalised_q():
    a, b, c, d = (list(col) for col in zip(*BCG))
    res = meta.pool_two_arm(a, [x + y for x, y in zip(a, b)], c, [x + y for x, y in zip(c, d)], method="pm")
    y = np.array([s.effect for s in res.studies])
    v = np.array([s.variance for s in res.studies])
    w = 1 / (v + res.tau2)
    mu = (w * y).sum() / w.sum()
    assert (w * (y - mu) ** 2).sum() == pytest.approx(len(y) - 1, rel=1e-4)  # PM estimating equation
    assert res.effect == pytest.approx(mu, abs=1e-6)


def test_homogeneous_data_clip_tau2_and_i2():
    # Nearly identical rates: statsmodels' DL gives τ² < 0 and I² < 0 here (DOMAIN §6.5).
    events, totals = [10, 20, 31, 40], [40, 80, 120, 160]
    y, v = zip(*(meta.logit(x, n) for x, n in zip(events, totals)))
    from statsmodels.stats.meta_analysis import combine_effects

    with np.errstate(invalid="ignore"):
        raw = combine_effects(np.array(y), np.array(v), method_re="dl")
    assert raw.tau2 < 0 and raw.i2 < 0  # the trap is real
    for method in ("dl", "pm"):
        res = meta.pool_proportions(events, totals, method=method)
        assert res.tau2 == 0.0 and res.i2 == 0.0
        mu, se, *_ = _hand_dl(y, v)
        assert res.effect == pytest.approx(mu, abs=1e-6) and res.se == pytest.approx(se, abs=1e-6)


def test_hksj_and_modified_factor():
    y, v = zip(*(meta.logit(x, n) for x, n in zip(EVENTS, TOTALS)))
    mu, se, tau2, *_ = _hand_dl(y, v)
    wr = 1 / (np.array(v) + tau2)
    scale = (wr * (np.array(y) - mu) ** 2).sum() / (len(y) - 1)
    res = meta.pool_proportions(EVENTS, TOTALS, hksj=True, hksj_modified=False)
    assert res.se == pytest.approx(se * math.sqrt(scale), abs=1e-9)
    crit = stats.t.isf(0.025, len(y) - 1)
    assert res.ci_high == pytest.approx(1 / (1 + math.exp(-(mu + crit * se * math.sqrt(scale)))), abs=1e-9)
    # homogeneous data: q < 1, the modification keeps the unscaled variance
    hom = meta.pool_proportions([10, 20, 31, 40], [40, 80, 120, 160], hksj=True, hksj_modified=False)
    mod = meta.pool_proportions([10, 20, 31, 40], [40, 80, 120, 160], hksj=True, hksj_modified=True)
    plain = meta.pool_proportions([10, 20, 31, 40], [40, 80, 120, 160])
    assert hom.se < plain.se and mod.se == pytest.approx(plain.se)


def test_freeman_tukey_back_transform():
    # Miller 1978: the inverse at the study's own n returns its proportion (and 0, 1 at the ends).
    for x, n in [(9, 12), (1, 30), (0, 12), (12, 12), (20, 41)]:
        assert meta.inverse_freeman_tukey(meta.freeman_tukey(x, n)[0], n) == pytest.approx(x / n, abs=1e-9)
    res = meta.pool_proportions(EVENTS, TOTALS, transform="ft")
    n_hm = len(TOTALS) / sum(1 / n for n in TOTALS)
    assert res.estimate == pytest.approx(meta.inverse_freeman_tukey(res.effect, n_hm))
    assert res.ci_low < res.estimate < res.ci_high
    assert any("harmonic mean" in note for note in res.notes)


def test_odds_ratio_zero_cell_and_double_zero():
    res = meta.pool_two_arm([0, 4, 0], [10, 20, 15], [3, 8, 0], [10, 20, 15], measure="OR", studies=["a", "b", "z"])
    assert [s.study for s in res.studies] == ["a", "b"] and any("z" in n for n in res.notes)
    # study a, 0.5 added to all cells: OR = (0.5·7.5)/(10.5·3.5)
    assert res.studies[0].estimate == pytest.approx((0.5 * 7.5) / (10.5 * 3.5))
    # study b has no zero cell and is left alone (statsmodels' zero_correction=0.5 would not)
    assert res.studies[1].estimate == pytest.approx((4 * 12) / (16 * 8))


def test_study_rows_and_json():
    res = meta.pool_proportions(EVENTS, TOTALS, studies=list("abcde"), times=[(24, "week")] * 5)
    j = res.to_json()
    assert j["k"] == 5 and set(j["pooled"]) == {"proportion", "ci_low", "ci_high"}
    assert j["method"] == "dl" and j["transform"] == "logit"
    first = j["studies"][0]
    assert first["study"] == "a" and first["proportion"] == pytest.approx(0.75)
    # Wilson interval for 9/12 (Newcombe 1998 method 3): 0.4677–0.9111
    assert (first["ci_low"], first["ci_high"]) == (pytest.approx(0.4677, abs=1e-4), pytest.approx(0.9111, abs=1e-4))
    assert first["time_value"] == 24 and first["time_unit"] == "week"
    assert j["prediction_interval"]["low"] < j["pooled"]["proportion"] < j["prediction_interval"]["high"]


def test_single_study_has_no_heterogeneity():
    res = meta.pool_proportions([3], [10])
    assert res.k == 1 and res.tau2 == 0 and res.pi_low is None
    assert res.estimate == pytest.approx(0.3)


def test_forest_renderings(tmp_path):
    res = meta.pool_proportions(EVENTS, TOTALS, studies=list("abcde"))
    out = io.StringIO()
    Console(file=out, width=120, color_system=None).print(res)
    text = out.getvalue()
    assert "◆" in text and text.count("■") == 5 and "I²=" in text and "9/12" in text
    for suffix in ("png", "svg"):
        path = plot_forest(res, tmp_path / f"forest.{suffix}")
        assert path.stat().st_size > 1000
    assert (tmp_path / "forest.png").read_bytes()[:4] == b"\x89PNG"


ROWS = [
    {"study": "s1", "arm_role": "experimental", "type": "complete", "events": 5, "total": 10, "time_value": 6, "time_unit": "month", "agent": "MSC"},
    {"study": "s1", "arm_role": "experimental", "type": "complete", "events": 7, "total": 10, "time_value": 12, "time_unit": "month", "agent": "MSC"},
    {"study": "s1", "arm_role": "control", "type": "complete", "events": 2, "total": 10, "time_value": 6, "time_unit": "month", "agent": "cyclophosphamide"},
    {"study": "s2", "arm_role": None, "type": "complete", "events": 3, "total": 9, "time_value": 26, "time_unit": "week", "agent": "umbilical cord MSC"},
    {"study": "s2", "arm_role": None, "type": "partial", "events": 4, "total": 9, "time_value": 26, "time_unit": "week", "agent": "umbilical cord MSC"},
    {"study": "s3", "arm_role": "experimental", "type": "complete", "events": 1, "total": 8, "time_value": 2, "time_unit": "year", "agent": "rituximab"},
    {"study": "s4", "arm_role": "experimental", "type": "complete", "events": None, "total": 8, "time_value": 6, "time_unit": "month", "agent": "MSC"},
]  # fmt: skip


def test_select_rows_time_window_and_fallback():
    picked = meta.select_rows(ROWS, "complete", time=(6, "month"))
    assert [(r["study"], r["events"]) for r in picked] == [("s1", 5), ("s2", 3), ("s3", 1)]
    # no time requested: each study's last time point
    picked = meta.select_rows(ROWS, "complete")
    assert [(r["study"], r["events"]) for r in picked] == [("s1", 7), ("s2", 3), ("s3", 1)]
    # 40 weeks is not within 25 % of 6 months (182.6 d) nor 12 months: s1 falls back to its last
    picked = meta.select_rows(ROWS, "complete", time=(40, "week"))
    assert [(r["study"], r["events"]) for r in picked] == [("s1", 7), ("s2", 3), ("s3", 1)]


def test_select_rows_agent_and_pool():
    picked = meta.select_rows(ROWS, "complete", time=(6, "month"), agent="msc")
    assert [r["study"] for r in picked] == ["s1", "s2"]
    res = meta.pool_rows(picked)
    assert [s.study for s in res.studies] == ["s1", "s2"] and res.studies[1].time_unit == "week"


def test_experimental_arms_of_one_study_are_pooled_once() -> None:
    """Two dose arms of one trial are one proportion (events and totals added), not two studies."""
    from extractor.meta_query import one_per_study

    rows = [
        {"study": "s1", "arm": "A1", "events": 29, "total": 89},
        {"study": "s1", "arm": "A2", "events": 24, "total": 88},
        {"study": "s2", "arm": "A1", "events": 5, "total": 12},
    ]
    merged, notes = one_per_study(rows)
    assert [(r["study"], r["events"], r["total"]) for r in merged] == [("s1", 53, 177), ("s2", 5, 12)]
    assert merged[0]["arm"] == "A1+A2" and "combined" in notes[0]
