"""Pure parsing of time points: "at week 52", "1 month after transplantation", "W52",
"12-month follow-up", "the 3rd month", "baseline", "at the last follow-up".

Durations of dosing ("for 6 months", "every 4 weeks", "days 0 and 7"), ages ("aged 19 to 36
years") and disease durations are not outcome time points: :func:`find_timepoints` leaves them
out unless ``include_all=True``, in which case their ``kind`` says what they are.
Regexes: ``rules/regex/timepoints.jsonl``; units: ``rules/vocab/time_units.tsv``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from extractor.extract.numbers import parse_number, word_value
from extractor.nlp.rules import regex, vocab, vocab_rows

if TYPE_CHECKING:
    from extractor.extract.context import Context

FAMILY = "timepoints"
LOOKBEHIND = 40  # characters of context read before a mention to classify it
LOOKAHEAD = 20
CACHE_SIZE = 4096  # (text, follow-up, include_all) results kept: extractors re-read the same sentences
BASELINE_LABEL = "baseline"
LAST_FOLLOW_UP_LABEL = "last follow-up"
FOLLOW_UP_LABEL = "follow-up"

KIND_POINT = "point"
KIND_SCHEDULE = "schedule"  # "for 6 months", "every 4 weeks", "days 0 and 7"
KIND_AGE = "age"
KIND_DURATION = "duration"  # disease duration, history
TRANSLATED = "translated"  # flag of a unit word left in a translated report's source language
WORD_RULES = ("timepoints.n_word_unit", "timepoints.word_unit_n")  # any word; kept when a translated unit


@dataclass
class TimeMention:
    value: float
    unit: str  # day | week | month | year
    label: str | None
    start: int
    end: int
    surface: str
    kind: str = KIND_POINT
    rule: str = ""

    @property
    def is_schedule(self) -> bool:
        return self.kind == KIND_SCHEDULE

    def as_tuple(self) -> tuple[float, str]:
        return (self.value, self.unit)


# the time of a value stated at baseline (tables, "before treatment"); shared, never mutated
BASELINE = TimeMention(value=0.0, unit="day", label="baseline", start=0, end=0, surface="baseline")


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex(FAMILY, rule_id)


def unit_of(surface: str) -> str | None:
    """``"wks."`` → ``"week"``, ``"W"`` → ``"week"`` (rules/vocab/time_units.tsv)."""
    key = surface.strip().rstrip(".").lower()
    units = vocab("time_units")
    if key in units:
        return units[key]
    if key.endswith("s") and key[:-1] in units:
        return units[key[:-1]]
    return None


@lru_cache(maxsize=1)
def translated_units() -> frozenset[str]:
    """Unit words of rules/vocab/time_units.tsv flagged ``translated`` ("meses", "mois", "semana")."""
    return frozenset(row[1].lower() for row in vocab_rows("time_units") if TRANSLATED in row[2:])


def _ordinal(surface: str) -> float | None:
    s = surface.lower()
    if s[:1].isdigit():
        digits = "".join(ch for ch in s if ch.isdigit())
        return float(digits) if digits else None
    return word_value(s)


def _classify(text: str, start: int, end: int, unit: str | None = None) -> str:
    before = text[max(0, start - LOOKBEHIND) : start]
    after = text[end : end + LOOKAHEAD]
    if _rx("timepoints.age_after").search(after) or _rx("timepoints.age_before").search(before):
        return KIND_AGE
    if unit == "year" and _rx("timepoints.age_range_before").search(before):
        return KIND_AGE  # "patients of 18 to 55 years": an adult age range
    if _rx("timepoints.follow_up_after").search(after):
        return KIND_POINT
    if _rx("timepoints.schedule_before").search(before):
        return KIND_SCHEDULE
    if _rx("timepoints.duration_before").search(before):
        return KIND_DURATION
    return KIND_POINT


def find_timepoints(
    text: str,
    follow_up: tuple[float, str] | None = None,
    *,
    include_all: bool = False,
) -> list[TimeMention]:
    """Outcome time points in ``text`` (sorted by offset).

    ``"baseline"``/``"pre-treatment"``/``"before treatment"`` → 0 day, label ``"baseline"``;
    ``"at the last follow-up"``/``"end of follow-up"``/``"final visit"`` → ``follow_up`` when
    given (label ``"last follow-up"``), else left out (value unknown). ``include_all=True`` also
    returns schedules, ages and durations (see ``kind``)."""
    try:
        found = _cached(text, follow_up, include_all)
    except TypeError:  # an unhashable follow_up (a list): not cached
        found = _find(text, follow_up, include_all)
    return [TimeMention(t.value, t.unit, t.label, t.start, t.end, t.surface, t.kind, t.rule) for t in found]


@lru_cache(maxsize=CACHE_SIZE)
def _cached(text: str, follow_up: tuple[float, str] | None, include_all: bool) -> tuple[TimeMention, ...]:
    return tuple(_find(text, follow_up, include_all))


def _find(text: str, follow_up: tuple[float, str] | None, include_all: bool) -> list[TimeMention]:
    out: list[TimeMention] = []
    taken: list[tuple[int, int]] = []

    def add(tm: TimeMention) -> None:
        if any(tm.start < e and s < tm.end for s, e in taken):
            return
        taken.append((tm.start, tm.end))
        if include_all or tm.kind == KIND_POINT:
            out.append(tm)

    for m in _rx("timepoints.schedule_list").finditer(text):
        unit = unit_of(m.group(0).split()[0])
        first = parse_number(m.group(0).split()[1].rstrip(","))
        if unit and first is not None:
            add(TimeMention(first, unit, None, m.start(), m.end(), m.group(0), KIND_SCHEDULE, "timepoints.schedule_list"))
    for m in _rx("timepoints.baseline").finditer(text):
        add(TimeMention(0.0, "day", BASELINE_LABEL, m.start(), m.end(), m.group(0), rule="timepoints.baseline"))
    for m in _rx("timepoints.last_follow_up").finditer(text):
        if follow_up is None:
            taken.append((m.start(), m.end()))
            continue
        add(TimeMention(float(follow_up[0]), follow_up[1], LAST_FOLLOW_UP_LABEL, m.start(), m.end(), m.group(0),
                        rule="timepoints.last_follow_up"))
    for rule in ("timepoints.unit_n", "timepoints.letter_n", "timepoints.ordinal", "timepoints.n_unit", *WORD_RULES):
        for m in _rx(rule).finditer(text):
            g = m.groupdict()
            if rule in WORD_RULES and g["unit"].lower() not in translated_units():
                continue
            unit = unit_of(g["unit"])
            value = _ordinal(g["ord"]) if g.get("ord") else parse_number(g["num"]) if g.get("num") else None
            if value is None and g.get("num"):
                value = word_value(g["num"])
            if unit is None or value is None:
                continue
            kind = _classify(text, m.start(), m.end(), unit)
            label = FOLLOW_UP_LABEL if kind == KIND_POINT and _rx("timepoints.follow_up_after").search(
                text[m.end() : m.end() + LOOKAHEAD]) else None
            add(TimeMention(value, unit, label, m.start(), m.end(), m.group(0), kind, rule))
    out.sort(key=lambda t: t.start)
    return out


def nearest_timepoint(mentions: list[TimeMention], offset: int, text: str | None = None) -> TimeMention | None:
    """The mention governing a value at ``offset``: the closest one before it in the same clause
    (clause breaks ``;`` ``.`` newline, checked when ``text`` is given), else the closest one."""
    points = [m for m in mentions if m.kind == KIND_POINT]
    if not points:
        return None
    before = [m for m in points if m.end <= offset]
    if before:
        cand = max(before, key=lambda m: m.end)
        if text is None or not _rx("timepoints.clause_break").search(text[cand.end : offset]):
            return cand
    return min(points, key=lambda m: min(abs(m.start - offset), abs(m.end - offset)))


COURSE_LENGTH_RULES = ("timepoints.course_length_first", "timepoints.course_length_after", "timepoints.course_length_adjective")


def course_length(text: str) -> tuple[float, str] | None:
    """The length of one treatment course (cycle) a report states ("4 weeks was 1 course of
    treatment", "each course lasted 4 weeks", "28-day cycles"): ``(value, unit)`` when the report
    states exactly one, else None."""
    found: set[tuple[float, str]] = set()
    for rule in COURSE_LENGTH_RULES:
        for m in _rx(rule).finditer(text):
            raw = m["num"].replace(",", ".")
            value = parse_number(raw) if raw[:1].isdigit() else word_value(raw.replace("-", " "))
            unit = unit_of(m["unit"])
            if value and unit:
                found.add((float(value), unit))
    return next(iter(found)) if len(found) == 1 else None


def report_course_length(ctx: Context) -> tuple[float, str] | None:
    """:func:`course_length` of the whole report, read once per document (``ctx.state``)."""
    if "course_length" not in ctx.state:
        ctx.state["course_length"] = course_length(ctx.text)
    return ctx.state["course_length"]  # type: ignore[no-any-return]


def course_points(text: str, length: tuple[float, str] | None) -> list[TimeMention]:
    """Time points counted in courses ("after 3 courses of treatment", "at the end of the third
    cycle"): the number of courses times ``length`` (None: no course length known, no points)."""
    if length is None:
        return []
    out = []
    for m in _rx("timepoints.after_courses").finditer(text):
        n = _ordinal(m["n"])
        if n:
            out.append(TimeMention(n * length[0], length[1], None, m.start(), m.end(), m.group(0), KIND_POINT,
                                   "timepoints.after_courses"))
    return out
