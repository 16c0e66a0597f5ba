"""Response counts of per-patient tables (case series): one row per patient, a column grading
each patient's response ("Patient | ... | Response at 6 months" with cells "Complete", "Partial",
"None"). The report may state no count at all; the counts are the rows of each grade, N the
patients graded, and the overall (complete + partial) count their sum. A table is read only when
its first column names patients (``responses.patient_column_header``) and every patient row of
the response column holds a grade (``responses.grade_cell``).

Per-patient prose (case letters: paragraphs "Patient 1, a 24-year-old woman ... a complete
response." numbered 1, 2, 3 …): each paragraph's last graded term (complete, partial, no
response) is that patient's grade; read only when every paragraph has one.
"""

from __future__ import annotations

from collections import Counter

from extractor.extract.context import Context
from extractor.extract.numbers import CountPercent
from extractor.extract.responses_items import as_time, fallback_time, first_time, make_item, typed_terms
from extractor.extract.tables import arms, find_terms, follow_up, timepoints_in
from extractor.extract.timepoints import TimeMention
from extractor.nlp.rules import regex
from extractor.records import Response

GRADES = ("complete", "partial", "none")  # named groups of responses.grade_cell = response types
MIN_PATIENTS = 2  # fewer rows are not a case series table


def count_grades(header: list[str], rows: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    """Pure: ``(column, {type: patients})`` of the first response column of a per-patient table
    (``header`` its column names, ``rows`` the patient rows), or None when it is not one."""
    if len(rows) < MIN_PATIENTS or not header or not regex("responses", "responses.patient_column_header").match(header[0]):
        return None
    for j, name in enumerate(header[1:], start=1):
        if not find_terms(name, "response_terms"):
            continue
        grades = [regex("responses", "responses.grade_cell").match(r[j] if j < len(r) else "") for r in rows]
        if not all(grades):
            continue
        counts: dict[str, int] = {}
        for m in grades:
            kind = m.lastgroup if m is not None else None
            if kind in GRADES:
                counts[kind] = counts.get(kind, 0) + 1
        return j, counts
    return None


def case_rates(ctx: Context) -> list[Response]:
    """Counted response items of the per-patient tables of ``ctx``."""
    many = arms(ctx)
    if len(many) > 1:
        return []  # one row per patient of a single group; arms would need a column of their own
    arm_id = many[0].id if many else None
    fu = follow_up(ctx)
    out: list[Response] = []
    for table in ctx.tables:
        rows = [r for r in table.rows if any(c.strip() for c in r.cells)]
        if not rows:
            continue
        found = count_grades([c.strip() for c in rows[0].cells], [[c.strip() for c in r.cells] for r in rows[1:]])
        if found is None:
            continue
        col, counts = found
        total = sum(counts.values())
        if counts.get("complete") or counts.get("partial"):
            counts["overall"] = counts.get("complete", 0) + counts.get("partial", 0)
        header = rows[0].cells[col]
        for key, n in counts.items():
            tm = first_time(ctx, header) or fallback_time(ctx, key, fu)
            v = CountPercent(n, total, None, table.start, table.end, rule="response.case_table_count")
            item = make_item(ctx, key, arm_id, as_time(tm), v, None,
                             ctx.evidence(rows[0].start, rows[0].end, "response.case_table_count", context=(table.start, table.end)))
            if item is not None:
                out.append(item)
    return out


def prose_case_rates(ctx: Context) -> list[Response]:
    """Counted response items of per-patient paragraphs (single-group reports only)."""
    many = arms(ctx)
    if len(many) > 1:
        return []
    heads = list(regex("cohort", "cohort.patient_paragraph").finditer(ctx.text))
    if len(heads) < MIN_PATIENTS or [int(m["n"]) for m in heads] != list(range(1, len(heads) + 1)):
        return []
    grades: list[str] = []
    times: Counter[tuple[float, str]] = Counter()
    fu = follow_up(ctx)
    for m, nxt in zip(heads, heads[1:] + [None]):
        blank = ctx.text.find("\n\n", m.end())
        end = nxt.start() if nxt else blank if blank >= 0 else len(ctx.text)  # the last paragraph ends at a blank line
        para = ctx.text[m.end() : end]
        graded = [t for t in typed_terms(ctx, para) if t.canonical in GRADES]
        if not graded:
            return []
        grades.append(graded[-1].canonical)
        stop = para.find(". ", graded[-1].end)
        found = [t for t in timepoints_in(para[: stop if stop > 0 else len(para)], fu) if t.value]
        if found:
            times[(found[-1].value, found[-1].unit)] += 1
    counts = {g: grades.count(g) for g in GRADES if g in grades}
    if counts.get("complete") or counts.get("partial"):
        counts["overall"] = counts.get("complete", 0) + counts.get("partial", 0)
    arm_id = many[0].id if many else None
    out: list[Response] = []
    for key, n in counts.items():
        tm = as_time(fallback_time(ctx, key, fu))
        if times:
            (value, unit), _ = times.most_common(1)[0]
            tm = as_time(TimeMention(value, unit, None, 0, 0, "per-patient prose"))
        v = CountPercent(n, len(heads), None, heads[0].start(), heads[0].end(), rule="response.case_prose_count")
        item = make_item(ctx, key, arm_id, tm, v, None, ctx.evidence(heads[0].start("n"), heads[0].end("n"), "response.case_prose_count"))
        if item is not None:
            out.append(item)
    return out
