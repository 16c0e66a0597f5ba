"""Turn reader output (a body Run, pages, tables found) into a finished Document.

Every table ends up as text lines, one per row, cells joined by " | ", so TableRow.start/end
point into Document.text. Readers either place rows in the body themselves (markdown, tab
tables: :class:`PlacedTable`) or hand over cells (:class:`FoundTable`, PDF and JATS) that are
appended in a final "tables" section, each preceded by its caption line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor.ingest.clean import Run, clean_text, union_boxes
from extractor.ingest.sections import split_sections
from extractor.records import BBox, Document, Page, Section, Table, TableRow

CELL_SEPARATOR = " | "
TABLES_GAP = "\n\n"


@dataclass(slots=True)
class FoundTable:
    """Cells of a table found outside the body text (pdfplumber, JATS)."""

    rows: list[list[str]]
    source: str
    caption: str = ""
    label: str = ""
    page: int | None = None
    bbox: BBox | None = None
    row_bboxes: list[BBox | None] = field(default_factory=list)
    cell_bboxes: list[list[BBox | None]] = field(default_factory=list)
    regions: list[tuple[int, int]] = field(default_factory=list)  # body-text spans it was read from


def clean_cell(cell: str | None) -> str:
    """One line per row: newlines and the separator itself must not appear in a cell."""
    text = clean_text(cell or "")
    return " ".join(text.replace("|", "/").split())


def row_line(cells: list[str]) -> str:
    return CELL_SEPARATOR.join(cells)


def _append_table(run: Run, found: FoundTable) -> Table:
    start = len(run)
    caption = clean_text(found.caption).strip() or found.label or "Table"
    run.add(caption + "\n")
    rows: list[TableRow] = []
    for r, cells in enumerate(found.rows):
        cells = [clean_cell(c) for c in cells]
        if not any(cells):
            continue
        cell_boxes = found.cell_bboxes[r] if r < len(found.cell_bboxes) else []
        row_start = len(run)
        for c, cell in enumerate(cells):
            if c:
                run.add(CELL_SEPARATOR)
            run.add(cell, cell_boxes[c] if c < len(cell_boxes) else None)
        row_bbox = found.row_bboxes[r] if r < len(found.row_bboxes) else None
        row_bbox = row_bbox or union_boxes(cell_boxes)
        rows.append(TableRow(cells=cells, start=row_start, end=len(run), bbox=row_bbox))
        run.add("\n")
    return Table(
        rows=rows,
        page=found.page,
        caption=clean_text(found.caption).strip(),
        label=found.label,
        start=start,
        end=len(run) - 1,
        bbox=found.bbox,
        source=found.source,
        regions=list(found.regions),
    )


def build_document(
    *,
    path: str,
    sha256: str,
    kind: str,
    body: Run,
    pages: list[Page] | None = None,
    placed: list[Table] | None = None,
    found: list[FoundTable] | None = None,
    with_boxes: bool = False,
    **meta: object,
) -> Document:
    """Assemble text, tables block, sections and metadata into a Document."""
    run = Run(list(body.chars), list(body.boxes))
    while run.chars and run.chars[-1].isspace():
        run.chars.pop()
        run.boxes.pop()
    body_end = len(run)
    tables = list(placed or [])
    kept = [f for f in (found or []) if any(any(c for c in row) for row in f.rows)]
    if kept:
        run.add(TABLES_GAP)
        tables_start = len(run)
        for f in kept:
            tables.append(_append_table(run, f))
        if run.chars and run.chars[-1] == "\n":
            run.chars.pop()
            run.boxes.pop()
    text = run.text
    sections = split_sections(text[:body_end])
    if kept:
        sections.append(Section(name="tables", start=tables_start, end=len(text), heading=""))
    doc = Document(
        path=path,
        sha256=sha256,
        kind=kind,
        text=text,
        pages=pages or [],
        sections=sections,
        tables=tables,
        boxes=run.boxes if with_boxes else None,
    )
    for key, value in meta.items():
        setattr(doc, key, value)
    return doc
