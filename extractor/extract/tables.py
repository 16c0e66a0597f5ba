"""Reading helpers shared by the dosing, outcome, response and adverse-event extractors.

* :func:`find_terms` — vocabulary lookup (``rules/vocab/<name>.tsv``) over plain text with
  character offsets: NFKC, hyphens/dashes read as spaces, longest match first, word
  boundaries, an optional plural ``s``; surfaces flagged ``cs`` match case-sensitively
  (``CR`` the response is not ``Cr`` the creatinine).
* :func:`clauses` — a sentence cut at ``;`` (outside brackets): reports chain results that way.
* :func:`table_cells` — a :class:`~extractor.records.Table` as cells that know their row label,
  column header, arm, time point and the ``n`` written in the header (``Drug (n=179)``).
* :func:`arm_for_text` / :func:`arm_for_header` — arm attribution (``extract.arms`` when present).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from extractor.extract.terms import CS_FLAG, Term, find_terms  # noqa: F401  (re-exported)
from extractor.extract.timepoints import BASELINE, TimeMention, find_timepoints, unit_of
from extractor.nlp.rules import regex

if TYPE_CHECKING:
    from extractor.extract.context import Context, Sentence
    from extractor.records import Table, TableRow

_CLAUSE_BREAKS = frozenset(";；。")
_OPEN, _CLOSE = "([{（", ")]}）"
DECIMAL_COMMA_MIN = 3  # a document writes decimals with commas when it has this many and more than points
_VALUE_SIGNS = "-−–+<>≤≥±~ "  # a value cell may start with a sign ("-1.25 (-2.07 to -0.44)")


# --------------------------------------------------------------------------------------
# prose sentences and clauses
# --------------------------------------------------------------------------------------


def prose_sentences(ctx: Context, skip: frozenset[str] = frozenset()) -> list[Sentence]:
    """Mined sentences outside ``skip`` sections and outside tables (table rows are also text
    lines; they are read cell by cell by :func:`table_cells`, not as prose)."""
    spans = [(r.start, r.end) for t in ctx.tables for r in t.rows]
    out = []
    for sent in ctx.mined_sentences():
        if sent.section in skip:
            continue
        if any(s < sent.end and sent.start < e for s, e in spans):
            continue
        out.append(sent)
    return out


# --------------------------------------------------------------------------------------
# clauses
# --------------------------------------------------------------------------------------


def clauses(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """``(start, end)`` of the ``;``-separated clauses of ``text`` (shifted by ``offset``)."""
    return list(_clauses(text, offset))


@lru_cache(maxsize=2048)
def _clauses(text: str, offset: int) -> tuple[tuple[int, int], ...]:
    spans = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch in _CLAUSE_BREAKS and depth == 0:
            spans.append((start, i))
            start = i + 1
    spans.append((start, len(text)))
    return tuple((offset + s, offset + e) for s, e in spans if text[s:e].strip())


def timepoints_in(text: str, fu: tuple[float, str] | None = None) -> list[TimeMention]:
    """:func:`find_timepoints` with sentence-final full stops masked (same offsets): the
    timepoints rules reject "week 52." as a decimal."""
    return find_timepoints(_mask_stops(text), fu)


@lru_cache(maxsize=2048)
def _mask_stops(text: str) -> str:
    """``text`` with every ``.`` that ends it or comes before a space, newline or ``)`` blanked."""
    chars: list[str] | None = None
    last = len(text) - 1
    pos = text.find(".")
    while pos >= 0:
        if pos == last or text[pos + 1] in " \n)":
            if chars is None:
                chars = list(text)
            chars[pos] = " "
        pos = text.find(".", pos + 1)
    return text if chars is None else "".join(chars)


def decimal_commas(ctx: Context) -> bool:
    """Does the document write decimals with a comma ("3,41 ± 2,05", "43,5 %")? Cached."""
    cached = ctx.state.get("_decimal_comma")
    if cached is None:
        commas = len(regex("tables", "tables.decimal_comma").findall(ctx.text))
        points = len(regex("tables", "tables.decimal_point").findall(ctx.text))
        cached = commas >= DECIMAL_COMMA_MIN and commas > points
        ctx.state["_decimal_comma"] = cached
    return bool(cached)


def as_decimal_points(ctx: Context, text: str) -> str:
    """``text`` with decimal commas read as points when the document uses them (same length, so
    offsets hold); unchanged otherwise."""
    if not decimal_commas(ctx):
        return text
    return regex("tables", "tables.decimal_comma").sub(".", text)


# --------------------------------------------------------------------------------------
# arms
# --------------------------------------------------------------------------------------


def _arms_module() -> Any:
    try:
        from extractor.extract import arms  # noqa: PLC0415  (written concurrently by the arms owner)
    except ImportError:
        return None
    return arms


def _label_match(ctx: Context, text: str) -> str | None:
    """Fallback: the single arm whose label occurs in ``text``."""
    low = text.lower()
    hits = [arm.id for arm in ctx.state.get("arms", []) if getattr(arm, "label", "") and arm.label.lower() in low]
    return hits[0] if len(hits) == 1 else None


def arm_for_text(ctx: Context, text: str) -> str | None:
    mod = _arms_module()
    if mod is not None and hasattr(mod, "arm_for_text"):
        return mod.arm_for_text(ctx, text)  # type: ignore[no-any-return]
    return _label_match(ctx, text)


def arm_for_header(ctx: Context, header: str) -> str | None:
    mod = _arms_module()
    if mod is not None and hasattr(mod, "arm_for_header"):
        return mod.arm_for_header(ctx, header)  # type: ignore[no-any-return]
    return _label_match(ctx, header)


def column_arms(ctx: Context, headers: list[str]) -> dict[int, str | None]:
    """Column index → arm id; ``extract.arms.arm_columns`` maps headers that name no arm
    ("MP (n = 24)", "CY (n = 21)") by position when there is one "(n = …)" column per arm."""
    mod = _arms_module()
    if mod is not None and hasattr(mod, "arm_columns") and headers:
        return dict(mod.arm_columns(ctx, headers))
    return {j: arm_for_header(ctx, h) if h else None for j, h in enumerate(headers) if j > 0}


def arms(ctx: Context) -> list[Any]:
    return list(ctx.state.get("arms", []))


def arm_n(ctx: Context, arm_id: str | None) -> int | None:
    """Size of an arm, or the cohort size when there is no arm (single-arm reports)."""
    if arm_id is not None:
        for arm in arms(ctx):
            if arm.id == arm_id and arm.n:
                return int(arm.n)
    single = arms(ctx)
    if arm_id is None and len(single) == 1 and single[0].n:
        return int(single[0].n)
    n = ctx.state.get("cohort_n")
    return int(n) if n else None


def follow_up(ctx: Context) -> tuple[float, str] | None:
    """The follow-up (value, unit) set by the design extractor, else the latest time point stated."""
    fu = ctx.state.get("follow_up")
    if fu is not None:
        if isinstance(fu, (tuple, list)):
            return (float(fu[0]), str(fu[1]))
        return (float(fu.value), str(fu.unit))
    cached = ctx.state.get("_latest_timepoint")
    if cached is None:
        mentions = [m for m in timepoints_in(ctx.text) if m.label is None]
        order = {"day": 1, "week": 7, "month": 30.4, "year": 365}
        latest = max(mentions, key=lambda m: m.value * order.get(m.unit, 1), default=None)
        cached = (latest.value, latest.unit) if latest else ()
        ctx.state["_latest_timepoint"] = cached
    return cached or None


# --------------------------------------------------------------------------------------
# tables
# --------------------------------------------------------------------------------------


@dataclass(slots=True)
class Cell:
    text: str
    start: int
    end: int
    row: TableRow
    row_index: int
    col: int
    row_label: str
    header: str
    group: str  # the last single-cell row above ("Serious adverse events")
    arm: str | None
    time: TimeMention | None
    n: int | None  # n written in the column header


def _cell_offsets(ctx: Context, row: TableRow) -> list[tuple[int, int]]:
    line = ctx.text[row.start : row.end]
    spans = []
    cursor = 0
    for cell in row.cells:
        cell_s = cell.strip()
        pos = line.find(cell_s, cursor) if cell_s else -1
        if pos < 0:
            spans.append((row.start + cursor, row.start + cursor))
            continue
        spans.append((row.start + pos, row.start + pos + len(cell_s)))
        cursor = pos + len(cell_s)
    return spans


def _is_data_row(cells: list[str]) -> bool:
    """A row with a value cell; a label-less row whose number-led cells are all visits ("", "Entry",
    "52 weeks", "Entry", "52 weeks") is the lower header row of grouped columns."""
    led = [c for c in cells[1:] if c.strip().lstrip(_VALUE_SIGNS)[:1].isdigit()]
    if led and cells and not cells[0].strip() and all(visit_header(c) for c in led):
        return False
    return bool(led)


def _title_row(cells: list[str]) -> bool:
    """A first row of titles only: every cell filled, each starting with a letter except visits
    ("Item | Group | Baseline | 6 months | 12 months"); no value cell."""
    led = [c for c in cells[1:] if c.strip().lstrip(_VALUE_SIGNS)[:1].isdigit()]
    return len(cells) > 2 and bool(led) and all(c.strip() for c in cells) and all(visit_header(c) for c in led) \
        and all(c.strip()[:1].isalpha() or c in led for c in cells)


def header_n(header: str) -> int | None:
    """The n of a "(n = 179)" header; a bare "n = 40" (no bracket) is not read."""
    for m in regex("tables", "tables.header_n").finditer(header):
        if m.group("n") is not None:
            return int(m.group("n"))
    return None


def _spanned(cells: list[str], width: int) -> list[str]:
    """A header row whose group cells span the empty cells to their right ("Change to day 3", "",
    "", "Change to week 6", "", ""): each group text spread over its columns; a shorter row whose
    cells divide the columns evenly ("Rituximab", "Placebo" over 4 columns) spans them in turn.
    A row that fills every column is returned as is."""
    k = (width - 1) // (len(cells) - 1) if 1 < len(cells) < width else 0
    if k > 1 and (width - 1) % (len(cells) - 1) == 0 and all(c.strip() for c in cells[1:]):
        cells = cells[:1] + [x for c in cells[1:] for x in [c] + [""] * (k - 1)]  # "Rituximab", "Placebo" over 4 columns
    cells = list(cells) + [""] * (width - len(cells))
    if all(c.strip() for c in cells[1:]):
        return cells
    out, current = [], ""
    for j, c in enumerate(cells):
        current = c if c.strip() or j == 0 else current
        out.append(current if j else c)
    return out


def contrast_column(header: str) -> bool:
    """A P-value or between-arm difference column (its cells are not an arm's outcome)."""
    return bool(regex("tables", "tables.contrast_header").search(header))


def visit_header(header: str, fu: tuple[float, str] | None = None) -> bool:
    """A column header that names only a visit ("Month 3 (n = 18)", "Baseline"), no arm."""
    times = [tm for tm in timepoints_in(header, fu) if not tm.is_schedule]
    return bool(times) and _time_only(header, times)


def _time_only(header: str, times: list[TimeMention]) -> bool:
    """A column header that names only a visit ("Month 3 (n = 18)", "Baseline"): no arm."""
    chars = list(header)
    spans = [(t.start, t.end) for t in times] + [m.span() for m in regex("tables", "tables.header_n").finditer(header)]
    for s, e in spans:
        chars[s:e] = " " * (e - s)
    return bool(regex("tables", "tables.visit_header_rest").match("".join(chars)))


def table_cells(ctx: Context, table: Table) -> list[Cell]:
    """Every value cell of ``table`` with its row label, header, arm, time point and header n."""
    rows = [r for r in table.rows if any(c.strip() for c in r.cells)]
    width = max((len(r.cells) for r in rows), default=0)
    headers = [""] * width
    body_from = 0
    for i, r in enumerate(rows):
        if i == 0 and _title_row(r.cells):
            body_from = 1
            continue  # "Item | Group | Baseline | 6 months | 12 months" with no `|---|` rule under it
        if _is_data_row(r.cells) or len([c for c in r.cells if c.strip()]) < 2:
            break  # data, or a group row ("Efficacy") under the header
        body_from = i + 1
    for i, r in enumerate(rows[:body_from]):
        for j, c in enumerate(_spanned(r.cells, width) if i + 1 < body_from else r.cells):
            headers[j] = (headers[j] + " " + c.strip()).strip()
    fu = follow_up(ctx)
    col_arms = column_arms(ctx, headers)
    col_info = []
    for j, h in enumerate(headers):
        times = [tm for tm in timepoints_in(h, fu) if not tm.is_schedule] if h else []
        if not times and h and regex("tables", "tables.entry_header").search(h):
            times = [BASELINE]  # "Rituximab (n = 75) Entry": the entry column of an arm
        if times and regex("tables", "tables.change_label").search(h):
            times = times[::-1]  # "Change from day 0 to week 6": the end of the change
        arm = None if times and _time_only(h, times) else col_arms.get(j)  # "Month 3 (n = 18)" is a visit, not an arm
        col_info.append((arm, times[0] if times else None, header_n(h) if h else None))
    out: list[Cell] = []
    group = ""
    for i, r in enumerate(rows[body_from:], start=body_from):
        filled = [c for c in r.cells if c.strip()]
        if len(filled) == 1 and not _is_data_row(r.cells):
            group = filled[0].strip()
            continue
        label = r.cells[0].strip() if r.cells else ""
        for j, (s, e) in enumerate(_cell_offsets(ctx, r)):
            if j == 0 or s == e:
                continue
            arm, time, n = col_info[j] if j < len(col_info) else (None, None, None)
            out.append(Cell(ctx.text[s:e], s, e, r, i, j, label, headers[j] if j < width else "", group, arm, time, n))
    return out


# --------------------------------------------------------------------------------------
# time columns of one group ("Baseline 3 Monate 6 Monate 12 Monate")
# --------------------------------------------------------------------------------------

DAYS = {"day": 1.0, "week": 7.0, "month": 30.4375, "year": 365.25}


def time_columns(head: str, k: int, times: Callable[[str], list[TimeMention]],
                 baseline: TimeMention) -> list[tuple[TimeMention, int, int]] | None:
    """The ``k`` (≥ 2) time columns that end a flattened table header (time, start, end), read
    number first ("3 months 6 months") or unit first ("Month 3 Month 6"); times must increase."""
    for cols in (_piece_times(head, times, baseline), _whole_times(head, times, baseline)):
        cols = cols[-k:]
        if len(cols) == k >= 2 and all(_days(a[0]) < _days(b[0]) for a, b in zip(cols, cols[1:])):
            return cols
    return None


def _piece_times(text: str, times: Callable[[str], list[TimeMention]], baseline: TimeMention) -> list[tuple[TimeMention, int, int]]:
    """Header pieces cut before each number that follows a space ("Baseline 3 Monate 6 Monate"):
    the trailing pieces that each name one time (number first)."""
    cuts = [0] + [i for i in range(1, len(text)) if text[i].isdigit() and text[i - 1].isspace()] + [len(text)]
    out: list[tuple[TimeMention, int, int]] = []
    for a, b in reversed(list(zip(cuts, cuts[1:]))):
        b = next((a + t.start for t in find_terms(text[a:b], "measures")), b)  # the first row label
        ts = times(text[a:b]) or _vocab_time(text, a, b)
        t = ts[0] if len(ts) == 1 else (baseline if not ts and regex("tables", "tables.baseline_cue").search(text[a:b]) else None)
        if t is None:
            break
        start = a + t.start if ts else a + regex("tables", "tables.baseline_cue").search(text[a:b]).start()  # type: ignore[union-attr]
        out.insert(0, (t, start, a + t.end if ts else b))
    return out


def _vocab_time(text: str, a: int, b: int) -> list[TimeMention]:
    """"3 Monate", "6 mois": a number then a unit word of rules/vocab/time_units.tsv (any language)."""
    words = text[a:b].split()
    unit = unit_of(words[1]) if len(words) == 2 and words[0].isdigit() else None
    if unit not in DAYS:
        return []
    end = a + len(text[a:b].rstrip())
    return [TimeMention(value=float(words[0]), unit=unit, label=None, start=0, end=end - a, surface=text[a:end])]  # type: ignore[arg-type]


def _whole_times(text: str, times: Callable[[str], list[TimeMention]], baseline: TimeMention) -> list[tuple[TimeMention, int, int]]:
    """Time mentions of the header with only spaces and punctuation between them (unit first, "Month 3")."""
    ts = times(text)
    out: list[tuple[TimeMention, int, int]] = []
    for t in reversed(ts):
        if out and any(ch.isalnum() for ch in text[t.end : out[0][1]]):
            break
        out.insert(0, (t, t.start, t.end))
    return out


def _days(t: TimeMention) -> float:
    return (t.value or 0.0) * DAYS.get(t.unit or "day", 1.0)


