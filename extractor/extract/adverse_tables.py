"""Adverse events from tables read with their cells (``Document.tables``).

An adverse-event table (caption, headers or rows say so) gives one event per row label × arm
column. A table whose first row is a group heading spanning the arm columns ("| Drug | | |"
over "1 mg (n = 102) | 2 mg (n = 109) | Comparator (n = 108)") takes its column headers from
the first row that writes "(n = …)" in two or more cells. A percent-only cell takes the count
that its column's n gives (``derive_n``). Rules: ``adverse.table_cue``, ``adverse.row_not_ae``,
``adverse.zero_cell``, ``adverse.ae_like``. A table with no caption takes its title from the line right
above it (``adverse.lead_title``: "**Serious Adverse Events**"), and its "Total" row is named by that title. A label split over two rows ("Upper respiratory tract" /
"infection | 3 | 4") is joined when the second part starts in lower case.
"""

from __future__ import annotations

from collections.abc import Callable

from extractor.extract.adverse_counts import derive_n
from extractor.extract.adverse_layout import layout_columns
from extractor.extract.adverse_names import expand_abbreviations
from extractor.extract.adverse_transposed import transposed_events
from extractor.extract.context import Context
from extractor.extract.numbers import CountPercent, find_count_percents
from extractor.extract.tables import Cell, arm_n, arms, column_arms, find_terms, header_n, table_cells
from extractor.nlp.rules import regex
from extractor.records import AdverseEvent, Table, TableRow

HEADER_ROWS = 3  # rows searched for the "(n = …)" column headers of a table without parsed headers
LEAD_REACH = 300  # characters above a captionless table searched for its title line


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex("adverse", rule_id)


def canonical_term(term: str) -> str | None:
    hits = find_terms(term, "adverse_terms")
    return hits[-1].canonical if hits else None


def is_ae_table(table: Table, lead: str = "") -> bool:
    head = " ".join([table.caption, table.label, lead] + [" ".join(r.cells) for r in table.rows[:2]])
    if _rx("adverse.table_cue").search(head) or lead and find_terms(lead, "adverse_terms"):
        return True
    labels = [next((c for c in r.cells if c.strip()), "") for r in table.rows if r.cells]  # a layout row may open blank
    hits = sum(1 for lab in labels if find_terms(lab, "adverse_terms"))
    return bool(labels) and hits * 2 >= len(labels)


def _ae_row(label: str, caption_says_ae: bool) -> bool:
    """A table row that is an adverse event (not an efficacy, baseline or exposure row)."""
    if _rx("adverse.row_not_ae").search(label) and not find_terms(label, "adverse_terms"):
        return False
    return caption_says_ae or bool(find_terms(label, "adverse_terms") or _rx("adverse.ae_like").search(label))


def _own_headers(table: Table, cells: list[Cell]) -> list[Cell]:
    """Cells of a table whose headers were not recognised (a spanning group row on top): the
    first of its top rows with two or more "(n = …)" cells is the header row."""
    if any(c.header for c in cells):
        return cells
    rows = [r for r in table.rows if any(c.strip() for c in r.cells)]
    for i, r in enumerate(rows[:HEADER_ROWS]):
        if sum(1 for c in r.cells[1:] if header_n(c) is not None) < 2:
            continue
        out = [c for c in cells if c.row_index > i]
        for c in out:
            c.header = r.cells[c.col].strip() if c.col < len(r.cells) else ""
            c.n = header_n(c.header) if c.header else None
        return out
    return cells


def _joined_label(rows: list[TableRow], cell: Cell) -> str:
    """The row label, joined to the label-only row right above when it continues it ("Upper
    respiratory tract" over "infection | 3 (2.5) | 4 (3.4)"): a lower-case start continues a term."""
    left = [c for c in cell.row.cells[1 : cell.col] if c.strip()] if not cell.row_label.strip() else []
    raw = cell.row_label if not left else left[0]  # a layout table's label in the 2nd cell, the 1st blank
    label = " ".join(raw.split()).strip(" :*†‡§#")  # "Ventricular extrasystoles*": a footnote mark
    above = rows[cell.row_index - 1].cells if 0 < cell.row_index <= len(rows) else []
    filled = [c.strip() for c in above if c.strip()]
    if label[:1].islower() and len(filled) == 1 and above and above[0].strip() == filled[0] and not filled[0].endswith(":"):
        return f"{filled[0]} {label}"
    return label


def lead_title(ctx: Context, table: Table) -> str:
    """The title a captionless table has on the line right above it ("**Serious Adverse Events**",
    "**All-Cause Mortality**" on a registry results page): a bold or heading line, or a short line
    naming adverse events (rule ``adverse.lead_title``); else ""."""
    rows = [r for r in table.rows if r.start is not None]
    if table.caption.strip() or not rows:
        return ""
    lines = [line.strip() for line in ctx.text[max(0, rows[0].start - LEAD_REACH) : rows[0].start].splitlines()]
    lines = [line for line in lines if line]
    m = _rx("adverse.lead_title").match(lines[-1]) if lines else None
    if m is None:
        return ""
    title = (m["bold"] or m["head"] or m["short"] or "").strip(" :")
    return title if m["short"] is None or _rx("adverse.table_cue").search(title) else ""


def _total_row(label: str, title: str) -> str | None:
    """A "Total" row of a table titled by the line above it counts what the title names."""
    if not title or not _rx("adverse.total_row").match(label):
        return None
    return f"{title.lower()} (total)"


def table_events(ctx: Context, seriousness: Callable[[str], bool | None]) -> list[AdverseEvent]:
    out: list[AdverseEvent] = []
    for table in ctx.tables:
        title = lead_title(ctx, table)
        if not is_ae_table(table, title):
            continue
        if by_row := transposed_events(ctx, table, seriousness):
            out += by_row  # one row per arm, one column per event
            continue
        table_serious = seriousness(table.caption or title)
        caption_ae = bool(_rx("adverse.table_cue").search(" ".join((table.caption, table.label))))
        cells = _own_headers(table, table_cells(ctx, table))
        headers: dict[int, str] = {c.col: c.header for c in cells}
        by_col = column_arms(ctx, [""] + [headers.get(j, "") for j in range(1, max(headers, default=0) + 1)]) if headers else {}
        if not any(c.header for c in cells):
            by_col = layout_columns(ctx, table, cells)  # header lines kept above the table as text
        rows = [r for r in table.rows if any(c.strip() for c in r.cells)]
        for cell in cells:
            label = _joined_label(rows, cell)
            label = _total_row(label, title) or label
            if not label or not _ae_row(label, caption_ae):
                continue
            if len(arms(ctx)) > 1 and by_col.get(cell.col) is not None:
                cell.arm = by_col[cell.col]
            if cell.arm is None and len(arms(ctx)) > 1 and not cell.header:
                continue
            counts = find_count_percents(cell.text, total=cell.n or arm_n(ctx, cell.arm))
            if _rx("adverse.zero_cell").match(cell.text):
                counts = [CountPercent(0, None, 0.0, 0, len(cell.text), rule="adverse.zero_cell")]
            if not counts or counts[0].start != 0:
                continue
            c = counts[0]
            serious = seriousness(" ".join((cell.group, label)))
            if serious is None:
                serious = table_serious
            canonical = canonical_term(label)
            term = expand_abbreviations(label).lower()
            item = AdverseEvent(
                term=term, arm=cell.arm, n=c.n, percent=c.percent, serious=serious,
                evidence=ctx.row_evidence(cell.row, "adverse.table_cell", cell.start, cell.end),
            )
            if cell.n and cell.arm:
                item.N = cell.n  # type: ignore[attr-defined]  # the column's own denominator
            if item.n is None and item.percent is not None and cell.n:
                item.n = derive_n(item.percent, cell.n)  # "5.9%" under "1 mg (n = 102)"
                if item.n is not None:
                    item.derived = f"n = {item.n} from {item.percent:g}% of {cell.n}"  # type: ignore[attr-defined]
            if canonical and canonical != term:
                item.canonical = canonical  # type: ignore[attr-defined]
            out.append(item)
    return out
