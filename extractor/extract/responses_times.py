"""Time points (and arms) of the values of one clause that states several time points.

* :func:`with_time_lists`: a list of numbers sharing one unit ("at 6, 12 and 24 months", "at
  weeks 24 and 52") is one time point per number; the core time rules read only the last. "Half a
  year" is month 6; "over 24 months" (a counting window) is month 24 when the clause names no
  other time point.
* :func:`value_slots`: which time point each value of a clause is read at (None: no opinion, the
  nearest time point decides):
  - values each followed by their own time point ("20% at 6 months, 35% at 12 months", "45% vs
    30% at month 6 and 60% vs 41% at month 12"): each value takes the first time point after it;
  - a time list before or after the values ("at 6 and 12 months were 20% and 35%", "12 (20%) and
    21 (35%) at 6 and 12 months, respectively"): as many values as time points take them in order;
    k time points × m arms values form a grid, arm by arm ("30% and 42% in A versus 16% and 22%
    in B") or time by time ("30% vs 16% and 42% vs 22%"), the layout read from where the arms
    are named and where "vs" stands; runs of one response type each repeat the list ("CR rates at
    weeks 12 and 24 were 20% and 35%, and PR rates 10% and 15%").
Regexes: ``rules/regex/responses.jsonl`` (``responses.time_list_*``, ``responses.value_time_gap``,
``responses.grid_versus_gap``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from extractor.extract.numbers import CountPercent
from extractor.extract.timepoints import KIND_POINT, TimeMention, unit_of
from extractor.nlp.rules import regex

LIST_RULES = ("responses.time_list_unit_after", "responses.time_list_unit_before")
HALF_YEAR_MONTHS = 6.0
RANGE_LOOKBACK = 12  # characters before a time list searched for "between" / "from"


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex("responses", rule_id)


@dataclass
class Slots:
    """Time point of every value (None: not decided here) and, for a grid, the arm of every value."""

    times: list[TimeMention | None]
    arms: list[str | None] | None = None
    decided: bool = True  # False: the nearest time points, only to tell runs of values apart


def with_time_lists(text: str, times: list[TimeMention], values: list[CountPercent]) -> list[TimeMention]:
    """``times`` with each time list of ``text`` replaced by one mention per listed number."""
    found: list[TimeMention] = []
    spans: list[tuple[int, int]] = []
    for rule in LIST_RULES:
        for m in _rx(rule).finditer(text):
            if any(v.start < m.end() and m.start() < v.end for v in values):
                continue
            if _rx("responses.time_list_range_before").search(text[max(0, m.start() - RANGE_LOOKBACK) : m.start()]):
                continue  # "between 6 and 12 months": a range, not two time points
            unit = unit_of(m.group("unit"))
            if unit is None or any(s < m.end() and m.start() < e for s, e in spans):
                continue
            spans.append((m.start(), m.end()))
            for num in _rx("responses.count_list_number").finditer(text, m.start("list"), m.end("list")):
                found.append(TimeMention(float(num.group(0)), unit, None, num.start(), num.end(), num.group(0),
                                         KIND_POINT, rule))
    alone = not found and not any(t.kind == KIND_POINT for t in times)  # a window is a time point only when no other is
    for m in _rx("responses.time_over_window").finditer(text) if alone else ():  # "relapsed ... over 24 months"
        if not any(s < m.end() and m.start() < e for s, e in spans) and unit_of(m["unit"]):
            spans.append((m.start(), m.end()))
            found.append(TimeMention(float(m["num"]), unit_of(m["unit"]) or "", None, m.start(), m.end(), m.group(0),
                                     KIND_POINT, "responses.time_over_window"))
    for m in _rx("responses.time_half_year").finditer(text):  # "treatment half year": 6 months
        spans.append((m.start(), m.end()))
        found.append(TimeMention(HALF_YEAR_MONTHS, "month", None, m.start(), m.end(), m.group(0), KIND_POINT,
                                 "responses.time_half_year"))
    if not found:
        return times
    kept = [t for t in times if not any(t.start < e and s < t.end for s, e in spans)]
    return sorted(kept + found, key=lambda t: t.start)


def value_slots(text: str, times: list[TimeMention], values: list[CountPercent], arm_of: Callable[[str], str | None],
                order: list[str], types: list[list[str]] | None = None) -> Slots | None:
    """Pure: the time point (and, for a grid, the arm) of each value of a clause, or None
    (``types``: the response types of each value; runs of one type repeat a time list)."""
    points = [t for t in times if t.kind == KIND_POINT]
    if len(points) < 2 or len(values) < 2:
        return None
    return _post_times(text, points, values) or _listed(text, points, values, arm_of, order) or _typed_runs(
        text, points, values, types or [])


def _typed_runs(text: str, points: list[TimeMention], values: list[CountPercent], types: list[list[str]]) -> Slots | None:
    """"CR rates at weeks 12 and 24 were 20% and 35%, and PR rates 10% and 15%": each run of one
    type has as many values as the time list has points."""
    k = len(points)
    if len(types) != len(values) or len(values) % k or len(values) == k:
        return None
    if any(not _rx("responses.time_list_gap").match(text[a.end : b.start]) for a, b in zip(points, points[1:])):
        return None
    if values[0].start < points[-1].end:
        return None
    runs = [types[i : i + k] for i in range(0, len(values), k)]
    if any(len({tuple(t) for t in run}) != 1 for run in runs) or len({tuple(run[0]) for run in runs}) != len(runs):
        return None
    return Slots([points[i % k] for i in range(len(values))])


def _post_times(text: str, points: list[TimeMention], values: list[CountPercent]) -> Slots | None:
    """Every time point written right after a value, the last value followed by one."""
    if values[-1].end > points[-1].start or points[0].start < values[0].end:
        return None
    for p in points:
        before = [v for v in values if v.end <= p.start]
        if not before or not _rx("responses.value_time_gap").match(text[before[-1].end : p.start]):
            return None
    return Slots([next(p for p in points if p.start >= v.end) for v in values])


def _listed(text: str, points: list[TimeMention], values: list[CountPercent], arm_of: Callable[[str], str | None],
            order: list[str]) -> Slots | None:
    """One time list and every value on one side of it."""
    if any(not _rx("responses.time_list_gap").match(text[a.end : b.start]) for a, b in zip(points, points[1:])):
        return None
    after = values[0].start >= points[-1].end
    if not after and values[-1].end > points[0].start:
        return None
    k, n, m = len(points), len(values), len(order)
    if n == k:
        return Slots(list(points))
    if m < 2 or n != k * m:
        return None
    gaps = [text[v.end : w.start] for v, w in zip(values, values[1:])]
    gaps.append(text[values[-1].end : points[0].start] if not after else text[values[-1].end :])
    named = [arm_of(g) for g in gaps]
    lead = arm_of(text[points[-1].end if after else 0 : values[0].start])
    inner = [j for j in range(n - 1) if (j + 1) % k]
    bounds = [(b + 1) * k - 1 for b in range(m)]
    if not any(named[j] for j in inner):
        block_arms = [named[j] for j in bounds]  # "30% and 42% in A versus 16% and 22% in B"
        if None in block_arms or len(set(block_arms)) < m:
            block_arms = [lead] + [named[j] for j in bounds[:-1]]  # "in A 30% and 42%, in B 16% and 22%"
        if None not in block_arms and len(set(block_arms)) == m:
            return Slots([points[i % k] for i in range(n)], [block_arms[i // k] for i in range(n)])
    versus = [bool(_rx("responses.grid_versus_gap").search(g)) for g in gaps[:-1]]
    if all(versus[j] == bool((j + 1) % m) for j in range(n - 1)):
        return Slots([points[i // m] for i in range(n)], [order[i % m] for i in range(n)])  # "30% vs 16% and 42% vs 22%"
    return None
