"""Outcome values read from Document.tables: rows (or columns) named by a measure
(``rules/vocab/measures.tsv``); arm, time point and n from the column headers, the row label, a
group row, the caption or the heading above the table. Regexes: ``tables.*`` in
``rules/regex/tables.jsonl``.
"""

from __future__ import annotations

from dataclasses import replace

from extractor.extract.context import Context
from extractor.extract.numbers import find_count_percents, find_numbers, find_summaries, word_value
from extractor.extract.outcome_arms import arm_named
from extractor.extract.outcome_events import PROSE_SKIP, is_event
from extractor.extract.quantities import unit_at
from extractor.extract.tables import (
    Cell,
    Term,
    arms,
    as_decimal_points,
    contrast_column,
    find_terms,
    follow_up,
    header_n,
    table_cells,
    timepoints_in,
    visit_header,
)
from extractor.extract.timepoints import BASELINE, TimeMention, report_course_length
from extractor.nlp.rules import regex
from extractor.records import Outcome, Spread, Table, TimePoint

DIMENSIONLESS = frozenset({"score", "%", "count", "titre"})
PERCENT_MEASURE_UNIT = "%"


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex("outcomes", rule_id)


def _tp(tm: TimeMention | None) -> TimePoint | None:
    return TimePoint(value=tm.value, unit=tm.unit, label=tm.label) if tm else None  # type: ignore[arg-type]


def _label_unit(label: str) -> str | None:
    for i in range(len(label)):
        if i == 0 or label[i - 1] in " ,(/[":
            hit = unit_at(label, i)
            if hit and hit[0] not in DIMENSIONLESS:
                return hit[0]
    return None


SAFETY_EVENTS = frozenset({"death"})
TABLE_ONLY = "table"  # measures.tsv flag: a surface read only as a table label (drug names)
VISIT_LABEL_MAX = 30  # a row label this short that names a time point is a visit row
HEADING_MAX = 80
HEADER_MEASURE_MAX = 120  # a longer column header is an arm description, not a measure title
SD_HINT = " (SD)"
CONTEXT_LINES, CONTEXT_LINE_MAX = 3, 120  # lines above a registry-style table: title, time frame  # a line this short right above a table is its heading ("Baseline Characteristics")


def _heading_before(ctx: Context, table: Table) -> str:
    """The short line right above a table without a caption ("## Baseline Characteristics")."""
    before = ctx.text[max(0, table.start - 400) : table.start].rstrip().split("\n")
    line = before[-1].strip(" #*|").replace("*", "") if before else ""
    if regex("tables", "tables.flat_caption").match(line):
        return line  # a caption line of its own ("**Table 2.** Laboratory course by group, mean (SD).")
    return line if 0 < len(line) <= HEADING_MAX and not line.endswith(".") else ""


def _lines_before(ctx: Context, table: Table, k: int = CONTEXT_LINES) -> str:
    """The last ``k`` short lines above a table ("Title: Change From Baseline in Anti-dsDNA",
    "Time Frame: Baseline to Week 52"), joined."""
    before = [ln.strip(" #*|").replace("*", "") for ln in ctx.text[max(0, table.start - 600) : table.start].rstrip().split("\n")]
    lines: list[str] = []
    for ln in reversed(before):
        if "|" in ln or len(lines) == k:
            break  # the rows of a table above
        if ln:
            lines.insert(0, ln)
    return " ".join(ln for ln in lines if len(ln) <= CONTEXT_LINE_MAX)


def _arm_row_measure(ctx: Context, cell: Cell, context: list[Term]) -> list[Term]:
    """A row named by an arm ("Rituximab | 64 | -118.2 (176.5)") under a title that names one
    measure; a column that counts patients ("Number Analyzed") holds no value."""
    if not context or regex("tables", "tables.n_header").search(cell.header) or not arm_named(ctx, cell.row_label):
        return []
    return context


def _latest(text: str, fu: tuple[float, str] | None) -> TimeMention | None:
    """The last time point of a text ("Baseline to Week 52" → week 52)."""
    times = [t for t in timepoints_in(text, fu) if not t.is_schedule and t.value]
    return times[-1] if times else None


def _label_time(label: str, fu: tuple[float, str] | None) -> TimeMention | None:
    times = [t for t in timepoints_in(label, fu) if not t.is_schedule]
    if times:
        return times[0]
    return BASELINE if regex("tables", "tables.baseline_cue").search(label) else None


def _table_time(ctx: Context, table: Table, fu: tuple[float, str] | None) -> TimeMention | None:
    """Time of a whole table: its caption, corner cell or heading; a table of patient
    characteristics (age, sex rows) is a baseline table."""
    corner = table.rows[0].cells[0] if table.rows and table.rows[0].cells else ""
    for text in (table.caption or _heading_before(ctx, table), corner):
        tm = _label_time(text, fu) if text else None
        if tm:
            return tm
    demographic = regex("tables", "tables.demographic_label")
    if any(r.cells and demographic.search(r.cells[0]) for r in table.rows):
        return BASELINE
    return None


def _table_measures(label: str) -> list[Term]:
    """Measures named by a table label; a drug name ("Prednisone, mg/day") only with a daily dose unit."""
    dose = regex("tables", "tables.daily_dose_label").search(label)
    return [m for m in find_terms(label, "measures") if TABLE_ONLY not in m.extra or dose]


def _header_measures(header: str) -> list[Term]:
    """Measures a column header names; a header that runs on into a description of the arm
    ("Placebo + MMF Placebo IV infusion ..., prednisone 0.75 mg/kg/day ... by Day 112") names none."""
    return [] if len(header) > HEADER_MEASURE_MAX else _table_measures(header)


def _row_n(cells: list[Cell]) -> list[Cell]:
    """Cells under a row that counts the patients of each column ("Patients followed, n | Obinutuzumab |
    51 | 48 | 44"): each value cell of the same arm and column takes that n (a follow-up that shrinks)."""
    label = regex("tables", "tables.n_row_label")
    got: dict[tuple[str | None, int], int] = {}
    for c in cells:
        if label.match(c.row_label) and c.text.strip().isdigit():
            got.setdefault((c.arm, c.col), int(c.text.strip()))
    if not got:
        return cells
    return [c if c.n is not None or (c.arm, c.col) not in got else replace(c, n=got[(c.arm, c.col)]) for c in cells]


def _rate_cell(text: str) -> bool:
    """A cell that gives a share of patients ("9 (17.6%)", "2 (8,7)", "9/51"), not a bare count of events ("2")."""
    return not regex("tables", "tables.bare_count_cell").match(text)


def _registry_row(cell: Cell) -> bool:
    """A registry results row ("Measure Type: Median. ... Unit of Measure: IU/mL | 96 (38 to 240)"), or a
    visit row under one ("Week 52 | 2.3 (2.6) | 1.9 (2.1)"): the values of the outcome named above the table."""
    value_label = regex("tables", "tables.registry_value_label")
    if value_label.match(cell.row_label):
        return True
    return bool(cell.group and value_label.match(cell.group) and len(cell.row_label) <= VISIT_LABEL_MAX
                and _label_time(cell.row_label, None) is not None)


def _one_measure(caption: str) -> list[Term]:
    """The measure of a table whose caption names exactly one ("UPCR (mg/mg) by visit, mean (SD)")."""
    found = _table_measures(caption) if caption else []
    return found[:1] if len({t.canonical for t in found}) == 1 else []


def _caption_measure(cell: Cell, table_measure: list[Term]) -> list[Term]:
    """A visit row ("Week 12 | 1.9 (1.8) | 2.6 (2.2)") of a table about one measure gives that measure."""
    if not table_measure or len(cell.row_label) > VISIT_LABEL_MAX or cell.group:
        return []
    return table_measure if _label_time(cell.row_label, None) is not None else []


def _group_measure(cell: Cell) -> list[Term]:
    """A visit row ("Week 24 | 1.32 (1.48) | 1.96 (2.07)") under a group row that names one measure
    ("UPCR, mg/mg, mean (SD)") gives that measure."""
    if not cell.group or len(cell.row_label) > VISIT_LABEL_MAX or _label_time(cell.row_label, None) is None:
        return []
    found = _table_measures(cell.group)
    return found[:1] if len({t.canonical for t in found}) == 1 else []


def _garbled_row(cell: Cell) -> bool:
    """A row whose value cells also name measures: several table rows read as one line."""
    return any(find_terms(c, "measures") for c in cell.row.cells[1:] if c.strip()[:1].isalpha())


def _is_safety_table(ctx: Context, table: Table) -> bool:
    cue = regex("tables", "tables.safety_cue")
    texts = [table.caption or _heading_before(ctx, table)] + [r.cells[0] for r in table.rows if r.cells]
    return any(cue.search(t) for t in texts if t)


def _cell_value(cell: Cell, hint: str, text: str | None = None, event: bool = False) -> tuple[str, float, Spread | None] | None:
    """(stat, value, spread) of a table cell that starts with its value (``text``: the cell as
    read, decimal commas as points; ``event``: the row counts patients with an event)."""
    text = cell.text if text is None else text
    summaries = [s for s in find_summaries(text, context=hint) if s.value is not None]
    counts = [c for c in find_count_percents(text, total=cell.n) if c.percent is not None or c.n is not None]
    nums = find_numbers(text)
    count_row = event or bool(regex("tables", "tables.count_label").search(cell.row_label))
    if count_row and counts and counts[0].start == 0 and counts[0].n is not None:
        return "count", float(counts[0].n), None
    if count_row and nums and nums[0].start == 0 and len(nums) == 1 and float(nums[0].value).is_integer():
        return "count", float(nums[0].value), None
    if summaries and summaries[0].start == 0:
        s = summaries[0]
        spread = Spread(kind=s.spread_kind, value=s.spread_value, low=s.low, high=s.high) if s.spread_kind else None  # type: ignore[arg-type]
        return s.stat or "mean", float(s.value), spread
    if counts and counts[0].start == 0:
        c = counts[0]
        return ("percent", c.percent, None) if c.percent is not None else ("count", float(c.n or 0), None)
    if nums and nums[0].start == 0 and len(nums) == 1:
        return "other", nums[0].value, None
    return None


def _stacked(ctx: Context, cells: list[Cell]) -> list[Cell]:
    """Cells of a table with one row per arm ("UPCR, mg/mg | MMF (n = 64) | 3.8 (2.1) | ...", then
    " | Tacrolimus (n = 62) | 3.9 (2.3) | ..."): a text cell that names an arm gives the arm (and n)
    of its row's value cells, and a row with an empty label continues the measure of the row above."""
    row_arm: dict[int, tuple[str, int | None]] = {}
    for c in cells:
        if c.row_index not in row_arm and c.text.strip()[:1].isalpha():
            arm = arm_named(ctx, c.text)
            if arm:
                row_arm[c.row_index] = (arm, header_n(c.text))
    if len(set(row_arm.values())) < 2:
        return cells
    out, label = [], ""
    for c in cells:
        label = c.row_label or (label if c.row_index in row_arm else "")
        arm, n = row_arm.get(c.row_index, (None, None))
        out.append(replace(c, row_label=label, arm=c.arm or arm, n=c.n or n) if arm else c)
    return out


def courses_time(text: str, course: tuple[float, str] | None) -> TimeMention | None:
    """"After 3 courses" with a course of 4 weeks → week 12; None without a stated course length."""
    m = regex("tables", "tables.after_courses").match(text)
    k = (float(m.group("k")) if m.group("k").isdigit() else word_value(m.group("k"))) if m and course else None
    if not k or course is None:
        return None
    return TimeMention(value=k * course[0], unit=course[1], label=None, start=0, end=0, surface=text)  # type: ignore[arg-type]


def _sub_label_time(text: str, fu: tuple[float, str] | None, course: tuple[float, str] | None = None) -> TimeMention | None:
    """Time of a text cell inside a row ("Before treatment", "After treatment", "Week 24",
    "After 3 courses")."""
    tm = courses_time(text, course) or _label_time(text, fu)
    if tm is None and fu and regex("tables", "tables.after_cue").match(text):
        tm = TimeMention(value=fu[0], unit=fu[1], label=None, start=0, end=0, surface="")
    return tm


def treatment_time(ctx: Context) -> tuple[float, str] | None:
    """The length of treatment stated in the text ("Both groups were treated for 24 weeks"), else
    the follow-up: the time of values "after treatment"."""
    m = _rx("outcomes.treatment_duration").search(ctx.text)
    if m is None:
        return follow_up(ctx)
    n, unit = m.group("n") or m.group("n2"), (m.group("unit") or m.group("unit2")).lower().rstrip("s")
    return float(n), unit


def _sub_rows(ctx: Context, cells: list[Cell], fu: tuple[float, str] | None) -> list[Cell]:
    """Cells of a table with a time column ("ALB (g/L) | Before treatment | 27.36 ± 4.15 | ...", then
    " | After treatment | 36.42 ± 3.87 | ..."): a text cell that gives a time point gives the time of
    its row's value cells, and a row with an empty label continues the measure of the row above."""
    row_time: dict[int, TimeMention] = {}
    for c in cells:
        if c.row_index not in row_time and c.text.strip()[:1].isalpha() and not arm_named(ctx, c.text):
            tm = _sub_label_time(c.text.strip(), fu, report_course_length(ctx))
            if tm is not None:
                row_time[c.row_index] = tm
    if not row_time:
        return cells
    out, label = [], ""
    for c in cells:
        label = c.row_label or (label if c.row_index in row_time else "")
        tm = row_time.get(c.row_index)
        out.append(replace(c, row_label=label, time=c.time or tm) if tm else c)
    return out


def from_tables(ctx: Context) -> list[Outcome]:
    out: list[Outcome] = []
    fu = follow_up(ctx)
    for table in ctx.tables:
        first = len(out)
        table_time = _table_time(ctx, table, fu)
        safety = _is_safety_table(ctx, table)
        heading = _heading_before(ctx, table)  # "Table 2. Laboratory course by group, mean (SD)"
        cells = _row_n(_sub_rows(ctx, _stacked(ctx, _header_below_title(table_cells(ctx, table))), treatment_time(ctx)))
        named = _named_columns(ctx, cells)
        table_measure = _one_measure(table.caption or heading)
        context = _lines_before(ctx, table)
        context_measure = _one_measure(context)
        for cell in cells:
            label_measures = _table_measures(cell.row_label)
            measures = label_measures or _header_measures(cell.header) or _group_measure(cell) or _caption_measure(cell, table_measure)
            from_context = not measures
            measures = measures or _arm_row_measure(ctx, cell, context_measure)
            registry = not measures and _registry_row(cell)
            measures = measures or (context_measure if registry else [])
            if not measures or _rx("outcomes.patient_row_label").match(cell.row_label) or _garbled_row(cell):
                continue  # no measure, one patient's row of a per-patient table, rows run together
            if not label_measures and regex("tables", "tables.response_header").search(cell.header):
                continue  # "CRR week 52, n (%)" under a caption naming proteinuria: responders, not a measure value
            m = measures[0]
            if contrast_column(cell.header):
                continue  # a P value or a between-arm difference
            if safety and m.canonical in SAFETY_EVENTS or m.canonical in PROSE_SKIP and _rate_cell(cell.text):
                continue  # a death row of an adverse-event table is an adverse event; flare rates are relapses
            hint = " ".join((cell.row_label, cell.header, table.caption or heading, cell.group))  # "UPCR, mg/mg, mean (SD)" over "Week 24"
            if regex("tables", "tables.sd_words").search(hint):
                hint += SD_HINT  # "Mean change, IU/mL (Standard Deviation)": the bracket is an SD
            tm = cell.time or _label_time(cell.row_label, fu) or (_label_time(cell.group, fu) if cell.group else None) or table_time
            read = _cell_value(cell, hint, as_decimal_points(ctx, cell.text), is_event(m))
            if not is_event(m) and regex("tables", "tables.event_row_label").match(cell.row_label):
                continue  # "Increased proteinuria or impaired kidney function | 14 | 27": a count of an event, not a value
            if is_event(m) and tm is None and fu:
                tm = TimeMention(value=fu[0], unit=fu[1], label=None, start=0, end=0, surface="")  # events counted over the follow-up
            if is_event(m) and tm is not None and tm.value == 0 and fu:
                tm = TimeMention(value=fu[0], unit=fu[1], label=None, start=0, end=0, surface="")  # no event at baseline
            if read is None:
                continue
            stat, value, spread = read
            if safety and stat in {"count", "percent"}:
                continue  # "eGFR decreased | 47 (26.4)" in an adverse-event table is an adverse event
            if stat in {"mean", "median", "other"} and (regex("tables", "tables.change_label").search(cell.row_label)
                                                        or regex("tables", "tables.change_label").search(cell.header)
                                                        or from_context and regex("tables", "tables.change_label").search(context)):
                stat = "change"
            if from_context and measures and stat == "change":
                tm = _latest(context, fu) or tm  # "Time Frame: Baseline to Week 52"
            default = m.extra[0] if m.extra else None
            unit = _label_unit(cell.row_label) or (_label_unit(cell.group) if registry else None) or (PERCENT_MEASURE_UNIT if stat == "percent" else default if default in DIMENSIONLESS else None)
            arm_id = arm_named(ctx, cell.row_label) if from_context and not registry else _column_arm(ctx, cell, named)
            if arm_id is None and label_measures and len(arms(ctx)) > 1:
                arm_id = arm_named(ctx, cell.row_label[m.end :])  # "UPCR, mg/mg — tacrolimus | 3.6 (2.4) | 1.4 (1.3)"
            elif arm_id is None and len(arms(ctx)) > 1:
                arm_id = arm_named(ctx, cell.row_label)  # arms as rows, measures as columns: "Placebo (n = 48) | 3.5 (2.4)"
            if _subgroup_column(ctx, cell, arm_id):
                continue  # "Responders (n = 88)", "Yes (n = 112)": patients grouped by their result, not an arm
            out.append(Outcome(
                measure=m.canonical, arm=arm_id, time=_tp(tm), stat=stat,  # type: ignore[arg-type]
                value=value, unit=unit, spread=spread, n=cell.n,
                evidence=ctx.row_evidence(cell.row, "outcome.table_cell", cell.start, cell.end),
            ))
        _table_stat(out[first:])
    return out


def _header_below_title(cells: list[Cell]) -> list[Cell]:
    """Cells of a table whose one-cell title row ("Conversion to sinus rhythm") hid the column
    header row under it: that label-less row of text cells ("Yes (n = 112) | No (n = 48)") is
    the header of the cells below it."""
    if not cells or any(c.header.strip() for c in cells):
        return cells
    top = min(c.row_index for c in cells)
    head = [c for c in cells if c.row_index == top]
    if head[0].row_label.strip() or not all(c.text.strip()[:1].isalpha() for c in head):
        return cells
    names = {c.col: c.text.strip() for c in head}
    return [replace(c, header=names.get(c.col, ""), n=header_n(names.get(c.col, ""))) for c in cells if c.row_index != top]


def _subgroup_column(ctx: Context, cell: Cell, arm_id: str | None) -> bool:
    """A column of patients grouped by their result in a report of several arms: its header says
    so ("Amiodarone Nonresponders n = 18", "Conversion: Yes"), or it names no arm and gives a
    size that is neither an arm's nor the total ("Yes (n = 112)" beside "No (n = 48)")."""
    if len(arms(ctx)) < 2 or not cell.header.strip():
        return False
    if _rx("outcomes.subgroup_header").search(cell.header):
        return True
    sizes = [int(a.n) for a in arms(ctx) if a.n]
    known = set(sizes) | {sum(sizes)} | ({int(ctx.state["cohort_n"])} if ctx.state.get("cohort_n") else set())
    visit = cell.time is not None or visit_header(cell.header)  # "Week 24 (n = 18)": the patients seen at a visit
    return arm_id is None and not visit and cell.n is not None and len(sizes) == len(arms(ctx)) and int(cell.n) not in known


def _time_key(tm: TimeMention | None) -> tuple[object, ...]:
    return (tm.value, tm.unit) if tm else ()


def _named_columns(ctx: Context, cells: list[Cell]) -> dict[int, str]:
    """Column index → the arm its header names by label or distinctive word ("Empagliflozin, mean
    value (95% CI)"), kept only when no other column of the same time point names that arm
    ("MP (n = 24)" and "MP + CY (n = 20)" both name MP: the header names are not trusted)."""
    if len(arms(ctx)) < 2:
        return {}
    heads = {c.col: (c.header, c.time) for c in cells if c.header.strip() and not visit_header(c.header)}
    got = {col: (arm_named(ctx, h), _time_key(tm)) for col, (h, tm) in heads.items()}
    seen: dict[tuple[object, ...], int] = {}
    for arm, key in got.values():
        if arm:
            seen[(arm, key)] = seen.get((arm, key), 0) + 1
    return {col: arm for col, (arm, key) in got.items() if arm and seen[(arm, key)] == 1}


def _column_arm(ctx: Context, cell: Cell, named: dict[int, str]) -> str | None:
    """The arm of a value cell: the arm its own header names, else the column's arm, else the only arm."""
    arm = named.get(cell.col) or cell.arm
    return arm if arm or len(arms(ctx)) != 1 else arms(ctx)[0].id


def _table_stat(items: list[Outcome]) -> None:
    """A bare number in a table whose summaries are all of one kind ("62 ± 21" … "0") is that
    kind: a mean of 0 mg/day, not an unlabelled value."""
    kinds = {o.stat for o in items if o.spread is not None}
    if len(kinds) != 1 or not kinds <= {"mean", "median"}:
        return
    for o in items:
        if o.stat == "other" and o.spread is None:
            o.stat = next(iter(kinds))  # type: ignore[assignment]
