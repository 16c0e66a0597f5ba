"""Lines of one PDF page from pdfium's character stream, in column reading order.

pdfium's text page already follows the content stream, which for journal PDFs is column
order. When a page was written row by row across both columns (pdfium then joins the left
and right line on one baseline, or alternates them), the lines are cut at the gutter and
re-ordered: within each band between full-width lines, the left column before the right.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractor.ingest.clean import Run
from extractor.records import BBox

COLUMN_MIN_WIDTH_SHARE = 0.28  # each half of a split line spans at least this share of the page
GUTTER_MIN_GAP = 8.0  # points between the two columns at least
INTERLEAVED_MIN_LINES = 3  # split lines (or left/right alternations) needed to call a page interleaved


@dataclass(slots=True)
class Line:
    run: Run
    bbox: BBox | None
    first: int = -1  # index of the line's first character in the text page
    size: float = 0.0  # font size of that character (0: unknown)

    @property
    def text(self) -> str:
        return self.run.text


def _bbox(run: Run) -> BBox | None:
    real = [b for b in run.boxes if b is not None]
    if not real:
        return None
    return (min(b[0] for b in real), min(b[1] for b in real), max(b[2] for b in real), max(b[3] for b in real))


# FPDFText_GetCharBox called through a prototype taking plain pointers: the output doubles
# live in one preallocated array, so the per-character loop converts no ctypes arguments.
_CHAR_BOX = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p
)(ctypes.cast(pdfium_c.FPDFText_GetCharBox, ctypes.c_void_p).value)


def page_chars(textpage: pdfium.PdfTextPage, height: float) -> Run:
    """Every character of the text page with its top-left-origin box (None when generated)."""
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count) if count else ""
    if len(text) != count:  # surrogate pairs or a short read: fall back to one call per char
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i)) for i in range(count))
    boxes: list[BBox | None] = [None] * count
    raw = ctypes.cast(textpage.raw, ctypes.c_void_p)
    values = (ctypes.c_double * 4)()  # left, right, bottom, top
    base = ctypes.addressof(values)
    left, right, bottom, top = (ctypes.c_void_p(base + 8 * k) for k in range(4))
    get_box = _CHAR_BOX  # generated characters are line breaks and spaces
    for i, ch in enumerate(text):
        if ch.isspace() or not get_box(raw, i, left, right, bottom, top):
            continue
        x0, x1, y0, y1 = values
        boxes[i] = (x0, height - y1, x1, height - y0)
    return Run(list(text), boxes)


def split_lines(run: Run) -> list[Line]:
    """Cut at pdfium's generated line breaks; drop empty lines."""
    lines: list[Line] = []
    current = Run()
    first = -1
    for index, (ch, box) in enumerate(zip(run.chars, run.boxes)):
        if ch == "\r":
            continue
        if ch == "\n":
            if current.text.strip():
                lines.append(Line(current, _bbox(current), first))
            current = Run()
            first = -1
            continue
        if first < 0 and box is not None:
            first = index
        current.chars.append(ch)
        current.boxes.append(box)
    if current.text.strip():
        lines.append(Line(current, _bbox(current), first))
    return lines


def set_font_sizes(textpage: pdfium.PdfTextPage, lines: list[Line]) -> None:
    """Font size of each line's first character (one pdfium call a line)."""
    raw = textpage.raw
    for line in lines:
        if line.first >= 0:
            line.size = round(pdfium_c.FPDFText_GetFontSize(raw, line.first), 2)


def _gaps(line: Line) -> list[tuple[int, float, float]]:
    """(index of the char after the gap, gap start x, gap end x) for gaps >= GUTTER_MIN_GAP."""
    gaps: list[tuple[int, float, float]] = []
    previous: BBox | None = None
    for i, box in enumerate(line.run.boxes):
        if box is None:
            continue
        if previous is not None and box[0] - previous[2] >= GUTTER_MIN_GAP:
            gaps.append((i, previous[2], box[0]))
        previous = box
    return gaps


def _gutter_cut(line: Line, mid: float, min_width: float | None) -> int | None:
    """Index where a line spanning both columns should be cut, or None.

    Strict mode (``min_width`` given): the gutter must be the line's only wide gap (a table
    row has several) and both halves at least ``min_width`` wide. Relaxed mode (None): any
    wide gap across the middle."""
    gaps = _gaps(line)
    across = [g for g in gaps if g[1] <= mid + GUTTER_MIN_GAP and g[2] >= mid - GUTTER_MIN_GAP]
    if not across:
        return None
    cut = across[0][0]
    if min_width is None:
        return cut
    if len(gaps) != 1:
        return None
    left = _bbox(Run(line.run.chars[:cut], line.run.boxes[:cut]))
    right = _bbox(Run(line.run.chars[cut:], line.run.boxes[cut:]))
    if left and right and left[2] - left[0] >= min_width and right[2] - right[0] >= min_width:
        return cut
    return None


def _side(line: Line, mid: float) -> str:
    if line.bbox is None:
        return "full"
    if line.bbox[2] <= mid + GUTTER_MIN_GAP / 2:
        return "left"
    if line.bbox[0] >= mid - GUTTER_MIN_GAP / 2:
        return "right"
    return "full"


def _strip(run: Run) -> Run:
    start, end = 0, len(run)
    while start < end and run.chars[start].isspace():
        start += 1
    while end > start and run.chars[end - 1].isspace():
        end -= 1
    return Run(run.chars[start:end], run.boxes[start:end])


def column_order(lines: list[Line], page_width: float) -> tuple[list[Line], bool]:
    """Return the lines in column reading order and whether they had to be re-ordered."""
    mids = [b[0] for line in lines if (b := line.bbox)] + [b[2] for line in lines if (b := line.bbox)]
    if not mids:
        return lines, False
    mid = (min(mids) + max(mids)) / 2
    wide = COLUMN_MIN_WIDTH_SHARE * page_width
    split = sum(_gutter_cut(line, mid, wide) is not None for line in lines)
    sides = [_side(line, mid) for line in lines]
    switches = sum(1 for a, b in zip(sides, sides[1:]) if {a, b} == {"left", "right"})
    if split < INTERLEAVED_MIN_LINES and switches < max(INTERLEAVED_MIN_LINES, len(lines) // 5):
        return lines, False
    cuts = [_gutter_cut(line, mid, None) for line in lines]  # now cut every line crossing the gutter
    pieces: list[Line] = []
    for line, cut in zip(lines, cuts):
        if cut is None:
            pieces.append(line)
            continue
        for part in (Run(line.run.chars[:cut], line.run.boxes[:cut]), Run(line.run.chars[cut:], line.run.boxes[cut:])):
            part = _strip(part)
            if part.text:
                pieces.append(Line(part, _bbox(part), line.first, line.size))
    ordered: list[Line] = []
    band: dict[str, list[Line]] = {"left": [], "right": []}
    for piece in pieces:
        side = _side(piece, mid)
        if side == "full":
            ordered += band["left"] + band["right"] + [piece]
            band = {"left": [], "right": []}
        else:
            band[side].append(piece)
    ordered += band["left"] + band["right"]
    return ordered, True
