"""Plain text and markdown: decoding, cleanup, pipe tables, tab-separated and space-aligned tables.

Decoding tries UTF-16 (with BOM), UTF-8, UTF-8 with BOM, then cp1252 and latin-1; a fallback
adds a warning to the Document. Markdown pipe tables, runs of tab-separated lines and plain-text
tables aligned with spaces (:mod:`spacetables`: wrapped labels joined, grouped column headers,
ruling lines dropped) become Tables whose rows are rewritten in place as "cell | cell" lines
(the markdown rule line ``|---|---|`` is dropped), so TableRow offsets point at the row in the body.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from extractor.errors import IngestError
from extractor.ingest.assemble import build_document, clean_cell, row_line
from extractor.ingest.clean import Run, clean_text
from extractor.ingest.spacetables import space_blocks, space_rows
from extractor.nlp.rules import regex
from extractor.records import Document, Table, TableRow

FALLBACK_ENCODINGS = ("cp1252", "latin-1")
CONTROL_SHARE_MAX = 0.05  # more control bytes than this: binary, not text
TSV_MIN_ROWS = 2
CAPTION_TITLE_MAX = 200  # a title line under a bare "Table 2." line is at most this long
PIPE_MIN_ROWS = 3  # pipe rows without a |---| rule line: a table only from this many rows ...
PIPE_MIN_CELLS = 3  # ... each with this many cells ...
PIPE_MIN_HEADS = 2  # ... the first (header) row with this many filled, and a value cell below it
TITLE_MAX_CHARS = 300
TEXT_CONTROLS = frozenset(b"\t\n\r\f\v\x1b")
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})


def looks_binary(head: bytes) -> bool:
    """NUL bytes (outside UTF-16) or many control bytes mean binary content."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in TEXT_CONTROLS)
    if controls > CONTROL_SHARE_MAX * max(len(head), 1):
        return True
    try:
        head.decode("utf-8")
        return False
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 4:  # a character cut by the sniff window
            return False
    # Not UTF-8: legacy 8-bit text has mostly printable ASCII; random bytes do not.
    high = sum(1 for b in head if b >= 0x80)
    return high > len(head) * 0.3


def decode(data: bytes) -> tuple[str, str | None]:
    """Text and a warning when we had to guess the encoding."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), None
    if data.startswith(codecs.BOM_UTF8):
        return data.decode("utf-8-sig"), None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    for encoding in FALLBACK_ENCODINGS:
        try:
            return data.decode(encoding), f"not valid UTF-8; decoded as {encoding}"
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte string")


def decode_head(head: bytes) -> str:
    return decode(head)[0] if not looks_binary(head) else ""


def _split_cells(line: str) -> list[str]:
    """Cells of a pipe-table row, markdown bold markers dropped ("**Infections**" → "Infections")."""
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    bold = regex("ingest", "ingest.md_emphasis")
    return [clean_cell(bold.sub(r"\2", c)) for c in inner.split("|")]


def _bare_pipe_end(lines: list[str], i: int) -> int:
    """End of a run of pipe rows typed without the |---| rule line ("| Item | Group | Baseline |"
    over "| UPCR | A | 3.4 +/- 2.1 |"), or ``i`` when the run is no table: too few rows, too few
    cells, rows of different widths, a header row with fewer than PIPE_MIN_HEADS filled cells or
    no cell below it that starts with a number (the boxes of an ASCII flow diagram)."""
    row = regex("ingest", "ingest.md_table_row")
    value = regex("ingest", "ingest.value_start")
    j = i
    while j < len(lines) and row.match(lines[j]):
        j += 1
    cells = [_split_cells(line) for line in lines[i:j]]
    widths = {len(c) for c in cells}
    header = [c for c in cells[0] if c]
    valued = any(value.match(c) for r in cells[1:] for c in r[1:])
    if j - i < PIPE_MIN_ROWS or len(widths) != 1 or min(widths) < PIPE_MIN_CELLS or len(header) < PIPE_MIN_HEADS or not valued:
        return i
    return j


def _table_blocks(lines: list[str]) -> list[tuple[int, int, str]]:
    """(first line, end line, source) of each table block."""
    rule = regex("ingest", "ingest.md_table_rule")
    row = regex("ingest", "ingest.md_table_row")
    blocks: list[tuple[int, int, str]] = []
    i = 0
    while i < len(lines):
        if row.match(lines[i]) and i + 1 < len(lines) and rule.match(lines[i + 1]):
            j = i + 2
            while j < len(lines) and row.match(lines[j]):
                j += 1
            blocks.append((i, j, "markdown"))
            i = j
        elif row.match(lines[i]) and (j := _bare_pipe_end(lines, i)) > i:
            blocks.append((i, j, "markdown"))
            i = j
        elif "\t" in lines[i].strip():
            j = i
            while j < len(lines) and "\t" in lines[j].strip():
                j += 1
            if j - i >= TSV_MIN_ROWS:
                blocks.append((i, j, "text"))
            i = max(j, i + 1)
        else:
            i += 1
    return blocks + space_blocks(lines, {k for a, b, _ in blocks for k in range(a, b)})


def _caption_line(line: str) -> tuple[str, str] | None:
    m = regex("ingest", "ingest.table_caption").match(line)
    if m:
        return line, f"Table {m.group(2)}"
    m = regex("ingest", "ingest.space_table_caption").match(line)
    if m:
        return line, f"Table {m.group('num')}" if m.group("num") else "Table"
    return None


def _caption_before(lines: list[str], first: int) -> tuple[str, str]:
    """The caption line above a table, or a bare "Table 2." line with its title on the line
    below it (PMC text dumps): then both lines, joined."""
    for k in range(first - 1, max(first - 3, -1), -1):
        line = lines[k].strip()
        found = _caption_line(line)
        if found:
            return found
        if line:
            above = lines[k - 1].strip() if k > 0 else ""
            bare = _caption_line(above) if regex("ingest", "ingest.bare_caption").match(above) else None
            if bare and len(line) <= CAPTION_TITLE_MAX:
                return f"{above} {line}", bare[1]
            break
    return "", ""


def _body_and_tables(text: str) -> tuple[str, list[Table]]:
    lines = text.split("\n")
    blocks = {first: (end, source) for first, end, source in _table_blocks(lines)}
    out: list[str] = []
    tables: list[Table] = []
    offset = 0
    i = 0
    rule = regex("ingest", "ingest.md_table_rule")
    while i < len(lines):
        if i not in blocks:
            out.append(lines[i])
            offset += len(lines[i]) + 1
            i += 1
            continue
        end, source = blocks[i]
        caption, label = _caption_before(lines, i)
        rows: list[TableRow] = []
        start = offset
        if source == "space":
            cell_rows = [[clean_cell(c) for c in cells] for cells in space_rows(lines[i:end])]
        else:
            cell_rows = [
                _split_cells(line) if source == "markdown" else [clean_cell(c) for c in line.split("\t")]
                for line in lines[i:end]
                if not (source == "markdown" and rule.match(line))
            ]
        for cells in cell_rows:
            rendered = row_line(cells)
            rows.append(TableRow(cells=cells, start=offset, end=offset + len(rendered)))
            out.append(rendered)
            offset += len(rendered) + 1
        tables.append(Table(rows=rows, caption=caption, label=label, start=start, end=offset - 1,
                            source="text" if source == "space" else source))
        i = end
    return "\n".join(out), tables


def _title(text: str) -> str | None:
    label = regex("ingest", "ingest.text_label")
    heading = regex("ingest", "ingest.md_heading")
    labelled = False
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        m = label.match(line)
        if m and m.group(1) == "TITLE":
            line = line[m.end() :].strip()
            labelled = True
            if not line:
                continue  # "TITLE:" alone: the title is on the next line
        elif labelled and m:
            return None
        line = heading.sub("", line)
        return line if len(line) <= TITLE_MAX_CHARS else None
    return None


def read_text(path: Path, data: bytes, sha256: str) -> Document:
    text, warning = decode(data)
    text = clean_text(text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise IngestError("empty file (only whitespace)", path=str(path))
    markdown = path.suffix.lower() in MARKDOWN_SUFFIXES
    if markdown:
        heading = regex("ingest", "ingest.md_heading")
        text = "\n".join(heading.sub("", line) for line in text.split("\n"))
    body, tables = _body_and_tables(text)
    year = regex("ingest", "ingest.year").search(body[:2000])
    doi = regex("ingest", "ingest.doi").search(body)
    return build_document(
        path=str(path),
        sha256=sha256,
        kind="markdown" if markdown else "text",
        body=Run.of(body),
        placed=tables,
        title=_title(body),
        year=int(year.group(1)) if year else None,
        doi=doi.group(0) if doi else None,
        warnings=[warning] if warning else [],
    )
