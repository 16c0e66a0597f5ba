"""Dosing schedules written in a clause ("days 0 and 7", "every 2 weeks ×6", "monthly for 6 months",
"six monthly pulses", "single infusion", "twice daily", "×3"): :func:`find_schedules`, each with
the number of doses it gives when it gives one. Pure functions over plain text; the patterns are
``dosing.schedule.*`` in ``rules/regex/dosing.jsonl`` and ``rules/vocab/schedules.tsv``."""

from __future__ import annotations

from dataclasses import dataclass

from extractor.extract.numbers import parse_number
from extractor.extract.tables import find_terms
from extractor.nlp.rules import regex

COUNT_UNITS = {"day": "day", "days": "day", "week": "week", "weeks": "week", "wk": "week", "wks": "week", "w": "week",
               "month": "month", "months": "month", "m": "month"}
FREQ_UNIT = {"daily": "day", "weekly": "week", "monthly": "month", "fortnightly": "fortnight"}


@dataclass
class _Sched:
    text: str
    doses: int | None
    start: int
    end: int



def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex("dosing", rule_id)


def _count(raw: str | None) -> int | None:
    if not raw:
        return None
    v = parse_number(raw)
    return int(v) if v is not None and v == int(v) and 0 < v < 100 else None


def find_schedules(text: str) -> list[_Sched]:
    """Schedules in a clause: "days 0 and 7" (2 doses), "every 2 weeks ×6" (6), "monthly for 6
    months" (6), "six monthly pulses" (6), "single infusion" (1), "twice daily", "×3"."""
    out: list[_Sched] = []

    def add(s: _Sched) -> None:
        if not any(s.start < o.end and o.start < s.end for o in out):
            out.append(s)

    for m in _rx("dosing.schedule.days_list").finditer(text):
        nums = [n for n in m["list"].replace(",", " ").replace("&", " ").split() if n.isdigit()]
        add(_Sched(f"{m['unit'].lower().rstrip('s')}s {_join(nums)}", len(nums), m.start(), m.end()))
    for m in _rx("dosing.schedule.every").finditer(text):
        n = _count(m["n"]) or 1
        unit = COUNT_UNITS.get(m["unit"].lower(), m["unit"].lower())
        label = f"every {n} {unit}s" if n > 1 else f"every {unit}"
        count = _count(m["count"])
        add(_Sched(label + (f" ×{count}" if count else ""), count, m.start(), m.end()))
    for m in _rx("dosing.schedule.freq_for").finditer(text):
        count = _count(m["count"])
        unit = (m["unit"] or "").lower()
        freq = m["freq"].lower()
        same = not unit or unit.rstrip("s") == FREQ_UNIT.get(freq) or unit in {"doses", "times", "infusions", "pulses", "cycles"}
        add(_Sched(f"{freq} for {count} {unit}".strip() if unit else f"{freq} ×{count}", count if same else None, m.start(), m.end()))
    counted = []  # "two 1-g infusions": yields to a schedule that gives the same count with its days
    for m in _rx("dosing.schedule.n_pulses").finditer(text):
        counted.append(_Sched(m.group(0).lower(), _count(m["count"]), m.start(), m.end()))
        add(counted[-1])
    for m in _rx("dosing.schedule.an_infusion").finditer(text):
        add(_Sched("single infusion", 1, m.start(), m.end()))
    for t in find_terms(text, "schedules"):
        fixed = t.extra[0] if t.extra and t.extra[0].isdigit() else None
        add(_Sched(t.canonical, int(fixed) if fixed else None, t.start, t.end))
    for m in _rx("dosing.schedule.times").finditer(text):
        word = (m["word"] or "").lower()
        count = _count(m["count"]) or {"once": 1, "twice": 2, "thrice": 3}.get(word)
        add(_Sched(f"×{count}", count, m.start(), m.end()))
    out = [s for s in out if s not in counted or not any(o is not s and o.doses == s.doses for o in out)]
    out.sort(key=lambda s: s.start)
    return out


def _join(nums: list[str]) -> str:
    return nums[0] if len(nums) == 1 else ", ".join(nums[:-1]) + " and " + nums[-1]
