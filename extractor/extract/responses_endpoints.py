"""Time points of the response end points a report names in its end-point statements ("the
primary end point was complete renal response at week 52", "key secondary end points were ...
complete remission of proteinuria (<0.3 g/day) and partial remission (<1.0 g/day) at week 36").

A result sentence that states no time point of its own for a rate ("...; complete remission was
reached by 43/203 versus 16/203; the mean change in eGFR to week 110 was ...") is read at the time
its end point was stated with, rather than at a time another clause of the sentence gives for
another measure. Regexes: ``responses.endpoint_statement``, ``responses.endpoint_stop``.
"""

from __future__ import annotations

from functools import lru_cache

from extractor.extract.responses_values import NAME_SEP, is_duration, is_generic, times_in
from extractor.extract.tables import find_terms
from extractor.extract.timepoints import KIND_POINT, TimeMention
from extractor.nlp.rules import regex

STATEMENT_MAX = 600  # characters of an end-point statement read after its cue


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex("responses", rule_id)


@lru_cache(maxsize=64)
def _endpoint_times(text: str, fu: tuple[float, str] | None) -> tuple[tuple[str, TimeMention], ...]:
    found: dict[str, TimeMention] = {}
    for m in _rx("responses.endpoint_statement").finditer(text):
        window = text[m.end() : m.end() + STATEMENT_MAX]
        stop = _rx("responses.endpoint_stop").search(window)
        window = window[: stop.start() if stop else len(window)]
        times = [t for t in times_in(window, fu) if t.kind == KIND_POINT and t.value and not is_duration(window, t)]
        for term in find_terms(window, "response_terms"):
            after = [t for t in times if t.start >= term.end]
            if not is_generic(term) and after:
                found.setdefault(term.canonical, after[0])  # "CR and PR at week 36": the first time after the term
    return tuple(found.items())


def endpoint_times(text: str, fu: tuple[float, str] | None) -> dict[str, TimeMention]:
    """Pure: response type → the time point its end point is stated at (first statement wins)."""
    return dict(_endpoint_times(text, fu))


def endpoint_time(text: str, key: str, fu: tuple[float, str] | None) -> TimeMention | None:
    """The stated end-point time of the typed ``key`` (``type|name`` keys by their type)."""
    return endpoint_times(text, fu).get(key.partition(NAME_SEP)[0])


def prefer_endpoint(stated: TimeMention | None, nearest: TimeMention | None, sent_times: list[TimeMention],
                    at: int, sent_text: str) -> TimeMention | None:
    """Pure: the time of a rate whose clause states none, given the end point's ``stated`` time and
    the ``nearest`` time of another clause of the sentence ``sent_text`` (``at``: the rate's offset
    in it). The stated time wins when the sentence also names it; else the other clause's time
    carries over only when it frames that earlier clause ("At week 24, ...; CR was ..."), not when
    it belongs to another measure ("the change in eGFR to week 110 was ...; CR was ...")."""
    if stated is None or nearest is None:
        return nearest
    same = [t for t in sent_times if (t.value, t.unit) == (stated.value, stated.unit)]
    if same:
        return min(same, key=lambda t: abs(t.start - at))
    lead = sent_text[: nearest.start]
    lead = lead[max(lead.rfind(";"), lead.rfind(". ")) + 1 :]
    return nearest if nearest.start < at and _rx("responses.frame_time_lead").match(lead) else stated
