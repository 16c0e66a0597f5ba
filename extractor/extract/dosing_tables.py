"""Regimens written in table cells ("| Experimental: Drug X | Drug X 1000 mg IV on days 1 and 15 |").

Prose sentences exclude table rows; a registry-style "Arms and interventions" table (or a
"Group | Regimen" table) writes the regimens only there. A cell is read as a sentence when it
gives a drug with its dose written right after it (``dosing.agent_dose_gap``) in running words
(at least ``MIN_WORDS``), so count and percentage cells of baseline tables are not; the row's
first cell names its arm.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from extractor.extract.dosing_agents import find_agents
from extractor.extract.quantities import find_doses
from extractor.extract.tables import arm_for_text
from extractor.nlp.rules import regex

if TYPE_CHECKING:
    from extractor.extract.context import Context

MIN_WORDS = 5
SECTION = "methods"


@dataclass(slots=True)
class CellSentence:
    """A table cell read like a prose sentence (same attributes the dosing loop uses)."""

    text: str
    start: int
    end: int
    section: str = SECTION


def _regimen(cell: str) -> bool:
    if len(cell.split()) < MIN_WORDS:
        return False
    gap = regex("dosing", "dosing.agent_dose_gap")
    doses = find_doses(cell)
    for a in find_agents(cell):
        nxt = next((q for q in doses if q.start >= a.end), None)
        if nxt is not None and gap.match(cell[a.end : nxt.start]):
            return True
    return False


def regimen_cells(ctx: Context) -> list[tuple[CellSentence, str | None]]:
    """(cell as a sentence, arm of its row) for every table cell that writes a regimen."""
    out: list[tuple[CellSentence, str | None]] = []
    for table in ctx.tables:
        for row in table.rows:
            if len(row.cells) < 2:
                continue
            arm = arm_for_text(ctx, row.cells[0]) if row.cells[0].strip() else None
            pos = row.start
            for cell in row.cells[1:]:
                at = ctx.text.find(cell, pos, row.end + 1) if cell else -1
                if at < 0 or not _regimen(cell):
                    continue
                pos = at + len(cell)
                out.append((CellSentence(cell, at, at + len(cell)), arm))
    return out
