"""Arm columns of an adverse-event table whose header row was lost: text laid out in columns
(pdftotext -layout) keeps the header lines ("Drug        Placebo" / "(n = 63)    (n = 62)") above
the table as plain text. When the "(n = N)" marks right above the table are one per count column
and each N is the size of exactly one arm, column k belongs to that arm. Rules:
``adverse.layout_header_n``, ``adverse.inline_caption`` (the caption that opens the table).
"""

from __future__ import annotations

from extractor.extract.context import Context
from extractor.extract.numbers import find_count_percents
from extractor.extract.tables import Cell, arms
from extractor.nlp.rules import regex
from extractor.records import Table

REACH = 600  # characters above the first row searched for the header lines


def layout_columns(ctx: Context, table: Table, cells: list[Cell]) -> dict[int, str | None]:
    """Column index → arm id read from "(n = N)" marks above the table, else {}."""
    rows = [r for r in table.rows if any(c.strip() for c in r.cells)]
    if not rows or rows[0].start is None or len(arms(ctx)) < 2:
        return {}
    cols = sorted({c.col for c in cells if find_count_percents(c.text)})
    above = ctx.text[max(0, rows[0].start - REACH) : rows[0].start]
    caps = list(regex("adverse", "adverse.inline_caption").finditer(above))
    above = above[caps[-1].end() :] if caps else above
    sizes = [int(m["n"].replace(",", "")) for m in regex("adverse", "adverse.layout_header_n").finditer(above)]
    if not cols or len(sizes) != len(cols):
        return {}
    out: dict[int, str | None] = {}
    for col, n in zip(cols, sizes):
        hits = [a.id for a in arms(ctx) if getattr(a, "n", None) == n]
        if len(hits) != 1 or hits[0] in out.values():
            return {}
        out[col] = hits[0]
    return out
