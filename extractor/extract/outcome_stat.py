"""The stat of a prose outcome value (mean, median, change, other) and the sign of a change.

* A change cue right before the value ("decreased by", "mean change from baseline of") or before
  the measure ("the change in SELENA-SLEDAI (A −1.0 […] and B 0.0 […])", "the increase in the
  vitamin D level … of 16.8") makes a change, unless the value is a level of a from-to pair.
* A value written with an explicit plus sign ("+11.1 ± 4.2 vs. +0.5 ± 3.9") is a change.
* A geometric mean is not an arithmetic mean: stat ``other`` (the contract has no geometric mean).
* A change stated with a verb of decrease and printed without sign ("decreased by 3.0 ± 9.4",
  "a median decrease of ~40 %") is negative; a printed sign is kept as printed.

Regexes: ``outcomes.change_cue``, ``outcomes.change_after``, ``outcomes.change_before_measure``, ``outcomes.decrease_cue``,
``outcomes.geometric_mean``, ``outcomes.to_value``, ``outcomes.from_before``, ``outcomes.from_to`` (rules/regex/outcomes.jsonl).
"""

from __future__ import annotations

from extractor.extract.quantities import unit_at
from extractor.nlp.rules import regex

STAT_WINDOW = 60  # characters before a value read for its stat words
MEASURE_WINDOW = 50  # characters before a measure read for a change cue
SIGNS = "-−–+"
DECREASE_WORDS = frozenset({"decrease", "reduction", "fall", "drop", "decline"})


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex("outcomes", rule_id)


def local_stat(before: str, window: int | None = None) -> str | None:
    """The stat word ("mean", "median", "geometric mean") nearest before a value (ending within the
    last ``window`` characters of ``before``; words are read whole)."""
    hits = [(m.end(), 1, "median") for m in regex("numbers", "numbers.ctx_median").finditer(before)]
    hits += [(m.end(), 0, "mean") for m in regex("numbers", "numbers.ctx_mean").finditer(before)]
    hits += [(m.end(), 2, "other") for m in _rx("outcomes.geometric_mean").finditer(before)]
    if window is not None:
        hits = [h for h in hits if h[0] > len(before) - window]
    return max(hits)[2] if hits else None


def _level_of_pair(before: str) -> bool:
    """The value is a level of "from X to Y" (either end) or follows "to a mean of"."""
    tail = before[-40:]
    return bool(_rx("outcomes.to_value").search(tail) or _rx("outcomes.from_before").search(tail) or _rx("outcomes.from_to").search(before))


def value_stat(text: str, start: int, end: int, stat: str | None, known: dict[str, str], measure: str,
               previous: str | None = None, measure_start: int | None = None, earlier: str = "",
               measure_end: int | None = None) -> str:
    """Pure: the stat of the value ``text[start:end]`` (``stat``: the stat its own form gives, e.g.
    ``median`` for "8 (2–12)"); ``previous``: the stat of the value before it of the same measure
    in the sentence ("change ... was −2.1 and −2.0"); ``measure_start``: where the measure is named;
    ``earlier``: the sentence before the clause."""
    before = text[max(0, start - STAT_WINDOW) : start]
    signed_plus = "+" in text[max(0, start - 1) : start + 1]
    if stat == "percent" and text[start : start + 1] in SIGNS:
        return "change"  # "−66% with A": a share of patients is never negative
    if not _rx("outcomes.to_value").search(before) and _rx("outcomes.change_cue").search(before):
        return "change"
    if _rx("outcomes.change_after").match(_after_unit(text, start)):
        return "change"  # "(33% decrease in IgA"
    if stat in {None, "mean", "median"} and not _level_of_pair(text[max(0, start - 120) : start]):
        if signed_plus:
            return "change"  # "+11.1 ± 4.2 vs. +0.5 ± 3.9"
        if measure_start is not None and _rx("outcomes.change_before_measure").search(text[max(0, measure_start - MEASURE_WINDOW) : measure_start]):
            return "change"  # "the change in SLEDAI (A −1.0 [...] and B 0.0 [...])"
        if measure_end is not None and measure_end <= start and _rx("outcomes.change_after_measure").match(text[measure_end:start]):
            return "change"  # "The FSS change scores were similar between A (−0.06 [...]) and B (0.22 [...])"
    if previous == "change" and not _rx("outcomes.from_to").search(before) and stat in {None, "mean", "median"}:
        return "change"
    if previous == "change" and _rx("outcomes.change_by_continue").search(before):
        return "change"  # "fell by 47.6% with A and by 14.8% with B"
    if previous == "change" and stat == "percent" and _rx("outcomes.list_value_gap").search(before):
        return "change"  # "fell by a median of 62%, 88% and 94%": a bare list shares the stat of its first value
    local = local_stat(text[:start], STAT_WINDOW)
    if previous == "other" and local is None and stat in {None, "mean", "median"} and _rx("outcomes.geometric_mean").search(earlier + text[:start]):
        return "other"  # "the geometric mean ... was 0.28 (...) in A, compared with 0.27 (...) in B"
    if local and stat in {None, "mean", "median"}:
        return local  # "Mean C3 rose from 0.58 ± 0.21 ..., and median anti-dsDNA fell from 210"
    if stat:
        return stat
    return known.get(measure, "other")


def decreased(text: str, start: int, gap: str | None = None, measure: tuple[int, int] | None = None) -> bool:
    """Pure: is the unsigned change value at ``start`` stated by a verb of decrease ("decreased by
    3.0", "a median decrease from baseline of ~40 %"), or the next value of such a list with no
    other verb between ("decreased by 2.0 in A and by 8.0 in B", "reduction (A 0.4 and B 1.6)";
    ``gap``: the text since the value before it, when that one was a decrease; ``measure``: the
    span of the measure, "the decrease in SLEDAI in A of 1.0 ... and in B of 2.5")?"""
    if text[start : start + 1] in SIGNS or start and text[start - 1] in SIGNS:
        return False  # a printed sign is kept as printed
    before = text[max(0, start - STAT_WINDOW) : start]
    after = _rx("outcomes.change_after").match(_after_unit(text, start))
    if after:
        return after.group("dir").lower() in DECREASE_WORDS
    if measure is not None and _rx("outcomes.decrease_cue").search(text[max(0, measure[0] - MEASURE_WINDOW) : measure[0]]) \
            and not _rx("outcomes.increase_word").search(text[measure[1] : start]):
        return True
    return bool(_rx("outcomes.decrease_cue").search(before) or gap is not None and not _rx("outcomes.verb_in_gap").search(gap))


def _after_unit(text: str, pos: int) -> str:
    """The text after the number at ``pos`` and its unit or percent sign ("40% decrease" → " decrease")."""
    i = pos
    while i < len(text) and (text[i].isdigit() or text[i] in ".,·-−+"):
        i += 1
    hit = unit_at(text, i)
    if hit:
        return text[hit[1] : hit[1] + 40]
    rest = text[i : i + 42].lstrip()
    return rest[1:] if rest[:1] == "%" else text[i : i + 40]
