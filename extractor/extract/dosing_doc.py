"""Document-level interventions: what the arms themselves say, and one item per agent per arm.

* :func:`placebo_items` — a placebo (or sham) arm gets its comparator item ("placebo").
* :func:`label_items` — an arm whose label names a drug that is not in ``agents.tsv`` ("fish
  oil", "1 mg ibutilide", "empagliflozin 25 mg once daily") still has that drug as its
  intervention: the label minus generic words (``dosing.label_generic``), with the label's dose.
* :func:`consolidate` — the abstract and the methods repeat a regimen; matching is one-to-one,
  so a repeat is a false positive: one item per (agent, arm) for study/comparator drugs (an
  item without an arm joins the arm item of the same agent and dose), one per agent for
  background and premedication. A dose written only as a titration target ("MMF titrated to
  3 g/day") yields to the same drug's regimen with its starting dose.
"""

from __future__ import annotations

from typing import Any

from extractor.extract.context import Context
from extractor.extract.dosing_agents import find_agents, is_stem
from extractor.extract.dosing_attach import THEN_RULE
from extractor.extract.quantities import Quantity, find_doses
from extractor.extract.tables import arms, find_terms, prose_sentences
from extractor.nlp.rules import regex
from extractor.records import Intervention

FIELDS = ("amount", "amount_high", "unit", "per", "route", "schedule", "doses")
MIN_AGENT_CHARS = 3
TARGET_RULE = "target_dose"  # suffix of the evidence rule of a dose read after "titrated to"
ABBREVIATION_WINDOW = 80  # characters before "(ABBR)" searched for the agent it abbreviates
SKIP_SECTIONS = frozenset({"introduction", "discussion", "references"})


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex("dosing", rule_id)

SPLIT_DAILY = {"twice daily": 2, "three times daily": 3, "four times daily": 4}  # schedules.tsv canonicals


def _is_placebo(arm: Any) -> bool:
    label = getattr(arm, "label", "") or ""
    return getattr(arm, "role", None) == "placebo" or any(t.canonical == "placebo" for t in find_terms(label, "agents"))


def placebo_items(ctx: Context) -> list[Intervention]:
    out = []
    shared = _shared(ctx)
    for arm in arms(ctx):
        if not _is_placebo(arm):
            continue
        label = getattr(arm, "label", "") or ""
        known = [t for t in find_agents(label) if t.canonical != "placebo" and t.canonical not in shared]
        if known:
            continue  # "placebo + MTX": the active drug is read from the text (unless every arm has it)
        start = ctx.text.lower().find("placebo")
        start = max(start, 0)
        out.append(Intervention(arm=arm.id, role="comparator", agent="placebo",
                                evidence=ctx.evidence(start, start + len("placebo"), "dosing.placebo_arm")))
    return out


def _shared(ctx: Context) -> set[str]:
    """Agents every arm label names ("Rituximab + MMF", "Placebo + MMF": MMF)."""
    named = [{t.canonical for t in find_agents(getattr(a, "label", "") or "")} for a in arms(ctx)]
    return set.intersection(*named) - {"placebo"} if len(named) >= 2 else set()


def label_agent(label: str) -> str | None:
    """Pure: the drug an arm label names when it is not a vocabulary agent ("1 mg ibutilide" → "ibutilide")."""
    if any(not is_stem(t) for t in find_agents(label)):
        return None  # a vocabulary agent; a drug known only by its stem is named as the label writes it
    words = _rx("dosing.label_word").findall(label)
    kept = [w for w in words if not _rx("dosing.label_generic").match(w.strip(".,"))]
    name = " ".join(w.strip(".,") for w in kept).strip()
    return name if len(name) >= MIN_AGENT_CHARS and any(c.isalpha() for c in name) else None


def label_items(ctx: Context) -> list[Intervention]:
    out = []
    for arm in arms(ctx):
        if _is_placebo(arm):
            continue
        label = getattr(arm, "label", "") or ""
        agent = label_agent(label)
        if agent is None:
            continue
        agent = _defined_as(ctx.text, label) or agent
        role = "comparator" if getattr(arm, "role", None) == "control" else "study"
        doses = find_doses(label)
        q = doses[0] if doses else _dose_in_text(ctx, agent) or (_dose_in_text(ctx, label) if label.lower() != agent.lower() else None)
        start = max(ctx.text.find(label), 0)
        out.append(Intervention(
            arm=arm.id, role=role, agent=agent,  # type: ignore[arg-type]
            amount=q.value if q else None, amount_high=q.high if q else None, unit=q.unit if q else None,
            per=q.per if q else None, schedule=q.rate if q else None,  # type: ignore[arg-type]
            evidence=ctx.evidence(start, start + len(label), "dosing.arm_label"),
        ))
    return out


def _defined_as(text: str, label: str) -> str | None:
    """The vocabulary agent an abbreviation of the label stands for, where the text defines it
    right after the agent's name ("a targeted-release formulation of budesonide (TRF-B)")."""
    for word in _rx("dosing.label_word").findall(label):
        word = word.strip(".,")
        if sum(c.isupper() for c in word) < 2 or not _rx("dosing.abbreviation").fullmatch(word):
            continue
        at = text.find(word)
        while at >= 0:
            before, after = text[:at], text[at + len(word) :]
            opened = _rx("dosing.abbreviation_definition").search(before[-3:])
            if opened and after.lstrip()[:1] in {")", "]"}:
                window = before[: len(before) - len(opened.group(0))][-ABBREVIATION_WINDOW:]
                named = find_agents(window)
                if named and not window[named[-1].end :].strip() and named[-1].canonical != "placebo":
                    return named[-1].canonical
            at = text.find(word, at + 1)
    return None


def _dose_in_text(ctx: Context, agent: str) -> Quantity | None:
    """The first dose written right after the agent's name in the prose ("Drugx 20 mg was given")."""
    name = agent.lower()
    for sent in prose_sentences(ctx, SKIP_SECTIONS):
        low = sent.text.lower()
        at = low.find(name)
        while at >= 0:
            end = at + len(name)
            if (at == 0 or not low[at - 1].isalnum()) and (end == len(low) or not low[end].isalnum()):
                for q in find_doses(sent.text):
                    if q.start >= end and _rx("dosing.agent_dose_gap").match(sent.text[end : q.start]):
                        return q
            at = low.find(name, at + 1)
    return None


def _same_dose(a: Intervention, b: Intervention) -> bool:
    return a.amount is None or b.amount is None or (a.amount == b.amount and a.unit == b.unit)


def _fill(main: Intervention, other: Intervention) -> None:
    for key in FIELDS:
        if getattr(main, key) is None and getattr(other, key) is not None:
            if key in {"amount_high", "unit", "per"} and main.amount is not None and other.amount != main.amount:
                continue
            setattr(main, key, getattr(other, key))


def _split_of(item: Intervention, total: Intervention) -> bool:
    """"1 g twice daily" is the regimen a summary "2 g/day" totals: the per-administration dose wins."""
    per_day = SPLIT_DAILY.get(item.schedule or "")
    return bool(per_day and item.amount and total.amount and item.unit == total.unit and total.schedule == "once daily"
                and abs(item.amount * per_day - total.amount) < 1e-6 * total.amount)


def _sequential(a: Intervention, b: Intervention) -> bool:
    """Two doses of one regimen (loading then maintenance, first then second infusion): kept apart."""
    then = any(i.evidence is not None and i.evidence.rule.endswith(THEN_RULE) for i in (a, b))
    return then and a.amount is not None and b.amount is not None and (a.amount, a.unit) != (b.amount, b.unit)


def _is_target(item: Intervention) -> bool:
    return item.evidence is not None and item.evidence.rule.endswith(TARGET_RULE)


def _starts(item: Intervention, twin: Intervention) -> bool:
    """"MMF titrated to 3 g/day" (abstract) and "MMF was started at 0.5 g twice daily ..." (methods):
    the regimen with its starting dose wins over a target written alone."""
    return _is_target(twin) and not _is_target(item) and item.amount is not None


def consolidate(items: list[Intervention], n_arms: int) -> list[Intervention]:
    """One item per agent per arm (study/comparator) or per agent (background/premedication)."""
    kept: list[Intervention] = []
    armed = {(i.agent, i.arm) for i in items if i.arm is not None}
    loose = [i for i in items if i.arm is None and i.role not in {"background", "premedication"} and n_arms > 1]
    # an item without an arm joins the arm items of its agent, so those are placed first
    for item in [i for i in items if all(i is not j for j in loose)] + loose:
        if item.role in {"background", "premedication"}:
            twin = next((k for k in kept if k.agent == item.agent and k.role == item.role), None)
        elif item.arm is None and n_arms > 1:
            twin = next((k for k in kept if k.agent == item.agent and k.role == item.role and _same_dose(k, item)), None)
            if twin is None and any(a == item.agent for a, _ in armed):
                twin = next((k for k in kept if k.agent == item.agent), None)
                if twin is None:
                    continue  # the arm items of this agent come later; they carry the regimen
        else:
            twin = next((k for k in kept if k.agent == item.agent and k.arm == item.arm and k.role == item.role), None)
        if twin is None or _sequential(twin, item):
            kept.append(item)
            continue
        if (twin.amount is None and item.amount is not None) or _split_of(item, twin) or _starts(item, twin):
            _fill(item, twin)
            item.arm = twin.arm if item.arm is None else item.arm
            kept[kept.index(twin)] = item
        else:
            _fill(twin, item)
    return kept
