"""Outcome measures (SLEDAI, proteinuria, creatinine, survival, ...) by arm and time point.

Prose, clause by clause: measures (``rules/vocab/measures.tsv``), values (summaries such as
``10 (8-16)`` or ``33.1 ± 9.8``, percentages, plain numbers) and time points. A value belongs to
the measure written before it when only linking words stand between ("SLEDAI-2K was 8 (2 12)",
"increase of SLEDAI-2K to 8") or to the measure written after it ("16 for SLEDAI-2K"). Its time
point is the one written right after it ("66.7% at baseline"), else the nearest before it.
Tables: rows (or columns) named by a measure; arm and time from the headers.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractor.extract.context import Context
from extractor.extract.numbers import CountPercent, Summary, find_count_percents, find_numbers, find_summaries
from extractor.extract.quantities import unit_at
from extractor.extract.tables import Term, arm_for_text, arm_n, arms, clauses, find_terms, follow_up, table_cells, timepoints_in, prose_sentences
from extractor.extract.timepoints import TimeMention, nearest_timepoint
from extractor.nlp.rules import regex
from extractor.records import Outcome, Spread, TimePoint

SKIP_SECTIONS = frozenset({"introduction", "discussion", "references"})
MAX_LINK = 90  # characters between a measure and its value
DIMENSIONLESS = frozenset({"score", "%", "count", "titre"})
PERCENT_MEASURE_UNIT = "%"


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex("outcomes", rule_id)


@dataclass
class Value:
    """One value read from a clause (pure; offsets relative to the clause)."""

    value: float
    stat: str | None
    start: int
    end: int
    spread: Spread | None = None
    percent: bool = False
    n: int | None = None
    repaired: str | None = None
    unit: str | None = None


def _from_summary(s: Summary) -> Value | None:
    if s.value is None:
        return None
    spread = None
    if s.spread_kind:
        spread = Spread(kind=s.spread_kind, value=s.spread_value, low=s.low, high=s.high)  # type: ignore[arg-type]
    return Value(s.value, s.stat, s.start, s.end, spread, repaired=s.repaired)


def _from_percent(c: CountPercent) -> Value | None:
    if c.percent is None or not c.percent_sign:
        return None
    repaired = c.repaired
    if repaired and c.n is not None and c.N and f"{c.n}/{c.N}" not in repaired:
        repaired += f" ({c.n}/{c.N})"  # the proof of the repair
    return Value(c.percent, "percent", c.start, c.end, percent=True, n=c.n, repaired=repaired)


def unit_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, canonical unit) of every unit written right after a number."""
    spans = []
    for n in find_numbers(text):
        if any(s <= n.start < e for s, e, _ in spans):
            continue  # the "24" of "g/24 h", the "1.73" of "mL/min/1.73 m2"
        hit = unit_at(text, n.end)
        if hit and hit[0] != "%":
            spans.append((n.end, hit[1], hit[0]))
    return spans


def _mask(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Units blanked out, offsets unchanged: "0.92 g/L (IQR 0.75-1.10)" reads "0.92 (IQR ...)"."""
    chars = list(text)
    for s, e, _ in spans:
        chars[s:e] = " " * (e - s)
    return "".join(chars)


def find_values(text: str, total: int | None = None, names: list[tuple[int, int]] | None = None,
                times: list[tuple[int, int]] | None = None) -> list[Value]:
    """Pure: summaries, percentages and plain numbers of a clause. Numbers inside measure names
    or time points are not values, nor numbers that count people ("5 patients") or name things
    ("Table 1"); a repaired percent may hold interleaved time words ("66 at baseline7%")."""
    units = unit_spans(text)
    taken = list(names or []) + list(times or []) + [(s, e) for s, e, _ in units]
    out: list[Value] = []

    def free(s: int, e: int, allow_times: bool = False) -> bool:
        spans = list(names or []) if allow_times else taken
        if allow_times and any(s < b and a < e and not (s <= a and b <= e) for a, b in times or []):
            return False
        return not any(s < b and a < e for a, b in spans)

    for c in find_count_percents(text, total=total):
        v = _from_percent(c)
        if v and free(v.start, v.end, allow_times=bool(c.repaired)) and not _people_after(text, c.end) \
                and c.rule != "numbers.n_pct_garbled":
            out.append(v)
            taken.append((v.start, v.end))
    masked = _mask(text, units)
    unit_set = {(s, e) for s, e, _ in units}
    for s in find_summaries(masked):
        v = _from_summary(s)
        if v and not any(v.start < b and a < v.end for a, b in taken if (a, b) not in unit_set):
            v.repaired = v.repaired.replace(masked[s.start : s.end], text[s.start : s.end]) if v.repaired else None
            out.append(v)
            taken.append((v.start, v.end))
    for n in find_numbers(text):
        if not free(n.start, n.end) or _people_after(text, n.end) or _rx("outcomes.not_a_value_before").search(text[max(0, n.start - 12) : n.start]):
            continue
        if not n.surface.lstrip("-−")[:1].isdigit():
            continue  # number words are counts of people or ordinals, rarely values
        out.append(Value(n.value, None, n.start, n.end, repaired=n.repaired))
        taken.append((n.start, n.end))
    for v in out:
        inside = [u for s, e, u in units if v.start <= s and e <= v.end + 1 or s == v.end]
        v.unit = inside[0] if inside else None
    out.sort(key=lambda v: v.start)
    return out


def _people_after(text: str, end: int) -> bool:
    return bool(_rx("outcomes.people_after").match(text[end : end + 40]))


def link_values(text: str, measures: list[Term], values: list[Value]) -> list[tuple[Term, Value]]:
    """Pure: (measure, value) pairs of a clause. A value links to the measure before it through
    linking words only, or through the previous value of the same measure ("from 3.2 to 1.1");
    "16 for SLEDAI" links forward."""
    pairs: list[tuple[Term, Value]] = []
    current: Term | None = None
    current_end = 0
    for v in values:
        after = [m for m in measures if m.start >= v.end]
        if after and _rx("outcomes.value_for_measure").match(text[v.end : after[0].start]):
            pairs.append((after[0], v))
            continue
        before = [m for m in measures if m.end <= v.start]
        if not before:
            continue
        m = before[-1]
        anchor = current_end if current is m and current_end > m.end else m.end
        gap = text[anchor : v.start]
        if len(gap) <= MAX_LINK and _rx("outcomes.value_link").match(_strip_times(gap)):
            pairs.append((m, v))
            unit = unit_at(text, v.end)
            current, current_end = m, max(v.end, unit[1] if unit else 0)
    return pairs


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
    return nearest_timepoint(times, v.start, text)


def _tp(tm: TimeMention | None) -> TimePoint | None:
    return TimePoint(value=tm.value, unit=tm.unit, label=tm.label) if tm else None  # type: ignore[arg-type]


def _stat(text: str, v: Value, known: dict[str, str], measure: str) -> str:
    before = text[max(0, v.start - 60) : v.start]
    if not _rx("outcomes.to_value").search(before) and _rx("outcomes.change_cue").search(before):
        return "change"
    if v.stat:
        return v.stat
    if regex("numbers", "numbers.ctx_median").search(before):
        return "median"
    if regex("numbers", "numbers.ctx_mean").search(before):
        return "mean"
    return known.get(measure, "other")


def extract_outcomes(ctx: Context) -> list[Outcome]:
    fu = follow_up(ctx)
    out: list[Outcome] = []
    known_stat: dict[str, str] = {}
    total = arm_n(ctx, None)
    for sent in prose_sentences(ctx, SKIP_SECTIONS):
        sent_times = timepoints_in(sent.text, fu)
        for c_start, c_end in clauses(sent.text):
            text = sent.text[c_start:c_end]
            measures = find_terms(text, "measures")
            if not measures:
                continue
            times = timepoints_in(text, fu)
            values = find_values(text, total, [(m.start, m.end) for m in measures], [(t.start, t.end) for t in times])
            base = sent.start + c_start
            units_seen: dict[str, str] = {}
            pairs = link_values(text, measures, values)
            for m, v in pairs:
                if v.unit:
                    units_seen[m.canonical] = v.unit
            for m, v in pairs:
                tm = _time_of(text, v, times) or nearest_timepoint(sent_times, c_start + v.start, sent.text)
                stat = _stat(text, v, known_stat, m.canonical)
                if stat in {"mean", "median"}:
                    known_stat.setdefault(m.canonical, stat)
                default = m.extra[0] if m.extra else None
                unit = v.unit or units_seen.get(m.canonical) or (
                    PERCENT_MEASURE_UNIT if v.percent else default if default in DIMENSIONLESS else None)
                arm_id = arm_for_text(ctx, text) if len(arms(ctx)) > 1 else (arms(ctx)[0].id if arms(ctx) else None)
                out.append(Outcome(
                    measure=m.canonical, arm=arm_id, time=_tp(tm), stat=stat,  # type: ignore[arg-type]
                    value=v.value, unit=unit, spread=v.spread, repaired=v.repaired,
                    evidence=ctx.evidence(base + v.start, base + v.end, "outcome.prose." + (stat or "value")),
                ))
    out += _from_tables(ctx)
    return _dedupe(out)


def _label_unit(label: str) -> str | None:
    for i, ch in enumerate(label):
        if i == 0 or label[i - 1] in " ,(/[":
            hit = unit_at(label, i)
            if hit and hit[0] not in DIMENSIONLESS:
                return hit[0]
    return None


def _from_tables(ctx: Context) -> list[Outcome]:
    out: list[Outcome] = []
    fu = follow_up(ctx)
    for table in ctx.tables:
        corner = table.rows[0].cells[0] if table.rows and table.rows[0].cells else ""
        table_times = timepoints_in(corner + " | " + table.caption, fu)
        for cell in table_cells(ctx, table):
            measures = find_terms(cell.row_label, "measures") or find_terms(cell.header, "measures")
            if not measures:
                continue
            m = measures[0]
            hint = " ".join((cell.row_label, cell.header, table.caption))
            label_times = timepoints_in(cell.row_label, fu)
            tm = cell.time or (label_times[0] if label_times else None) or (table_times[0] if table_times else None)
            summaries = [s for s in find_summaries(cell.text, context=hint) if s.value is not None]
            counts = [c for c in find_count_percents(cell.text, total=cell.n) if c.percent is not None or c.n is not None]
            nums = find_numbers(cell.text)
            if summaries and summaries[0].start == 0:
                v = _from_summary(summaries[0])
                stat, value = (v.stat or "mean") if v else "mean", v.value if v else None
                spread = v.spread if v else None
            elif counts and counts[0].start == 0:
                c = counts[0]
                stat, value, spread = ("percent", c.percent, None) if c.percent is not None else ("count", float(c.n or 0), None)
            elif nums and nums[0].start == 0 and len(nums) == 1:
                stat, value, spread = "other", nums[0].value, None
            else:
                continue
            default = m.extra[0] if m.extra else None
            unit = _label_unit(cell.row_label) or (PERCENT_MEASURE_UNIT if stat == "percent" else default if default in DIMENSIONLESS else None)
            out.append(Outcome(
                measure=m.canonical, arm=cell.arm, time=_tp(tm), stat=stat,  # type: ignore[arg-type]
                value=value, unit=unit, spread=spread, n=cell.n,
                evidence=ctx.row_evidence(cell.row, "outcome.table_cell", cell.start, cell.end),
            ))
    return out


def _dedupe(items: list[Outcome]) -> list[Outcome]:
    seen: set[tuple[object, ...]] = set()
    out = []
    for o in items:
        key = (o.measure, o.arm, o.time.value if o.time else None, o.time.unit if o.time else None, o.stat, o.value)
        if key in seen:
            continue
        seen.add(key)
        out.append(o)
    return out
