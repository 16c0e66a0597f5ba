"""Outcome values from tables flattened into running text (PMC full texts, some PDFs).

A flattened table starts at its caption ("Table 2 Efficacy end points at week 52", or glued
"Table 3RAND SF-36 at baseline"), then its column headers (arm labels with "(n = …)"), then rows
run together: a row label followed by one summary per column ("SLEDAI-2K global score 11.1 ± 4.4
10.7 ± 3.7 10.9 ± 4.1", "Energy/fatigue-2.50 [-6.25–11.25]10.00 [-1.25–21.25].092").

:func:`read_block` is pure: given the arms (id, label, n), a resolver naming the arm of a header
piece and the text of a block, it splits the block into rows (a label, then summaries separated
only by spaces and footnote marks, ``tables.flat_glue``), keeps rows whose label names a measure
(``rules/vocab/measures.tsv``; a short sub-row such as "Week 12 (Day 84)" inherits the measure
above it) and has exactly one summary per column (a total column, ``tables.flat_total_header``,
is dropped; a trailing P value is not a summary), and gives one value per arm. Time: the row label,
else its group label ("Six Months …"), else the caption; baseline when the caption says so; stat
``change`` on a change cue (``tables.flat_change_cue``). Rows that count patients
(``tables.flat_count_cue``, or cells "x (y)" where y = 100·x/n) are not read. No arm header,
no time, or a row with another number of cells → nothing (precision first).
:func:`flat_outcomes` runs it over a Context, skipping blocks already read as Document.tables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from extractor.extract.numbers import Summary, find_count_percents, find_summaries
from extractor.extract.outcome_arms import arm_named
from extractor.extract.tables import Term, arms, as_decimal_points, find_terms, follow_up, time_columns, timepoints_in
from extractor.extract.timepoints import BASELINE, TimeMention
from extractor.nlp.rules import regex
from extractor.records import Outcome, Spread, TimePoint

BLOCK_MAX = 12000  # characters of a block after its caption
CAPTION_MAX = 220  # caption text read for the time point
LABEL_MAX = 150  # a longer "row label" is prose: the table has ended
SEG_MAX = 45  # characters of a header piece read for its arm
SUB_ROW_WORDS = frozenset({"at", "to", "from", "baseline", "the", "of", "in", "visit", "mean", "sd", "median", "iqr", "by", "and"})
PERCENT_TOL = 1.5  # "x (y)" is a count when y is within this of 100·x/n
TABLE_ONLY = "table"
EVENT_UNIT = "count"
DIMENSIONLESS = frozenset({"score"})
SUB_ROW_MAX = 60
FORCE_MEAN_SD = "mean (SD)"
GLUE_LOWER = 3  # lower-case letters before a capital that mark two glued words
TIME_UNITS = frozenset({"day", "week", "month", "year"})


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex("tables", rule_id)


@dataclass
class FlatArm:
    id: str
    label: str
    n: int | None


@dataclass
class Column:
    arm: str | None
    n: int | None
    total: bool


@dataclass
class FlatValue:
    """One value of one arm read from a flattened row (offsets into the block text)."""

    measure: str
    arm: str
    time: TimeMention
    stat: str
    value: float
    spread: Spread | None
    unit: str | None
    n: int | None
    start: int
    end: int
    row_start: int
    row_end: int


@dataclass
class _State:
    measure: Term | None = None
    change: bool = False
    group_time: TimeMention | None = None
    group_change: bool = False
    from_visit: bool = False
    rows: list[tuple[int, int]] = field(default_factory=list)


def caption_starts(text: str) -> list[int]:
    return [m.start() for m in _rx("tables.flat_caption").finditer(text)]


def _masked(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in spans:
        chars[s:e] = " " * (e - s)
    return "".join(chars)


def _cells(block: str) -> list[tuple[int, int]]:
    """Value cells of a block: summaries and counts, outside measure names, "(n = …)" and time words."""
    spans = [(t.start, t.end) for t in find_terms(block, "measures")]
    spans += [(m.start(), m.end()) for m in _rx("tables.header_n").finditer(block)]
    spans += [(t.start, t.end) for t in timepoints_in(block)]
    masked = _masked(block, spans)
    cells = [(c.start, c.end) for c in find_count_percents(masked) if c.percent_sign or "/" in masked[c.start : c.end]]
    for s in find_summaries(masked, context=FORCE_MEAN_SD):
        if s.value is not None and not any(s.start < e and b < s.end for b, e in cells):
            cells.append((s.start, s.end))
    return sorted(cells)


def _runs(block: str, cells: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    glue = _rx("tables.flat_glue")
    runs: list[list[tuple[int, int]]] = []
    for c in cells:
        if runs and glue.match(block[runs[-1][-1][1] : c[0]]):
            runs[-1].append(c)
        else:
            runs.append([c])
    return runs


def _columns(header: str, flat_arms: list[FlatArm], arm_of: Callable[[str], str | None]) -> list[Column]:
    """One column per "(n = …)" group of the header, with the arm its piece names (else by n or
    position when there is one column per arm)."""
    cols, prev = [], 0
    for m in _rx("tables.header_n").finditer(header):
        if m.group("n") is None:
            continue
        words = _unglue(header[prev : m.start()][-SEG_MAX:]).split()
        tail = " ".join(words[-2:])
        total = bool(_rx("tables.flat_total_header").search(tail))
        named = next((a for a in (arm_of(" ".join(words[-k:])) for k in range(1, len(words) + 1)) if a), None)
        cols.append(Column(None if total else named, int(m.group("n")), total))
        prev = m.end()
    by_n = {a.n: a.id for a in flat_arms if a.n and sum(b.n == a.n for b in flat_arms) == 1}
    arm_cols = [c for c in cols if not c.total]
    found = [c.arm for c in arm_cols]
    if len(arm_cols) == len(flat_arms) and (None in found or len(set(found)) < len(found)):
        ns_match = sorted(c.n or 0 for c in arm_cols) == sorted(a.n or 0 for a in flat_arms)
        for c, a in zip(arm_cols, flat_arms):
            c.arm = by_n.get(c.n) if ns_match and by_n.get(c.n) else a.id
    size = {a.id: a.n for a in flat_arms}
    by_size = all(any(c.arm == a.id and c.n == a.n for c in cols) for a in flat_arms)
    for c in cols:  # an arm named by two columns (all patients / completers, PP / ITT): its n, else the first
        twins = [d for d in cols if d.arm and d.arm == c.arm]
        if c.arm and len(twins) > 1:
            keep = next((d for d in twins if by_size and d.n == size.get(c.arm)), twins[0])
            if c is not keep:
                c.arm = None
    return cols


def _glued(text: str, i: int) -> bool:
    """Is ``text[i]`` (a capital) the start of a word glued to the one before it ("groupsAll",
    "0.92KOOS", ".100Six", "Table 2Baseline"), not part of a name ("eGFR", "SLEDAI-2K", "HbA1c")?"""
    j = i
    while j and text[j - 1].islower():
        j -= 1
    if i - j >= GLUE_LOWER:
        return True
    k = i
    while k and (text[k - 1].isdigit() or text[k - 1] == "."):
        k -= 1
    return k < i and ("." in text[k:i] or k == 0 or text[k - 1] in " \n(")


def _unglue(text: str) -> str:
    """Words glued by the flattening spaced apart (for measure and time words)."""
    return "".join(" " + ch if i and ch.isupper() and _glued(text, i) else ch for i, ch in enumerate(text))


def _times(text: str, fu: tuple[float, str] | None) -> list[TimeMention]:
    """Time points of a label in the contract's units (not "98.5 min" read from a stray cell)."""
    text = _unglue(text)
    name = regex("outcomes", "outcomes.not_a_time_before")  # "vitamin D3" is not day 3
    return [t for t in timepoints_in(text, fu) if not t.is_schedule and t.unit in TIME_UNITS
            and not name.search(text[max(0, t.start - 20) : t.start])]


def _caption_time(caption: str, fu: tuple[float, str] | None) -> TimeMention | None:
    times = _times(caption, fu)
    caption = _unglue(caption)
    later = {(t.value, t.unit) for t in times if t.value}
    if len(later) == 1:
        return next(t for t in times if t.value)
    if not later and (times or _rx("tables.baseline_cue").search(caption)):
        return BASELINE
    return None


def _label_time(text: str, change: bool, fu: tuple[float, str] | None) -> TimeMention | None:
    times = _times(text, fu)
    if not times and not change and _rx("tables.baseline_cue").search(_unglue(text)):
        return BASELINE  # (with a change, "from baseline" is where the change starts, not its time)
    if change:
        times = [t for t in times if t.value] or times
        return times[-1] if times else None
    return times[0] if times else None


def _is_sub_row(label: str) -> bool:
    """A short row that names only a time or a change ("Week 12 (Day 84)", "Change from baseline at Week 4")."""
    label = _unglue(label)
    if len(label) > SUB_ROW_MAX or not (timepoints_in(label) or _rx("tables.baseline_cue").search(label)):
        return False
    rest = _masked(label, [(t.start, t.end) for t in timepoints_in(label)])
    words = [w for w in "".join(ch if ch.isalpha() else " " for ch in rest).lower().split()
             if w not in SUB_ROW_WORDS and not _rx("tables.flat_change_cue").search(w)]
    return not words or all(_rx("tables.flat_change_cue").search(rest) and w in {"change", "improvement"} for w in words)


def _measure(label: str) -> Term | None:
    dose = _rx("tables.daily_dose_label").search(label)
    terms = [t for t in find_terms(label, "measures")
             if (TABLE_ONLY not in t.extra or dose) and not (t.extra and t.extra[0] == EVENT_UNIT)]
    return terms[-1] if terms else None


def _cell_value(cell: str, hint: str) -> Summary | None:
    got = [s for s in find_summaries(cell, context=hint) if s.value is not None and s.start == 0]
    if not got:
        got = [s for s in find_summaries(cell, context=hint + " " + FORCE_MEAN_SD) if s.value is not None and s.start == 0]
    return got[0] if got else None


def _counts(block: str, run: list[tuple[int, int]], cols: list[Column]) -> bool:
    """Cells "x (y)" with y = 100·x/n: patients with a finding, not a value."""
    for (s, e), c in zip(run, cols):
        cp = find_count_percents(block[s:e], total=c.n)
        if cp and (cp[0].percent_sign or "/" in block[s:e]):
            return True  # "8/26 (30.8)", "22 (88 %)"
        if cp and cp[0].n is not None and c.n and cp[0].percent is not None \
                and abs(100 * cp[0].n / c.n - cp[0].percent) <= PERCENT_TOL:
            return True
    return False


def read_block(block: str, flat_arms: list[FlatArm], arm_of: Callable[[str], str | None],
               fu: tuple[float, str] | None = None) -> list[FlatValue]:
    """Pure: the values of one flattened table (``block`` starts at its caption)."""
    cells = _cells(block)
    runs = _runs(block, cells)
    if not runs or len(flat_arms) < 1:
        return []
    header_end = runs[0][0][0]
    ns = [m for m in _rx("tables.header_n").finditer(block[:header_end]) if m.group("n") is not None]
    cols = _columns(block[: ns[-1].end()], flat_arms, arm_of) if ns else []
    head_start, head_end = (ns[0].start(), ns[-1].end()) if ns else (0, 0)
    if not ns:
        cols, head_start, head_end = _n_row_columns(block[:header_end], flat_arms)
    if not any(c.arm for c in cols):
        return _read_time_block(block, runs, flat_arms, arm_of, fu)
    caption = block[: min(head_start, CAPTION_MAX)]
    cap_time = _caption_time(caption, fu)
    cap_change = bool(_rx("tables.flat_change_cue").search(caption))
    st = _State()
    out: list[FlatValue] = []
    prev_end = head_end
    for run in runs:
        label = block[prev_end : run[0][0]].strip()
        if run is not runs[0] and (len(label) > LABEL_MAX or _rx("tables.flat_caption").search(label)):
            break
        row_start, prev_end = run[0][0] - len(block[prev_end : run[0][0]].lstrip()), run[-1][1]
        out += _read_row(block, label, run, cols, st, (cap_time, cap_change, caption), fu, (row_start, run[-1][1]), run is runs[0])
    return out


def _n_row_columns(header: str, flat_arms: list[FlatArm]) -> tuple[list[Column], int, int]:
    """Columns of a header with a row of column sizes, no "(n = …)" ("Patients randomized, no. 160 159 318"):
    when its first numbers are the arm sizes in report order, those are the arms, the rest totals."""
    m = _rx("tables.flat_n_row").search(header)
    if m is None or any(a.n is None for a in flat_arms):
        return [], 0, 0
    sizes = [int(x) for x in m.group("ns").split()]
    if len(sizes) < len(flat_arms) or sizes[: len(flat_arms)] != [a.n for a in flat_arms]:
        return [], 0, 0
    cols = [Column(a.id, a.n, False) for a in flat_arms] + [Column(None, n, True) for n in sizes[len(flat_arms) :]]
    return cols, m.start(), m.end()


def _leading_time(text: str, fu: tuple[float, str] | None) -> TimeMention | None:
    """A time written first in a label ("Six Months Physical functioning"): a group heading."""
    text = _unglue(text).lstrip(" .,;:-–0123456789*†‡")
    times = _times(text, fu)
    if times and times[0].start == 0:
        return _label_time(text, bool(_rx("tables.flat_change_cue").search(text)), fu)
    return BASELINE if _rx("tables.baseline_cue").match(text) else None


def _hint(*texts: str) -> str:
    """The nearest text that says mean or median (own label, whole label, caption)."""
    for t in texts:
        if regex("numbers", "numbers.ctx_median").search(t) or regex("numbers", "numbers.ctx_mean").search(t):
            return t
    return texts[-1]


def _read_row(block: str, label: str, run: list[tuple[int, int]], cols: list[Column], st: _State,
              cap: tuple[TimeMention | None, bool, str], fu: tuple[float, str] | None,
              row: tuple[int, int], first: bool) -> list[FlatValue]:
    label = _unglue(label)
    term = _measure(label)
    own = label[term.end :] if term else label
    group = label[: term.start] if term else label
    if term is None and _is_sub_row(label) and st.measure is not None:
        term, own, group = st.measure, label, ""
        st.change = bool(_rx("tables.flat_change_cue").search(label)) or (st.change and not _rx("tables.baseline_cue").search(label))
    elif term is not None:
        st.change = bool(_rx("tables.flat_change_cue").search(label))
    lead = _leading_time(group, fu) if group.strip() else None
    if lead is None and first and group.strip():
        times = _times(group, fu)
        cue = bool(_rx("tables.flat_change_cue").search(group))
        lead = _label_time(group, cue, fu) if times and (any(t.value for t in times) or not cue) else None
    if lead is not None:
        st.group_time, st.group_change = lead, bool(_rx("tables.flat_change_cue").search(_unglue(group)))
    if term is not None and not _is_sub_row(label):
        st.from_visit = bool(_rx("tables.flat_change_from_visit").search(label))
    st.measure = term
    if term is None or _rx("tables.flat_count_cue").search(label) or st.from_visit:
        return []  # counts of patients; a change from a later visit ("change from week 104")
    if len(run) != len(cols) or _counts(block, run, cols):
        return []
    change = st.change or st.group_change
    time = _label_time(own, change, fu)
    time = time or st.group_time
    if time is None:
        cap_time, cap_change, _ = cap
        change = change or cap_change
        time = cap_time if not (change and cap_time is BASELINE) else None
        if change and (time is None or not time.value) and fu:
            time = TimeMention(value=fu[0], unit=fu[1], label=None, start=0, end=0, surface="")
    if time is None or (change and not time.value):
        return []
    hint = _hint(own, label, cap[2])
    out = []
    for (s, e), col in zip(run, cols):
        v = _cell_value(block[s:e], hint)
        if col.arm is None or v is None or v.value is None:
            continue
        spread = Spread(kind=v.spread_kind, value=v.spread_value, low=v.low, high=v.high) if v.spread_kind else None  # type: ignore[arg-type]
        stat = "change" if change else (v.stat or "mean")
        unit = term.extra[0] if term.extra and term.extra[0] in DIMENSIONLESS else None
        out.append(FlatValue(term.canonical, col.arm, time, stat, v.value, spread, unit, col.n, s, e, row[0], row[1]))
    return out


def _read_time_block(block: str, runs: list[list[tuple[int, int]]], flat_arms: list[FlatArm],
                     arm_of: Callable[[str], str | None], fu: tuple[float, str] | None) -> list[FlatValue]:
    """A table whose columns are time points of one group ("Baseline 3 months 6 months 12 months"):
    one value per row and column, for the only arm (or the one arm its caption names)."""
    k = len(runs[0])
    head = _masked(block[: runs[0][0][0]], [(m.start(), m.end()) for m in _rx("tables.header_n").finditer(block[: runs[0][0][0]])])
    cols = time_columns(head, k, lambda t: _times(t, fu), BASELINE)
    if cols is None:
        return []
    caption = block[: cols[0][1]]
    arm = flat_arms[0].id if len(flat_arms) == 1 else arm_of(caption[-CAPTION_MAX:])
    if arm is None:
        return []
    ns: list[int | None] = []
    for i, (_, s, _e) in enumerate(cols):
        stop = cols[i + 1][1] if i + 1 < len(cols) else len(head)
        m = _rx("tables.header_n").search(block[s:stop])
        ns.append(int(m.group("n")) if m and m.group("n") else None)
    m = _rx("tables.header_n").match(block[cols[-1][2] :].lstrip())
    prev_end = cols[-1][2] + (len(block[cols[-1][2] :]) - len(block[cols[-1][2] :].lstrip()) + m.end() if m else 0)
    tcols = [Column(arm, n, False) for n in ns]
    out: list[FlatValue] = []
    for run in runs:
        label = _unglue(block[prev_end : run[0][0]].strip())
        if run is not runs[0] and (len(label) > LABEL_MAX or _rx("tables.flat_caption").search(label)):
            break
        row, prev_end = (run[0][0] - len(block[prev_end : run[0][0]].lstrip()), run[-1][1]), run[-1][1]
        term = _measure(label)
        if term is None or len(run) != k or _rx("tables.flat_count_cue").search(label) \
                or _rx("tables.flat_change_cue").search(label) or _counts(block, run, tcols):
            continue
        hint = _hint(label, caption[-CAPTION_MAX:])
        for (s, e), (t, _, _), n in zip(run, cols, ns):
            v = _cell_value(block[s:e], hint)
            if v is None or v.value is None:
                continue
            spread = Spread(kind=v.spread_kind, value=v.spread_value, low=v.low, high=v.high) if v.spread_kind else None  # type: ignore[arg-type]
            unit = term.extra[0] if term.extra and term.extra[0] in DIMENSIONLESS else None
            out.append(FlatValue(term.canonical, arm, t, v.stat or "mean", v.value, spread, unit, n, s, e, row[0], row[1]))
    return out


# --------------------------------------------------------------------------------------
# over a Context
# --------------------------------------------------------------------------------------


def table_blocks(ctx, *, skip_regions: bool = True) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    """(start, end) of every flattened table: from its caption to the next caption or BLOCK_MAX
    (a row label as long as prose ends it earlier); blocks overlapping a table already read
    (Document.tables, and with ``skip_regions`` the page text a PDF table was built from) are left out."""
    text = ctx.text
    starts = caption_starts(text)
    read = [(t.start, t.end) for t in ctx.tables] + [(r.start, r.end) for t in ctx.tables for r in t.rows]
    if skip_regions:
        read += [r for t in ctx.tables for r in getattr(t, "regions", ())]
    out = []
    for i, s in enumerate(starts):
        end = min(starts[i + 1] if i + 1 < len(starts) else len(text), s + BLOCK_MAX)
        if not any(a < end and s < b for a, b in read):
            out.append((s, end))
    return out


def flat_outcomes(ctx) -> tuple[list[Outcome], list[tuple[int, int]]]:  # type: ignore[no-untyped-def]
    """Outcomes read from flattened tables, and the row spans they came from."""
    flat_arms = [FlatArm(a.id, a.label or "", a.n) for a in arms(ctx)]
    if not flat_arms:
        return [], []
    fu = follow_up(ctx)
    out, rows = [], []
    for s, e in table_blocks(ctx):
        block = as_decimal_points(ctx, ctx.text[s:e])
        for v in read_block(block, flat_arms, lambda seg: arm_named(ctx, seg), fu):
            out.append(Outcome(
                measure=v.measure, arm=v.arm, stat=v.stat, value=v.value, unit=v.unit, spread=v.spread, n=v.n,  # type: ignore[arg-type]
                time=TimePoint(value=v.time.value, unit=v.time.unit, label=v.time.label),  # type: ignore[arg-type]
                evidence=ctx.evidence(s + v.start, s + v.end, "outcome.flat_table." + v.stat, context=(s + v.row_start, s + v.row_end)),
            ))
            rows.append((s + v.row_start, s + v.row_end))
    return out, rows


def merge_flat(ctx, items: list[Outcome]) -> list[Outcome]:  # type: ignore[no-untyped-def]
    """``items`` (prose outcomes) without those read inside a flattened row, plus the flat ones."""
    flat, rows = flat_outcomes(ctx)
    if not rows:
        return items

    def inside(o: Outcome) -> bool:
        span = getattr(o.evidence, "span", None) if o.evidence else None
        return bool(span) and any(a <= span[0] and span[1] <= b for a, b in rows)

    seen = {(o.measure, o.arm, o.stat, o.value) for o in flat if o.stat != "change"}  # prose repeating a table value
    return [o for o in items if not inside(o) and (o.measure, o.arm, o.stat, o.value) not in seen] + flat
