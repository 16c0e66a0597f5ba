"""Tables from pdfium's lines: the block of lines under a caption, cut into rows and cells.

Journal tables without ruling lines defeat pdfplumber's text strategy on many PDFs (it cuts
words between columns), and pdfplumber costs a full page parse. pdfium's lines already hold
a whole table row with real word spaces, so below a caption we take the lines that start
within the table's horizontal extent (the caption and the lines aligned with it, so a body
column beside a half-width table stays out) and end the block at the next caption, at prose
(a long one-cell line, or a justified line cut at every word), or at a wide vertical gap
after the data rows. Rows and cells are made by :mod:`rowcells`.

Every table records the body-text spans of the lines it was built from (``regions``), so the
flattened copy of the table in the page text can be told apart from prose.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from extractor.ingest.assemble import FoundTable
from extractor.ingest.clean import Run, union_boxes
from extractor.ingest.rowcells import Row, build_rows, cells_of, line_height, words_of
from extractor.nlp.rules import regex
from extractor.records import BBox

PROSE_MIN_WORDS = 9  # a one-cell line with this many words is prose, not a row
JUSTIFIED_MIN_CELLS = 4  # a line cut into this many word cells with no number is justified prose
JUSTIFIED_WORD_SHARE = 0.5
MIN_ROWS = 3
MAX_ROWS = 80
ROW_TOLERANCE_EM = 0.5  # lines whose tops differ by less than this share of their height are one row
ANCHOR_TOLERANCE = 8.0  # points: lines starting this close to the caption's left edge belong to the table
ANCHOR_LINES = 8  # how many lines under the caption decide the table's right edge
EDGE_SLACK = 2.0
END_GAP_EM = 2.2  # a vertical gap of this many line heights after data rows ends the table
END_FONT_GROWTH = 1.1  # a line in a font this much larger than the rows' ends the table (body text)
CAPTION_GAP_EM = 0.9  # a caption's next line follows within this share of a line height
CAPTION_FILL_SHARE = 0.75  # a caption this wide (share of the table) may wrap onto the next line


@dataclass(slots=True, frozen=True)
class PageLine:
    text: str
    bbox: BBox
    run: Run
    start: int = -1  # offset of the line in the body text (-1: not in the body)
    size: float = 0.0  # font size (0: unknown)


@dataclass(slots=True)
class _Block:
    run: Run
    bbox: BBox
    sources: list[PageLine] = field(default_factory=list)

    @property
    def size(self) -> float:
        return max(line.size for line in self.sources)



def _same_baseline(lines: Iterable[PageLine]) -> list[_Block]:
    """Merge lines that sit on one baseline (pdfium may give each cell its own line)."""
    merged: list[list[PageLine]] = []
    for line in lines:
        height = line.bbox[3] - line.bbox[1]
        if merged and abs(merged[-1][0].bbox[1] - line.bbox[1]) < ROW_TOLERANCE_EM * height:
            merged[-1].append(line)
        else:
            merged.append([line])
    out: list[_Block] = []
    for group in merged:
        group.sort(key=lambda line: line.bbox[0])
        run = Run()
        for k, line in enumerate(group):
            if k:
                run.add(" ")
            run.extend(line.run)
        out.append(_Block(run, union_boxes(line.bbox for line in group) or group[0].bbox, group))
    return out


def regions_of(lines: Iterable[PageLine]) -> list[tuple[int, int]]:
    """Body-text spans of ``lines``, adjacent lines (one newline apart) joined."""
    spans = sorted((line.start, line.start + len(line.text)) for line in lines if line.start >= 0)
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and start <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _x_range(caption: PageLine, below: Sequence[PageLine]) -> tuple[float, float]:
    """Left and right edge of the table: the caption and the first lines aligned with it."""
    anchored = [line for line in below[:ANCHOR_LINES] if abs(line.bbox[0] - caption.bbox[0]) <= ANCHOR_TOLERANCE]
    x0 = min([caption.bbox[0]] + [line.bbox[0] for line in anchored]) - EDGE_SLACK
    x1 = max([caption.bbox[2]] + [line.bbox[2] for line in anchored]) + EDGE_SLACK
    return x0, x1


def _is_prose(block: _Block) -> bool:
    words = words_of(block.run)
    cells = cells_of(words, line_height(block.run))
    if len(cells) == 1 and len(words) >= PROSE_MIN_WORDS:
        return True
    if len(cells) >= JUSTIFIED_MIN_CELLS and not any(ch.isdigit() for ch in block.run.text):
        single = sum(1 for c in cells if len(c.words) == 1 and c.text.isalpha() and c.text.islower())
        return single >= JUSTIFIED_WORD_SHARE * len(cells)
    return False


def _continues_caption(caption: PageLine, previous: BBox, block: _Block, x1: float) -> bool:
    """The caption's wrapped second line (one cell, right under it, aligned or lower-case)."""
    height = previous[3] - previous[1]
    if block.bbox[1] - previous[3] > CAPTION_GAP_EM * height:
        return False
    if len(cells_of(words_of(block.run), line_height(block.run))) != 1:
        return False
    aligned = abs(block.bbox[0] - caption.bbox[0]) <= EDGE_SLACK + 1
    wide = caption.bbox[2] - caption.bbox[0] >= CAPTION_FILL_SHARE * (x1 - caption.bbox[0])
    lower = bool(regex("ingest", "ingest.continuation_start").match(block.run.text.strip()))
    return wide and (aligned or lower)


def _is_data(block: _Block) -> bool:
    value = regex("ingest", "ingest.value_start")
    cells = cells_of(words_of(block.run), line_height(block.run))
    return len(cells) >= 2 and any(value.match(c.text) for c in cells[1:])


def _table_blocks(caption: PageLine, blocks: list[_Block], x1: float) -> tuple[list[_Block], list[_Block]]:
    """(caption continuation lines, table lines) from the blocks under the caption."""
    lead: list[_Block] = []
    rows: list[_Block] = []
    previous = caption.bbox
    heights: list[float] = []
    sizes: list[float] = []
    data_seen = False
    for block in blocks:
        if not rows and _continues_caption(caption, previous, block, x1):
            lead.append(block)
            previous = block.bbox
            continue
        height = block.bbox[3] - block.bbox[1]
        typical = sorted(heights)[len(heights) // 2] if heights else height
        size = sorted(sizes)[len(sizes) // 2] if sizes else 0.0
        if data_seen:
            if block.bbox[1] - previous[3] > END_GAP_EM * typical:
                break
            if size and block.size > END_FONT_GROWTH * size:
                break
        if _is_prose(block):
            break
        rows.append(block)
        data_seen = data_seen or _is_data(block)
        heights.append(height)
        sizes.append(block.size)
        previous = block.bbox
        if len(rows) >= MAX_ROWS:
            break
    return lead, rows


def _trim(rows: list[Row]) -> list[Row]:
    """Drop trailing rows without values (footnotes, the heading after the table)."""
    value = regex("ingest", "ingest.value_start")
    end = len(rows)
    while end and not (rows[end - 1].has_values if rows[end - 1].placed else any(value.match(c) for c in rows[end - 1].cells[1:])):
        end -= 1
    return rows[:end]


def table_below(
    caption: PageLine,
    label: str,
    lines: list[PageLine],
    page: int,
    page_width: float,
    stops: Sequence[float] = (),
) -> FoundTable | None:
    """Rows under ``caption``, or None when fewer than MIN_ROWS rows of two cells or more.

    ``stops`` are the tops of other captions on the page: the table ends at the next one."""
    bottom = min((top for top in stops if top > caption.bbox[1] + 1), default=float("inf"))
    below = sorted(
        (
            line
            for line in lines
            if line is not caption and caption.bbox[3] - 1 <= line.bbox[1] < bottom
        ),
        key=lambda line: (round(line.bbox[1]), line.bbox[0]),
    )
    x0, x1 = _x_range(caption, below)
    inside = [line for line in below if x0 <= line.bbox[0] < x1 - EDGE_SLACK]
    lead, blocks = _table_blocks(caption, _same_baseline(inside), x1)
    rows = _trim(build_rows([block.run for block in blocks]))
    if sum(1 for r in rows if sum(1 for c in r.cells if c) >= 2) < MIN_ROWS:
        return None
    used = [line for row in rows for i in row.lines for line in blocks[i].sources]
    row_boxes = [union_boxes(blocks[i].bbox for i in row.lines) for row in rows]
    caption_text = " ".join([caption.text] + [block.run.text.strip() for block in lead])
    return FoundTable(
        rows=[row.cells for row in rows],
        source="pdfium-lines",
        caption=caption_text,
        label=label,
        page=page,
        bbox=union_boxes(row_boxes),
        row_bboxes=row_boxes,
        cell_bboxes=[row.boxes for row in rows],
        regions=regions_of([caption] + [line for block in lead for line in block.sources] + used),
    )
