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
from extractor.extract.numbers import ROUNDING_TOLERANCE, CountPercent, find_count_percents, parse_number, repair_percent
from extractor.extract.tables import Term, find_terms, timepoints_in
from extractor.extract.timepoints import KIND_POINT, TimeMention
from extractor.nlp.rules import regex

GENERIC = "generic"
NAME_SEP = "|"  # a typed key "other|ACR20": response type and the responder end point's name
NAMED_TYPES = frozenset({"other", "sri4"})
PRIMARY_LEAD = 30  # characters before "primary end point" searched for its time ("its week-52 primary end point")
PRIMARY_WINDOW = 160  # characters after "the primary end point was" searched for its type
TIME_FRAME_WINDOW = 1200  # registry records put "Time Frame:" a description after the measure
DERIVE_TOLERANCE = 0.05  # percentage points: n derived from a percent only when exact
PRINT_ROUNDING = 0.05  # percentage points a one-decimal percent may differ from its exact value
CONSISTENT_TOLERANCE = 1.0  # percentage points between n/N and the printed percent
MAX_VALUES_PER_CLAUSE = 8  # more values than this in one "clause" = a table flattened into prose
TIME_UNIT_GROUPS = ("minute", "hour")  # named groups of responses.time_short_units = TimeUnit values
OWN_RULES = ("responses.n_of_N_pct", "responses.pct_n_of_N", "responses.n_pct_decimal_comma", "responses.pct_decimal_comma")


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


def _garbled(text: str, sizes: tuple[int, ...]) -> list[CountPercent]:
    """Machine-translated percents: "(83.)3%)" → 83.3; "417%" → 41.7 when an arm or cohort size
    gives it (5/12), else nothing."""
    out = []
    for m in _rx("responses.pct_paren_garbled").finditer(text):
        pct = float(f"{m.group('int')}.{m.group('dec')}")
        out.append(CountPercent(None, None, pct, m.start(), m.end(), repaired=f"{m.group(0).strip()} → {pct}%",
                                rule="responses.pct_paren_garbled"))
    for m in _rx("responses.n_pct_dropped_decimal").finditer(text):
        n, digits = int(m.group("n")), m.group("digits")
        if int(digits) <= 100:
            continue
        fixed = next(((pct, N) for N in sizes if N and n <= N for pct in [repair_percent(digits, n, N)] if pct is not None), None)
        if fixed is not None:
            pct, N = fixed
            out.append(CountPercent(n, N, pct, m.start(), m.end(), repaired=f"{digits} → {pct:g}% ({n}/{N})",
                                    rule="responses.n_pct_dropped_decimal"))
    for m in _rx("responses.pct_dropped_decimal").finditer(text):
        raw = int(m.group("pct"))
        fits = [(round(raw * N / 1000), N) for N in sizes if N and raw <= 1000 and round(1000.0 * round(raw * N / 1000) / N) == raw]
        if raw > 100 and fits and not any(o.start <= m.start() < o.end for o in out):
            n, N = fits[0]
            out.append(CountPercent(n, N, raw / 10, m.start(), m.end(), repaired=f"{raw}% → {raw / 10}% ({n}/{N})",
                                    rule="responses.pct_dropped_decimal"))
    return out


def _time_counts(text: str, values: list[CountPercent]) -> None:
    """"relapsed by month 9 (12.5%)": the 9 is the month, not a count; the value is the percent."""
    spans = [(t.start, t.end) for t in timepoints_in(text)]
    for v in values:
        if v.n is not None and v.N is None and _rx("responses.count_then_paren").match(text[v.start : v.end]) and any(
                s <= v.start < e for s, e in spans):
            v.n = None
            v.start = text.index("(", v.start)


def values_in(text: str, total: int | None, sizes: tuple[int, ...] = ()) -> list[CountPercent]:
    """Pure: the response-rate values of one clause, in text order (``sizes``: arm and cohort
    sizes that may prove a repair of a garbled percent)."""
    own = _garbled(text, sizes if total in sizes else ((total,) if total else ()) + sizes)  # arm sizes before the cohort
    own += [v for v in _own_values(text) if not any(v.start < o.end and o.start < v.end for o in own)]
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
    _time_counts(text, out)
    return _restated(text, sorted(out + _count_list(text, out), key=lambda v: v.start))


def _count_list(text: str, found: list[CountPercent]) -> list[CountPercent]:
    """Bare counts listed one per arm and closed by "respectively" ("a further 15, 14 and 16
    patients, respectively"), outside time points and values already read."""
    spans = [(t.start, t.end) for t in timepoints_in(text)] + [(v.start, v.end) for v in found]
    out = []
    for m in _rx("responses.count_list_respectively").finditer(text):
        if any(s < m.end("list") and m.start("list") < e for s, e in spans):
            continue
        if (_rx("responses.count_list_not_count_before").search(text[max(0, m.start("list") - 20) : m.start("list")])
                or _rx("responses.count_list_not_count_after").match(text[m.end("list") :])):
            continue  # "at weeks 12, 24 and 52, respectively", "12, 24 and 52 weeks"
        for c in _rx("responses.count_list_number").finditer(text, m.start("list"), m.end("list")):
            out.append(CountPercent(int(c.group(0)), None, None, c.start(), c.end(), rule="responses.count_list_respectively",
                                    percent_sign=False))
    return out


def _restated(text: str, values: list[CountPercent]) -> list[CountPercent]:
    """Percents that restate earlier counts "n of N" in order ("70 of 145 patients given A and 44
    of 141 given B (48.3 % vs 31.2 %)") are those counts' percents, not values of their own; a
    count read together with a percent it cannot give ("44 of 141 patients (48.3 %") hands the
    percent to the earlier count and waits for its own."""
    out: list[CountPercent] = []
    pending: list[CountPercent] = []
    prev_end = 0  # end of the last count, or of the last restating percent
    for v in values:
        restates = (v.percent is not None and pending and (v.n is None and v.N is None or _foreign(v))
                    and abs(100.0 * pending[0].n / pending[0].N - v.percent) <= ROUNDING_TOLERANCE  # type: ignore[operator]
                    and _rx("responses.restated_percent_gap").match(text[prev_end : v.start]))
        if restates:
            first = pending.pop(0)
            first.percent = v.percent
            if v.n is None and not any(o.start < v.start for o in pending):  # "20 of 75 given A (26.7 per cent)": one value
                first.end = max(first.end, v.end)
            prev_end = v.end
            if v.n is None:
                continue
            v.percent = None
        if v.n is not None and v.N and v.percent is None:
            pending.append(v)
        elif v.percent is not None:
            pending = []
        prev_end = v.end
        out.append(v)
    return out


def _foreign(v: CountPercent) -> bool:
    """A count "n of N" read with a percent that n/N cannot give."""
    return bool(v.n is not None and v.N and v.percent is not None and abs(100.0 * v.n / v.N - v.percent) > CONSISTENT_TOLERANCE)


def dense(values: list[CountPercent]) -> bool:
    """A clause with this many values is a table flattened into prose: its columns are unknown."""
    return len(values) > MAX_VALUES_PER_CLAUSE


def _decimals(pct: float) -> bool:
    return pct != int(pct)


def fits_size(pct: float, total: int) -> bool:
    """Could some k of ``total`` be printed as ``pct``? Lenient at the rounding edge (15/48 =
    31.25 % may be printed 31.3 %): a percent that fails is surely of another denominator."""
    k = round(pct * total / 100)
    return any(abs(100.0 * j / total - pct) <= (PRINT_ROUNDING if _decimals(pct) else 0.5) + 1e-6 for j in (k - 1, k, k + 1))


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
    spans = [(t.start, t.end) for t in timepoints_in(text)]
    for v in _own_values(text) + find_count_percents(text):
        start = v.start
        if _rx("responses.count_then_paren").match(text[v.start : v.end]) and any(s <= v.start < e for s, e in spans):
            start = text.index("(", v.start)  # "by month 9 (12.5%)": keep the month
        masked = masked[:start] + " " * (v.end - start) + masked[v.end :]
    found = timepoints_in(masked, fu) + _short_times(masked)
    found.sort(key=lambda t: t.start)
    return [t for t in found if not _rx("responses.not_time_before").search(text[max(0, t.start - 40) : t.start])]


def _short_times(text: str) -> list[TimeMention]:
    """"within 90 min", "20 h after initiation": minutes and hours, which the core rules leave out."""
    out = []
    for m in _rx("responses.time_short_units").finditer(text):
        unit = next(name for name in TIME_UNIT_GROUPS if m.group(name))
        out.append(TimeMention(float(m.group("value")), unit, None, m.start(), m.end(), m.group(0), KIND_POINT,
                               "responses.time_short_units"))
    return out


def is_duration(text: str, tm: TimeMention) -> bool:
    """"monthly for at least 12 months": a treatment duration, not a time point of results."""
    return bool(_rx("responses.duration_before").search(text[max(0, tm.start - 30) : tm.start]))


def among_denominator(text: str, first_value: int) -> int | None:
    """N of "Among the 24 early responders, three relapsed ..." written before the first value."""
    found = None
    for m in _rx("responses.among_denominator").finditer(text, 0, first_value):
        found = int(m.group("N"))
    return found


@lru_cache(maxsize=64)
def _primary(text: str, fu: tuple[float, str] | None) -> tuple[str | None, TimeMention | None]:
    """(type, time) of the primary end point as the report states it; the time may be written
    before the words in another mention ("did not meet its week-52 primary endpoint")."""
    lead: TimeMention | None = None
    for m in _rx("responses.primary_endpoint").finditer(text):
        ahead = text[max(0, m.start() - PRIMARY_LEAD) : m.start()]
        named = [t for t in times_in(ahead, fu) if t.kind == KIND_POINT and t.value and _rx("responses.primary_lead_gap").match(ahead[t.end :])]
        lead = lead or (named[-1] if named else None)
        window = text[m.end() : m.end() + PRIMARY_WINDOW]
        stop = window.find(". ")
        window = window[: stop if stop > 0 else len(window)]
        terms = [t for t in find_terms(window, "response_terms") if not is_generic(t)]
        if terms:
            times = [t for t in times_in(window, fu) if t.kind == KIND_POINT and t.value and not is_duration(window, t)]
            frame = _rx("responses.time_frame").search(text, m.end(), m.end() + TIME_FRAME_WINDOW)
            if not times and frame:  # registry records: "Time Frame: Week 52" under the measure
                times = [t for t in times_in(text[frame.end() : frame.end() + PRIMARY_WINDOW // 4], fu) if t.kind == KIND_POINT]
            name = term_name(terms[0])
            key = f"{terms[0].canonical}{NAME_SEP}{name}" if name else terms[0].canonical
            return key, times[0] if times else lead
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


def primary_key_time(ctx: Context, fu: tuple[float, str] | None) -> tuple[str | None, TimeMention | None]:
    """(typed key, time point) of the primary end point as the report states it."""
    return _primary(ctx.text, fu)
