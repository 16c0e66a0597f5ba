"""Long-format export (CSV, JSON, metafor-ready CSV) of the curated store.

One row per study × arm × response/measure × time point (``query.LONG_COLUMNS``) plus
``mean_est, sd_est, est_method, est_flag``: a median reported with its IQR and/or range becomes
an estimated mean (Luo 2018) and SD (Wan 2014), an SE becomes an SD (SD = SE·√n), via
``extractor.conversions``. Reported values are never overwritten; the estimate sits beside
them with the method, and ``est_flag`` says ``estimated`` (``estimated-skewed`` for measures
that are right-skewed, where every such conversion is biased, DOMAIN.md §6.2).

``--format metafor`` renames to ``escalc`` argument names so ``read.csv`` + ``escalc`` work
directly: ``slab``; ``xi``/``ni`` for events (measure="PLO"/"PFT"); ``m1i``/``sd1i``/``n1i`` for
means (reported mean/SD, else the estimates, so ``est_method`` tells which).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from typing import IO, Any

from rich.table import Table
from rich.text import Text

from extractor import conversions

EST_COLUMNS = ("mean_est", "sd_est", "est_method", "est_flag")
SKEWED_MEASURES = frozenset({"proteinuria_24h", "upcr", "anti_dsdna"})
"""Right-skewed measures: median -> mean conversions are flagged ``estimated-skewed``."""
METAFOR_RENAMES = {"study": "slab"}
QUERY_TABLE_COLUMNS = ("study", "arm", "kind", "measure", "time", "result", "n", "curation")
FORMATS = ("csv", "json", "metafor")


def _n_for(row: dict[str, Any]) -> tuple[int | None, str]:
    if row.get("n"):
        return int(row["n"]), ""
    if row.get("arm_n"):
        return int(row["arm_n"]), " (n of the arm)"
    return None, ""


def estimate(row: dict[str, Any]) -> dict[str, Any]:
    """``mean_est, sd_est, est_method, est_flag`` for one long row (all None when nothing to convert)."""
    out: dict[str, Any] = dict.fromkeys(EST_COLUMNS)
    if row.get("kind") != "outcome":
        return out
    n, n_note = _n_for(row)
    median, q1, q3, low, high = (row.get(k) for k in ("median", "q1", "q3", "min", "max"))
    has_iqr, has_range = q1 is not None and q3 is not None, low is not None and high is not None
    method = None
    try:
        if median is not None and (has_iqr or has_range):
            if n is None:
                out["est_method"] = "not converted: median without n"
                return out
            if has_iqr and has_range:
                out["mean_est"] = conversions.luo_mean_five(low, q1, median, q3, high, n)
                out["sd_est"] = conversions.wan_sd_five(low, q1, q3, high, n)
                method = "luo2018 mean, wan2014 sd from median, IQR and range"
            elif has_iqr:
                out["mean_est"] = conversions.luo_mean_iqr(q1, median, q3, n)
                out["sd_est"] = conversions.wan_sd_iqr(q1, q3, n)
                method = "luo2018 mean, wan2014 sd from median and IQR"
            else:
                out["mean_est"] = conversions.luo_mean_range(low, median, high, n)
                out["sd_est"] = conversions.wan_sd_range(low, high, n)
                method = "luo2018 mean, wan2014 sd from median and range"
        elif row.get("mean") is not None and row.get("sd") is None and row.get("se") is not None and n is not None:
            out["mean_est"], out["sd_est"] = row["mean"], conversions.sd_from_se(row["se"], n)
            method = "sd = se·√n"
        elif row.get("mean") is not None and row.get("sd") is None and row.get("ci_low") is not None and n is not None:
            out["mean_est"] = row["mean"]
            out["sd_est"] = conversions.sd_from_ci(row["ci_low"], row["ci_high"], n, use_t=n < 60)
            method = "sd from 95% CI (t quantile)" if n < 60 else "sd from 95% CI"
    except ValueError as exc:  # values out of order, n < 2 for a range...
        return {**out, "mean_est": None, "sd_est": None, "est_method": f"not converted: {exc}"}
    if method is None:
        return out
    out["mean_est"] = round(out["mean_est"], 4)
    out["sd_est"] = round(out["sd_est"], 4)
    out["est_method"] = method + n_note
    out["est_flag"] = "estimated-skewed" if row.get("measure") in SKEWED_MEASURES else "estimated"
    return out


def export_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Long rows with the estimate columns added."""
    return [{**row, **estimate(row)} for row in rows]


def metafor_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows renamed for metafor::escalc: slab, xi/ni (events), m1i/sd1i/n1i (means)."""
    out = []
    for row in rows:
        new = {METAFOR_RENAMES.get(k, k): v for k, v in row.items() if k not in ("events", "total")}
        new["xi"], new["ni"] = row.get("events"), row.get("total") if row.get("events") is not None else None
        mean = row.get("mean") if row.get("mean") is not None else row.get("mean_est")
        sd = row.get("sd") if row.get("sd") is not None else row.get("sd_est")
        n, _ = _n_for(row)
        has_mean = row.get("kind") == "outcome" and mean is not None
        new["m1i"], new["sd1i"], new["n1i"] = (mean, sd, n) if has_mean else (None, None, None)
        for key in ("mean", "sd"):
            new.pop(key, None)
        out.append(new)
    return out


def columns_of(rows: Sequence[dict[str, Any]], first: Sequence[str]) -> list[str]:
    cols = list(first)
    for row in rows:
        cols += [k for k in row if k not in cols]
    return cols


def write_csv(rows: Sequence[dict[str, Any]], file: IO[str], first: Sequence[str]) -> None:
    writer = csv.DictWriter(file, fieldnames=columns_of(rows, first), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})


def write_json(rows: Sequence[dict[str, Any]], file: IO[str]) -> None:
    file.write(json.dumps(list(rows), indent=2, ensure_ascii=False) + "\n")


def write_export(rows: Sequence[dict[str, Any]], fmt: str, file: IO[str]) -> int:
    """Write the export in ``fmt`` (csv, json, metafor); returns the number of rows."""
    from extractor.query import LONG_COLUMNS

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (choose: {', '.join(FORMATS)})")
    full = export_rows(rows)
    if fmt == "json":
        write_json(full, file)
    elif fmt == "csv":
        write_csv(full, file, [*LONG_COLUMNS, *EST_COLUMNS])
    else:
        renamed = metafor_rows(full)
        first = ["slab", "xi", "ni", "m1i", "sd1i", "n1i"]
        write_csv(renamed, file, first + [c for c in (*LONG_COLUMNS, *EST_COLUMNS) if c not in ("study", "events", "total", "mean", "sd")])
    return len(full)


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"
    return str(value)


def result_text(row: dict[str, Any]) -> str:
    """What a long row reports, in a few characters: ``9/12 (75%)``, ``median 2.5 (IQR 1.2–4.1)``."""
    if row.get("events") is not None:
        total = f"/{_fmt(row['total'])}" if row.get("total") is not None else ""
        pct = f" ({_fmt(row['percent'])}%)" if row.get("percent") is not None else ""
        return f"{_fmt(row['events'])}{total}{pct}"
    parts = [row.get("stat") or "", _fmt(row.get("value")), row.get("unit") or ""]
    if row.get("sd") is not None:
        parts.append(f"± {_fmt(row['sd'])}")
    elif row.get("q1") is not None:
        parts.append(f"(IQR {_fmt(row['q1'])}–{_fmt(row['q3'])})")
    elif row.get("min") is not None:
        parts.append(f"(range {_fmt(row['min'])}–{_fmt(row['max'])})")
    elif row.get("percent") is not None:
        parts.append(f"{_fmt(row['percent'])}%")
    return " ".join(p for p in parts if p)


def time_text(row: dict[str, Any]) -> str:
    if row.get("time_label"):
        return str(row["time_label"])
    if row.get("time_value") is None:
        return ""
    return f"{_fmt(row['time_value'])} {row.get('time_unit') or ''}".strip()


class RowsTable:
    """``evidence query --format table``: one line per long row."""

    def __init__(self, rows: Sequence[dict[str, Any]], title: str = "") -> None:
        self.rows, self.title = rows, title

    def __rich_console__(self, console: Any, options: Any) -> Any:
        table = Table(title=self.title or f"{len(self.rows)} rows", title_style="evidence.heading")
        for col in QUERY_TABLE_COLUMNS:
            table.add_column(col, justify="right" if col == "n" else "left", overflow="fold")
        for row in self.rows:
            arm = " ".join(p for p in (row.get("arm") or "", f"({row['arm_role']})" if row.get("arm_role") else "") if p)
            status = row.get("curation") or ""
            table.add_row(
                Text(row["study"], style="evidence.study"), arm, row["kind"], str(row["measure"]), time_text(row),
                result_text(row), _fmt(row.get("n")), Text(status, style=console.get_style(f"curation.{status}", default="")),
            )  # fmt: skip
        yield table
