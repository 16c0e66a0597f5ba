"""Random-effects pooling of response rates (single proportions) and two-arm RR/OR.

The estimation is statsmodels' ``combine_effects`` (DOMAIN.md §6.5); this module adds what
it leaves out: the single-proportion transforms (logit, Freeman–Tukey double arcsine with
Miller's 1978 back-transform at the harmonic-mean n), DerSimonian–Laird τ² and I² clipped at
0, the modified Hartung–Knapp (HKSJ) variance factor max(1, q), a prediction interval with
t(k − 2), Wilson CIs per study, and display (a rich forest plot and a matplotlib one in
``meta_forest``).

``select_rows`` is a pure function over plain dicts, so the store can feed it rows later.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from scipy import stats
from statsmodels.stats.meta_analysis import combine_effects, effectsize_2proportions
from statsmodels.stats.proportion import proportion_confint

from extractor.conversions import to_days

Transform = Literal["logit", "ft"]
Method = Literal["dl", "pm"]
Measure = Literal["proportion", "RR", "OR"]

ZERO_CORRECTION = 0.5  # added to events and non-events (or to all four cells) of zero/full studies
TIME_WINDOW = 0.25  # a study's time point is "at" the requested time within ±25 %
DEFAULT_ALPHA = 0.05


# --- transforms ----------------------------------------------------------------------


def logit(events: int, total: int) -> tuple[float, float]:
    """Log odds and its variance; 0.5 is added to events and non-events when x = 0 or x = n."""
    _check_counts(events, total)
    x, n_x = float(events), float(total - events)
    if events == 0 or events == total:
        x, n_x = x + ZERO_CORRECTION, n_x + ZERO_CORRECTION
    return math.log(x / n_x), 1 / x + 1 / n_x


def freeman_tukey(events: int, total: int) -> tuple[float, float]:
    """Freeman–Tukey double arcsine in metafor's PFT scale: ½[asin√(x/(n+1)) + asin√((x+1)/(n+1))], 1/(4n+2)."""
    _check_counts(events, total)
    x, n = events, total
    y = 0.5 * (math.asin(math.sqrt(x / (n + 1))) + math.asin(math.sqrt((x + 1) / (n + 1))))
    return y, 1 / (4 * n + 2)


def inverse_freeman_tukey(y: float, n: float) -> float:
    """Miller (1978) inverse of the double arcsine at sample size ``n`` (metafor ``transf.ipft``)."""
    if y <= 0.5 * math.asin(math.sqrt(1 / (n + 1))):  # at or below the transform of 0/n
        return 0.0
    if y >= 0.5 * (math.asin(math.sqrt(n / (n + 1))) + math.pi / 2):
        return 1.0
    t = 2 * y
    s = math.sin(t)
    inner = 1 - (s + (s - 1 / s) / n) ** 2
    p = 0.5 * (1 - math.copysign(1.0, math.cos(t)) * math.sqrt(max(inner, 0.0)))
    return min(max(p, 0.0), 1.0)


def _check_counts(events: int, total: int) -> None:
    if total <= 0 or events < 0 or events > total:
        raise ValueError(f"need 0 <= events <= total and total > 0, got {events}/{total}")


# --- results -------------------------------------------------------------------------


@dataclass
class StudyRow:
    study: str
    events: int
    total: int
    proportion: float  # experimental arm (or the single arm)
    ci_low: float  # Wilson CI of the proportion, or CI of RR/OR for two-arm rows
    ci_high: float
    weight: float  # random-effects weight, percent
    effect: float  # on the analysis scale
    variance: float
    time_value: float | None = None
    time_unit: str | None = None
    events_c: int | None = None  # control arm, two-arm comparisons only
    total_c: int | None = None
    estimate: float | None = None  # RR / OR on the natural scale (two-arm)


@dataclass
class MetaResult:
    k: int
    estimate: float  # pooled proportion, RR or OR (natural scale)
    ci_low: float
    ci_high: float
    tau2: float
    i2: float
    q: float
    method: str
    transform: str
    measure: Measure
    studies: list[StudyRow]
    pi_low: float | None = None
    pi_high: float | None = None
    hksj: bool = False
    effect: float = 0.0  # pooled, analysis scale
    se: float = 0.0
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        key = "proportion" if self.measure == "proportion" else self.measure.lower()
        studies = []
        for s in self.studies:
            keys = ["study", "events", "total", "proportion", "ci_low", "ci_high", "weight", "time_value", "time_unit"]
            if self.measure != "proportion":
                keys += ["events_c", "total_c", "estimate"]
            studies.append({name: getattr(s, name) for name in keys})
        return {
            "k": self.k,
            "measure": self.measure,
            "pooled": {key: self.estimate, "ci_low": self.ci_low, "ci_high": self.ci_high},
            "tau2": self.tau2,
            "i2": self.i2,
            "q": self.q,
            "prediction_interval": {"low": self.pi_low, "high": self.pi_high},
            "method": self.method,
            "hksj": self.hksj,
            "transform": self.transform,
            "studies": studies,
            "notes": list(self.notes),
        }

    def __rich_console__(self, console: Any, options: Any) -> Any:
        from extractor.meta_forest import forest_table

        yield forest_table(self)


@dataclass
class _Pooled:
    effect: float
    se: float
    ci: tuple[float, float]
    pi: tuple[float, float] | None
    tau2: float
    i2: float
    q: float
    weights: np.ndarray
    notes: list[str]


def _pool(
    y: np.ndarray,
    v: np.ndarray,
    names: list[str],
    method: Method,
    hksj: bool,
    hksj_modified: bool,
    alpha: float,
) -> _Pooled:
    k = len(y)
    if k == 0:
        raise ValueError("nothing to pool")
    if method not in ("dl", "pm"):
        raise ValueError(f"method must be 'dl' or 'pm', got {method!r}")
    notes: list[str] = []
    if k == 1:
        se = math.sqrt(v[0])
        z = stats.norm.isf(alpha / 2)
        return _Pooled(y[0], se, (y[0] - z * se, y[0] + z * se), None, 0.0, 0.0, 0.0, np.array([100.0]), ["k = 1"])
    with np.errstate(invalid="ignore"):  # √ of a negative DL variance when τ² < 0; handled below
        res = combine_effects(y, v, method_re=method, row_names=names, use_t=hksj, alpha=alpha)
    q = float(res.q)
    tau2 = float(res.tau2)
    if tau2 <= 0:  # statsmodels' DL does not truncate τ²; with τ² = 0 random = fixed effect
        if tau2 < 0:
            notes.append(f"tau2 {tau2:.4g} clipped at 0")
        tau2 = 0.0
        effect, var, scale, weights = res.mean_effect_fe, res.var_eff_w_fe, res.scale_hksj_fe, res.weights_rel_fe
    else:
        effect, var, scale, weights = res.mean_effect_re, res.var_eff_w_re, res.scale_hksj_re, res.weights_rel_re
    if hksj:
        if hksj_modified:
            scale = max(1.0, float(scale))
        var = float(scale) * float(var)
        crit = stats.t.isf(alpha / 2, k - 1)
    else:
        crit = stats.norm.isf(alpha / 2)
    se = math.sqrt(float(var))
    pi = None
    if k >= 3:
        half = stats.t.isf(alpha / 2, k - 2) * math.sqrt(tau2 + se**2)
        pi = (effect - half, effect + half)
    i2 = max(0.0, (q - (k - 1)) / q) if q > 0 else 0.0
    return _Pooled(
        float(effect), se, (effect - crit * se, effect + crit * se), pi, tau2, i2, q, 100 * np.asarray(weights), notes
    )


def _result(
    pooled: _Pooled,
    back: Callable[[float], float],
    rows: list[StudyRow],
    method: str,
    transform: str,
    measure: Measure,
    hksj: bool,
    notes: list[str],
) -> MetaResult:
    pi = pooled.pi
    return MetaResult(
        k=len(rows), estimate=back(pooled.effect), ci_low=back(pooled.ci[0]), ci_high=back(pooled.ci[1]),
        tau2=pooled.tau2, i2=pooled.i2, q=pooled.q, method=method, transform=transform, measure=measure,
        studies=rows, pi_low=back(pi[0]) if pi else None, pi_high=back(pi[1]) if pi else None, hksj=hksj,
        effect=pooled.effect, se=pooled.se, notes=notes + pooled.notes,
    )  # fmt: skip


def pool_proportions(
    events: Sequence[int],
    totals: Sequence[int],
    studies: Sequence[str] | None = None,
    transform: Transform = "logit",
    method: Method = "dl",
    hksj: bool = False,
    hksj_modified: bool = True,
    alpha: float = DEFAULT_ALPHA,
    times: Sequence[tuple[float | None, str | None]] | None = None,
) -> MetaResult:
    """Pool single-arm proportions on the logit or Freeman–Tukey scale by random effects."""
    if len(events) != len(totals):
        raise ValueError("events and totals differ in length")
    names = list(studies) if studies is not None else [f"study {i + 1}" for i in range(len(events))]
    if transform == "logit":
        pairs = [logit(x, n) for x, n in zip(events, totals)]
    elif transform == "ft":
        pairs = [freeman_tukey(x, n) for x, n in zip(events, totals)]
    else:
        raise ValueError(f"transform must be 'logit' or 'ft', got {transform!r}")
    y = np.array([p[0] for p in pairs])
    v = np.array([p[1] for p in pairs])
    pooled = _pool(y, v, names, method, hksj, hksj_modified, alpha)
    if transform == "logit":

        def back(value: float) -> float:
            return float(1 / (1 + math.exp(-value)))

    else:
        n_hm = len(totals) / sum(1 / n for n in totals)
        pooled.notes.append(f"Freeman-Tukey back-transform at harmonic mean n = {n_hm:.2f} (Miller 1978)")

        def back(value: float) -> float:
            return inverse_freeman_tukey(value, n_hm)

    rows = []
    for i, (x, n) in enumerate(zip(events, totals)):
        low, high = proportion_confint(x, n, alpha=alpha, method="wilson")
        tv, tu = times[i] if times is not None else (None, None)
        rows.append(
            StudyRow(names[i], int(x), int(n), x / n, float(low), float(high), float(pooled.weights[i]), y[i], v[i], tv, tu)
        )
    return _result(pooled, back, rows, method, transform, "proportion", hksj, [])


def pool_two_arm(
    events_e: Sequence[int],
    totals_e: Sequence[int],
    events_c: Sequence[int],
    totals_c: Sequence[int],
    studies: Sequence[str] | None = None,
    measure: Literal["RR", "OR"] = "RR",
    method: Method = "dl",
    hksj: bool = False,
    hksj_modified: bool = True,
    alpha: float = DEFAULT_ALPHA,
    times: Sequence[tuple[float | None, str | None]] | None = None,
) -> MetaResult:
    """Pool log RR or log OR (0.5 added to all cells of tables with a zero cell); double-zero studies are dropped."""
    statistic = {"RR": "risk-ratio", "OR": "odds-ratio"}.get(measure)
    if statistic is None:
        raise ValueError(f"measure must be 'RR' or 'OR', got {measure!r}")
    names = list(studies) if studies is not None else [f"study {i + 1}" for i in range(len(events_e))]
    keep, notes = [], []
    for i, (a, n1, c, n2) in enumerate(zip(events_e, totals_e, events_c, totals_c)):
        _check_counts(a, n1)
        _check_counts(c, n2)
        if (a == 0 and c == 0) or (a == n1 and c == n2):
            notes.append(f"{names[i]}: no events (or all) in both arms, dropped")
        else:
            keep.append(i)
    if not keep:
        raise ValueError("every study has zero (or all) events in both arms")
    ae, ne, ce, nc = (np.array([seq[i] for i in keep], dtype=float) for seq in (events_e, totals_e, events_c, totals_c))
    # statsmodels 0.15 with zero_correction=0.5 adds 0.5 to the events of *every* study but
    # enlarges n only for zero tables (p1 = (count1 + cc1)/n1): correct the zero tables here.
    zero = (ae == 0) | (ae == ne) | (ce == 0) | (ce == nc)
    ae, ce = ae + ZERO_CORRECTION * zero, ce + ZERO_CORRECTION * zero
    ne, nc = ne + 2 * ZERO_CORRECTION * zero, nc + 2 * ZERO_CORRECTION * zero
    y, v = effectsize_2proportions(ae, ne, ce, nc, statistic=statistic, zero_correction=None)
    y, v = np.asarray(y, dtype=float), np.asarray(v, dtype=float)
    kept_names = [names[i] for i in keep]
    pooled = _pool(y, v, kept_names, method, hksj, hksj_modified, alpha)
    z = stats.norm.isf(alpha / 2)
    rows = []
    for j, i in enumerate(keep):
        tv, tu = times[i] if times is not None else (None, None)
        se = math.sqrt(v[j])
        rows.append(
            StudyRow(
                kept_names[j], int(events_e[i]), int(totals_e[i]), events_e[i] / totals_e[i],
                math.exp(y[j] - z * se), math.exp(y[j] + z * se), float(pooled.weights[j]), y[j], v[j], tv, tu,
                events_c=int(events_c[i]), total_c=int(totals_c[i]), estimate=math.exp(y[j]),
            )
        )  # fmt: skip
    return _result(pooled, math.exp, rows, method, "log", measure, hksj, notes)


# --- choosing rows -------------------------------------------------------------------


def _agent_matches(row_agent: str | None, agent: str) -> bool:
    return row_agent is not None and agent.lower() in row_agent.lower()


def select_rows(
    rows: Iterable[dict[str, Any]],
    response_type: str,
    time: tuple[float, str] | None = None,
    agent: str | None = None,
) -> list[dict[str, Any]]:
    """Pick, per study, the experimental-arm rows of ``response_type`` at one time point.

    Rows are dicts with keys study, arm_role, type, events, total, time_value, time_unit,
    agent (an optional ``arm`` key keeps two experimental arms of one study apart). A study
    without an experimental row uses its unattributed rows (``arm_role`` None: single-arm
    reports). The time point is the one closest to ``time`` within ±25 % (in days); a study
    with none in that window, or any study when ``time`` is None, contributes its last time
    point. Rows without events/total are skipped. Output keeps input order within a study
    and studies in first-seen order.
    """
    target = to_days(*time) if time is not None else None
    by_study: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if row.get("type") != response_type or row.get("events") is None or not row.get("total"):
            continue
        if agent is not None and not _agent_matches(row.get("agent"), agent):
            continue
        by_study.setdefault(str(row["study"]), []).append(row)
    chosen: list[dict[str, Any]] = []
    for study_rows in by_study.values():
        arm_rows = [r for r in study_rows if r.get("arm_role") == "experimental"]
        if not arm_rows:
            arm_rows = [r for r in study_rows if r.get("arm_role") is None]
        if not arm_rows:
            continue
        days = [to_days(r.get("time_value"), r.get("time_unit")) for r in arm_rows]
        known = [d for d in days if d is not None]
        pick: float | None = None
        if target is not None:
            near = [d for d in known if abs(d - target) <= TIME_WINDOW * target or d == target]
            if near:
                pick = min(near, key=lambda d: (abs(d - target), -d))
        if pick is None and known:
            pick = max(known)
        chosen.extend(r for r, d in zip(arm_rows, days) if d == pick)
    return chosen


def pool_rows(rows: Sequence[dict[str, Any]], **kwargs: Any) -> MetaResult:
    """Pool rows from :func:`select_rows` (study label gets the arm/agent when a study repeats)."""
    counts: dict[str, int] = {}
    for r in rows:
        counts[str(r["study"])] = counts.get(str(r["study"]), 0) + 1
    names = [
        f"{r['study']} ({r.get('arm') or r.get('agent') or i + 1})" if counts[str(r["study"])] > 1 else str(r["study"])
        for i, r in enumerate(rows)
    ]
    return pool_proportions(
        [int(r["events"]) for r in rows],
        [int(r["total"]) for r in rows],
        studies=names,
        times=[(r.get("time_value"), r.get("time_unit")) for r in rows],
        **kwargs,
    )
