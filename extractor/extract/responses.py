"""Response rates (complete, partial, overall, PERR, SRI-4, relapse, ...) and their definitions.

Prose, clause by clause: response terms (``rules/vocab/response_terms.tsv``) and counts/percents
(:func:`numbers.find_count_percents`, with the cohort or arm size as the denominator that proves
repairs such as ``444%`` → 44.4 % of 9). A value takes the term written right after it ("3
patients (33.3%) had a complete response"), else the terms written before it ("the PR and CR
rates decreased to 11.1%" → both). "The CR rate remains the same" carries the last CR value to
the clause's time point. Definitions ("CR was defined as ...", "CR: proteinuria < 0.5 g/24 h")
are not results; they fill ``definition``. Tables: rows named by a response term, arm columns.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractor.extract.context import Context
from extractor.extract.numbers import CountPercent, find_count_percents
from extractor.extract.tables import (
    Term,
    arm_for_text,
    arm_n,
    arms,
    clauses,
    find_terms,
    follow_up,
    prose_sentences,
    table_cells,
    timepoints_in,
)
from extractor.extract.timepoints import TimeMention, nearest_timepoint
from extractor.nlp.rules import regex
from extractor.records import Response, TimePoint

SKIP_SECTIONS = frozenset({"introduction", "references"})
ELIDED_NEXT = {"complete": "partial"}  # "3 had CR, and 3 (33.3%)" → the second count is PR


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex("responses", rule_id)


def _time(tm: TimeMention | None) -> TimePoint | None:
    if tm is None:
        return None
    return TimePoint(value=tm.value, unit=tm.unit, label=tm.label)  # type: ignore[arg-type]


@dataclass
class _Hit:
    types: list[str]
    value: CountPercent
    repaired: str | None = None
    rule: str = "response.percent"


def assign_terms(text: str, terms: list[Term], values: list[CountPercent], multi_arm: bool) -> list[_Hit]:
    """Pure: which response types each count/percent of a clause reports."""
    hits: list[_Hit] = []
    used: set[int] = set()
    postfix: dict[int, list[str]] = {}
    for vi, v in enumerate(values):
        nxt = values[vi + 1].start if vi + 1 < len(values) else len(text)
        after = [(ti, t) for ti, t in enumerate(terms) if v.end <= t.start < nxt]
        if after and _rx("responses.postfix_link").match(text[v.end : after[0][1].start]):
            postfix[vi] = [after[0][1].canonical]
            used.add(after[0][0])
            for (ti, t), (_, prev) in zip(after[1:], after):
                if text[prev.end : t.start].strip(" ()[]") or t.canonical != prev.canonical:
                    break
                used.add(ti)  # "complete response (CR)": the abbreviation repeats the term
    prev_end = 0
    for vi, v in enumerate(values):
        if vi in postfix:
            hits.append(_Hit(postfix[vi], v, rule="response.count_had_term"))
        else:
            before = [t for ti, t in enumerate(terms) if prev_end <= t.start and t.end <= v.start and ti not in used]
            if before:
                hits.append(_Hit(_group(text, before), v, rule="response.term_then_value"))
            elif hits:
                prior = hits[-1]
                if not multi_arm and prior.rule == "response.count_had_term" and len(prior.types) == 1 and prior.types[0] in ELIDED_NEXT:
                    nxt = ELIDED_NEXT[prior.types[0]]
                    hits.append(_Hit([nxt], v, f"untyped count after {prior.types[0]} read as {nxt}", "response.elided_next"))
                else:
                    hits.append(_Hit(list(prior.types), v, rule=prior.rule))
        prev_end = v.end
    return hits


def _group(text: str, before: list[Term]) -> list[str]:
    """The last run of terms joined by 'and' / ',' / '/' ("the PR and CR rates") before a value."""
    run = [before[-1]]
    for t in reversed(before[:-1]):
        gap = text[t.end : run[0].start].strip(" ,/").lower()
        if gap in {"", "and", "or", "+", "&"}:
            run.insert(0, t)
        else:
            break
    seen: list[str] = []
    for t in run:
        if t.canonical not in seen:
            seen.append(t.canonical)
    return seen


# --------------------------------------------------------------------------------------
# definitions
# --------------------------------------------------------------------------------------


def definition_of(text: str) -> tuple[list[str], str] | None:
    """Pure: ``(types, definition)`` when ``text`` defines responses rather than reporting them."""
    m = _rx("responses.colon_definition").search(text)
    cue = _rx("responses.definition_cue").search(text)
    if not m and not cue:
        return None
    terms = find_terms(text, "response_terms")
    if not terms:
        return None
    head = [t for t in terms if t.start < (m.end() if m else cue.start() if cue else 0) + 1] or terms[:1]
    types = []
    for t in head:
        if t.canonical not in types:
            types.append(t.canonical)
    body = text[m.end() :] if m else text[cue.end() :] if cue else text
    return types, " ".join(body.split()).strip(" .;:")


# --------------------------------------------------------------------------------------
# extractor
# --------------------------------------------------------------------------------------


def _arms_for(ctx: Context, text: str, hits: list[_Hit]) -> list[str | None]:
    """Arm of each value: arms named before the values ("A: 40%, B: 22%") or after them ("40% of A
    and 22% of B"), else arms in report order when there is one value per arm ("40.8% vs 22.5%")."""
    many = arms(ctx)
    if len(many) <= 1 or not hits:
        return [many[0].id if many else None] * len(hits)
    starts = [h.value.start for h in hits] + [len(text)]
    ends = [0] + [h.value.end for h in hits]
    before = [arm_for_text(ctx, text[ends[i] : starts[i]]) for i in range(len(hits))]
    after = [arm_for_text(ctx, text[ends[i + 1] : starts[i + 1]]) for i in range(len(hits))]
    first, second = (before, after) if before[0] is not None else (after, before)
    out = [a if a is not None else b for a, b in zip(first, second)]
    if len(hits) == len(many) and (None in out or len(set(out)) < len(out)):
        out = [a.id for a in many]
    return out


def extract_responses(ctx: Context) -> list[Response]:
    out: list[Response] = []
    definitions: dict[str, str] = {}
    fu = follow_up(ctx)
    last: dict[tuple[str, str | None], Response] = {}
    multi = len(arms(ctx)) > 1
    for sent in prose_sentences(ctx, SKIP_SECTIONS):
        sent_times = timepoints_in(sent.text, fu)
        for c_start, c_end in clauses(sent.text):
            text = sent.text[c_start:c_end]
            found = definition_of(text)
            if found:
                for t in found[0]:
                    definitions.setdefault(t, found[1])
                continue
            terms = find_terms(text, "response_terms")
            if not terms:
                continue
            times = timepoints_in(text, fu)
            base = sent.start + c_start
            out += _carried(ctx, text, terms, times, sent_times, sent.text, c_start, base, last)
            total = arm_n(ctx, None)
            values = [v for v in find_count_percents(text, total=total) if v.percent is not None or v.n is not None]
            values = [v for v in values if not _rx("responses.not_result").search(text[max(0, v.start - 12) : v.end + 4])]
            if not values:
                continue
            hits = assign_terms(text, terms, values, multi)
            arm_ids = _arms_for(ctx, text, hits)
            for h, arm_id in zip(hits, arm_ids):
                v = h.value
                tm = nearest_timepoint(times, v.start, text) or nearest_timepoint(sent_times, c_start + v.start, sent.text)
                n_total = v.N or arm_n(ctx, arm_id)
                repaired = "; ".join(r for r in (v.repaired, h.repaired) if r) or None
                for rtype in h.types:
                    item = Response(
                        type=rtype,  # type: ignore[arg-type]
                        arm=arm_id,
                        time=_time(tm),
                        n=v.n,
                        N=n_total,
                        percent=v.percent if v.percent is not None else _pct(v.n, n_total),
                        repaired=repaired,
                        evidence=ctx.evidence(base + v.start, base + v.end, h.rule),
                    )
                    out.append(item)
                    last[(rtype, arm_id)] = item
    out += _from_tables(ctx)
    for item in out:
        if item.definition is None and item.type in definitions:
            item.definition = definitions[item.type]
    return _dedupe(out)


def _carried(ctx: Context, text: str, terms: list[Term], times: list[TimeMention], sent_times: list[TimeMention],
             sent_text: str, c_start: int, base: int, last: dict[tuple[str, str | None], Response]) -> list[Response]:
    """"the CR rate remains the same": the last value of that type, at this clause's time point."""
    out = []
    for m in _rx("responses.carried").finditer(text):
        seg_start = text.rfind(",", 0, m.start()) + 1
        subject = [t for t in terms if seg_start <= t.start and t.end <= m.start()]
        tm = nearest_timepoint(times, m.start(), text) or nearest_timepoint(sent_times, c_start + m.start(), sent_text)
        if tm is None:
            continue
        for t in subject:
            arm_id = arms(ctx)[0].id if len(arms(ctx)) == 1 else arm_for_text(ctx, text)
            prev = last.get((t.canonical, arm_id))
            if prev is None or prev.time == _time(tm):
                continue
            item = prev.model_copy(update={"time": _time(tm), "repaired": None,
                                           "evidence": ctx.evidence(base + t.start, base + m.end(), "response.carried")})
            out.append(item)
            last[(t.canonical, arm_id)] = item
    return out


def _pct(n: int | None, N: int | None) -> float | None:
    return round(100.0 * n / N, 1) if n is not None and N else None


def _from_tables(ctx: Context) -> list[Response]:
    out: list[Response] = []
    for table in ctx.tables:
        for cell in table_cells(ctx, table):
            terms = find_terms(cell.row_label, "response_terms")
            if not terms:
                continue
            N = cell.n or arm_n(ctx, cell.arm)
            values = find_count_percents(cell.text, total=N)
            if not values:
                continue
            v = values[0]
            out.append(Response(
                type=terms[0].canonical,  # type: ignore[arg-type]
                arm=cell.arm,
                time=_time(cell.time) or _time(_first_time(ctx, cell.row_label + " " + table.caption)),
                n=v.n,
                N=v.N or N,
                percent=v.percent if v.percent is not None else _pct(v.n, v.N or N),
                repaired=v.repaired,
                evidence=ctx.row_evidence(cell.row, "response.table_cell", cell.start + v.start, cell.start + v.end),
            ))
    return out


def _first_time(ctx: Context, text: str) -> TimeMention | None:
    times = timepoints_in(text, follow_up(ctx))
    return times[0] if times else None


def _dedupe(items: list[Response]) -> list[Response]:
    """Abstract and results often repeat a figure: keep the first of identical (type, arm, time, n, N, %)."""
    seen: set[tuple[object, ...]] = set()
    out = []
    for r in items:
        key = (r.type, r.arm, r.time.value if r.time else None, r.time.unit if r.time else None, r.n, r.N, r.percent)
        if key in seen:
            continue
        seen.add(key)
        out.append(r)
    return out
