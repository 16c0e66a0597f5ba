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

from collections.abc import Callable
from dataclasses import dataclass

from extractor.extract.context import Context
from extractor.extract.numbers import CountPercent
from extractor.extract.responses_cases import case_rates, prose_case_rates
from extractor.extract.responses_counts import with_term_counts
from extractor.extract.responses_dedupe import dedupe_figures, drop_guessed
from extractor.extract.responses_defs import apposed_definition, definitions_of, trim
from extractor.extract.responses_endpoints import endpoint_time, prefer_endpoint
from extractor.extract.responses_flat import flat_rates
from extractor.extract.responses_grades import grade_rates
from extractor.extract.responses_items import as_time as _time
from extractor.extract.responses_items import fallback_time as _fallback_time
from extractor.extract.responses_items import make_item as _make
from extractor.extract.responses_items import sizes_hold, sizes_of, typed_terms, usual_time, with_courses
from extractor.extract.responses_lists import (
    by_denominator,
    cycled_arms,
    dose_arm,
    implied_arms,
    lead_in_values,
    listed_arms,
    named_order,
    population_time,
    spread_types,
)
from extractor.extract.responses_tables import from_tables
from extractor.extract.responses_times import Slots, value_slots, with_time_lists
from extractor.extract.responses_values import NAME_SEP, among_denominator, dense, is_duration, is_generic, primary_key_time, times_in, values_in
from extractor.extract.tables import Term, arm_for_text, arm_n, arms, clauses, find_terms, follow_up, prose_sentences
from extractor.extract.timepoints import KIND_POINT, TimeMention, nearest_timepoint
from extractor.nlp.rules import regex
from extractor.records import Response

SKIP_SECTIONS = frozenset({"introduction", "references", "discussion"})
DEFINITION_ONLY_SECTIONS = frozenset({"introduction"})  # definitions read there, rates not
EVENT_TIME_GAP = 3  # characters between "month 9" and "(12.5%)"
GRADED_TYPES = frozenset({"complete", "partial", "partial_clinical", "major_clinical"})
ELIDED_NEXT = {"complete": "partial"}  # "3 had CR, and 3 (33.3%)" → the second count is PR


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex("responses", rule_id)


@dataclass
class _Hit:
    types: list[str]
    value: CountPercent
    repaired: str | None = None
    rule: str = "response.percent"


def assign_terms(text: str, terms: list[Term], values: list[CountPercent], multi_arm: bool,
                 is_arm: Callable[[str], bool] | None = None) -> list[_Hit]:
    """Pure: which response types each count/percent of a clause reports (``is_arm``: whether the
    words after "on / receiving X" name an arm of the trial; without it they never link)."""
    hits: list[_Hit] = []
    used: set[int] = set()
    postfix: dict[int, list[str]] = {}
    for vi, v in enumerate(values):
        nxt = values[vi + 1].start if vi + 1 < len(values) else len(text)
        after = [(ti, t) for ti, t in enumerate(terms) if v.end <= t.start < nxt]
        gap = text[v.end : after[0][1].start] if after else ""
        bare = not gap.strip() and (vi - 1 in postfix or after[0][1].surface[:1].islower()) if after else False
        since = values[vi - 1].end if vi else 0
        specific_before = any(since <= t.start and t.end <= v.start and not is_generic(t) and ti not in used
                              for ti, t in enumerate(terms))
        if after and is_generic(after[0][1]) and specific_before:
            used.add(after[0][0])
            continue  # "counting complete and partial remissions together, 37 (52.1%) responded"
        link = _rx("responses.postfix_link").match(gap) if after else None
        if link and link.group("arm") and (link.group("of") or not (is_arm is not None and is_arm(link.group("arm")))):
            link = None  # "20 (27%) on X were ...": only when X is an arm, not "25% of patients receiving X had"
        if after and (link or bare):
            nxt_term = after[1][1] if len(after) > 1 and _rx("responses.population_noun").match(after[0][1].surface) else None
            postfix[vi] = [(nxt_term or after[0][1]).canonical]  # "one of the six responders relapsed": relapse
            used.add(after[0][0])
            for (ti, t), (_, prev) in zip(after[1:], after):
                if text[prev.end : t.start].strip(" ()[]") or t.canonical != prev.canonical:
                    break
                used.add(ti)  # "complete response (CR)": the abbreviation repeats the term
    prev_end = 0
    for vi, v in enumerate(values):
        if vi not in postfix and not hits and not any(prev_end <= t.start and t.end <= v.start for t in terms):
            later = _shared_postfix(text, terms, values, postfix, vi)
            if later is not None:  # "63 of 99 (64%) and 52 of 98 (53%) were in complete remission"
                hits.append(_Hit(postfix[later], v, rule="response.count_had_term"))
                prev_end = v.end
                continue
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
    for h, types in zip(hits, spread_types([h.types for h in hits], [h.rule for h in hits])):
        h.types = types  # "the complete and partial remission rates were 30% and 15%": one type each
    return hits


def _shared_postfix(text: str, terms: list[Term], values: list[CountPercent], postfix: dict[int, list[str]],
                    vi: int) -> int | None:
    """Index of the later value whose term also types value ``vi``: the values form one list
    ("X (64%) and Y (53%) were in CR") with no response term between them."""
    for later in range(vi + 1, len(values)):
        if any(values[vi].end <= t.start and t.end <= values[later].start for t in terms):
            return None
        if later in postfix:
            return later
    return None


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
    found = definitions_of(text)
    return (found[0][0], found[0][1]) if found else None


# --------------------------------------------------------------------------------------
# extractor
# --------------------------------------------------------------------------------------


def _arm_named(ctx: Context, words: str) -> str | None:
    """The arm ``words`` name: by label or alias, else by the dose of a dose-labelled arm ("in the
    4,000 IU group", "1000 mg 22/49")."""
    return arm_for_text(ctx, words) or dose_arm({a.id: a.label or "" for a in arms(ctx)}, words)


def _arms_for(ctx: Context, text: str, hits: list[_Hit], slots: Slots | None = None,
              implied: list[str] | None = None) -> list[str | None]:
    """Arm of each value: arms named before the values or inside them ("A: 40%, B: 22%", "63 of the
    99 patients in the A group (64%)") or after them ("40% of A and 22% of B"), else arms in
    report order for a run of same-typed values, one per arm ("CRR by 30% and 20%"); values read
    at different time points (``slots``) are not one run. ``implied``: the arms the previous
    sentence named, in its order, which an arm-less run of as many values follows."""
    many = arms(ctx)
    if slots is not None and slots.arms is not None:
        return slots.arms
    if len(many) <= 1 or not hits:
        return [many[0].id if many else None] * len(hits)
    starts = [h.value.start for h in hits] + [len(text)]
    ends = [0] + [h.value.end for h in hits]
    named = lambda words: _arm_named(ctx, words)  # noqa: E731
    before = [named(text[ends[i] : hits[i].value.end]) for i in range(len(hits))]
    for i, h in enumerate(hits):  # "both X groups did better than placebo (17.6%)": the arm right before "("
        lead = _rx("responses.arm_before_paren_value").search(text[ends[i] : h.value.start]) if before[i] is None else None
        before[i] = arm_for_text(ctx, lead["arm"]) if lead else before[i]
    after = [named(text[ends[i + 1] : starts[i + 1]]) for i in range(len(hits))]
    follows = implied_arms([h.types for h in hits], implied or []) if not any(before) and not any(after) else None
    if follows and all(_same_slot(slots, 0, i) for i in range(len(hits))):
        return follows  # type: ignore[return-value]
    first, second = (before, after) if before[0] is not None else (after, before)
    out = [a if a is not None else b for a, b in zip(first, second)]
    i = 0
    while i < len(hits):
        j = i
        while j + 1 < len(hits) and hits[j + 1].types == hits[i].types and _same_slot(slots, i, j + 1):
            j += 1
        run = out[i : j + 1]
        if j - i + 1 == len(many) and (None in run or len(set(run)) < len(run)):
            out[i : j + 1] = [a.id for a in many]
        elif (j - i + 1) % len(many) == 0 and j > i:
            out[i : j + 1] = cycled_arms(first[i : j + 1], [a.id for a in many]) or run
        i = j + 1
    for i in [*range(1, len(out)), *range(len(out) - 2, -1, -1)]:  # "A group: total remission 83.3%, among them
        j = i - 1 if i and out[i - 1] is not None else i + 1  # complete remission 58.3%"; "CR and PR were 30% and 15% with A"
        if out[i] is None and j < len(out) and out[j] is not None and (hits[i].types != hits[j].types
                                                                      or not _same_slot(slots, i, j)):  # "X% and Y% of A patients"
            out[i] = out[j]
    listed = listed_arms(text[hits[-1].value.end :], named, len(hits)) if len({tuple(h.types) for h in hits}) == 1 else None
    if listed and None in before[:-1] and all(a is None for a in after[:-1]):
        return listed  # "..., 13 of 47 and 8 of 48 in the 400 mg, 1000 mg and placebo groups"
    named_here = [b is not None or a is not None for b, a in zip(before, after)]  # a named arm outranks a size
    sizes = [None if k else h.value.N for h, k in zip(hits, named_here)]
    lead = ctx.state.get("lead_in_arm")
    return lead_in_values(by_denominator(out, sizes, {a.id: a.n for a in many}), sizes, (lead.id, int(lead.n)) if lead and lead.n else None)


def _same_slot(slots: Slots | None, i: int, j: int) -> bool:
    if slots is None:
        return True
    a, b = slots.times[i], slots.times[j]
    return a is None or b is None or (a.value, a.unit) == (b.value, b.unit)


def extract_responses(ctx: Context) -> list[Response]:
    out: list[Response] = []
    definitions: dict[str, str] = {}
    fu = follow_up(ctx)
    last: dict[tuple[str, str | None], Response] = {}
    prior: list[list[str]] = []  # types of the previous sentence's last rate ("it was ...")
    multi = len(arms(ctx)) > 1
    sizes = sizes_of(ctx)
    guessed: set[int] = set()  # items whose time point is not written in their own sentence
    prev: tuple[str | None, TimeMention | None] = (None, None)  # (section, last time point)
    named: tuple[str | None, list[str]] = (None, [])  # (section, arms the last sentence named, in order)
    for sent in prose_sentences(ctx, SKIP_SECTIONS):
        implied = named[1] if named[0] == sent.section else []
        named = (sent.section, named_order(sent.text, lambda words: _arm_named(ctx, words)) if multi else [])
        if _rx("responses.hypothetical").search(sent.text):
            continue  # sample-size assumptions and planned margins are not results
        sent_times = with_courses(ctx, sent.text, times_in(sent.text, fu))
        carried = prev[1] if prev[0] == sent.section else None
        points = [t for t in sent_times if t.kind == KIND_POINT]
        lasting = [t for t in points if not is_duration(sent.text, t) and t.value]  # "within 15% of baseline" carries no time
        prev = (sent.section, lasting[-1] if lasting else None if points else carried)
        if _rx("responses.subgroup").search(sent.text):
            continue  # main population only: subgroup rates are not the trial's result
        try:
            out += _read_sentence(ctx, sent, sent_times, carried, fu, multi, sizes, last, definitions, guessed, prior,
                                  [] if named[1] else implied)
        except Exception as exc:  # noqa: BLE001 - one unreadable sentence must not lose the kind
            ctx.warnings.append(f"responses: sentence at {sent.start} skipped ({type(exc).__name__}: {exc})")
    _background_definitions(ctx, definitions)
    out += _guarded(ctx, "efficacy grades", lambda: grade_rates(ctx, out))
    out += _guarded(ctx, "tables", lambda: from_tables(ctx, out))
    out += _guarded(ctx, "per-patient tables", lambda: case_rates(ctx) + prose_case_rates(ctx))
    flat = _guarded(ctx, "flattened tables", lambda: flat_rates(ctx, usual_time(out)))
    rows = [(f.evidence.start, f.evidence.end) for f in flat if f.evidence is not None]
    out = [o for o in out if not _inside(o, rows)] + flat  # a flattened row read as a table, not as prose
    if remission_is_complete(ctx, definitions):
        for item in out:
            if item.type == "overall":
                item.type = "complete"  # type: ignore[assignment]
        definitions.setdefault("complete", definitions.get("overall", ""))
    for item in out:
        name = getattr(item, "name", None)
        key = f"{item.type}{NAME_SEP}{name}" if name else item.type
        if item.definition is None and definitions.get(key):
            item.definition = definitions[key]
    ctx.state["response_candidates"] = list(out)  # before de-duplication: checks compare abstract and tables
    return drop_guessed(dedupe_figures(out), guessed)


def _background_definitions(ctx: Context, definitions: dict[str, str]) -> None:
    """Definitions written in a section read as background (a methods part the report did not
    head as such: "Sustained remission was defined as ..."): they define, they report nothing."""
    for sent in prose_sentences(ctx):
        if sent.section not in DEFINITION_ONLY_SECTIONS:
            continue
        for c_start, c_end in clauses(sent.text):
            text = sent.text[c_start:c_end]
            terms = typed_terms(ctx, text)
            for keys, body in definitions_of(text, terms) if terms else []:
                for k in keys:
                    definitions.setdefault(k, body)


def _inside(item: Response, rows: list[tuple[int, int]]) -> bool:
    span = getattr(item.evidence, "span", None) if item.evidence is not None else None
    return bool(span) and any(a <= span[0] and span[1] <= b for a, b in rows)


def _guarded(ctx: Context, what: str, read) -> list[Response]:  # type: ignore[no-untyped-def]
    try:
        return list(read())
    except Exception as exc:  # noqa: BLE001 - a failing reader must not lose the prose rates
        ctx.warnings.append(f"responses: {what} skipped ({type(exc).__name__}: {exc})")
        return []


def _read_sentence(ctx: Context, sent, sent_times: list[TimeMention], carried: TimeMention | None,  # type: ignore[no-untyped-def]
                   fu: tuple[float, str] | None, multi: bool, sizes: tuple[int, ...],
                   last: dict[tuple[str, str | None], Response], definitions: dict[str, str],
                   guessed: set[int], prior: list[list[str]], implied: list[str]) -> list[Response]:
    """The rates of one prose sentence, clause by clause (definitions go to ``definitions``).
    ``prior``: the types of the previous sentence's last rate, which a clause whose subject points
    back ("At 24 months it was 25/43 (58.1%)") reports; replaced by this sentence's. ``implied``: the
    previous sentence's arms in the order it named them, when this sentence names none."""
    out: list[Response] = []
    lead, prior[:] = (prior[0] if prior else None), []
    defined: list[str] = []  # keys this sentence defined: its later clauses without terms continue them
    clause_types: list[str] | None = None  # the types of the previous clause's last rate in this sentence
    for c_start, c_end in clauses(sent.text):
        text = sent.text[c_start:c_end]
        terms = typed_terms(ctx, text)
        apposed = apposed_definition(text, terms) if terms else None
        if apposed is not None:  # "3 (37.5%) were in CR, defined as ..., and ...": the rates are read, the definition kept
            text, found = apposed
            terms = typed_terms(ctx, text)
            for keys, body in found:
                for k in keys:
                    definitions.setdefault(k, body)
        found = definitions_of(text, terms, continuing=bool(defined)) if terms else []
        for keys, body in found:
            defined = [k for k in keys if definitions.setdefault(k, body) == body]
        if found:
            continue  # a definition is not a result
        if defined and not terms:  # "CR was defined as UPCR < 0.5; eGFR >= 60; no rescue therapy"
            for k in defined:
                definitions[k] = trim(f"{definitions[k]}; {text}")
            continue
        ref = clause_types or lead  # "...; at week 76 the figures were 26/63 and 15/62": this sentence's rate first
        back = ref if ref and _rx("responses.anaphora").match(text) else None
        if not terms and not back and multi and clause_types:
            arm_lead = _rx("responses.arm_lead").match(text)  # "...: A 34/74 (45.9%); placebo 19/73 (26.0%)"
            if arm_lead and _arm_named(ctx, arm_lead.group(0)) is not None:
                back = clause_types
        clause_types = None
        if (not terms and not back) or (multi and _rx("responses.component_trials").search(text)):
            continue  # "in the individual trials the figures were ...": a pooled analysis' arms are the pooled ones
        times = with_courses(ctx, text, times_in(text, fu))
        base = sent.start + c_start
        out += _carried(ctx, text, terms, times, sent_times, sent.text, c_start, base, last)
        values = with_term_counts(text, terms, values_in(text, arm_n(ctx, None), sizes), sizes)
        if not values or dense(values):
            continue
        sub = among_denominator(text, values[0].start)
        if sub:
            values = values_in(text, sub, sizes)
        hits = assign_terms(text, terms, values, multi, lambda words: _arm_named(ctx, words) is not None)
        if back:  # values before the clause's own terms report the previous sentence's response
            typed = {id(h.value) for h in hits}
            stop = terms[0].start if terms else len(text)
            hits = [_Hit(list(back), v, rule="response.anaphora") for v in values if v.start < stop and id(v) not in typed] + hits
        if hits:
            prior[:] = [hits[-1].types]
            clause_types = list(hits[-1].types)
        times = with_time_lists(text, times, values)
        slots = (value_slots(text, times, [h.value for h in hits], lambda words: _arm_named(ctx, words),
                             [a.id for a in arms(ctx)], [h.types for h in hits]) if _in_order(hits) else None) or Slots(
            [nearest_timepoint(times, h.value.start, text) for h in hits], decided=False)
        arm_ids = _arms_for(ctx, text, hits, slots, implied)
        of_arms = sizes_hold(ctx, [(h.value, a) for h, a in zip(hits, arm_ids)])
        for hi, (h, arm_id) in enumerate(zip(hits, arm_ids)):
            v = h.value
            own = (slots.times[hi] if slots.decided else None) or nearest_timepoint([t for t in times if t.value], v.start, text)
            tm = own or nearest_timepoint([t for t in sent_times if t.value], c_start + v.start, sent.text)  # not baseline
            if "relapse" in h.types and tm is not None and population_time(text if tm is own else sent.text, tm):
                tm = None  # "of patients in remission at 12 months, 9/24 relapsed": not the time of the count
            if "relapse" in h.types and not (slots.decided and slots.times[hi] is not None):
                tm = _event_time(text, times, v) or tm
            repaired = "; ".join(r for r in (v.repaired, h.repaired) if r) or None
            for key in h.types:
                pkey, ptime = primary_key_time(ctx, fu)
                stated = None if "relapse" in h.types else endpoint_time(ctx.text, key, fu)  # its end point's time
                kt = tm if own is not None else prefer_endpoint(stated, tm, sent_times, c_start + v.start, sent.text)
                tk = kt or (ptime if pkey == key else None) or stated or carried or _fallback_time(ctx, key, fu)
                weak = kt is None
                item = _make(ctx, key, arm_id, _time(tk), v, repaired, ctx.evidence(base + v.start, base + v.end, h.rule), sub,
                             of_arms and not _rx("responses.completer_population").search(sent.text))
                if item is None:
                    continue
                out.append(item)
                if weak:
                    guessed.add(id(item))
                last[(key, arm_id)] = item
    return out


def _in_order(hits: list[_Hit]) -> bool:
    return all(a.value.end <= b.value.start for a, b in zip(hits, hits[1:]))


def _event_time(text: str, times: list[TimeMention], v: CountPercent) -> TimeMention | None:
    """Time of a relapse count: the time written right before the value ("by month 9 (12.5%)"),
    else the first one after it ("3 (12.5%) relapsed by the 9-month visit"; "4 of 41 with A versus
    7 of 33 with B by year 2"); a time naming the responders counted ("week-52 responders", "of
    patients in remission at 12 months") is not the time the relapses were counted to."""
    points = [t for t in times if t.kind == KIND_POINT and not population_time(text, t)]
    right_before = [t for t in points if 0 <= v.start - t.end <= EVENT_TIME_GAP and not text[t.end : v.start].strip()]
    if right_before:
        return right_before[-1]
    after = [t for t in points if v.end <= t.start]
    return after[0] if after else None


def remission_is_complete(ctx: Context, definitions: dict[str, str]) -> bool:
    """A report that speaks mostly of "remission", defines it by absolute criteria ("fewer than 10
    red cells per field, proteinuria below 1 g per day") and names no complete or partial
    response: its remission is a complete one."""
    named = {t.canonical for t in find_terms(ctx.text, "response_terms")}
    if named & GRADED_TYPES or not definitions.get("overall"):
        return False
    overall = [t for t in find_terms(ctx.text, "response_terms") if t.canonical == "overall"]
    if 2 * sum(1 for t in overall if _rx("responses.remission_word").search(t.surface)) <= len(overall):  # mostly "remission"
        return False
    return not _rx("responses.relative_criterion").search(definitions["overall"])


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
