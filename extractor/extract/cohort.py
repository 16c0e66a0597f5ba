"""The enrolled cohort: total N, sex split, age and disease duration.

Eligibility statements ("aged 18–65 were eligible") describe who could take part, not who did,
and are skipped; screened counts are not the cohort. Regexes: ``rules/regex/cohort.jsonl``;
sentence cues: token rules ``rules/cohort.jsonl`` (ELIGIBILITY_CUE, SCREENED_CUE, SEX_CUE...).
State: ``ctx.state["cohort_n"]``.
"""

from __future__ import annotations

from dataclasses import replace

from extractor.extract.cohort_parens import unwrap_sentences
from extractor.extract.cohort_rows import alt_group, female_by_arm_list, per_patient_prose, per_patient_table, stated_arm_total
from extractor.extract.cohort_sex import columns, has_cue, sex_by_group, sex_from_flat_columns, sex_from_flat_rows, sex_from_sentences, sex_from_tables, to_int
from extractor.extract.cohort_stats import nearest_stat, value_before_cue, years_months
from extractor.extract.context import Context, Sentence
from extractor.extract.numbers import Summary, find_numbers, find_summaries
from extractor.extract.timepoints import unit_of
from extractor.nlp.rules import regex
from extractor.records import Cohort, Evidence, Spread, Stat

FAMILY = "cohort"
COHORT_SECTIONS = (None, "title", "abstract", "methods", "results", "other")
VERB_PRIORITY = {"randomi": 1, "intention": 1, "itt": 1, "enrol": 2, "include": 2, "recruit": 2, "select": 2, "total": 2,
                 "particip": 2, "took": 2, "treat": 3, "assign": 3, "allocat": 3, "studi": 3, "analy": 4}
TOTAL_PRIORITY = 2
LEAD_RULES = ("cohort.total", "cohort.of_n_lead")  # "a total of 40", "Of the 52 participants, ...": the population
OF_N_PRIORITY = 5
SUBGROUP_PENALTY = 3
ELIGIBILITY_PENALTY = 4
YEAR_RANGE = (1900, 2100)
CUE_WINDOW = 80  # a value must follow its cue ("aged", "duration") within this many characters
CENTRE_WINDOW = 30  # "18–55 years (median 32)": the centre stated right after the range
CENTRE_GAP = 6
SPREAD_WINDOW = 160  # a flattened baseline row: the total column may follow several arm columns


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex(FAMILY, rule_id)


def _verb_priority(verb: str | None) -> int | None:
    v = (verb or "total").lower()
    for stem, prio in VERB_PRIORITY.items():
        if v.startswith(stem):
            return prio
    return None  # screened, assessed: not the cohort


def find_total(ctx: Context, sents: list[Sentence]) -> tuple[int, Evidence] | None:
    cands: list[tuple[int, int, int, int, int, str]] = []  # (priority, order, n, start, end, rule)
    for order, s in enumerate(sents):
        if _rx("cohort.planned").search(s.text):
            continue
        penalty = SUBGROUP_PENALTY if has_cue(ctx, s, "SUBGROUP_CUE") else 0
        if has_cue(ctx, s, "ELIGIBILITY_CUE"):
            penalty += ELIGIBILITY_PENALTY  # "screened for eligibility and 23 were randomised"
        for rule in ("cohort.n_equals", "cohort.total", "cohort.verb_n", "cohort.n_verb", "cohort.n_were_verb", "cohort.of_n_verb",
                     "cohort.population_n", "cohort.of_n_lead", "cohort.of_n"):
            if rule == "cohort.of_n" and s.section not in ("title", None) and order > 2:
                continue
            for m in _rx(rule).finditer(s.text):
                n_at, verb_at = alt_group(m, "n"), alt_group(m, "verb")
                n, verb = to_int(m[n_at]) if n_at else None, m[verb_at] if verb_at else None
                prio = OF_N_PRIORITY if rule == "cohort.of_n" else TOTAL_PRIORITY if rule in LEAD_RULES else _verb_priority(verb)
                if n is None or n <= 0 or prio is None:
                    continue
                if YEAR_RANGE[0] <= n <= YEAR_RANGE[1] and _rx("cohort.date_before").search(s.text[max(0, m.start(n_at) - 20) : m.start(n_at)]):
                    continue  # "from January 2017 to June 2018 were selected"
                cands.append((prio + penalty, order, n, s.start + m.start(n_at), s.start + m.end(n_at), rule))
    if not cands:
        return None
    best = min(cands, key=lambda c: (c[0], c[1]))
    return best[2], ctx.evidence(best[3], best[4], best[5])


def to_stat(s: Summary, unit: str | None, extra_range: Summary | None = None) -> Stat:
    """A number summary → the EVIDENCE_FORMAT Stat (range on low/high; SD/SE/IQR/CI as spread)."""
    if s.value is None:
        return Stat(stat="range", low=s.low, high=s.high, unit=unit)
    stat = s.stat if s.stat in ("mean", "median") else "other"
    out = Stat(stat=stat, value=s.value, unit=unit)
    if s.spread_kind in ("sd", "se"):
        out.spread = Spread(kind=s.spread_kind, value=s.spread_value)
    elif s.spread_kind in ("iqr", "ci95"):
        out.spread = Spread(kind=s.spread_kind, low=s.low, high=s.high)
    elif s.spread_kind == "range":
        out.low, out.high = s.low, s.high
        out.spread = Spread(kind="range", low=s.low, high=s.high)
    if extra_range is not None:
        out.low, out.high = extra_range.low, extra_range.high
        out.spread = out.spread or Spread(kind="range", low=extra_range.low, high=extra_range.high)
    return out


def _unit_after(text: str, pos: int, label: str = "") -> str | None:
    m = _rx("cohort.years_unit").search(text[pos : pos + 20]) or _rx("cohort.years_unit").search(label)
    if not m:
        return None
    return unit_of(m["unit"] or m["unit2"])


def _stat_in(text: str, cue_end: int, default_unit: str | None) -> tuple[Stat, int, int] | None:
    window = text[cue_end : cue_end + CUE_WINDOW]
    cut = _rx("cohort.clause_end").search(window, 1)
    if cut:
        window = window[: cut.start()]
    before = text[max(0, cue_end - 40) : cue_end]
    compound = years_months(text[cue_end : cue_end + 2 * CUE_WINDOW], before)  # its range is long
    if compound:
        return compound[0], cue_end + compound[1], cue_end + compound[2]
    sums = [s for s in find_summaries(window, context=before)]
    if sums and sums[0].value is None:
        nums = [x for x in find_numbers(window[: sums[0].start]) if x.value is not None]
        near = before + window[: sums[0].start]
        stat = "median" if regex("numbers", "numbers.ctx_median").search(near) else (
            "mean" if regex("numbers", "numbers.ctx_mean").search(near) else None)
        if nums and stat:
            rng = sums[0]
            st = Stat(stat=stat, value=nums[-1].value, low=rng.low, high=rng.high,
                      unit=_unit_after(window, nums[-1].end) or default_unit)
            return st, cue_end + nums[-1].start, cue_end + rng.end
    if sums and sums[0].value is None:
        after = _centre_after(window, sums[0], default_unit)
        if after:
            return after[0], cue_end + sums[0].start, cue_end + after[1]
    if sums:
        first = sums[0]
        word = nearest_stat(before + window[: first.start]) if first.value is not None and first.stat in ("mean", "median") else None
        if word:  # "mean age 34.2 (SD 10.3) and median time since ...": the stat word nearest the value
            first = replace(first, stat=word)
        rest = [s for s in sums[1:] if s.value is None and s.start - first.end < 25]
        unit = _unit_after(window, (rest[0] if rest else first).end) or default_unit
        return to_stat(first, unit, rest[0] if rest and first.value is not None else None), cue_end + first.start, cue_end + (rest[0] if rest else first).end
    near = text[max(0, cue_end - 30) : cue_end + 10]
    stat = "median" if regex("numbers", "numbers.ctx_median").search(near) else (
        "mean" if regex("numbers", "numbers.ctx_mean").search(near) else None)
    nums = find_numbers(window)
    if stat and nums:
        return Stat(stat=stat, value=nums[0].value, unit=_unit_after(window, nums[0].end) or default_unit), cue_end + nums[0].start, cue_end + nums[0].end
    return None


def _centre_after(window: str, rng: Summary, default_unit: str | None) -> tuple[Stat, int] | None:
    """A range followed by its centre: "aged 18–55 years (median 32)" → median 32, range as spread."""
    tail = window[rng.end : rng.end + CENTRE_WINDOW]
    for stat, rule in (("median", "numbers.ctx_median"), ("mean", "numbers.ctx_mean")):
        m = regex("numbers", rule).search(tail)
        if not m:
            continue
        nums = [x for x in find_numbers(tail[m.end() :]) if x.value is not None]
        if nums and nums[0].start <= CENTRE_GAP:
            end = rng.end + m.end() + nums[0].end
            unit = _unit_after(window, rng.end) or _unit_after(window, end) or default_unit
            spread = Spread(kind="range", low=rng.low, high=rng.high)
            after = find_summaries(window[rng.end + m.end() : rng.end + m.end() + CUE_WINDOW // 2])
            if after and after[0].start == nums[0].start and after[0].value == nums[0].value and after[0].spread_kind in ("sd", "se"):
                spread = Spread(kind=after[0].spread_kind, value=after[0].spread_value)  # "19–43 years, average 29.5 ± 7.2"
                end = rng.end + m.end() + after[0].end
            return Stat(stat=stat, value=nums[0].value, low=rng.low, high=rng.high, spread=spread, unit=unit), end
    return None


def _spread_for(ctx: Context, sents: list[Sentence], cue_rule: str, stat: Stat, unit: str) -> tuple[Stat, Evidence] | None:
    """The same mean / median written elsewhere with its spread: "mean age, 69.8 years" in the
    abstract and "69.8 ± 5.7" in the results, or the total column of a flattened baseline row
    ("Age, years 44.0 (21–54) … 45.5 (21–66)")."""
    for s in sents:
        for m in _rx(cue_rule).finditer(s.text):
            window = s.text[m.end() : m.end() + SPREAD_WINDOW]
            for sm in find_summaries(window, context=s.text[max(0, m.start() - 40) : m.end()]):
                if sm.value == stat.value and sm.spread_kind and sm.stat in (stat.stat, None):
                    st = to_stat(sm, stat.unit or unit)
                    st.stat = stat.stat
                    return st, ctx.evidence(s.start + m.end() + sm.start, s.start + m.end() + sm.end, cue_rule.replace("_cue", ""))
    return None


def find_stat(ctx: Context, sents: list[Sentence], cue_rule: str, default_unit: str) -> tuple[Stat, Evidence] | None:
    """The first mean / median stated for the cohort (with its spread, from a later mention of
    the same value when the first has none); a bare range ("aged 18 to 45") only when no
    sentence or table gives a mean or median."""
    found = _find_stat(ctx, sents, cue_rule, default_unit)
    if found and found[0].value is not None and found[0].spread is None and found[0].low is None:
        return _spread_for(ctx, sents, cue_rule, found[0], default_unit) or found
    return found


def _find_stat(ctx: Context, sents: list[Sentence], cue_rule: str, default_unit: str) -> tuple[Stat, Evidence] | None:
    bare: tuple[Stat, Evidence] | None = None
    for s in sents:
        if has_cue(ctx, s, "ELIGIBILITY_CUE"):
            continue
        for m in _rx(cue_rule).finditer(s.text):
            if cue_rule == "cohort.age_cue" and _rx("cohort.duration_cue").search(s.text[max(0, m.start() - 30) : m.end()]):
                continue
            got = value_before_cue(s.text, m.start(), m.end()) or _stat_in(s.text, m.end(), default_unit)
            if got:
                found = got[0], ctx.evidence(s.start + got[1], s.start + got[2], cue_rule.replace("_cue", ""))
                if got[0].value is not None:
                    return found
                bare = bare or found
    for table in ctx.tables:
        for row in table.rows[1:]:
            if not row.cells or not _rx(cue_rule).search(row.cells[0]):
                continue
            arm_cols, total = columns(ctx, table)
            col = total if total is not None else (arm_cols[0] if len(arm_cols) == 1 else None)
            if col is None or col >= len(row.cells):
                continue
            sums = find_summaries(row.cells[col], context=row.cells[0])
            if sums:
                unit = _unit_after(row.cells[0], 0) or default_unit
                found = to_stat(sums[0], unit), ctx.row_evidence(row, cue_rule.replace("_cue", "_row"))
                if found[0].value is not None:
                    return found
                bare = bare or found
    return bare


def complete_sex(n: int | None, female: int | None, male: int | None) -> tuple[int | None, int | None]:
    """With the total and one sex count known, the other is their difference."""
    if n is not None and female is not None and male is None and 0 <= female <= n:
        return female, n - female
    if n is not None and male is not None and female is None and 0 <= male <= n:
        return n - male, male
    return female, male


def is_table_row(sent: Sentence) -> bool:
    """Table rows are also text lines; they are read cell by cell, not as prose."""
    return regex("sentences", "sentences.table_row").search(sent.text) is not None


def _better(first: tuple[Stat, Evidence] | None, unwrapped: tuple[Stat, Evidence] | None) -> tuple[Stat, Evidence] | None:
    """The stat read from the usual text, unless the unwrapped text gives it where it had none,
    or gives the same centre with the spread it lacked."""
    if not unwrapped:
        return first
    if first is None:
        return unwrapped
    a, b = first[0], unwrapped[0]
    if a.stat == b.stat and a.value == b.value and (a.spread is None and b.spread is not None or a.low is None and b.low is not None):
        return unwrapped
    return first


def extract_cohort(ctx: Context) -> Cohort | None:
    sents = [s for s in ctx.mined_sentences() if s.section in COHORT_SECTIONS and not is_table_row(s)]
    plain = unwrap_sentences(sents)  # "(199) patients", "(42.3; SD 11.6) years": read when the usual style gives nothing
    total = stated_arm_total(ctx, sents) or find_total(ctx, sents) or (find_total(ctx, plain) if plain else None)
    arms = ctx.state.get("arms") or []
    arm_ns = [a.n for a in arms if a.n is not None]
    n, evidence = (total[0], total[1]) if total else (None, None)
    if len(arms) > 1 and len(arm_ns) == len(arms) and (n is None or ctx.state.get("population_arms")):
        n, evidence = sum(arm_ns), arms[0].evidence
    patients = per_patient_table(ctx) or per_patient_prose(ctx)
    if n is None and patients:
        n, evidence = patients[0], patients[3]
    sex = (sex_from_flat_columns(ctx) or female_by_arm_list(ctx, sents, n) or sex_from_sentences(ctx, sents, n)
           or sex_by_group(ctx, sents, n) or sex_from_tables(ctx) or sex_from_flat_rows(ctx, n)
           or (sex_from_sentences(ctx, plain, n) if plain else None))
    if sex is None and patients and patients[0] == n and patients[1] is not None:
        sex = patients[1], patients[2], patients[3]
    age = _better(find_stat(ctx, sents, "cohort.age_cue", "year"), plain and find_stat(ctx, plain, "cohort.age_cue", "year"))
    duration = _better(find_stat(ctx, sents, "cohort.duration_cue", "year"),
                       plain and find_stat(ctx, plain, "cohort.duration_cue", "year"))
    if n is None and sex is None and age is None and duration is None:
        return None
    female, male = complete_sex(n, sex[0] if sex else None, sex[1] if sex else None)
    cohort = Cohort(
        n=n,
        female=female,
        male=male,
        age=age[0] if age else None,
        disease_duration=duration[0] if duration else None,
        evidence=evidence or (sex[2] if sex else None) or (age[1] if age else None) or (duration[1] if duration else None),
    )
    ctx.state["cohort_n"] = n
    return cohort
