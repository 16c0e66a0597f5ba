"""Adverse-event counts that prose writes without a "TERM n (x%)" pair.

* :func:`derive_n` — a percent-only per-arm statement ("deaths: 11.2%, 2.3% and 1.1%") gives the
  count when exactly one integer n out of the arm size N rounds to the stated percent; the
  item records how (``derived``).
* :func:`death_items` — deaths distributed over arms: "One patient in the X group and five in
  the Y group died", "Six patients (2.7%) receiving X and five (2.2%) receiving Y died",
  "two deaths: one in the X group and one in the Y group", "one death in each group", and in the
  arms' order when no arm is named: "Nine vs. five patients died" (``adverse.death_list``).
* :func:`count_list` — per-arm count lists "in 1, 3 and 4 patients" / "in 1 and 4".
* :func:`zero_total` — "no serious adverse events", "no deaths were reported": a total-type
  term (flag ``total`` in ``adverse_terms.tsv``) stated as zero; :func:`none_died` — "No patient
  died during the study".
Deaths split evenly in a parenthesis ("Two patients died (one in each group)") are one per arm;
a clause whose only death word is negated ("..., and no deaths occurred") gives no per-arm deaths.
Rules: ``adverse.died_cue``, ``adverse.died_each_paren``, ``adverse.arm_count_item``, ``adverse.count_list``,
``adverse.zero_before``, ``adverse.zero_not_count``, ``adverse.composite_death``, ``adverse.each_arm``.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractor.extract.adverse_arms import arm_named
from extractor.extract.context import Context
from extractor.extract.numbers import parse_number
from extractor.extract.tables import Term, arm_n, arms
from extractor.nlp.rules import regex
from extractor.records import AdverseEvent

TOTAL_FLAG = "total"
DEATH_TERM = "death"


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex("adverse", rule_id)


@dataclass
class ArmCount:
    n: int
    percent: float | None
    arm: str | None
    start: int
    end: int
    pooled: bool = False  # no one arm: the text names a drug that several arms share ("treated with X" for X 1 mg / X 2 mg)


def derive_n(percent: float, size: int) -> int | None:
    """Pure: the one integer n with 100·n/size rounding to ``percent`` (as written), else None."""
    if size <= 0 or percent < 0 or percent > 100:
        return None
    whole = float(percent).is_integer()
    for tol in ((0.5,) if whole else (0.05, 0.15)):
        hits = [n for n in range(size + 1) if abs(100.0 * n / size - percent) <= tol + 1e-9]
        if len(hits) == 1:
            return hits[0]
        if hits:
            return None
    return None


def fill_derived(ctx: Context, items: list[AdverseEvent]) -> None:
    """Give percent-only items of a known arm (or a single-arm report) their exact count."""
    single = len(arms(ctx)) <= 1
    for item in items:
        if item.n is not None or item.percent is None or (item.arm is None and not single):
            continue
        size = arm_n(ctx, item.arm)
        n = derive_n(item.percent, size) if size else None
        if n is None:  # the arm's safety size, as an AE table's column header gives it ("Sotalol (n = 108)")
            size = _table_size(items, item.arm)
            n = derive_n(item.percent, size) if size else None
        if n is not None:
            item.n = n
            item.derived = f"n = {n} from {item.percent:g}% of {size}"  # type: ignore[attr-defined]


def _table_size(items: list[AdverseEvent], arm: str | None) -> int | None:
    """The one denominator the AE table columns of ``arm`` give (``N`` of its table items), else None."""
    sizes = {getattr(e, "N", None) for e in items if e.arm == arm and arm is not None}
    sizes.discard(None)
    return sizes.pop() if len(sizes) == 1 else None


def _int(raw: str | None) -> int | None:
    v = parse_number(raw) if raw else None
    return int(v) if v is not None and v == int(v) else None


def arm_counts(ctx: Context, text: str) -> list[ArmCount]:
    """Count items of a clause, each with the arm named between it and the next item."""
    found = [m for m in _rx("adverse.arm_count_item").finditer(text) if _int(m["n"]) is not None]
    out = []
    for i, m in enumerate(found):
        nxt = found[i + 1].start() if i + 1 < len(found) else len(text)
        arm = arm_named(ctx, text[m.end() : nxt])
        pct = parse_number(m["pct"]) if m["pct"] else None
        pooled = arm is None and _shared_arm_word(ctx, text[m.end() : nxt])
        out.append(ArmCount(_int(m["n"]) or 0, pct, arm, m.start(), m.end(), pooled))
    return out


def _shared_arm_word(ctx: Context, text: str) -> bool:
    """``text`` names a word (4+ letters) that the labels of two or more arms share: those arms pooled."""
    labels = [{w.lower() for w in _rx("adverse.word_token").findall(getattr(a, "label", "") or "")
               if len(w) >= 4 and not _rx("adverse.generic_arm_word").match(w)} for a in arms(ctx)]
    words = {w.lower() for w in _rx("adverse.word_token").findall(text)}
    return any(sum(w in lab for lab in labels) >= 2 for w in words)


def death_items(ctx: Context, text: str, cbase: int) -> list[AdverseEvent]:
    """Deaths per arm in one clause (nothing unless two arms, or one arm, are named with counts)."""
    many = arms(ctx)
    if len(many) < 2 or not _death_stated(text) or _rx("adverse.composite_death").search(text):
        return []
    even = _rx("adverse.died_each_paren").search(text)  # "Two patients died (one in each group)"
    if even and _int(even["k"]) is not None:
        return [_death(ctx, _int(even["k"]) or 0, None, a.id, cbase + even.start("k"), cbase + even.end("k")) for a in many]
    listed = _rx("adverse.death_list").search(text)  # "Nine vs. five patients died": the arms' order
    nums = list(_rx("adverse.num_token").finditer(listed["list"])) if listed else []
    if listed and len(nums) == len(many):
        at = cbase + listed.start("list")
        return [_death(ctx, _int(m.group(0)) or 0, None, a.id, at + m.start(), at + m.end()) for m, a in zip(nums, many)]
    counts = arm_counts(ctx, text)
    if len(counts) == 1 and counts[0].arm is None and _rx("adverse.each_arm").search(text[counts[0].end :]):
        c = counts[0]
        return [_death(ctx, c.n, None, a.id, cbase + c.start, cbase + c.end) for a in many]
    armed = [c for c in counts if c.arm is not None]
    if not armed or len({c.arm for c in armed}) < len(armed):
        return []
    return [_death(ctx, c.n, c.percent, c.arm, cbase + c.start, cbase + c.end) for c in armed]


def _death_stated(text: str) -> bool:
    """Pure: does the clause state deaths that occurred (a death word not under "no": "and no
    deaths occurred", "No patient died" count nothing per arm)?"""
    for m in _rx("adverse.died_cue").finditer(text):
        if _rx("adverse.zero_before").search(text[: m.start()]):
            continue
        if any(z.start() <= m.start() < z.end() for z in _rx("adverse.none_died").finditer(text)):
            continue
        return True
    return False


def _death(ctx: Context, n: int, pct: float | None, arm: str | None, start: int, end: int) -> AdverseEvent:
    return AdverseEvent(term=DEATH_TERM, arm=arm, n=n, percent=pct, serious=True,
                        evidence=ctx.evidence(start, end, "adverse.death_by_arm"))


def count_list(text: str) -> list[tuple[int, int, int]]:
    """Pure: the counts of the first per-arm list "in 1, 3 and 4 (patients)" in ``text``:
    (n, start, end) each; empty when there is no list of at least two counts."""
    m = _rx("adverse.count_list").search(text)
    if not m:
        return []
    out = []
    for d in _rx("adverse.number_token").finditer(m.group(0)):
        v = _int(d.group(0))
        if v is None:
            return []
        out.append((v, m.start() + d.start(), m.start() + d.end()))
    return out if len(out) >= 2 else []


def zero_total(ctx: Context, text: str, terms: list[Term], cbase: int, clause_arm: str | None) -> list[AdverseEvent]:
    """Total-type terms stated as zero ("no serious adverse events", "No patient died")."""
    out = _none_listed(ctx, text, terms, cbase, clause_arm)
    listed = {id(t) for t in terms if any(e.evidence.span == [cbase + t.start, cbase + t.end] for e in out)}
    for t in terms:
        if id(t) in listed:
            continue
        if TOTAL_FLAG not in t.extra:
            out += _zero_specific(ctx, text, t, cbase, clause_arm)
            continue
        if not _rx("adverse.zero_before").search(text[: t.start]):
            continue
        if _rx("adverse.zero_not_count").match(text[t.end :]):
            continue
        out.append(AdverseEvent(term=t.surface.lower(), arm=clause_arm, n=0, percent=None,
                                serious=True if "serious" in t.canonical or t.canonical == DEATH_TERM else None,
                                evidence=ctx.evidence(cbase + t.start, cbase + t.end, "adverse.zero_total")))
        if t.canonical != out[-1].term:
            out[-1].canonical = t.canonical  # type: ignore[attr-defined]
    return out


def none_died(ctx: Context, text: str, cbase: int, clause_arm: str | None) -> list[AdverseEvent]:
    """"No patient died during the study", "None of the patients died": deaths stated as zero, one
    item per arm when the clause says "in either / any group" (rule ``adverse.none_died``)."""
    m = _rx("adverse.none_died").search(text)
    if m is None or _rx("adverse.composite_death").search(text):
        return []
    many = arms(ctx)
    own = text[m.end() :].split(",")[0]  # "No patient died in either group", not "No X in either group, and no patient died"
    per_arm = [a.id for a in many] if len(many) > 1 and _rx("adverse.each_arm").search(own) else [clause_arm]
    return [AdverseEvent(term=DEATH_TERM, arm=arm, n=0, percent=None, serious=True,
                         evidence=ctx.evidence(cbase + m.start(), cbase + m.end(), "adverse.none_died")) for arm in per_arm]


def _zero_specific(ctx: Context, text: str, t: Term, cbase: int, clause_arm: str | None) -> list[AdverseEvent]:
    """A specific event stated as zero: "No TERM were observed", "TERM were not seen (in either
    group)"; one item per arm when the clause says "in either / any group"."""
    after = text[t.end :]
    seen = _rx("adverse.zero_before").search(text[: t.start]) and _rx("adverse.zero_seen").match(after)
    not_seen = _rx("adverse.clause_opening").match(text[: t.start]) and _rx("adverse.zero_not_seen").match(after)
    if not (seen or not_seen):
        return []
    many = arms(ctx)
    per_arm = [a.id for a in many] if len(many) > 1 and _rx("adverse.each_arm").search(after) else [clause_arm]
    out = []
    for arm in per_arm:
        item = AdverseEvent(term=t.surface.lower(), arm=arm, n=0, percent=None, serious=None,
                            evidence=ctx.evidence(cbase + t.start, cbase + t.end, "adverse.zero_specific"))
        if t.canonical != item.term:
            item.canonical = t.canonical  # type: ignore[attr-defined]
        out.append(item)
    return out


def arm_counts_before(ctx: Context, before: str) -> list[ArmCount]:
    """Counts per group written before the term they count, each after its group's name, joined
    to the term by a verb: "X group 1 example, Y group 3 examples occurred TERM" (rule
    ``adverse.arm_counts_verb``). Empty unless every count has its own, distinct arm."""
    found = [m for m in _rx("adverse.arm_count_item").finditer(before) if _int(m["n"]) is not None]
    if len(found) < 2 or not _rx("adverse.arm_counts_verb").match(before[found[-1].end() :]):
        return []
    out, prev = [], 0
    for m in found:
        arm = arm_named(ctx, before[prev : m.start()])
        pct = parse_number(m["pct"]) if m["pct"] else None
        out.append(ArmCount(_int(m["n"]) or 0, pct, arm, m.start(), m.end()))
        prev = m.end()
    if any(c.arm is None for c in out) or len({c.arm for c in out}) < len(out):
        return []
    return out


def _none_listed(ctx: Context, text: str, terms: list[Term], cbase: int, clause_arm: str | None) -> list[AdverseEvent]:
    """"There were no incidences of X or episodes of severe Y": every event of the list is zero
    (rules ``adverse.there_were_no``, ``adverse.zero_chain``; a severity word stays in the name)."""
    out: list[AdverseEvent] = []
    prev_end = -1
    if _rx("adverse.subgroup_ref").search(text):
        return out  # "no infections ... for these two patients"
    for t in terms:
        if TOTAL_FLAG in t.extra:
            break
        opens = prev_end < 0 and _rx("adverse.there_were_no").match(text[: t.start])
        if not (opens or prev_end >= 0 and _rx("adverse.zero_chain").match(text[prev_end : t.start])):
            break
        sev = _rx("adverse.severity_before").search(text[: t.start])
        start = sev.start() if sev and sev.start() >= max(prev_end, 0) else t.start
        item = AdverseEvent(term=text[start : t.end].lower(), arm=clause_arm, n=0, percent=None, serious=None,
                            evidence=ctx.evidence(cbase + t.start, cbase + t.end, "adverse.none_listed"))
        if t.canonical != item.term:
            item.canonical = t.canonical  # type: ignore[attr-defined]
        out.append(item)
        prev_end = t.end
    return out
