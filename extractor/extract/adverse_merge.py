"""Merging the adverse events read from prose and from tables of one document.

* :func:`dedupe` — the same event (vocabulary id, arm, count) read twice keeps its first reading;
  a count of a sentence read both with an arm and without one keeps the reading with the arm.
* :func:`drop_prose_repeats` — prose that repeats a table ("Herpes zoster infections were reported
  in 5.1% and 9.5% ... compared with 2.0%" under a table with a herpes zoster row) gives nothing
  of its own: an item from prose is dropped when a table item of the same event has its percent
  (whatever arm prose attached it to), or its count in the same arm (or prose named no arm); and a
  prose percent of one named event (not a total, not death) in an arm whose table row gives another
  percent is dropped too (pooled terms or a misprint in prose: the table's row stands).
* :func:`drop_parts` — counts of one event with no arm that add up to another one's ("Eight deaths
  occurred before week 104", "An additional 4 deaths occurred after week 104", "A total of 12
  deaths occurred"): the parts go, the whole stays.
* :func:`drop_other_denominators` — a count from prose whose percent says it is out of far more
  than the trial's patients ("Of the 28,866 injections, 258 (0.9%) ...": injections or events) or
  far fewer than its smallest arm ("Eight patients (14.0%) who were positive for antibodies":
  a subgroup) is not the trial's count of patients with the event; so is a count of a sentence about a
  subgroup named by a size that is no arm's and not the trial's ("Among the 538 patients who tested
  negative for antibodies, 78 (14.5%) had ...", ``adverse.among_subgroup``).
"""

from __future__ import annotations

from extractor.extract.numbers import parse_number
from extractor.extract.tables import find_terms
from extractor.nlp.rules import regex
from extractor.records import AdverseEvent

TABLE_RULES = frozenset({"adverse.table_cell", "adverse.flat_table", "adverse.table_transposed"})
PERCENT_SAME = 0.051
MORE_THAN_TRIAL = 4.0  # implied denominator above 4 × all patients: injections, events, cycles
SUBGROUP = 0.5  # implied denominator below half the smallest arm: a subgroup
ONE_PATIENT_RULE = "adverse.one_patient"
TOTAL_FLAG = "total"
DEATH = "death"


def whole_canonical(term: str) -> str:
    """The vocabulary canonical of a term that is one vocabulary entry ("Serious adverse event" row
    = "serious adverse events" in prose), else the term itself."""
    hits = find_terms(term, "adverse_terms")
    if len(hits) == 1 and not term[: hits[0].start].strip() and not term[hits[0].end :].strip():
        return hits[0].canonical
    return term


def _key(e: AdverseEvent) -> str:
    return str(getattr(e, "canonical", None) or whole_canonical(e.term))


def dedupe(items: list[AdverseEvent]) -> list[AdverseEvent]:
    seen: set[tuple[object, ...]] = set()
    armed = {(_key(e), e.n, e.evidence.start) for e in items if e.arm is not None and e.n is not None and e.evidence}
    out = []
    for e in items:
        key = (_key(e), e.arm, e.n if e.n is not None else e.percent)
        if key in seen or e.arm is None and e.evidence and (_key(e), e.n, e.evidence.start) in armed:
            continue  # the same count of the same sentence, once with its arm and once without
        seen.add(key)
        out.append(e)
    return out


def _from_table(e: AdverseEvent) -> bool:
    return bool(e.evidence and e.evidence.rule in TABLE_RULES)


def _repeats(p: AdverseEvent, t: AdverseEvent) -> bool:
    if p.percent is not None and t.percent is not None and abs(p.percent - t.percent) <= PERCENT_SAME:
        return True
    return p.n is not None and p.n == t.n and (p.arm is None or p.arm == t.arm)


def _specific(e: AdverseEvent) -> bool:
    """Is the event one named event (not a total such as "serious adverse events", not death)?"""
    hits = find_terms(e.term, "adverse_terms")
    return bool(hits) and not any(TOTAL_FLAG in h.extra for h in hits) and _key(e) != DEATH


def _conflicts(p: AdverseEvent, t: AdverseEvent) -> bool:
    """A percent of one named event in one arm that differs from the table's ("Upper respiratory
    infections (reported under various terms) ... 36.4%" beside a table row at 13.1%): the table's wins."""
    return p.arm is not None and p.arm == t.arm and p.percent is not None and t.percent is not None and _specific(p)


def drop_prose_repeats(items: list[AdverseEvent]) -> list[AdverseEvent]:
    by_term: dict[str, list[AdverseEvent]] = {}
    for e in items:
        if _from_table(e):
            by_term.setdefault(_key(e), []).append(e)
    if not by_term:
        return items
    return [e for e in items if _from_table(e) or not any(
        _repeats(e, t) or _conflicts(e, t) for t in by_term.get(_key(e), []))]


def drop_parts(items: list[AdverseEvent]) -> list[AdverseEvent]:
    by_term: dict[str, list[AdverseEvent]] = {}
    for e in items:
        if e.arm is None and e.n is not None and not _from_table(e):
            by_term.setdefault(_key(e), []).append(e)
    parts: set[int] = set()
    for group in by_term.values():
        for whole in group:
            rest = [e for e in group if e is not whole and e.n is not None and whole.n is not None and 0 < e.n < whole.n]
            if len(rest) >= 2 and sum(e.n or 0 for e in rest) == whole.n:
                parts.update(id(e) for e in rest)
    return [e for e in items if id(e) not in parts]


def drop_case_mentions(items: list[AdverseEvent]) -> list[AdverseEvent]:
    """Drop one patient's event ("She developed TERM", rule ``adverse.one_patient``) when the report
    also counts that event over its patients ("TERM developed in five of six patients")."""
    counted = {_key(e) for e in items if e.evidence and e.evidence.rule != ONE_PATIENT_RULE and e.n}
    return [e for e in items if not (e.evidence and e.evidence.rule == ONE_PATIENT_RULE and _key(e) in counted)]


def drop_other_denominators(items: list[AdverseEvent], total: int | None, smallest: int | None) -> list[AdverseEvent]:
    out = []
    for e in items:
        if not _from_table(e) and e.n and e.percent and total:
            implied = 100.0 * e.n / e.percent
            if implied > MORE_THAN_TRIAL * total or smallest and implied < SUBGROUP * smallest:
                continue
        out.append(e)
    return out


def drop_subgroups(items: list[AdverseEvent], sizes: list[int]) -> list[AdverseEvent]:
    """Drop prose counts of a sentence about a subgroup whose size is none of ``sizes`` (arms, trial)."""
    out = []
    for e in items:
        m = None if _from_table(e) or not e.evidence else regex("adverse", "adverse.among_subgroup").search(e.evidence.text or "")
        size = parse_number(m["N"].replace(",", "")) if m else None
        span = getattr(e.evidence, "span", None)
        before = span is None or e.evidence.start is None or m is not None and e.evidence.start + m.end() <= span[0]
        if size and before and not any(abs(size - s) <= 0.01 * s for s in sizes if s):
            continue
        out.append(e)
    return out
