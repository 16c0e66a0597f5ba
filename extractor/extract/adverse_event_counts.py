"""Per-arm counts of events, not of patients, for all adverse events of a grade or above.

"More grade 2 or higher AEs occurred in X subjects (167 or 4.1 events/subject) compared with Y
(117, 3.8 events/subject) or control subjects (133, 3.2 events/subject)": one item per arm, term
"grade ≥2 adverse events", ``n`` unknown (the counts are events), the count in the extra key
``events`` and the rate in ``per_subject``. Each count takes the arm named between it and the
count before (rule ``adverse.events_per_arm_count``); a group named only as the control is the
one control or placebo arm left. Read only when every count finds its own arm.
"""

from __future__ import annotations

from extractor.extract.adverse_arms import arm_named
from extractor.extract.adverse_base import make_event
from extractor.extract.context import Context
from extractor.extract.numbers import parse_number
from extractor.extract.tables import arms
from extractor.nlp.rules import regex
from extractor.records import AdverseEvent

RULE = "adverse.events_per_arm"
CONTROL_ROLES = frozenset({"control", "placebo"})


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex("adverse", rule_id)


def _name(m) -> str:  # type: ignore[no-untyped-def]
    at_least = bool(m["up"]) or (m["op"] or "").strip() not in ("", ">")
    above = (m["op"] or "").strip() == ">"
    grade = int(m["g"]) + (1 if above else 0)
    return f"grade {'≥' if at_least or above else ''}{grade} adverse events"


def _control_arm(ctx: Context, taken: set[str]) -> str | None:
    left = [a for a in arms(ctx) if a.id not in taken and (getattr(a, "role", None) or "") in CONTROL_ROLES]
    return left[0].id if len(left) == 1 else None


def event_counts(ctx: Context, text: str, base: int, serious: bool | None) -> list[AdverseEvent]:
    """Items of one sentence (offsets from ``base``), or none."""
    many = arms(ctx)
    term = _rx("adverse.graded_total").search(text) if len(many) > 1 else None
    if term is None:
        return []
    cells = list(_rx("adverse.events_per_arm_count").finditer(text, term.end()))
    if len(cells) < 2 or len(cells) > len(many):
        return []
    found: list[tuple[str, object]] = []
    prev = term.end()
    for m in cells:
        lead = text[prev : m.start()]
        arm = arm_named(ctx, lead)
        if arm is None and _rx("adverse.control_word").search(lead):
            arm = _control_arm(ctx, {a for a, _ in found})
        if arm is None or any(arm == a for a, _ in found):
            return []
        found.append((arm, m))
        prev = m.end()
    out = []
    for arm, m in found:
        item = make_event(ctx, _name(term), None, None, None, serious, arm, base + m.start(), base + m.end(), RULE)  # type: ignore[attr-defined]
        item.events = int(m["n"])  # type: ignore[attr-defined,index]
        if m["rate"]:  # type: ignore[index]
            item.per_subject = parse_number(m["rate"])  # type: ignore[attr-defined,index]
        out.append(item)
    return out
