"""Event names as tables write them: abbreviations written out ("Any TEAE" → "Any treatment-emergent
adverse event", "Serious AEs" → "Serious adverse events"). Rule: ``adverse.ae_abbrev_token``."""

from __future__ import annotations

from extractor.nlp.rules import regex


def expand_abbreviations(label: str) -> str:
    """Pure: "Any TEAE" → "Any treatment-emergent adverse event", "Serious AEs" → "Serious adverse events"."""
    def full(m) -> str:  # type: ignore[no-untyped-def]
        prefix = {"TE": "treatment-emergent ", "S": "serious "}.get(m["prefix"] or "", "")
        return f"{prefix}adverse event{m['plural'] or ''}"
    return regex("adverse", "adverse.ae_abbrev_token").sub(full, label)
