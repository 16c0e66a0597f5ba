"""Arm attribution of several values of one measure in one prose clause.

"X in the A group and Y in the B group", "X in A compared with Y in B", "In A, X, whereas in B, Y":
each value takes the arm named between it and the next value (else between the previous value and
it). "X and Y in A and B, respectively": values take the arms in the order they are named. An
attribution is used only when every value gets a different arm; otherwise the caller falls back to
the arm of the whole clause. Regexes: ``outcomes.respectively``, ``outcomes.arm_list_sep``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from extractor.extract.numbers import Summary, find_summaries
from extractor.extract.quantities import unit_at
from extractor.extract.tables import Term, arm_for_text, arms, as_decimal_points, find_terms, timepoints_in
from extractor.nlp.rules import regex
from extractor.records import Outcome, Spread, TimePoint

MIN_WORD = 2  # shorter label words ("+", "a") do not name an arm
PUNCT_SPACE = frozenset(",;:()[]")  # read as spaces around a distinctive word ("Empagliflozin, mean value")

if TYPE_CHECKING:
    from extractor.extract.context import Context


def _distinct_words(ctx: Context) -> dict[str, str]:
    """Arm id → the first word of its label that no other arm label has ("test adalimumab" /
    "reference adalimumab", "2,000 IU" / "4,000 IU"): a short way papers name arms."""
    words = {a.id: [w.strip("()[]").lower() for w in (a.label or "").split()] for a in arms(ctx)}
    out = {}
    for arm_id, ws in words.items():
        others = {w for k, o in words.items() if k != arm_id for w in o}
        unique = [w for w in ws if len(w) >= MIN_WORD and w not in others and not regex("outcomes", "outcomes.label_filler_word").match(w)]
        if unique:
            out[arm_id] = unique[0]
    return out


def _spaced(text: str) -> str:
    """Brackets and separators as spaces, except a comma inside a number ("2,000")."""
    return "".join(" " if ch in PUNCT_SPACE and not (ch == "," and text[i - 1 : i].isdigit() and text[i + 1 : i + 2].isdigit())
                   else ch for i, ch in enumerate(text))


def _arm_in(ctx: Context, piece: str) -> str | None:
    """The arm a piece names: by its label, unless the piece holds the distinctive word of exactly
    one other arm ("the group receiving 2,000 IU of vitamin D3 daily" when the other arm's label
    is "4,000 IU of oral vitamin D3 daily")."""
    arm = arm_for_text(ctx, piece)
    low = " " + _spaced(piece.lower()) + " "
    hits = [a for a, w in _distinct_words(ctx).items() if f" {w} " in low or f" {w}-" in low]
    if arm and not (len(hits) == 1 and hits[0] != arm):
        return arm
    if len(hits) == 1:
        return hits[0]
    spaced = regex("outcomes", "outcomes.glued_unit").sub(" ", piece)
    if arm is None and spaced != piece:
        return _arm_in(ctx, spaced)  # "the 2 × 9mg/kg group" for the arm "2 × 9 mg/kg"
    return dose_named(ctx, piece) or _control_arm(ctx, piece)


def _dose_rests(ctx: Context) -> dict[str, str]:
    """Arm id → its label without the words every other dosed arm shares ("atacicept 2 × 9 mg/kg"
    → "2 × 9 mg/kg"), kept when the rest holds a number: the dose papers name such arms by."""
    labels = {a.id: " ".join((a.label or "").lower().split()) for a in arms(ctx)}
    dosed = {k: v for k, v in labels.items() if any(ch.isdigit() for ch in v)}
    if len(dosed) < 2:
        return {}
    shared = set.intersection(*(set(v.split()) for v in dosed.values()))
    out = {}
    for k, v in dosed.items():
        kept, prev_digit = [], False
        for w in v.split():
            if w not in shared or prev_digit or any(ch.isdigit() for ch in w):
                kept.append(w)  # the unit after a number stays: "9 mg/kg", not "9"
            prev_digit = any(ch.isdigit() for ch in w)
        rest = " ".join(kept)
        if rest != v and len(kept) >= 2 and any(ch.isdigit() for ch in rest):
            out[k] = rest
    return out


def dose_named(ctx: Context, piece: str) -> str | None:
    """The arm a piece names by its dose alone ("in the 2 × 9 mg/kg group" for "atacicept 2 × 9
    mg/kg"): the longest dose rest found whole; None on a tie."""
    rests = _dose_rests(ctx)
    if not rests:
        return None
    low = " ".join(regex("outcomes", "outcomes.glued_unit").sub(" ", piece).lower().split())
    found = []
    for arm_id, rest in rests.items():
        i = low.find(rest)
        while i >= 0:
            before, after = low[i - 1 : i], low[i + len(rest) : i + len(rest) + 1]
            if not (before.isalnum() or before in {".", ","}) and not after.isalnum():
                found.append((len(rest), arm_id))
                break
            i = low.find(rest, i + 1)
    if not found:
        return None
    found.sort(reverse=True)
    return found[0][1] if len(found) == 1 or found[0][0] > found[1][0] else None


CONTROL_ROLES = frozenset({"control", "placebo"})


def _control_arm(ctx: Context, piece: str) -> str | None:
    """"their control subjects", "the controls": the one control or placebo arm (when no arm label
    says "control" itself, which :func:`arm_for_text` reads)."""
    if not regex("outcomes", "outcomes.control_word").search(piece):
        return None
    if any("control" in (a.label or "").lower() for a in arms(ctx)):
        return None
    controls = [a.id for a in arms(ctx) if getattr(a, "role", None) in CONTROL_ROLES]
    return controls[0] if len(controls) == 1 else None


def _named_in_order(ctx: Context, text: str) -> list[str]:
    """Arm ids named in ``text``, in the order they are named (each once)."""
    out: list[str] = []
    pos = 0
    for m in list(regex("outcomes", "outcomes.arm_list_sep").finditer(text)) + [None]:
        end = m.start() if m is not None else len(text)
        piece = text[pos:end]
        arm = _arm_in(ctx, piece) if piece.strip() else None
        if arm and arm not in out:
            out.append(arm)
        pos = m.end() if m is not None else len(text)
    return out


def named_arms(ctx: Context, text: str) -> list[str]:
    """Arm ids named in ``text``, in the order they are named (each once)."""
    return _named_in_order(ctx, text)


def value_arms(ctx: Context, text: str, spans: list[tuple[int, int]]) -> list[str | None] | None:
    """One arm per value span (sorted, offsets into ``text``), or None when the clause does not
    tell them apart."""
    if len(spans) < 2 or len(arms(ctx)) < 2:
        return None
    masked = list(text)
    for s, e in spans:
        masked[s:e] = " " * (e - s)
    plain = _bracket_scope("".join(masked), spans[0][0], spans[-1][1])
    listed = _dose_list_arms(ctx, plain[spans[-1][1] :])
    if len(listed) == len(spans) and len(set(listed)) == len(listed):
        return list(listed)  # "fell by 62%, 88% and 94% in the 1, 3 and 10 mg/kg cohorts"
    if regex("outcomes", "outcomes.respectively").search(plain):
        named = _named_in_order(ctx, plain)
        if len(named) == len(spans):
            return list(named)
        if not named and len(spans) == len(arms(ctx)):
            return [a.id for a in arms(ctx)]  # "... were 12.1, 11.8 and 12.4, respectively": the arms in report order
        times = len(regex("outcomes", "outcomes.respectively").findall(plain))
        order = named if len(named) == len(arms(ctx)) else [a.id for a in arms(ctx)] if not named else []
        if times > 1 and order and len(spans) == times * len(order):
            return list(order) * times  # "before: a and b, respectively, after: c and d, respectively"
    afters, befores = [], []
    for i, (s, e) in enumerate(spans):
        stop = spans[i + 1][0] if i + 1 < len(spans) else len(text)
        begin = spans[i - 1][1] if i else 0
        afters.append(_named_in_order(ctx, plain[e:stop]))
        befores.append(_named_in_order(ctx, plain[begin:s]))
    schemes = [
        [a[0] if len(a) == 1 else None for a in afters],  # "X in A and Y in B"
        [b[-1] if b else None for b in befores],  # "in A, X, whereas in B, Y"
        [a[0] if len(a) == 1 else b[-1] if b else None for a, b in zip(afters, befores)],  # "in A X compared to Y in B"
    ]
    if befores[0] and not afters[-1]:
        schemes[0], schemes[1] = schemes[1], schemes[0]  # "(A 4.1 ± 2.0 and B 1.2 ± 1.9)": each arm before its value
    for got in schemes:
        if all(got) and len(set(got)) == len(got):
            return list(got)
    return _versus_arms(ctx, text, plain, spans) or _pair_arms(ctx, text, spans) or _repeated_order(ctx, text, spans)


def _dose_list_arms(ctx: Context, text: str) -> list[str]:
    """The arms an elliptic dose list names, in order ("the 1, 3 and 10 mg/kg cohorts" → the 1 mg/kg,
    3 mg/kg and 10 mg/kg arms); [] unless every dose names an arm."""
    m = regex("outcomes", "outcomes.dose_list").search(text)
    if m is None:
        return []
    doses = regex("outcomes", "outcomes.dose_list_number").findall(m.group("list"))
    got = [_arm_in(ctx, f"the {d} {m.group('unit')} group") for d in doses]
    return [a for a in got if a] if all(got) else []


def _repeated_order(ctx: Context, text: str, spans: list[tuple[int, int]]) -> list[str | None] | None:
    """"a with A and b with B at baseline, and c versus d at 9 months": one value per arm per time
    point; the first group names the arm order, later groups that name no arm repeat it."""
    k = len(arms(ctx))
    if len(spans) <= k or len(spans) % k:
        return None
    groups = [spans[i : i + k] for i in range(0, len(spans), k)]
    ends = [g[0][0] for g in groups[1:]] + [len(text)]
    starts = [g[0][0] for g in groups]
    first = value_arms(ctx, text[: ends[0]], groups[0])
    if not first or None in first or len(set(first)) != k:
        return None
    out: list[str | None] = list(first)
    for g, a, b in zip(groups[1:], starts[1:], ends[1:]):
        piece = text[a:b]
        masked = "".join(" " if any(s - a <= i < e - a for s, e in g) else ch for i, ch in enumerate(piece))
        if _named_in_order(ctx, masked):
            return None  # a later group names its own arms: not a repeated order
        out += first
    return out


def _bracket_scope(plain: str, start: int, end: int) -> str:
    """When all values stand inside one bracket ("SLEDAI (A -1.0 [...] and B 0.0 [...]) ... with A"),
    only the bracket names their arms: the text outside it is blanked (same offsets)."""
    depth, open_at = 0, -1
    for i in range(start - 1, -1, -1):
        if plain[i] == ")":
            depth += 1
        elif plain[i] == "(":
            if depth == 0:
                open_at = i
                break
            depth -= 1
    if open_at < 0:
        return plain
    depth = 0
    for j in range(open_at + 1, len(plain)):
        if plain[j] == "(":
            depth += 1
        elif plain[j] == ")":
            if depth == 0:
                return " " * (open_at + 1) + plain[open_at + 1 : j] + " " * (len(plain) - j) if j >= end else plain
            depth -= 1
    return plain


def _gaps_all(text: str, spans: list[tuple[int, int]], rule_id: str) -> bool:
    rx = regex("outcomes", rule_id)
    return all(rx.match(text[a[1] : b[0]]) for a, b in zip(spans, spans[1:]))


def _versus_arms(ctx: Context, text: str, plain: str, spans: list[tuple[int, int]]) -> list[str | None] | None:
    """"-2.1 vs +0.9" with no arm beside the values: the arms in the order the clause names them,
    else in report order."""
    if len(spans) != len(arms(ctx)) or not _gaps_all(text, spans, "outcomes.versus_gap"):
        return None
    named = _named_in_order(ctx, plain)
    if len(named) == len(spans):
        return list(named)
    return [a.id for a in arms(ctx)] if not named else None


def _pair_arms(ctx: Context, text: str, spans: list[tuple[int, int]]) -> list[str | None] | None:
    """"from 3.9 to 0.8 with A and from 4.1 to 1.4 with B": each from-to pair takes one arm."""
    if len(spans) < 4 or len(spans) % 2:
        return None
    pairs = [(spans[i], spans[i + 1]) for i in range(0, len(spans), 2)]
    if not all(regex("outcomes", "outcomes.pair_to_gap").match(text[a[1] : b[0]]) for a, b in pairs):
        return None
    got = value_arms(ctx, text, [(a[0], b[1]) for a, b in pairs])
    if got is None and len(pairs) == len(arms(ctx)) and not _named_in_order(ctx, text):
        got = [a.id for a in arms(ctx)]  # "rose from a to b and from c to d": one pair per arm, in report order
    return [arm for arm in got for _ in range(2)] if got else None


def without_arm_names(ctx: Context, gap: str, max_words: int | None = None) -> str:
    """``gap`` with its pieces that name an arm blanked ("in the MMF group and" → "   and"), so two
    values of one measure in two arms link like "X and Y"; ``max_words``: only pieces this short
    ("in the MMF", not "in the 4,000 group would be about"). Brackets left empty are blanked too."""
    if len(arms(ctx)) < 2:
        return gap
    out = list(gap)
    pos = 0
    for m in list(regex("outcomes", "outcomes.arm_list_sep").finditer(gap)) + [None]:
        end = m.start() if m is not None else len(gap)
        words = [w for w in gap[pos:end].split() if not regex("outcomes", "outcomes.arm_piece_filler").match(w)]
        short = max_words is None or len(words) <= max_words  # "in the 4,000 IU group of": 2 words that name the arm
        if gap[pos:end].strip() and short and _arm_in(ctx, gap[pos:end]):
            out[pos:end] = " " * (end - pos)
        pos = m.end() if m is not None else len(gap)
    text = "".join(out)
    i = text.find("(")
    while i >= 0:  # "(MMF)" → "(   )" → blank
        j = text.find(")", i)
        if j > i and not text[i + 1 : j].strip():
            text = text[:i] + " " * (j - i + 1) + text[j + 1 :]
        i = text.find("(", i + 1)
    return text


def arm_named(ctx: Context, piece: str) -> str | None:
    """The arm a short piece of text names: a label or alias, else a label word no other arm has
    ("Adalimumab (test)" → the "test adalimumab" arm)."""
    if not piece.strip():
        return None
    plain = "".join(ch if ch.isalnum() or ch in "+-/.," else " " for ch in piece)  # "(test)" → " test "
    return _arm_in(ctx, piece) or _arm_in(ctx, plain)


NEAR_AFTER = 40  # characters after a value read for the arm it names ("1.1 g/24 h (MMF)")


def nearest_arm(ctx: Context, text: str, start: int, end: int) -> str | None:
    """When a clause names several arms, the arm of one value: named right after it (within the
    same piece), else the last named before it; None when the clause names fewer than two arms."""
    if len(_named_in_order(ctx, text)) < 2:
        return None
    after = text[end : end + NEAR_AFTER]
    stop = regex("outcomes", "outcomes.arm_after_stop").search(after)
    named = _named_in_order(ctx, after[: stop.start()] if stop else after)
    if named:
        return named[0]
    before = _named_in_order(ctx, text[:start])
    return before[-1] if before else None


# --------------------------------------------------------------------------------------
# a list of measures, then one list of values per arm (or one pair per measure)
# --------------------------------------------------------------------------------------


def _spans_free(values: list[Summary], a: int, b: int) -> list[Summary]:
    return [v for v in values if a <= v.start and v.end <= b]


def read_lists(text: str, measures: list[Term], values: list[Summary], m: int, name_arm: Callable[[str], str | None],
               in_order: Callable[[str], list[str]], prev: tuple[list[Term], list[str]] | None = None,
               ) -> tuple[list[tuple[Term, str, Summary]], tuple[list[Term], list[str]] | None]:
    """Pure: "A, B and C were a, b and c in group 1 and d, e and f in group 2" (a list of the k
    measures, then k values per arm); "A a and b, B c and d … in groups 1 and 2" (each measure
    followed by one value per arm, the arms named in order after them); with no measure named and
    ``prev`` (the measures and arm order of the sentence before, ``outcomes.list_corresponding``),
    "the corresponding values were a vs b, c vs d". Returns (measure, arm, value) triples and the
    (measures, arm order) the next sentence may refer to; nothing when the counts do not fit."""
    if m < 2 or not values:
        return [], None
    k = len(measures)
    if k >= 2 and len({t.canonical for t in measures}) == k and measures[-1].end <= values[0].start and len(values) == k * m:
        groups = [values[g * k : (g + 1) * k] for g in range(m)]
        ends = [g[0].start for g in groups[1:]] + [len(text)]
        arm_ids = [name_arm(text[g[-1].end : e]) for g, e in zip(groups, ends)]
        if None not in arm_ids and len(set(arm_ids)) == m:
            return [(t, a, v) for g, a in zip(groups, arm_ids) for t, v in zip(measures, g)], (measures, arm_ids)  # type: ignore[misc]
    if k >= 2 and len({t.canonical for t in measures}) == k and measures[0].end <= values[0].start:
        bounds = [t.end for t in measures] + [len(text)]
        per = [_spans_free(values, a, b) for a, b in zip(bounds, bounds[1:])]
        order = in_order(text[values[-1].end :]) or in_order(text[: measures[0].start])
        if all(len(p) == m for p in per) and len(order) == m:
            return [(t, a, v) for t, p in zip(measures, per) for a, v in zip(order, p)], (measures, order)
    if k == 0 and prev and len(values) == len(prev[0]) * m and regex("outcomes", "outcomes.list_corresponding").search(text):
        names, order = prev
        return [(t, a, v) for i, t in enumerate(names) for a, v in zip(order, values[i * m : (i + 1) * m])], prev
    return [], None


def list_outcomes(ctx: Context, sentences: list, fu: tuple[float, str] | None) -> tuple[list[Outcome], set[int]]:  # type: ignore[type-arg]
    """Outcomes of sentences read by :func:`read_lists`, and the starts of those sentences."""
    m = len(arms(ctx))
    out: list[Outcome] = []
    read: set[int] = set()
    prev = None
    for sent in sentences:
        text = as_decimal_points(ctx, sent.text)
        measures = [t for t in find_terms(text, "measures") if not t.extra or "table" not in t.extra and t.extra[0] != "count"]
        masked = "".join(" " if any(t.start <= i < t.end for t in measures) else ch for i, ch in enumerate(text))
        values = [s for s in find_summaries(masked) if s.value is not None and s.spread_kind]
        got, prev = read_lists(text, measures, values, m, lambda p: arm_named(ctx, p), lambda p: _named_in_order(ctx, p), prev)
        time = _list_time(text, fu)
        if not got or time is None:
            continue
        read.add(sent.start)
        for term, arm_id, v in got:
            spread = Spread(kind=v.spread_kind, value=v.spread_value, low=v.low, high=v.high)  # type: ignore[arg-type]
            unit = unit_at(text, v.end + int(text[v.end : v.end + 1] == ")"))
            out.append(Outcome(measure=term.canonical, arm=arm_id, time=time, stat=v.stat or "mean", value=v.value,  # type: ignore[arg-type]
                               unit=unit[0] if unit else (term.extra[0] if term.extra and term.extra[0] == "score" else None),
                               spread=spread, evidence=ctx.evidence(sent.start + v.start, sent.start + v.end, "outcome.list." + (v.stat or "mean"))))
    return out, read


def _list_time(text: str, fu: tuple[float, str] | None) -> TimePoint | None:
    """Before treatment → baseline; one time point stated → it; after treatment → the follow-up."""
    if regex("outcomes", "outcomes.list_before").search(text):
        return TimePoint(value=0.0, unit="day", label="baseline")
    later = {(t.value, t.unit) for t in timepoints_in(text, fu) if t.value and not t.is_schedule}
    if len(later) == 1:
        value, unit = later.pop()
        return TimePoint(value=value, unit=unit, label=None)  # type: ignore[arg-type]
    if not later and fu and regex("outcomes", "outcomes.list_after").search(text):
        return TimePoint(value=fu[0], unit=fu[1], label=None)  # type: ignore[arg-type]
    return None
