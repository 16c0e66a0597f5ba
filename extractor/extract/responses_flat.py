"""Response rates from tables flattened into running text (PMC full texts, some PDFs).

A flattened table starts at its caption ("Table 2 Efficacy end points at week 52") and runs its
rows together: a row label, then one cell per column ("ACR20 109 (68.1) 117 (73.6) 114 (71.7)
124 (78.0) 238 (74.8) 464 (72.8)"), often with odds ratios, CIs and P values between the arm
cells ("SRI(4) 18/102 (17.6) 34 (34.3) 2.38 (1.33–4.26) 0.014 30/104 (28.8) ...").

:func:`read_rows` is pure. Rate cells are counts with a percent that agree ("109 (68.1)" of 160
arms, "26/101 (25.7)"); cells separated only by numbers, CIs, P values and footnote marks
(``responses.flat_row_gap``) form one row ("N n %" written as three bare columns counts as a cell); the text before a row is its label (the numbers that
close the previous row stripped, ``responses.flat_label_junk``). A row is read when its label
names a response (the term nearest the cells) and, walking the cells in column order, every arm
(report order) finds a cell whose denominator is its size (or a little smaller: the patients
assessed); a further cell whose denominator is the whole cohort is the all-patients column
(arm null); other cells (combined columns, subgroups of another size) are skipped. Rows whose
label names no response ("High IFN gene signature", "Mycophenolate mofetil") are subgroups or
other findings and are not read. Time: the row label, else the last time named by a label above
it in the block ("Week 24 SRI(4) ..." then "BICLA responder"), else the caption, else the
primary end point's time.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractor.extract.flat_tables import table_blocks
from extractor.extract.numbers import CountPercent
from extractor.extract.responses_values import values_in
from extractor.extract.tables import Term
from extractor.nlp.rules import regex

LABEL_MAX = 150  # a longer "label" is prose: the table has ended
CAPTION_MAX = 220  # characters of the caption read for its time point
CELL_TOLERANCE = 0.1  # percentage points between n/N and the printed percent of a cell
SUB_ROW_MAX = 40  # a label this short naming a time is a sub-row of the group above it
ASSESSED_SHARE = 0.85  # a cell's own N may be this share of the arm (patients assessed)


@dataclass
class FlatArm:
    id: str
    n: int


@dataclass
class FlatRate:
    """One rate of one arm (``arm`` None: the all-patients column), offsets into the block."""

    term: Term
    arm: str | None
    value: CountPercent
    label: str
    time_text: str  # where the time point is read: the row label, else the nearest label above naming one
    start: int
    end: int


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex("responses", rule_id)


def _cell_N(v: CountPercent) -> int | None:
    """Denominator a rate cell proves: its own N, else the one n and percent give."""
    if v.n is None or v.percent is None or v.percent <= 0:
        return None
    if v.N:
        return v.N if abs(100.0 * v.n / v.N - v.percent) <= CELL_TOLERANCE + 0.5 else None
    return round(100.0 * v.n / v.percent)


def _fits(v: CountPercent, size: int) -> bool:
    if v.n is None or v.percent is None or not size:
        return False
    if v.N:
        return ASSESSED_SHARE * size <= v.N <= size
    return abs(100.0 * v.n / size - v.percent) <= CELL_TOLERANCE


def _rows(block: str) -> list[tuple[str, list[CountPercent], int]]:
    """(label, rate cells, label start) of each row of a flattened block."""
    cells = [v for v in values_in(block, None) if v.n is not None and v.percent is not None and _cell_N(v)]
    cells = sorted(cells + [t for t in _triples(block) if not any(t.start < c.end and c.start < t.end for c in cells)],
                   key=lambda v: v.start)
    rows: list[tuple[str, list[CountPercent], int]] = []
    prev_end = 0
    for v in cells:
        gap = block[prev_end : v.start]
        if rows and _rx("responses.flat_row_gap").match(gap):
            rows[-1][1].append(v)
        else:
            if not rows:  # the first row: its label is the last line before the cell
                cut = gap.rstrip().rfind("\n") + 1
                gap, offset = gap[cut:], prev_end + cut
            else:
                offset = prev_end
            junk = _rx("responses.flat_label_junk").match(gap)
            skip = junk.end() if junk else 0
            rows.append((gap[skip:].strip(), [v], offset + skip))
        prev_end = v.end
    return rows


def _triples(block: str) -> list[CountPercent]:
    """Cells written as three bare columns "N n %" or "n N %" ("ITT 60 47 78.33"), when the percent
    is n/N."""
    out = []
    for m in _rx("responses.flat_count_triple").finditer(block):
        a, b, pct = int(m["a"]), int(m["b"]), float(m["pct"].replace("·", "."))
        for n, N in ((b, a), (a, b)):
            if 0 < N and n <= N and abs(100.0 * n / N - pct) <= CELL_TOLERANCE:
                out.append(CountPercent(n, N, pct, m.start(), m.end(), rule="responses.flat_count_triple"))
                break
    return out


def read_rows(block: str, arms: list[FlatArm], total: int | None, terms_of, has_time) -> list[FlatRate]:  # type: ignore[no-untyped-def]
    """Pure: the rates of one flattened table (``block`` starts at its caption; ``terms_of``
    gives the typed response terms of a label, ``has_time`` tells whether a text names a time
    point, ``total`` is the cohort size). A short label naming only a time ("Week 104") takes
    the response of the group label above it ("Complete renal response, n (%) Week 52")."""
    if not arms:
        return []
    out: list[FlatRate] = []
    last_time_label = block[:CAPTION_MAX]
    group: list[Term] = []
    for label, cells, start in _rows(block):
        if len(label) > LABEL_MAX or _rx("responses.flat_prose_label").search(label):
            break
        timed = has_time(label)
        if timed:
            last_time_label = label
        terms = terms_of(label)
        if not terms and timed and len(label) <= SUB_ROW_MAX:
            terms = group
        group = terms
        if not terms or _rx("responses.subgroup").search(label):
            continue
        assigned: list[tuple[str | None, CountPercent]] = []
        i = 0
        for v in cells:
            if i < len(arms) and _fits(v, arms[i].n):
                assigned.append((arms[i].id, v))
                i += 1
            elif i == len(arms) and total and _fits(v, total) and v.N in (None, total):
                assigned.append((None, v))
                break
        if i < len(arms):
            continue
        when = label if timed else last_time_label
        out += [FlatRate(terms[-1], arm, v, label, when, start, cells[-1].end) for arm, v in assigned]
    return out


# --------------------------------------------------------------------------------------
# over a Context
# --------------------------------------------------------------------------------------


def flat_rates(ctx, usual) -> list:  # type: ignore[no-untyped-def]
    """Response items of the flattened tables of ``ctx`` (``usual``: the prose rates' usual time)."""
    from extractor.extract.responses_items import as_time, fallback_time, first_time, make_item, typed_terms
    from extractor.extract.tables import arm_n, arms, follow_up, timepoints_in

    flat_arms = [FlatArm(a.id, int(a.n)) for a in arms(ctx) if a.n]
    if len(flat_arms) < 2 or len(flat_arms) != len(arms(ctx)):  # one-arm "rows" are too often prose
        return []
    fu = follow_up(ctx)
    out = []
    for s, e in table_blocks(ctx, skip_regions=False):
        block = ctx.text[s:e]
        try:
            rates = read_rows(block, flat_arms, arm_n(ctx, None), lambda t: typed_terms(ctx, t),
                              lambda t: bool(timepoints_in(t, fu)))
        except Exception as exc:  # noqa: BLE001 - one unreadable table must not lose the others
            ctx.warnings.append(f"responses: flattened table at {s} skipped ({type(exc).__name__}: {exc})")
            continue
        for r in rates:
            key = r.term.canonical
            tm = first_time(ctx, r.time_text) or fallback_time(ctx, key, fu)
            time = as_time(tm) if tm is not None and tm.value else usual
            v = r.value
            item = make_item(ctx, key, r.arm, time, v, v.repaired,
                             ctx.evidence(s + v.start, s + v.end, "response.flat_table_row", context=(s + r.start, s + r.end)))
            if item is not None:
                out.append(item)
    return out
