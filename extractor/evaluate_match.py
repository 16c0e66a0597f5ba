"""Matching rules for scoring extraction against gold (docs/EVAL.md is the prose of this module).

Everything here is a pure function of plain dicts in the EVIDENCE_FORMAT shape. The general
principle: a gold field that is null (or absent) is not required; a gold field with a value
must be matched by an equal (canonical ids) or close (numbers, times) predicted value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from rapidfuzz import fuzz
from scipy.optimize import linear_sum_assignment

from extractor.conversions import to_days
from extractor.nlp.rules import regex, vocab

NUMBER_REL_TOL = 0.01  # numbers agree within 1 % of the gold value
PERCENT_ABS_TOL = 0.15  # percentages agree within 0.15 points
TIME_REL_TOL = 0.10  # time points agree within 10 % (in days); baseline 0 only matches 0
FUZZ_THRESHOLD = 80  # rapidfuzz token_set_ratio on keyword strings
ACRONYM_MIN, ACRONYM_MAX = 3, 6  # an acronym of 3-6 letters matches the initials of the other side

STOP_WORDS = frozenset(
    "a an the of and or with in on for to by at as per plus vs versus any other total all "
    "patient patients group groups arm arms dose doses daily therapy treatment treated "
    "mg g kg ug iu ml iv oral".split()
)
_TOKEN = regex("eval", "eval.token")
_PHASE_DIGITS = {"1": "I", "2": "II", "3": "III", "4": "IV"}

Item = dict[str, Any]
ArmMap = dict[str, str]  # predicted arm id -> gold arm id


# --- values ------------------------------------------------------------------------


def present(value: Any) -> bool:
    return value is not None and value != "" and value != []


def numbers_agree(gold: Any, pred: Any) -> bool:
    """|pred − gold| <= 1 % of |gold| (exact when gold is 0); a missing prediction disagrees."""
    if not isinstance(pred, (int, float)) or isinstance(pred, bool):
        return False
    if gold == 0:
        return bool(pred == 0)
    return abs(float(pred) - float(gold)) <= NUMBER_REL_TOL * abs(float(gold))


def percents_agree(gold: Any, pred: Any) -> bool:
    if not isinstance(pred, (int, float)) or isinstance(pred, bool):
        return False
    return abs(float(pred) - float(gold)) <= PERCENT_ABS_TOL + 1e-9


def times_agree(gold: Item | None, pred: Item | None) -> bool:
    """Gold null: any. Else both in days within 10 % of gold; gold 0 (baseline) needs 0."""
    if not gold:
        return True
    if not pred:
        return False
    try:
        g, p = to_days(gold.get("value"), gold.get("unit")), to_days(pred.get("value"), pred.get("unit"))
    except ValueError:
        return False
    if g is None or p is None:
        return False
    if g == 0:
        return p == 0
    return abs(p - g) <= TIME_REL_TOL * abs(g) + 1e-9


def canon(value: Any) -> str:
    """Canonical-id comparison form: lower case, spaces/underscores/hyphens unified."""
    return regex("eval", "eval.id_separators").sub("-", str(value).strip().lower())


def ids_agree(gold: Any, pred: Any) -> bool:
    return present(pred) and canon(gold) == canon(pred)


def canon_phase(value: Any) -> str:
    text = str(value).upper().replace("PHASE", "").strip()
    text = regex("eval", "eval.digit").sub(lambda m: _PHASE_DIGITS.get(m.group(), m.group()), text)
    return regex("eval", "eval.phase_separators").sub("", text)


def keywords(text: str | None) -> list[str]:
    """Lower-cased alphanumeric tokens, stop words dropped, a plural 's' stripped (len > 3)."""
    tokens = _TOKEN.findall((text or "").lower())
    out = []
    for tok in tokens:
        if tok in STOP_WORDS:
            continue
        out.append(tok[:-1] if len(tok) > 3 and tok.endswith("s") and not tok.endswith("ss") else tok)
    return out


def _is_acronym(short: list[str], long: list[str]) -> bool:
    initials = "".join(t[0] for t in long if t[0].isalpha())
    return any(
        ACRONYM_MIN <= len(tok) <= ACRONYM_MAX and tok.isalpha() and len(long) >= len(tok) and tok in initials
        for tok in short
    )


def _spaced(text: str) -> str:
    return " " + regex("eval", "eval.non_alnum").sub(" ", text.lower()).strip() + " "


def agent_ids(text: str | None) -> frozenset[str]:
    """The canonical agents (rules/vocab/agents.tsv) a text names: surface forms found longest
    first, a shorter one ignored where it lies inside a longer one already found."""
    if not present(text):
        return frozenset()
    spaced = _spaced(str(text))
    taken: list[tuple[int, int]] = []
    found = set()
    for surface, canonical in _agent_surfaces():
        start = spaced.find(surface)
        while start != -1:
            end = start + len(surface) - 1  # the padding spaces may be shared by neighbours
            if not any(s < end and start + 1 < e for s, e in taken):
                taken.append((start + 1, end))
                found.add(canonical)
            start = spaced.find(surface, start + 1)
    return frozenset(found)


_AGENT_SURFACES: list[tuple[str, str]] = []


def _agent_surfaces() -> list[tuple[str, str]]:
    if not _AGENT_SURFACES:
        pairs = {(_spaced(surface), canonical) for surface, canonical in vocab("agents").items()}
        _AGENT_SURFACES.extend(sorted((p for p in pairs if p[0].strip()), key=lambda p: -len(p[0])))
    return _AGENT_SURFACES


def keywords_agree(gold: str | None, pred: str | None) -> bool:
    """Agents, AE terms, arm labels: token_set_ratio >= 80 on keyword strings, or an acronym;
    when both sides carry numbers, their sets of number tokens must be equal."""
    if not present(gold) or not present(pred):
        return False
    if numbers_conflict(gold, pred):  # "atacicept 3 mg/kg" is not "atacicept 9 mg/kg"
        return False
    g_agents = agent_ids(gold)
    if g_agents and g_agents == agent_ids(pred):  # "MMF + DZB" ~ "mycophenolate mofetil plus daclizumab"
        return True
    gk, pk = keywords(gold), keywords(pred)
    g = " ".join(gk) or str(gold).lower()
    p = " ".join(pk) or str(pred).lower()
    if fuzz.token_set_ratio(g, p) >= FUZZ_THRESHOLD:
        return True
    return _is_acronym(gk, pk) or _is_acronym(pk, gk)


def arm_agrees(gold_arm: Any, pred_arm: Any, arm_map: ArmMap, gold_arm_ids: Sequence[str]) -> bool:
    """Gold arm null: any prediction. Else the predicted arm must map to the gold arm; a null
    predicted arm is accepted only when the gold report has exactly one arm."""
    if not present(gold_arm):
        return True
    if not present(pred_arm):
        return len(gold_arm_ids) == 1 and gold_arm_ids[0] == gold_arm
    return arm_map.get(str(pred_arm)) == str(gold_arm)


def _opt(gold: Item, key: str, same: Callable[[Any, Any], bool], pred: Item) -> bool:
    """A gold field that is null is not required; otherwise ``same(gold, pred)``."""
    return not present(gold.get(key)) or same(gold.get(key), pred.get(key))


def canon_registry(value: Any) -> str:
    return regex("eval", "eval.not_registry_char").sub("", str(value).upper())


def canon_doi(value: Any) -> str:
    return regex("eval", "eval.doi_prefix").sub("", str(value).strip().lower())


def alternatives(gold: dict[str, Any], key: str) -> list[Any]:
    """The gold value and any accepted alternatives listed under ``alt_<key>`` (e.g. ``alt_n``)."""
    alts = gold.get(f"alt_{key}") or []
    return [gold.get(key), *(alts if isinstance(alts, list) else [alts])]


# --- per-kind compatibility --------------------------------------------------------


def numbers_conflict(gold: str | None, pred: str | None) -> bool:
    """Both texts carry number tokens, and the two sets differ."""
    g_num = {t for t in keywords(gold) if t.isdigit()}
    p_num = {t for t in keywords(pred) if t.isdigit()}
    return bool(g_num and p_num and g_num != p_num)


def arms_compatible(g: Item, p: Item) -> bool:
    """n agrees when both give n, and: label keywords agree, or (labels without conflicting
    numbers) gold gives n and both n and role agree."""
    if present(g.get("n")) and present(p.get("n")) and not numbers_agree(g["n"], p["n"]):
        return False
    if keywords_agree(g.get("label"), p.get("label")):
        return True
    if numbers_conflict(g.get("label"), p.get("label")):
        return False
    return present(g.get("n")) and numbers_agree(g.get("n"), p.get("n")) and ids_agree(g.get("role"), p.get("role"))


def arm_similarity(g: Item, p: Item) -> float:
    """Tie-break among compatible arms: label ratio, +50 for equal n, +25 for equal role."""
    score = fuzz.token_set_ratio(" ".join(keywords(g.get("label"))), " ".join(keywords(p.get("label"))))
    if present(g.get("n")) and numbers_agree(g.get("n"), p.get("n")):
        score += 50
    if present(g.get("role")) and ids_agree(g.get("role"), p.get("role")):
        score += 25
    return float(score)


def item_compatible(kind: str, g: Item, p: Item, arm_map: ArmMap, gold_arm_ids: Sequence[str]) -> bool:
    """Does predicted item ``p`` match gold item ``g`` of ``kind`` (docs/EVAL.md table)?"""
    if not arm_agrees(g.get("arm"), p.get("arm"), arm_map, gold_arm_ids):
        return False
    if kind == "ln_classes":
        return (
            ids_agree(g.get("class"), p.get("class"))
            and _opt(g, "activity", ids_agree, p)
            and _opt(g, "n", numbers_agree, p)
        )
    if kind == "interventions":
        ok = (
            keywords_agree(g.get("agent"), p.get("agent"))
            and ids_agree(g.get("role"), p.get("role"))
            and _opt(g, "unit", ids_agree, p)
        )
        if ok and present(g.get("amount")):
            ok = numbers_agree(g["amount"], p.get("amount")) and canon(g.get("per")) == canon(p.get("per"))
        return ok
    if kind == "outcomes":
        return (
            ids_agree(g.get("measure"), p.get("measure"))
            and ids_agree(g.get("stat"), p.get("stat"))
            and times_agree(g.get("time"), p.get("time"))
            and _opt(g, "value", numbers_agree, p)
        )
    if kind == "responses":
        if not (ids_agree(g.get("type"), p.get("type")) and times_agree(g.get("time"), p.get("time"))):
            return False
        agree = 0
        for key, same in (("n", numbers_agree), ("N", numbers_agree), ("percent", percents_agree)):
            if present(g.get(key)) and present(p.get(key)):
                if not same(g[key], p[key]):
                    return False
                agree += 1
        return agree > 0
    if kind == "adverse_events":
        return keywords_agree(g.get("term"), p.get("term")) and _opt(g, "n", numbers_agree, p)
    raise ValueError(f"unknown item kind {kind!r}")


def stat_agrees(gold: Item | None, pred: Item | None) -> bool:
    """Cohort age / disease duration: same stat; every number gold gives agrees; spread if gold has one."""
    if not gold:
        return True
    if not pred or not ids_agree(gold.get("stat"), pred.get("stat")):
        return False
    if not all(_opt(gold, key, numbers_agree, pred) for key in ("value", "low", "high")):
        return False
    gs, ps = gold.get("spread"), pred.get("spread")
    if gs:
        if not ps or not ids_agree(gs.get("kind"), ps.get("kind")):
            return False
        return all(_opt(gs, key, numbers_agree, ps) for key in ("value", "low", "high"))
    return True


# --- assignment --------------------------------------------------------------------


def match_items(
    gold: Sequence[Item],
    pred: Sequence[Item],
    compatible: Callable[[Item, Item], bool],
    similarity: Callable[[Item, Item], float] | None = None,
) -> list[tuple[int, int]]:
    """One-to-one maximum matching (Hungarian, scipy) of gold to predicted items.

    The weight of a compatible pair is BIG (+ BIG/4 when the gold item is required, not
    optional) + a similarity tie-break < BIG/4, so the matching first maximises the number of
    pairs, then the number of required gold items covered, then similarity.
    """
    if not gold or not pred:
        return []
    big = 1e6
    weights = np.zeros((len(gold), len(pred)))
    ok = np.zeros((len(gold), len(pred)), dtype=bool)
    for i, g in enumerate(gold):
        bonus = 0.0 if g.get("optional") else big / 4
        for j, p in enumerate(pred):
            if compatible(g, p):
                ok[i, j] = True
                tie = min(similarity(g, p), big / 8) if similarity else 0.0
                weights[i, j] = big + bonus + tie
    rows, cols = linear_sum_assignment(weights, maximize=True)
    return [(int(i), int(j)) for i, j in zip(rows, cols) if ok[i, j]]


def map_arms(gold_arms: Sequence[Item], pred_arms: Sequence[Item]) -> tuple[list[tuple[int, int]], ArmMap]:
    """Match arms; map predicted arm id → gold arm id (a repeated predicted id keeps the gold
    arm of its first matched predicted arm)."""
    pairs = match_items(gold_arms, pred_arms, arms_compatible, arm_similarity)
    arm_map: ArmMap = {}
    for i, j in sorted(pairs, key=lambda pair: pair[1]):
        arm_map.setdefault(str(pred_arms[j].get("id")), str(gold_arms[i].get("id")))
    return pairs, arm_map
