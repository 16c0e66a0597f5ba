"""A laboratory value that fell below a threshold, counted as an adverse event: "Serum IgG fell
below 3 g/L in 3 X patients and in no Y patient", "IgG fell below 5 g/L in one patient". The event
is named by the analyte and its threshold ("serum IgG below 3 g/L"); per-arm counts follow the
arms named after each count, a single count takes the clause's arm. Rules: ``adverse.level_below``,
``adverse.level_count``.
"""

from __future__ import annotations

from extractor.extract.adverse_base import make_event, negated, to_int
from extractor.extract.adverse_counts import arm_counts
from extractor.extract.context import Context
from extractor.extract.tables import arms
from extractor.nlp.rules import regex
from extractor.records import AdverseEvent


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex("adverse", rule_id)


def level_events(ctx: Context, text: str, cbase: int, arm: str | None, serious: bool | None) -> list[AdverseEvent]:
    """Events of one clause written as a laboratory value below a threshold."""
    out: list[AdverseEvent] = []
    multi = len(arms(ctx)) > 1
    for m in _rx("adverse.level_below").finditer(text):
        if negated(text, m.start(), m.start()):
            continue
        term = f"{' '.join(m['what'].split())} below {' '.join(m['thr'].split())}"
        after = text[m.end() :]
        by_arm = [c for c in arm_counts(ctx, after) if c.arm] if multi else []
        if by_arm and len({c.arm for c in by_arm}) == len(by_arm):
            out += [make_event(ctx, term, None, c.n, c.percent, serious, c.arm, cbase + m.start(),
                               cbase + m.end() + c.end, "adverse.level_below") for c in by_arm]
            continue
        one = _rx("adverse.level_count").match(after)
        n = to_int(one["n"]) if one else None
        if n is not None:
            out.append(make_event(ctx, term, None, n, None, serious, arm, cbase + m.start(),
                                  cbase + m.end() + one.end(), "adverse.level_below"))
    return out
