"""``evidence meta``: response rows from the curated store -> ``extractor.meta`` pooling.

* rows: ``query.long_rows`` (curations applied, rejected items out) of one response type;
* per study, ``meta.select_rows`` picks the experimental arm at the time point closest to the
  requested one within ±25 %, else the study's last reported time point;
* one study = one trial: reports sharing a registry id are one trial, counted once (the report
  with a time point in the window first, then the latest, then the largest); the notes say so;
* ``compare``: two-arm studies, experimental vs control/placebo at the same time point, pooled as
  RR or OR (several experimental or control arms of one trial are added together, DOMAIN §6.2).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

from extractor.conversions import DAYS_PER_UNIT as META_DAYS
from extractor.conversions import to_days
from extractor.meta import TIME_WINDOW, MetaResult, pool_rows, pool_two_arm, select_rows
from extractor.query import Filters, long_rows

CONTROL_ROLES = ("control", "placebo")


@dataclass(slots=True)
class MetaRequest:
    response: str
    time: tuple[float, str] | None = None
    agent: str | None = None
    method: str = "dl"
    hksj: bool = False
    transform: str = "logit"
    compare: bool = False
    effect: str = "RR"


@dataclass(slots=True)
class Trial:
    registry_ids: set[str]
    studies: list[str] = field(default_factory=list)


def response_rows(engine: Engine, response: str, agent: str | None = None) -> tuple[list[dict[str, Any]], list[str]]:
    """Rows in the shape ``meta.select_rows`` reads (study, arm, arm_role, type, events, total, time, agent, year, registry_ids)."""
    notes: list[str] = []
    out = []
    for row in long_rows(engine, Filters(response=response, agent=agent)):
        unit = row.get("time_unit")
        if unit is not None and unit not in META_DAYS:
            notes.append(f"{row['study']} {row['item']}: time in {unit}s left out")
            continue
        out.append({**row, "type": row["measure"]})
    return out, notes


def _in_window(row: dict[str, Any], time: tuple[float, str] | None) -> bool:
    if time is None:
        return False
    target, days = to_days(*time), to_days(row.get("time_value"), row.get("time_unit"))
    return target is not None and days is not None and abs(days - target) <= TIME_WINDOW * target


def one_per_trial(rows: Sequence[dict[str, Any]], time: tuple[float, str] | None = None) -> tuple[list[dict[str, Any]], list[str]]:
    """Keep one report per trial (studies sharing any registry id); notes name what was merged."""
    by_study: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_study.setdefault(row["study"], []).append(row)
    trials: list[Trial] = []
    for study, study_rows in by_study.items():
        ids = {i for i in str(study_rows[0].get("registry_ids") or "").split(";") if i}
        joined = [t for t in trials if ids and t.registry_ids & ids]
        trial = Trial(set(ids), [study])
        for other in joined:  # a report may link two trials' records: merge them
            trial.registry_ids |= other.registry_ids
            trial.studies = other.studies + trial.studies
            trials.remove(other)
        trials.append(trial)
    keep: set[str] = set()
    notes = []
    for trial in trials:

        def rank(study: str) -> tuple[bool, int, int]:
            srows = by_study[study]
            experimental = [r for r in srows if r.get("arm_role") in ("experimental", None)]
            return (
                any(_in_window(r, time) for r in srows),
                int(srows[0].get("year") or 0),
                sum(int(r.get("total") or 0) for r in experimental),
            )

        best = max(trial.studies, key=rank)
        keep.add(best)
        if len(trial.studies) > 1:
            others = ", ".join(s for s in trial.studies if s != best)
            notes.append(
                f"one trial ({', '.join(sorted(trial.registry_ids))}) reported by {len(trial.studies)} studies: "
                f"counted once as {best}; left out {others}"
            )
    return [r for r in rows if r["study"] in keep], notes


def one_per_arm(rows: Sequence[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """One row per study arm: a report that gives an arm's rate twice (or at unstated times) counts once."""
    kept: dict[tuple[str, str | None], dict[str, Any]] = {}
    notes = []
    for row in rows:
        key = (row["study"], row.get("arm"))
        other = kept.get(key)
        if other is None:
            kept[key] = row
            continue
        best = max((other, row), key=lambda r: int(r.get("total") or 0))
        kept[key] = best
        notes.append(f"{row['study']}: arm {row.get('arm') or '?'} has several rows at that time; kept {best['item']} ({best['events']}/{best['total']})")
    return list(kept.values()), notes


def one_per_study(rows: Sequence[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """One proportion per study: several experimental arms (two doses of one drug) are combined
    by adding events and totals (Cochrane Handbook 6.5.2.10), so a study is never pooled twice."""
    by_study: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_study.setdefault(row["study"], []).append(row)
    out, notes = [], []
    for study, arms in by_study.items():
        if len(arms) == 1:
            out.append(arms[0])
            continue
        merged = dict(arms[0])
        merged["events"] = sum(int(r["events"]) for r in arms)
        merged["total"] = sum(int(r["total"]) for r in arms)
        merged["arm"] = "+".join(str(r.get("arm")) for r in arms)
        notes.append(f"{study}: {len(arms)} experimental arms combined ({merged['events']}/{merged['total']})")
        out.append(merged)
    return out, notes


def _two_arm(rows: Sequence[dict[str, Any]], chosen: Sequence[dict[str, Any]]) -> tuple[list[tuple[Any, ...]], list[str]]:
    """(study, events_e, total_e, events_c, total_c, time) per study with a control arm at the chosen time."""
    notes: list[str] = []
    out = []
    by_study: dict[str, list[dict[str, Any]]] = {}
    for row in chosen:
        by_study.setdefault(row["study"], []).append(row)
    for study, exp in by_study.items():
        days = to_days(exp[0].get("time_value"), exp[0].get("time_unit"))
        controls = [
            r for r in rows
            if r["study"] == study and r.get("arm_role") in CONTROL_ROLES and r.get("total")
            and r.get("events") is not None and to_days(r.get("time_value"), r.get("time_unit")) == days
        ]  # fmt: skip
        if not controls:
            notes.append(f"{study}: no control/placebo arm at that time point, not in the comparison")
            continue
        if len(exp) > 1 or len(controls) > 1:
            notes.append(f"{study}: {len(exp)} experimental and {len(controls)} control arms added together")
        out.append((study, sum(int(r["events"]) for r in exp), sum(int(r["total"]) for r in exp),
                    sum(int(r["events"]) for r in controls), sum(int(r["total"]) for r in controls),
                    (exp[0].get("time_value"), exp[0].get("time_unit"))))  # fmt: skip
    return out, notes


def run_meta(engine: Engine, request: MetaRequest) -> MetaResult:
    """Select, de-duplicate and pool; ValueError when nothing is left to pool."""
    rows, notes = response_rows(engine, request.response, request.agent)
    chosen = select_rows(rows, request.response, time=request.time, agent=request.agent)
    chosen, arm_notes = one_per_arm(chosen)
    chosen, trial_notes = one_per_trial(chosen, request.time)
    notes += arm_notes + trial_notes
    if not chosen:
        raise ValueError(f"no {request.response!r} response rows with events and totals to pool")
    if request.compare:
        kept = {r["study"] for r in chosen}
        pairs, pair_notes = _two_arm([r for r in rows if r["study"] in kept], chosen)
        notes += pair_notes
        if not pairs:
            raise ValueError("no two-arm study reports this response in both arms at the same time point")
        study, xe, ne, xc, nc, times = (list(col) for col in zip(*pairs))
        result = pool_two_arm(xe, ne, xc, nc, studies=study, measure=request.effect.upper(),  # type: ignore[arg-type]
                              method=request.method, hksj=request.hksj, times=times)  # type: ignore[arg-type]  # fmt: skip
    else:
        chosen, study_notes = one_per_study(chosen)
        notes += study_notes
        result = pool_rows(chosen, method=request.method, hksj=request.hksj, transform=request.transform)
    result.notes = notes + result.notes
    result.notes.append("one study = one trial: reports sharing a registry id are counted once")
    return result
