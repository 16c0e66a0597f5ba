"""Doses and lab values with units: pure parsing over plain text, units from ``rules/units.json``.

* :func:`find_doses` reads ``10 mg``, ``0.5–1.0 g/m²``, ``2 × 10^6 cells/kg``, ``1 × 106/kg``
  (superscript lost), ``2 million cells per kilogram`` and the garbled ``2 million kg``
  (unit word dropped → ``2000000 cells/kg``, reported as repaired).
* :func:`unit_at` reads the unit written right after a value (``g/24 h``, ``µmol/L``) and returns
  its canonical spelling; :func:`normalise_unit` does the same for a whole string.
* :func:`convert` applies the conversions of DOMAIN §3.1 listed in units.json.

Every quantity keeps its surface text and character span.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from extractor.nlp.rules import data, regex

_SUPERSCRIPTS = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")
# plausible per-kg cell doses are 10^5–10^7, totals 10^7–10^9 (DOMAIN §4.1)
MIN_CELL_DOSE = 1e4
MAX_EXPONENT = 12


@dataclass(slots=True)
class Quantity:
    value: float
    unit: str | None
    start: int
    end: int
    surface: str
    high: float | None = None
    per: str | None = None  # "kg", "m2"
    rate: str | None = None  # "once daily", "weekly" from "/day", "per week"
    repaired: str | None = None


# --------------------------------------------------------------------------------------
# registry
# --------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _units() -> dict[str, Any]:
    return data("units")  # type: ignore[no-any-return]


@cache
def _aliases(group: str) -> tuple[tuple[str, str, bool], ...]:
    """(alias, canonical, case_sensitive) of a units.json group, longest alias first."""
    table = _units()[group]
    cs = set(_units().get("case_sensitive", []))
    rows = [(alias, canon, alias in cs) for canon, aliases in table.items() for alias in aliases]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


@lru_cache(maxsize=64)
def _lower(text: str) -> str:
    """``text.lower()``, kept for the texts scanned again and again for units at many offsets."""
    return text.lower()


@cache
def _aliases_by_initial(group: str) -> dict[str, tuple[tuple[str, str, str, bool], ...]]:
    """The aliases of ``_aliases(group)`` keyed by their lower-cased first character, longest first,
    each as (alias, its lower-case form, canonical, case_sensitive): a lookup tries only the few that can match."""
    out: dict[str, list[tuple[str, str, str, bool]]] = {}
    for alias, canon, cs in _aliases(group):
        if alias:
            out.setdefault(alias[0].lower(), []).append((alias, alias.lower(), canon, cs))
    return {k: tuple(v) for k, v in out.items()}


def _match_alias(text: str, pos: int, group: str) -> tuple[str, int] | None:
    """Canonical unit of the longest alias of ``group`` starting exactly at ``pos``."""
    if pos >= len(text):
        return None
    low = _lower(text)
    for alias, alias_low, canon, cs in _aliases_by_initial(group).get(low[pos], ()):
        end = pos + len(alias)
        hit = text.startswith(alias, pos) if cs else low.startswith(alias_low, pos)
        if not hit:
            continue
        if alias[-1].isalnum() and end < len(text) and (text[end].isalnum() or text[end] in "_"):
            continue  # "g" must not match the start of "given"
        return canon, end
    return None


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \u00a0\u2009\u202f\t\n\r":  # a PDF line break is a space
        pos += 1
    return pos


def unit_at(text: str, pos: int, group: str = "lab_units") -> tuple[str, int] | None:
    """The unit written at ``pos`` (after optional spaces): ``(canonical, end offset)``."""
    return _match_alias(text, _skip_space(text, pos), group)


def normalise_unit(surface: str, group: str = "lab_units") -> str | None:
    """Canonical spelling of a whole unit string (``"g/24 h"`` → ``"g/24h"``), or None."""
    surface = unicodedata.normalize("NFC", surface.strip())
    hit = _match_alias(surface, 0, group)
    if hit and hit[1] == len(surface):
        return hit[0]
    return None


def convert(value: float, unit: str, measure: str | None = None) -> tuple[float, str]:
    """Value in the canonical unit of DOMAIN §3.1 (unchanged when no conversion applies)."""
    for rule in _units().get("lab_conversions", []):
        if rule["from"] != unit:
            continue
        if rule.get("measures") and measure not in rule["measures"]:
            continue
        return round(value * rule["factor"], 6), rule["to"]
    return value, unit


# --------------------------------------------------------------------------------------
# numbers
# --------------------------------------------------------------------------------------


def to_float(surface: str) -> float:
    """``"23·7"`` → 23.7, ``"1,000"`` → 1000, ``"0,5"`` → 0.5 (decimal comma)."""
    s = surface.replace("·", ".").replace("∙", ".").replace("\u2212", "-")
    if "," in s:
        head, _, tail = s.partition(",")
        s = s.replace(",", "") if len(tail.split(",")[0].split(".")[0]) == 3 and "." not in head else s.replace(",", ".")
    return float(s)


def _exponent(raw: str | None) -> int | None:
    if not raw:
        return None
    return int(raw.translate(_SUPERSCRIPTS).replace("\u2212", "-"))


# --------------------------------------------------------------------------------------
# doses
# --------------------------------------------------------------------------------------


def _per_at(text: str, pos: int) -> tuple[str, int, bool] | None:
    """``/kg``, ``per kilogram``, ``/m²``, ``·kg−1``, ``/(kg·d)``: (per, end, separator written)."""
    p = _skip_space(text, pos)
    for sep in sorted(_units()["per_separators"], key=len, reverse=True):
        if text[p : p + len(sep)].lower() == sep and (not sep.isalpha() or not text[p + len(sep) : p + len(sep) + 1].isalnum()):
            hit = unit_at(text, p + len(sep), "per")
            if hit:
                return hit[0], hit[1], True
    hit = unit_at(text, p, "per")
    return (hit[0], hit[1], False) if hit else None


def find_doses(text: str) -> list[Quantity]:
    """Every dose-like quantity (amount with a dose unit, a power of ten or a per-kg basis)."""
    out: list[Quantity] = []
    gap = regex("quantities", "quantities.after_unit_gap")
    for m in regex("quantities", "quantities.amount").finditer(text):
        g = m.groupdict()
        if g["bexp"] or g["bsup"]:
            amount, high, mult = 1.0, None, 10.0 ** (_exponent(g["bexp"] or g["bsup"]) or 0)
        else:
            amount = to_float(g["amount"])
            high = to_float(g["high"]) if g["high"] else None
            exp = _exponent(g["exp"])
            if exp is not None and abs(exp) > MAX_EXPONENT:
                continue
            mult = 10.0**exp if exp is not None else float(_units()["multipliers"][g["word"].lower()]) if g["word"] else 1.0
        garble = _power_garble(text, m) if g["exp"] else None
        end = m.end()
        unit_hit = unit_at(text, end, "dose_units")
        if unit_hit is None and text[end : end + 1] == "-":
            unit_hit = unit_at(text, end + 1, "dose_units")  # compound adjective: "two 1-g infusions", "a 500-mg dose"
        if unit_hit is None and mult > 1:
            gm = gap.match(text[end:])
            if gm and gm.end():
                unit_hit = unit_at(text, end + gm.end(), "dose_units")
        if unit_hit is None and mult > 1 and _per_at(text, end) is None:  # "1 × 10^6 CAR T cells per kilogram"
            cm = regex("quantities", "quantities.cell_name_gap").match(text[end:])
            hit = unit_at(text, end + cm.end(), "dose_units") if cm else None
            unit_hit = hit if hit and hit[0] == "cells" and _per_at(text, hit[1]) else None  # read only for its per-kg basis
        unit = None
        if unit_hit:
            unit, end = unit_hit
        per_hit = _per_at(text, end)
        per = None
        repaired = f"{m.group(0)} → {_sci(amount * mult)}" + f" ({garble})" if garble else None
        if per_hit:
            per, per_end, written = per_hit
            if not written and unit is None and mult >= MIN_CELL_DOSE:
                repaired = f"{text[m.start():per_end]} → {_sci(amount * mult)} cells/{per}"
                unit = "cells"
                end = per_end
            elif written:
                end = per_end
            else:
                per = None
        if unit is None and mult >= MIN_CELL_DOSE:
            unit = "cells"
        if unit is None:
            continue
        rate = None
        rate_hit = unit_at(text, end, "rates") if unit != "cells" else None
        if rate_hit:
            rate, end = rate_hit
        out.append(
            Quantity(
                value=_clean(amount * mult),
                high=_clean(high * mult) if high is not None else None,
                unit=unit,
                per=per,
                rate=rate,
                start=m.start(),
                end=end,
                surface=text[m.start() : end],
                repaired=repaired,
            )
        )
    return out


def _power_garble(text: str, m: Any) -> str | None:
    """How the power of ten of an amount match was garbled, or None when written cleanly."""
    between = text[m.end("amount") : m.start("exp")]
    if between.strip().startswith("3"):
        return "× rendered as 3"
    if not any(mark in between for mark in ("^", "*", "E", "e", "(")) and not _is_sup(m.group("exp")):  # "10(6)" is written
        return "superscript lost"
    return None


def _is_sup(raw: str) -> bool:
    return any(ch in "⁻⁰¹²³⁴⁵⁶⁷⁸⁹" for ch in raw)


def _clean(value: float) -> float:
    return float(round(value, 6))


def _sci(value: float) -> str:
    """2000000 → '2 × 10^6' (how a repaired cell dose is reported)."""
    if value <= 0:
        return str(value)
    exp = len(str(int(value))) - 1
    mant = value / 10**exp
    mant_s = f"{mant:g}"
    return f"{mant_s} × 10^{exp}"
