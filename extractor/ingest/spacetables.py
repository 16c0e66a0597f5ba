"""Plain-text tables aligned with spaces (``pdftotext -layout`` output, typed tables).

A block is a run of lines whose cells lie 2+ spaces apart (each cell short), possibly with
ruling lines (``-----``, dropped) and short one-cell lines between them: a label wrapped onto
the next line ("Time since diagnosis," / "  years, median (IQR)") or a group label over
indented rows ("Complete renal response, n/N (%)" over "Week 52  22/63 (34.9)"). A block
without a caption needs SPACE_MIN_ROWS such lines, under a "Table ..." caption (or a header
line) SPACE_MIN_CAPTIONED, and at least half of them must hold a number after their label.

Rows are made by :mod:`rowcells` as for PDF lines, with each character's column as its x:
value columns from the data lines, header lines merged (a group header spanning two columns,
"Rituximab (n = 75)" over "Entry  52 weeks", stays a row of its own), wrapped labels joined,
a cell that runs into the next column over one space ("0.68 (0.22) 0.94 (0.20)") cut at the
column. Footnote marks glued to values ("22/63 (34.9)a", "4 (6.3)†") are dropped.
"""

from __future__ import annotations

from extractor.ingest.clean import Run
from extractor.ingest.rowcells import Row, build_rows
from extractor.nlp.rules import regex

SPACE_MIN_ROWS = 3  # a space-aligned table without caption needs this many lines ...
SPACE_MIN_CAPTIONED = 2  # ... and this many under a "Table ..." caption line
SPACE_CELL_MAX = 80  # a longer "cell" is prose (two spaces after a full stop), not a table cell
SPACE_NUMERIC_SHARE = 0.5  # at least this share of the rows hold a number after their label
SPACE_CAPTION_LOOKBACK = 3  # lines (blank ones included) between a caption and its table
SINGLE_MAX = 60  # a one-cell line inside a table (wrapped or group label) is at most this long
SINGLE_RUN_MAX = 3  # one-cell lines in a row inside a table
TAB_SIZE = 8
HEADER_LINES_MAX = 2  # one-cell header lines taken in above a table's first row
HEADER_INDENT_MIN = 10  # ... indented at least this far (a group header, not prose)
COLUMN_SLACK = 2.0  # characters: a cell starting this far left of a column still starts in it


def space_cells(line: str) -> list[tuple[int, str]]:
    """(offset, text) of the cells of a line of a space-aligned table; an indented line (the
    header above the label column) starts with an empty cell."""
    gap = regex("ingest", "ingest.space_cell_gap")
    line = line.rstrip()
    cells: list[tuple[int, str]] = []
    pos = 0
    for m in gap.finditer(line):
        if m.start() > pos:
            cells.append((pos, line[pos : m.start()].strip()))
        elif m.start() == 0:
            cells.append((0, ""))
        pos = m.end()
    if pos < len(line):
        cells.append((pos, line[pos:].strip()))
    return cells


def _space_row(line: str) -> bool:
    cells = space_cells(line)
    filled = [c for _, c in cells if c]
    return len(filled) >= 2 and len(cells) >= 2 and all(len(c) <= SPACE_CELL_MAX for c in filled)


def _numeric_row(line: str) -> bool:
    """A cell after the label starts with a number and holds no long word ("49 allocated to
    drug A" is a box of a flow diagram)."""
    start = regex("ingest", "ingest.value_start")
    words = regex("ingest", "ingest.space_value_words")
    return any(start.match(c) and not words.search(c) for _, c in space_cells(line)[1:])


def _caption(line: str) -> bool:
    """"Table 1  Individual patient data": the caption, not the table's first row."""
    return bool(regex("ingest", "ingest.table_caption").match(line))


def _rule(line: str) -> bool:
    return bool(regex("ingest", "ingest.space_rule").match(line))


def _single(line: str) -> bool:
    """A short one-cell line: a wrapped or group label inside a table (not a sentence's end)."""
    filled = [c for _, c in space_cells(line) if c]
    return len(filled) == 1 and len(filled[0]) <= SINGLE_MAX and not filled[0].endswith(".")


def _space_captioned(lines: list[str], first: int) -> bool:
    caption = regex("ingest", "ingest.space_table_caption")
    bare = regex("ingest", "ingest.bare_caption")
    for k in range(first - 1, max(first - 1 - SPACE_CAPTION_LOOKBACK, -1), -1):
        if lines[k].strip():
            if k > 0 and bare.match(lines[k - 1]) and not _space_row(lines[k]):
                return True  # "Table 2." over its title line
            return bool(caption.match(lines[k])) or (_space_row(lines[k]) and not _numeric_row(lines[k]) and k == first - 1)
    return False


def _block_end(lines: list[str], i: int, taken: set[int]) -> int:
    """End of the block starting at row line ``i``: rows and rules, and short one-cell lines
    followed by a row; it ends on a row line (or on an indented line ending the last label)."""
    end = j = i + 1
    singles = 0
    while j < len(lines) and j not in taken:
        line = lines[j]
        if _caption(line):
            break
        if _space_row(line):
            end, singles = j + 1, 0
        elif _rule(line):
            pass
        elif not line.strip() and singles == 0 and j == end and j + 1 < len(lines) and j + 1 not in taken \
                and _aligned(lines[end - 1], lines[j + 1]):
            pass  # a blank line between two rows of the same columns (double-spaced rows)
        elif _single(line) and singles < SINGLE_RUN_MAX:
            singles += 1
        else:
            break
        j += 1
    if end < len(lines) and end not in taken and _wraps_label(lines[end - 1], lines[end]) \
            and (end + 1 == len(lines) or not lines[end + 1].strip()):
        end += 1  # the last row's label wrapped onto an indented line
    return end


def _wraps_label(row: str, line: str) -> bool:
    """``line`` (indented under ``row``) ends ``row``'s label cut after a comma, slash or
    linking word ("Doubling of creatinine," / "n (%)"); a footnote under the table does not."""
    label = next((text for _, text in space_cells(row) if text), "")
    cut = regex("ingest", "ingest.label_continues")
    return _single(line) and _indent(line) > _indent(row) and bool(label) and bool(cut.search(label))


def _aligned(upper: str, lower: str) -> bool:
    """Two row lines with the same value columns: as many cells after the label, each
    overlapping the one above; the lower one holds a number."""
    a = [(pos, pos + len(text)) for pos, text in space_cells(upper) if text]
    b = [(pos, pos + len(text)) for pos, text in space_cells(lower) if text]
    if not _space_row(lower) or not _numeric_row(lower) or len(b) < 2 or len(a) not in (len(b), len(b) - 1):
        return False
    return all(x0 < y1 and y0 < x1 for (x0, x1), (y0, y1) in zip(a[len(a) - len(b) + 1 :], b[1:]))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def space_blocks(lines: list[str], taken: set[int]) -> list[tuple[int, int, str]]:
    """(first line, end line, "space") of each space-aligned table block."""
    blocks = []
    i = floor = 0
    while i < len(lines):
        if i in taken or not _space_row(lines[i]) or _caption(lines[i]):
            i += 1
            continue
        j = _block_end(lines, i, taken)
        first = _block_start(lines, i, taken, floor)
        rows = [line for line in lines[i:j] if _space_row(line)]
        numeric = sum(_numeric_row(line) for line in rows)
        need = SPACE_MIN_CAPTIONED if _space_captioned(lines, first) else SPACE_MIN_ROWS
        if len(rows) >= need and numeric >= 1 and numeric >= SPACE_NUMERIC_SHARE * (len(rows) - 1):
            blocks.append((first, j, "space"))
            floor = j
        i = j
    return blocks


def _block_start(lines: list[str], i: int, taken: set[int], floor: int) -> int:
    """First line of the block whose first row is ``i``: one-cell lines right above it,
    indented past its first cell (a header over the arm columns: "Treatment group")."""
    start = i
    while start > floor and i - start < HEADER_LINES_MAX and start - 1 not in taken:
        line = lines[start - 1]
        if not _single(line) or _caption(line) or _indent(line) < HEADER_INDENT_MIN or _indent(line) <= _indent(lines[i]):
            break
        start -= 1
    return start


def _line_run(line: str, y: int) -> Run:
    """A line as a Run whose boxes are character columns (one unit wide, one unit high)."""
    return Run(list(line), [None if ch.isspace() else (float(k), float(y), k + 1.0, y + 1.0) for k, ch in enumerate(line)])


def _drop_marks(cells: list[str]) -> list[str]:
    """Footnote marks glued to a value ("22/63 (34.9)a", "4 (6.3)†") dropped; labels kept."""
    value = regex("ingest", "ingest.value_start")
    mark = regex("ingest", "ingest.value_footnote_mark")
    return [c if k == 0 or not value.match(c) else mark.sub("", c) for k, c in enumerate(cells)]


def _columns(block: list[str]) -> list[list[str]]:
    """Fallback when no value columns are found: each line's cells placed in the columns of
    its widest lines (a row with fewer cells puts each cell under the nearest column)."""
    rows = [space_cells(line) for line in block]
    width = max(len(r) for r in rows)
    anchors = [[r[j][0] for r in rows if len(r) == width] for j in range(width)]
    starts = [sum(a) / len(a) for a in anchors]
    out = []
    for r in rows:
        if len(r) == width:
            out.append([c for _, c in r])
            continue
        cells = [""] * width
        col = 0
        for k, (pos, text) in enumerate(r):
            if k == 0 and pos == 0:
                cells[0], col = text, 1
                continue
            best = min(range(col, width), key=lambda j: abs(starts[j] - pos)) if col < width else width - 1
            best = min(best, width - (len(r) - k))  # leave a column for every cell still to place
            best = max(best, col)
            cells[best] = (cells[best] + " " + text).strip()
            col = best + 1
        out.append(cells)
    return out


def _spread(rows: list[Row]) -> list[list[str]]:
    """Cells of each row, one per column: a line whose cell spans columns (a group header
    "Rituximab (n = 75)" over "Entry" and "52 weeks") puts each cell in the column it starts
    in and leaves the spanned columns empty, as a merged header cell of a markdown table."""
    width = max(len(r.cells) for r in rows if r.placed)
    starts = [min((r.boxes[k][0] for r in rows if r.placed and r.boxes[k] is not None), default=float("inf"))
              for k in range(width)]
    out = []
    for r in rows:
        if r.placed or len(r.cells) > width or any(b is None for b in r.boxes):
            out.append(list(r.cells))
            continue
        cells = [""] * width
        col = 0
        for k, (text, box) in enumerate(zip(r.cells, r.boxes)):
            assert box is not None
            zone = 0 if k == 0 and box[0] < starts[1] - COLUMN_SLACK else max(
                j for j in range(width) if j == 0 or starts[j] <= box[0] + COLUMN_SLACK)
            zone = min(max(zone, col), width - (len(r.cells) - k))  # keep a column for each cell left
            cells[zone] = text
            col = zone + 1
        out.append(cells)
    return out


def space_rows(block: list[str]) -> list[list[str]]:
    """Cells of the rows of a space-aligned block (ruling lines dropped, wrapped lines joined)."""
    lines = [line.expandtabs(TAB_SIZE).rstrip() for line in block if not _rule(line)]
    rows = [r for r in build_rows([_line_run(line, y) for y, line in enumerate(lines)], widest=True) if any(r.cells)]
    if any(r.placed for r in rows):
        return [_drop_marks(cells) for cells in _spread(rows)]
    tabular = [line for line in lines if _space_row(line)]
    return [_drop_marks(cells) for cells in _columns(tabular)]
