"""Median/IQR/range and SE/CI to mean and SD, for pooling continuous outcomes.

Pure functions of numbers; each returns a plain float. The formulas are those of
DOMAIN.md §6.2:

* Wan X, Wang W, Liu J, Tong T. Estimating the sample mean and standard deviation from
  the sample size, median, range and/or interquartile range. BMC Med Res Methodol
  2014;14:135 (scenarios C1 range, C3 IQR, C2 five numbers).
* Luo D, Wan X, Liu J, Tong T. Optimally estimating the sample mean from the sample size,
  median, mid-range, and/or mid-quartile range. Stat Methods Med Res 2018;27:1785.
* Hozo SP, Djulbegovic B, Hozo I. Estimating the mean and variance from the median, range,
  and the size of a sample. BMC Med Res Methodol 2005;5:13.

Right-skewed measures (proteinuria, anti-dsDNA) make every one of these biased; callers
should record which conversion was used beside the converted value.
"""

from __future__ import annotations

import math

from scipy.stats import norm, t

Z_975 = 1.959963984540054  # two-sided 95 % normal quantile; 2 * Z_975 ≈ 3.92
HOZO_SMALL_N = 15  # Hozo: n <= 15 uses the closed-form variance estimate
HOZO_LARGE_N = 70  # Hozo: 15 < n <= 70 range/4, n > 70 range/6


def _check_n(n: int) -> None:
    if n < 1:
        raise ValueError(f"sample size must be >= 1, got {n}")


def _check_order(*values: float) -> None:
    if any(b < a for a, b in zip(values, values[1:])):
        raise ValueError(f"values must be non-decreasing, got {values}")


# --- Wan 2014: SD --------------------------------------------------------------------


def _xi(n: int) -> float:
    """Wan 2014 ξ(n) = 2·Φ⁻¹((n − 0.375)/(n + 0.25)) (range scenario)."""
    return 2 * float(norm.ppf((n - 0.375) / (n + 0.25)))


def _eta(n: int) -> float:
    """Wan 2014 η(n) = 2·Φ⁻¹((0.75n − 0.125)/(n + 0.25)) (IQR scenario)."""
    return 2 * float(norm.ppf((0.75 * n - 0.125) / (n + 0.25)))


def wan_sd_range(low: float, high: float, n: int) -> float:
    """SD from minimum, maximum and n (Wan 2014, scenario C1)."""
    _check_n(n)
    _check_order(low, high)
    if n < 2:
        raise ValueError("the range of a single observation carries no spread")
    return (high - low) / _xi(n)


def wan_sd_iqr(q1: float, q3: float, n: int) -> float:
    """SD from the quartiles and n (Wan 2014, scenario C3)."""
    _check_n(n)
    _check_order(q1, q3)
    return (q3 - q1) / _eta(n)


def wan_sd_five(low: float, q1: float, q3: float, high: float, n: int) -> float:
    """SD from min, q1, q3, max and n (Wan 2014, scenario C2): mean of the two estimates."""
    _check_n(n)
    _check_order(low, q1, q3, high)
    return (high - low) / (2 * _xi(n)) + (q3 - q1) / (2 * _eta(n))


def wan_mean_range(low: float, median: float, high: float) -> float:
    """Mean from min, median, max (Hozo/Wan): (a + 2m + b)/4."""
    _check_order(low, median, high)
    return (low + 2 * median + high) / 4


def wan_mean_iqr(q1: float, median: float, q3: float) -> float:
    """Mean from the quartiles and median (Wan 2014): (q1 + m + q3)/3."""
    _check_order(q1, median, q3)
    return (q1 + median + q3) / 3


# --- Luo 2018: mean ------------------------------------------------------------------


def luo_mean_range(low: float, median: float, high: float, n: int) -> float:
    """Mean from min, median, max and n (Luo 2018): w = 4/(4 + n^0.75)."""
    _check_n(n)
    _check_order(low, median, high)
    w = 4 / (4 + n**0.75)
    return w * (low + high) / 2 + (1 - w) * median


def luo_mean_iqr(q1: float, median: float, q3: float, n: int) -> float:
    """Mean from the quartiles, median and n (Luo 2018): w = 0.7 + 0.39/n."""
    _check_n(n)
    _check_order(q1, median, q3)
    w = 0.7 + 0.39 / n
    return w * (q1 + q3) / 2 + (1 - w) * median


def luo_mean_five(low: float, q1: float, median: float, q3: float, high: float, n: int) -> float:
    """Mean from all five numbers (Luo 2018): w1 = 2.2/(2.2 + n^0.75), w2 = 0.7 − 0.72/n^0.55."""
    _check_n(n)
    _check_order(low, q1, median, q3, high)
    w1 = 2.2 / (2.2 + n**0.75)
    w2 = 0.7 - 0.72 / n**0.55
    return w1 * (low + high) / 2 + w2 * (q1 + q3) / 2 + (1 - w1 - w2) * median


# --- Hozo 2005 -----------------------------------------------------------------------


def hozo_mean(low: float, median: float, high: float) -> float:
    """Mean from min, median, max (Hozo 2005, formula 4): (a + 2m + b)/4."""
    return wan_mean_range(low, median, high)


def hozo_sd(low: float, median: float, high: float, n: int) -> float:
    """SD from min, median, max and n (Hozo 2005).

    n <= 15: √{[(a − 2m + b)²/4 + (b − a)²]/12}; 15 < n <= 70: range/4; n > 70: range/6.
    """
    _check_n(n)
    _check_order(low, median, high)
    if n <= HOZO_SMALL_N:
        return math.sqrt(((low - 2 * median + high) ** 2 / 4 + (high - low) ** 2) / 12)
    if n <= HOZO_LARGE_N:
        return (high - low) / 4
    return (high - low) / 6


# --- SE and CI -----------------------------------------------------------------------


def sd_from_se(se: float, n: int) -> float:
    """SD = SE·√n."""
    _check_n(n)
    if se < 0:
        raise ValueError(f"SE must be >= 0, got {se}")
    return se * math.sqrt(n)


def sd_from_ci(low: float, high: float, n: int, level: float = 0.95, use_t: bool = False) -> float:
    """SD from a CI of a mean: √n·(U − L)/(2·z) (Cochrane Handbook 6.5.2.2).

    ``use_t`` replaces z by the t quantile with n − 1 df (recommended for small n, < 60).
    """
    _check_n(n)
    _check_order(low, high)
    q = 1 - (1 - level) / 2
    if use_t:
        if n < 2:
            raise ValueError("a t-based CI needs n >= 2")
        crit = float(t.ppf(q, n - 1))
    else:
        crit = float(norm.ppf(q))
    return math.sqrt(n) * (high - low) / (2 * crit)


def se_from_ratio_ci(low: float, high: float, level: float = 0.95) -> float:
    """SE of log ratio (HR/OR/RR) from its CI: (ln U − ln L)/(2·z)."""
    if low <= 0 or high <= 0:
        raise ValueError("ratio CI bounds must be positive")
    _check_order(low, high)
    return (math.log(high) - math.log(low)) / (2 * float(norm.ppf(1 - (1 - level) / 2)))


# --- time points ---------------------------------------------------------------------

DAYS_PER_UNIT = {
    "minute": 1 / 1440, "hour": 1 / 24, "day": 1.0, "week": 7.0, "month": 30.4375, "year": 365.25,
}  # fmt: skip


def to_days(value: float | None, unit: str | None) -> float | None:
    """A time point in days (month = 30.4375 d, year = 365.25 d); None when unknown."""
    if value is None or unit is None:
        return None
    key = unit.lower().rstrip("s")
    if key not in DAYS_PER_UNIT:
        raise ValueError(f"unknown time unit {unit!r}")
    return float(value) * DAYS_PER_UNIT[key]
