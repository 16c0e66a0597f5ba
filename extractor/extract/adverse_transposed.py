"""An adverse-event table laid out the other way round: one row per arm ("Placebo (n = 48)"), one
column per event ("Serious AEs, n (%)", "Herpes zoster, n (%)"). Read only when two or more row
labels name distinct arms and a column header names an event (vocabulary term, harm-like word or
adverse-event wording). Rules: ``adverse.flat_label_stat``, ``adverse.ae_like``, ``adverse.table_cue``,
``adverse.row_not_ae``, ``adverse.zero_cell``.
"""

from __future__ import annotations

from collections.abc import Callable

from extractor.extract.adverse_arms import arm_named
from extractor.extract.adverse_names import expand_abbreviations
from extractor.extract.context import Context
from extractor.extract.numbers import CountPercent, find_count_percents
from extractor.extract.tables import arm_n, arms, find_terms, header_n
from extractor.nlp.rules import regex
from extractor.records import AdverseEvent, Table


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex("adverse", rule_id)


def _event_header(label: str) -> bool:
    vocab = bool(find_terms(label, "adverse_terms"))
    if _rx("adverse.row_not_ae").search(label) and not vocab:
        return False
    return vocab or bool(_rx("adverse.ae_like").search(label) or _rx("adverse.table_cue").search(label))


def transposed_events(ctx: Context, table: Table, seriousness: Callable[[str], bool | None]) -> list[AdverseEvent]:
    rows = [r for r in table.rows if any(c.strip() for c in r.cells)]
    if len(rows) < 3 or len(arms(ctx)) < 2:
        return []
    body = rows[1:]
    row_arms = [arm_named(ctx, r.cells[0]) if r.cells else None for r in body]
    named = [a for a in row_arms if a]
    if len(named) < 2 or len(set(named)) != len(named):
        return []
    out: list[AdverseEvent] = []
    for j, head in enumerate(rows[0].cells[1:], start=1):
        label = " ".join(_rx("adverse.flat_label_stat").sub("", head).split()).strip(" ,;:*†‡§#")
        if not label or not _event_header(label):
            continue
        term = expand_abbreviations(label).lower()
        for row, arm in zip(body, row_arms):
            if arm is None or j >= len(row.cells):
                continue
            text = row.cells[j].strip()
            size = header_n(row.cells[0]) or arm_n(ctx, arm)
            counts = find_count_percents(text, total=size)
            if _rx("adverse.zero_cell").match(text):
                counts = [CountPercent(0, None, 0.0, 0, len(text), rule="adverse.zero_cell")]
            if not counts or counts[0].start != 0 or counts[0].n is None and counts[0].percent is None:
                continue
            item = AdverseEvent(term=term, arm=arm, n=counts[0].n, percent=counts[0].percent, serious=seriousness(label),
                                evidence=ctx.row_evidence(row, "adverse.table_transposed"))
            if header_n(row.cells[0]):
                item.N = header_n(row.cells[0])  # type: ignore[attr-defined]  # the row's own denominator
            out.append(item)
    return out
