"""Trial design: type, phase, randomisation, blinding and follow-up length.

Cues are read from the title, abstract and methods (background and discussion sentences talk
about other trials). Regexes: ``rules/regex/design.jsonl``. Puts ``ctx.state["design"]`` and
``ctx.state["follow_up"]`` (``(value, unit)`` or None) for later extractors.
"""

from __future__ import annotations

from collections import Counter

from extractor.extract.context import Context, Sentence
from extractor.extract.numbers import parse_number
from extractor.extract.timepoints import KIND_POINT, find_timepoints, unit_of
from extractor.nlp.rules import regex
from extractor.records import Design, FollowUp

FAMILY = "design"
DESIGN_SECTIONS = (None, "title", "abstract", "methods", "other")
FOLLOW_UP_SECTIONS = (None, "title", "abstract", "methods", "results", "other")
DAYS_PER_UNIT = {"minute": 1 / 1440, "hour": 1 / 24, "day": 1.0, "week": 7.0, "month": 30.44, "year": 365.25}
MAX_FOLLOW_UP_DAYS = 40 * 365.25
REPEATED = 2  # the latest time point named at least this often is the follow-up when none is stated
BLINDING_RULES = (
    ("design.double_blind", "double-blind"),
    ("design.triple_blind", "triple-blind"),
    ("design.single_blind", "single-blind"),
    ("design.open_label", "open-label"),
)
_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex(FAMILY, rule_id)


def _sentences(ctx: Context, sections: tuple[str | None, ...]) -> list[Sentence]:
    return [s for s in ctx.mined_sentences() if s.section in sections]


def _first_hit(sentences: list[Sentence], rule: str):  # type: ignore[no-untyped-def]
    for s in sentences:
        m = _rx(rule).search(s.text)
        if m:
            return s, m
    return None


def normalise_phase(m) -> str:  # type: ignore[no-untyped-def]
    """``phase 2b`` → ``IIb``; ``phase I/II`` → ``I/II``."""
    out = _ROMAN.get(m["p"], m["p"].upper()) + (m["sub"] or "").lower()
    if m["p2"]:
        out += "/" + _ROMAN.get(m["p2"], m["p2"].upper()) + (m["sub2"] or "").lower()
    return out


def _days(value: float, unit: str) -> float:
    return value * DAYS_PER_UNIT.get(unit, 1.0)


def find_follow_up(ctx: Context) -> FollowUp | None:
    """An explicit follow-up length, else the latest outcome time point reported more than once
    (a time named once is usually an event's date or a patient's history)."""
    sents = _sentences(ctx, FOLLOW_UP_SECTIONS)
    for s in sents:  # "treated for 24 weeks and followed up for a further 24 weeks": 48 weeks in all
        further, treated = _rx("design.follow_up_further").search(s.text), _rx("design.treatment_duration").search(s.text)
        if further and treated:
            return _sum_lengths(treated, further)
    for rule in ("design.follow_up", "design.followed_for", "design.follow_up_every_for", "design.follow_up_through",
                 "design.follow_up_before", "design.study_duration"):
        for s in sents:
            for m in _rx(rule).finditer(s.text):
                if _rx("design.threshold_before").search(s.text[max(0, m.start() - 15) : m.start()]):
                    continue  # "100 patients had ≥12 weeks of follow-up": a subgroup's minimum
                if _rx("design.post_treatment_after").search(s.text[m.end() :]):
                    continue  # "a 12-week follow-up period after the final dose": the off-treatment tail
                value, unit = parse_number(m["num"]), unit_of(m["unit"])
                if value is not None and unit and 0 < _days(value, unit) <= MAX_FOLLOW_UP_DAYS:
                    return FollowUp(value=value, unit=unit)
    seen: Counter[tuple[float, str]] = Counter()
    for s in sents:
        if s.section not in (None, "results", "abstract", "other"):
            continue
        for tm in find_timepoints(s.text):
            if tm.kind == KIND_POINT and tm.label is None and tm.value == int(tm.value) and 0 < _days(tm.value, tm.unit) <= MAX_FOLLOW_UP_DAYS:
                seen[(tm.value, tm.unit)] += 1
    repeated = [k for k, count in seen.items() if count >= REPEATED] or list(seen)  # a visit named once is an event's date
    best = max(repeated, key=lambda k: _days(*k), default=None)
    return FollowUp(value=best[0], unit=best[1]) if best else None


def _sum_lengths(first, then) -> FollowUp | None:  # type: ignore[no-untyped-def]
    """Two consecutive periods as one length, in the first period's unit when the units agree."""
    parts = []
    for m in (first, then):
        num, unit = (m["num"], m["unit"]) if m["num"] else (m["num2"], m["unit2"])
        value, unit = parse_number(num), unit_of(unit)
        if value is None or unit is None:
            return None
        parts.append((value, unit))
    (a, ua), (b, ub) = parts
    if ua == ub:
        return FollowUp(value=a + b, unit=ua)
    return FollowUp(value=round((_days(a, ua) + _days(b, ub)) / DAYS_PER_UNIT["month"], 1), unit="month")


def find_phase(ctx: Context, titled: list[Sentence]) -> str | None:
    """The trial's own phase: the first "phase N" in title / abstract / methods that does not
    name a future or earlier trial ("chosen for phase 3"); else one the report states for
    itself anywhere ("this protocol describes a phase III study"); else the phase named most often
    anywhere else (a registration, the programme the trial belongs to)."""
    for s in titled:
        for m in _rx("design.phase").finditer(s.text):
            if not _rx("design.phase_elsewhere").search(s.text[max(0, m.start() - 60) : m.start()]):
                return normalise_phase(m)
    anywhere: Counter[str] = Counter()
    for s in ctx.mined_sentences():
        for self_m in _rx("design.phase_self").finditer(s.text):
            m = _rx("design.phase").match(s.text, self_m.end() - len("phase"))
            if m:
                return normalise_phase(m)
        anywhere.update(normalise_phase(m) for m in _rx("design.phase").finditer(s.text)
                        if not _rx("design.phase_elsewhere").search(s.text[max(0, m.start() - 60) : m.start()]))
    return anywhere.most_common(1)[0][0] if anywhere else None  # "registered (Phase III/CTRI/...)", "phase 3 programme"


def _randomised(titled: list[Sentence]) -> bool:
    """A randomisation cue that is not a call for a future randomised trial."""
    for s in titled:
        masked = _rx("design.randomised_elsewhere").sub(" ", s.text)
        if _rx("design.randomised").search(masked):
            return True
    return False


def extract_design(ctx: Context) -> Design:
    sents = _sentences(ctx, DESIGN_SECTIONS)
    titled = [s for s in sents if s.section in ("title", "abstract")] + [s for s in sents if s.section not in ("title", "abstract")]
    phase = find_phase(ctx, titled)
    non_rand = _first_hit(titled, "design.non_randomised") is not None
    synthesis = _first_hit([s for s in sents if s.section in ("title", "abstract")] or sents[:5], "design.evidence_synthesis")
    randomised = (not non_rand) and not synthesis and _randomised(titled)
    blinding = None
    for rule, name in BLINDING_RULES:
        if _first_hit(titled, rule):
            blinding = name
            break
    title_abstract = [s for s in sents if s.section in ("title", "abstract")] or sents[:3]
    if synthesis:
        dtype = "other"
    elif _first_hit(title_abstract, "design.cohort"):
        dtype = "cohort"
    elif randomised:
        dtype = "randomised"
    elif _first_hit(titled, "design.case_series"):
        dtype = "case-series"
    elif _first_hit(titled, "design.single_arm"):
        dtype = "single-arm"
    elif _first_hit(titled, "design.controlled"):
        dtype = "non-randomised-controlled"
    else:
        dtype = "single-arm" if sents else None
    follow_up = find_follow_up(ctx)
    design = Design(type=dtype, phase=phase, randomised=randomised, blinding=blinding, follow_up=follow_up)
    ctx.state["design"] = design
    ctx.state["follow_up"] = (follow_up.value, follow_up.unit) if follow_up else None
    return design
