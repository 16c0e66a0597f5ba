"""Fallback table rows from pdfium's lines when pdfplumber finds no table under a caption.

Journal tables without ruling lines defeat pdfplumber's text strategy on many PDFs (it cuts
words between columns). pdfium's lines already hold a whole table row with real word spaces,
so below a caption we take the following lines of the caption's column and cut each into
cells at horizontal gaps wider than a cell gap (a multiple of the font height). The block
ends at the first prose line (one wide cell of many words) once rows have been seen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from extractor.ingest.assemble import FoundTable
from extractor.ingest.clean import Run
from extractor.records import BBox

CELL_GAP_EM = 1.4  # a horizontal gap of this many font heights separates two cells
PROSE_MIN_WORDS = 9  # a one-cell line with this many words is prose, not a row
MIN_ROWS = 3
MAX_ROWS = 80
MAX_PROSE_SHARE = 0.25
ROW_TOLERANCE_EM = 0.5  # lines whose tops differ by less than this share of their height are one row


@dataclass(slots=True, frozen=True)
class PageLine:
    text: str
    bbox: BBox
    run: Run


def _cells(run: Run) -> tuple[list[str], list[BBox | None]]:
    heights = sorted(b[3] - b[1] for b in run.boxes if b is not None)
    if not heights:
        return [run.text.strip()], [None]
    gap_min = CELL_GAP_EM * heights[len(heights) // 2]
    cells: list[str] = []
    boxes: list[BBox | None] = []
    current: list[tuple[str, BBox | None]] = []
    last: BBox | None = None
    for ch, box in zip(run.chars, run.boxes):
        if box is not None and last is not None and box[0] - last[2] >= gap_min and current:
            cells.append("".join(c for c, _ in current).strip())
            boxes.append(_union([b for _, b in current]))
            current = []
        current.append((ch, box))
        if box is not None:
            last = box
    if current:
        cells.append("".join(c for c, _ in current).strip())
        boxes.append(_union([b for _, b in current]))
    return cells, boxes


def _union(boxes: list[BBox | None]) -> BBox | None:
    real = [b for b in boxes if b is not None]
    if not real:
        return None
    return (min(b[0] for b in real), min(b[1] for b in real), max(b[2] for b in real), max(b[3] for b in real))


def _same_baseline(lines: Iterable[PageLine]) -> list[PageLine]:
    """Merge lines that sit on one baseline (pdfium may give each cell its own line)."""
    merged: list[list[PageLine]] = []
    for line in lines:
        height = line.bbox[3] - line.bbox[1]
        if merged and abs(merged[-1][0].bbox[1] - line.bbox[1]) < ROW_TOLERANCE_EM * height:
            merged[-1].append(line)
        else:
            merged.append([line])
    out: list[PageLine] = []
    for group in merged:
        group.sort(key=lambda line: line.bbox[0])
        run = Run()
        for k, line in enumerate(group):
            if k:
                run.add(" ")
            run.extend(line.run)
        out.append(PageLine(run.text, _union([line.bbox for line in group]) or group[0].bbox, run))
    return out


def _prose_share(rows: list[list[str]]) -> float:
    """Share of cells that are one lower-case word: justified prose cut at wide spaces."""
    cells = [c for row in rows if len(row) > 1 for c in row]
    if not cells:
        return 0.0
    return sum(1 for c in cells if c.isalpha() and c.islower()) / len(cells)


def table_below(
    caption: PageLine, label: str, lines: list[PageLine], page: int, page_width: float
) -> FoundTable | None:
    """Rows under ``caption`` in its column, or None when fewer than MIN_ROWS rows."""
    mid = page_width / 2
    x0, x1 = 0.0, page_width
    if caption.bbox[2] <= mid:
        x1 = mid
    elif caption.bbox[0] >= mid and caption.bbox[2] - caption.bbox[0] < mid:
        x0 = mid
    below = sorted(
        (line for line in lines if line.bbox[1] >= caption.bbox[3] - 1 and line.bbox[0] >= x0 - 2 and line.bbox[2] <= x1 + 2),
        key=lambda line: (round(line.bbox[1]), line.bbox[0]),
    )
    rows: list[list[str]] = []
    row_boxes: list[BBox | None] = []
    cell_boxes: list[list[BBox | None]] = []
    for line in _same_baseline(line for line in below if line is not caption):
        cells, boxes = _cells(line.run)
        if len(cells) == 1 and len(cells[0].split()) >= PROSE_MIN_WORDS and len(rows) >= 1:
            break
        rows.append(cells)
        row_boxes.append(line.bbox)
        cell_boxes.append(boxes)
        if len(rows) >= MAX_ROWS:
            break
    if sum(1 for r in rows if len(r) >= 2) < MIN_ROWS or _prose_share(rows) > MAX_PROSE_SHARE:
        return None
    return FoundTable(
        rows=rows,
        source="pdfium-lines",
        caption=caption.text,
        label=label,
        page=page,
        bbox=_union(row_boxes),
        row_bboxes=row_boxes,
        cell_bboxes=cell_boxes,
    )
