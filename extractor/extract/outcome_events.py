"""Counts of patients with an event outcome (death, ESKD, doubling of creatinine) in prose.

Event measures are the ``rules/vocab/measures.tsv`` rows whose usual unit is ``count``. Their
counts are written before the event ("17 patients (7.9 %) had reached end-stage kidney disease",
"Six patients (2.7%) in the belimumab group and five (2.2%) in the placebo group died") or after
it ("ESRD in 0 versus 1"). Two counts of one event are two arms (named beside the count, else
in arm order). The time point is the one of the sentence, else the end of follow-up.
Regexes: ``outcomes.event_*`` in ``rules/regex/outcomes.jsonl``.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractor.extract.context import Context
from extractor.extract.numbers import parse_number, word_value
from extractor.extract.outcome_arms import named_arms
from extractor.extract.tables import Term, arm_for_text, arms, clauses, find_terms, follow_up, timepoints_in
from extractor.extract.timepoints import TimeMention, nearest_timepoint
from extractor.nlp.rules import regex
from extractor.records import Outcome, TimePoint

COUNT_UNIT = "count"
PROSE_SKIP = frozenset({"flare"})  # a flare rate in prose (n of N, %) is a response of type relapse; a bare count is an outcome
MAX_TAIL = 60  # characters between the last count and the event it counts
ZERO_WORDS = frozenset({"no", "none", "nobody", "no one"})


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex("outcomes", rule_id)


@dataclass
class EventCount:
    """A count read for an event (offsets relative to the clause)."""

    value: float
    start: int
    end: int


def is_event(term: Term) -> bool:
    return bool(term.extra) and term.extra[0] == COUNT_UNIT


def _count_value(surface: str) -> float | None:
    s = " ".join(surface.lower().split())
    if s in ZERO_WORDS:
        return 0.0
    if s[:1].isdigit():
        return parse_number(s)
    return word_value(s)


def counts_before(text: str, start: int, end: int) -> list[EventCount]:
    """Counts in ``text[start:end]`` that count the event written at ``end``."""
    out: list[EventCount] = []
    for m in _rx("outcomes.event_count").finditer(text, start, end):
        if _rx("outcomes.event_count_exclude_before").search(text[max(0, m.start() - 12) : m.start()]):
            continue
        if _rx("outcomes.event_count_exclude_after").match(text[m.end("n") : m.end("n") + 30]):
            continue
        value = _count_value(m.group("n"))
        if value is not None:
            out.append(EventCount(value, m.start(), m.end()))
    if not out:
        return []
    tail = text[out[-1].end : end]
    if len(tail) > MAX_TAIL or any(ch.isdigit() for ch in tail) or tail.count(")") > tail.count("("):
        return []  # "adverse events (2 patients), and dialysis": the count is in another item's brackets
    kept = [out[-1]]  # counts of one event in several arms are joined by arm words only
    for prev in reversed(out[:-1]):
        if not _rx("outcomes.event_count_gap").match(text[prev.end : kept[0].start]):
            break
        kept.insert(0, prev)
    return kept


def counts_after(text: str, end: int) -> list[EventCount]:
    m = _rx("outcomes.event_after").match(text[end:]) or _rx("outcomes.event_after_paren").match(text[end:])
    if not m:
        return []
    out = []
    for group in ("a", "b"):
        if m.group(group) is not None:
            value = _count_value(m.group(group))
            if value is not None:
                out.append(EventCount(value, end + m.start(group), end + m.end(group)))
    while out:  # "in 4 patients on MMF versus 3 on tacrolimus and 7 on cyclophosphamide"
        nxt = _rx("outcomes.event_count").search(text, out[-1].end)
        if nxt is None or not _rx("outcomes.event_count_gap").match(text[out[-1].end : nxt.start()]):
            break
        value = _count_value(nxt.group("n"))
        if value is None:
            break
        out.append(EventCount(value, nxt.start(), nxt.end("n")))
    return out


def _with_denominator(text: str, counts: list[EventCount]) -> bool:
    """Some count is written with its denominator ("4 of 41 (9.8%)"): a rate, not a count."""
    deno, before = _rx("outcomes.event_denominator_after"), _rx("outcomes.event_denominator_before")
    for c in counts:
        m = _rx("outcomes.event_count").match(text, c.start)
        end = m.end("n") if m else c.end
        if (m and m.group("pct")) or deno.match(text[end : end + 30]) or before.search(text[max(0, c.start - 12) : c.start]):
            return True
    return False


def pair_events(text: str, terms: list[Term]) -> list[tuple[Term, list[EventCount]]]:
    """Pure: (event term, its counts) of one clause."""
    out = []
    boundary = 0
    for term in terms:
        if _rx("outcomes.event_qualified_after").match(text[term.end : term.end + 40]):
            boundary = term.end
            continue  # "no death was judged related to study drug"
        found = counts_after(text, term.end)
        if not found:
            found = counts_before(text, boundary, term.start)
        if found:
            out.append((term, found))
        boundary = max(term.end, found[-1].end if found else 0)
    return out


def _arm_ids(ctx: Context, text: str, counts: list[EventCount], term: Term | None = None) -> list[str | None]:
    all_arms = arms(ctx)
    if len(all_arms) == 1:
        return [all_arms[0].id] * len(counts)
    if len(counts) == 1:  # the arm named between the count and its event ("two in the placebo group died"), else in the clause
        own = arm_for_text(ctx, text[counts[0].start : term.start]) if term is not None and term.start > counts[0].end else None
        rest = term.end if term is not None else counts[0].end
        if own is None and len(named_arms(ctx, text[counts[0].end :])) > 1 and _rx("outcomes.event_count").search(text, rest):
            return [None]  # "two deaths: one in the X group and one in the Y group": a total over the arms
        return [own or (arm_for_text(ctx, text) if len(all_arms) > 1 else None)]
    named = []
    for i, c in enumerate(counts):
        stop = counts[i + 1].start if i + 1 < len(counts) else len(text)
        named.append(arm_for_text(ctx, text[c.end : stop]))
    if all(named) and len(set(named)) == len(named):
        return named
    if len(counts) <= len(all_arms):
        return [a.id for a in all_arms[: len(counts)]]
    return [None] * len(counts)


def extract_event_counts(ctx: Context, sentences: list) -> list[Outcome]:  # type: ignore[type-arg]
    fu = follow_up(ctx)
    out: list[Outcome] = []
    for sent in sentences:
        sent_times = [t for t in timepoints_in(sent.text, fu) if not t.is_schedule]
        for c_start, c_end in clauses(sent.text):
            text, brackets = _each_arm_brackets(sent.text[c_start:c_end])
            terms = [t for t in find_terms(text, "measures") if is_event(t)]
            for term, counts in pair_events(text, terms):
                per_arm = _each_arm(text, brackets, counts, term) if len(arms(ctx)) > 1 else None
                if per_arm is not None:
                    counts = [EventCount(per_arm, counts[0].start, counts[0].end)] * len(arms(ctx))
                if len(arms(ctx)) > 1 and len(counts) > len(arms(ctx)):
                    counts = counts[-len(arms(ctx)) :]  # "zoster in 13 vs 10 patients, and 6 vs 5 patients died": one count per arm
                if term.canonical in PROSE_SKIP and _with_denominator(text, counts):
                    continue  # "a flare in 4 of 41 (9.8%)": a relapse rate, read as a response
                tm = nearest_timepoint(sent_times, c_start + term.start, sent.text)
                if tm is not None and fu and _event_date(sent.text, c_start + term.end, tm):
                    if _days(tm.value, tm.unit) > _days(*fu):
                        continue  # "4 deaths occurred after week 104" with a follow-up read as 12 weeks: no time to give it
                    tm = None  # "died of sepsis at week 37": when it happened; the count stands at the end of follow-up
                time = _tp(tm) or (TimePoint(value=fu[0], unit=fu[1]) if fu else None)  # type: ignore[arg-type]
                for count, arm_id in zip(counts, _arm_ids(ctx, text, counts, term)):
                    base = sent.start + c_start
                    out.append(Outcome(
                        measure=term.canonical, arm=arm_id, time=time, stat="count",  # type: ignore[arg-type]
                        value=count.value, unit=None,
                        evidence=ctx.evidence(base + count.start, base + count.end, "outcome.prose.event_count"),
                    ))
    return out


def _each_arm_brackets(text: str) -> tuple[str, list[tuple[int, int, float]]]:
    """The clause with its "(one in each group)" brackets blanked, and those brackets (start, end, k)."""
    found = []
    for m in _rx("outcomes.event_each_arm_bracket").finditer(text):
        k = _count_value(m.group("k"))
        if k is not None:
            found.append((m.start(), m.end(), k))
            text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]
    return text, found


def _each_arm(text: str, brackets: list[tuple[int, int, float]], counts: list[EventCount], term: Term) -> float | None:
    """The count of every arm when one count is split evenly ("Two patients died (one in each group)",
    "4 (2 in each group) reached ESKD") or stated for each arm ("Six patients died in each group")."""
    if len(counts) != 1:
        return None
    c = counts[0]
    for start, _end, k in brackets:
        if c.end <= start <= max(term.end, c.end) + MAX_TAIL:
            return k
    if _rx("outcomes.event_each_arm_after").match(text[max(term.end, c.end) :]):
        return c.value
    return None


def _event_date(text: str, term_end: int, tm: TimeMention) -> bool:
    """The time is written after the event and not as a cut-off ("by week 52", "through month 12")."""
    return tm.start >= term_end and not _rx("outcomes.event_cutoff_before").search(text[max(0, tm.start - 20) : tm.start])


DAYS = {"day": 1.0, "week": 7.0, "month": 30.4375, "year": 365.25}


def _days(value: float, unit: str) -> float:
    return value * DAYS.get(unit, 1.0)


def _tp(tm: TimeMention | None) -> TimePoint | None:
    return TimePoint(value=tm.value, unit=tm.unit, label=tm.label) if tm else None  # type: ignore[arg-type]
