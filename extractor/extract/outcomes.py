"""Outcome measures (SLEDAI, proteinuria, creatinine, survival, ...) by arm and time point.

Prose, clause by clause: measures (``rules/vocab/measures.tsv``), values (summaries such as
``10 (8-16)`` or ``33.1 ± 9.8``, percentages, plain numbers) and time points. A value belongs to
the measure written before it when only linking words stand between ("SLEDAI-2K was 8 (2 12)",
"increase of SLEDAI-2K to 8") or to the measure written after it ("16 for SLEDAI-2K"). Its time
point is the one written right after it ("66.7% at baseline"), else the nearest before it.
Tables (:mod:`outcome_tables`): rows (or columns) named by a measure; arm and time from the headers.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from extractor.extract.context import Context
from extractor.extract.flat_tables import merge_flat
from extractor.extract.numbers import find_numbers
from extractor.extract.outcome_arms import dose_named, list_outcomes, named_arms, nearest_arm, value_arms, without_arm_names
from extractor.extract.outcome_events import extract_event_counts, is_event
from extractor.extract.outcome_stat import decreased, value_stat
from extractor.extract.outcome_tables import TABLE_ONLY, from_tables, treatment_time
from extractor.extract.outcome_values import Value, find_values, semicolon_summaries
from extractor.extract.quantities import unit_at
from extractor.extract.tables import Term, arm_for_text, arm_n, arms, as_decimal_points, clauses, find_terms, follow_up, prose_sentences, timepoints_in
from extractor.extract.timepoints import BASELINE, TimeMention, nearest_timepoint
from extractor.nlp.rules import regex, vocab_rows
from extractor.records import Outcome, TimePoint

SKIP_SECTIONS = frozenset({"introduction", "discussion", "references"})
METHODS = "methods"  # a methods sentence that says how a measure was assessed holds no result
MAX_LINK = 90  # characters between a measure and its value
MAX_SENTENCE = 700  # longer "sentences" are tables flattened into text ...
RUN_ON_CLAUSES = 5  # ... unless they run on in this many ";" clauses ("Results: ...; ...; ...")
DENSE_MIN_NUMBERS, DENSE_SHARE = 16, 0.45  # ... and so are runs where numbers are this share of the words
DIMENSIONLESS = frozenset({"score", "%", "count", "titre"})
PERCENT_MEASURE_UNIT = "%"
ARM_PIECE_WORDS = 4  # words of an arm piece blanked between a measure and its first value
RANGE_OPENERS = frozenset({"of", "between"})
DURATION_PREFIX = "time_to_"  # a duration ("time to conversion") with no time written: observed over the follow-up
WINDOW_CUE_CHARS = 200  # an event window ("within one hour of treatment") this close after an end-point definition cue


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex("outcomes", rule_id)


CHARACTERISTIC = "characteristic"  # measures.tsv flag: a patient characteristic, not an outcome at baseline


@lru_cache(maxsize=1)
def characteristics() -> frozenset[str]:
    return frozenset(row[0] for row in vocab_rows("measures") if CHARACTERISTIC in row[2:])


def _outcome_not_characteristic(item: Outcome) -> bool:
    """A baseline BMI or body weight describes the cohort, as does one stated with no time point
    ("Median BMI was 29.3 (range 17.2–49.7)") unless it is a change; the same measure later is an outcome."""
    if item.measure not in characteristics():
        return True
    return item.time.value != 0 if item.time is not None else item.stat == "change"


def link_values(text: str, measures: list[Term], values: list[Value],
                neutral: Callable[[str, bool], str] | None = None) -> list[tuple[Term, Value]]:
    """Pure: (measure, value) pairs of a clause. A value links to the measure before it through
    linking words only, or through the previous value of the same measure ("from 3.2 to 1.1",
    "5.4 in the MMF group and 10.9": ``neutral`` blanks the arm names of a gap);
    "16 for SLEDAI" links forward."""
    pairs: list[tuple[Term, Value]] = []
    current: Term | None = None
    current_end = 0
    trailing = _trailing_measure(text, measures, values)
    for v in values:
        after = [m for m in measures if m.start >= v.end]
        if after and _rx("outcomes.value_for_measure").match(text[v.end : after[0].start]):
            pairs.append((after[0], v))
            continue
        before = [m for m in measures if m.end <= v.start]
        if not before:
            if trailing is not None and v.end <= trailing.start:
                pairs.append((trailing, v))
            continue
        m = before[-1]
        anchor = current_end if current is m and current_end > m.end else m.end
        gap = text[anchor : v.start]
        if anchor > m.end and gap.lstrip()[:1] == ")" and "(" in text[max(0, anchor - 30) : anchor]:
            gap = gap.replace(")", " ", 1)  # "(98.4±30.2) µmol/L and (96.7±28.9)": the bracket of the value before
        lead = _rx("outcomes.gap_unit").match(gap) if anchor > m.end else None
        gap = gap[lead.end() :] if lead else gap  # "from 3.21 ± 1.64 g to 1.48": the bare unit
        gap = _rx("outcomes.p_value_bracket").sub(" ", _rx("outcomes.groups_filler").sub(" ", _strip_times(gap)))
        gap = _rx("outcomes.population_bracket").sub(" ", gap)  # "(mITT)"
        first = anchor == m.end  # the first value: only short arm pieces ("in the MMF and placebo groups was")
        if neutral is not None and (not first or _rx("outcomes.arm_gap_lead").match(gap)) and not _rx("outcomes.value_link").match(gap):
            gap = neutral(gap, first)
        elif neutral is not None and first and not _rx("outcomes.value_link").match(gap):
            tail = _rx("outcomes.arm_gap_tail").search(gap)  # "scores was significant in the 4,000 IU group 1.0"
            gap = gap[: tail.start()] + neutral(gap[tail.start() :], first) if tail else gap
        if len(gap) <= MAX_LINK and _rx("outcomes.value_link").match(gap):
            pairs.append((m, v))
            unit = unit_at(text, v.end)
            current, current_end = m, max(v.end, unit[1] if unit else 0)
    return pairs


def _trailing_measure(text: str, measures: list[Term], values: list[Value]) -> Term | None:
    """Pure: the first measure of a clause when only summaries with a spread come before it and
    the last of them is read on it ("improved (-0.55 [IQR ...]) compared to placebo (0.05 [IQR ...])
    based on the PGA"), else None."""
    if not measures:
        return None
    first = measures[0]
    ahead = [v for v in values if v.end <= first.start]
    if not ahead or any(v.spread is None for v in ahead):
        return None
    return first if _rx("outcomes.values_then_measure").match(text[ahead[-1].end : first.start]) else None


def _strip_times(gap: str) -> str:
    """Time phrases ("at 12 months after transplantation") do not break a measure-value link."""
    for tm in sorted(timepoints_in(gap, (1.0, "month")), key=lambda t: -t.start):
        gap = gap[: tm.start] + " " + gap[tm.end :]
    for word in ("after transplantation", "after treatment", "post-transplant", "after infusion", "post-treatment"):
        gap = gap.replace(word, " ")
    return gap


def _time_of(text: str, v: Value, times: list[TimeMention]) -> TimeMention | None:
    inside = [t for t in times if v.start <= t.start and t.end <= v.end]
    if inside:  # "66 at baseline7%": the interleaved words carry the time
        return inside[0]
    right = [t for t in times if t.start >= v.end and _rx("outcomes.value_unit_time_gap").match(text[v.end : t.start])]
    if right:
        return right[0]
    after = [t for t in times if t.start >= v.end and _rx("outcomes.versus_time_gap").match(_unbracketed(text[v.end : t.start]))]
    if after:
        return after[0]  # "(0.86; IQR ...) versus (1.16; IQR ...) at 9 months"
    if _rx("outcomes.baseline_after").match(text[v.end : v.end + 60]) or _rx("outcomes.from_before").search(text[max(0, v.start - 40) : v.start]):
        return BASELINE  # "from 3.2 to 1.1 at 6 months", "4.25 g/24 h before rituximab"
    return nearest_timepoint(times, v.start, text)


def _unbracketed(text: str) -> str:
    """``text`` without its bracketed parts ("( IQR 0.52–1.40)"), innermost first."""
    while True:
        close = text.find(")")
        opened = text.rfind("(", 0, close) if close >= 0 else -1
        if close < 0 or opened < 0:
            return text
        text = text[:opened] + text[close + 1 :]


def individual_paragraph(text: str, start: int) -> bool:
    """Pure: the paragraph holding offset ``start`` opens with one patient ("**Patient 1**, a
    24-year-old woman ..."): its values are that patient's data, not group outcomes."""
    para = text.rfind("\n\n", 0, start)
    para = 0 if para < 0 else para + 2
    return bool(_rx("outcomes.individual_patient_lead").match(text[para : para + 60]))


def _real_times(text: str, times: list[TimeMention]) -> list[TimeMention]:
    """Time mentions that are not part of a name ("vitamin D3") nor counted from a later event
    ("12 weeks after dose escalation")."""
    return [t for t in times if not _rx("outcomes.not_a_time_before").search(text[max(0, t.start - 20) : t.start])
            and not _rx("outcomes.relative_event_after").match(text[t.end : t.end + 40])]


def _after_treatment(text: str, start: int, times: list[TimeMention]) -> bool:
    """The value follows "after treatment" ("..., respectively, after treatment were (76.5±21.3)")
    with no time point written after that phrase."""
    hits = list(_rx("outcomes.list_after").finditer(text, 0, start))
    if not hits:
        return False
    cue = hits[-1].end()
    return not any(cue <= t.start < start or t.start <= cue < t.end for t in times) and \
        not any(m.start() > cue for m in _rx("outcomes.list_before").finditer(text, 0, start))


def _single_time(times: list[TimeMention]) -> TimeMention | None:
    """The one later time point (not baseline, not a schedule) a sentence states, else None."""
    later = [t for t in times if t.value and not t.is_schedule]
    return later[0] if later and len({(t.value, t.unit) for t in later}) == 1 else None


def _duration_value(text: str, tm: TimeMention) -> bool:
    """A number-first time ("210 days") with no preposition before it: the value of a duration."""
    return tm.surface[:1].isdigit() and not _rx("outcomes.time_lead").search(text[max(0, tm.start - 12) : tm.start])


def _flattened_table(text: str) -> bool:
    """A "sentence" that is a table flattened into text (PDF tables the reader missed): very long
    (unless it runs on in ";" clauses, as congress abstracts do), or mostly numbers."""
    numbers = len(find_numbers(text))
    if len(text) > MAX_SENTENCE:
        return text.count(";") < RUN_ON_CLAUSES or numbers > DENSE_SHARE * len(text.split())
    return numbers >= DENSE_MIN_NUMBERS and numbers > DENSE_SHARE * len(text.split())


COLUMN_LINES = 2  # a "sentence" with this many lines of two or more column gaps is a text-drawn diagram


def _column_layout(text: str) -> bool:
    """A "sentence" that is rows of a text-drawn diagram or table ("Stopped treatment 9      Stopped
    treatment 12      Stopped treatment 14" / "death 0      death 1      death 1"): not prose."""
    gap = _rx("outcomes.column_gap")
    lines = [ln for ln in text.split("\n") if ln.strip()]
    gaps = [len(gap.findall(line)) for line in lines]
    if len(lines) >= COLUMN_LINES and all(gaps):
        return True  # every line in columns ("Discontinued 5      Discontinued 7" / "death 1      death 0")
    return sum(1 for g in gaps if g >= 2) >= min(COLUMN_LINES, len(lines))


def _end_value_time(text: str, v: Value, fu: tuple[float, str] | None) -> TimeMention | None:
    """The 'Y' of "fell from X to Y" with no time written: the end of follow-up."""
    before = text[: v.start]
    if fu is None or not _rx("outcomes.to_value").search(before[-40:]) or not _rx("outcomes.from_to").search(before):
        return None
    return TimeMention(value=fu[0], unit=fu[1], label=None, start=v.start, end=v.start, surface="")


def _is_threshold(text: str, v: Value) -> bool:
    """'at least 50 %', 'UPCR < 0.5', '45 mL/min/1.73 m² or less': a cut-off, not a result;
    '62% in CKD stage 3': a share of patients in a category."""
    return bool(_rx("outcomes.threshold_before").search(text[max(0, v.start - 30) : v.start])
                or _rx("outcomes.threshold_after").match(text[v.end : v.end + 40])
                or v.percent and _rx("outcomes.category_share_after").match(text[v.end : v.end + 40]))


def _category_range(text: str, v: Value) -> bool:
    """'(48% had an ejection fraction of 36% to 45%)': a range placing participants in a category."""
    before = text[max(0, v.start - 80) : v.start]
    if not _rx("outcomes.category_range_before").search(before):
        return False
    words = before.split()
    first_bound = bool(words) and words[-1].lower() in RANGE_OPENERS  # "of 36% to 45%": 36 is read before its range
    return not first_bound or bool(_rx("outcomes.category_range_after").match(text[v.end : v.end + 20]))


def event_window(ctx: Context) -> TimeMention | None:
    """The window an end-point event is watched for, as its definition states it ("Main outcome:
    conversion, defined as termination within one hour of treatment"): the time point of a
    duration outcome ("time to conversion") that states none. Cached."""
    if "_event_window" not in ctx.state:
        found: TimeMention | None = None
        for m in _rx("outcomes.event_window").finditer(ctx.text):
            if _rx("outcomes.endpoint_definition_cue").search(ctx.text[max(0, m.start() - WINDOW_CUE_CHARS) : m.start()]):
                times = timepoints_in(m.group(0))
                if times:
                    t = times[0]
                    found = TimeMention(value=t.value, unit=t.unit, label=None, start=m.start(), end=m.end(), surface=t.surface)
                    break
        ctx.state["_event_window"] = found
    return ctx.state["_event_window"]  # type: ignore[no-any-return]


def _tp(tm: TimeMention | None) -> TimePoint | None:
    return TimePoint(value=tm.value, unit=tm.unit, label=tm.label) if tm else None  # type: ignore[arg-type]


def extract_outcomes(ctx: Context) -> list[Outcome]:
    fu = follow_up(ctx)
    treated = treatment_time(ctx)
    known_stat: dict[str, str] = {}
    total = arm_n(ctx, None)
    sentences = [s for s in prose_sentences(ctx, SKIP_SECTIONS)
                 if not _rx("outcomes.not_result_sentence").search(s.text) and not _rx("outcomes.other_study_sentence").search(s.text)
                 and not _rx("outcomes.definition_sentence").search(s.text)
                 and not (s.section == METHODS and _rx("outcomes.method_sentence").search(s.text))
                 and not _rx("outcomes.formula_sentence").search(s.text)
                 and not _rx("outcomes.one_patient_sentence").search(s.text)
                 and not _flattened_table(s.text) and not _column_layout(s.text)
                 and not individual_paragraph(ctx.text, s.start)
                 and not (_rx("outcomes.subgroup_sentence").search(s.text) and not named_arms(ctx, s.text))]
    out, listed = list_outcomes(ctx, sentences, fu)  # "A, B and C were a, b and c in X and d, e and f in Y"
    inherited: TimeMention | None = None
    prev_end = -1
    for sent in [s for s in sentences if s.start not in listed]:  # not eligibility, end-point definitions,
        # tables read as one run of text, not one patient's course in a case report
        sent_times = _real_times(sent.text, timepoints_in(sent.text, fu))
        if prev_end < 0 or "\n\n" in ctx.text[prev_end : sent.start]:
            inherited = None  # a new paragraph
        own = _single_time(sent_times)
        enrolled = bool(_rx("outcomes.cohort_sentence").search(sent.text))  # values of the participants as enrolled
        same_period = not sent_times and bool(_rx("outcomes.same_period").search(sent.text))  # "... over the same period"
        carried: Term | None = None
        last_stat: dict[str, str] = {}
        last_down: dict[str, int | None] = {}  # end of the measure's last value stated as a decrease
        clause_order: list[str] = []  # the arms, in order, a clause before gave its values to
        for c_start, c_end in clauses(sent.text):
            text = semicolon_summaries(as_decimal_points(ctx, sent.text[c_start:c_end]))
            measures = [m for m in find_terms(text, "measures") if TABLE_ONLY not in m.extra and not is_event(m)
                        and not _rx("outcomes.dose_per_weight_before").search(text[max(0, m.start - 20) : m.start])
                        and not _rx("outcomes.response_of_before").search(text[max(0, m.start - 40) : m.start])]
            cont = _rx("outcomes.clause_continues").match(text) if not measures and carried is not None else None
            if cont and carried is not None:  # "...; and 0.25 (0.14–0.37) in B", "...; after 6 months they were ..."
                at = cont.end("pron") if cont.group("pron") else 0
                measures = [Term(carried.canonical, at, at, "", carried.extra)]
            carried = measures[-1] if measures and len({m.canonical for m in measures}) == 1 else None
            if not measures:
                continue
            written = timepoints_in(text, fu)  # every time phrase: its numbers are not values
            times = _real_times(text, written)
            clause_times = sent_times
            if all(m.canonical.startswith(DURATION_PREFIX) for m in measures):  # "time to remission was 120 and 210 days"
                times = [t for t in times if not _duration_value(text, t)]
                written = [t for t in written if not _duration_value(text, t)]
                clause_times = [t for t in sent_times if not _duration_value(sent.text, t)]
            doses = [(d.start(), d.end()) for d in _rx("outcomes.dose_list").finditer(text)]  # "in the 1, 3 and 10 mg/kg cohorts"
            values = find_values(text, total, [(m.start, m.end) for m in measures], [(t.start, t.end) for t in written] + doses)
            base = sent.start + c_start
            units_seen: dict[str, str] = {}
            pairs = link_values(text, measures, values, lambda gap, first: without_arm_names(ctx, gap, ARM_PIECE_WORDS if first else None))
            for m, v in pairs:
                if v.unit:
                    units_seen[m.canonical] = v.unit
            by_value = _arms_by_value(ctx, text, pairs, clause_order)
            clause_order = _clause_order(pairs, by_value) or clause_order
            for m, v in pairs:
                if _is_threshold(text, v) or _category_range(text, v):
                    continue
                stat = value_stat(text, v.start, v.end, v.stat, known_stat, m.canonical, last_stat.get(m.canonical), m.start,
                                  sent.text[:c_start], m.end)
                last_stat[m.canonical] = stat
                prev_down = last_down.get(m.canonical)
                down = stat == "change" and v.value > 0 and decreased(text, v.start, text[prev_down:v.start] if prev_down is not None else None,
                                                                           (m.start, m.end))
                last_down[m.canonical] = v.end if down or stat == "change" and v.value < 0 and _rx("outcomes.decrease_cue").search(
                    text[max(0, v.start - 60) : v.start]) else None
                value = -v.value if down else v.value
                tm = _time_of(text, v, times) or nearest_timepoint(clause_times, c_start + v.start, sent.text) or \
                    (inherited if same_period else None) or _end_value_time(text, v, fu)
                if _after_treatment(text, v.start, times) and treated:
                    tm = TimeMention(value=treated[0], unit=treated[1], label=None, start=v.start, end=v.start, surface="")
                if stat == "change" and tm is not None and not tm.value:
                    tm = own or inherited  # "the mean change from baseline in SHS was 1.36": baseline is where it starts
                if tm is None and enrolled:
                    tm = BASELINE
                if tm is None and inherited is not None and stat in {"mean", "median"}:
                    tm = inherited  # "... at ten years ... . The mean SDI was 1.2 (SD 1.4) in A and 1.3 (SD 1.6) in B."
                if tm is None and m.canonical.startswith(DURATION_PREFIX):
                    tm = event_window(ctx)
                if tm is None and (stat == "change" or m.canonical.startswith(DURATION_PREFIX)) and fu:
                    tm = TimeMention(value=fu[0], unit=fu[1], label=None, start=v.start, end=v.start, surface="")
                if stat in {"mean", "median"}:
                    known_stat.setdefault(m.canonical, stat)
                default = m.extra[0] if m.extra else None
                unit = v.unit or units_seen.get(m.canonical) or (
                    PERCENT_MEASURE_UNIT if v.percent else default if default in DIMENSIONLESS else None)
                arm_id = by_value.get(id(v)) or _clause_arm(ctx, text, v)
                out.append(Outcome(
                    measure=m.canonical, arm=arm_id, time=_tp(tm), stat=stat,  # type: ignore[arg-type]
                    value=value, unit=unit, spread=v.spread, repaired=v.repaired,
                    evidence=ctx.evidence(base + v.start, base + v.end, "outcome.prose." + (stat or "value")),
                ))
        inherited, prev_end = (own or _only_baseline(sent_times) if sent_times else inherited), sent.end
    out = merge_flat(ctx, out + extract_event_counts(ctx, sentences))
    out += from_tables(ctx)
    return [o for o in _dedupe(out) if _outcome_not_characteristic(o)]


def _arms_by_value(ctx: Context, text: str, pairs: list[tuple[Term, Value]], order: list[str] | None = None) -> dict[int, str | None]:
    """id(value) → arm, for the values of a measure that the clause attributes one by one; a
    clause that names no arm and gives one value per arm of ``order`` (the arms a clause before
    gave its values to: "... in the A group and ... in the B group; mean eGFR was X and Y") takes
    that order."""
    out: dict[int, str | None] = {}
    for canonical in {m.canonical for m, _ in pairs}:
        values = [v for m, v in pairs if m.canonical == canonical and not _is_threshold(text, v)]
        got = value_arms(ctx, text, [(v.start, v.end) for v in values])
        if not got and order and len(values) == len(order) and len(order) > 1 and not named_arms(ctx, text):
            got = list(order)
        if got:
            out.update({id(v): a for v, a in zip(values, got)})
    return out


def _clause_order(pairs: list[tuple[Term, Value]], by_value: dict[int, str | None]) -> list[str]:
    """The arms, in order, one measure's values of a clause went to (each once), else []."""
    for canonical in dict.fromkeys(m.canonical for m, _ in pairs):
        got = [by_value.get(id(v)) for m, v in pairs if m.canonical == canonical]
        if len(got) > 1 and all(got) and len(set(got)) == len(got):
            return [a for a in got if a]
    return []


def _only_baseline(times: list[TimeMention]) -> TimeMention | None:
    """BASELINE when every time a sentence states is baseline ("present at entry in 61 per cent"):
    mean values in the next sentence that state no time are at entry too."""
    return BASELINE if times and all(not t.value for t in times) else None


def _clause_arm(ctx: Context, text: str, v: Value) -> str | None:
    """Arm of a value the clause does not attribute one by one: the only arm, the arm the clause
    names, or, when it names several, the one named nearest the value."""
    if len(arms(ctx)) < 2:
        return arms(ctx)[0].id if arms(ctx) else None
    return nearest_arm(ctx, text, v.start, v.end) or arm_for_text(ctx, text) or dose_named(ctx, text)


def _dedupe(items: list[Outcome]) -> list[Outcome]:
    """Identical items once; an item without time point dropped when the same value of the
    same measure is also read with one (abstract and results both state it)."""
    timed = {(o.measure, o.arm, o.stat, o.value) for o in items if o.time is not None}
    items = [o for o in items if o.time is not None or (o.measure, o.arm, o.stat, o.value) not in timed]
    seen: set[tuple[object, ...]] = set()
    out = []
    for o in items:
        key = (o.measure, o.arm, o.time.value if o.time else None, o.time.unit if o.time else None, o.stat, o.value)
        if key in seen:
            continue
        seen.add(key)
        out.append(o)
    return out
