"""Counts and percentages of response rates, and document-level reading aids for responses.

* :func:`values_in`: the shared :func:`numbers.find_count_percents` plus the forms it misses in
  response sentences ("40 of 178 (22.5%)", "46 of the 150 patients who had responded (30.7 %)",
  decimal commas "73,9 %"), minus values that are not rates (differences, "reduced by 28%",
  "≥50% reduction", confidence intervals).
* :func:`settle`: n / N / percent of one value made consistent with the arm size (an "n" that is
  really the denominator is dropped; a percent alone gets n when n/N gives it exactly).
* :func:`generic_type`: what a bare "response" / "remission" means in this document: the type of
  the primary end point when it names one, nothing when the report is about named non-renal
  responder end points (ACR20, BICLA, conversion to sinus rhythm, ...), else ``overall``.
* :func:`term_name`: the ``name=`` of a named responder end point (vocabulary extra column).
"""

from __future__ import annotations

from functools import lru_cache

from extractor.extract.context import Context
from extractor.extract.numbers import CountPercent, find_count_percents, parse_number
from extractor.extract.tables import Term, find_terms, timepoints_in
from extractor.extract.timepoints import KIND_POINT, TimeMention
from extractor.nlp.rules import regex

GENERIC = "generic"
NAME_SEP = "|"  # a typed key "other|ACR20": response type and the responder end point's name
NAMED_TYPES = frozenset({"other", "sri4"})
PRIMARY_WINDOW = 160  # characters after "the primary end point was" searched for its type
TIME_FRAME_WINDOW = 1200  # registry records put "Time Frame:" a description after the measure
DERIVE_TOLERANCE = 0.05  # percentage points: n derived from a percent only when exact
CONSISTENT_TOLERANCE = 1.0  # percentage points between n/N and the printed percent
MAX_VALUES_PER_CLAUSE = 8  # more values than this in one "clause" = a table flattened into prose
OWN_RULES = ("responses.n_of_N_pct", "responses.pct_n_of_N", "responses.pct_decimal_comma")


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex("responses", rule_id)


def _pct(raw: str) -> float | None:
    return parse_number(raw.replace(",", ".").replace("·", "."))


def _own_values(text: str) -> list[CountPercent]:
    out: list[CountPercent] = []
    taken: list[tuple[int, int]] = []
    for rule in OWN_RULES:
        for m in _rx(rule).finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            g = m.groupdict()
            n = int(g["n"]) if g.get("n") else None
            N = int(g["N"]) if g.get("N") else None
            pct = _pct(g["pct"])
            if pct is None or pct > 100 or (n is not None and N is not None and (N == 0 or n > N)):
                continue
            if n is not None and N and abs(100.0 * n / N - pct) > CONSISTENT_TOLERANCE:
                continue  # "3 of 5 criteria (60%)" style coincidences are not n/N of a rate
            taken.append((m.start(), m.end()))
            out.append(CountPercent(n, N, pct, m.start(), m.end(), rule=rule))
    return out


def _not_rate(text: str, v: CountPercent) -> bool:
    before = text[max(0, v.start - 40) : v.start]
    after = text[v.end : v.end + 30]
    return bool(
        _rx("responses.not_result").search(text[max(0, v.start - 12) : v.end])
        or _rx("responses.not_result_after").match(after)
        or _rx("responses.not_result_before").search(before)
    )


def values_in(text: str, total: int | None) -> list[CountPercent]:
    """Pure: the response-rate values of one clause, in text order."""
    own = _own_values(text)
    shared = [
        v for v in find_count_percents(text, total=total)
        if (v.percent is not None or v.n is not None) and not any(v.start < o.end and o.start < v.end for o in own)
    ]
    values = sorted(own + shared, key=lambda v: v.start)
    out: list[CountPercent] = []
    dropped_end = -1
    for v in values:
        if _not_rate(text, v) or (dropped_end >= 0 and _rx("responses.value_list_gap").match(text[dropped_end : v.start])):
            dropped_end = v.end  # "reduced by 28% and 29%": the second value shares the first's reading
            continue
        dropped_end = -1
        out.append(v)
    return out


def dense(values: list[CountPercent]) -> bool:
    """A clause with this many values is a table flattened into prose: its columns are unknown."""
    return len(values) > MAX_VALUES_PER_CLAUSE


def _decimals(pct: float) -> bool:
    return pct != int(pct)


def _fits(pct: float, total: int) -> bool:
    """Can k/total, rounded as printed, give ``pct``?"""
    k = round(pct * total / 100)
    return abs(100.0 * k / total - pct) <= (DERIVE_TOLERANCE if _decimals(pct) else 0.5)


def settle(v: CountPercent, arm_total: int | None) -> tuple[int | None, int | None, float | None]:
    """Pure: ``(n, N, percent)`` of a value read for an arm of ``arm_total`` patients. The arm size
    is the denominator when it agrees with n and percent; otherwise "n (x.y%)" proves its own
    denominator (3 (12.5%) → 3/24); an "n" equal to the arm size is the denominator, not a count."""
    n, N, pct = v.n, v.N, v.percent
    if pct is not None and not v.percent_sign and n is None:
        return None, None, None  # a bare number is not a rate
    if N is None and n is not None and pct is not None:
        if arm_total and n <= arm_total and abs(100.0 * n / arm_total - pct) <= CONSISTENT_TOLERANCE:
            N = arm_total
        elif pct > 0 and _decimals(pct) and n != arm_total:
            k = round(100.0 * n / pct)
            N = k if k >= n and abs(100.0 * n / k - pct) <= DERIVE_TOLERANCE else None
        if N is None:
            n = None  # keep the percent only
    elif N is None and arm_total and (pct is None or _fits(pct, arm_total)):
        N = arm_total  # a percent the arm size cannot give is of another denominator (completers, ...)
    if n is None and N and pct is not None and v.N is None and _decimals(pct):
        k = round(pct * N / 100)
        n = k if abs(100.0 * k / N - pct) <= DERIVE_TOLERANCE else None
    if n is not None and N is not None and n > N:
        return None, None, pct
    if pct is None and n is not None and N:
        pct = round(100.0 * n / N, 1)
    return n, N, pct


def term_name(term: Term) -> str | None:
    for extra in term.extra:
        if extra.startswith("name="):
            return extra[len("name="):]
    return None


def is_generic(term: Term) -> bool:
    return GENERIC in term.extra


def times_in(text: str, fu: tuple[float, str] | None) -> list[TimeMention]:
    """Time points of ``text`` with its counts/percents blanked (same offsets), so that "at week
    52, 40.8%" is not read as a list of weeks "52, 40"."""
    masked = text
    for v in _own_values(text) + find_count_percents(text):
        masked = masked[: v.start] + " " * (v.end - v.start) + masked[v.end :]
    return timepoints_in(masked, fu)


@lru_cache(maxsize=64)
def _primary(text: str, fu: tuple[float, str] | None) -> tuple[str | None, TimeMention | None]:
    """(type, time) of the primary end point as the report states it."""
    for m in _rx("responses.primary_endpoint").finditer(text):
        window = text[m.end() : m.end() + PRIMARY_WINDOW]
        stop = window.find(". ")
        window = window[: stop if stop > 0 else len(window)]
        terms = [t for t in find_terms(window, "response_terms") if not is_generic(t)]
        if terms:
            times = [t for t in times_in(window, fu) if t.kind == KIND_POINT and t.value]
            frame = _rx("responses.time_frame").search(text, m.end(), m.end() + TIME_FRAME_WINDOW)
            if not times and frame:  # registry records: "Time Frame: Week 52" under the measure
                times = [t for t in times_in(text[frame.end() : frame.end() + PRIMARY_WINDOW // 4], fu) if t.kind == KIND_POINT]
            name = term_name(terms[0])
            key = f"{terms[0].canonical}{NAME_SEP}{name}" if name else terms[0].canonical
            return key, times[0] if times else None
    return None, None


@lru_cache(maxsize=64)
def _generic_type_of(text: str) -> str | None:
    ptype, _ = _primary(text, None)
    if ptype:
        return None if ptype == "other" else ptype  # "other" without a name says nothing
    named = [t for t in find_terms(text, "response_terms") if t.canonical in NAMED_TYPES]
    return None if named else "overall"


def generic_type(ctx: Context) -> str | None:
    """The typed key a bare "response"/"remission" reports in this document (None: not a result)."""
    return _generic_type_of(ctx.text)


def primary_time(ctx: Context, rtype: str | None, fu: tuple[float, str] | None) -> TimeMention | None:
    """The primary end point's time point when it is of type ``rtype`` (None: any type)."""
    ptype, tm = _primary(ctx.text, fu)
    return tm if rtype is None or (ptype or "").partition(NAME_SEP)[0] == rtype else None
