"""Values of a results clause that look like doses but are measurements (:func:`not_measured`).

"4.3 g (SD 2.5) in the X group", "3,9 ± 2,4 g/24 h", "28 g/L", "proteinuria at entry was 4.1 g in
the X group and 4.3 g in the Y group": a dose sits next to its agent or schedule; a lab value sits
next to its measure (``rules/vocab/measures.tsv``), its spread or a concentration unit
(``dosing.measured_after`` / ``dosing.measured_before``).
"""

from __future__ import annotations

from extractor.extract.quantities import Quantity
from extractor.extract.terms import Term, find_terms
from extractor.nlp.rules import regex

DOSE_MEASURES = frozenset({"prednisone_dose"})  # measures that are themselves a drug's dose
NEAR = 80  # max characters between a measure (or the previous lab value) and a value read as its lab value


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex("dosing", rule_id)


def not_measured(text: str, agents: list[Term], doses: list[Quantity]) -> list[Quantity]:
    """The doses less the lab values of a results clause: a value with its spread or a concentration
    unit (:func:`_measured`); a value written after a lab measure with no agent between ("proteinuria
    at entry was 4.1 g ..."); and the parallel value that follows one ("... and 4.3 g in the X group"),
    unless an agent takes it as its dose ("... received MMF 2 g/day")."""
    labs = [t for t in find_terms(text, "measures") if t.canonical not in DOSE_MEASURES
            and not any(t.start < a.end and a.start < t.end for a in agents)]
    kept, prev = [], None
    for q in doses:
        lab = next((t for t in reversed(labs) if t.end <= q.start), None)
        last = next((a for a in reversed(agents) if a.end <= q.start), None)
        attached = last is not None and bool(_rx("dosing.agent_dose_gap").match(text[last.end : q.start]))
        if (_measured(text, q)
                or (lab is not None and q.start - lab.end <= NEAR and (last is None or last.end <= lab.start))
                or (prev is not None and not attached and prev.unit == q.unit and q.start - prev.end <= NEAR
                    and _rx("dosing.list_break").search(text[prev.end : q.start]))):
            prev = q
            continue
        kept.append(q)
        prev = None
    return kept


def _measured(text: str, q: Quantity) -> bool:
    """A value written with its spread ("4.3 g (SD 2.5) in the X group", "3,9 ± 2,4 g/24 h"): a
    measurement of a results sentence, not a dose."""
    return bool(_rx("dosing.measured_after").match(text[q.end :]) or _rx("dosing.measured_before").search(text[: q.start]))
