"""Roles of study arms whose label carries no role cue (placebo / control / comparator words
are read by :func:`extractor.extract.arms.role_of` from ``rules/vocab/arm_roles.tsv``).

Used by ``arms.extract_arms``; rows of role ``combination`` in ``arm_roles.tsv`` mark a label
that combines the other arms.
"""

from __future__ import annotations

from collections import Counter

from extractor.extract.arm_text import agent_aliases, contains, rx
from extractor.extract.normalize import normalize_key
from extractor.nlp.rules import vocab_rows
from extractor.records import Arm

ROLE_NEUTRAL_WORDS = frozenset({"group", "arm", "alone", "plus", "and", "with", "combination", "combined", "therapy",
                                "treatment", "the", "of", "only", "mg", "g", "kg", "daily", "dose"})

def _tokens(label: str) -> set[str]:
    return {t for t in normalize_key(label).split() if t not in ROLE_NEUTRAL_WORDS}


def _is_combination(label: str) -> bool:
    key = label.lower()
    return any(row[0] == "combination" and contains(key, row[1].lower()) >= 0 for row in vocab_rows("arm_roles"))


def _dose(label: str) -> float | None:
    m = rx("arms.dose_amount").search(label)
    return float(m["v"].replace(",", "")) if m else None


def _lower_dose_is_control(arms: list[Arm]) -> None:
    """Two open arms that give one agent at two doses ("2,000 IU or 4,000 IU of vitamin D3",
    "drug 1 g" / "drug 3 g"): the higher dose is tested against the lower one."""
    if len(arms) != 2 or any(a.role is not None for a in arms):
        return
    doses = [_dose(a.label) for a in arms]
    if None in doses or doses[0] == doses[1]:
        return
    words = [{t for t in a.label.lower().replace(",", " ").split() if t not in ROLE_NEUTRAL_WORDS and not any(c.isdigit() for c in t)}
             for a in arms]
    if not (words[0] <= words[1] or words[1] <= words[0]):
        return
    low, high = (arms[0], arms[1]) if doses[0] < doses[1] else (arms[1], arms[0])  # type: ignore[operator]
    low.role, high.role = "control", "experimental"


def assign_roles(arms: list[Arm]) -> None:
    """Roles of arms whose label has no role cue. With a placebo / control arm the others are
    experimental. Otherwise an arm contained in another ("HA alone" in "MPC + HA") or in a
    "combination" arm is its control; among dose levels of one agent plus one other agent, the
    other agent is the comparator; two unrelated arms: first experimental, second control."""
    open_arms = [a for a in arms if a.role is None]
    if not open_arms:
        return
    if any(a.role in ("placebo", "control") for a in arms):
        for a in open_arms:
            a.role = "experimental"
        return
    toks = {a.id: _tokens(a.label) for a in arms}
    combo = [a for a in arms if _is_combination(a.label)]
    for a in open_arms:
        inside = any(b is not a and toks[a.id] and toks[a.id] < toks[b.id] for b in arms)
        if inside or (combo and a not in combo):
            a.role = "control"
    if len(arms) >= 3 and not any(a.role == "control" for a in arms):
        agents = {a.id: frozenset(agent_aliases(a.label)) or frozenset(toks[a.id] - {t for t in toks[a.id] if any(c.isdigit() for c in t)}) for a in arms}
        groups = Counter(agents.values())
        singles = [a for a in arms if groups[agents[a.id]] == 1]
        if len(groups) == 2 and len(singles) == 1 and singles[0].role is None:
            singles[0].role = "control"
    _lower_dose_is_control(arms)
    open_arms = [a for a in arms if a.role is None]
    for a in open_arms:
        first_active = next((b for b in arms if b.role in (None, "experimental")), None)
        a.role = "experimental" if a is first_active or len(arms) > 2 or any(b.role == "control" for b in arms) else "control"
