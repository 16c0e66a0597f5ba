"""The open-label lead-in arm of a randomised-withdrawal trial.

In a randomised-withdrawal design every participant first takes the study drug open-label ("A total
of 212 patients entered the open-label lead-in"), and only responders are randomised to continue it or
to switch to placebo. The lead-in is an arm of its own (everyone treated, its own n), listed first.
It is read only when the report describes a withdrawal design (``arms.withdrawal_design``), the
lead-in size is stated (``arms.lead_in_n``) and exceeds the randomised arms together, and the lead-in
is not a placebo run-in. Its label is the agent of the experimental randomised arm ("continue
belimumab" → "Open-label belimumab (lead-in)").
"""

from __future__ import annotations

from extractor.extract.arm_text import ARM_SECTIONS, rx
from extractor.extract.context import Context
from extractor.extract.numbers import parse_number
from extractor.records import Arm

RULE = "arms.lead_in"


def _agent(arms: list[Arm]) -> str | None:
    """The agent of the experimental randomised arm, without its continuation verb."""
    exp = next((a for a in arms if a.role == "experimental"), None)
    if exp is None:
        return None
    bare = rx("arms.continuation_words").sub("", exp.label).strip(" -–:;,.")
    return bare or None


def lead_in_arm(ctx: Context, arms: list[Arm]) -> Arm | None:
    """The lead-in arm (id "A1", role experimental), or None."""
    if len(arms) < 2 or any(a.n is None for a in arms) or not rx("arms.withdrawal_design").search(ctx.text):
        return None
    randomised = sum(a.n or 0 for a in arms)
    for s in ctx.mined_sentences():
        if s.section not in ARM_SECTIONS or rx("arms.placebo_run_in").search(s.text):
            continue
        for m in rx("arms.lead_in_n").finditer(s.text):
            raw = m["n"] or m["n2"]
            n = parse_number(raw) if raw else None
            if n is None or n != int(n) or n <= randomised:
                continue
            agent = _agent(arms)
            label = f"Open-label {agent} (lead-in)" if agent else "Open-label lead-in"
            return Arm(id="A1", label=label, n=int(n), role="experimental",
                       evidence=ctx.evidence(s.start + m.start(), s.start + m.end(), RULE))
    return None
