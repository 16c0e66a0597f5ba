"""Outcome measures (SLEDAI, proteinuria, ...) by arm and time point."""

from __future__ import annotations

from extractor.extract.context import Context
from extractor.records import Outcome


def extract_outcomes(ctx: Context) -> list[Outcome]:
    return []
