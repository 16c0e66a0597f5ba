"""Interventions: study drug, comparator, background therapy and premedication."""

from __future__ import annotations

from extractor.extract.context import Context
from extractor.records import Intervention


def extract_interventions(ctx: Context) -> list[Intervention]:
    return []
