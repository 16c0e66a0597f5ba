"""Chinese-style efficacy grades written as prose counts: "16 cases were markedly effective, 11
effective and 3 ineffective in the observation group, against 11, 11 and 8 in the control group".
Each grade is a response type (markedly effective → complete, effective → partial, ineffective →
none; named groups of ``responses.grade_count``); a bare list of as many counts after the first
group's (``responses.grade_others``) gives the next group's grades in the same order. When the
report states a total effective rate (``responses.grade_total_cue``) the overall count of a group
is complete + partial (filled into an overall item already read, else added).
"""

from __future__ import annotations

from extractor.extract.context import Context
from extractor.extract.numbers import CountPercent
from extractor.extract.responses_items import as_time, fallback_time, first_time, make_item
from extractor.extract.tables import arm_for_text, arm_n, arms, follow_up, prose_sentences
from extractor.nlp.rules import regex
from extractor.records import Response

GRADES = ("complete", "partial", "none")
ARM_REACH = 60  # characters after a list searched for its group's name
SKIP = frozenset({"introduction", "references", "methods"})


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex("responses", rule_id)


def grade_lists(text: str) -> list[tuple[list[tuple[str, int]], int, int]]:
    """Pure: the runs of at least two grade counts of ``text``: ([(type, n)], start, end) each."""
    runs: list[tuple[list[tuple[str, int]], int, int]] = []
    cur: list[tuple[str, int]] = []
    start = end = -1
    for m in _rx("responses.grade_count").finditer(text):
        kind = next((g for g in GRADES if m[g]), None)
        if kind is None:
            continue
        if cur and _rx("responses.grade_gap").match(text[end : m.start()]) and kind not in {k for k, _ in cur}:
            cur.append((kind, int(m["n"])))
            end = m.end()
            continue
        if len(cur) >= 2:
            runs.append((cur, start, end))
        cur, start, end = [(kind, int(m["n"]))], m.start(), m.end()
    if len(cur) >= 2:
        runs.append((cur, start, end))
    return runs


def _item(ctx: Context, rtype: str, arm: str | None, n: int, total: int, time, start: int, end: int) -> Response | None:  # type: ignore[no-untyped-def]
    v = CountPercent(n, total, round(100.0 * n / total, 1) if total else None, start, end, rule="responses.grade_count")
    return make_item(ctx, rtype, arm, time, v, None, ctx.evidence(start, end, "responses.grade_count"), total)


def grade_rates(ctx: Context, prior: list[Response]) -> list[Response]:
    """Grade counts of the prose of ``ctx`` per arm (and overall fills, see the module doc)."""
    many = arms(ctx)
    if not many:
        return []
    fu = follow_up(ctx)
    stated_total = bool(_rx("responses.grade_total_cue").search(ctx.text))
    out: list[Response] = []
    for sent in prose_sentences(ctx, SKIP):
        text = sent.text
        for grades, start, end in grade_lists(text):
            tm = first_time(ctx, text) or fallback_time(ctx, grades[0][0], fu)
            time = as_time(tm)
            groups: list[tuple[str | None, list[tuple[str, int]], int, int]] = []
            own = arm_for_text(ctx, text[end : end + ARM_REACH].split(",")[0]) if len(many) > 1 else many[0].id
            groups.append((own, grades, start, end))
            rest = _rx("responses.grade_others").match(text[end:])
            if rest and len(many) > 1:
                ns = [int(x) for x in _rx("responses.number").findall(rest["list"])]
                other = arm_for_text(ctx, rest["tail"])
                if len(ns) == len(grades) and other is not None and other != own:
                    groups.append((other, [(k, n) for (k, _), n in zip(grades, ns)], end + rest.start("list"), end + rest.end()))
            if len(many) > 1 and any(g[0] is None for g in groups):
                continue
            for arm, counts, s, e in groups:
                total = arm_n(ctx, arm) or sum(n for _, n in counts)
                for kind, n in counts:
                    item = _item(ctx, kind, arm, n, total, time, sent.start + s, sent.start + e)
                    if item is not None:
                        out.append(item)
                kinds = dict(counts)
                if stated_total and ("complete" in kinds or "partial" in kinds):
                    out += _overall(ctx, prior, arm, kinds.get("complete", 0) + kinds.get("partial", 0), total, time,
                                    sent.start + s, sent.start + e)
    return out


def _overall(ctx: Context, prior: list[Response], arm: str | None, n: int, total: int, time,  # type: ignore[no-untyped-def]
             start: int, end: int) -> list[Response]:
    read = [r for r in prior if r.type == "overall" and r.arm == arm]
    if read:
        for r in read:
            if r.n is None and r.percent is not None and total and abs(100.0 * n / total - r.percent) <= 0.15:
                r.n, r.N = n, total
        return []
    item = _item(ctx, "overall", arm, n, total, time, start, end)
    return [item] if item is not None else []
