"""Read a PDF with pypdfium2 (text, character boxes, reading order) and pdfplumber (tables).

Page text comes from pdfium's text page, one box per character (top-left origin). Lines are
put in column order (layout.py), running headers/footers/page numbers are removed, and the
characters are normalised with their boxes kept (clean.py). Pages are separated by a blank
line; Document.pages gives each page's [start, end) in Document.text. Tables under caption
lines (built from pdfium's lines; pdfplumber only under a ruled grid, see pdftables.py) are
appended as a final "tables" section; each records the page-text spans it was read from.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractor.errors import IngestError
from extractor.ingest import layout
from extractor.ingest.assemble import build_document
from extractor.ingest.clean import MarginLine, Run, find_furniture, normalize_chars, resolve_hyphen_marks, word_forms
from extractor.ingest.linetables import PageLine
from extractor.ingest.pdftables import TablePage, find_tables, looks_like_table_page, ruling_lines
from extractor.nlp.rules import regex
from extractor.records import Document, Page

PAGE_SEPARATOR = "\n\n"
MIN_TEXT_CHARS_PER_PAGE = 20  # below this on every page, the PDF has no usable text layer
TITLE_MIN_CHARS = 12
TITLE_MAX_CHARS = 300
PASSWORD_ERROR = getattr(pdfium_c, "FPDF_ERR_PASSWORD", 4)


@dataclass(slots=True)
class RawPage:
    number: int
    width: float
    height: float
    lines: list[layout.Line]
    reordered: bool
    rules: list  # ruling lines (thin path objects), read only on pages that look like table pages


def _open(path: Path, password: str | None) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path), password=password)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == PASSWORD_ERROR or "password" in str(exc).lower():
            reason = "wrong password" if password else "no password given"
            raise IngestError(f"encrypted PDF ({reason})", path=str(path)) from None
        raise IngestError(f"corrupt or truncated PDF ({exc})", path=str(path)) from None


def _read_pages(pdf: pdfium.PdfDocument) -> list[RawPage]:
    pages: list[RawPage] = []
    for index in range(len(pdf)):
        page = pdf[index]
        width, height = page.get_size()
        textpage = page.get_textpage()
        lines = layout.split_lines(layout.page_chars(textpage, height))
        layout.set_font_sizes(textpage, lines)
        lines, reordered = layout.column_order(lines, width)
        rules = ruling_lines(page, height) if looks_like_table_page([line.text for line in lines]) else []
        pages.append(RawPage(index + 1, width, height, lines, reordered, rules))
        textpage.close()
        page.close()
    return pages


def _margin_line(line: layout.Line, height: float) -> MarginLine:
    if line.bbox is None or not height:
        return MarginLine(line.text.strip(), None, None)
    return MarginLine(line.text.strip(), line.bbox[1] / height, line.bbox[3] / height)


def _metadata(pdf: pdfium.PdfDocument) -> dict[str, str]:
    try:
        return {k: (v or "").strip() for k, v in pdf.get_metadata_dict().items()}
    except (pdfium.PdfiumError, ctypes.ArgumentError, UnicodeDecodeError):
        return {}


def _title(meta: dict[str, str], first_lines: list[str]) -> str | None:
    candidate = meta.get("Title", "")
    if TITLE_MIN_CHARS <= len(candidate) <= TITLE_MAX_CHARS and not candidate.lower().startswith(("doi:", "microsoft")):
        return candidate
    for line in first_lines:
        if len(line) >= TITLE_MIN_CHARS and sum(ch.isalpha() for ch in line) > len(line) / 2:
            return line
    return None


def _year(meta: dict[str, str], text: str) -> int | None:
    date = regex("ingest", "ingest.pdf_date_year").match(meta.get("CreationDate", ""))
    found = regex("ingest", "ingest.year").search(text)
    if found:
        return int(found.group(1))
    return int(date.group(1)) if date else None


def read_pdf(path: Path, sha256: str, password: str | None = None) -> Document:
    pdf = _open(path, password)
    try:
        raw = _read_pages(pdf)
        meta = _metadata(pdf)
    finally:
        pdf.close()
    if not raw:
        raise IngestError("PDF has no pages", path=str(path))
    if all(sum(len(line.text.strip()) for line in p.lines) < MIN_TEXT_CHARS_PER_PAGE for p in raw):
        raise IngestError("no text layer (image-only or scanned PDF; OCR it first)", path=str(path))

    drop = find_furniture([[_margin_line(line, p.height) for line in p.lines] for p in raw])
    hyphenated, solid = word_forms(line.text for p in raw for line in p.lines)
    body = Run()
    pages: list[Page] = []
    candidates: list[TablePage] = []
    warnings: list[str] = []
    for p_index, page in enumerate(raw):
        if pages:
            body.add(PAGE_SEPARATOR)
        start = len(body)
        kept: list[PageLine] = []
        for l_index, line in enumerate(page.lines):
            if (p_index, l_index) in drop:
                continue
            run = normalize_chars(resolve_hyphen_marks(line.run, hyphenated, solid))
            text = run.text.strip()
            if not text:
                continue
            if len(body) > start:
                body.add("\n")
            lead = len(run.text) - len(run.text.lstrip())
            trimmed = Run(run.chars[lead : lead + len(text)], run.boxes[lead : lead + len(text)])
            if line.bbox is not None:
                kept.append(PageLine(text, line.bbox, trimmed, len(body), line.size))
            body.extend(trimmed)
        pages.append(Page(number=page.number, start=start, end=len(body), width=page.width, height=page.height))
        if page.reordered:
            warnings.append(f"page {page.number}: columns were interleaved; re-ordered by column")
        if looks_like_table_page([line.text for line in kept]):
            candidates.append(TablePage(page.number, page.width, page.height, kept, page.rules))
    found = find_tables(path, candidates, password)
    text = body.text
    first_page = text[pages[0].start : pages[0].end].split("\n")
    return build_document(
        path=str(path),
        sha256=sha256,
        kind="pdf",
        body=body,
        pages=pages,
        found=found,
        with_boxes=True,
        title=_title(meta, first_page[:5]),
        year=_year(meta, text[pages[0].start : pages[0].end]),
        doi=_doi(text),
        warnings=warnings,
    )


def _doi(text: str) -> str | None:
    m = regex("ingest", "ingest.doi").search(text)
    return m.group(0) if m else None
