"""Pure parsing of the numbers trial reports write: plain numbers, number words, counts with
percentages, summary statistics (mean ± SD, median (IQR/range), CI), ranges and powers of ten.

Every regex lives in ``rules/regex/numbers.jsonl`` and is referred to by id. Nothing here
needs spaCy. Garbled forms (DOMAIN §5.3) are repaired only when the repair is proven, and
the result says so in ``repaired``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from extractor.nlp.rules import regex, vocab_rows

FAMILY = "numbers"
PERCENT_TOLERANCE = 0.1  # abs(p - 100 n/N) below this proves a repaired percent
ROUNDING_TOLERANCE = 0.51  # reported percents are rounded to at most 1 place (or integers)
CACHE_SIZE = 4096  # (text, total) results of find_count_percents kept: the same sentences are re-read
_MINUS = "\u2212"
_MID_DOTS = "·∙"
_SUPERSCRIPTS = {"⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9", "⁻": "-"}


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex(FAMILY, rule_id)


@lru_cache(maxsize=1)
def _words() -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    """(cardinals+tens+ordinals+articles, tens only, multipliers), surface -> value."""
    simple: dict[str, float] = {}
    tens: dict[str, float] = {}
    mult: dict[str, float] = {}
    for row in vocab_rows("number_words"):
        kind = row[2] if len(row) > 2 else "cardinal"
        value = float(row[0])
        (mult if kind == "multiplier" else simple)[row[1].lower()] = value
        if kind == "tens":
            tens[row[1].lower()] = value
    return simple, tens, mult


HUNDRED_WORD = "hundred"


def word_value(word: str) -> float | None:
    """``"nine"`` → 9, ``"twenty-one"`` → 21, ``"first"`` → 1; None when not a number word."""
    simple, tens, _ = _words()
    w = word.strip().lower()
    if w in simple:
        return simple[w]
    parts = w.replace("-", " ").split()
    if len(parts) == 2 and parts[0] in tens and parts[1] in simple and simple[parts[1]] < 10:
        return tens[parts[0]] + simple[parts[1]]
    if len(parts) >= 2 and parts[1] == HUNDRED_WORD and parts[0] in simple and 0 < simple[parts[0]] < 10:
        rest = [p for p in parts[2:] if p != "and"]  # "one hundred and twenty-six"
        if len(parts) > 2 and not rest:
            return None
        tail = word_value(" ".join(rest)) if rest else 0.0
        if tail is not None and tail < 100:
            return simple[parts[0]] * 100 + tail
    return None


def multiplier(word: str) -> float | None:
    """``"million"`` → 1e6 (from rules/vocab/number_words.tsv)."""
    return _words()[2].get(" ".join(word.lower().split()))


def parse_number(s: str) -> float | None:
    """Parse one number as written: ``"1,234"``, ``"0·5"``, ``"0,5"``, ``"−2.1"``, ``"nine"``,
    ``"Eighteen"``, ``"twenty-one"``. Returns None when ``s`` is not a number."""
    if s is None:
        return None
    t = unicodedata.normalize("NFKC", s).strip().replace(_MINUS, "-")
    for dot in _MID_DOTS:
        t = t.replace(dot, ".")
    for space in ("\u00a0", "\u2009", "\u202f", " "):
        if space in t and all(len(g) == 3 for g in t.split(space)[1:]) and t.split(space)[0].lstrip("-").isdigit():
            t = t.replace(space, "")
    if not t:
        return None
    if "," in t:
        head, _, tail = t.rpartition(",")
        groups = t.lstrip("-").split(",")
        if "." not in tail and len(groups) == 2 and (len(tail) != 3 or groups[0] in ("0", "")):
            t = head + "." + tail  # decimal comma: "0,5", "1,25"
        elif all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3:
            t = t.replace(",", "")  # thousands separators
        else:
            return None
    try:
        return float(t)
    except ValueError:
        pass
    value = word_value(t)
    return value


@dataclass(frozen=True)
class Num:
    value: float
    start: int
    end: int
    surface: str
    repaired: str | None = None


def _signed(text: str, start: int) -> bool:
    """A minus right before ``start`` that is a sign (not a range dash or a hyphenated word)."""
    if start == 0 or text[start - 1] not in ("-", _MINUS):
        return False
    if text[start - 1] == _MINUS:
        return start < 2 or not text[start - 2].isdigit()
    return start < 2 or text[start - 2] in " \t\n([=:;,"


def find_numbers(text: str) -> list[Num]:
    """Every number in ``text`` (digits and number words), with offsets and surface."""
    out: list[Num] = []
    for m in _rx("numbers.number").finditer(text):
        value = parse_number(m.group(0))
        if value is None:
            continue
        start = m.start()
        if _signed(text, start):
            start -= 1
            value = -value
        out.append(Num(value, start, m.end(), text[start : m.end()]))
    for m in _rx("numbers.word_number").finditer(text):
        value = word_value(m.group(0))
        if value is not None:
            out.append(Num(value, m.start(), m.end(), m.group(0)))
    out.sort(key=lambda n: n.start)
    return out


# --------------------------------------------------------------------------------------
# counts and percentages
# --------------------------------------------------------------------------------------


@dataclass
class CountPercent:
    n: int | None
    N: int | None
    percent: float | None
    start: int
    end: int
    repaired: str | None = None
    rule: str = ""
    percent_sign: bool = True  # False for bare "12 (75)" table cells


def _int(s: str | None) -> int | None:
    if s is None:
        return None
    v = parse_number(s)
    return int(v) if v is not None and v == int(v) else None


def _fmt(p: float) -> str:
    return f"{p:g}"


def repair_percent(digits: str, n: int | None, N: int | None) -> float | None:
    """Insert the decimal point lost from ``digits`` (``"444"`` → 44.4) when, and only when,
    the result equals 100·k/N within PERCENT_TOLERANCE for an integer k ≤ N (k = n if given)."""
    if not N or not digits.isdigit():
        return None
    for cut in range(len(digits) - 1, 0, -1):
        cand = float(digits[:cut] + "." + digits[cut:])
        if cand > 100:
            continue
        ks = [n] if n is not None else range(N + 1)
        for k in ks:
            if k is not None and 0 <= k <= N and abs(cand - 100.0 * k / N) < PERCENT_TOLERANCE:
                return cand
    return None


def percent_consistent(n: int, N: int, percent: float) -> bool:
    """Does a reported percent agree with n/N (allowing for rounding as written)?"""
    return N > 0 and abs(100.0 * n / N - percent) <= ROUNDING_TOLERANCE


def _finish(cp: CountPercent, raw_pct: str | None, total: int | None, warnings: list[str]) -> CountPercent | None:
    """Validate a count/percent; repair an impossible percent when proven; drop it otherwise."""
    denom = cp.N or total
    if cp.percent is not None and cp.percent > 100:
        digits = (raw_pct or "").strip()
        fixed = repair_percent(digits, cp.n, denom) if digits.isdigit() else None
        if fixed is None:
            warnings.append(f"impossible percent {raw_pct}% dropped")
            if cp.n is None:
                return None
            cp.percent = None
        else:
            k = cp.n if cp.n is not None else round(fixed * denom / 100) if denom else None
            cp.repaired = f"{raw_pct}% → {_fmt(fixed)}% ({k}/{denom})"
            cp.percent = fixed
            if cp.n is None:
                cp.n = k
            if cp.N is None:
                cp.N = denom
    if cp.n is not None and cp.N is not None and cp.n > cp.N:
        return None
    return cp


_COUNT_RULES = (
    "numbers.n_of_N_pct",
    "numbers.pct_n_of_N",
    "numbers.n_pct_garbled",
    "numbers.n_who_pct",
    "numbers.interleaved_pct",
    "numbers.n_pct_cell",
    "numbers.n_out_of_N",
    "numbers.n_slash_N",
    "numbers.percent",
)


def _count_from_match(rule: str, m, total: int | None) -> tuple[CountPercent, str | None] | None:  # type: ignore[no-untyped-def]
    g = m.groupdict()
    n, N = _int(g.get("n")), _int(g.get("N"))
    raw = g.get("pct")
    pct = parse_number(raw) if raw else None
    cp = CountPercent(n, N, pct, m.start(), m.end(), rule=rule)
    if rule == "numbers.n_pct_garbled":
        cp.percent = float(f"{g['int']}.{g['frac']}")
        cp.repaired = f"({g['int']}.){g['frac']}% → {_fmt(cp.percent)}%"
        if N is None and total and n is not None and not percent_consistent(n, total, cp.percent):
            cp.repaired += " (unverified)"
        raw = None
    elif rule == "numbers.interleaved_pct":
        cp.percent = float(f"{g['int']}.{g['frac']}")
        denom = total
        if denom and repair_percent(g["int"] + g["frac"], None, denom) is None:
            return None
        cp.repaired = f"{g['int']} {g['words']}{g['frac']}% → {_fmt(cp.percent)}%"
        if denom:
            cp.n, cp.N = round(cp.percent * denom / 100), denom
        raw = None
    elif rule == "numbers.n_pct_cell":
        cp.percent_sign = bool(g.get("sign"))
        if pct is not None and pct > 100 and not cp.percent_sign:
            return None
    elif rule == "numbers.n_slash_N" and n is not None and N is not None and n > N:
        return None
    return cp, raw


def find_count_percents(text: str, total: int | None = None, warnings: list[str] | None = None) -> list[CountPercent]:
    """Counts and percentages: ``29/89 (32.6%)``, ``32.6% (29/89)``, ``3 patients (33.3%)``,
    ``3 patients (33.)3%`` (repaired), ``nine of 12 patients (75%)``, ``12 (75)`` cells,
    ``5 out of 12``, ``41.7%`` alone, ``444%`` with ``total=9`` → 44.4 (4/9, repaired),
    ``66 at baseline7%`` → 66.7 (repaired). Earlier rules in the list win overlaps.
    ``warnings`` (optional list) collects dropped impossible values."""
    try:
        found, dropped = _count_percents_cached(text, total)
    except TypeError:  # an unhashable total: not cached
        found, dropped = _count_percents(text, total)
    if warnings is not None:
        warnings.extend(dropped)
    return [CountPercent(c.n, c.N, c.percent, c.start, c.end, c.repaired, c.rule, c.percent_sign) for c in found]


@lru_cache(maxsize=CACHE_SIZE)
def _count_percents_cached(text: str, total: int | None) -> tuple[tuple[CountPercent, ...], tuple[str, ...]]:
    return _count_percents(text, total)


def _count_percents(text: str, total: int | None) -> tuple[tuple[CountPercent, ...], tuple[str, ...]]:
    warnings: list[str] = []
    taken: list[tuple[int, int]] = []
    out: list[CountPercent] = []
    for rule in _COUNT_RULES:
        for m in _rx(rule).finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            got = _count_from_match(rule, m, total)
            if got is None:
                continue
            cp = _finish(got[0], got[1], total, warnings)
            if cp is None:
                continue
            taken.append((m.start(), m.end()))
            out.append(cp)
    out.sort(key=lambda c: c.start)
    return tuple(out), tuple(warnings)


# --------------------------------------------------------------------------------------
# summaries and ranges
# --------------------------------------------------------------------------------------


@dataclass
class Summary:
    value: float | None
    stat: str | None  # "mean" | "median" | None
    spread_kind: str | None  # "sd" | "se" | "iqr" | "range" | "ci95"
    spread_value: float | None
    low: float | None
    high: float | None
    start: int
    end: int
    surface: str
    repaired: str | None = None
    rule: str = ""


def _has(rule_id: str, text: str) -> bool:
    return _rx(rule_id).search(text) is not None


def _kind_from(keyword: str | None, context: str) -> str:
    probe = keyword or context
    if _has("numbers.ctx_iqr", probe):
        return "iqr"
    if _has("numbers.ctx_ci", probe) or (keyword or "").upper() == "CI":
        return "ci95"
    if keyword or _has("numbers.ctx_range", context):
        return "range"
    return "range"


def _stat_from(context: str, default: str | None) -> str | None:
    if _has("numbers.ctx_median", context):
        return "median"
    if _has("numbers.ctx_mean", context) or _has("numbers.ctx_mean_sd", context):
        return "mean"
    return default


def find_summaries(text: str, context: str | None = None) -> list[Summary]:
    """Summary statistics: ``33.1 ± 9.8``, ``33.1 (9.8)`` (only when the context says mean (SD)),
    ``33.1 6 9.8`` (± rendered as 6), ``10 (8-16)``, ``8 (2 12)`` (lost dash), ``median 31 (IQR
    24–40)``, ``2.5 [1.2, 4.1]``, ``mean 1.2 (95% CI 0.8 to 1.6)``, ``range 19–36``, ``19 to 36``.
    ``context`` (e.g. the sentence or a table header) decides mean/median and SD/SE/IQR/range."""
    ctx = text if context is None else context + " " + text
    se = _has("numbers.ctx_se", ctx)
    taken: list[tuple[int, int]] = []
    out: list[Summary] = []

    def add(s: Summary) -> None:
        if any(s.start < e and b < s.end for b, e in taken):
            return
        taken.append((s.start, s.end))
        out.append(s)

    for m in _rx("numbers.pm").finditer(text):
        add(Summary(parse_number(m["v"]), _stat_from(ctx, "mean"), "se" if se else "sd", parse_number(m["s"]),
                    None, None, m.start(), m.end(), m.group(0), rule="numbers.pm"))
    for m in _rx("numbers.paren_kw_sd").finditer(text):
        kind = "se" if m["kw"].lower().startswith(("se", "s.e", "standard e")) else "sd"
        add(Summary(parse_number(m["v"]), _stat_from(ctx, "mean"), kind, parse_number(m["s"]), None, None,
                    m.start(), m.end(), m.group(0), rule="numbers.paren_kw_sd"))
    for m in _rx("numbers.pm_as_6").finditer(text):
        v, s = parse_number(m["v"]), parse_number(m["s"])
        if v is not None and s is not None and 0 < s <= 3 * abs(v) and not _has("numbers.ctx_median", ctx):
            add(Summary(v, "mean", "se" if se else "sd", s, None, None, m.start(), m.end(), m.group(0),
                        repaired=f"{m.group(0)} → {m['v']} ± {m['s']}", rule="numbers.pm_as_6"))
    for m in _rx("numbers.bracket_range").finditer(text):
        v, lo, hi = parse_number(m["v"]), parse_number(m["lo"]), parse_number(m["hi"])
        if v is None or lo is None or hi is None or lo > hi:
            continue
        kind = _kind_from(m["kw"], ctx)
        stat = _stat_from(ctx, "mean" if kind == "ci95" else "median")
        add(Summary(v, stat, kind, None, lo, hi, m.start(), m.end(), m.group(0), rule="numbers.bracket_range"))
    for m in _rx("numbers.paren_space_range").finditer(text):
        v, lo, hi = parse_number(m["v"]), parse_number(m["lo"]), parse_number(m["hi"])
        if v is None or lo is None or hi is None or not lo <= v <= hi or lo == hi:
            continue
        kind = _kind_from(None, ctx)
        add(Summary(v, _stat_from(ctx, "median"), kind, None, lo, hi, m.start(), m.end(), m.group(0),
                    repaired=f"{m.group(0)} → {m['v']} ({m['lo']}–{m['hi']})", rule="numbers.paren_space_range"))
    if _has("numbers.ctx_mean_sd", ctx) or se:
        for m in _rx("numbers.paren_single").finditer(text):
            add(Summary(parse_number(m["v"]), "mean", "se" if se else "sd", parse_number(m["s"]), None, None,
                        m.start(), m.end(), m.group(0), rule="numbers.paren_single"))
    for m in _rx("numbers.range_word").finditer(text):
        lo, hi = parse_number(m["lo"]), parse_number(m["hi"])
        if lo is not None and hi is not None and lo <= hi:
            add(Summary(None, None, "range", None, lo, hi, m.start(), m.end(), m.group(0), rule="numbers.range_word"))
    for lo, hi, s, e in find_ranges(text):
        add(Summary(None, None, "range", None, lo, hi, s, e, text[s:e], rule="numbers.to_range"))
    out.sort(key=lambda x: x.start)
    return out


def find_ranges(text: str) -> list[tuple[float, float, int, int]]:
    """``19 to 36``, ``3–12``, ``between 18 and 65`` → (low, high, start, end); low ≤ high."""
    out = []
    for m in _rx("numbers.to_range").finditer(text):
        if m.group(0).lower().split()[0] != "between" and " and " in m.group(0).lower():
            continue  # "3 and 7" is a list unless introduced by "between"
        lo, hi = parse_number(m["lo"]), parse_number(m["hi"])
        if lo is not None and hi is not None and lo < hi:
            out.append((lo, hi, m.start(), m.end()))
    return out


# --------------------------------------------------------------------------------------
# powers of ten and big-number words (cell doses)
# --------------------------------------------------------------------------------------

_SCI_RULES = ("numbers.sci_pow", "numbers.sci_paren", "numbers.sci_sup", "numbers.sci_lost", "numbers.sci_e", "numbers.sci_word")


def parse_sci(text: str) -> list[Num]:
    """Large numbers: ``2×10^6``, ``2 x 10(6)``, ``2 × 10⁶``, ``2 × 106`` (exponent lost; one
    digit 5–9 after ``× 10`` → 10^k, repaired), ``1 3 10^6`` (× rendered as 3), ``10^6``,
    ``1e6``, ``2 million``, ``100 million``."""
    taken: list[tuple[int, int]] = []
    out: list[Num] = []
    for rule in _SCI_RULES:
        for m in _rx(rule).finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            g = m.groupdict()
            mant = 1.0
            if g.get("m"):
                parsed = parse_number(g["m"]) if g["m"].lower() != "a" else 1.0
                if parsed is None:
                    continue
                mant = parsed
            repaired = None
            if rule == "numbers.sci_word":
                mult = multiplier(g["w"])
                if mult is None:
                    continue
                value = mant * mult
            else:
                exp_s = g.get("e") or "".join(_SUPERSCRIPTS.get(c, c) for c in g.get("sup") or "")
                exp = int(exp_s.replace(_MINUS, "-"))
                value = mant * 10.0**exp
                if rule == "numbers.sci_lost" or g.get("x3"):
                    repaired = f"{m.group(0)} → {g['m']} × 10^{exp}"
            taken.append((m.start(), m.end()))
            out.append(Num(value, m.start(), m.end(), m.group(0), repaired))
    out.sort(key=lambda n: n.start)
    return out
