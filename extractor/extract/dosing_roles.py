"""Roles of interventions (study, comparator, background, premedication) and the arm a clause names.

* :func:`study_sets` — agents named by experimental / control arm labels, and the title's agents
  (those after "versus" in the title are comparators when no label names a drug).
* :func:`role_of` — first rule that applies: premedication cue and class; study / comparator sets;
  background cue or class; the arm's role (:func:`arm_role`).
* :func:`arm_role` — the arm's role; in a trial whose arms are all "experimental", the arm every
  other arm is compared with ("A versus C, P = ...; B versus C, P = ...") is the control
  (:func:`reference_arm`).
* :func:`role_cues`, :func:`cues_at`, :func:`ongoing`, :func:`stated_role` — cues of
  ``rules/vocab/roles.tsv`` ("all patients received", "continued", "compared with").
* :func:`lead_arm` — the arm a sentence opens with as a label ("Observation group: ...").
"""

from __future__ import annotations

from extractor.extract.context import Context
from extractor.extract.dosing_agents import find_agents
from extractor.extract.dosing_doc import label_agent
from extractor.extract.quantities import find_doses
from extractor.extract.tables import Term, arm_for_text, arms, find_terms
from extractor.nlp.rules import regex

AFTER_FLAG = "after"  # roles.tsv: the cue covers only the drugs named after it
ONGOING_FLAG = "ongoing"  # roles.tsv: the cue ("continued", "tapered") says the drug is still given
WEAK_FLAG = "weak"  # roles.tsv: the cue ("tapered") yields to the role of an arm the clause names
STUDY_CLASSES = frozenset({"msc", "biologic"})
BACKGROUND_CLASSES = frozenset({"renoprotective", "antimalarial"})
PREMED_CLASSES = frozenset({"glucocorticoid", "antihistamine", "analgesic", "antiemetic"})
MIN_REFERENCE_ARMS = 3  # a reference arm is inferred only among three or more "experimental" arms
MIN_COMPARISONS = 2  # ... when at least two other arms are compared with it
CACHE = 64
_REFERENCE: dict[tuple[str, tuple[tuple[str, str], ...]], str | None] = {}


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex("dosing", rule_id)


def study_sets(ctx: Context) -> tuple[set[str], set[str], set[str]]:
    """Agents named in experimental / control arm labels (plus the title for the study set), and
    the agents known only from the title (weak: a control arm's drug stays its comparator)."""
    study: set[str] = set()
    comparator: set[str] = set()
    every: set[str] | None = None  # named by every arm label ("X plus MMF" / "MMF with Y"): not what differs
    for arm in arms(ctx):
        label = getattr(arm, "label", "") or ""
        names = {t.canonical for t in find_agents(label) if not _rx("dosing.not_given_before").search(label[: t.start])}
        every = names if every is None else every & names
        own = arm_role(ctx, arm.id)
        if own == "control":
            comparator |= names
        elif own == "experimental":
            study |= names
    if every and len(arms(ctx)) > 1:
        study, comparator = study - every, comparator - every
    title = ctx.document.title or ""
    weak: set[str] = set()
    if not study:  # the title names the study drug only when the arm labels do not
        addon = _rx("dosing.title_addon_cue").search(title)
        named = find_agents(title)
        if addon and any(t.end <= addon.start() for t in named):  # "X combined with Y": Y is background
            named = [t for t in named if t.end <= addon.start()]
        versus = _rx("dosing.title_versus_cue").search(title)
        if versus and not comparator:  # "X versus Y in ...": Y is the comparator of a report whose labels name none
            comparator |= {t.canonical for t in named if t.start >= versus.end()}
            named = [t for t in named if t.end <= versus.start()]
        weak = {t.canonical for t in named}
    # a cell or antibody therapy named anywhere makes it the study drug of a report whose arm labels
    # name none ("avacopan" vs "prednisone" labels: rituximab is the background of both arms)
    if not study and not _own_label_drug(ctx):
        study |= {t.canonical for t in find_agents(ctx.text) if t.extra and t.extra[0] in STUDY_CLASSES}
    return study - {"placebo"} - comparator, comparator - {"placebo"}, weak - study - comparator - {"placebo"}


def shared_agents(ctx: Context) -> frozenset[str]:
    """Agents every arm label names ("Rituximab + MMF" / "Placebo + MMF": MMF), in a report with
    two or more arms: the therapy the arms share, background of both."""
    labels = [getattr(a, "label", "") or "" for a in arms(ctx)]
    if len(labels) < 2 or any(find_doses(label) for label in labels):
        return frozenset()  # dose-ranging labels ("X 10 mg", "X 20 mg"): the shared drug is the study drug
    named = [{t.canonical for t in find_agents(label) if not _rx("dosing.not_given_before").search(label[: t.start])} for label in labels]
    common = set.intersection(*named) - {"placebo"}
    if any(len(n - common) == 0 for n in named):
        return frozenset()  # "X trough-guided" / "X fixed-dose": X is what every arm studies
    return frozenset(common)


def _own_label_drug(ctx: Context) -> bool:
    """Does an experimental arm's label name a drug (outside the vocabulary) that no other label names?"""
    labels = {a.id: (getattr(a, "label", "") or "") for a in arms(ctx)}
    for arm_id, label in labels.items():
        name = label_agent(label) if arm_role(ctx, arm_id) == "experimental" else None
        if name and not any(name.lower() in other.lower() for k, other in labels.items() if k != arm_id):
            return True
    return False


def arm_role(ctx: Context, arm_id: str | None) -> str | None:
    for arm in arms(ctx):
        if arm.id == arm_id:
            role = getattr(arm, "role", None)
            return "control" if role == "experimental" and arm_id == reference_arm(ctx) else role
    return None


def role_of(ctx: Context, agent: Term, premedication: bool, cues: set[str], arm_id: str | None,
            study: set[str], comparator: set[str], weak: frozenset[str] = frozenset(), shared: frozenset[str] = frozenset()) -> str:
    """First rule that applies: premedication cue; study set / cell and antibody classes;
    comparator set; background cue or class; the arm's role; else study unless a study drug is known."""
    klass = agent.extra[0] if agent.extra else ""
    if premedication and klass in PREMED_CLASSES:
        return "premedication"
    own = arm_role(ctx, arm_id)
    if agent.canonical in shared and agent.canonical not in study | comparator | weak:
        return "background"  # named by every arm label: what the arms share
    if agent.canonical in weak and own == "control":
        return "comparator"
    study = study | weak
    if "background" in cues and agent.canonical not in study and agent.canonical not in comparator:
        return "background"
    if agent.canonical in study or (klass in STUDY_CLASSES and agent.canonical not in comparator):
        return "comparator" if own == "control" and agent.canonical not in study else "study"
    if agent.canonical in comparator:
        return "comparator"
    if "background" in cues or klass in BACKGROUND_CLASSES:
        return "background"
    if own == "control":
        return "comparator"
    if own == "experimental":
        return "study"
    return "background" if study else "study"


def role_cues(text: str) -> list[Term]:
    """Role cues of a sentence, less a cue that only names the vehicle ("added to 250 mL saline")
    or the control arm's regimen ("X on top of the control group's regimen": the arm decides)."""
    addon = [m.span() for m in _rx("dosing.addon_to_control").finditer(text)]
    return [t for t in find_terms(text, "roles") if not _rx("dosing.vehicle_after").match(text[t.end :])
            and not any(s <= t.start < e for s, e in addon) and not _heading(text, t)]


def _heading(text: str, cue: Term) -> bool:
    """"**Background:** Persistent proteinuria ... despite X": a structured abstract's heading that
    opens a sentence is no role cue unless a drug follows it and the sentence writes a dose
    ("Background: X 2 g/day" still is)."""
    if not cue.surface.rstrip().endswith(":") or not _rx("dosing.heading_lead").fullmatch(text[: cue.start]):
        return False
    rest = text[cue.end :]
    lead = len(rest) - len(rest.lstrip(" *_\t"))
    first = next(iter(find_agents(rest)), None)
    return not find_doses(text) or first is None or first.start != lead


def lead_arm(ctx: Context, text: str) -> str | None:
    """The arm a sentence opens with as a label ("Control group: ..."), which its later clauses keep."""
    m = _rx("dosing.arm_label_lead").match(text)
    return arm_for_text(ctx, m["label"]) if m else None


def active_label(ctx: Context, arm_id: str) -> bool:
    """Does the arm's label name an active drug ("azathioprine", not "control group")?"""
    label = next((getattr(a, "label", "") or "" for a in arms(ctx) if a.id == arm_id), "")
    return any(t.canonical != "placebo" for t in find_agents(label))


def cues_at(terms: list[Term], pos: int, armed: bool = False) -> set[str]:
    """Roles cued for a drug at ``pos``: a cue flagged ``after`` in roles.tsv ("in both cases
    with X") covers only the drugs named after it; one flagged ``weak`` ("tapered") none when the
    clause names an arm ("Control group: ... prednisone ... tapered": the arm decides)."""
    return {t.canonical for t in terms if not (AFTER_FLAG in t.extra and t.start > pos) and not (armed and WEAK_FLAG in t.extra)}


def ongoing(terms: list[Term], start: int, end: int) -> bool:
    """A prior-therapy clause that still gives a drug ("prednisone, capped at 0.5 mg/kg at entry,
    was tapered"; "existing MMF was continued"): a background cue inside the clause."""
    return any(ONGOING_FLAG in t.extra and start <= t.start < end for t in terms)


def stated_role(terms: list[Term], start: int, end: int) -> bool:
    """A clause that names the role itself ("background therapy with X ... in both groups"), not
    only an ongoing cue ("continued")."""
    return any(ONGOING_FLAG not in t.extra and start <= t.start < end for t in terms)


def reference_arm(ctx: Context) -> str | None:
    """The arm every other arm is compared with, in a trial that labels no arm control or placebo
    ("MMF versus CYC, P = 0.06; tacrolimus versus CYC, P = 0.09"): the right side of
    comparisons with at least two different left sides, and never itself a left side."""
    all_arms = arms(ctx)
    if len(all_arms) < MIN_REFERENCE_ARMS or any(getattr(a, "role", None) != "experimental" for a in all_arms):
        return None
    key = (ctx.text, tuple((a.id, getattr(a, "label", "") or "") for a in all_arms))
    if key not in _REFERENCE:
        if len(_REFERENCE) >= CACHE:
            _REFERENCE.clear()
        _REFERENCE[key] = _reference(ctx)
    return _REFERENCE[key]


def _reference(ctx: Context) -> str | None:
    left: dict[str, set[str]] = {}
    for m in _rx("dosing.versus_pair").finditer(ctx.text):
        a, b = arm_for_text(ctx, m["a"]), arm_for_text(ctx, m["b"])
        if a and b and a != b:
            left.setdefault(b, set()).add(a)
    lefts = set().union(*left.values()) if left else set()
    hits = [b for b, a in left.items() if len(a) >= MIN_COMPARISONS and b not in lefts]
    return hits[0] if len(hits) == 1 else None
