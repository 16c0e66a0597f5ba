"""Interventions placed on the arms the labels describe (document level, after the prose pass).

* :func:`dose_label_items` — an arm labelled only by a dose ("2,000 IU") takes the agent of the
  other arm labels ("4,000 IU of oral vitamin D3") with its own dose.
* :func:`dose_label_items` also gives each arm of a dose-ranging agent ("golimumab 50 mg + MTX",
  "golimumab 100 mg + placebo") its item from the label.
* :func:`dose_arms` — dose-ranging trials ("voclosporin 23.7 mg BID" and "39.5 mg BID" arms): a
  study/comparator item goes to the arm whose label names its agent with the same dose; an active
  drug read in a placebo arm ("X or matched placebo was given") goes to the one arm naming it.
* :func:`shared_arms` — a drug named in several arm labels without a dose that tells them apart
  ("MMF + daclizumab", "MMF alone"): one item per arm that names it.
* :func:`combination_arms` — an arm labelled "combination" (``dosing.combination_label``) that
  names no drug receives the regimens of the other active arms, as its study drugs.
* :func:`dummy_placebos` — "DZB or matched placebo was given" in a trial with arms "MMF + DZB",
  "MMF alone" and "placebo": the active arm that does not name DZB receives "DZB placebo".
* :func:`control_as_background` — "the observation group, on the basis of the control group, was
  given X" (or "The control group was given Y. On this basis, the observation group was given X"):
  the control arm's regimen is given to both arms, so it is background.
* :func:`lead_in_items` — the open-label lead-in arm of a randomised-withdrawal trial takes the study
  regimen of the drug its label names.
* :func:`drop_redundant` — a generic class name (``generic`` flag in ``agents.tsv``: "steroids",
  "MSC") goes when a named agent of its class has an item in the same role and arm; an arm-label
  item ("stem cell group") goes when the same arm has a vocabulary agent of its own.
"""

from __future__ import annotations

import copy
from typing import Any

from extractor.extract.dosing_agents import find_agents
from extractor.extract.quantities import Quantity, find_doses
from extractor.nlp.rules import regex, vocab_rows
from extractor.records import Intervention

ARM_ROLES = frozenset({"study", "comparator"})
STUDY_KLASSES = frozenset({"msc", "biologic"})  # classes of an escalated study drug (as dosing_roles.STUDY_CLASSES)
GENERIC_FLAG = "generic"
LABEL_RULE = "dosing.arm_label"
COMBINATION_RULE = "dosing.combination_arm"
DUMMY_RULE = "dosing.dummy_placebo"
LEAD_IN_RULE = "dosing.lead_in_arm"
REL_TOL = 0.01


def _label(arm: Any) -> str:
    return getattr(arm, "label", "") or ""


def _role_of(arm: Any) -> str:
    return "comparator" if getattr(arm, "role", None) == "control" else "study"


def _is_placebo(arm: Any) -> bool:
    return getattr(arm, "role", None) == "placebo"


def _agents(text: str) -> set[str]:
    """Agents a label names as given ("X without oral steroids": X only)."""
    absent = regex("dosing", "dosing.not_given_before")
    return {t.canonical for t in find_agents(text) if t.canonical != "placebo" and not absent.search(text[: t.start])}


def _names(arm: Any, agent: str) -> bool:
    """Does the arm's label name ``agent`` (a vocabulary agent, or a label-derived name)?"""
    label = _label(arm)
    return agent in _agents(label) or (bool(agent) and agent.lower() in label.lower())


def clause_arm_fits(arms: list[Any], arm_id: str | None, agent: str) -> bool:
    """May an arm named somewhere in the clause (not before the item) be the item's arm? Only when
    its label names the item's agent, or it is a placebo/control arm and the item is a placebo:
    "X, compared with Y" must not put X on Y's arm."""
    arm = next((a for a in arms if a.id == arm_id), None)
    if arm is None:
        return False
    if agent == "placebo":
        return getattr(arm, "role", None) in {"placebo", "control"}
    return _names(arm, agent)


def _bare(arm: Any) -> bool:
    """An arm labelled by a dose and nothing else ("2,000 IU")."""
    from extractor.extract.dosing_doc import label_agent

    label = _label(arm)
    return not _is_placebo(arm) and bool(find_doses(label)) and not _agents(label) and label_agent(label) is None


def _same(q: Quantity, item: Intervention) -> bool:
    return (item.amount is not None and q.unit == item.unit and (q.per or None) == (item.per or None)
            and abs(q.value - item.amount) <= REL_TOL * abs(item.amount))


def dose_label_items(ctx: Any, arms: list[Any]) -> list[Intervention]:
    """Items for arms whose label is a dose and nothing else: the agent the other labels name."""
    out: list[Intervention] = []
    for arm in arms:
        label = _label(arm)
        doses = find_doses(label)
        named = _agents(label)
        if doses and len(named) == 1 and (sum(1 for a in arms if named <= _agents(_label(a))) >= 2 or any(map(_bare, arms))):
            out.append(_label_item(ctx, arm, next(iter(named)), doses[0]))
            continue
        if not _bare(arm):
            continue
        others = set().union(*(_agents(_label(a)) for a in arms if a is not arm)) if len(arms) > 1 else set()
        if not others and all(map(_bare, arms)):  # dose-escalation cohorts "1 mg/kg", "3 mg/kg": the title's drug
            others = _title_agents(ctx)
        if len(others) != 1:
            continue
        out.append(_label_item(ctx, arm, next(iter(others)), doses[0]))
    return out


def _title_agents(ctx: Any) -> set[str]:
    """The drugs the title names ("dose-escalation study of X in adults with SLE"), else the one
    antibody or cell product the report names (the drug its dose levels escalate)."""
    title = getattr(getattr(ctx, "document", None), "title", None) or ""
    named = _agents(title)
    if named:
        return named
    text = getattr(ctx, "text", "") or ""
    return {t.canonical for t in find_agents(text) if t.extra and t.extra[0] in STUDY_KLASSES}


def _label_item(ctx: Any, arm: Any, agent: str, q: Quantity) -> Intervention:
    label = _label(arm)
    start = max(ctx.text.find(label), 0)
    return Intervention(
        arm=arm.id, role=_role_of(arm), agent=agent,  # type: ignore[arg-type]
        amount=q.value, amount_high=q.high, unit=q.unit, per=q.per, schedule=q.rate,  # type: ignore[arg-type]
        evidence=ctx.evidence(start, start + len(label), "dosing.dose_label"),
    )


def dose_arms(items: list[Intervention], arms: list[Any]) -> None:
    """In place: a dosed study/comparator item moves to the arm whose label gives its agent that dose."""
    for item in items:
        if item.role not in ARM_ROLES or item.amount is None:
            continue
        hits = [a for a in arms if (_names(a, item.agent) or _bare(a)) and any(_same(q, item) for q in find_doses(_label(a)))]
        if len(hits) == 1 and item.arm != hits[0].id:
            item.arm = hits[0].id
            item.role = _role_of(hits[0])  # type: ignore[assignment]
    by_id = {a.id: a for a in arms}
    for item in items:  # "DZB or matched placebo was given ...": the drug goes to the arm that names it
        current = by_id.get(item.arm or "")
        named = [a for a in arms if not _is_placebo(a) and _names(a, item.agent)]
        if item.role in ARM_ROLES and len(named) == 1 and current is not None and _is_placebo(current):
            item.arm, item.role = named[0].id, _role_of(named[0])  # type: ignore[assignment]


def _dosed_labels(arms: list[Any], agent: str) -> bool:
    return sum(1 for a in arms if _names(a, agent) and find_doses(_label(a))) >= 2


def shared_arms(items: list[Intervention], arms: list[Any], fixed: frozenset[int] = frozenset()) -> list[Intervention]:
    """A study/comparator drug named in two or more arm labels: one item per such arm, unless the
    arms have regimens of their own from the rows of a regimen table (``fixed``: ids of those items)."""
    out: list[Intervention] = []
    for item in items:
        named = [a for a in arms if not _is_placebo(a) and _names(a, item.agent)]
        # arms with a regimen row of their own ("Basic regimen | X 900 mg ...", "Intensified regimen | X
        # 900 mg ..."): the document tells their regimens apart, each keeps its own
        own = {i.arm for i in items if i.agent == item.agent and id(i) in fixed}
        if item.role not in ARM_ROLES or len(named) < 2 or _dosed_labels(arms, item.agent) or len(own & {a.id for a in named}) >= 2:
            out.append(item)
            continue
        for arm in named:
            twin = copy.deepcopy(item)
            twin.arm, twin.role = arm.id, _role_of(arm)  # type: ignore[assignment]
            out.append(twin)
    return out


def combination_arms(items: list[Intervention], arms: list[Any]) -> list[Intervention]:
    """An arm labelled "combination" that names no drug: the other active arms' drugs, as study drugs."""
    rx = regex("dosing", "dosing.combination_label")
    out = list(items)
    for arm in arms:
        label = _label(arm)
        if _is_placebo(arm) or _agents(label) or not rx.search(label):
            continue
        out = [i for i in out if not (i.arm == arm.id and i.evidence is not None and i.evidence.rule == LABEL_RULE)]
        seen: set[str] = set()
        for item in items:
            if item.arm in {None, arm.id} or item.role not in ARM_ROLES or item.agent in seen:
                continue
            seen.add(item.agent)
            twin = copy.deepcopy(item)
            twin.arm, twin.role = arm.id, "study"  # type: ignore[assignment]
            if twin.evidence is not None:
                twin.evidence.rule = COMBINATION_RULE
            out.append(twin)
    return out


def _generic() -> set[str]:
    return {row[0] for row in vocab_rows("agents") if GENERIC_FLAG in row[3:]}


def _klass(agent: str) -> str | None:
    terms = find_agents(agent)
    return terms[0].extra[0] if terms and terms[0].extra else None


def drop_redundant(items: list[Intervention]) -> list[Intervention]:
    generic = _generic()
    out: list[Intervention] = []
    for item in items:
        if item.agent in generic:
            klass = _klass(item.agent)
            named = [o for o in items if o.agent not in generic and o.role == item.role
                     and (o.arm == item.arm or item.arm is None or o.arm is None) and _klass(o.agent) == klass]
            if named:
                for key in ("route", "schedule", "doses"):
                    if getattr(named[0], key) is None and getattr(item, key) is not None:
                        setattr(named[0], key, getattr(item, key))
                continue
        if item.evidence is not None and item.evidence.rule == LABEL_RULE and item.arm is not None and any(
            o is not item and o.arm == item.arm and o.role in ARM_ROLES and _agents(o.agent) and o.agent != item.agent for o in items
        ):
            continue
        out.append(item)
    return out


def dummy_placebos(items: list[Intervention], arms: list[Any]) -> list[Intervention]:
    """"DZB or matched placebo was given ..." with arms "MMF + DZB", "MMF alone", "placebo": an
    active arm whose label does not name the drug gets its placebo as a comparator ("DZB placebo")."""
    rx = regex("dosing", "dosing.or_matched_placebo")
    out = list(items)
    for item in items:
        ev = item.evidence
        if item.role != "study" or ev is None or not ev.text:
            continue
        if not any(_names(a, item.agent) for a in arms):
            continue
        if not any(m["agent"] and item.agent in _agents(m["agent"]) for m in rx.finditer(ev.text)):
            continue
        for arm in arms:
            if _is_placebo(arm) or _names(arm, item.agent) or any(o.arm == arm.id and o.agent == f"{item.agent} placebo" for o in out):
                continue
            twin = copy.deepcopy(item)
            twin.arm, twin.role, twin.agent = arm.id, "comparator", f"{item.agent} placebo"  # type: ignore[assignment]
            twin.amount = twin.amount_high = twin.unit = twin.per = None  # type: ignore[assignment]
            if twin.evidence is not None:
                twin.evidence.rule = DUMMY_RULE
            out.append(twin)
    return out


def control_as_background(items: list[Intervention], arms: list[Any], text: str) -> list[Intervention]:
    """"Observation group: on the basis of the control group, X ...": the other arm receives the
    control arm's regimen too, so the control arm's drugs are background of both arms."""
    if not regex("dosing", "dosing.addon_to_control").search(text) and not regex("dosing", "dosing.addon_to_control_anaphora").search(text):
        return items
    control = {a.id for a in arms if getattr(a, "role", None) == "control"}
    if len(control) != 1 or len(arms) != 2:
        return items
    out: list[Intervention] = []
    for item in items:
        if item.role == "comparator" and item.arm in control and item.agent != "placebo":
            if any(o.role == "background" and o.agent == item.agent for o in items):
                continue  # the same drug is already read as background ("both groups received X")
            item = copy.deepcopy(item)
            item.role, item.arm = "background", None  # type: ignore[assignment]
        out.append(item)
    return out


def lead_in_items(items: list[Intervention], lead: Any) -> list[Intervention]:
    """A randomised-withdrawal trial's open-label lead-in arm (``ctx.state["lead_in_arm"]``, kept out
    of the randomised arms): everyone took the study drug before randomisation, so the lead-in
    receives the study regimen of the drug its label names (or of the one study drug)."""
    if lead is None or any(i.arm == lead.id for i in items):
        return items
    dosed = sorted((i for i in items if i.role == "study" and i.amount is not None), key=lambda i: i.arm is None)
    studied = {i.agent for i in dosed}
    named = _agents(_label(lead)) or (studied if len(studied) == 1 else set())
    out = list(items)
    for agent in sorted(named):
        src = next((i for i in dosed if i.agent == agent), None)
        if src is not None:
            twin = copy.deepcopy(src)
            twin.arm = lead.id
            if twin.evidence is not None:
                twin.evidence.rule = LEAD_IN_RULE
            out.append(twin)
    return out
