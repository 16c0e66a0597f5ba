"""Arms of a report whose own population is not the randomised one: an extension study ("97 entered
the extension: 51 from the drug group and 46 from the placebo group") or a pooled analysis of trials
("The pooled population comprised 1125 patients: pooled drug (n = 563) and pooled placebo (n = 562)").
The parent trial's randomised sizes are context there; the report's results are counted on these arms.
Kept only when the sizes add up to a number stated before them in the same sentence.
Regexes: ``rules/regex/arms.jsonl``."""

from __future__ import annotations

from extractor.extract.arm_text import ARM_SECTIONS, MAX_LIST_ARMS, Cand, clean_label, rx
from extractor.extract.context import Context
from extractor.extract.numbers import find_numbers

POPULATION_RULES = ("arms.n_from_group", "arms.label_n")


def population_arms(ctx: Context) -> list[Cand]:
    """The sized arms of the first extension / pooled-population sentence whose sizes add up to the
    total written before them; [] when the report has none."""
    for s in ctx.mined_sentences():
        if s.section not in ARM_SECTIONS:
            continue
        cue = rx("arms.population_cue").search(s.text)
        if not cue:
            continue
        for rule in POPULATION_RULES:
            cands: list[Cand] = []
            for m in rx(rule).finditer(s.text, cue.start()):
                label = clean_label(m["label"])
                if label:
                    cands.append((label, int(m["n"]), s.start + m.start(), s.start + m.end(), f"arms.population_{rule.split('.')[1]}"))
            if not 2 <= len(cands) <= MAX_LIST_ARMS:
                continue
            total = sum(c[1] or 0 for c in cands)
            before = s.text[: cands[0][2] - s.start]
            if any(x.value == total for x in find_numbers(before)):
                return cands
    return []
