"""Cohort sex split: from baseline prose ("12 women and 3 men", "F/M 11/1"), per-group
sentences, baseline tables and baseline tables flattened into text ("Female, n (%) 12 (40) 14 (45)").
Only demographic wording or rows: outcome and adverse-event tables are never read for sex.
Regexes: ``rules/regex/cohort.jsonl``; cues: ``rules/cohort.jsonl``.
"""

from __future__ import annotations

from extractor.extract.context import Context, Sentence
from extractor.extract.numbers import find_count_percents, find_numbers, parse_number, percent_consistent
from extractor.nlp.pipeline import spans_in
from extractor.nlp.rules import regex
from extractor.records import Table

FAMILY = "cohort"
TABLE_REF_LOOKBACK = 20  # characters before a count searched for "Table 1"


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex(FAMILY, rule_id)


def has_cue(ctx: Context, sent: Sentence, label: str) -> bool:
    if ctx.doc is None:
        return False
    return bool(spans_in(ctx.doc, "rules", sent.start, sent.end, label=label))


def to_int(s: str) -> int | None:
    v = parse_number(s)
    return int(v) if v is not None and v == int(v) else None


def sex_from_sentences(ctx: Context, sents: list[Sentence], n: int | None):  # type: ignore[no-untyped-def]
    for s in sents:
        if not has_cue(ctx, s, "SEX_CUE") or has_cue(ctx, s, "ELIGIBILITY_CUE"):
            continue
        for rule in ("cohort.sex_f_m", "cohort.sex_m_f"):
            m = _rx(rule).search(s.text)
            if m:
                f, ma = to_int(m["f"]), to_int(m["m"])
                if f is not None and ma is not None and (n is None or f + ma == n):
                    return f, ma, ctx.evidence(s.start + m.start(), s.start + m.end(), rule)
        labelled = _sex_label_counts(s.text, n)
        if labelled:
            return labelled[0], labelled[1], ctx.evidence(s.start + labelled[2], s.start + labelled[3], "cohort.sex_label_count")
        m = _rx("cohort.sex_fm_ratio").search(s.text)
        if m:
            a, b = int(m["a"]), int(m["b"])
            female_first = m["order"].strip().lower()[0] == "f" or m["order"].lower().startswith("women")
            f, ma = (a, b) if female_first else (b, a)
            if n and f + ma != n and n % (f + ma) == 0:
                k = n // (f + ma)
                f, ma = f * k, ma * k
            if n is None and ":" in m.group(0):
                continue  # "female:male ratio 7:1" without a known N is a ratio, not counts
            if n is None or f + ma == n:
                return f, ma, ctx.evidence(s.start + m.start(), s.start + m.end(), "cohort.sex_fm_ratio")
        if found := _one_sex(ctx, s, "cohort.female_n", "f", n):
            return found[0], None, found[1]
        m = _rx("cohort.female_pct").search(s.text)
        if m and n:
            pct = parse_number(m["p1"] or m["p2"])
            if pct is not None and pct <= 100:
                f = round(pct * n / 100)
                if percent_consistent(f, n, pct):
                    return f, None, ctx.evidence(s.start + m.start(), s.start + m.end(), "cohort.female_pct")
        if found := _one_sex(ctx, s, "cohort.male_n", "m", n):
            return None, found[0], found[1]
    return None


def _one_sex(ctx: Context, s: Sentence, rule: str, group: str, n: int | None):  # type: ignore[no-untyped-def]
    """(count, evidence) of one sex alone ("12 were women", "men 3"): not a "Table 1" number, not
    more than N, and in a per-group sentence only when its percent fits N."""
    m = _rx(rule).search(s.text)
    if m is None or _rx("cohort.table_ref_before").search(s.text[max(0, m.start() - TABLE_REF_LOOKBACK) : m.start()]):
        return None
    count = to_int(m[group])
    if count is None or (n is not None and count > n):
        return None
    pcts = [c.percent for c in find_count_percents(m.group(0)) if c.percent is not None]
    if regex("arms", "arms.group_cue").search(s.text) and not (n and pcts and percent_consistent(count, n, pcts[0])):
        return None
    return count, ctx.evidence(s.start + m.start(), s.start + m.end(), rule)


def _sex_label_counts(text: str, n: int | None) -> tuple[int, int, int, int] | None:
    """"men 133 (66.8%) outnumbered women 66 (33.2%)": one count per sex, adding up to N, each
    percent agreeing with its count → (female, male, start, end)."""
    if not n:
        return None
    found: dict[str, tuple[int, int, int]] = {}
    for m in _rx("cohort.sex_label_count").finditer(text):
        count, pct = int(m["n"]), parse_number(m["p"])
        female = m["sex"].lower().startswith(("f", "w", "g"))
        key = "f" if female else "m"
        if key in found or pct is None or not percent_consistent(count, n, pct):
            continue
        found[key] = (count, m.start(), m.end())
    if len(found) == 2 and found["f"][0] + found["m"][0] == n:
        return found["f"][0], found["m"][0], min(found["f"][1], found["m"][1]), max(found["f"][2], found["m"][2])
    return None


def sex_by_group(ctx: Context, sents: list[Sentence], n: int | None):  # type: ignore[no-untyped-def]
    """"Observation group: male 4 cases, female 26 cases ... control group: male 5, female 25" → sums."""
    pairs, first, spans = [], None, []
    for s in sents:
        for m in _rx("cohort.sex_label_first").finditer(s.text):
            a, b = to_int(m["a"]), to_int(m["b"])
            if a is None or b is None or m["first"].lower()[0] == m["second"].lower()[0]:
                continue
            f, ma = (a, b) if m["first"].lower().startswith(("f", "w")) else (b, a)
            pairs.append((f, ma))
            spans.append((s.start + m.start(), s.start + m.end()))
            first = first or (s.start + m.start(), s.start + m.end())
        for rule in ("cohort.sex_f_m", "cohort.sex_m_f"):  # "the X group comprised 25 women and 5 men; the Y group ..."
            for m in _rx(rule).finditer(s.text):
                f, ma = to_int(m["f"]), to_int(m["m"])
                if f is not None and ma is not None:
                    pairs.append((f, ma))
                    spans.append((s.start + m.start(), s.start + m.end()))
                    first = first or (s.start + m.start(), s.start + m.end())
    total = sum(f + m for f, m in pairs)
    whole = [i for i, p in enumerate(pairs) if n and sum(p) == n]
    if len(pairs) >= 2 and total != n and whole:  # "Of the 65 (male 8, female 57), 32 to A (male 4, female 28) …"
        i = whole[0]
        return pairs[i][0], pairs[i][1], ctx.evidence(spans[i][0], spans[i][1], "cohort.sex_by_group")
    if first and (len(pairs) >= 2 and (n is None or total == n) or len(pairs) == 1 and total == n):
        return sum(p[0] for p in pairs), sum(p[1] for p in pairs), ctx.evidence(first[0], first[1], "cohort.sex_by_group")
    return None


def _flat_cells(text: str, pos: int) -> list[tuple[int, float]]:
    """The "n (%)" cells that follow a flattened row label at ``pos``."""
    cells = []
    while m := _rx("cohort.flat_count_pct").match(text, pos):
        pct = parse_number(m["p"])
        if pct is None:
            break
        cells.append((int(m["n"]), pct))
        pos = m.end()
    return cells


def _flat_count(cells: list[tuple[int, float]], arm_ns: list[int], n: int | None) -> int | None:
    """The cohort count of a flattened row: the total column, or the sum of one cell per arm,
    accepted only when every percent agrees with its count and its column's N."""
    if len(cells) < 2 or any(p > 100 or (p == 0 and c) for c, p in cells):
        return None
    if arm_ns and len(cells) in (len(arm_ns), len(arm_ns) + 1):
        arms_ok = all(percent_consistent(c, N, p) for (c, p), N in zip(cells, arm_ns))
        if arms_ok and len(cells) == len(arm_ns):
            return sum(c for c, _ in cells)
        if arms_ok and cells[-1][0] == sum(c for c, _ in cells[:-1]):
            return cells[-1][0]
        return None
    if n and cells[-1][0] == sum(c for c, _ in cells[:-1]) and percent_consistent(cells[-1][0], n, cells[-1][1]):
        return cells[-1][0]
    if n and all(p > 0 for _, p in cells) and abs(sum(c * 100 / p for c, p in cells) - n) <= max(1.0, 0.02 * n):
        return sum(c for c, _ in cells)
    return None


def sex_from_flat_rows(ctx: Context, n: int | None):  # type: ignore[no-untyped-def]
    """"Female, n (%) 12 (40) 14 (45)": a baseline table flattened into the text (PMC texts)."""
    arm_ns = [a.n for a in ctx.state.get("arms") or [] if a.n]
    if len(arm_ns) != len(ctx.state.get("arms") or []):
        arm_ns = []
    for s in ctx.mined_sentences():
        if has_cue(ctx, s, "ELIGIBILITY_CUE"):
            continue
        for m in _rx("cohort.flat_sex_label").finditer(s.text):
            count = _flat_count(_flat_cells(s.text, m.end()), arm_ns, n)
            if count is None or (n is not None and count > n):
                continue
            female = m["sex"].lower().startswith(("f", "w"))
            ev = ctx.evidence(s.start + m.start(), s.start + m.end(), "cohort.flat_sex_row")
            return (count, None, ev) if female else (None, count, ev)
    return None


def columns(ctx: Context, table: Table) -> tuple[list[int], int | None]:
    """(arm column indexes, total column index) from the header row."""
    from extractor.extract.arms import arm_columns

    header = table.rows[0].cells
    mapped = arm_columns(ctx, header)
    arm_cols, total = [], None
    for i, cell in enumerate(header[1:], 1):
        if _rx_arms_total(cell):
            total = i
        elif mapped.get(i) or len(header) == 2:
            arm_cols.append(i)
    if not arm_cols and total is None and len(header) > 1:
        arm_cols = list(range(1, len(header)))
    return arm_cols, total


def _rx_arms_total(cell: str) -> bool:
    return regex("arms", "arms.not_arm_label").match(cell.strip()) is not None and bool(cell.strip())


def _cell_count(cell: str) -> int | None:
    cps = find_count_percents(cell)
    if cps and cps[0].n is not None:
        return cps[0].n
    nums = find_numbers(cell)
    return int(nums[0].value) if len(nums) == 1 and nums[0].value == int(nums[0].value) else None


def _row_value(ctx: Context, table: Table, row, parse):  # type: ignore[no-untyped-def]
    arm_cols, total = columns(ctx, table)
    cols = [total] if total is not None else arm_cols
    values = [parse(row.cells[i]) for i in cols if i < len(row.cells)]
    if not values or any(v is None for v in values):
        return None
    if isinstance(values[0], tuple):
        return tuple(sum(v[k] for v in values) for k in range(len(values[0])))
    return sum(values)


def sex_from_tables(ctx: Context):  # type: ignore[no-untyped-def]
    for table in ctx.tables:
        if len(table.rows) < 2:
            continue
        female = male = None
        for row in table.rows[1:]:
            label = row.cells[0] if row.cells else ""
            m = _rx("cohort.sex_row").match(label)
            if m:
                pair = _row_value(ctx, table, row, _pair)
                if pair:
                    f, ma = pair if m["order"].strip().lower()[0] == "f" else (pair[1], pair[0])
                    return f, ma, ctx.row_evidence(row, "cohort.sex_row")
            if _rx("cohort.female_row").match(label):
                female = (_row_value(ctx, table, row, _cell_count), row)
            elif _rx("cohort.male_row").match(label):
                male = (_row_value(ctx, table, row, _cell_count), row)
        if female and female[0] is not None:
            return female[0], male[0] if male else None, ctx.row_evidence(female[1], "cohort.female_row")
        if male and male[0] is not None:
            return None, male[0], ctx.row_evidence(male[1], "cohort.male_row")
    return None


def _pair(cell: str) -> tuple[int, int] | None:
    nums = find_numbers(cell)
    if len(nums) == 2 and all(x.value == int(x.value) for x in nums):
        return int(nums[0].value), int(nums[1].value)
    return None


def sex_from_flat_columns(ctx: Context):  # type: ignore[no-untyped-def]
    """A flattened baseline table whose caption states the population it covers ("Table 1 …
    including all 114 subjects") and whose first columns partition it ("n 41 42 31 28", a
    later column being a subgroup): one sex row ("Male sex (%) 23 (56) 25 (60) 20 (65) 16 (57)")
    summed over those first columns, the other sex the rest of the population."""
    for s in ctx.mined_sentences():
        for m in _rx("cohort.flat_sex_label").finditer(s.text):
            pre = s.text[: m.start()]
            captions = list(_rx("cohort.table_caption").finditer(pre))
            ns_rows = list(_rx("cohort.flat_n_row").finditer(pre))
            if not captions or not ns_rows or ns_rows[-1].start() < captions[-1].start():
                continue
            pop = _rx("cohort.table_population").search(pre, captions[-1].start(), ns_rows[-1].start())
            col_ns = [int(x) for x in ns_rows[-1]["ns"].split()]
            cells = _flat_cells(s.text, m.end())
            if not pop or len(cells) != len(col_ns) or not all(percent_consistent(c, N, p) for (c, p), N in zip(cells, col_ns)):
                continue
            total = int(pop["n"])
            k = next((k for k in range(2, len(col_ns) + 1) if sum(col_ns[:k]) == total), None)
            if k is None:
                continue
            count = sum(c for c, _ in cells[:k])
            ev = ctx.evidence(s.start + m.start(), s.start + m.end(), "cohort.flat_sex_columns")
            female = m["sex"].lower().startswith(("f", "w"))
            return (count, total - count, ev) if female else (total - count, count, ev)
    return None
