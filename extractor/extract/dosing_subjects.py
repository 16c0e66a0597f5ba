"""Which arm a dose belongs to when the clause names the arm, not the drug (used by :mod:`dosing`).

* :func:`subject_agents` — "The BR was 900 mg intravenously every 4 weeks; the IR was 900 mg ...",
  "Group A received 1 g/m2 monthly": an arm written as the subject of a dose, with no drug named
  between them, is given the drug its arm stands for — the drug its label names; the drug an
  abbreviation of the label was defined after ("an X basic regimen (BR)"); else the one study
  drug (experimental arm) or comparator drug (control arm) the report names. The result is a
  :class:`Term` over the arm's words, which the clause reader then doses like a drug name.
* :func:`alternative_arm` — "randomised to X 30 mg (n = 160) or to a course of Y (n = 158)":
  a drug written after "or / versus" goes to the arm named after that word, not to the longer
  arm label written before it.

Pure functions over one clause plus the document's arms.
"""

from __future__ import annotations

from typing import Any

from extractor.extract.dosing_agents import find_agents
from extractor.extract.quantities import find_doses
from extractor.extract.terms import Term
from extractor.nlp.rules import regex

ABBREVIATION_WINDOW = 80  # characters before "(ABBR)" searched for the drug it abbreviates
SUBJECT_RULE = "arm_subject"  # Term.extra[1]: a drug read from the arm that is the subject of a dose


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex("dosing", rule_id)


def _label(arm: Any) -> str:
    return getattr(arm, "label", "") or ""


def _abbreviated(text: str, word: str) -> str | None:
    """The drug an abbreviation was defined after ("an X intensified regimen (IR)" → X)."""
    for m in _rx("dosing.abbreviation_defined_as").finditer(text):
        if m["abbr"] != word:
            continue
        window = text[max(0, m.start() - ABBREVIATION_WINDOW) : m.start()]
        named = [t for t in find_agents(window) if t.canonical != "placebo"]
        if named and _rx("dosing.abbreviation_tail").fullmatch(window[named[-1].end :]):
            return named[-1].canonical
    return None


def _arm_agent(text: str, arm: Any, study: set[str], comparator: set[str]) -> str | None:
    label = _label(arm)
    named = {t.canonical for t in find_agents(label) if t.canonical != "placebo"}
    if len(named) == 1:
        return next(iter(named))
    if named:
        return None
    for word in _rx("dosing.label_word").findall(label):
        found = _abbreviated(text, word.strip(".,"))
        if found:
            return found
    pool = study if getattr(arm, "role", None) == "experimental" else comparator if getattr(arm, "role", None) == "control" else set()
    return next(iter(pool)) if len(pool) == 1 else None


def subject_agents(doc_text: str, text: str, arms: list[Any], arm_for_text: Any,
                   study: set[str], comparator: set[str]) -> list[Term]:
    """Drug terms over the arms written as the subject of a dose in the clause ``text``."""
    out: list[Term] = []
    for q in find_doses(text):
        m = _rx("dosing.arm_subject_gap").search(text[: q.start])
        if m is None or find_agents(m["subject"]):
            continue
        arm_id = arm_for_text(m["subject"])
        arm = next((a for a in arms if a.id == arm_id), None)
        if arm is None or getattr(arm, "role", None) == "placebo":
            continue
        agent = _arm_agent(doc_text, arm, study, comparator)
        if agent is None:
            continue
        terms = find_agents(agent)
        klass = terms[0].extra[0] if terms and terms[0].extra else ""
        out.append(Term(agent, m.start("subject"), m.end("subject"), m["subject"], (klass, SUBJECT_RULE)))
    return out


def alternative_arm(text: str, start: int, agent_start: int, end: int, arm_for_text: Any) -> str | None:
    """The arm named after the last "or / versus" written between ``start`` and a drug at
    ``agent_start`` (the words from that break to ``end``, the drug's end), or None."""
    breaks = list(_rx("dosing.alternative_break").finditer(text, start, agent_start))
    return arm_for_text(text[breaks[-1].end() : end]) if breaks else None
