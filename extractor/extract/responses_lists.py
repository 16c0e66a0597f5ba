"""Arms of a list of response values: pure helpers of :func:`responses._arms_for`.

* :func:`cycled_arms`: a run of same-typed values that repeats the arms ("4 of 41 with A versus 7 of
  33 with B by year 2, and 9 of 41 versus 14 of 33 by year 5"): the arms named in the text fix
  the cycle, and the values without a named arm continue it.
* :func:`spread_types`: values typed by one run of terms take one type each when they are as many.
* :func:`by_denominator`: a value whose own denominator is the size of exactly one arm (all arm
  sizes known) is that arm's ("24.8 % (36/145) vs 16.3 % (23/141)" with arms of 145 and 141).
"""

from __future__ import annotations

from extractor.nlp.rules import regex


def cycled_arms(named: list[str | None], order: list[str]) -> list[str] | None:
    """Pure: the arms of a run of ``len(named)`` values (a multiple of ``len(order)``) when the arms
    named in the text (None: not named) agree with one cycle; the cycle is the first
    ``len(order)`` named arms when they are all named and distinct, else ``order`` (report order)."""
    k = len(order)
    if not k or len(named) % k or not any(named):
        return None
    head = named[:k]
    cycle = list(head) if None not in head and len(set(head)) == k else list(order)
    if any(a is not None and a != cycle[i % k] for i, a in enumerate(named)):
        return None
    return [cycle[i % k] for i in range(len(named))]


def by_denominator(arms: list[str | None], denominators: list[int | None], sizes: dict[str, int | None]) -> list[str | None]:
    """Pure: ``arms`` with each value whose own denominator equals the size of exactly one arm
    given that arm (only when all arm sizes are known)."""
    known = [n for n in sizes.values() if n]
    if len(known) != len(sizes):
        return arms
    by_size = {int(n): a for a, n in sizes.items() if n and known.count(n) == 1}  # a size two arms share proves neither
    return [by_size.get(d, a) if d else a for a, d in zip(arms, denominators)]


def population_time(text: str, tm) -> bool:  # type: ignore[no-untyped-def]
    """Does the time point ``tm`` (offsets into ``text``) name the responders a
    relapse rate is counted among ("week-52 responders", "of patients in remission at 12
    months") rather than the time the relapses were counted to?"""
    return bool(regex("responses", "responses.population_time_before").search(text[max(0, tm.start - 60) : tm.start])
                or regex("responses", "responses.population_time_after").match(text[tm.end :]))


def spread_types(types: list[list[str]], rules: list[str]) -> list[list[str]]:
    """Pure: the types of a list of values typed by one run of terms ("the complete and partial
    remission rates were 30% and 15%"): as many values as types take one type each, in order;
    one value keeps them all ("the PR and CR rates were both 25%")."""
    out = [list(t) for t in types]
    i = 0
    while i < len(out):
        j = i
        while j + 1 < len(out) and types[j + 1] == types[i]:
            j += 1
        k = len(types[i])
        if k >= 2 and j - i + 1 == k and rules[i] == "response.term_then_value":
            for step in range(k):
                out[i + step] = [types[i][step]]
        i = j + 1
    return out


def _doses(text: str) -> set[tuple[float, str]]:
    return {(float(m["num"].replace(",", "")), m["unit"].lower().replace("²", "2"))
            for m in regex("responses", "responses.dose_mention").finditer(text)}


def dose_arm(labels: dict[str, str], text: str) -> str | None:
    """Pure: the arm whose label holds a dose named in ``text`` ("in the 4,000 IU group" with arms
    "2,000 IU of vitamin D3" and "4,000 IU of vitamin D3"); None unless exactly one arm has one."""
    named = _doses(text)
    if not named:
        return None
    hit = [arm_id for arm_id, label in labels.items() if _doses(label) & named]
    return hit[0] if len(hit) == 1 else None


def listed_arms(tail: str, name_of, count: int) -> list[str] | None:  # type: ignore[no-untyped-def]
    """The arms of a run of ``count`` values named, in order, by a list after the last value
    ("10 of 46 (21.7%), 13 of 47 (27.7%) and 8 of 48 (16.7%) patients in the 400 mg, 1000 mg and
    placebo groups"): the list's pieces up to the sentence's end must name ``count`` distinct
    arms (``name_of``: piece → arm id or None), else None."""
    pieces = [p for p in regex("responses", "responses.arm_list_sep").split(tail.split(".")[0].split(";")[0]) if p.strip()]
    named = [a for a in (name_of(p) for p in pieces) if a is not None]
    return named if count >= 2 and len(named) == count and len(set(named)) == count else None


def named_order(text: str, name_of) -> list[str]:  # type: ignore[no-untyped-def]
    """The distinct arms a sentence names, in the order it names them ("27 of 64 placebo recipients
    flared, compared with 15 of 64 who kept X": placebo, then X); ``name_of``: piece → arm id or None."""
    out: list[str] = []
    for piece in regex("responses", "responses.arm_mention_sep").split(text):
        arm = name_of(piece) if piece.strip() else None
        if arm is not None and arm not in out:
            out.append(arm)
    return out


def implied_arms(hits_types: list[list[str]], order: list[str]) -> list[str] | None:
    """Pure: the arms of an arm-less run of values of one type that the previous sentence's arm
    order implies ("Severe flares occurred in 9 (14.1%) and 3 (4.7%) patients, respectively" after a
    sentence naming placebo first): as many values as arms named there, else None."""
    if len(order) < 2 or len(hits_types) != len(order) or len({tuple(t) for t in hits_types}) != 1:
        return None
    return list(order)


def lead_in_values(arms: list[str | None], denominators: list[int | None], lead: tuple[str, int] | None) -> list[str | None]:
    """Pure: ``arms`` with each unattributed value whose own denominator is the size of the
    open-label lead-in of a randomised-withdrawal trial (``lead``: its id and n) given the lead-in
    ("At week 24, 134 of the 212 patients (63.2%) were SRI-4 responders" with 212 in the lead-in)."""
    if lead is None:
        return arms
    return [lead[0] if a is None and d == lead[1] else a for a, d in zip(arms, denominators)]
