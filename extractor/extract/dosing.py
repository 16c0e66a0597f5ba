"""Interventions: study drug, comparator, background therapy and premedication.

Per clause: agents (``rules/vocab/agents.tsv``), doses (:func:`quantities.find_doses`), routes
(``routes.tsv``) and schedules (``schedules.tsv`` + ``rules/regex/dosing.jsonl``). Each dose goes
to the agent it is written against ("10 mg of X", "X 2 g/day"), each route and schedule to the
nearest agent group. The role comes from cues (premedication "prior to infusion ... to prevent
allergic reactions"; background "all patients continued ..."), the arm and the agent's class.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractor.extract.adverse import tabular
from extractor.extract.context import Context
from extractor.extract.dosing_agents import defined_names, dosed_names, find_agents, is_stem, product_names
from extractor.extract.dosing_arms import (
    clause_arm_fits,
    combination_arms,
    control_as_background,
    dose_arms,
    dose_label_items,
    drop_redundant,
    dummy_placebos,
    lead_in_items,
    shared_arms,
)
from extractor.extract.dosing_attach import THEN_RULE, either_doses, is_then, share_either, summed_parts, then_doses, titrate
from extractor.extract.dosing_doc import TARGET_RULE, consolidate, label_items, placebo_items
from extractor.extract.dosing_measured import not_measured
from extractor.extract.dosing_roles import (
    STUDY_CLASSES,
    active_label,
    arm_role,
    cues_at,
    lead_arm,
    ongoing,
    role_cues,
    role_of,
    shared_agents,
    stated_role,
    study_sets,
)
from extractor.extract.dosing_schedules import _Sched, find_schedules
from extractor.extract.dosing_subjects import SUBJECT_RULE, alternative_arm, subject_agents
from extractor.extract.dosing_tables import regimen_cells, shared_cell_agents
from extractor.extract.quantities import Quantity, find_doses
from extractor.extract.tables import Term, arm_for_text, arms, clauses, find_terms, prose_sentences
from extractor.nlp.rules import regex
from extractor.records import Intervention

SKIP_SECTIONS = frozenset({"introduction", "discussion", "references"})
NEAR = 80  # max characters between an agent and a route/schedule/dose attributed to it
LIST_PREMED_CLASSES = frozenset({"antihistamine", "analgesic", "antiemetic"})


@dataclass
class _Group:
    agent: Term
    dose: Quantity | None = None
    route: str | None = None
    schedule: str | None = None
    doses: int | None = None
    schedule_span: tuple[int, int] | None = None
    then: bool = False  # a later dose of a sequential regimen of the same agent
    target: bool = False  # "MMF titrated to 3 g/day": the dose aimed at, not the starting dose

    @property
    def start(self) -> int:
        return min(self.agent.start, self.dose.start) if self.dose else self.agent.start

    @property
    def end(self) -> int:
        return max(self.agent.end, self.dose.end) if self.dose else self.agent.end


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex("dosing", rule_id)


# --------------------------------------------------------------------------------------
# attribution inside a clause
# --------------------------------------------------------------------------------------


def _attach_doses(text: str, agents: list[Term], doses: list[Quantity]) -> dict[int, Quantity]:
    """agent index → its dose ("10 mg of X" → X; "X 2 g/day" → X)."""
    got = summed_parts(text, agents, doses)  # "X (capsules equaling 2 g A and 1 g B)": X 3 g
    doses = [q for q in doses if not any(g.start <= q.start < g.end for g in got.values())]
    for q in doses:  # "1 × 10^6 CAR T cells per kilogram": the product named inside its dose
        inside = [i for i, a in enumerate(agents) if q.start < a.start and a.end < q.end and i not in got]
        if inside:
            got[inside[0]] = q
    doses = [q for q in doses if all(q is not g for g in got.values())]
    # "X (UC-X) at 1 × 10^6 cells/kg": the dose written right after an agent is that agent's
    strong = {
        i for i, a in enumerate(agents)
        if (nxt := next((q for q in doses if q.start >= a.end), None)) is not None
        and _rx("dosing.agent_dose_gap").match(text[a.end : nxt.start])}
    for q in doses:
        after = [(i, a) for i, a in enumerate(agents) if a.start >= q.end and i not in got]
        before = [(i, a) for i, a in enumerate(agents) if a.end <= q.start and i not in got]
        # "proteinuria of at least 1.0 g were randomized to X": a threshold, not X's dose
        threshold = bool(_rx("dosing.threshold_before").search(text[max(0, q.start - NEAR // 2) : q.start]))
        pick = None
        tight = bool(before) and not text[before[-1][1].end : q.start].strip()  # "X 2 mg Y": X's dose
        if (after and not threshold and not tight and _rx("dosing.dose_of_gap").match(text[q.end : after[0][1].start])
                and after[0][1].start - q.end < NEAR):
            pick = after[0][0]
        elif before and (_rx("dosing.agent_dose_gap").match(text[before[-1][1].end : q.start])
                         or _rx("dosing.arm_dose_gap").match(text[before[-1][1].end : q.start])
                         or _scheduled_gap(text, before[-1][1].end, q.start)):
            pick = before[-1][0]
        elif (after and not threshold and after[0][0] not in strong and after[0][1].start - q.end <= NEAR // 2
              and not _between_dose(doses, q.end, after[0][1].start)
              and not _rx("dosing.list_break").search(text[q.end : after[0][1].start])):
            pick = after[0][0]
        if pick is not None:
            got[pick] = q
    if len(agents) == 1 and 0 not in got:  # "X was given on days 0 and 14 at a dose of 1 mg/kg"
        late = [q for q in doses if q.start >= agents[0].end and _rx("dosing.dose_phrase").search(text[agents[0].end : q.start])]
        if late:
            got[0] = late[0]
    return got


def _scheduled_gap(text: str, start: int, end: int) -> bool:
    """"X was given monthly for six doses at 0.75 g/m²": the gap between an agent and its dose is
    an agent-dose gap once the schedules written inside it are taken out."""
    if end - start > NEAR:
        return False
    inside = [s for s in find_schedules(text[start:end])]
    if not inside:
        return False
    gap, at = [], 0
    raw = text[start:end]
    for s in inside:
        gap.append(raw[at : s.start])
        at = s.end
    gap.append(raw[at:])
    return bool(_rx("dosing.agent_dose_gap").match("".join(gap)))


def _between_dose(doses: list[Quantity], start: int, end: int) -> bool:
    return any(start <= d.start < end for d in doses)


def _nearest_group(groups: list[_Group], start: int, end: int, prefer_after: bool) -> _Group | None:
    best, best_d = None, NEAR + 1
    for g in groups:
        if end <= g.start:
            d = g.start - end - (1 if prefer_after else 0)
        elif start >= g.end:
            d = start - g.end - (0 if prefer_after else 1)
        else:
            d = 0
        if d < best_d:
            best, best_d = g, d
    return best


# --------------------------------------------------------------------------------------
# extractor
# --------------------------------------------------------------------------------------


def _clause_groups(text: str, names: frozenset[str] = frozenset(), subjects: tuple[Term, ...] = ()) -> tuple[list[_Group], list[tuple[int, int]], list[tuple[int, int]]]:
    premed = [(m.start(), m.end()) for m in _rx("dosing.premedication_cue").finditer(text)]
    agents = [t for t in find_agents(text) if t.canonical != "placebo"]
    extra = [*dosed_names(text, names), *subjects, *product_names(text)]  # "1000 ml of GIKM"; "the BR was 900 mg": the arm's drug
    agents = sorted(agents + [t for t in extra if not any(t.start < a.end and a.start < t.end for a in agents)],
                    key=lambda t: t.start)
    # the drug named inside "prior to MSC infusion" is what the premedication precedes
    agents = [a for a in agents if not any(s <= a.start and a.end <= e for s, e in premed)]
    # "can replace oral prednisone", "without glucocorticoids": named, but not given
    absent = [(m.start(), a.end) for a in agents if (m := _rx("dosing.not_given_before").search(text[: a.start]))]
    agents = [a for a in agents if not any(e == a.end for _, e in absent)]
    # "glucocorticoid effects", "steroid-sparing", "MMF-related diarrhoea": named, not a regimen
    agents = [a for a in agents if not _rx("dosing.not_given_after").match(text[a.end :])]
    doses = not_measured(text, agents, find_doses(text))
    by_agent = _attach_doses(text, agents, doses)
    for i, a in enumerate(agents):  # "the HD was given a single dose of 1 g": the dose that made the arm a subject
        if SUBJECT_RULE in a.extra[1:] and (q := next((d for d in doses if d.start >= a.end), None)) is not None:
            by_agent = {k: v for k, v in by_agent.items() if v is not q} | {i: q}
    share_either(text, agents, by_agent)
    alternatives = either_doses(text, agents, doses, by_agent)
    titrate(text, agents, doses, by_agent)
    groups = [_Group(a, by_agent.get(i), then=is_then(text, agents, by_agent, i)) for i, a in enumerate(agents)]
    for g in groups:
        g.target = bool(g.dose and g.dose.high is None and g.agent.end <= g.dose.start
                        and _rx("dosing.titration_cue").search(text[g.agent.end : g.dose.start]))
    for r in find_terms(text, "routes"):
        if any(g.agent.start <= r.start < g.agent.end for g in groups) or any(s <= r.start < e for s, e in absent):
            continue
        if _rx("dosing.route_body_noun").match(text[r.end :]):
            continue  # "oral dryness", "oral ulcers": a body site, not how a drug was given
        g = _nearest_group(groups, r.start, r.end, prefer_after=not r.surface.lower().endswith("ly"))
        if g is not None and g.route is None:
            g.route = r.canonical
    schedules = find_schedules(text)
    for s in schedules:
        if any(g.dose and g.dose.start <= s.start < g.dose.end for g in groups):
            continue
        g = _nearest_group(groups, s.start, s.end, prefer_after=True)
        if g is not None and g.schedule is None:
            g.schedule, g.doses, g.schedule_span = s.text, s.doses, (s.start, s.end)
    for i, q in reversed(sorted(then_doses(text, agents, doses, by_agent) + alternatives, key=lambda iq: iq[0])):
        parent = groups[i]
        groups.insert(i + 1, _Group(parent.agent, q, route=parent.route, then=True))
    _alternative_schedules(groups, schedules, {id(by_agent[i]) for i, _ in alternatives} | {id(q) for _, q in alternatives}, len(text))
    for g in groups:
        if g.schedule is None and g.dose is not None and g.dose.rate:
            g.schedule = g.dose.rate
    return groups, premed, _premed_list(text, agents)


def _alternative_schedules(groups: list[_Group], schedules: list[_Sched], alt: set[int], end: int) -> None:
    """In place: each alternative regimen ("either A (0.5 g/m² monthly ...) or B (500 mg every two
    weeks ...)") takes the schedule written after its own dose, before the next alternative."""
    own = sorted((g for g in groups if g.dose is not None and id(g.dose) in alt), key=lambda g: g.dose.start)  # type: ignore[union-attr]
    for k, g in enumerate(own):
        stop = own[k + 1].dose.start if k + 1 < len(own) else end  # type: ignore[union-attr]
        s = next((s for s in schedules if g.dose.start < s.start < stop and s.end > g.dose.end), None)  # type: ignore[union-attr]
        g.schedule, g.doses, g.schedule_span = (s.text, s.doses, (s.start, s.end)) if s else (None, None, None)


def _klass_of(term: Term) -> str:
    return term.extra[0] if term.extra else ""


def _premed_list(text: str, agents: list[Term]) -> list[tuple[int, int]]:
    """"X was given ..., after methylprednisolone 80 mg, paracetamol 1 g and cetirizine 10 mg": the
    drugs listed after a study infusion with "after / preceded by / with" are premedication when
    the list names an antihistamine, analgesic or antiemetic. Returns the list's span."""
    for i, a in enumerate(agents):
        if not any(_klass_of(s) in STUDY_CLASSES for s in agents[:i]):
            continue
        if not _rx("dosing.premed_list_cue").search(text[agents[i - 1].end : a.start]):
            continue
        if any(_klass_of(t) in LIST_PREMED_CLASSES for t in agents[i:]):
            return [(a.start, len(text))]
    return []


def extract_interventions(ctx: Context) -> list[Intervention]:
    study, comparator, weak = study_sets(ctx)
    shared = shared_agents(ctx) | shared_cell_agents(ctx)
    out: list[Intervention] = label_items(ctx)
    placebos: list[Intervention] = []
    rowed: list[int] = []
    cells = regimen_cells(ctx)
    names = defined_names(ctx.text)  # "(GIKM)": an abbreviation that may name an unlisted regimen
    for sent, row_arm in [(s, None) for s in prose_sentences(ctx, SKIP_SECTIONS - {"introduction"})] + cells:
        spans = clauses(sent.text)
        if tabular(sent.text) or (len(spans) == 1 and _rx("dosing.endpoint_context").search(sent.text)):
            continue
        if sent.section == "introduction" and not _given_here(sent.text):
            continue
        cue_terms = role_cues(sent.text)
        opened = lead_arm(ctx, sent.text)  # "Observation group: A ...; B ...": every clause's arm
        infused_arm: str | None = None  # arm of the study infusion a premedication precedes
        for c_start, c_end in spans:
            text = sent.text[c_start:c_end]
            remarks = _rx("dosing.paren_remark").sub(lambda m: " " * len(m.group(0)), text)  # "(cumulative dose 3 g)"
            if _rx("dosing.outcome_context").search(remarks) or _rx("dosing.endpoint_context").search(text):
                continue  # a run-on sentence: only its clause about end points is skipped
            prior = bool(_rx("dosing.prior_therapy").search(text))
            optional = bool(_rx("dosing.optional_use").search(text))  # "X was allowed": not given to all
            discretionary = bool(_rx("dosing.discretionary_use").search(text))  # "may be adjusted"
            subjects = subject_agents(ctx.text, text, arms(ctx), lambda t: arm_for_text(ctx, t), study | weak, comparator)
            groups, premed, premed_list = _clause_groups(text, names, tuple(subjects))
            if prior and not ongoing(cue_terms, c_start, c_end):
                groups = [g for g in groups if g.agent.canonical in study | comparator | weak]
            placebos += _control_placebo(ctx, text, sent.start + c_start)
            prev_end = 0
            for g in groups:
                clause_arm = arm_for_text(ctx, text)  # an arm named later in the clause: only one naming this agent
                if clause_arm != arm_for_text(ctx, text[: g.end]) and not clause_arm_fits(arms(ctx), clause_arm, g.agent.canonical):
                    clause_arm = None  # "a dose of X compared with that of Y": X is not on Y's arm
                arm_id = (alternative_arm(text, prev_end, g.agent.start, g.end, lambda t: arm_for_text(ctx, t))
                          or arm_for_text(ctx, text[prev_end : g.end]) or clause_arm or opened or row_arm)
                prev_end = g.end
                g_cues = cues_at(cue_terms, c_start + g.agent.start, arm_role(ctx, arm_id) is not None)
                is_premed = (bool(premed) or "premedication" in g_cues or any(s <= g.agent.start for s, _ in premed_list)
                             or (c_end == len(sent.text) and _premed_after_break(ctx, sent.start + c_end)))
                role = role_of(ctx, g.agent, is_premed, g_cues, arm_id, study, comparator, frozenset(weak), shared)
                if g.dose is None and (discretionary or (optional and not stated_role(cue_terms, c_start, c_end))):
                    continue  # "X ... were continued when already in use": not stated as given to all
                if g.dose is None and is_stem(g.agent) and g.agent.canonical not in study | comparator:
                    continue  # a drug known only by its stem counts when dosed or named by an arm
                if g.dose is None and (g.route is None or not _given_here(sent.text, dosed=False)) and g.schedule is None and (
                        role not in g_cues or is_stem(g.agent)):
                    continue  # a bare mention is kept only when a cue names its role (a vocabulary agent)
                if role == "study" and arm_id is None and len(arms(ctx)) == 1:
                    arm_id = arms(ctx)[0].id
                if role in {"study", "comparator"} and _klass_of(g.agent) in STUDY_CLASSES and arm_id:
                    infused_arm = arm_id
                if role == "premedication":  # else the one arm the sentence named before this clause
                    arm_id = (infused_arm or arm_id or next(filter(None, (arm_for_text(ctx, text[s:e]) for s, e in premed)), None)
                              or _sentence_arm(ctx, sent.text[:c_start]))  # "before every X pulse": X's arm
                base = sent.start + c_start
                span = (base + g.start, base + g.end)
                q = g.dose
                out.append(Intervention(
                    arm=arm_id if role in {"study", "comparator"} or (role == "premedication" and len(arms(ctx)) > 1) else None,
                    role=role,  # type: ignore[arg-type]
                    agent=g.agent.canonical,
                    amount=q.value if q else None,
                    amount_high=q.high if q else None,
                    unit=q.unit if q else None,
                    per=q.per if q else None,  # type: ignore[arg-type]
                    route=g.route,  # type: ignore[arg-type]
                    schedule=g.schedule,
                    doses=g.doses,
                    repaired=q.repaired if q else None,
                    evidence=ctx.evidence(span[0], span[1], f"dosing.{role}.{THEN_RULE}" if g.then else f"dosing.{role}.{TARGET_RULE}" if g.target else _rule(role, q)),
                ))
                if row_arm is not None and arm_id == row_arm:
                    rowed.append(id(out[-1]))  # the row of a regimen table gave this arm its regimen
    out += placebo_items(ctx) + placebos + dose_label_items(ctx, arms(ctx))
    items = _dedupe(out)
    dose_arms(items, arms(ctx))
    items = consolidate(_dedupe(shared_arms(items, arms(ctx), frozenset(rowed))), len(arms(ctx)))
    _premed_arm(items, len(arms(ctx)))
    items = control_as_background(drop_redundant(combination_arms(items, arms(ctx))), arms(ctx), ctx.text)
    return lead_in_items(dummy_placebos(items, arms(ctx)), ctx.state.get("lead_in_arm"))


def _control_placebo(ctx: Context, text: str, base: int) -> list[Intervention]:
    """"control group gave the same volume normal saline": a placebo named after a control arm
    in the same clause is that arm's comparator."""
    out = []
    for t in find_agents(text):
        if t.canonical != "placebo" or _rx("dosing.vehicle_before").search(text[: t.start]):
            continue  # "0.75 g/m2 in 250 mL saline": the vehicle, not a placebo
        arm_id = arm_for_text(ctx, text[: t.start])
        if arm_id and arm_role(ctx, arm_id) == "control" and active_label(ctx, arm_id):
            continue  # "X or Y, each with matching placebo": an active control's placebo is a dummy
        if arm_id and arm_role(ctx, arm_id) in {"control", "placebo"}:
            out.append(Intervention(arm=arm_id, role="comparator", agent="placebo",
                                    evidence=ctx.evidence(base + t.start, base + t.end, "dosing.control_placebo")))
    return out


def _premed_after_break(ctx: Context, end: int) -> bool:
    """A sentence cut by a layout break before its end ("ondansetron 8 mg was given" / blank line /
    "before each pulse."): the lower-case words that continue it may hold its premedication cue."""
    if ctx.text[max(0, end - 1) : end] in {".", "!", "?"}:
        return False
    m = _rx("dosing.cut_continuation").match(ctx.text[end : end + 120])
    return bool(m and _rx("dosing.premedication_cue").search(m["rest"]))


def _sentence_arm(ctx: Context, text: str) -> str | None:
    """"In the X group, 0.75 g/m2 was infused monthly; ondansetron 8 mg was given before each pulse":
    the arm named by the clauses before a premedication, when they name exactly one."""
    named = {arm_for_text(ctx, text[s:e]) for s, e in clauses(text)} - {None}
    return next(iter(named)) if len(named) == 1 else None


def _premed_arm(items: list[Intervention], n_arms: int) -> None:
    """In place: a premedication read without an arm ("Before infusion, dexamethasone 5 mg was given")
    goes to the one arm whose study drug is an infused cell or antibody product."""
    infused = {i.arm for i in items if i.role == "study" and i.arm and _klass_of_name(i.agent) in STUDY_CLASSES}
    if n_arms > 1 and len(infused) == 1:
        for item in items:
            if item.role == "premedication" and item.arm is None:
                item.arm = next(iter(infused))


def _klass_of_name(agent: str) -> str:
    terms = find_agents(agent)
    return _klass_of(terms[0]) if terms else ""


def _given_here(text: str, dosed: bool = True) -> bool:
    """A sentence under an unrecognised heading (read as introduction) that gives the reported
    patients a dose ("X was given as 1000 mg ...")."""
    return (not dosed or bool(find_doses(text))) and bool(_rx("dosing.given_here").search(text))


def _rule(role: str, q: Quantity | None) -> str:
    return f"dosing.{role}" + (".dose" if q else ".mention")


def _filled(item: Intervention) -> int:
    return sum(v is not None for v in (item.amount, item.unit, item.route, item.schedule, item.doses, item.per))


def _dedupe(items: list[Intervention]) -> list[Intervention]:
    """One item per (agent, role, arm, amount); a mention without a dose fills gaps of a dosed one."""
    kept: list[Intervention] = []
    for item in items:
        twin = next((k for k in kept if (k.agent, k.role, k.arm) == (item.agent, item.role, item.arm)
                     and (k.amount is None or item.amount is None or k.amount == item.amount)), None)
        if twin is None:
            kept.append(item)
            continue
        main, other = (twin, item) if _filled(twin) >= _filled(item) else (item, twin)
        dosed = main.amount is not None  # a dose filled in here brings its unit and basis along
        for key in ("amount", "amount_high", "unit", "per", "route", "schedule", "doses"):
            if getattr(main, key) is None and getattr(other, key) is not None and (key not in {"amount_high", "unit", "per"} or not dosed):
                setattr(main, key, getattr(other, key))
        if main is item:
            kept[kept.index(twin)] = item
    return kept
