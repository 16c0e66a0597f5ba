"""Table rows from the lines of a table block: words, cells, columns, headers, wrapped labels.

Input is the block's lines in reading order (each a Run with character boxes). A line is cut
into words at spaces, and words into cells at gaps wider than a cell gap. The value columns
are the x-intervals of the cells of the "data" lines (a label, then cells starting with a
number) that have the most common cell count. With the columns known:

* a cell that runs a label into a number with a narrow gap is cut at the column boundary;
* each line's cells are placed in their columns (rows get one cell per column, "" when empty),
  unless a cell spans columns (a group header over two arms): such a line keeps its cells;
* the header lines (before the first data line) that only continue cells of the line above
  ("Voclosporin (n =" / "179)", "Mycophenolate" / "mofetil (N=71)") are merged into one row;
* body lines that continue a wrapped label ("Urinary protein, g/24 h," / "median (IQR)") are
  joined to it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from extractor.ingest.clean import Run, union_boxes
from extractor.nlp.rules import regex
from extractor.records import BBox

CELL_GAP_EM = 1.4  # a horizontal gap of this many font heights separates two cells
WORD_GAP_EM = 0.8  # pdfium writes a space between words; a wider unspaced gap also separates them
COLUMN_TOLERANCE = 2.0  # points
SPAN_MIN_OVERLAP = 3.0  # a cell reaching this far over a column boundary spans the columns
HEADER_GAP_SPACES = 1.5  # a header cell is cut at a column boundary only in a gap this many spaces wide
WIDEST_MIN_LINES = 2  # data lines needed for their cell count to set the columns (``widest`` mode)


@dataclass(slots=True)
class Word:
    text: str
    x0: float
    x1: float
    box: BBox


@dataclass(slots=True)
class Cell:
    words: list[Word]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def box(self) -> BBox:
        return union_boxes([w.box for w in self.words])  # type: ignore[return-value]


@dataclass(slots=True)
class Row:
    """One output row: its cells' texts and boxes, the source lines it was built from."""

    cells: list[str]
    boxes: list[BBox | None]
    lines: list[int] = field(default_factory=list)  # indexes into the block's lines
    placed: bool = False  # one cell per column

    @property
    def label_only(self) -> bool:
        return self.placed and bool(self.cells[0]) and not any(self.cells[1:])

    @property
    def has_values(self) -> bool:
        return any(self.cells[1:])



def line_height(run: Run) -> float:
    heights = sorted(b[3] - b[1] for b in run.boxes if b is not None)
    return heights[len(heights) // 2] if heights else 0.0


def words_of(run: Run) -> list[Word]:
    """Words of a line: runs of boxed characters between spaces or small gaps."""
    height = line_height(run)
    words: list[Word] = []
    chars: list[str] = []
    boxes: list[BBox] = []

    def flush() -> None:
        if chars and boxes:
            box = union_boxes(boxes)
            assert box is not None
            words.append(Word("".join(chars).strip(), box[0], box[2], box))
        chars.clear()
        boxes.clear()

    for ch, box in zip(run.chars, run.boxes):
        if ch.isspace():
            flush()
            continue
        if box is not None and boxes and box[0] - boxes[-1][2] > WORD_GAP_EM * height:
            flush()
        chars.append(ch)
        if box is not None:
            boxes.append(box)
    flush()
    return [w for w in words if w.text]


def cells_of(words: list[Word], height: float) -> list[Cell]:
    """Cut a line's words into cells at gaps of at least CELL_GAP_EM font heights."""
    cells: list[Cell] = []
    for word in words:
        if cells and word.x0 - cells[-1].x1 < CELL_GAP_EM * height:
            cells[-1].words.append(word)
        else:
            cells.append(Cell([word]))
    return cells


def is_data(cells: list[Cell]) -> bool:
    """A label then at least one cell starting with a number."""
    value = regex("ingest", "ingest.value_start")
    return len(cells) >= 2 and any(value.match(c.text) for c in cells[1:])


def find_columns(lines: list[list[Cell]], widest: bool = False) -> list[tuple[float, float]]:
    """x-intervals of the value columns (label column excluded), or [] when unclear: those of
    the data lines with the most common cell count (``widest``: the widest count held by two
    lines or more, or by one when a non-data line has that many cells beside the label, whose
    columns do not overlap, so a column filled only in some rows counts)."""
    data = [cells for cells in lines if is_data(cells)]
    if not data:
        return []
    counts = Counter(len(cells) for cells in data)
    if widest:
        headed = max((len(cells) + 1 for cells in lines if cells and not is_data(cells)), default=0)
        for n in sorted(counts, reverse=True):
            enough = counts[n] >= WIDEST_MIN_LINES or n <= headed  # a header line names that many columns
            if enough and (found := _columns_of([c for c in data if len(c) == n])):
                return found
    width = max(counts, key=lambda n: (counts[n], n))
    return _columns_of([cells for cells in data if len(cells) == width])


def _columns_of(rows: list[list[Cell]]) -> list[tuple[float, float]]:
    width = len(rows[0])
    columns = [
        (min(cells[k].x0 for cells in rows), max(cells[k].x1 for cells in rows)) for k in range(1, width)
    ]
    label_right = min(cells[0].x1 for cells in rows)
    if any(a[1] > b[0] + COLUMN_TOLERANCE for a, b in zip(columns, columns[1:])) or columns[0][0] < label_right:
        return []
    return columns


def boundaries(columns: list[tuple[float, float]]) -> list[float]:
    """x where each value column begins: just left of its leftmost cell (a header wider than
    its values may run past the middle of the gap, never into the next column's values)."""
    return [column[0] - COLUMN_TOLERANCE for column in columns]


def _zone(x: float, cuts: list[float]) -> int:
    zone = 0
    for k, cut in enumerate(cuts, 1):
        if x >= cut:
            zone = k
    return zone


def split_at_columns(cells: list[Cell], cuts: list[float], header: bool = False) -> list[Cell]:
    """Cut a cell where it runs over a column boundary into a word starting with a number
    (in the header, into any word starting right at the boundary)."""
    value = regex("ingest", "ingest.value_start")
    gaps = sorted(b.x0 - a.x1 for cell in cells for a, b in zip(cell.words, cell.words[1:]))
    space = gaps[len(gaps) // 2] if gaps else 0.0
    out: list[Cell] = []
    for cell in cells:
        current: list[Word] = []
        for word in cell.words:
            if current:
                crossed = any(current[-1].x0 < cut <= word.x0 + COLUMN_TOLERANCE for cut in cuts)
                wide = word.x0 - current[-1].x1 > HEADER_GAP_SPACES * space
                at_gap = wide and any(
                    current[-1].x1 - COLUMN_TOLERANCE <= cut <= word.x0 + COLUMN_TOLERANCE for cut in cuts
                )
                if crossed and (value.match(word.text) or (header and at_gap)) and current[-1].x1 <= word.x0:
                    out.append(Cell(current))
                    current = []
            current.append(word)
        out.append(Cell(current))
    return out


def _overlap(cell: Cell, interval: tuple[float, float]) -> float:
    return min(cell.x1, interval[1]) - max(cell.x0, interval[0])


def place(
    cells: list[Cell], columns: list[tuple[float, float]], cuts: list[float], label_left: float
) -> list[Cell | None] | None:
    """Cells by column (None for an empty column), or None when a cell spans value columns.
    A first cell starting in the left half of the label column is the label, however long."""
    placed: list[list[Word]] = [[] for _ in range(len(cuts) + 1)]
    for i, cell in enumerate(cells):
        if sum(1 for column in columns if _overlap(cell, column) > SPAN_MIN_OVERLAP) >= 2:
            return None
        label = i == 0 and cell.x0 < (label_left + cuts[0]) / 2
        zone = 0 if label else _zone((cell.x0 + cell.x1) / 2, cuts)
        placed[zone].extend(cell.words)
    return [Cell(words) if words else None for words in placed]


def _row(cells: list[Cell | None], lines: list[int], placed: bool) -> Row:
    return Row(
        cells=[c.text if c else "" for c in cells],
        boxes=[c.box if c else None for c in cells],
        lines=list(lines),
        placed=placed,
    )


def _merge_into(row: Row, other: Row, first_label: bool = False) -> None:
    """Append ``other``'s cells to ``row``'s, column by column (same widths)."""
    for k, (text, box) in enumerate(zip(other.cells, other.boxes)):
        if not text:
            continue
        if first_label and k == 0:
            row.cells[0], row.boxes[0] = f"{text} {row.cells[0]}".strip(), union_boxes([box, row.boxes[0]])
            continue
        joint = "" if row.cells[k].endswith("/") else " "  # "mL/min/" + "1.73 m2"
        row.cells[k] = f"{row.cells[k]}{joint}{text}".strip()
        row.boxes[k] = union_boxes([row.boxes[k], box])
    row.lines = sorted(set(row.lines) | set(other.lines))


def _groups_over(upper: Row, lower: Row) -> bool:
    """``upper`` names groups of ``lower``'s columns ("Drug A", "", "Drug B", "" over "Entry",
    "Week 24", "Entry", "Week 24"; "Treatment group" over "Drug A", "Drug B"): ``lower`` fills
    more value columns."""
    filled = sum(1 for c in upper.cells[1:] if c)
    return filled >= 1 and sum(1 for c in lower.cells[1:] if c) > filled


def _header(rows: list[Row], groups: bool = False) -> list[Row]:
    """Merge column-aligned header lines into one row; spanning lines stay as they are
    (``groups``: so does a line naming groups of the columns of the line below)."""
    out: list[Row] = []
    acc: Row | None = None
    for row in rows:
        if not row.placed:
            if acc is not None:
                out.append(acc)
                acc = None
            out.append(row)
        elif acc is None:
            acc = row
        elif groups and _groups_over(acc, row):
            out.append(acc)
            acc = row
        else:
            _merge_into(acc, row)
    if acc is not None:
        out.append(acc)
    return out


def _continues(previous: Row, row: Row) -> bool:
    start = regex("ingest", "ingest.continuation_start")
    cut = regex("ingest", "ingest.label_continues")
    return bool(previous.cells[0] and row.cells[0]) and bool(start.match(row.cells[0]) or cut.search(previous.cells[0]))


def _body(rows: list[Row]) -> list[Row]:
    """Join wrapped labels: a label-only line continuing the row above, or a label-only row
    whose label goes on in the next row's label."""
    out: list[Row] = []
    for row in rows:
        previous = out[-1] if out else None
        if previous is not None and previous.placed and row.placed and _continues(previous, row):
            if row.label_only:
                _merge_into(previous, row)
                continue
            if previous.label_only:
                _merge_into(row, previous, first_label=True)
                out[-1] = row
                continue
        out.append(row)
    return out


def build_rows(runs: list[Run], widest: bool = False) -> list[Row]:
    """Rows of a table block from its lines (in reading order); ``widest``: see :func:`find_columns`."""
    lines = [cells_of(words_of(run), line_height(run)) for run in runs]
    columns = find_columns(lines, widest)
    if not columns:
        return [_row(list(cells), [i], False) for i, cells in enumerate(lines) if cells]
    cuts = boundaries(columns)
    label_left = min(cells[0].x0 for cells in lines if is_data(cells))
    rows: list[Row] = []
    first_data: int | None = None
    for i, cells in enumerate(lines):
        if not cells:
            continue
        cells = split_at_columns(cells, cuts, header=first_data is None)
        placed = place(cells, columns, cuts, label_left)
        row = _row(placed, [i], True) if placed is not None else _row(list(cells), [i], False)
        if first_data is None and is_data(cells) and cells[0].x0 < cuts[0]:
            first_data = len(rows)
        if first_data is None and rows and row.label_only and any(r.has_values for r in rows if r.placed):
            first_data = len(rows)  # a group label after the header: the body has begun
        rows.append(row)
    if first_data is None:
        first_data = len(rows)
    return _header(rows[:first_data], groups=widest) + _body(rows[first_data:])
