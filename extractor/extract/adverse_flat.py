"""Adverse events from a table flattened into running text (PMC full texts, some PDFs).

"Table 3 Adverse events (safety population) Placebo (n = 101) Drug 300 mg (n = 99) ...
Any adverse event 78 (77.2) 84 (84.8) ... Headache 13 (12.9) 12 (12.1) ..." has no cell
borders left. When the inline caption names adverse events / safety, the "(n = …)" column
headers that follow give the columns, and every label followed by exactly one count cell per
column is a row: one event per row × column whose header names an arm. Rows with empty cells
cannot be aligned and are skipped. Rules: ``adverse.inline_caption``, ``adverse.table_cue``,
``adverse.flat_header``, ``adverse.flat_cell``, ``adverse.flat_cell_gap`` (a footnote mark between
cells), ``adverse.flat_footnote``, ``adverse.flat_label_stat``, ``adverse.flat_label_glued``, ``adverse.flat_end``,
``adverse.flat_total_label`` ("Total" row = any adverse event), ``adverse.flat_qualifier_label`` ("Serious" /
"Non-serious" rows under a total), ``adverse.flat_events_cells`` ("n (events)" cells: the bracket counts events).
"""

from __future__ import annotations

from extractor.extract.adverse_arms import arm_named
from extractor.extract.adverse_names import expand_abbreviations
from extractor.extract.context import Context
from extractor.extract.numbers import parse_number
from extractor.extract.tables import arms, find_terms
from extractor.nlp.rules import regex
from extractor.records import AdverseEvent

WINDOW = 4000  # characters of flattened table read after a caption
CAPTION_REACH = 250  # the adverse-event cue must be this close to "Table N"
MAX_LABEL_WORDS = 14  # a longer "label" is running text: the table has ended
HEADER_N_TOLERANCE = 0.1
ANY_EVENT = "any adverse event"
SERIOUS_EVENTS = "serious adverse events"


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex("adverse", rule_id)


def _headers(text: str) -> list[tuple[str, int, int]]:
    """Consecutive "(n = N)" column headers at the start of ``text``: (label, n, end)."""
    out: list[tuple[str, int, int]] = []
    pos = 0
    for m in _rx("adverse.flat_header").finditer(text):
        gap = text[pos : m.start()]
        if out and gap.strip():
            break
        n = parse_number(m["n"].replace(",", ""))
        out.append((" ".join(m["label"].split()), int(n) if n else 0, m.end()))
        pos = m.end()
    return out


def _column_arms(ctx: Context, headers: list[tuple[str, int, int]]) -> list[str | None]:
    """Arm of each column; a column whose n is far from its arm's n (a pooled "All" column) has none."""
    found: list[str | None] = []
    by_id = {a.id: a for a in arms(ctx)}
    for label, n, _ in headers:
        arm = arm_named(ctx, label) or _same_words(ctx, label)
        size = getattr(by_id.get(arm), "n", None) if arm else None
        if arm in found or (arm and size and n and abs(size - n) > HEADER_N_TOLERANCE * size):
            arm = None
        found.append(arm)
    if None in found and len(headers) == len(by_id) and all(
        getattr(a, "n", None) and abs(a.n - h[1]) <= HEADER_N_TOLERANCE * a.n for a, h in zip(arms(ctx), headers)
    ):
        found = [a.id for a in arms(ctx)]
    return found


def _same_words(ctx: Context, label: str) -> str | None:
    """The one arm whose label has the header's words in another order ("2 × 9 mg/kg Drug" for "Drug 2 × 9 mg/kg")."""
    def words(text: str) -> list[str]:
        return sorted(w.lower() for w in _rx("adverse.header_token").findall(text))
    hits = [a.id for a in arms(ctx) if words(getattr(a, "label", "") or "") == words(label) and words(label)]
    return hits[0] if len(hits) == 1 else None


def _label(raw: str) -> str:
    """Row label: the text before the cells, without footnote letters and group headings."""
    raw = _rx("adverse.flat_label_glued").sub("", _rx("adverse.flat_label_stat").sub("", raw.strip()))
    parts = [p for p in _rx("adverse.flat_footnote").split(raw) if _rx("adverse.word_token").search(p)]
    label = parts[-1] if parts else raw
    return " ".join(label.split()).strip(" ,;:*†‡§#¶")  # a mark after the previous row's last cell


def flat_table_events(ctx: Context, serious_of) -> list[AdverseEvent]:  # type: ignore[no-untyped-def]
    """Events of every flattened adverse-event table in the document text."""
    out: list[AdverseEvent] = []
    text = ctx.text
    if len(arms(ctx)) < 1:
        return out
    parsed = {" ".join(t.label.split()).lower() for t in ctx.tables if t.label}
    for cap in _rx("adverse.inline_caption").finditer(text):
        if " ".join(cap.group(0).split()).strip(" .").lower() in parsed:
            continue  # the table was also read with its cells
        head = text[cap.end() : cap.end() + CAPTION_REACH]
        first = _rx("adverse.flat_header").search(head)
        if first is None or _rx("adverse.inline_caption").search(first["label"]):
            continue  # no columns, or a later caption ("... in Table 3. Table 3 Adverse ...") owns them
        caption = head[: first.start()] + first["label"]  # the label may swallow the caption
        if not _rx("adverse.table_cue").search(caption):
            continue
        body_start = cap.end() + first.start()
        window = text[body_start : body_start + WINDOW]
        end = _rx("adverse.flat_end").search(window)
        window = window[: end.start()] if end else window
        headers = _headers(window)
        if len(headers) < 2 and len(arms(ctx)) > 1:
            continue
        col_arms = _column_arms(ctx, headers)
        if not any(col_arms):
            continue
        events = bool(_rx("adverse.flat_events_cells").search(caption))  # "n (events)" cells
        out += _rows(ctx, window, body_start, headers, col_arms, serious_of, events)
    return out


def _term(label: str, serious_of) -> tuple[str | None, bool | None]:  # type: ignore[no-untyped-def]
    """Event name and seriousness of a row: "Total" is the any-adverse-event row, "Serious" the serious
    adverse events; "Non-serious" (the rest of a total, not an event kind) gives None."""
    if _rx("adverse.flat_total_label").match(label):
        return ANY_EVENT, None
    grade = _rx("adverse.flat_qualifier_label").match(label)
    if grade:
        return (None, False) if grade["non"] else (SERIOUS_EVENTS, True)
    return expand_abbreviations(label).lower(), serious_of(label)


def _rows(ctx: Context, window: str, base: int, headers: list[tuple[str, int, int]],
          col_arms: list[str | None], serious_of, events: bool = False) -> list[AdverseEvent]:  # type: ignore[no-untyped-def]
    out: list[AdverseEvent] = []
    k = len(headers)
    pos = headers[-1][2]
    cells = list(_rx("adverse.flat_cell").finditer(window, pos))
    i = 0
    while i < len(cells):
        run = [cells[i]]
        while i + len(run) < len(cells) and _rx("adverse.flat_cell_gap").match(window[run[-1].end() : cells[i + len(run)].start()]):
            run.append(cells[i + len(run)])
        raw = window[pos : run[0].start()]
        label = _label(raw)
        words = _rx("adverse.word_token").findall(label)
        if len(words) > MAX_LABEL_WORDS:
            break
        if len(run) == k and words and not _rx("adverse.row_not_ae").search(label) or (
            len(run) == k and words and find_terms(label, "adverse_terms")
        ):
            term, serious = _term(label, serious_of)
            for cell, arm in zip(run, col_arms):
                if arm is None or term is None:
                    continue
                n = 0 if cell["zero"] else int(cell["n"])
                pct = 0.0 if cell["zero"] else parse_number(cell["pct"])
                ev = ctx.evidence(base + cell.start(), base + cell.end(), "adverse.flat_table",
                                  context=(base + run[0].start() - len(raw), base + run[-1].end()))
                item = AdverseEvent(term=term, arm=arm, n=n, percent=None if events else pct, serious=serious, evidence=ev)
                if events and pct is not None:
                    item.events = int(pct)  # type: ignore[attr-defined]  # extra key: events, not patients
                out.append(item)
        pos = run[-1].end()
        i += len(run)
    return out
