"""Filtered, curated, long-format rows from the store: what ``query``, ``export``, ``compare`` and ``meta`` read.

One row per study × arm × response/measure × time point (``LONG_COLUMNS``). Filtering is done
twice on purpose: SQL narrows the rows with bound parameters (``select(...).where(col ==
bindparam(...))``, never string-built SQL), then curations are applied and the same filters
are checked again in Python on the curated values, because a reviewer's edit can move an item
into or out of a filter (rows with curations are always fetched, whatever the SQL filter).
Rejected items never appear.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, and_, bindparam, case, func, or_
from sqlmodel import Session, select

from extractor.store.curation import CuratedItem, curate_rows, curation_index
from extractor.store.db import guard
from extractor.store.models import AdverseEventRow, ArmRow, CohortRow, DocumentRow, InterventionRow, ItemBase, LNClassRow, OutcomeRow, ResponseRow

DAYS_PER_UNIT = {"minute": 1 / 1440, "hour": 1 / 24, "day": 1.0, "week": 7.0, "month": 30.4375, "year": 365.25}
UNIT_ALIASES = {
    "min": "minute", "minute": "minute", "minutes": "minute", "h": "hour", "hr": "hour", "hour": "hour", "hours": "hour",
    "d": "day", "day": "day", "days": "day", "w": "week", "wk": "week", "wks": "week", "week": "week", "weeks": "week",
    "m": "month", "mo": "month", "mon": "month", "month": "month", "months": "month",
    "y": "year", "yr": "year", "yrs": "year", "year": "year", "years": "year",
}  # fmt: skip
TIME_TOLERANCE = 0.10
"""A single ``--time`` matches time points within ±10 % (24 weeks matches 6 months, 52 weeks 1 year)."""
RANGE_TOLERANCE = 0.05
"""The ends of a ``--time`` range stretch by ±5 %, so ``24w..52w`` keeps 12 months (365 d > 364 d)."""
BASELINE = "baseline"
AGENT_ROLES = ("study", "comparator")
"""Interventions that characterise an arm (background and premedication do not)."""
LN_CLASSES = ("I", "II", "III", "IV", "IV-S", "IV-G", "V", "VI", "III+V", "IV+V", "III/IV")
DESIGN_ALIASES = {"rct": "randomised", "randomized": "randomised", "single_arm": "single-arm", "singlearm": "single-arm"}
LONG_COLUMNS = (
    "study", "arm", "arm_role", "kind", "measure", "time_value", "time_unit", "time_weeks",
    "events", "total", "mean", "sd", "median", "q1", "q3", "min", "max", "n", "unit", "definition",
    "registry_ids", "source_page", "source_text", "curation",
    "year", "design", "arm_label", "arm_n", "agent", "stat", "value", "value_type", "percent", "se",
    "ci_low", "ci_high", "time_label", "item", "item_key", "source_rule", "repaired",
)  # fmt: skip
KINDS = ("responses", "outcomes", "adverse_events")
KIND_LABELS = {"responses": "response", "outcomes": "outcome", "adverse_events": "adverse_event"}


# --------------------------------------------------------------------------------------
# parsing filter values
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """A time filter in days: ``baseline``, a point ± TIME_TOLERANCE, or a closed/open range."""

    text: str
    low: float = 0.0
    high: float = math.inf
    baseline: bool = False
    point: tuple[float, str] | None = None  # the value and unit of a single point (for meta)

    def contains(self, days: float | None, label: str | None = None) -> bool:
        if self.baseline:
            return label == BASELINE or days == 0
        return days is not None and self.low <= days <= self.high


def _point(text: str) -> tuple[float, str]:
    text = text.strip().lower().replace(" ", "")
    digits = len(text) - len(text.lstrip("0123456789."))
    number, unit = text[:digits], text[digits:]
    if not number or unit not in UNIT_ALIASES:
        raise ValueError(f"cannot read time {text!r} (examples: 6mo, 24w, 1y, 12m, 30d, 24w..52w, baseline)")
    try:
        return float(number), UNIT_ALIASES[unit]
    except ValueError:
        raise ValueError(f"cannot read time {text!r}") from None


def parse_time(text: str) -> TimeWindow:
    """``6mo``, ``24w``, ``1y``, ``baseline``, ``24w..52w``, ``..12w``, ``24w..``."""
    raw = text.strip().lower()
    if raw == BASELINE:
        return TimeWindow(text, 0.0, 0.0, baseline=True)
    if ".." in raw:
        left, _, right = raw.partition("..")
        low = days_of(*_point(left)) if left else 0.0
        high = days_of(*_point(right)) if right else math.inf
        if low is None or high is None or low > high:
            raise ValueError(f"time range {text!r} runs backwards")
        return TimeWindow(text, low * (1 - RANGE_TOLERANCE), high * (1 + RANGE_TOLERANCE))
    value, unit = _point(raw)
    days = days_of(value, unit) or 0.0
    return TimeWindow(text, days * (1 - TIME_TOLERANCE), days * (1 + TIME_TOLERANCE), point=(value, unit))


def days_of(value: float | None, unit: str | None) -> float | None:
    if value is None or unit is None or unit not in DAYS_PER_UNIT:
        return None
    return float(value) * DAYS_PER_UNIT[unit]


def classes_matching(wanted: str) -> list[str]:
    """Canonical LN classes a ``--class`` value selects: ``IV`` -> IV, IV-S, IV-G, IV+V, III/IV."""
    wanted = wanted.strip().upper()
    out = []
    for cls in LN_CLASSES:
        parts = cls.replace("/", "+").split("+")
        if cls == wanted or wanted in parts or wanted in (p.split("-")[0] for p in parts):
            out.append(cls)
    return out or [wanted]


def normal_design(design: str) -> str:
    key = design.strip().lower()
    return DESIGN_ALIASES.get(key, key)


@dataclass(slots=True)
class Filters:
    agent: str | None = None
    measure: str | None = None
    response: str | None = None
    time: TimeWindow | None = None
    ln_class: str | None = None
    design: str | None = None
    min_n: int | None = None
    studies: Sequence[str] | None = None
    kinds: Sequence[str] = ("responses", "outcomes")

    def item_kinds(self) -> list[str]:
        if self.response or self.measure:
            return [k for k, on in (("responses", self.response), ("outcomes", self.measure)) if on]
        return list(self.kinds)


# --------------------------------------------------------------------------------------
# studies: SQL narrowing, then the curated check
# --------------------------------------------------------------------------------------


@dataclass(slots=True)
class Study:
    doc: DocumentRow
    arms: list[CuratedItem] = field(default_factory=list)
    cohort: list[CuratedItem] = field(default_factory=list)
    ln_classes: list[CuratedItem] = field(default_factory=list)
    interventions: list[CuratedItem] = field(default_factory=list)

    @property
    def doc_id(self) -> str:
        return self.doc.doc_id

    def live(self, kind: str) -> list[dict[str, Any]]:
        return [c.item for c in getattr(self, kind) if c.status != "rejected"]

    @property
    def n(self) -> int | None:
        """Cohort N, else the sum of the arms' n when every arm has one."""
        cohort = self.live("cohort")
        if cohort and cohort[0].get("n") is not None:
            return int(cohort[0]["n"])
        arms = [a.get("n") for a in self.live("arms")]
        return sum(arms) if arms and all(n is not None for n in arms) else None

    def arm(self, arm_id: str | None) -> dict[str, Any] | None:
        arms = self.live("arms")
        found = next((a for a in arms if arm_id is not None and a.get("id") == arm_id), None)
        if found is None and arm_id is None and len(arms) == 1:
            return arms[0]  # a single-arm report: unattributed items belong to its one arm
        return found

    def agents(self, arm_id: str | None) -> list[str]:
        ivs = [i for i in self.live("interventions") if i.get("role") in AGENT_ROLES]
        if arm_id is not None:
            ivs = [i for i in ivs if i.get("arm") in (arm_id, None)]
        return list(dict.fromkeys(str(i.get("agent")) for i in ivs))


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _study_matches(study: Study, f: Filters) -> bool:
    if f.design and study.doc.design_type != normal_design(f.design):
        return False
    if f.agent:
        wanted = f.agent.lower()
        agents = [str(i.get("agent") or "") for i in study.live("interventions") if i.get("role") in AGENT_ROLES]
        if not any(wanted in a.lower() for a in agents):
            return False
    if f.ln_class:
        classes = set(classes_matching(f.ln_class))
        if not any(c.get("class") in classes for c in study.live("ln_classes")):
            return False
    if f.min_n is not None and (study.n is None or study.n < f.min_n):
        return False
    return True


def select_studies(engine: Engine, f: Filters) -> list[Study]:
    """Studies passing the study-level filters (design, agent, class, min N), curations applied."""
    index = curation_index(engine)
    curated_docs = sorted({doc for doc, _k, _key in index})
    conds = []
    if f.design:
        conds.append(DocumentRow.design_type == bindparam("design", normal_design(f.design)))
    if f.agent:
        agent_docs = select(InterventionRow.document_id).where(
            InterventionRow.role.in_(bindparam("agent_roles", list(AGENT_ROLES), expanding=True)),  # type: ignore[attr-defined]
            func.lower(InterventionRow.agent).like(bindparam("agent", _like(f.agent)), escape="\\"),
        )
        conds.append(DocumentRow.id.in_(agent_docs))  # type: ignore[union-attr]
    if f.ln_class:
        class_docs = select(LNClassRow.document_id).where(
            LNClassRow.ln_class.in_(bindparam("ln_classes", classes_matching(f.ln_class), expanding=True))  # type: ignore[attr-defined]
        )
        conds.append(DocumentRow.id.in_(class_docs))  # type: ignore[union-attr]
    if f.min_n is not None:
        big = select(CohortRow.document_id).where(CohortRow.n >= bindparam("min_n", f.min_n))  # type: ignore[operator]
        known = select(CohortRow.document_id).where(CohortRow.n.is_not(None))  # type: ignore[union-attr]
        conds.append(or_(DocumentRow.id.in_(big), DocumentRow.id.not_in(known)))  # type: ignore[union-attr]
    query = select(DocumentRow).order_by(DocumentRow.doc_id)
    if f.studies is not None:
        query = query.where(DocumentRow.doc_id.in_(bindparam("studies", list(f.studies), expanding=True)))  # type: ignore[attr-defined]
    if conds:
        query = query.where(or_(and_(*conds), DocumentRow.doc_id.in_(bindparam("curated_docs", curated_docs, expanding=True))))  # type: ignore[attr-defined]
    with guard(engine), Session(engine) as session:
        docs = list(session.exec(query).all())
        studies = {doc.id: Study(doc) for doc in docs}
        ids = list(studies)
        for kind, table in (("arms", ArmRow), ("cohort", CohortRow), ("ln_classes", LNClassRow), ("interventions", InterventionRow)):
            rows = session.exec(
                select(table).where(table.document_id.in_(bindparam("doc_pks", ids, expanding=True))).order_by(table.ordinal)  # type: ignore[attr-defined]
            ).all()
            by_doc: dict[int, list[ItemBase]] = {}
            for row in rows:
                by_doc.setdefault(row.document_id, []).append(row)
            for pk, study in studies.items():
                setattr(study, kind, curate_rows(study.doc_id, kind, by_doc.get(pk, []), index))  # type: ignore[arg-type]
    return [s for s in studies.values() if _study_matches(s, f)]


# --------------------------------------------------------------------------------------
# items -> long rows
# --------------------------------------------------------------------------------------


def _days_expr(table: Any) -> Any:
    return table.time_value * case(DAYS_PER_UNIT, value=table.time_unit, else_=None)


def _item_conditions(kind: str, table: Any, f: Filters) -> list[Any]:
    conds = []
    if kind == "responses" and f.response:
        conds.append(table.type == bindparam("response", f.response))
    if kind == "outcomes" and f.measure:
        conds.append(table.measure == bindparam("measure", f.measure))
    if f.time is not None and kind != "adverse_events":
        if f.time.baseline:
            zero = table.time_value == bindparam("zero", 0)
            conds.append(or_(zero, table.time_label == bindparam("baseline", BASELINE)) if kind == "outcomes" else zero)
        else:
            days = _days_expr(table)
            conds.append(days >= bindparam("t_low", f.time.low))
            if math.isfinite(f.time.high):
                conds.append(days <= bindparam("t_high", f.time.high))
    return conds


def _item_matches(kind: str, item: dict[str, Any], f: Filters) -> bool:
    if kind == "responses" and f.response and item.get("type") != f.response:
        return False
    if kind == "outcomes" and f.measure and item.get("measure") != f.measure:
        return False
    if f.time is not None and kind != "adverse_events":
        time = item.get("time") or {}
        if not f.time.contains(days_of(time.get("value"), time.get("unit")), time.get("label")):
            return False
    return True


def _num(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def long_row(study: Study, cur: CuratedItem) -> dict[str, Any]:
    """One long-format row of a curated response, outcome or adverse event."""
    item, doc = cur.item, study.doc
    arm = study.arm(item.get("arm"))
    time = item.get("time") or {}
    days = days_of(time.get("value"), time.get("unit"))
    evidence = item.get("evidence") or {}
    row: dict[str, Any] = dict.fromkeys(LONG_COLUMNS)
    row.update(
        study=doc.doc_id, year=doc.year, design=doc.design_type, registry_ids=";".join(doc.registry_ids or []),
        arm=item.get("arm") or (arm or {}).get("id"), arm_label=(arm or {}).get("label"), arm_role=(arm or {}).get("role"),
        arm_n=(arm or {}).get("n"), agent="; ".join(study.agents((arm or {}).get("id") or item.get("arm"))),
        kind=KIND_LABELS[cur.kind], time_value=_num(time.get("value")), time_unit=time.get("unit"),
        time_label=time.get("label"), time_weeks=round(days / 7, 2) if days is not None else None,
        source_page=evidence.get("page"), source_text=" ".join(str(evidence.get("text") or "").split()) or None,
        source_rule=evidence.get("rule"), repaired=item.get("repaired"), curation=cur.status, item=cur.ref,
        item_key=cur.item_key, percent=item.get("percent"), unit=item.get("unit"), n=item.get("n"),
    )  # fmt: skip
    if cur.kind == "responses":
        row.update(measure=item.get("type"), events=item.get("n"), total=item.get("N"), n=item.get("N"),
                   definition=item.get("definition"), unit="patients")  # fmt: skip
    elif cur.kind == "adverse_events":
        row.update(measure=item.get("term"), events=item.get("n"), n=None, unit="patients")
    else:
        _outcome_values(row, item)
    return row


def _outcome_values(row: dict[str, Any], item: dict[str, Any]) -> None:
    stat, value, spread = item.get("stat"), item.get("value"), item.get("spread") or {}
    row.update(measure=item.get("measure"), stat=stat, value=value, value_type="change" if stat == "change" else "final")
    if stat in ("mean", "change"):
        row["mean"] = value
    elif stat == "median":
        row["median"] = value
    elif stat == "count":
        row["events"], row["total"] = value, item.get("n")
    elif stat == "percent":
        row["percent"] = value
    kind = spread.get("kind")
    if kind == "sd":
        row["sd"] = spread.get("value")
    elif kind == "se":
        row["se"] = spread.get("value")
    elif kind == "iqr":
        row["q1"], row["q3"] = spread.get("low"), spread.get("high")
    elif kind == "range":
        row["min"], row["max"] = spread.get("low"), spread.get("high")
    elif kind == "ci95":
        row["ci_low"], row["ci_high"] = spread.get("low"), spread.get("high")


def long_rows(engine: Engine, f: Filters | None = None) -> list[dict[str, Any]]:
    """Curated long-format rows of the studies and items that pass ``f`` (rejected items left out)."""
    f = f or Filters()
    studies = select_studies(engine, f)
    if not studies:
        return []
    by_pk = {s.doc.id: s for s in studies}
    index = curation_index(engine, [s.doc_id for s in studies])
    tables = {"responses": ResponseRow, "outcomes": OutcomeRow, "adverse_events": AdverseEventRow}
    out: list[dict[str, Any]] = []
    with guard(engine), Session(engine) as session:
        for kind in f.item_kinds():
            table: Any = tables[kind]
            curated_keys = sorted({key for _doc, k, key in index if k == kind})
            query = select(table).where(table.document_id.in_(bindparam("doc_pks", list(by_pk), expanding=True)))
            conds = _item_conditions(kind, table, f)
            if conds:
                query = query.where(or_(and_(*conds), table.item_key.in_(bindparam("curated_keys", curated_keys, expanding=True))))
            rows = session.exec(query.order_by(table.document_id, table.ordinal)).all()
            for row in rows:
                study = by_pk[row.document_id]
                (cur,) = curate_rows(study.doc_id, kind, [row], index)
                if cur.status == "rejected" or not _item_matches(kind, cur.item, f):
                    continue
                out.append(long_row(study, cur))
    out.sort(key=lambda r: (r["study"], KINDS.index(_kind_key(r["kind"])), str(r["measure"]), r["arm"] or "", r["time_weeks"] or 0))
    return out


def _kind_key(label: str) -> str:
    return next(k for k, v in KIND_LABELS.items() if v == label)


def study_rows(engine: Engine, studies: Iterable[str]) -> list[dict[str, Any]]:
    """Every curated response, outcome and adverse-event row of some studies."""
    return long_rows(engine, Filters(studies=list(studies), kinds=KINDS))
