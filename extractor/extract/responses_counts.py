"""Bare counts written right after a response term: "complete remission 21 cases, partial remission
16 cases, ineffective 3 cases" (translated reports). Regex: ``responses.term_count``."""

from __future__ import annotations

from extractor.extract.numbers import CountPercent
from extractor.extract.tables import Term
from extractor.nlp.rules import regex

RESTATE_TOLERANCE = 0.1  # percentage points between n/N and a percent that restates the count


def with_term_counts(text: str, terms: list[Term], values: list[CountPercent], sizes: tuple[int, ...] = ()) -> list[CountPercent]:
    """Pure: ``values`` plus the bare "N cases" counts that follow a term of ``terms`` directly,
    unless a later value restates the count (same n, or a percent that n of an arm or cohort
    size in ``sizes`` gives)."""
    out = list(values)
    for t in terms:
        m = regex("responses", "responses.term_count").match(text[t.end :])
        if not m:
            continue
        start, end = t.end + m.start("n"), t.end + m.end()
        if any(v.start < end and start < v.end for v in out):
            continue
        n = int(m["n"])
        if any(v.start >= end and (v.n == n or v.n is None and v.percent is not None and _gives(n, v.percent, sizes))
               for v in values):
            continue  # "complete remission 7 examples, complete remission rate 58.3% (7/12)": one figure
        out.append(CountPercent(n, None, None, start, end, rule="responses.term_count", percent_sign=False))
    return sorted(out, key=lambda v: v.start)


def _gives(n: int, percent: float, sizes: tuple[int, ...]) -> bool:
    return any(N and abs(100.0 * n / N - percent) <= RESTATE_TOLERANCE for N in sizes)
