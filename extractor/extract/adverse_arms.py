"""Which arm an adverse-event clause names, beyond the arms' labels and aliases.

* :func:`arm_named` — ``arm_for_text``, else an arm named by its whole dose alone ("in the 400 mg
  group" for arms "Drug X 400 mg" / "Drug X 1000 mg", "who received 2 × 9 mg/kg" for arms "9 mg/kg"
  / "2 × 9 mg/kg"; rule ``adverse.arm_dose``, then ``responses_lists.dose_arm``); "patients receiving
  cells" names the one arm given a cell therapy (rule ``adverse.cell_recipients``).
* :func:`arm_of_size` — a sentence opening on a population written with its size ("During period 1
  (n = 212), ...") is about the one arm of that size (rule ``adverse.population_frame``), the
  lead-in arm of a randomised-withdrawal trial (``ctx.state["lead_in_arm"]``) included.
* :func:`list_order` — the arm order of a per-arm list ("9 in the 400 mg group, 11 in the 1000 mg
  group and 8 in the placebo group"), which a later list of bare counts in the same paragraph
  follows ("Herpes zoster was reported in 3, 8 and 1").
* :func:`respectively_order` — "..., respectively" after a sentence that named the arms: that order.
* :func:`flow_diagram` — an ASCII CONSORT flow diagram ("death 0     death 1     death 1",
  "lost to follow-up 1") is not a results sentence (rule ``adverse.flow_diagram``).
"""

from __future__ import annotations

from extractor.extract.context import Context
from extractor.extract.responses_lists import dose_arm, named_order
from extractor.extract.tables import arm_for_text, arms, find_terms
from extractor.nlp.rules import regex
from extractor.records import AdverseEvent

FLOW_CUES = 2  # distinct flow-diagram box wordings ("allocated", "lost to follow-up", ...) on laid-out lines
FLOW_LINE = 200  # a diagram's line is short
CELL_WORD = "cells"  # an agent of the vocabulary that is a cell therapy ("mesenchymal stem cells", "CAR T cells")


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex("adverse", rule_id)


def arm_named(ctx: Context, text: str) -> str | None:
    """The arm ``text`` names by its label or alias, else by the dose its label carries."""
    hit = arm_for_text(ctx, text)
    if hit is not None or not text:
        return hit
    many = arms(ctx)
    if len(many) < 2:
        return None
    named = _doses(text)
    whole = [a.id for a in many if named and _doses(getattr(a, "label", "") or "") & named]
    if len(whole) == 1:
        return whole[0]  # "who received 2 × 9 mg/kg" for arms "9 mg/kg" and "2 × 9 mg/kg"
    by_dose = dose_arm({a.id: getattr(a, "label", "") or "" for a in many}, text)
    return by_dose if by_dose is not None else _cell_arm(many, text)


def _cell_arm(many: list, text: str) -> str | None:  # type: ignore[type-arg]
    """"patients receiving cells", "cell recipients": the one arm given a cell therapy."""
    if not _rx("adverse.cell_recipients").search(text):
        return None
    hit = [a.id for a in many if any(CELL_WORD in t.canonical.lower().split()
                                     for t in find_terms(getattr(a, "label", "") or "", "agents"))]
    return hit[0] if len(hit) == 1 else None


def _doses(text: str) -> set[tuple[int, float, str]]:
    """Pure: the doses written in ``text`` as (multiplier, amount, unit): "2 × 9 mg/kg" → (2, 9, mg/kg)."""
    return {(int(m["times"] or 1), float(m["num"].replace(",", "")), m["unit"].lower().replace("²", "2"))
            for m in _rx("adverse.arm_dose").finditer(text)}


def arm_of_size(ctx: Context, text: str) -> str | None:
    """The arm of the population ``text`` opens on with its size ("During period 1 (n = 212), ..."),
    when exactly one arm has that size."""
    many = arms(ctx)
    m = _rx("adverse.population_frame").search(text)
    if len(many) < 2 or m is None:
        return None
    lead = ctx.state.get("lead_in_arm")  # a randomised-withdrawal lead-in, kept apart from the randomised arms
    many = [*many, lead] if lead is not None else many
    size = int(m["n"].replace(",", ""))
    hit = [a.id for a in many if getattr(a, "n", None) and int(a.n) == size]
    return hit[0] if len(hit) == 1 else None


def list_order(items: list[AdverseEvent]) -> list[str] | None:
    """Pure: the arms, in order, of the last per-arm list among ``items`` (one event name counted
    for two or more distinct arms in a row), else None."""
    found: list[str] | None = None
    i = 0
    while i < len(items):
        j = i
        while j + 1 < len(items) and items[j + 1].term == items[i].term:
            j += 1
        run = [e.arm for e in items[i : j + 1]]
        if j > i and all(run) and len(set(run)) == len(run):
            found = [a for a in run if a]
        i = j + 1
    return found


def respectively_order(ctx: Context, prev_text: str, text: str) -> list[str] | None:
    """The arms, in the order the previous sentence named them, for a sentence that lists counts
    "respectively" without naming an arm ("Placebo recipients flared more often than those who kept
    X. Infections occurred in 22 and 20 patients, respectively"); else None."""
    if not prev_text or not _rx("adverse.respectively").search(text) or len(arms(ctx)) < 2:
        return None
    if named_order(text, lambda piece: arm_named(ctx, piece)):
        return None
    order = named_order(prev_text, lambda piece: arm_named(ctx, piece))
    return order if len(order) >= 2 else None


def flow_diagram(text: str) -> bool:
    """Pure: is this "sentence" an ASCII flow diagram: boxes side by side that repeat one label with
    their own counts ("death 0      death 1      death 1"), or flow wordings ("allocated", "lost
    to follow-up") on lines laid out in columns?"""
    lines = [line for line in text.splitlines() if len(line) <= FLOW_LINE]  # not a flattened table's one long line
    if any(_repeated_boxes(line) for line in lines):
        return True
    laid_out = [line for line in lines if len(_boxes(line)) >= 2]
    return len({m.group(0).lower() for line in laid_out for m in _rx("adverse.flow_words").finditer(line)}) >= FLOW_CUES


def _boxes(line: str) -> list[str]:
    return [b for b in _rx("adverse.flow_gap").split(line.strip()) if b.strip()]


def _repeated_boxes(line: str) -> bool:
    """Pure: two or more boxes on the line, each a count under the same label (plural or not)."""
    boxes = _boxes(line)
    if len(boxes) < 2 or not all(_rx("adverse.number_token").search(b) for b in boxes):
        return False
    labels = {" ".join(w.lower()[:-1] if w.lower().endswith("s") and len(w) > 3 else w.lower()
                       for w in _rx("adverse.word_token").findall(b)) for b in boxes}
    label = labels.pop()
    return not labels and any(len(w) >= 3 for w in label.split())
