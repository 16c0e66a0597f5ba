"""Cohort age / disease-duration wordings the number summaries alone misread:

* the stat word nearest the value decides mean or median ("mean age was 34.2 years (SD 10.3) and
  median time since diagnosis ..." → mean), not any stat word of the sentence;
* an age in years and months ("13 years 8 months (range 8 years 4 months to 17 years 10 months)")
  → 13.67 years, with its range or IQR in years too;
* the value written before a unit-led cue ("median 4.0 years since diagnostic biopsy [IQR 1.1–9.5]",
  "median 4.0 [IQR 1.1–9.5] years since diagnosis", "4.0 years (IQR 1.1–9.5) since diagnosis"), so that a
  later number ("24-h proteinuria") is not read as the duration.

Regexes: ``cohort.years_months``, ``cohort.unit_lead_cue``, ``cohort.value_before_cue``, ``cohort.bracket`` in
``rules/regex/cohort.jsonl``; stat words: ``numbers.ctx_median`` / ``numbers.ctx_mean``.
"""

from __future__ import annotations

from extractor.extract.numbers import find_summaries, parse_number
from extractor.extract.timepoints import unit_of
from extractor.nlp.rules import regex
from extractor.records import Spread, Stat

FAMILY = "cohort"
MONTHS_PER_YEAR = 12
BEFORE_WINDOW = 30  # characters before a unit-led cue searched for its value
STAT_WINDOW = 40  # characters before the value searched for its stat word
DIGITS = 2


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex(FAMILY, rule_id)


def nearest_stat(text: str) -> str | None:
    """"mean" or "median": the stat word written last in ``text`` (nearest a value that follows)."""
    best: tuple[int, str] | None = None
    for stat, rule in (("median", "numbers.ctx_median"), ("mean", "numbers.ctx_mean")):
        ends = [m.end() for m in regex("numbers", rule).finditer(text)]
        if ends and (best is None or ends[-1] > best[0]):
            best = (ends[-1], stat)
    return best[1] if best else None


def _years(y: str | None, m: str | None) -> float | None:
    if y is None:
        return None
    return round(int(y) + (int(m) / MONTHS_PER_YEAR if m else 0), DIGITS)


def years_months(window: str, before: str) -> tuple[Stat, int, int] | None:
    """"13 years 8 months (range 8 years 4 months to 17 years 10 months)" at the start of ``window``
    (after a cue) → (median/mean in years, start, end); the stat word must be written before it."""
    m = _rx("cohort.years_months").match(window)
    if m is None:
        return None
    stat = nearest_stat(before + m["lead"])
    if stat is None:
        return None
    out = Stat(stat=stat, value=_years(m["y"], m["m"]), unit="year")
    low, high = _years(m["y1"], m["m1"]), _years(m["y2"], m["m2"])
    if low is not None and high is not None:
        if (m["kind"] or "").lower().startswith("range"):
            out.low, out.high = low, high
            out.spread = Spread(kind="range", low=low, high=high)
        else:
            out.spread = Spread(kind="iqr", low=low, high=high)
    return out, m.start("y"), m.end()


def value_before_cue(text: str, cue_start: int, cue_end: int) -> tuple[Stat, int, int] | None:
    """"median 4.0 years since diagnostic biopsy [IQR 1.1–9.5]": the value (and its stat word)
    written before a cue that starts with its unit; the spread in the bracket right after the cue."""
    lead = _rx("cohort.unit_lead_cue").match(text[cue_start:cue_end])
    if lead is None:
        return None
    head = text[max(0, cue_start - BEFORE_WINDOW) : cue_start]
    m = _rx("cohort.value_before_cue").search(head)
    if m is None:
        return None
    value = parse_number(m["v"])
    start = cue_start - len(head) + m.start("v")
    stat = (m["stat"] and nearest_stat(m["stat"])) or nearest_stat(text[max(0, start - STAT_WINDOW) : start])
    if value is None or stat is None:
        return None
    out = Stat(stat=stat, value=value, unit=unit_of(lead["unit"]))
    after = text[cue_end : cue_end + BEFORE_WINDOW * 2]
    end = cue_end
    inner = _rx("cohort.bracket").search(text[cue_start:cue_end])  # "years (IQR 1.1–9.5) since diagnosis"
    spread = m["br"] or (inner.group(0) if inner else None) or (after if _rx("cohort.bracket_next").match(after) else None)
    if spread:
        sums = find_summaries(m["v"] + " " + spread, context=stat)
        first = sums[0] if sums else None
        if first is not None and first.start == 0 and first.value == value and first.spread_kind:
            if spread is after:
                end = cue_end + first.end - len(m["v"]) - 1
            if first.spread_kind in ("sd", "se"):
                out.spread = Spread(kind=first.spread_kind, value=first.spread_value)
            elif first.spread_kind == "range":
                out.low, out.high = first.low, first.high
                out.spread = Spread(kind="range", low=first.low, high=first.high)
            else:
                out.spread = Spread(kind=first.spread_kind, low=first.low, high=first.high)
    return out, start, end
