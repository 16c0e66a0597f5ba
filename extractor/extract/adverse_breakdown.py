"""A total split over the arms in a parenthesis: "Eight patients had TERM (five in group A, one in
group B, and two in group C)". The total is only replaced by per-arm counts when they add up to
the total and every count names its own arm (or, with one count per arm, the counts whose arm is
not named take the arms left in their order). When the parenthesis names several arms but its counts
do not add up, the total stays, with no arm. Rule: ``adverse.breakdown_paren``.
"""

from __future__ import annotations

from extractor.extract.adverse_counts import ArmCount, arm_counts
from extractor.extract.context import Context
from extractor.extract.tables import arms
from extractor.nlp.rules import regex


def paren_breakdown(ctx: Context, text: str, pos: int, total: int | None) -> list[ArmCount]:
    """Per-arm counts of the parenthesis that follows ``pos`` (offsets into ``text``), else []."""
    if not total or len(arms(ctx)) < 2:
        return []
    m = regex("adverse", "adverse.breakdown_paren").match(text, pos)
    if m is None:
        return []
    counts = arm_counts(ctx, m["inner"])
    named = [c.arm for c in counts if c.arm]
    if len(counts) < 2 or len(set(named)) != len(named):
        return []
    if sum(c.n for c in counts) != total:  # several arms named, counts that do not add up: the total is no one arm's
        return [ArmCount(total, None, None, 0, 0)] if len(named) >= 2 else []
    if len(named) < len(counts):  # "(5 in X plus Y, 1 in X, 2 in control)": one count per arm, the
        if len(counts) != len(arms(ctx)):  # unnamed ones take the arms left, in their order
            return []
        rest = iter([a.id for a in arms(ctx) if a.id not in named])
        counts = [c if c.arm else ArmCount(c.n, c.percent, next(rest), c.start, c.end) for c in counts]
    shift = m.start("inner")
    return [ArmCount(c.n, c.percent, c.arm, c.start + shift, c.end + shift) for c in counts]
