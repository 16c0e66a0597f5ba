"""Forest plots of a :class:`extractor.meta.MetaResult`: rich text bars and matplotlib files."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from extractor.meta import MetaResult

BAR_WIDTH = 40


def _scale(result: MetaResult) -> tuple[float, float, bool]:
    """Axis limits (on the log scale for RR/OR) covering every CI and the pooled CI."""
    log = result.measure != "proportion"
    values = [v for s in result.studies for v in (s.ci_low, s.ci_high)] + [result.ci_low, result.ci_high]
    if log:
        values = [math.log(v) for v in values if v > 0] + [0.0]
    low, high = min(values), max(values)
    if not log:
        low, high = max(0.0, low), min(1.0, high)
    if high - low < 1e-9:
        low, high = low - 0.5, high + 0.5
    return low, high, log


def _bar(low: float, est: float, high: float, lim: tuple[float, float, bool], mark: str) -> Text:
    lo_ax, hi_ax, log = lim
    null = 0.0 if log else None

    def pos(v: float) -> int:
        x = math.log(v) if log else v
        frac = (x - lo_ax) / (hi_ax - lo_ax)
        return min(BAR_WIDTH - 1, max(0, round(frac * (BAR_WIDTH - 1))))

    cells = [" "] * BAR_WIDTH
    if null is not None:
        cells[min(BAR_WIDTH - 1, max(0, round((null - lo_ax) / (hi_ax - lo_ax) * (BAR_WIDTH - 1))))] = "┊"
    for i in range(pos(low), pos(high) + 1):
        cells[i] = "─"
    cells[pos(est)] = mark
    return Text("".join(cells))


def forest_table(result: MetaResult) -> Table:
    """A rich table: one row per study with a text bar, then the pooled row (◆)."""
    label = "proportion" if result.measure == "proportion" else result.measure
    lim = _scale(result)
    title = (
        f"{label} — {result.method.upper()}{' + HKSJ' if result.hksj else ''}, {result.transform} scale; "
        f"k={result.k}, τ²={result.tau2:.4f}, I²={100 * result.i2:.1f}%, Q={result.q:.2f}"
    )
    table = Table(title=title, show_lines=False)
    table.add_column("study")
    table.add_column("events/total", justify="right")
    table.add_column(label, justify="right")
    table.add_column("95% CI", justify="right")
    table.add_column("weight", justify="right")
    table.add_column("", no_wrap=True)
    for s in result.studies:
        est = s.proportion if result.measure == "proportion" else (s.estimate or 0.0)
        counts = f"{s.events}/{s.total}" + (f" vs {s.events_c}/{s.total_c}" if s.total_c is not None else "")
        table.add_row(
            s.study, counts, f"{est:.3f}", f"{s.ci_low:.3f}–{s.ci_high:.3f}", f"{s.weight:.1f}%",
            _bar(s.ci_low, est, s.ci_high, lim, "■"),
        )  # fmt: skip
    table.add_row(
        Text("pooled", style="bold"), "", f"{result.estimate:.3f}",
        f"{result.ci_low:.3f}–{result.ci_high:.3f}", "100%", _bar(result.ci_low, result.estimate, result.ci_high, lim, "◆"),
    )  # fmt: skip
    if result.pi_low is not None and result.pi_high is not None:
        table.caption = f"prediction interval {result.pi_low:.3f}–{result.pi_high:.3f}"
    return table


def plot_forest(result: MetaResult, path: str | Path) -> Path:
    """Write a forest plot (PNG, SVG or PDF by suffix) with matplotlib's Agg backend."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    path = Path(path)
    k = len(result.studies)
    fig = Figure(figsize=(7.5, 1.2 + 0.35 * (k + 2)))
    ax = fig.add_subplot(1, 1, 1)
    ys = list(range(k + 1, 1, -1))
    for y, s in zip(ys, result.studies):
        est = s.proportion if result.measure == "proportion" else (s.estimate or 0.0)
        ax.plot([s.ci_low, s.ci_high], [y, y], color="black", linewidth=1)
        ax.plot([est], [y], marker="s", color="black", markersize=3 + 8 * math.sqrt(max(s.weight, 0) / 100))
    d = [result.ci_low, result.estimate, result.ci_high, result.estimate]
    ax.fill(d, [0, 0.3, 0, -0.3], color="tab:blue")
    if result.pi_low is not None and result.pi_high is not None:
        ax.plot([result.pi_low, result.pi_high], [-0.6, -0.6], color="tab:red", linewidth=2, label="prediction interval")
        ax.legend(loc="lower right", fontsize=7)
    if result.measure != "proportion":
        ax.set_xscale("log")
        ax.axvline(1.0, color="grey", linestyle=":")
    ax.set_yticks(ys + [0], [s.study for s in result.studies] + ["pooled"])
    ax.set_xlabel("proportion" if result.measure == "proportion" else result.measure)
    ax.set_title(f"{result.method.upper()}{' + HKSJ' if result.hksj else ''}: τ²={result.tau2:.3f}, I²={100 * result.i2:.0f}%")
    fig.tight_layout()
    fig.savefig(path)
    return path
