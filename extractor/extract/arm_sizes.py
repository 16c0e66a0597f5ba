"""Arm sizes stated apart from the arm labels: "180 anifrolumab and 182 placebo" after a total,
"(82 per group)" for arms of equal size. Regexes: ``rules/regex/arms.jsonl``."""

from __future__ import annotations

from extractor.extract.arm_text import ARM_SECTIONS, MAX_LIST_ARMS, Cand, clean_label, rx, same_arm
from extractor.extract.context import Context
from extractor.extract.numbers import find_numbers


def pairs_with_total(ctx: Context) -> list[Cand]:
    """Bare "180 anifrolumab and 182 placebo" pairs, kept when they add up to a number
    stated earlier in the same sentence (the total)."""
    out: list[Cand] = []
    for s in ctx.mined_sentences():
        if s.section not in ARM_SECTIONS or not rx("arms.fill_cue").search(s.text):
            continue
        pairs = [(m, clean_label(m["label"])) for m in rx("arms.n_label_pair").finditer(s.text)]
        pairs = [(m, lab) for m, lab in pairs if lab]
        for i in range(len(pairs)):
            for j in range(i + 2, min(len(pairs), i + MAX_LIST_ARMS) + 1):
                run = pairs[i:j]
                total = sum(int(m["n"]) for m, _ in run)
                before = s.text[: run[0][0].start()]
                if any(x.value == total for x in find_numbers(before)):
                    out += [(lab, int(m["n"]), s.start + m.start(), s.start + m.end(), "arms.n_label_pair") for m, lab in run]
    return out


def equal_sizes(ctx: Context, arms: list[Cand]) -> list[Cand]:
    """Arms none of which has a size get the common size of an allocation sentence's "N per group"."""
    if len(arms) < 2 or any(c[1] is not None for c in arms):
        return arms
    for s in ctx.mined_sentences():
        if s.section not in ARM_SECTIONS or not rx("arms.fill_cue").search(s.text):
            continue
        m = rx("arms.n_per_group").search(s.text)
        if m:
            return [(label, int(m["n"]), start, end, rule) for label, _, start, end, rule in arms]
    return arms


def stated_totals(ctx: Context) -> set[int]:
    """Whole numbers written in allocation sentences ("446 adults were assigned", "Of the 446 randomised")."""
    out: set[int] = set()
    for s in ctx.mined_sentences():
        if s.section in ARM_SECTIONS and rx("arms.fill_cue").search(s.text):
            out |= {int(x.value) for x in find_numbers(s.text) if x.value == int(x.value) and x.value > 1}
    return out


def subgroup_columns(ctx: Context, cells: list[Cand]) -> list[Cand]:
    """Header cells of one table. When an arm label repeats ("MMF, belimumab (n = 164)" …
    "CYC, belimumab (n = 58)") the columns are subgroups of the arms: their sizes are the arm's
    size only summed, and only when all columns add up to the randomised total stated in the text."""
    groups: list[list[Cand]] = []
    for cell in cells:
        for g in groups:
            if same_arm(cell[0], g[0][0]):
                g.append(cell)
                break
        else:
            groups.append([cell])
    if all(len(g) == 1 for g in groups):
        return cells
    if len(groups) < 2 or sum(c[1] or 0 for c in cells) not in stated_totals(ctx):
        return []
    return [(g[0][0], sum(c[1] or 0 for c in g), g[0][2], g[-1][3], "arms.table_header_sum") for g in groups]
