"""Dose attribution beyond "a dose written against its agent" (used by :mod:`dosing`).

* :func:`titrate` — "started at X and increased to a target of Y": amount X, ``high`` Y.
* :func:`summed_parts` — "fish oil (6 capsules/day equaling 2.25 g EPA and 2.25 g DHA)": a product
  dosed as the sum of its components gets one dose, the sum (same unit, none per kg/m²).
* :func:`share_either` — "40 mg of either test X or reference Y": the dose written before
  "either" belongs to both alternatives.
* :func:`then_doses` — a sequential regimen of one agent ("5 mg/kg as a 30-min infusion, followed
  by an infusion of 10 mg/kg"; "an infusion of X (3 mg/kg), followed by a second infusion of X
  (2 mg/kg)"): each later dose is a dose of its own (loading then maintenance, first then
  second infusion), so the document-level merging keeps it beside the first. Only doses given once
  (no "/day" rate): "50 mg/d for 3 days, then 20 mg/d" is one oral regimen, read as its first dose.

Pure functions over one clause; agents are :class:`Term`, doses :class:`Quantity`, indices refer
to the agents list.
"""

from __future__ import annotations

from dataclasses import replace

from extractor.extract.quantities import Quantity
from extractor.extract.terms import Term
from extractor.nlp.rules import regex

THEN_RULE = "then_dose"  # suffix of the evidence rule of a later dose of a sequential regimen


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex("dosing", rule_id)


def summed_parts(text: str, agents: list[Term], doses: list[Quantity]) -> dict[int, Quantity]:
    """agent index → the sum of the component doses written right after it (two or more, one unit)."""
    got: dict[int, Quantity] = {}
    for i, a in enumerate(agents):
        first = next((k for k, q in enumerate(doses) if q.start >= a.end), None)
        if first is None or not _rx("dosing.parts_lead").match(text[a.end : doses[first].start]):
            continue
        parts = [doses[first]]
        for q in doses[first + 1 :]:
            if not _rx("dosing.parts_join").match(text[parts[-1].end : q.start]):
                break
            parts.append(q)
        same = all(q.unit == parts[0].unit and q.per is None and q.high is None for q in parts)
        if len(parts) < 2 or not same or not _rx("dosing.part_name").match(text[parts[-1].end :]):
            continue
        if any(parts[0].start < b.start < parts[-1].end for b in agents):
            continue  # the components are agents of their own ("2 g X and 1 g Y")
        got[i] = replace(parts[0], value=sum(q.value for q in parts), end=parts[-1].end,
                         surface=text[parts[0].start : parts[-1].end], rate=next((q.rate for q in parts if q.rate), None))
    return got


def share_either(text: str, agents: list[Term], got: dict[int, Quantity]) -> None:
    """In place: "DOSE of either A or B" gives B the dose of A."""
    for i, a in enumerate(agents[:-1]):
        q = got.get(i)
        if q is None or q.end > a.start or not _rx("dosing.either_gap").match(text[q.end : a.start]):
            continue
        j = i + 1
        if j not in got and _rx("dosing.or_gap").match(text[a.end : agents[j].start]):
            got[j] = q


def then_doses(text: str, agents: list[Term], doses: list[Quantity], got: dict[int, Quantity]) -> list[tuple[int, Quantity]]:
    """(agent index, later dose) of a sequential regimen: a dose no agent took, written after a
    dosed agent behind "followed by (a second/continuous infusion of)" with no agent between."""
    taken = {id(q) for q in got.values()}
    out: list[tuple[int, Quantity]] = []
    for i, q in sorted(got.items(), key=lambda kv: kv[1].start):
        for later in doses:
            if id(later) in taken or later.start < q.end or later.unit != q.unit or later.per != q.per or later.rate or q.rate:
                continue
            if any(q.end <= a.start < later.start for a in agents):
                break
            if _rx("dosing.then_dose_gap").match(text[q.end : later.start]):
                out.append((i, later))
                taken.add(id(later))
            break
    return out


def is_then(text: str, agents: list[Term], got: dict[int, Quantity], j: int) -> bool:
    """Is agent ``j`` (dosed) a later dose of the same agent dosed before it ("..., followed by a
    second infusion of X (2 mg/kg)")?"""
    q = got.get(j)
    if q is None:
        return False
    for i in range(j - 1, -1, -1):
        p = got.get(i)
        if agents[i].canonical != agents[j].canonical or p is None:
            continue
        return p.end <= agents[j].start and (p.value, p.unit) != (q.value, q.unit) and not (p.rate or q.rate) and bool(
            _rx("dosing.then_dose_gap").match(_drop_placebo(text[p.end : agents[j].start])))
    return False


def _drop_placebo(gap: str) -> str:
    """") or placebo over 10 min, followed by a second infusion of " → the part after the last "or placebo"."""
    at = gap.lower().rfind("placebo")
    return gap[at + len("placebo") :] if at >= 0 else gap


def titrate(text: str, agents: list[Term], doses: list[Quantity], got: dict[int, Quantity]) -> None:
    """In place: a titrated regimen ("started at 1 g/day and raised to a target of 2.5 g/day") keeps
    its starting dose as the amount and takes the target as ``high``. A start written per
    administration with its daily total in brackets ("500 mg twice a day (1000 mg/day) and increased
    to 3000 mg/day") is read as that daily total, on the same basis as a per-day target."""
    taken = {id(q) for q in got.values()}
    for i, q in list(got.items()):
        nxt = next((a.start for a in agents if a.start >= q.end), len(text))
        cue = _rx("dosing.titration_cue").search(text, q.end, nxt)
        if cue is None:
            continue
        targets = [d for d in doses if cue.end() <= d.start < nxt and id(d) not in taken
                   and d.unit == q.unit and d.per == q.per]
        if not targets:
            continue
        start = q
        total = next((d for d in doses if q.end <= d.start < cue.start() and d.rate and d.unit == q.unit
                      and _rx("dosing.paren_total_gap").match(text[q.end : d.start])), None)
        if total is not None and not q.rate:
            start = total
        target = next((t for t in targets if bool(t.rate) == bool(start.rate)), targets[0])
        if start.high is None and target.value > start.value:
            got[i] = replace(start, high=target.value)
        else:
            got[i] = start


def either_doses(text: str, agents: list[Term], doses: list[Quantity], got: dict[int, Quantity]) -> list[tuple[int, Quantity]]:
    """(agent index, dose) of the alternative regimens of one undosed agent ("IVCY followed either
    the NIH schedule (0.5–1 g/m² monthly ...) or the Euro-Lupus schedule (500 mg every two weeks ...)"):
    the first dose of each alternative, with no agent between. Fills ``got`` with the first one."""
    taken = {id(q) for q in got.values()}
    out: list[tuple[int, Quantity]] = []
    for i, a in enumerate(agents):
        if i in got or not _rx("dosing.either_lead").match(text[a.end :]):
            continue
        stop = next((b.start for b in agents[i + 1 :]), len(text))
        free = [q for q in doses if a.end <= q.start < stop and id(q) not in taken]
        picked = free[:1]
        for q in free[1:]:
            if _rx("dosing.alternative_break").search(text[picked[-1].end : q.start]):
                picked.append(q)
        if len(picked) < 2:
            continue
        got[i] = picked[0]
        out += [(i, q) for q in picked[1:]]
        taken |= {id(q) for q in picked}
    return out

