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
MIN_ROW_LABEL = 4  # characters of a row label matched inside an arm label
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


def _row_arm(ctx: Context, cell: str) -> str | None:
    """The arm a row names: :func:`arm_for_text`, else the one arm whose label contains the cell's
    words ("Intensified regimen" → "anifrolumab intensified regimen")."""
    found = arm_for_text(ctx, cell)
    words = " ".join(cell.lower().split())
    if found or len(words) < MIN_ROW_LABEL:
        return found
    hits = [a.id for a in ctx.state.get("arms", []) if words in " ".join((getattr(a, "label", "") or "").lower().split())]
    return hits[0] if len(hits) == 1 else None


def regimen_cells(ctx: Context) -> list[tuple[CellSentence, str | None]]:
    """(cell as a sentence, arm of its row) for every table cell that writes a regimen."""
    out: list[tuple[CellSentence, str | None]] = []
    for table in ctx.tables:
        for row in table.rows:
            if len(row.cells) < 2:
                continue
            arm = _row_arm(ctx, row.cells[0]) if row.cells[0].strip() else None
            pos = row.start
            for cell in row.cells[1:]:
                at = ctx.text.find(cell, pos, row.end + 1) if cell else -1
                if at < 0 or not _regimen(cell):
                    continue
                pos = at + len(cell)
                out.append((CellSentence(cell, at, at + len(cell)), arm))
    return out


def _dosed(cell: str) -> dict[str, tuple[float, str | None] | None]:
    """Agent → the dose written right after it in a cell (None when undosed)."""
    gap = regex("dosing", "dosing.agent_dose_gap")
    doses = find_doses(cell)
    out: dict[str, tuple[float, str | None] | None] = {}
    for a in find_agents(cell):
        nxt = next((q for q in doses if q.start >= a.end), None)
        dose = (nxt.value, nxt.unit) if nxt is not None and gap.match(cell[a.end : nxt.start]) else None
        out.setdefault(a.canonical, dose)
    return out


def shared_cell_agents(ctx: Context) -> frozenset[str]:
    """Agents every regimen cell of a row gives at the same dose ("Placebo IV ..., plus MMF titrated
    to 3 g/day and prednisone 0.75 mg/kg/day" | "Rituximab 1000 mg IV ..., plus MMF titrated to 3 g/day
    and prednisone 0.75 mg/kg/day"): the regimen the arms share. A drug given at different doses
    (dose-ranging cells) is what tells the arms apart, so it is not shared."""
    out: set[str] = set()
    for table in ctx.tables:
        for row in table.rows:
            cells = [c for c in row.cells[1:] if c and _regimen(c)]
            if len(cells) < 2:
                continue
            dosed = [_dosed(c) for c in cells]
            common = set.intersection(*(set(d) for d in dosed)) - {"placebo"}
            out |= {a for a in common if len({d[a] for d in dosed}) == 1}
    return frozenset(out)

