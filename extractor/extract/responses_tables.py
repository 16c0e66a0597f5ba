"""Response rates read from tables.

* Rows named by a response term, arm columns ("Complete renal response | 58/179 (32.4) | ...");
  a row named only by a time point ("Week 24") takes the term of its group row above it
  ("Complete renal response, n/N (%)" on a row of its own).
* Arms in rows, responses in columns ("Arm | Overall renal response"); there a bare count is a
  count ("Observation group | 30 | 18 | 9 | 3": cases, complete, partial, ineffective).
* Efficacy-scale tables of Chinese-style reports (DOMAIN.md §2.1): columns "markedly effective
  | effective | ineffective | total effective" are complete, partial, none and overall, in that
  order, whatever state the header text is in (PDF headers split these words across lines).
* Plain-text tables (columns aligned with runs of spaces) that ingest did not detect as tables:
  a line "CR at month 12      10 (43,5)      9 (39,1)" with one value column per arm.
"""

from __future__ import annotations

from extractor.extract.context import Context
from extractor.extract.numbers import CountPercent
from extractor.extract.responses_items import as_time, fallback_time, first_time, make_item, typed_terms, usual_time
from extractor.extract.responses_times import with_time_lists
from extractor.extract.responses_values import values_in
from extractor.extract.tables import arm_for_text, arm_n, arms, follow_up, table_cells
from extractor.extract.timepoints import TimeMention
from extractor.nlp.rules import regex
from extractor.records import Response, TimePoint

CAPTION_WINDOW = 300  # characters before a table searched for its caption line
EFFICACY_SCALE = ("complete", "partial", "none", "overall")  # markedly effective, effective, ineffective, total


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex("responses", rule_id)


def _column_arms(ctx: Context, cells: list[object]) -> dict[int, str | None]:
    """Arm of each value column: the header's arm, else columns in report order when there are
    as many value columns as arms and the headers name none or repeat one."""
    cols = sorted({c.col for c in cells})  # type: ignore[attr-defined]
    found = {c.col: c.arm for c in cells}  # type: ignore[attr-defined]
    many = arms(ctx)
    by_header = [found[c] for c in cols]
    if len(many) > 1 and len(cols) == len(many) and (None in by_header or len(set(by_header)) < len(by_header)):
        return {c: a.id for c, a in zip(cols, many)}
    return found


def _scale_columns(cells: list[object]) -> dict[int, str]:
    """Value column → response type of an efficacy-scale table ({} when it is not one)."""
    headers = " ".join(sorted({c.header for c in cells}))  # type: ignore[attr-defined]
    if not _rx("responses.efficacy_scale_header").search(headers):
        return {}
    cols = sorted({c.col for c in cells if _cell_values(c.text, None)  # type: ignore[attr-defined]
                   and not _rx("responses.size_column_header").match(c.header)})  # type: ignore[attr-defined]
    if len(cols) not in (len(EFFICACY_SCALE), len(EFFICACY_SCALE) - 1):
        return {}
    return dict(zip(cols, EFFICACY_SCALE))


def _stated(*mentions: TimeMention | None) -> TimeMention | None:
    """The first time point stated for a cell; baseline is not a time point of a response rate."""
    return next((m for m in mentions if m is not None and m.value), None)


def from_tables(ctx: Context, prose: list[Response]) -> list[Response]:
    out: list[Response] = []
    fu = follow_up(ctx)
    usual = usual_time(prose)
    for table in ctx.tables:
        try:
            out += _table_items(ctx, table, fu, usual)
        except Exception as exc:  # noqa: BLE001 - one unreadable table must not lose the others
            ctx.warnings.append(f"responses: table at {table.start} skipped ({type(exc).__name__}: {exc})")
    try:
        out += _text_rows(ctx, usual)
    except Exception as exc:  # noqa: BLE001
        ctx.warnings.append(f"responses: plain-text table rows skipped ({type(exc).__name__}: {exc})")
    return out


def _table_items(ctx: Context, table, fu: tuple[float, str] | None, usual: TimePoint | None) -> list[Response]:  # type: ignore[no-untyped-def]
    """The rates of one table."""
    out: list[Response] = []
    try:
        cells = table_cells(ctx, table)
    except TypeError:  # tables.header_n on a header whose "n" group is empty (reported to its owner)
        return out
    col_arm = _column_arms(ctx, [c for c in cells if _rx("responses.table_value_column").search(c.header) is None])
    scale = _scale_columns(cells)
    caption_terms = _one_type(typed_terms(ctx, caption_of(ctx, table)))
    label_head = table.rows[0].cells[0] if table.rows and table.rows[0].cells else ""
    of_responses = bool(_rx("responses.response_context").search(f"{label_head} {caption_of(ctx, table)}"))
    out += _pooled_rows(ctx, table, cells, fu, usual)
    title, frame = registry_block(ctx, table)
    title_terms = _one_type(_outside_parens(title, typed_terms(ctx, title))) if _rx("responses.percent_measure").search(title) else []
    for cell in cells:
        percents = False
        arm_id = col_arm.get(cell.col, cell.arm)
        if scale:
            arm_id = arm_for_text(ctx, cell.row_label)
            if cell.col not in scale or arm_id is None:
                continue
            key = scale[cell.col]
        else:
            terms = typed_terms(ctx, cell.row_label)
            if not terms and cell.group and (first_time(ctx, cell.row_label) or first_time(ctx, cell.group)):
                terms = typed_terms(ctx, cell.group)  # "Week 24" (or a subgroup) under "Complete renal response, n/N (%)"
            if not terms and of_responses:  # "Complete, 6 months" under a "Response" label column
                terms = adjective_terms(ctx, cell.row_label)
            if not terms and first_time(ctx, cell.row_label):  # "Year 2" rows under "Table 1. Complete renal response by year"
                terms = caption_terms
            if not terms and title_terms and _rx("responses.measure_type_row").match(cell.row_label):
                terms, percents = title_terms, True  # "Measure Type: Number ... percentage of participants | 46.6 | 57.7"
            if not terms:  # arms in rows, responses in columns ("Arm/Group | Overall renal response")
                terms = typed_terms(ctx, cell.header)
                arm_id = arm_for_text(ctx, cell.row_label) if terms else None
                if not terms or arm_id is None:
                    continue
            key = terms[0].canonical
        counts = scale or typed_terms(ctx, cell.header) and not typed_terms(ctx, cell.row_label)  # response columns
        values = _percent_cell(cell.text) if percents else (_cell_values if counts else values_in)(cell.text, cell.n or arm_n(ctx, arm_id))
        if not values:
            continue
        v = values[0]
        if cell.n and v.N is None:
            v.N = cell.n
        tm = _stated(cell.time, first_time(ctx, cell.row_label), first_time(ctx, cell.group), first_time(ctx, caption_of(ctx, table)),
                     first_time(ctx, cell.header), first_time(ctx, frame))
        time = as_time(tm) or as_time(fallback_time(ctx, key, fu)) or usual
        item = make_item(ctx, key, arm_id, time, v, v.repaired,
                         ctx.row_evidence(cell.row, "response.table_cell", cell.start + v.start, cell.start + v.end))
        if item is not None:
            out.append(item)
    return out


def adjective_terms(ctx: Context, label: str) -> list:  # type: ignore[type-arg]
    """The response type a row label names by its adjective alone ("Complete, 6 months",
    "Overall"): the terms of "<adjective> response" (the caller knows the table is of responses)."""
    m = _rx("responses.type_adjective_label").match(label)
    return typed_terms(ctx, f"{m['adj']} response") if m else []


def _pooled_rows(ctx: Context, table, cells: list, fu: tuple[float, str] | None,  # type: ignore[no-untyped-def]
                 usual: TimePoint | None) -> list[Response]:
    """Rows "Pooled | belimumab 285/563 (50.6%) | placebo | 219/562 (39.0%) | OR 1.68 (...)" of a
    block the sentence before it introduces ("The SRI-4 response rate at week 52 was ...:"): each
    value takes the arm named in its cell or in the value-less cell before it."""
    out: list[Response] = []
    lead: str | None = None
    for row_index in sorted({c.row_index for c in cells}):
        row = [c for c in cells if c.row_index == row_index]
        label = row[0].row_label
        if not _rx("responses.pooled_row_label").match(label) or typed_terms(ctx, label):
            continue
        lead = block_lead(ctx.text, table.start) or caption_of(ctx, table) if lead is None else lead
        terms = _one_type(typed_terms(ctx, lead))
        if not terms:
            return out
        found, named = [], None
        for c in row:
            if _rx("responses.effect_cell").match(c.text):
                continue
            values, here = values_in(c.text, None), arm_for_text(ctx, c.text)
            if not values:
                named = here
                continue
            found.append((c, values[0], here or named))
            named = None
        arm_ids = [a for _, _, a in found]
        if len(found) != len(arms(ctx)) or None in arm_ids or len(set(arm_ids)) != len(arm_ids):
            continue
        key = terms[0].canonical
        window = next(iter(with_time_lists(lead, [], [])), None)  # "Renal flares over 76 weeks were:"
        time = as_time(first_time(ctx, label) or first_time(ctx, lead) or window) or as_time(fallback_time(ctx, key, fu)) or usual
        for c, v, arm_id in found:
            item = make_item(ctx, key, arm_id, time, v, v.repaired,
                             ctx.row_evidence(c.row, "response.pooled_row", c.start + v.start, c.start + v.end))
            if item is not None:
                out.append(item)
    return out


def registry_block(ctx: Context, table) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """``(title, time frame)`` of the results-registry outcome block a table belongs to
    ("**Outcome Measure:** Percentage of Participants With ...", "**Time Frame:** Week 52"), or
    empty strings: the title is the last one written before the table with no other table between."""
    start = max([t.end for t in ctx.tables if t.end <= table.start] + [max(0, table.start - CAPTION_WINDOW * 5)])
    titles = list(_rx("responses.outcome_title_before").finditer(ctx.text, start, table.start))
    if not titles:
        return "", ""
    frame = _rx("responses.time_frame_before").search(ctx.text, titles[-1].end(), table.start)
    return titles[-1]["title"], frame["frame"] if frame else ""


def _outside_parens(text: str, terms: list) -> list:  # type: ignore[type-arg]
    """The terms not written inside parentheses ("Overall Renal Response (CRR + PRR)": overall)."""
    depth, inside = 0, []
    for ch in text:
        depth += (ch == "(") - (ch == ")") * (depth > 0)
        inside.append(depth > 0)
    return [t for t in terms if not inside[t.start]]


def _percent_cell(text: str) -> list[CountPercent]:
    """The percent of a cell holding only a number, in a row whose values are percents."""
    m = _rx("responses.bare_percent_cell").match(text)
    pct = float(m["p"].replace(",", ".")) if m else None
    return [CountPercent(None, None, pct, m.start("p"), m.end("p"), rule="responses.bare_percent_cell")] if m and pct is not None and pct <= 100 else []


def _cell_values(text: str, total: int | None) -> list[CountPercent]:
    """Values of a cell under a response column: "20 (40.0)", or a bare count "20" ("Complete
    remission | Partial remission | Ineffective" tables of counts per arm row)."""
    found = values_in(text, total)
    m = _rx("responses.bare_count_cell").match(text) if not found else None
    return [CountPercent(int(m["n"]), None, None, m.start("n"), m.end("n"), rule="responses.bare_count_cell")] if m else found


def caption_of(ctx: Context, table) -> str:  # type: ignore[no-untyped-def]
    """The table's caption, else the caption line written right above it ("**Table 1.** ...")."""
    if table.caption:
        return str(table.caption)
    m = _rx("responses.caption_before").search(ctx.text, max(0, table.start - CAPTION_WINDOW), table.start)
    return m.group(0).strip() if m else ""


def _one_type(terms: list) -> list:  # type: ignore[type-arg]
    """The terms of a caption that names one response type (several: the rows cannot tell which)."""
    return terms[:1] if terms and len({t.canonical for t in terms}) == 1 else []


def _text_rows(ctx: Context, usual: TimePoint | None) -> list[Response]:
    """Lines of a plain-text table: a response-term label, then one value column per arm."""
    many = arms(ctx)
    spans = [(t.start, t.end) for t in ctx.tables]
    out: list[Response] = []
    fu = follow_up(ctx)
    for m in _rx("responses.text_table_row").finditer(ctx.text):
        if any(s <= m.start() < e for s, e in spans):
            continue
        label = m.group("label")
        terms, lead = typed_terms(ctx, label), ""
        if not terms and _rx("responses.pooled_row_label").match(label):  # "Pooled   A 285/563 (50.6%)   B ..."
            lead = block_lead(ctx.text, m.start())
            terms = _one_type(typed_terms(ctx, lead))
        if not terms:
            continue
        cols = [(c.start(), c.end()) for c in _rx("responses.text_table_cell").finditer(m.group("cells"))
                if not _rx("responses.effect_cell").match(c.group(0))]
        if len(cols) != max(len(many), 1):
            continue
        key = terms[0].canonical
        time = as_time(first_time(ctx, label) or first_time(ctx, lead)) or as_time(fallback_time(ctx, key, fu)) or usual
        base = m.start("cells")
        named = [arm_for_text(ctx, ctx.text[base + s : base + e]) for s, e in cols]
        order = named if None not in named and len(set(named)) == len(named) else [a.id for a in many] or [None]
        for (s, e), arm_id in zip(cols, order):
            values = values_in(ctx.text[base + s : base + e], arm_n(ctx, arm_id))
            if len(values) != 1:
                continue
            v = values[0]
            item = make_item(ctx, key, arm_id, time, v, v.repaired,
                             ctx.evidence(base + s + v.start, base + s + v.end, "response.text_table_row"))
            if item is not None:
                out.append(item)
    return out


def block_lead(text: str, start: int) -> str:
    """The sentence that introduces an aligned text block with a colon ("The SRI-4 response rate at
    week 52 was higher ...:") when only rows of the block stand between it and ``start``."""
    window = text[max(0, start - CAPTION_WINDOW * 2) : start]
    colon = window.rfind(":")
    if colon < 0 or any(line.strip() and not _rx("responses.text_table_row").fullmatch(line)
                        for line in window[colon + 1 :].split("\n")):
        return ""
    head = window[:colon]
    return head[max(head.rfind(". "), head.rfind(".\n")) + 1 :]
