"""Median/IQR/range → mean/SD conversions (DOMAIN.md §6.2 test vectors; Wan 2014; Luo 2018; Hozo 2005)."""

from __future__ import annotations

import math

import pytest

from extractor import conversions as cv


# DOMAIN.md §6.2 test vectors (formula form).
def test_iqr_vector():
    assert cv.luo_mean_iqr(1.2, 2.5, 4.1, 30) == pytest.approx(2.607, abs=5e-4)
    assert cv.wan_sd_iqr(1.2, 4.1, 30) == pytest.approx(2.257, abs=5e-4)


def test_range_vector():
    assert cv.luo_mean_range(0.8, 2.5, 9.6, 12) == pytest.approx(3.534, abs=5e-4)
    assert cv.wan_sd_range(0.8, 9.6, 12) == pytest.approx(2.691, abs=5e-4)


def test_five_number_vector():
    assert cv.luo_mean_five(0.4, 1.2, 2.5, 4.1, 9.6, 40) == pytest.approx(2.895, abs=5e-4)
    assert cv.wan_sd_five(0.4, 1.2, 4.1, 9.6, 40) == pytest.approx(2.182, abs=5e-4)


def test_iqr_sd_tends_to_iqr_over_1_35():
    # Cochrane Handbook §6.5.2.5: for large normal samples SD ≈ IQR / 1.35 (2·Φ⁻¹(0.75) = 1.349).
    assert cv.wan_sd_iqr(0.0, 1.349, 100_000) == pytest.approx(1.0, rel=1e-3)


@pytest.mark.parametrize(("n", "d2"), [(5, 2.326), (10, 3.078), (25, 3.931)])
def test_range_divisor_close_to_d2(n, d2):
    # Wan's ξ(n) approximates the expected range of n standard normals, the control-chart
    # constant d2 (Montgomery, Introduction to Statistical Quality Control, Appendix Table VI).
    assert cv.wan_sd_range(0.0, d2, n) == pytest.approx(1.0, rel=0.02)


def test_wan_means():
    assert cv.wan_mean_iqr(1.2, 2.5, 4.1) == pytest.approx((1.2 + 2.5 + 4.1) / 3)
    assert cv.wan_mean_range(0.8, 2.5, 9.6) == pytest.approx(3.85)


def test_luo_mean_of_symmetric_data_is_the_median():
    assert cv.luo_mean_five(1, 2, 3, 4, 5, 50) == pytest.approx(3.0)
    assert cv.luo_mean_range(1, 3, 5, 7) == pytest.approx(3.0)


def test_hozo_sd_by_sample_size():
    # Hozo 2005: n <= 15 closed form; 15 < n <= 70 range/4; n > 70 range/6.
    small = math.sqrt(((0.8 - 5.0 + 9.6) ** 2 / 4 + (9.6 - 0.8) ** 2) / 12)
    assert cv.hozo_sd(0.8, 2.5, 9.6, 12) == pytest.approx(small)
    assert cv.hozo_sd(0.8, 2.5, 9.6, 40) == pytest.approx(8.8 / 4)
    assert cv.hozo_sd(0.8, 2.5, 9.6, 71) == pytest.approx(8.8 / 6)
    assert cv.hozo_mean(0.8, 2.5, 9.6) == pytest.approx(3.85)


def test_se_and_ci():
    assert cv.sd_from_se(0.5, 16) == pytest.approx(2.0)
    # large n: z-based, 2·1.96 = 3.92
    assert cv.sd_from_ci(3.2, 8.4, 100) == pytest.approx(10 * 5.2 / 3.919927969, rel=1e-9)
    # Cochrane Handbook §6.5.2.2 worked example: n 25, mean 32.1, 95 % CI 30.0 to 34.2;
    # with t(0.975, 24) the divisor is 4.128 and SD = 5 × 4.2 / 4.128 = 5.09.
    assert cv.sd_from_ci(30.0, 34.2, 25, use_t=True) == pytest.approx(5.09, abs=5e-3)
    assert cv.se_from_ratio_ci(0.5, 2.0) == pytest.approx(math.log(4) / 3.919927969, rel=1e-9)


@pytest.mark.parametrize(
    "call",
    [
        lambda: cv.wan_sd_range(5, 1, 10),
        lambda: cv.wan_sd_iqr(1, 2, 0),
        lambda: cv.luo_mean_iqr(3, 2, 4, 10),
        lambda: cv.sd_from_se(-1, 4),
        lambda: cv.se_from_ratio_ci(0, 1),
    ],
)
def test_rejects_impossible_inputs(call):
    with pytest.raises(ValueError):
        call()
