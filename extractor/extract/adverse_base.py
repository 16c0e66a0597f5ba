"""Shared pieces of the adverse-event readers: seriousness of a wording, negation of a term, whole
counts, and the event item itself (an abbreviation such as "AEs" or "SAE" is named by what it counts).
Rules: ``adverse.serious``, ``adverse.non_serious``, ``adverse.negation``, ``adverse.negated_after``,
``adverse.abbreviation``.
"""

from __future__ import annotations

from extractor.extract.adverse_tables import canonical_term
from extractor.extract.context import Context
from extractor.extract.numbers import parse_number
from extractor.nlp.rules import regex
from extractor.records import AdverseEvent


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex("adverse", rule_id)


def seriousness(text: str) -> bool | None:
    """Pure: True for serious/SAE/severe wording, False for mild/transient/non-serious, else None."""
    if _rx("adverse.serious").search(text):
        return True
    if _rx("adverse.non_serious").search(text):
        return False
    return None


def negated(text: str, start: int, end: int) -> bool:
    """Pure: is the term at ``[start, end)`` of a clause negated ("no X", "X were not observed")?"""
    return bool(_rx("adverse.negation").search(text[:start]) or _rx("adverse.negated_after").match(text[end:]))


def to_int(raw: str | None) -> int | None:
    v = parse_number(raw) if raw else None
    return int(v) if v is not None and v == int(v) else None


def make_event(ctx: Context, term: str, canonical: str | None, n: int | None, pct: float | None,
           serious: bool | None, arm: str | None, start: int, end: int, rule: str) -> AdverseEvent:
    if canonical and _rx("adverse.abbreviation").fullmatch(term):
        term = canonical  # "AEs", "SAE": the name says what was counted
    item = AdverseEvent(term=term, arm=arm, n=n, percent=pct, serious=serious, evidence=ctx.evidence(start, end, rule))
    if canonical and canonical != term:
        item.canonical = canonical  # type: ignore[attr-defined]  # extra key: vocabulary id
    return item


def canonical_of(term: str) -> str | None:
    """The vocabulary id of an event name, else None."""
    return canonical_term(term)
