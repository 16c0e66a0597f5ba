"""Vocabulary adverse-event terms (``rules/vocab/adverse_terms.tsv``) with the counts of their clause:
"TERM 12 (6.7%) and 8 (4.5%)", "4 cases of TERM", "TERM in 1, 3 and 4 patients" (arms' order), "Two
TERM were reported in group X and one in group Y", "headache in 1", "One serious TERM (SPECIFIC)".
A count run without arm names takes the arms in their order when it has one count per arm.
"""

from __future__ import annotations

from dataclasses import replace

from extractor.extract.adverse_arms import arm_named
from extractor.extract.adverse_base import make_event, negated, seriousness, to_int
from extractor.extract.adverse_counts import TOTAL_FLAG, ArmCount, arm_counts, arm_counts_before, count_list
from extractor.extract.context import Context
from extractor.extract.numbers import CountPercent, find_count_percents, parse_number
from extractor.extract.tables import Term, arm_n, arms, find_terms
from extractor.nlp.rules import regex
from extractor.records import AdverseEvent


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex("adverse", rule_id)


def clause_counts(ctx: Context, text: str) -> list[CountPercent]:
    """Counts of a clause: "(n = 181, 29.4%)" first, then n (%) / n of N, else "N patients"."""
    eq = [CountPercent(to_int(m["n"]), None, parse_number(m["pct"]) if m["pct"] else None, m.start(), m.end(), rule=rule)
          for rule in ("adverse.n_equals", "adverse.n_people_pct") for m in _rx(rule).finditer(text)]
    counts = [c for c in find_count_percents(text, total=arm_n(ctx, None)) if c.n is not None or c.percent is not None]
    eq += [CountPercent(to_int(m["n"]), None, parse_number(m["pct"]), m.start(), m.end(), rule="adverse.n_comma_pct")
           for m in _rx("adverse.n_comma_pct").finditer(text) if not any(m.start() < e.end and e.start < m.end() for e in eq)]
    counts = eq + [c for c in counts if not any(c.start < e.end and e.start < c.end for e in eq)]
    # "eGFR fall of more than 30 %", "in more than one patient": a threshold, not a count;
    # "from week 1", "grade 3": a time point or a grade
    counts = [c for c in counts if not _rx("adverse.threshold_before").search(text[: c.start])
              and not _rx("adverse.count_backref").search(text[: c.start])
              and (c.percent is not None or not _rx("adverse.count_not_after").search(text[: c.start]))]
    if not counts:
        counts = [CountPercent(to_int(m["n"]), to_int(m["N"]), parse_number(m["pct"]) if m["pct"] else None, m.start(), m.end(),
                               rule="adverse.n_people") for m in _rx("adverse.n_people").finditer(text)]
        counts = [c for c in counts if c.n is not None and not _rx("adverse.count_backref").search(text[: c.start])
                  and not _rx("adverse.threshold_before").search(text[: c.start])
                  and not _rx("adverse.count_not_after").search(text[: c.start])]
    return sorted(counts, key=lambda c: c.start)


def _merge_adjacent(text: str, terms: list[Term]) -> list[Term]:
    """"herpes zoster infections": two vocabulary terms written as one keep the first's name."""
    out: list[Term] = []
    for t in terms:
        if out and _inside_paren(text, out[-1].end, t.start):
            continue  # "serious adverse events (AEs)", "infusion reactions (flushing and ...)": what the term before was
        if out and not text[out[-1].end : t.start].strip(" -") and TOTAL_FLAG not in t.extra:
            last = out[-1]
            out[-1] = Term(last.canonical, last.start, t.end, text[last.start : t.end], last.extra)
            continue
        out.append(t)
    return out


def _inside_paren(text: str, prev_end: int, start: int) -> bool:
    """Pure: is ``start`` inside a parenthesis opened right after the previous term ends?"""
    gap = text[prev_end:start]
    return gap.lstrip().startswith("(") and ")" not in gap


def _ae_terms(text: str, taken: list[tuple[int, int]]) -> list[Term]:
    terms = [t for t in find_terms(text, "adverse_terms")
             if not any(t.start < e and s < t.end for s, e in taken) and not negated(text, t.start, t.end)
             and not _rx("adverse.soc_after").match(text[t.end:])
             and not _rx("adverse.test_for_before").search(text[: t.start])
             and not _rx("adverse.class_label_before").search(text[: t.start])
             and not _rx("adverse.cause_of_death").search(text[: t.start])
             and not any(e <= t.start and _inside_paren(text, e, t.start) for _, e in taken)]
    terms = [t for t in _merge_adjacent(text, terms)
             if not (TOTAL_FLAG in t.extra and (_rx("adverse.term_as_label").search(text[: t.start])
                                                or _rx("adverse.term_as_reason").match(text[t.end :])
                                                or _rx("adverse.total_as_heading").match(text[t.end :])))]
    return terms


def vocab_events(ctx: Context, text: str, cbase: int, taken: list[tuple[int, int]],
                  section_serious: bool | None, clause_arm: str | None = None,
                  order: list[str] | None = None) -> list[AdverseEvent]:
    """A vocabulary term with the counts that follow it (at most one per arm): "TERM 12 (6.7%)
    and 8 (4.5%)", "4 cases of TERM", "TERM in 1, 3 and 4 patients" (arm order)."""
    out: list[AdverseEvent] = []
    terms = _ae_terms(text, taken)
    if not terms:
        return out
    counts = clause_counts(ctx, text)
    many = arms(ctx)
    cap = max(1, len(many))
    each = bool(_rx("adverse.each_arm").search(text)) and len(many) > 1
    serious = seriousness(text) if seriousness(text) is not None else section_serious
    prev_end = 0
    socs = [m.start() for m in _rx("adverse.soc_name").finditer(text)]  # a class's own counts follow it
    for ti, t in enumerate(terms):
        name = _term_name(text, t)
        nxt = terms[ti + 1].start if ti + 1 < len(terms) else len(text)
        nxt = min([nxt] + [s for s in socs if s >= t.end])
        listed = count_list(text[t.end : nxt]) if len(many) > 1 else []
        if listed and _armed_before(ctx, text[t.end : t.end + listed[0][1]]):
            # "TERM in 2 X patients and 3 Y patients, and OTHER in 1 and 2": the list is the next event's
            nxt, listed = t.end + listed[0][1], []
        before = _rx("adverse.cases_of").search(text[prev_end : t.start])
        gap_start, prev_end = prev_end, t.end
        if TOTAL_FLAG in t.extra and _rx("adverse.subset_before").search(text[: t.start]):
            continue  # "Further serious adverse events were seen in 4 ...": a remainder, not the total
        seq = order if order and len(order) == len(listed) else [a.id for a in many]
        if len(listed) == len(seq) and listed:
            for (n, s, e), a in zip(listed, seq):
                out.append(make_event(ctx, name, t.canonical, n, None, serious, a,
                                  cbase + t.end + s, cbase + t.end + e, "adverse.count_list"))
            continue
        own_arm = _last_arm(ctx, text, t.start) or clause_arm if clause_arm else clause_arm
        if before and to_int(before["n"]) is not None:
            out.append(make_event(ctx, name, t.canonical, to_int(before["n"]), None, serious, own_arm,
                              cbase + t.start, cbase + t.end, "adverse.cases_of"))
            continue
        by_arm = arm_counts(ctx, text[t.end : nxt]) if len(many) > 1 else []
        ahead = arm_counts_before(ctx, text[gap_start : t.start]) if len(many) > 1 else []
        if ahead:
            by_arm, t_end = ahead, gap_start - t.end  # offsets of the counts are before the term
        else:
            t_end = 0
        if not ahead:
            by_arm = _last_arm_left(ctx, text[t.end : nxt], _covered(ctx, by_arm))
        named = [c.arm for c in by_arm if c.arm]
        if len(by_arm) > 1 and named and all(c.arm or c.pooled for c in by_arm) and len(set(named)) == len(named):
            for c in by_arm:
                out.append(make_event(ctx, name, t.canonical, c.n, c.percent, serious, c.arm,
                                  cbase + t.end + t_end + c.start, cbase + t.end + t_end + c.end, "adverse.arm_counts"))
            continue
        near = None if TOTAL_FLAG in t.extra else adjacent_n(text[gap_start : t.start], text[t.end : nxt])
        if near is not None:
            every = [a.id for a in many] if own_arm is None and len(many) > 1 and _rx("adverse.each_arm").search(
                text[t.end : nxt]) else [own_arm]  # "one pneumonia in each group"
            out += [make_event(ctx, name, t.canonical, near, None, serious, arm, cbase + t.start, cbase + t.end,
                               "adverse.adjacent_count") for arm in every]
            continue
        if len(many) <= 1 and TOTAL_FLAG not in t.extra and _one_patient(text[: t.start]):
            out.append(make_event(ctx, name, t.canonical, 1, None, serious, clause_arm,
                                  cbase + t.start, cbase + t.end, "adverse.one_patient"))
            continue  # "She developed TERM", "Patient 3, a 38-year-old man, reacted to ... with a TERM"
        mine = [c for c in counts if t.end <= c.start < nxt] or ([c for c in counts if c.end <= t.start][-1:] if ti == 0 else [])
        if mine and mine[0].end <= t.start and _rx("adverse.names_members").search(text[mine[0].end : t.start]):
            mine = []  # "... in four patients, namely TERM and ...": the count is of the class named before
        mine = _run(ctx, text, mine)[:cap]
        if not mine:
            grouped = _count_then_group(ctx, text, cbase, t, gap_start, nxt, serious)
            # several arms: a pooled count is not read; "Three serious adverse events": events, not patients
            own = (clause_arm or len(many) <= 1) and TOTAL_FLAG not in t.extra
            opening = _rx("adverse.count_opens_clause").match(text[: t.start]) if ti == 0 and not grouped else None
            # one event is one patient: "One serious event was reported" counts a patient whatever the arms
            if opening and (own or to_int(opening["n"]) == 1) and to_int(opening["n"]) is not None:
                # "One serious infection (pneumonia) was recorded."
                grouped = [make_event(ctx, name, t.canonical, to_int(opening["n"]), None, serious, clause_arm,
                                      cbase + opening.start("n"), cbase + t.end, "adverse.count_opens_clause")]
            out += grouped + _specified_one(ctx, text, cbase, t, grouped)
            continue
        if each and len(mine) == 1:
            pairs = [(mine[0], a.id) for a in many]
        else:
            found = _arms_for(ctx, text, mine, order)
            if len(mine) == 1 and found[0] is None:
                found = [clause_arm]
            pairs = list(zip(mine, found))
        for c, arm in pairs:
            out.append(make_event(ctx, name, t.canonical, c.n, c.percent, serious, arm,
                              cbase + c.start, cbase + c.end, "adverse.term_count"))
    return out


def one_patient_event(ctx: Context, text: str) -> bool:
    """Does the sentence tell one patient's event ("He later had grade 3 leukopenia") in a report
    of one arm (or none)? Such a sentence is read as a safety sentence."""
    if len(arms(ctx)) > 1 or _rx("adverse.not_safety_cue").search(text):
        return False
    return any(TOTAL_FLAG not in t.extra and _one_patient(text[: t.start]) for t in find_terms(text, "adverse_terms"))


def _one_patient(before: str) -> bool:
    """Pure: is the term the object of a verb whose subject is one patient ("She developed ",
    "He later had a ", "Patient 3, a 38-year-old man with ..., reacted to the first infusion with a ")?"""
    return bool(_rx("adverse.one_patient_pronoun").search(before) or _rx("adverse.one_patient_named").search(before))


def _armed_before(ctx: Context, text: str) -> bool:
    """Do two or more counts, each naming its own arm, come before a later list of bare counts?"""
    named = [c.arm for c in arm_counts(ctx, text) if c.arm]
    return len(named) >= 2 and len(set(named)) == len(named)


def _covered(ctx: Context, by_arm: list[ArmCount]) -> list[ArmCount]:
    """Counts after one count per arm, each naming its own arm, are not the arms' ("infections in 6
    patients of group X and 4 of group Y (one pneumonia in each group ...)": the "one" is another event's)."""
    many = arms(ctx)
    lead = by_arm[: len(many)]
    if len(by_arm) <= len(many) or not all(c.arm for c in lead) or len({c.arm for c in lead}) < len(many):
        return by_arm
    return lead if all(c.arm is None and not c.pooled for c in by_arm[len(many) :]) else by_arm


def _last_arm_left(ctx: Context, after: str, by_arm: list[ArmCount]) -> list[ArmCount]:
    """One count per arm, all but one with its own arm and that one written against a group whose
    name does not resolve ("5 patients of the X group and 7 of the control group"): the arm left."""
    many = arms(ctx)
    named = [c.arm for c in by_arm if c.arm]
    if len(many) < 2 or len(by_arm) != len(many) or len(named) != len(many) - 1 or len(set(named)) != len(named):
        return by_arm
    gap = next(c for c in by_arm if c.arm is None)
    if gap.pooled or not _rx("adverse.arm_follows_count").match(after[gap.end :]):
        return by_arm
    left = next(a.id for a in many if a.id not in named)
    return [replace(c, arm=left) if c is gap else c for c in by_arm]


def _term_name(text: str, t: Term) -> str:
    """The event's name; a class specified by one other vocabulary term in brackets keeps it
    ("One serious infection (pneumonia)" → "serious infection (pneumonia)")."""
    m = _rx("adverse.specified_paren").match(text, t.end)
    if m is None:
        return t.surface.lower()
    inner = find_terms(m["inner"], "adverse_terms")
    if len(inner) != 1 or inner[0].canonical == t.canonical or TOTAL_FLAG in inner[0].extra \
            or m["inner"].strip().lower() != inner[0].surface.lower():  # "pneumonia (serious adverse event)": a kind
        return t.surface.lower()
    return f"{t.surface.lower()} ({inner[0].surface.lower()})"


def _specified_one(ctx: Context, text: str, cbase: int, t: Term, items: list[AdverseEvent]) -> list[AdverseEvent]:
    """"One serious adverse event (pneumonia requiring admission, 3 mg/kg cohort)": one total-type
    event whose parenthesis opens on the one event it was is also that event, with its arm."""
    m = _rx("adverse.paren_opens").match(text, t.end)
    if TOTAL_FLAG not in t.extra or m is None or not items or any(e.n != 1 for e in items):
        return []
    inner = find_terms(m["inner"], "adverse_terms")
    if not inner or inner[0].start != 0 or TOTAL_FLAG in inner[0].extra:
        return []
    at = cbase + m.start("inner")
    return [make_event(ctx, inner[0].surface.lower(), inner[0].canonical, 1, None, e.serious, e.arm,
                       at, at + inner[0].end, "adverse.specified_one") for e in items]


def _count_then_group(ctx: Context, text: str, cbase: int, t: Term, gap_start: int, nxt: int,
                      serious: bool | None) -> list[AdverseEvent]:
    """"Two serious adverse events were reported in the test group and one serious adverse event
    in the reference group": a count right before the term, its group named after it (several arms);
    "one pneumonia in each group needed admission": that count in every arm (``adverse.each_then``)."""
    pre = _rx("adverse.count_right_before").search(text[gap_start : t.start])
    if pre is None or len(arms(ctx)) < 2:
        return []
    after = text[t.end : nxt]
    stop = _rx("adverse.arm_count_item").search(after)  # the next count (not "1 mg" of a group's name)
    own = after[: stop.start()] if stop else after
    arm = arm_named(ctx, own)
    n = to_int(pre["n"])
    every = [a.id for a in arms(ctx)] if arm is None and _rx("adverse.each_then").match(own) else [arm]
    if None in every or n is None:
        return []
    return [make_event(ctx, t.surface.lower(), t.canonical, n, None, serious, a, cbase + gap_start + pre.start("n"),
                       cbase + t.end, "adverse.count_then_group") for a in every]


def _last_arm(ctx: Context, text: str, end: int) -> str | None:
    """The arm named last before ``end`` in a clause that names several ("4/30 in group A (rash 2
    cases) and 11/30 in group B (leukopenia 3 cases)": leukopenia is group B's)."""
    starts = [m.start() for m in _rx("adverse.word_token").finditer(text[:end])]
    for k in reversed(starts):
        arm = arm_named(ctx, text[k:end])
        if arm is not None:
            return arm
    return None


def adjacent_n(before: str, after: str) -> int | None:
    """A bare count written against the term: "headache in 1", "URTI 2 examples", "(patient 5)"
    after it; "3 upper respiratory infections", "Patient 4 developed a ..." before it."""
    for m in (_rx("adverse.term_paren_n").match(after), _rx("adverse.n_before_term").search(before),
              _rx("adverse.term_then_n").match(after)):
        if m is None:
            continue
        g = m.groupdict()
        if g.get("k") or g.get("one"):
            return 1  # one numbered patient of a case series, "in another patient"
        return to_int(g.get("n") or g.get("n2") or g.get("n3") or g.get("n4"))
    return None


def _run(ctx: Context, text: str, counts: list[CountPercent]) -> list[CountPercent]:
    """The leading counts that belong together: between two of them only arm names and filler words."""
    if not counts:
        return counts
    arm_words = {w.lower() for a in arms(ctx) for w in _rx("adverse.word_token").findall(getattr(a, "label", "") or "")}
    out = [counts[0]]
    for c in counts[1:]:
        gap = _rx("adverse.word_token").findall(text[out[-1].end : c.start])
        content = [w for w in gap if w.lower() not in arm_words and not _rx("adverse.count_gap_filler").match(w)]
        if len(content) > 2 or content and _rx("adverse.list_item_gap").match(text[out[-1].end : c.start]):
            break  # "dysgeusia (14.7 %), sneezing (7.8 %)": the second count is another item's
        out.append(c)
    return out


def _arms_for(ctx: Context, text: str, counts: list[CountPercent], order: list[str] | None = None) -> list[str | None]:
    many = arms(ctx)
    if len(many) <= 1:
        return [None] * len(counts)
    found = []
    for i, c in enumerate(counts):
        nxt = counts[i + 1].start if i + 1 < len(counts) else len(text)
        own = _rx("adverse.count_own_group").match(text[c.end : nxt])  # "2 patients in MZR group), ..."
        found.append((arm_named(ctx, own.group(0)) if own else None) or arm_named(ctx, text[c.end : nxt]))
    named = [a for a in found if a is not None]
    rest = [a.id for a in many if a.id not in named]
    follows = all(_rx("adverse.arm_follows_count").match(text[c.end :]) for c in counts)
    if follows and len(counts) == len(many) and len(set(named)) == len(named) and found.count(None) == len(rest):
        it = iter(rest)  # "14 (34%) in the X and Y group, 5 in the X alone group, 3 in the control group": the unnamed
        return [a if a is not None else next(it) for a in found]  # counts take the arms left, in their order
    if order and not named and len(counts) == len(order) > 1:
        return list(order)  # "... in the X group, 11 in the Y group and 8 in the Z group. TERM in 3, 8 and 1": that order
    if len(counts) == len(many) and (None in found or len(set(found)) < len(found)):
        found = [a.id for a in many]
    return found
