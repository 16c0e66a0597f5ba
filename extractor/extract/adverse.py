"""Adverse events by term and arm.

Prose: "N patients developed/experienced/had TERM" (free term, ``adverse.developed``), deaths
("2 patients died"), and vocabulary terms (``rules/vocab/adverse_terms.tsv``) with the counts of
their clause. Negated terms ("there were no anaphylaxis", "no other adverse reactions were
observed") give nothing. Tables: an adverse-event table (caption, headers or rows say so) gives one
event per row label × arm column. ``serious`` is true in "serious adverse events" sections and
wording, false for wording such as "transient" or "mild", else unknown. A run-on sentence is
judged clause by clause; a ';'-list in parentheses is read item by item. Counts that are not the
trial's patients (time points, "groups of 8", "these 6 patients", percents of injections or of a
subgroup) are left out; prose that repeats a table, and parts of a stated total, are merged
(``adverse_merge``). Tables read with cells: ``adverse_tables``; flattened: ``adverse_flat``.
"""

from __future__ import annotations

from extractor.extract.adverse_breakdown import paren_breakdown
from extractor.extract.adverse_counts import TOTAL_FLAG, arm_counts, arm_counts_before, count_list, death_items, fill_derived, zero_total
from extractor.extract.adverse_flat import flat_table_events
from extractor.extract.adverse_merge import dedupe, drop_other_denominators, drop_parts, drop_prose_repeats, drop_subgroups
from extractor.extract.adverse_tables import canonical_term, table_events
from extractor.extract.context import Context
from extractor.extract.numbers import CountPercent, find_count_percents, parse_number
from extractor.extract.tables import Term, arm_for_text, arm_n, arms, clauses, find_terms, prose_sentences
from extractor.nlp.rules import regex
from extractor.records import AdverseEvent

SKIP_SECTIONS = frozenset({"introduction", "references"})
LEAD_WORDS = 3  # a sentence "opens" on a term written within its first words ("A mild COVID-19 infection")
INCIDENCE_REACH = 80  # characters before a count searched for "the incidence was"
DEATH_TERM = "death"


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex("adverse", rule_id)


def seriousness(text: str) -> bool | None:
    """Pure: True for serious/SAE/severe wording, False for mild/transient/non-serious, else None."""
    if _rx("adverse.serious").search(text):
        return True
    if _rx("adverse.non_serious").search(text):
        return False
    return None


def negated(text: str, start: int, end: int) -> bool:
    """Pure: is the term at ``[start, end)`` of a clause negated ("no X", "X were not observed")?"""
    return bool(_rx("adverse.negation").search(text[:start]) or _rx("adverse.negated_after").match(text[end:]))


def _int(raw: str | None) -> int | None:
    v = parse_number(raw) if raw else None
    return int(v) if v is not None and v == int(v) else None


def _event(ctx: Context, term: str, canonical: str | None, n: int | None, pct: float | None,
           serious: bool | None, arm: str | None, start: int, end: int, rule: str) -> AdverseEvent:
    if canonical and _rx("adverse.abbreviation").fullmatch(term):
        term = canonical  # "AEs", "SAE": the name says what was counted
    item = AdverseEvent(term=term, arm=arm, n=n, percent=pct, serious=serious, evidence=ctx.evidence(start, end, rule))
    if canonical and canonical != term:
        item.canonical = canonical  # type: ignore[attr-defined]  # extra key: vocabulary id
    return item


def _canonical(term: str) -> str | None:
    return canonical_term(term)


def _prose(ctx: Context, sent_text: str, base: int, section_serious: bool | None,
           sentence_safe: bool = True, heading: str = "") -> list[AdverseEvent]:
    out: list[AdverseEvent] = []
    multi = len(arms(ctx)) > 1
    running = not (tabular(sent_text) and not _percent_prose(sent_text))
    sent_arm: str | None = None  # the last arm the sentence named ("In group X, ...; the incidence was ...")
    spans = _split_paren_lists(sent_text, clauses(sent_text))
    for c_start, c_end in spans:
        text = sent_text[c_start:c_end]
        # a run-on sentence ("...; odds ratio 1.6; serious adverse events in 58 vs 68") is judged per clause
        safety_context = sentence_safe or (len(spans) > 1 and safety_sentence(text, heading)
                                           and not _rx("adverse.cited_study").search(sent_text))
        prose = safety_context and (running or len(spans) > 1 and not (tabular(text) and not _percent_prose(text)))
        cbase = base + c_start
        taken: list[tuple[int, int]] = []
        arm = arm_for_text(ctx, text) if multi else None
        sent_arm = arm or sent_arm
        for m in _rx("adverse.developed").finditer(text):
            if negated(text, m.start(), m.start()):
                continue
            term = " ".join(m["term"].lower().split())
            canonical = _canonical(term)
            if not _harm_term(term, canonical, m["verb"] or ""):
                continue
            if canonical and multi and arm_counts_before(ctx, text[: m.start("term")]):
                continue  # "group X 1 case, group Y 4 cases developed TERM": counted per arm with the vocabulary
            stated = seriousness(text[m.start() : m.end()])
            serious = stated if stated is not None else section_serious
            split = paren_breakdown(ctx, text, m.end(), _int(m["n"])) if multi else []  # "(5 in A, 1 in B, 2 in C)"
            for c in split or [CountPercent(_int(m["n"]), None, parse_number(m["pct"]) if m["pct"] else None, 0, 0)]:
                out.append(_event(ctx, term, canonical, c.n, c.percent, serious, getattr(c, "arm", arm),
                                  cbase + m.start(), cbase + max(c.end, m.end()), "adverse.developed"))
            taken.append((m.start(), m.end()))
        for m in _rx("adverse.cases_of_term").finditer(text):
            term = " ".join(m["term"].lower().split())
            canonical = _canonical(term)
            if any(m.start() < e and s < m.end() for s, e in taken) or not _harm_term(term, canonical, "developed"):
                continue
            if not safety_context or negated(text, m.start(), m.start()):
                continue
            out.append(_event(ctx, term + (m["paren"] or ""), canonical, _int(m["n"]), None, section_serious, arm,
                              cbase + m.start(), cbase + m.end(), "adverse.cases_of_term"))
            taken.append((m.start(), m.end()))
        open_clause = prose and not _rx("adverse.clause_negated").match(text)
        if open_clause:
            by_arm = death_items(ctx, text, cbase)
            out += by_arm
            if by_arm:  # the clause's deaths are counted per arm (the terms before a trailing list are free)
                first = min(e.evidence.span[0] for e in by_arm) - cbase
                taken.append((0 if _rx("adverse.died_cue").search(text[:first]) else first, len(text)))
        for m in _rx("adverse.died").finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken) or negated(text, m.start(), m.start()):
                continue
            out.append(_event(ctx, DEATH_TERM, None, _int(m["n"] or m["n2"]), parse_number(m["pct"]) if m["pct"] else None,
                              True, arm, cbase + m.start(), cbase + m.end(), "adverse.death"))
            taken.append((m.start(), m.end()))
        if prose:
            out += zero_total(ctx, text, find_terms(text, "adverse_terms"), cbase, arm if multi else None)
        if open_clause:
            out += _vocab_events(ctx, text, cbase, taken, section_serious, arm if multi else None)
            out += _incidence_totals(ctx, text, cbase, sent_arm if multi else None, section_serious)
    return out


def _split_paren_lists(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Clauses, with every ';'-list in parentheses cut out of its clause and split into items
    ("not significant (burping, 1 in each arm; nausea, 3 in the placebo group; ...)")."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        pos = start
        for m in _rx("adverse.paren_list").finditer(text, start, end):
            out.append((pos, m.start()))
            inner = m.start("inner")
            for piece in m["inner"].split(";"):
                out.append((inner, inner + len(piece)))
                inner += len(piece) + 1
            pos = m.end()
        out.append((pos, end))
    return [(s, e) for s, e in out if text[s:e].strip()]


def tabular(text: str) -> bool:
    """Pure: is this "sentence" a table flattened into running text (inline caption, or mostly numbers)?"""
    if _rx("adverse.inline_caption").search(text):
        return True
    nums = len(_rx("adverse.number_token").findall(text))
    words = len(_rx("adverse.word_token").findall(text))
    return nums >= 12 and nums > 0.8 * words


def _percent_prose(text: str) -> bool:
    """Pure: are at least half the numbers of a number-heavy sentence written with "%" ("SAEs in 8
    (9.8%), 10 (12.2%) and 11 (13.4%); acne in ...")? Then it is prose listing per-arm counts."""
    nums = len(_rx("adverse.number_token").findall(text))
    return nums > 0 and 2 * len(_rx("adverse.percent_number").findall(text)) >= nums


def _harm_term(term: str, canonical: str | None, verb: str) -> bool:
    """A free term after "had/developed": a harm, not a response, finding or baseline feature."""
    if _rx("adverse.not_ae_term").search(term):
        return False
    return bool(canonical or _rx("adverse.ae_like").search(term) or _rx("adverse.lenient_verb").match(verb))


def safety_sentence(text: str, heading: str = "") -> bool:
    """Pure: does the sentence (or its section heading) speak about harms, and not baseline features?"""
    if _rx("adverse.not_safety_cue").search(text):
        return False
    return bool(_rx("adverse.safety_cue").search(text) or _rx("adverse.table_cue").search(heading))


def _counts(ctx: Context, text: str) -> list[CountPercent]:
    """Counts of a clause: "(n = 181, 29.4%)" first, then n (%) / n of N, else "N patients"."""
    eq = [CountPercent(_int(m["n"]), None, parse_number(m["pct"]) if m["pct"] else None, m.start(), m.end(), rule=rule)
          for rule in ("adverse.n_equals", "adverse.n_people_pct") for m in _rx(rule).finditer(text)]
    counts = [c for c in find_count_percents(text, total=arm_n(ctx, None)) if c.n is not None or c.percent is not None]
    eq += [CountPercent(_int(m["n"]), None, parse_number(m["pct"]), m.start(), m.end(), rule="adverse.n_comma_pct")
           for m in _rx("adverse.n_comma_pct").finditer(text) if not any(m.start() < e.end and e.start < m.end() for e in eq)]
    counts = eq + [c for c in counts if not any(c.start < e.end and e.start < c.end for e in eq)]
    # "eGFR fall of more than 30 %", "in more than one patient": a threshold, not a count;
    # "from week 1", "grade 3": a time point or a grade
    counts = [c for c in counts if not _rx("adverse.threshold_before").search(text[: c.start])
              and not _rx("adverse.count_backref").search(text[: c.start])
              and (c.percent is not None or not _rx("adverse.count_not_after").search(text[: c.start]))]
    if not counts:
        counts = [CountPercent(_int(m["n"]), _int(m["N"]), parse_number(m["pct"]) if m["pct"] else None, m.start(), m.end(),
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
             and not any(e <= t.start and _inside_paren(text, e, t.start) for _, e in taken)]
    terms = [t for t in _merge_adjacent(text, terms)
             if not (TOTAL_FLAG in t.extra and (_rx("adverse.term_as_label").search(text[: t.start])
                                                or _rx("adverse.term_as_reason").match(text[t.end :])
                                                or _rx("adverse.total_as_heading").match(text[t.end :])))]
    return terms


def _vocab_events(ctx: Context, text: str, cbase: int, taken: list[tuple[int, int]],
                  section_serious: bool | None, clause_arm: str | None = None) -> list[AdverseEvent]:
    """A vocabulary term with the counts that follow it (at most one per arm): "TERM 12 (6.7%)
    and 8 (4.5%)", "4 cases of TERM", "TERM in 1, 3 and 4 patients" (arm order)."""
    out: list[AdverseEvent] = []
    terms = _ae_terms(text, taken)
    if not terms:
        return out
    counts = _counts(ctx, text)
    many = arms(ctx)
    cap = max(1, len(many))
    each = bool(_rx("adverse.each_arm").search(text)) and len(many) > 1
    serious = seriousness(text) if seriousness(text) is not None else section_serious
    prev_end = 0
    socs = [m.start() for m in _rx("adverse.soc_name").finditer(text)]  # a class's own counts follow it
    for ti, t in enumerate(terms):
        nxt = terms[ti + 1].start if ti + 1 < len(terms) else len(text)
        nxt = min([nxt] + [s for s in socs if s >= t.end])
        listed = count_list(text[t.end : nxt]) if len(many) > 1 else []
        before = _rx("adverse.cases_of").search(text[prev_end : t.start])
        gap_start, prev_end = prev_end, t.end
        if TOTAL_FLAG in t.extra and _rx("adverse.subset_before").search(text[: t.start]):
            continue  # "Further serious adverse events were seen in 4 ...": a remainder, not the total
        if len(listed) == len(many) and listed:
            for (n, s, e), a in zip(listed, many):
                out.append(_event(ctx, t.surface.lower(), t.canonical, n, None, serious, a.id,
                                  cbase + t.end + s, cbase + t.end + e, "adverse.count_list"))
            continue
        own_arm = _last_arm(ctx, text, t.start) or clause_arm if clause_arm else clause_arm
        if before and _int(before["n"]) is not None:
            out.append(_event(ctx, t.surface.lower(), t.canonical, _int(before["n"]), None, serious, own_arm,
                              cbase + t.start, cbase + t.end, "adverse.cases_of"))
            continue
        by_arm = arm_counts(ctx, text[t.end : nxt]) if len(many) > 1 else []
        ahead = arm_counts_before(ctx, text[gap_start : t.start]) if len(many) > 1 else []
        if ahead:
            by_arm, t_end = ahead, gap_start - t.end  # offsets of the counts are before the term
        else:
            t_end = 0
        named = [c.arm for c in by_arm if c.arm]
        if len(by_arm) > 1 and named and all(c.arm or c.pooled for c in by_arm) and len(set(named)) == len(named):
            for c in by_arm:
                out.append(_event(ctx, t.surface.lower(), t.canonical, c.n, c.percent, serious, c.arm,
                                  cbase + t.end + t_end + c.start, cbase + t.end + t_end + c.end, "adverse.arm_counts"))
            continue
        near = None if TOTAL_FLAG in t.extra else _adjacent_n(text[gap_start : t.start], text[t.end : nxt])
        if near is not None:
            out.append(_event(ctx, t.surface.lower(), t.canonical, near, None, serious, own_arm,
                              cbase + t.start, cbase + t.end, "adverse.adjacent_count"))
            continue
        mine = [c for c in counts if t.end <= c.start < nxt] or ([c for c in counts if c.end <= t.start][-1:] if ti == 0 else [])
        if mine and mine[0].end <= t.start and _rx("adverse.names_members").search(text[mine[0].end : t.start]):
            mine = []  # "... in four patients, namely TERM and ...": the count is of the class named before
        mine = _run(ctx, text, mine)[:cap]
        if not mine:
            out += _count_then_group(ctx, text, cbase, t, gap_start, nxt, serious)
            continue
        if each and len(mine) == 1:
            pairs = [(mine[0], a.id) for a in many]
        else:
            found = _arms_for(ctx, text, mine)
            if len(mine) == 1 and found[0] is None:
                found = [clause_arm]
            pairs = list(zip(mine, found))
        for c, arm in pairs:
            out.append(_event(ctx, t.surface.lower(), t.canonical, c.n, c.percent, serious, arm,
                              cbase + c.start, cbase + c.end, "adverse.term_count"))
    return out


def _count_then_group(ctx: Context, text: str, cbase: int, t: Term, gap_start: int, nxt: int,
                      serious: bool | None) -> list[AdverseEvent]:
    """"Two serious adverse events were reported in the test group and one serious adverse event
    in the reference group": a count right before the term, its group named after it (several arms)."""
    pre = _rx("adverse.count_right_before").search(text[gap_start : t.start])
    if pre is None or len(arms(ctx)) < 2:
        return []
    after = text[t.end : nxt]
    stop = _rx("adverse.arm_count_item").search(after)  # the next count (not "1 mg" of a group's name)
    arm = arm_for_text(ctx, after[: stop.start()] if stop else after)
    n = _int(pre["n"])
    if arm is None or n is None:
        return []
    return [_event(ctx, t.surface.lower(), t.canonical, n, None, serious, arm, cbase + gap_start + pre.start("n"),
                   cbase + t.end, "adverse.count_then_group")]


def _last_arm(ctx: Context, text: str, end: int) -> str | None:
    """The arm named last before ``end`` in a clause that names several ("4/30 in group A (rash 2
    cases) and 11/30 in group B (leukopenia 3 cases)": leukopenia is group B's)."""
    starts = [m.start() for m in _rx("adverse.word_token").finditer(text[:end])]
    for k in reversed(starts):
        arm = arm_for_text(ctx, text[k:end])
        if arm is not None:
            return arm
    return None


def _adjacent_n(before: str, after: str) -> int | None:
    """A bare count written against the term: "headache in 1", "URTI 2 examples", "(patient 5)"
    after it; "3 upper respiratory infections", "Patient 4 developed a ..." before it."""
    for m in (_rx("adverse.term_paren_n").match(after), _rx("adverse.n_before_term").search(before),
              _rx("adverse.term_then_n").match(after)):
        if m is None:
            continue
        g = m.groupdict()
        if g.get("k") or g.get("one"):
            return 1  # one numbered patient of a case series, "in another patient"
        return _int(g.get("n") or g.get("n2") or g.get("n3") or g.get("n4"))
    return None


def _incidence_totals(ctx: Context, text: str, cbase: int, arm: str | None, serious: bool | None) -> list[AdverseEvent]:
    """"..., leukopenia 1 example, the incidence was 14.29% (6/42)": the group's any-adverse-event total,
    named with the document's own word (adverse reactions / events)."""
    out = []
    word = "adverse reactions" if ctx.text.lower().count("adverse reaction") > ctx.text.lower().count("adverse event") else "adverse events"
    prev: CountPercent | None = None
    for c in _counts(ctx, text):
        own = arm
        if _rx("adverse.incidence_total").search(text[max(0, c.start - INCIDENCE_REACH) : c.start]):
            prev = c
        elif prev is not None and (joined := _rx("adverse.total_continues").match(
                _rx("adverse.bracketed").sub(" ", text[prev.end : c.start]))):
            # "... 13.3% (4/30) in group A (rash 2 cases) and 36.7% (11/30) in group B": B's total
            after = text[c.end : c.end + INCIDENCE_REACH].split("(")[0]
            prev, own = c, arm_for_text(ctx, after) or arm_for_text(ctx, joined["tail"] or "") or arm
            if own == arm:
                continue
        else:
            prev = None
            continue
        out.append(_event(ctx, word, "any adverse event", c.n, c.percent, serious, own, cbase + c.start, cbase + c.end,
                          "adverse.incidence_total"))
    return out


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


def _arms_for(ctx: Context, text: str, counts: list[CountPercent]) -> list[str | None]:
    many = arms(ctx)
    if len(many) <= 1:
        return [None] * len(counts)
    found = []
    for i, c in enumerate(counts):
        nxt = counts[i + 1].start if i + 1 < len(counts) else len(text)
        own = _rx("adverse.count_own_group").match(text[c.end : nxt])  # "2 patients in MZR group), ..."
        found.append((arm_for_text(ctx, own.group(0)) if own else None) or arm_for_text(ctx, text[c.end : nxt]))
    named = [a for a in found if a is not None]
    rest = [a.id for a in many if a.id not in named]
    follows = all(_rx("adverse.arm_follows_count").match(text[c.end :]) for c in counts)
    if follows and len(counts) == len(many) and len(set(named)) == len(named) and found.count(None) == len(rest):
        it = iter(rest)  # "14 (34%) in the X and Y group, 5 in the X alone group, 3 in the control group": the unnamed
        return [a if a is not None else next(it) for a in found]  # counts take the arms left, in their order
    if len(counts) == len(many) and (None in found or len(set(found)) < len(found)):
        found = [a.id for a in many]
    return found


def extract_adverse_events(ctx: Context) -> list[AdverseEvent]:
    out: list[AdverseEvent] = []
    prev_safe, prev_end = False, -1
    for sent in prose_sentences(ctx, SKIP_SECTIONS - {"introduction"}):
        if sent.section == "introduction" and not _rx("adverse.reported_patient").search(sent.text):
            continue  # under an unknown heading, only sentences about the report's own patients
        heading = _heading_of(ctx, sent.start)
        safe = safety_sentence(sent.text, heading) or _carried(ctx, sent.text, prev_safe, prev_end, sent.start)
        out += _prose(ctx, sent.text, sent.start, True if seriousness(heading) else None, safe, heading)
        prev_safe, prev_end = safe, sent.end
    out += table_events(ctx, seriousness)
    out += flat_table_events(ctx, seriousness)
    fill_derived(ctx, out)
    sizes = [int(a.n) for a in arms(ctx) if getattr(a, "n", None)]
    total = max([sum(sizes)] + [int(ctx.state.get("cohort_n") or 0)]) or None
    out = drop_subgroups(drop_other_denominators(out, total, min(sizes) if sizes else None), sizes + [total or 0])
    return drop_parts(dedupe(drop_prose_repeats(out)))


def _carried(ctx: Context, text: str, prev_safe: bool, prev_end: int, start: int) -> bool:
    """A sentence that opens on an adverse-event term, or writes a count against one, right after a
    safety sentence of the same paragraph ("Infections occurred in ... . Hyperglycaemia (3; 18,8 %)
    and cushingoid features ...", "... . During follow-up there were 3 upper respiratory infections")."""
    if not prev_safe or prev_end < 0 or _rx("adverse.paragraph_break").search(ctx.text[prev_end:start]):
        return False
    if _rx("adverse.not_safety_cue").search(text):
        return False
    terms = find_terms(text, "adverse_terms")
    if terms and len(_rx("adverse.word_token").findall(text[: terms[0].start])) <= LEAD_WORDS:
        return True
    if terms and _rx("adverse.there_were_no").match(text[: terms[0].start]):
        return True  # "... . There were no cases of pneumonia or sepsis."
    return any(TOTAL_FLAG not in t.extra and _adjacent_n(text[: t.start], text[t.end :]) is not None for t in terms)


def _heading_of(ctx: Context, offset: int) -> str:
    for section in ctx.document.sections:
        if section.start <= offset < section.end:
            return section.heading
    return ""
