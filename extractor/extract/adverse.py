"""Adverse events by term and arm.

Prose: "N patients developed/experienced/had TERM" (free term, ``adverse.developed``), deaths
("2 patients died"), and vocabulary terms (``rules/vocab/adverse_terms.tsv``) with the counts of
their clause. Negated terms ("there were no anaphylaxis", "no other adverse reactions were
observed") give nothing. Tables: an adverse-event table (caption, headers or rows say so) gives one
event per row label × arm column. ``serious`` is true in "serious adverse events" sections and
wording, false for wording such as "transient" or "mild", else unknown. A run-on sentence is
judged clause by clause; a ';'-list in parentheses is read item by item. Counts that are not the
trial's patients (time points, "groups of 8", "these 6 patients", percents of injections or of a
subgroup) are left out; a laboratory value below a threshold is an event (``adverse_levels``); prose that repeats a table, and parts of a stated total, are merged
(``adverse_merge``). Tables read with cells: ``adverse_tables``; flattened: ``adverse_flat``.
"""

from __future__ import annotations

from extractor.extract.adverse_arms import arm_named, arm_of_size, flow_diagram, list_order, respectively_order
from extractor.extract.adverse_base import canonical_of, make_event, negated, seriousness, to_int
from extractor.extract.adverse_breakdown import paren_breakdown
from extractor.extract.adverse_counts import TOTAL_FLAG, arm_counts_before, death_items, fill_derived, none_died, zero_total
from extractor.extract.adverse_event_counts import event_counts
from extractor.extract.adverse_flat import flat_table_events
from extractor.extract.adverse_levels import level_events
from extractor.extract.adverse_merge import dedupe, drop_case_mentions, drop_other_denominators, drop_parts, drop_prose_repeats, drop_subgroups
from extractor.extract.adverse_tables import table_events
from extractor.extract.adverse_vocab import adjacent_n, clause_counts, one_patient_event, vocab_events
from extractor.extract.context import Context
from extractor.extract.numbers import CountPercent, parse_number
from extractor.extract.tables import arms, clauses, find_terms, prose_sentences
from extractor.nlp.rules import regex
from extractor.records import AdverseEvent

SKIP_SECTIONS = frozenset({"introduction", "references"})
LEAD_WORDS = 3  # a sentence "opens" on a term written within its first words ("A mild COVID-19 infection")
INCIDENCE_REACH = 80  # characters before a count searched for "the incidence was"
DEATH_TERM = "death"


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex("adverse", rule_id)


def _prose(ctx: Context, sent_text: str, base: int, section_serious: bool | None,
           sentence_safe: bool = True, heading: str = "", order: list[str] | None = None) -> list[AdverseEvent]:
    """Events of one sentence; ``order``: the arms, in order, of the per-arm list written last before it."""
    out: list[AdverseEvent] = []
    multi = len(arms(ctx)) > 1
    running = not (tabular(sent_text) and not _percent_prose(sent_text))
    sent_arm: str | None = None  # the last arm the sentence named ("In group X, ...; the incidence was ...")
    frame: str | None = None  # the population the sentence opens on ("During period 1 (n = 212), ...")
    spans = _split_paren_lists(sent_text, clauses(sent_text))
    for k, (c_start, c_end) in enumerate(spans):
        text = sent_text[c_start:c_end]
        # a run-on sentence ("...; odds ratio 1.6; serious adverse events in 58 vs 68") is judged per clause
        safety_context = sentence_safe or (len(spans) > 1 and safety_sentence(text, heading)
                                           and not _rx("adverse.cited_study").search(sent_text))
        prose = safety_context and (running or len(spans) > 1 and not (tabular(text) and not _percent_prose(text)))
        cbase = base + c_start
        taken: list[tuple[int, int]] = []
        arm = arm_named(ctx, text) if multi else None
        if multi and arm is None:
            arm = frame = arm_of_size(ctx, text) if k == 0 else frame
        sent_arm = arm or sent_arm
        for m in _rx("adverse.developed").finditer(text):
            if negated(text, m.start(), m.start()):
                continue
            term = " ".join(m["term"].lower().split())
            canonical = canonical_of(term)
            if not _harm_term(term, canonical, m["verb"] or ""):
                continue
            if canonical and multi and arm_counts_before(ctx, text[: m.start("term")]):
                continue  # "group X 1 case, group Y 4 cases developed TERM": counted per arm with the vocabulary
            stated = seriousness(text[m.start() : m.end()])
            serious = stated if stated is not None else section_serious
            split = paren_breakdown(ctx, text, m.end(), to_int(m["n"])) if multi else []  # "(5 in A, 1 in B, 2 in C)"
            for c in split or [CountPercent(to_int(m["n"]), None, parse_number(m["pct"]) if m["pct"] else None, 0, 0)]:
                out.append(make_event(ctx, term, canonical, c.n, c.percent, serious, getattr(c, "arm", arm),
                                  cbase + m.start(), cbase + max(c.end, m.end()), "adverse.developed"))
            taken.append((m.start(), m.end()))
        for m in _rx("adverse.cases_of_term").finditer(text):
            term = " ".join(m["term"].lower().split())
            canonical = canonical_of(term)
            if any(m.start() < e and s < m.end() for s, e in taken) or not _harm_term(term, canonical, "developed"):
                continue
            if not safety_context or negated(text, m.start(), m.start()):
                continue
            out.append(make_event(ctx, term + (m["paren"] or ""), canonical, to_int(m["n"]), None, section_serious, arm,
                              cbase + m.start(), cbase + m.end(), "adverse.cases_of_term"))
            taken.append((m.start(), m.end()))
        if safety_context:  # "Serum IgG fell below 3 g/L in 3 X patients and in no Y patient"
            levels = level_events(ctx, text, cbase, arm if multi else None, section_serious)
            out += levels
            taken += [(e.evidence.span[0] - cbase, e.evidence.span[1] - cbase) for e in levels]
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
            out.append(make_event(ctx, DEATH_TERM, None, to_int(m["n"] or m["n2"]), parse_number(m["pct"]) if m["pct"] else None,
                              True, arm, cbase + m.start(), cbase + m.end(), "adverse.death"))
            taken.append((m.start(), m.end()))
        if prose:
            out += zero_total(ctx, text, find_terms(text, "adverse_terms"), cbase, arm if multi else None)
            out += none_died(ctx, text, cbase, arm if multi else None)
        if open_clause:
            out += vocab_events(ctx, text, cbase, taken, section_serious, arm if multi else None, order)
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


def _incidence_totals(ctx: Context, text: str, cbase: int, arm: str | None, serious: bool | None) -> list[AdverseEvent]:
    """"..., leukopenia 1 example, the incidence was 14.29% (6/42)": the group's any-adverse-event total,
    named with the document's own word (adverse reactions / events)."""
    out = []
    word = "adverse reactions" if ctx.text.lower().count("adverse reaction") > ctx.text.lower().count("adverse event") else "adverse events"
    prev: CountPercent | None = None
    for c in clause_counts(ctx, text):
        own = arm
        if _rx("adverse.incidence_total").search(text[max(0, c.start - INCIDENCE_REACH) : c.start]):
            prev = c
        elif prev is not None and (joined := _rx("adverse.total_continues").match(
                _rx("adverse.bracketed").sub(" ", text[prev.end : c.start]))):
            # "... 13.3% (4/30) in group A (rash 2 cases) and 36.7% (11/30) in group B": B's total
            after = text[c.end : c.end + INCIDENCE_REACH].split("(")[0]
            prev, own = c, arm_named(ctx, after) or arm_named(ctx, joined["tail"] or "") or arm
            if own == arm:
                continue
        else:
            prev = None
            continue
        out.append(make_event(ctx, word, "any adverse event", c.n, c.percent, serious, own, cbase + c.start, cbase + c.end,
                          "adverse.incidence_total"))
    return out


def extract_adverse_events(ctx: Context) -> list[AdverseEvent]:
    out: list[AdverseEvent] = []
    prev_safe, prev_end = False, -1
    order: list[str] | None = None
    prev_text = ""
    for sent in prose_sentences(ctx, SKIP_SECTIONS - {"introduction"}):
        if sent.section == "introduction" and not _rx("adverse.reported_patient").search(sent.text):
            continue  # under an unknown heading, only sentences about the report's own patients
        if flow_diagram(sent.text):
            continue  # a CONSORT diagram's boxes ("death 0   death 1   death 1") are not results
        heading = _heading_of(ctx, sent.start)
        safe = (safety_sentence(sent.text, heading) or _carried(ctx, sent.text, prev_safe, prev_end, sent.start)
                or one_patient_event(ctx, sent.text))
        if prev_end < 0 or _rx("adverse.paragraph_break").search(ctx.text[prev_end : sent.start]):
            order, prev_text = None, ""  # a list's arm order carries within its paragraph only
        told = respectively_order(ctx, prev_text, sent.text)  # "..., respectively": the arms the sentence before named
        found = _prose(ctx, sent.text, sent.start, True if seriousness(heading) else None, safe, heading, told or order)
        found += event_counts(ctx, sent.text, sent.start, None) if safe else []
        order = list_order(found) or order
        out += found
        prev_safe, prev_end = safe, sent.end
        prev_text = sent.text
    out += table_events(ctx, seriousness)
    out += flat_table_events(ctx, seriousness)
    fill_derived(ctx, out)
    sizes = [int(a.n) for a in arms(ctx) if getattr(a, "n", None)]
    total = max([sum(sizes)] + [int(ctx.state.get("cohort_n") or 0)]) or None
    out = drop_subgroups(drop_other_denominators(out, total, min(sizes) if sizes else None), sizes + [total or 0])
    return drop_parts(dedupe(drop_prose_repeats(drop_case_mentions(out))))


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
    level = _rx("adverse.level_below").search(text)  # "... . Serum IgG fell below 3 g/L in 3 patients"
    if level and len(_rx("adverse.word_token").findall(text[: level.start()])) <= LEAD_WORDS:
        return True
    if terms and _rx("adverse.there_were_no").match(text[: terms[0].start]):
        return True  # "... . There were no cases of pneumonia or sepsis."
    return any(TOTAL_FLAG not in t.extra and adjacent_n(text[: t.start], text[t.end :]) is not None for t in terms)


def _heading_of(ctx: Context, offset: int) -> str:
    for section in ctx.document.sections:
        if section.start <= offset < section.end:
            return section.heading
    return ""
