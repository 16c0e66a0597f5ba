"""Tables of a PDF with pdfplumber, run only on pages that look like they hold one.

A page is a table page when a line starts with a caption ("Table 2", "TABLE I") or when
several lines are mostly numbers. On such pages pdfplumber's ruling-line strategy is tried
first; when it finds nothing, the text strategy is run on the region under each caption
(in the caption's column), and its result is kept only if it is table-like (enough rows,
columns and numeric cells), since the text strategy also "finds" tables in prose.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pdfplumber

from extractor.ingest.assemble import FoundTable
from extractor.ingest.linetables import PageLine, table_below
from extractor.nlp.rules import regex
from extractor.records import BBox

NUMERIC_LINE_MIN_TOKENS = 3
NUMERIC_LINES_FOR_TABLE = 4
MIN_ROWS = 2
MIN_COLS = 2
TEXT_STRATEGY_MIN_ROWS = 3
TEXT_STRATEGY_MIN_NUMERIC_SHARE = 0.2
MAX_LINES_PER_CELL = 2.5
GLUED_WORD_CHARS = 24
TEXT_STRATEGY_MAX_CUT_WORDS = 0.05  # more cell boundaries inside words: the columns are wrong
CAPTION_SEARCH_BELOW = 2  # a ruled table's caption is one of the lines just above it, or below
TEXT_SETTINGS = {"vertical_strategy": "text", "horizontal_strategy": "text"}


def caption_match(line: str) -> str | None:
    """'Table 2' for a caption line, else None."""
    m = regex("ingest", "ingest.table_caption").match(line)
    return f"Table {m.group(2)}" if m else None


def looks_like_table_page(lines: Sequence[str]) -> bool:
    """A caption line, or several lines made mostly of numbers."""
    numeric = regex("ingest", "ingest.numeric_token")
    if any(caption_match(line) for line in lines):
        return True
    dense = sum(1 for line in lines if len(numeric.findall(line)) >= NUMERIC_LINE_MIN_TOKENS)
    return dense >= NUMERIC_LINES_FOR_TABLE


def _numeric_share(rows: list[list[str | None]]) -> float:
    numeric = regex("ingest", "ingest.numeric_token")
    cells = [c for row in rows for c in row if c and c.strip()]
    if not cells:
        return 0.0
    return sum(1 for c in cells if numeric.search(c)) / len(cells)


def _shape_ok(rows: list[list[str | None]], min_rows: int) -> bool:
    filled = [r for r in rows if sum(1 for c in r if c and c.strip()) >= 1]
    width = max((sum(1 for c in r if c and c.strip()) for r in rows), default=0)
    return len(filled) >= min_rows and width >= MIN_COLS


def _caption_for(bbox: BBox, captions: list[tuple[str, str, BBox]]) -> tuple[str, str]:
    """The nearest caption line above the table (or just below it), same horizontal span."""
    best: tuple[float, str, str] | None = None
    for text, label, cbox in captions:
        overlaps = cbox[0] < bbox[2] and cbox[2] > bbox[0]
        if not overlaps:
            continue
        distance = bbox[1] - cbox[3] if cbox[3] <= bbox[1] + 2 else (cbox[1] - bbox[3]) * CAPTION_SEARCH_BELOW
        if distance < 0:
            continue
        if best is None or distance < best[0]:
            best = (distance, text, label)
    return (best[1], best[2]) if best else ("", "")


def _found(table: Any, page_number: int, captions: list[tuple[str, str, BBox]]) -> FoundTable:
    rows: list[list[str | None]] = table.extract()
    caption, label = _caption_for(table.bbox, captions)
    row_boxes: list[BBox | None] = [tuple(r.bbox) if r.bbox else None for r in table.rows]
    cell_boxes = [[tuple(c) if c else None for c in r.cells] for r in table.rows]
    return FoundTable(
        rows=[[c or "" for c in row] for row in rows],
        source="pdfplumber",
        caption=caption,
        label=label,
        page=page_number,
        bbox=tuple(round(v, 2) for v in table.bbox),  # type: ignore[arg-type]
        row_bboxes=row_boxes,
        cell_bboxes=cell_boxes,  # type: ignore[arg-type]
    )


def _cut_word_share(rows: list[list[str | None]]) -> float:
    """Share of cell boundaries that fall inside a word ("Demographics a" | "nd ...")."""
    boundaries = cut = 0
    for row in rows:
        cells = [c for c in row if c]
        for left, right in zip(cells, cells[1:]):
            boundaries += 1
            if left[-1].isalpha() and right[0].islower():
                cut += 1
    return cut / boundaries if boundaries else 1.0


def _glued_words(rows: list[list[str | None]]) -> bool:
    """Words run together ("Demographicsandcharacteristics"): pdfplumber lost the spaces."""
    return any(len(word) > GLUED_WORD_CHARS for row in rows for c in row if c for word in c.split())


def _lines_per_cell(rows: list[list[str | None]]) -> float:
    """Mean lines per filled cell: a whole column of values in one cell means missing rules."""
    cells = [c for row in rows for c in row if c and c.strip()]
    return sum(c.count("\n") + 1 for c in cells) / len(cells) if cells else 0.0


def _page_tables(page: Any, number: int, lines: list[PageLine]) -> list[FoundTable]:
    captions = [(line.text, label, line.bbox) for line in lines if (label := caption_match(line.text))]
    found = [
        t
        for t in page.find_tables()
        if _shape_ok(rows := t.extract(), MIN_ROWS)
        and _cut_word_share(rows) <= TEXT_STRATEGY_MAX_CUT_WORDS
        and _lines_per_cell(rows) <= MAX_LINES_PER_CELL
    ]
    if found:
        return [_found(t, number, captions) for t in found]
    out: list[FoundTable] = []
    mid = page.width / 2
    for i, (_, label, cbox) in enumerate(captions):
        x0, x1 = (0.0, page.width)
        if cbox[2] <= mid:
            x1 = mid
        elif cbox[0] >= mid:
            x0 = mid
        below = [c[2][1] for c in captions[i + 1 :] if c[2][1] > cbox[3]]
        bottom = min(below) if below else page.height
        if bottom - cbox[3] < 1:
            continue
        region = page.crop((x0, cbox[3], x1, bottom), strict=False)
        good = [
            table
            for table in region.find_tables(TEXT_SETTINGS)
            if _shape_ok(rows := table.extract(), TEXT_STRATEGY_MIN_ROWS)
            and _numeric_share(rows) >= TEXT_STRATEGY_MIN_NUMERIC_SHARE
            and _cut_word_share(rows) <= TEXT_STRATEGY_MAX_CUT_WORDS
            and not _glued_words(rows)
        ]
        out.extend(_found(t, number, captions) for t in good)
        if not good:
            caption_line = next(line for line in lines if line.bbox == cbox)
            fallback = table_below(caption_line, label, lines, number, page.width)
            if fallback is not None:
                out.append(fallback)
    return out


def find_tables(
    path: Path,
    candidates: dict[int, list[PageLine]],
    password: str | None = None,
) -> list[FoundTable]:
    """Tables of the candidate pages; ``candidates`` maps a 1-based page to its lines."""
    if not candidates:
        return []
    out: list[FoundTable] = []
    with pdfplumber.open(path, password=password or "") as pdf:
        for number in sorted(candidates):
            out.extend(_page_tables(pdf.pages[number - 1], number, candidates[number]))
    return out
