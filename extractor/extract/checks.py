"""Arithmetic checks over a finished record (EVIDENCE_FORMAT ``checks``).

* every response percent against its n/N (repairs reported as ``repaired``);
* arm sizes against the total randomised;
* class counts against N (per arm when classes are per arm);
* abstract against table values for the same response where both exist.
A mismatch is reported, never silently fixed.
"""

from __future__ import annotations

from collections import defaultdict

from extractor.extract.arm_lead_in import RULE as LEAD_IN_RULE
from extractor.extract.context import Context
from extractor.extract.numbers import percent_consistent
from extractor.records import Check, EvidenceRecord, Response


def _fmt(x: float | int | None) -> str:
    return "?" if x is None else f"{x:g}"


def check_percents(record: EvidenceRecord) -> list[Check]:
    out = []
    for r in record.responses:
        if r.repaired:
            out.append(Check(check="percent_matches_count", status="repaired", detail=r.repaired))
            continue
        if r.n is None or not r.N or r.percent is None:
            continue
        status = "ok" if percent_consistent(r.n, r.N, r.percent) else "mismatch"
        sign = "=" if status == "ok" else "≠"
        out.append(Check(check="percent_matches_count", status=status,
                         detail=f"{r.n}/{r.N} {sign} {_fmt(r.percent)} % ({r.type}{', ' + r.arm if r.arm else ''})"))
    return out


def check_arms(record: EvidenceRecord, total: int | None) -> list[Check]:
    if any(a.evidence and a.evidence.rule == LEAD_IN_RULE for a in record.arms):
        return []  # an open-label lead-in holds the cohort; only some of it is randomised afterwards
    ns = [a.n for a in record.arms]
    if len(ns) < 2 or any(n is None for n in ns) or not total:
        return []
    s = sum(n for n in ns if n is not None)
    terms = " + ".join(str(n) for n in ns)
    if s == total:
        return [Check(check="arms_sum_to_total", status="ok", detail=f"{terms} = {total}")]
    return [Check(check="arms_sum_to_total", status="mismatch", detail=f"{terms} ≠ {total} randomised")]


def check_classes(record: EvidenceRecord, total: int | None) -> list[Check]:
    by_arm: dict[str | None, list[int]] = defaultdict(list)
    for c in record.ln_classes:
        if c.n is not None:
            by_arm[c.arm].append(c.n)
    arm_n = {a.id: a.n for a in record.arms}
    out = []
    for arm, counts in by_arm.items():
        want = arm_n.get(arm) if arm else total
        if not want:
            continue
        s = sum(counts)
        where = f" ({arm})" if arm else ""
        if s == want:
            out.append(Check(check="classes_sum_to_n", status="ok", detail=f"class counts{where} sum to {want}"))
        elif s < want:
            out.append(Check(check="classes_sum_to_n", status="warning",
                             detail=f"class counts{where} sum to {s} of {want} (classes missing or not reported)"))
        else:
            out.append(Check(check="classes_sum_to_n", status="mismatch", detail=f"class counts{where} sum to {s} > {want}"))
    return out


def check_abstract_vs_tables(record: EvidenceRecord, candidates: list[Response] | None = None) -> list[Check]:
    """The same response (type, arm, time) read from the abstract and from the results (prose or
    table) must agree.

    ``candidates`` are the responses as read, before repeats were merged (the record keeps one
    of two equal figures, so only the candidates show that the abstract and a table agree)."""
    seen: dict[tuple, tuple[str, object]] = {}
    out = []
    for r in candidates if candidates is not None else record.responses:
        if r.evidence is None or r.evidence.section not in ("abstract", "results", "tables"):
            continue
        time = (r.time.value, r.time.unit) if r.time else None
        key = (r.type, r.arm, time)
        val = (r.n, r.N, r.percent)
        part = "abstract" if r.evidence.section == "abstract" else "body"
        if key in seen and seen[key][0] != part:
            other = seen[key][1]
            same = other == val or (r.percent is not None and other[2] is not None and abs(other[2] - r.percent) < 0.5)  # type: ignore[index]
            out.append(Check(check="abstract_matches_table", status="ok" if same else "mismatch",
                             detail=f"{r.type}{' ' + r.arm if r.arm else ''}: abstract/table {other} vs {val}"))
        else:
            seen.setdefault(key, (part, val))
    return out


def run_checks(ctx: Context, record: EvidenceRecord) -> list[Check]:
    total = record.cohort.n if record.cohort else ctx.state.get("cohort_n")
    checks = check_percents(record) + check_arms(record, total) + check_classes(record, total)
    checks += check_abstract_vs_tables(record, ctx.state.get("response_candidates"))
    for item in [*record.ln_classes, *record.outcomes, *record.adverse_events, *record.interventions]:
        if item.repaired:
            checks.append(Check(check="repaired_value", status="repaired", detail=item.repaired))
    unique = {(c.check, c.status, c.detail): c for c in checks}  # a figure stated thrice is checked once
    return list(unique.values())
