"""``evidence compare``: studies side by side, curated, with responses and key outcomes at matched time points.

Time points of different studies are matched when they lie within ``query.TIME_TOLERANCE`` of
each other in days (24 weeks ~ 6 months, 52 weeks ~ 12 months); the row is labelled with
every spelling it groups (``12 month / 52 week``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.table import Table
from rich.text import Text
from sqlalchemy import Engine

from extractor.display import _num
from extractor.export import result_text, time_text
from extractor.query import TIME_TOLERANCE, Filters, Study, days_of, long_rows, select_studies
from extractor.store.read import resolve_study

KEY_MEASURES = (
    "proteinuria_24h", "upcr", "serum_creatinine", "egfr", "creatinine_clearance", "serum_albumin",
    "anti_dsdna", "c3", "c4", "sledai", "bilag", "death", "eskd", "flare",
)  # fmt: skip
"""Outcomes compare shows (in this order); the rest are in ``evidence show``/``export``."""
MISSING = "—"


@dataclass(slots=True)
class Comparison:
    studies: list[str]
    rows: list[tuple[str, str, list[str]]] = field(default_factory=list)  # (section, label, one cell per study)


def _dose(iv: dict[str, Any]) -> str:
    amount = _num(iv.get("amount"))
    if amount and iv.get("amount_high") is not None:
        amount += f"–{_num(iv['amount_high'])}"
    unit = (iv.get("unit") or "") + (f"/{iv['per']}" if iv.get("per") else "")
    parts = [str(iv.get("agent") or ""), f"{amount} {unit}".strip(), iv.get("route") or "", iv.get("schedule") or ""]
    if iv.get("doses"):
        parts.append(f"× {iv['doses']}")
    arm = f"{iv['arm']}: " if iv.get("arm") else ""
    return arm + " ".join(p for p in parts if p)


def _facts(study: Study) -> list[tuple[str, str]]:
    doc = study.doc
    design = ", ".join(str(p) for p in (doc.design_type, f"phase {doc.phase}" if doc.phase else None, doc.blinding) if p)
    arms = [
        f"{a.get('id')} {a.get('label')}" + (f" n={a['n']}" if a.get("n") is not None else "") + (f" ({a['role']})" if a.get("role") else "")
        for a in study.live("arms")
    ]
    classes = [str(c.get("class")) + (f" n={c['n']}" if c.get("n") is not None else "") for c in study.live("ln_classes")]
    doses = [_dose(iv) for iv in study.live("interventions") if iv.get("role") == "study"]
    follow = f"{_num(doc.follow_up_value)} {doc.follow_up_unit or ''}".strip() if doc.follow_up_value is not None else ""
    return [
        ("Year", _num(doc.year)),
        ("Design", design),
        ("N", _num(study.n)),
        ("Arms", "\n".join(arms)),
        ("LN classes", ", ".join(classes)),
        ("Study dose", "\n".join(doses)),
        ("Follow-up", follow),
        ("Registry", ", ".join(doc.registry_ids or [])),
    ]


def match_times(rows: Sequence[dict[str, Any]]) -> dict[float | None, str]:
    """Days of each row's time point -> the label of its matched group."""
    days = sorted({d for r in rows if (d := days_of(r.get("time_value"), r.get("time_unit"))) is not None})
    groups: list[list[float]] = []
    for d in days:
        if groups and groups[-1][0] > 0 and d <= groups[-1][0] * (1 + 2 * TIME_TOLERANCE):
            groups[-1].append(d)
        else:
            groups.append([d])
    spellings: dict[float, list[str]] = {}
    for r in rows:
        d = days_of(r.get("time_value"), r.get("time_unit"))
        if d is not None:
            spellings.setdefault(d, [])
            text = time_text(r)
            if text not in spellings[d]:
                spellings[d].append(text)
    labels: dict[float | None, str] = {None: "time not stated"}
    for group in groups:
        label = " / ".join(dict.fromkeys(s for d in group for s in spellings[d]))
        for d in group:
            labels[d] = label
    return labels


def _section(rows: Sequence[dict[str, Any]], studies: list[str], kind: str, order: Sequence[str] | None) -> list[tuple[str, str, list[str]]]:
    picked = [r for r in rows if r["kind"] == kind and (order is None or r["measure"] in order)]
    labels = match_times(picked)
    cells: dict[tuple[str, float | None, str], dict[str, list[str]]] = {}
    for r in picked:
        days = days_of(r.get("time_value"), r.get("time_unit"))
        group_days = min((d for d, lab in labels.items() if d is not None and lab == labels[days]), default=days)
        key = (str(r["measure"]), group_days, labels[days])
        arm = f"{r['arm']}: " if r.get("arm") else ""
        cells.setdefault(key, {}).setdefault(r["study"], []).append(arm + result_text(r))

    def sort_key(key: tuple[str, float | None, str]) -> tuple[int, str, float]:
        measure, days, _ = key
        position = order.index(measure) if order is not None else 0
        return (position, measure, days if days is not None else float("inf"))

    title = "Responses" if kind == "response" else "Key outcomes"
    return [
        (title, f"{measure} @ {label}", ["\n".join(cells[(measure, days, label)].get(s, [])) or MISSING for s in studies])
        for measure, days, label in sorted(cells, key=sort_key)
    ]


def compare_studies(engine: Engine, studies: Sequence[str]) -> Comparison:
    """Facts, responses and key outcomes of ``studies`` (doc_ids or unique prefixes), in that order."""
    ids = list(dict.fromkeys(resolve_study(engine, s) for s in studies))
    found = {s.doc_id: s for s in select_studies(engine, Filters(studies=ids))}
    comparison = Comparison(ids)
    facts = {doc_id: dict(_facts(found[doc_id])) for doc_id in ids}
    for label in facts[ids[0]]:
        comparison.rows.append(("Study", label, [facts[d][label] or MISSING for d in ids]))
    rows = long_rows(engine, Filters(studies=ids))
    comparison.rows += _section(rows, ids, "response", None)
    comparison.rows += _section(rows, ids, "outcome", KEY_MEASURES)
    return comparison


class ComparisonTable:
    """The rich table of a :class:`Comparison`: one column per study, a line between sections."""

    def __init__(self, comparison: Comparison) -> None:
        self.comparison = comparison

    def __rich_console__(self, console: Any, options: Any) -> Any:
        table = Table(title=f"{len(self.comparison.studies)} studies compared", title_style="evidence.heading", show_lines=False)
        table.add_column("", style="evidence.heading", overflow="fold")
        for study in self.comparison.studies:
            table.add_column(Text(study, style="evidence.study"), overflow="fold")
        section = None
        for sec, label, cells in self.comparison.rows:
            if section is not None and sec != section:
                table.add_section()
            if sec != section and sec != "Study":
                table.add_row(Text(sec, style="evidence.heading"), *[""] * len(cells))
            section = sec
            table.add_row(label, *[Text(c, style="evidence.missing") if c == MISSING else c for c in cells])
        yield table
