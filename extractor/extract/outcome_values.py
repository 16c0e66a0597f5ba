"""Values of one prose clause: summaries ("10 (8-16)", "33.1 ± 9.8"), percentages and plain
numbers, with the unit written after each. Numbers inside measure names or time points are not
values, nor numbers that count people ("5 patients"), name things ("Table 1", "BILAG 1A") or
name an arm ("the 4,000 IU group"). Pure functions; regexes ``outcomes.*``.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractor.extract.numbers import CountPercent, Summary, find_count_percents, find_numbers, find_summaries
from extractor.extract.quantities import unit_at
from extractor.nlp.rules import regex
from extractor.records import Spread

MEAN_SD = "mean (SD)"
YEAR_MIN, YEAR_MAX, VERSION_GAP = 1950, 2049, 2  # "BILAG 2004": a version year right after the name


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex("outcomes", rule_id)


@dataclass
class Value:
    """One value read from a clause (pure; offsets relative to the clause)."""

    value: float
    stat: str | None
    start: int
    end: int
    spread: Spread | None = None
    percent: bool = False
    n: int | None = None
    repaired: str | None = None
    unit: str | None = None


def _from_summary(s: Summary) -> Value | None:
    if s.value is None:
        return None
    spread = None
    if s.spread_kind:
        spread = Spread(kind=s.spread_kind, value=s.spread_value, low=s.low, high=s.high)  # type: ignore[arg-type]
    return Value(s.value, s.stat, s.start, s.end, spread, repaired=s.repaired)


MINUS_SIGNS = "-−–"


def _from_percent(c: CountPercent) -> Value | None:
    if c.percent is None or not c.percent_sign:
        return None
    repaired = c.repaired
    if repaired and c.n is not None and c.N and f"{c.n}/{c.N}" not in repaired:
        repaired += f" ({c.n}/{c.N})"  # the proof of the repair
    return Value(c.percent, "percent", c.start, c.end, percent=True, n=c.n, repaired=repaired)


def unit_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, canonical unit) of every unit written right after a number."""
    spans = []
    for n in find_numbers(text):
        if any(s <= n.start < e for s, e, _ in spans):
            continue  # the "24" of "g/24 h", the "1.73" of "mL/min/1.73 m2"
        start = n.end
        hit = unit_at(text, start)
        rest = text[start:].lstrip()
        if not hit and rest[:1] in {")", "]"}:  # "3.4 (2.1–5.6) g/g", "76.4 (SEM 4.2) mL/min/1.73 m2"
            start = len(text) - len(rest) + 1
            hit = unit_at(text, start)
        if hit and hit[0] != "%":
            spans.append((start, hit[1], hit[0]))
    return spans


def _mask(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Units blanked out, offsets unchanged: "0.92 g/L (IQR 0.75-1.10)" reads "0.92 (IQR ...)"."""
    chars = list(text)
    for s, e, _ in spans:
        chars[s:e] = " " * (e - s)
    return "".join(chars)


def find_values(text: str, total: int | None = None, names: list[tuple[int, int]] | None = None,
                times: list[tuple[int, int]] | None = None) -> list[Value]:
    """Pure: summaries, percentages and plain numbers of a clause. Numbers inside measure names
    or time points are not values, nor numbers that count people ("5 patients") or name things
    ("Table 1"); a repaired percent may hold interleaved time words ("66 at baseline7%")."""
    units = unit_spans(text)
    taken = list(names or []) + list(times or []) + [(s, e) for s, e, _ in units]
    out: list[Value] = []

    def free(s: int, e: int, allow_times: bool = False) -> bool:
        spans = list(names or []) if allow_times else taken
        if allow_times and any(s < b and a < e and not (s <= a and b <= e) for a, b in times or []):
            return False
        return not any(s < b and a < e for a, b in spans)

    levels: list[tuple[int, int]] = []
    for c in find_count_percents(text, total=total):
        v = _from_percent(c)
        if v and _rx("outcomes.ci_level_after").match(text[c.end : c.end + 12]):
            levels.append((v.start, v.end))  # "95% CI": the level of an interval, no value
            continue
        if v and free(v.start, v.end, allow_times=bool(c.repaired)) and not _people_after(text, c.end) \
                and c.rule != "numbers.n_pct_garbled":
            if c.n is None and v.start and text[v.start - 1] in MINUS_SIGNS + "+" and not text[max(0, v.start - 2) : v.start - 1].isalnum():
                sign = -1 if text[v.start - 1] in MINUS_SIGNS else 1
                v.start, v.value = v.start - 1, sign * v.value  # "−66% with A", "+3% with B": a signed percent is a change
            out.append(v)
            taken.append((v.start, v.end))
    bare = [(m.start(), m.end(), "") for m in _rx("outcomes.bare_unit_before_spread").finditer(text)]
    bare = [b for b in bare if not any(s < b[1] and b[0] < e for s, e, _ in units)]
    masked = _mask(text, units + bare)  # "0.48 g (SD 0.81)" reads "0.48   (SD 0.81)"
    unit_set = {(s, e) for s, e, _ in units + bare}
    for s in find_summaries(masked, context=_summary_context(text)):
        v = _from_summary(s)
        if v and not any(v.start < b and a < v.end for a, b in taken if (a, b) not in unit_set):
            v.repaired = v.repaired.replace(masked[s.start : s.end], text[s.start : s.end]) if v.repaired else None
            out.append(v)
            taken.append((v.start, v.end))
    taken += levels
    for n in find_numbers(text):
        if not free(n.start, n.end) or _people_after(text, n.end) or _rx("outcomes.not_a_value_before").search(text[max(0, n.start - 12) : n.start]):
            continue
        if not n.surface.lstrip("-−")[:1].isdigit():
            continue  # number words are counts of people or ordinals, rarely values
        if _rx("outcomes.dose_count_after").match(text[n.end : n.end + 24]):
            continue  # "the 3 × 10 mg/kg group": a count of doses in a regimen name
        if _glued_label(text, n.end):
            continue  # "BILAG 1A or 2B", "the 2nd tertile": a grade or an ordinal, not a value
        if _version_year(text, n.start, n.value, names or []):
            continue  # "British Isles Lupus Assessment Group 2004", "SLEDAI 2000": part of the name
        out.append(Value(n.value, None, n.start, n.end, repaired=n.repaired))
        taken.append((n.start, n.end))
    for v in out:
        inside = [u for s, e, u in units if v.start <= s and e <= v.end + 1 or s == v.end]
        v.unit = inside[0] if inside else None
    out.sort(key=lambda v: v.start)
    return out


def semicolon_summaries(text: str) -> str:
    """Pure: "(1.26 g/g; IQR 0.84–1.88)" read as " 1.26 g/g( IQR 0.84–1.88)", "(55.1; SD 19.6)"
    as " 55.1( SD 19.6)": the value before its bracketed spread (same length, offsets kept)."""
    chars: list[str] | None = None
    for m in _rx("outcomes.semicolon_summary").finditer(text):
        chars = chars or list(text)
        chars[m.start()] = " "
        chars[m.start("semi")] = "("
    return "".join(chars) if chars else text


def _version_year(text: str, start: int, value: float, names: list[tuple[int, int]]) -> bool:
    """A year written right after a measure name is the version of the instrument."""
    if not (YEAR_MIN <= value <= YEAR_MAX and float(value).is_integer()):
        return False
    return any(0 <= start - e <= VERSION_GAP and not text[e:start].strip(" -") for _, e in names)


def _glued_label(text: str, end: int) -> bool:
    """A number glued to letters that are not a unit ("1A", "2nd", "3rd")."""
    return text[end : end + 1].isalpha() and unit_at(text, end) is None


def _summary_context(text: str) -> str | None:
    """A clause that says mean (not median) writes its bare "x (y)" values as mean (SD):
    "Mean SLEDAI-2K scores at entry were 12.1 (4.0), 11.8 (3.7) and 12.4 (4.3)"."""
    if regex("numbers", "numbers.ctx_mean").search(text) and not regex("numbers", "numbers.ctx_median").search(text):
        return text + " " + MEAN_SD
    return None


def _people_after(text: str, end: int) -> bool:
    """The number counts people ("5 patients") or names an arm ("the 4,000 IU group")."""
    tail = text[end : end + 40]
    return bool(_rx("outcomes.people_after").match(tail) or _rx("outcomes.arm_name_after").match(tail.replace("-", " ", 1)))
