"""Building blocks shared by the prose and table readers of responses: typed terms, the item
itself, and the time point a rate is read at when its sentence or row states none."""

from __future__ import annotations

from collections import Counter

from extractor.extract.context import Context
from extractor.extract.numbers import CountPercent
from extractor.extract.responses_endpoints import endpoint_time
from extractor.extract.responses_values import NAME_SEP, fits_size, generic_type, is_generic, primary_time, settle, term_name
from extractor.extract.tables import Term, arm_n, arms, find_terms, follow_up, timepoints_in
from extractor.extract.timepoints import TimeMention, course_points, report_course_length
from extractor.nlp.rules import regex
from extractor.records import Response, TimePoint

STEROID_TAPER = "glucocorticoid reduction"  # name of the dose-taper responder end point


def as_time(tm: TimeMention | None) -> TimePoint | None:
    if tm is None:
        return None
    return TimePoint(value=tm.value, unit=tm.unit, label=tm.label)  # type: ignore[arg-type]


def typed_terms(ctx: Context, text: str) -> list[Term]:
    """Response terms of ``text`` keyed by type (``other|ACR20`` for named responder end points);
    a bare "response"/"remission" takes the document's :func:`generic_type` or is dropped."""
    out = []
    gtype = None
    specific_end = -1  # end of the last specific term: "BICLA responses" is one BICLA term
    for t in find_terms(text, "response_terms"):
        key = t.canonical
        if regex("responses", "responses.term_free_after").match(text[t.end :]):
            continue  # "relapse-free survival", "flare-free": the complement, not the event rate
        if is_generic(t) and specific_end >= 0 and not text[specific_end : t.start].strip(" -"):
            continue
        specific_end = -1 if is_generic(t) else t.end
        if is_generic(t):
            gtype = gtype or generic_type(ctx) or ""
            if not gtype:
                continue
            key = gtype
        name = term_name(t)
        if name and NAME_SEP not in key:
            key = f"{key}{NAME_SEP}{name}"
        out.append(Term(key, t.start, t.end, t.surface, t.extra))
    for m in regex("responses", "responses.level_attained").finditer(text):
        if not any(t.start < m.end() and m.start() < t.end for t in out):  # "normal vitamin D levels were achieved"
            name = f"{m.group('adj').lower()} {' '.join(m.group('what').split())} level".replace("  ", " ")
            out.append(Term(f"other{NAME_SEP}{name}", m.start(), m.end(), m.group(0), (f"name={name}",)))
    taper = regex("responses", "responses.steroid_taper") if regex("responses", "responses.steroid_word").search(text) else None
    for m in taper.finditer(text) if taper else ():  # "the dose was reduced by >= 25% to 7.5 mg/day or less in 54 of 302"
        if not any(t.start < m.end() and m.start() < t.end for t in out):
            out.append(Term(f"other{NAME_SEP}{STEROID_TAPER}", m.start(), m.end(), m.group(0), (f"name={STEROID_TAPER}",)))
    for m in regex("responses", "responses.elided_adjective").finditer(text):
        if any(t.start <= m.start() < t.end for t in out):
            continue
        whole = find_terms(f"{m.group('adj')} {m.group('noun')}", "response_terms")
        if whole:  # "a complete and 5 (41.7%) a partial response": "complete" is a complete response
            out.append(Term(whole[0].canonical, m.start(), m.end(), m.group(0), whole[0].extra))
    return sorted(out, key=lambda t: t.start)


def sizes_of(ctx: Context) -> tuple[int, ...]:
    """Arm and cohort sizes: the denominators a garbled percent may be proved against."""
    out = [int(a.n) for a in arms(ctx) if a.n]
    total = arm_n(ctx, None)
    return tuple(out + ([total] if total and total not in out else []))


def sizes_hold(ctx: Context, pairs: list[tuple[CountPercent, str | None]]) -> bool:
    """Pure over the arms: do the arm sizes serve as the denominators of a clause's rates? Rates
    read together share one population; when a bare percent of it cannot be k of its arm's size
    ("ACR20 82% vs 79.2%" with 60 per arm: 79.2 % is of 53 completers) none of them is of the arm."""
    for v, arm_id in pairs:
        size = arm_n(ctx, arm_id) if arm_id else None
        if size and v.n is None and v.N is None and v.percent is not None and not fits_size(v.percent, int(size)):
            return False
    return True


def make_item(ctx: Context, key: str, arm_id: str | None, time: TimePoint | None, v: CountPercent,
              repaired: str | None, evidence: object, total: int | None = None, sizes: bool = True) -> Response | None:
    """The item of one value; ``total`` is the clause's own denominator ("Among the 24 ..."); with
    ``sizes`` False the arm size is no denominator (the rate is of completers only)."""
    n, N, pct = settle(v, total or (arm_n(ctx, arm_id) if sizes else None))
    if n is None and pct is None:
        return None
    rtype, _, name = key.partition(NAME_SEP)
    item = Response(type=rtype, arm=arm_id, time=time, n=n, N=N, percent=pct, repaired=repaired,  # type: ignore[arg-type]
                    evidence=evidence)  # type: ignore[arg-type]
    if name:
        item.name = name  # type: ignore[attr-defined]
    return item


def fallback_time(ctx: Context, key: str, fu: tuple[float, str] | None) -> TimeMention | None:
    """A rate stated without a time point is read at the primary end point's time; relapses are
    counted over the follow-up, so they are read at its end."""
    rtype = key.partition(NAME_SEP)[0]
    if rtype == "relapse":
        return TimeMention(fu[0], fu[1], None, 0, 0, "follow-up") if fu and fu[0] > 0 else None
    return primary_time(ctx, rtype, fu) or endpoint_time(ctx.text, key, fu) or primary_time(ctx, None, fu)


def first_time(ctx: Context, text: str) -> TimeMention | None:
    times = with_courses(ctx, text, timepoints_in(text, follow_up(ctx)))
    return times[0] if times else None


def with_courses(ctx: Context, text: str, times: list[TimeMention]) -> list[TimeMention]:
    """``times`` plus the time points ``text`` counts in treatment courses ("after 3 courses of
    treatment" where the report says "4 weeks was 1 course": week 12)."""
    found = course_points(text, report_course_length(ctx))
    return sorted(times + found, key=lambda t: t.start) if found else times


def usual_time(items: list[Response]) -> TimePoint | None:
    """The time point most prose rates of the report are read at (ties: the first)."""
    seen = Counter((r.time.value, r.time.unit) for r in items if r.time is not None and r.time.value)
    if not seen:
        return None
    (value, unit), _ = seen.most_common(1)[0]
    return TimePoint(value=value, unit=unit)  # type: ignore[arg-type]
