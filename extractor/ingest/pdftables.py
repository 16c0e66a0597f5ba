"""Tables of a PDF: pdfium's lines first, pdfplumber only under a ruled grid.

A page holds a table when a line starts with a caption ("Table 2 Baseline ...", "TABLE I"),
not when the text mentions one ("shown in Table 1", "(Table 2)"). Under each caption the rows
are built from pdfium's lines (:mod:`linetables`), which costs nothing more than the text
already read. pdfplumber (a full pdfminer parse of the page, the slow part of ingestion) is
opened once per file and only for the pages where a grid of ruling lines (vertical and
horizontal segments, from pdfium's path objects) sits under a caption, or where a caption-less
block of numeric lines lies on such a grid; its ruling-line strategy is what it does best.
When pdfplumber finds no acceptable table there, the line rows are used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractor.ingest.assemble import FoundTable
from extractor.ingest.linetables import PageLine, regions_of, table_below
from extractor.nlp.rules import regex
from extractor.records import BBox

NUMERIC_LINE_MIN_TOKENS = 3
NUMERIC_LINES_FOR_TABLE = 4  # consecutive lines of numbers make a (caption-less) table block
MIN_ROWS = 2
MIN_COLS = 2
MAX_LINES_PER_CELL = 2.5
TEXT_STRATEGY_MAX_CUT_WORDS = 0.05  # more cell boundaries inside words: the columns are wrong
CAPTION_SEARCH_BELOW = 2  # a ruled table's caption is one of the lines just above it, or below
RULE_MAX_THICKNESS = 3.0  # points: a path this thin is a ruling line
RULE_MIN_LENGTH = 8.0
RULE_MAX_PAGE_SHARE = 0.6  # longer vertical rules are page frames or column separators
GRID_MIN_RULES = 2  # horizontal rules needed under a caption to call it a grid
EDGE_TOUCH = 3.0  # points: a horizontal rule ending this close to a vertical one meets it
GRID_MIN_SEPARATORS = 1  # vertical rules strictly inside a horizontal rule (column separators)
GRID_ABOVE_CAPTION = 40.0  # points: a grid may start a little above its caption's baseline


@dataclass(slots=True)
class TablePage:
    """What table finding needs to know about one page."""

    number: int
    width: float
    height: float
    lines: list[PageLine]
    rules: list[BBox] = field(default_factory=list)


def caption_match(line: str) -> str | None:
    """'Table 2' for a caption line, else None."""
    m = regex("ingest", "ingest.table_caption").match(line)
    return f"Table {m.group(2)}" if m else None


def numeric_block(lines: Sequence[str]) -> bool:
    """NUMERIC_LINES_FOR_TABLE consecutive lines with several numbers each."""
    numeric = regex("ingest", "ingest.numeric_token")
    run = 0
    for line in lines:
        run = run + 1 if len(numeric.findall(line)) >= NUMERIC_LINE_MIN_TOKENS else 0
        if run >= NUMERIC_LINES_FOR_TABLE:
            return True
    return False


def looks_like_table_page(lines: Sequence[str]) -> bool:
    """A caption line, or a block of lines made of numbers."""
    return any(caption_match(line) for line in lines) or numeric_block(lines)


def ruling_lines(page: pdfium.PdfPage, height: float) -> list[BBox]:
    """Thin horizontal and vertical path objects on a page (top-left origin); crop marks and
    other paths outside the page box are left out."""
    width = page.get_width()
    out: list[BBox] = []
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=3):
        left, bottom, right, top = obj.get_bounds()
        if left < 0 or bottom < 0 or right > width or top > height:
            continue
        w, h = right - left, top - bottom
        if (h <= RULE_MAX_THICKNESS and w >= RULE_MIN_LENGTH) or (w <= RULE_MAX_THICKNESS and h >= RULE_MIN_LENGTH):
            out.append((left, height - top, right, height - bottom))
    return out


def _separator(v: BBox, flat: list[BBox]) -> bool:
    """A vertical rule with horizontal rules running off it to both sides (not a frame side)."""
    x = (v[0] + v[2]) / 2
    touching = [h for h in flat if v[1] - 1 <= h[1] <= v[3] + 1 and h[0] - EDGE_TOUCH <= x <= h[2] + EDGE_TOUCH]
    return any(h[0] < x - RULE_MIN_LENGTH for h in touching) and any(h[2] > x + RULE_MIN_LENGTH for h in touching)


def _grid_between(rules: list[BBox], top: float, bottom: float, height: float) -> bool:
    """Horizontal rules and a column separator between ``top`` and ``bottom``: a ruled grid,
    pdfplumber's strength."""
    inside = [r for r in rules if r[3] >= top and r[1] <= bottom]
    flat = [r for r in inside if r[3] - r[1] <= RULE_MAX_THICKNESS]
    upright = [r for r in inside if RULE_MIN_LENGTH <= r[3] - r[1] <= RULE_MAX_PAGE_SHARE * height]
    separators = sum(1 for v in upright if _separator(v, flat))
    return len(flat) >= GRID_MIN_RULES and separators >= GRID_MIN_SEPARATORS


def _shape_ok(rows: list[list[str | None]], min_rows: int) -> bool:
    filled = [r for r in rows if sum(1 for c in r if c and c.strip()) >= 1]
    width = max((sum(1 for c in r if c and c.strip()) for r in rows), default=0)
    return len(filled) >= min_rows and width >= MIN_COLS


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


def _lines_per_cell(rows: list[list[str | None]]) -> float:
    """Mean lines per filled cell: a whole column of values in one cell means missing rules."""
    cells = [c for row in rows for c in row if c and c.strip()]
    return sum(c.count("\n") + 1 for c in cells) / len(cells) if cells else 0.0


def _caption_for(bbox: BBox, captions: list[tuple[PageLine, str]]) -> tuple[PageLine, str] | None:
    """The nearest caption line above the table (or just below it), same horizontal span."""
    best: tuple[float, PageLine, str] | None = None
    for line, label in captions:
        cbox = line.bbox
        if not (cbox[0] < bbox[2] and cbox[2] > bbox[0]):
            continue
        distance = bbox[1] - cbox[3] if cbox[3] <= bbox[1] + 2 else (cbox[1] - bbox[3]) * CAPTION_SEARCH_BELOW
        if distance < 0:
            continue
        if best is None or distance < best[0]:
            best = (distance, line, label)
    return (best[1], best[2]) if best else None


def _inside(line: PageLine, bbox: BBox) -> bool:
    x, y = (line.bbox[0] + line.bbox[2]) / 2, (line.bbox[1] + line.bbox[3]) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def _plumber_tables(plumber_page: Any, page: TablePage, captions: list[tuple[PageLine, str]]) -> list[FoundTable]:
    out: list[FoundTable] = []
    for table in plumber_page.find_tables():
        rows: list[list[str | None]] = table.extract()
        if not (
            _shape_ok(rows, MIN_ROWS)
            and _cut_word_share(rows) <= TEXT_STRATEGY_MAX_CUT_WORDS
            and _lines_per_cell(rows) <= MAX_LINES_PER_CELL
        ):
            continue
        bbox: BBox = tuple(round(v, 2) for v in table.bbox)  # type: ignore[assignment]
        match = _caption_for(bbox, captions)
        caption, label = (match[0].text, match[1]) if match else ("", "")
        used = [line for line in page.lines if _inside(line, bbox)] + ([match[0]] if match else [])
        out.append(
            FoundTable(
                rows=[[c or "" for c in row] for row in rows],
                source="pdfplumber",
                caption=caption,
                label=label,
                page=page.number,
                bbox=bbox,
                row_bboxes=[tuple(r.bbox) if r.bbox else None for r in table.rows],  # type: ignore[misc]
                cell_bboxes=[[tuple(c) if c else None for c in r.cells] for r in table.rows],  # type: ignore[misc]
                regions=regions_of(used),
            )
        )
    return out


class _Plumber:
    """pdfplumber opened at most once per file, and only when a page needs it."""

    def __init__(self, path: Path, password: str | None) -> None:
        self.path, self.password, self.pdf = path, password, None

    def page(self, number: int) -> Any:
        if self.pdf is None:
            self.pdf = pdfplumber.open(self.path, password=self.password or "")
        return self.pdf.pages[number - 1]

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()


def _page_tables(page: TablePage, plumber: _Plumber) -> list[FoundTable]:
    captions = [(line, label) for line in page.lines if (label := caption_match(line.text))]
    tops = [line.bbox[1] for line, _ in captions]
    grid = False
    for line, _ in captions:
        bottom = min((t for t in tops if t > line.bbox[1] + 1), default=page.height)
        grid = grid or _grid_between(page.rules, line.bbox[1] - GRID_ABOVE_CAPTION, bottom, page.height)
    if not captions and page.rules and numeric_block([line.text for line in page.lines]):
        grid = _grid_between(page.rules, 0.0, page.height, page.height)
    out: list[FoundTable] = []
    if grid:
        plumber_page = plumber.page(page.number)
        try:
            out = _plumber_tables(plumber_page, page, captions)
        finally:
            plumber_page.close()  # its parsed objects are not needed again: free them before the next page
    claimed = {id(line) for t in out for line, _ in captions if t.caption == line.text}
    for line, label in captions:
        if id(line) in claimed:
            continue
        found = table_below(line, label, page.lines, page.number, page.width, tops)
        if found is not None:
            out.append(found)
    return out


def find_tables(path: Path, pages: list[TablePage], password: str | None = None) -> list[FoundTable]:
    """Tables of the candidate pages, in page order."""
    plumber = _Plumber(path, password)
    out: list[FoundTable] = []
    try:
        for page in sorted(pages, key=lambda p: p.number):
            out.extend(_page_tables(page, plumber))
    finally:
        plumber.close()
    return out
