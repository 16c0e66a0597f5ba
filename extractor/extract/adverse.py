"""Adverse events by term and arm."""

from __future__ import annotations

from extractor.extract.context import Context
from extractor.records import AdverseEvent


def extract_adverse_events(ctx: Context) -> list[AdverseEvent]:
    return []
