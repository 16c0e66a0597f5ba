"""Study arms: labels, sizes and roles; lookup of the arm a phrase or table header refers to.

Randomised trials: "randomly assigned to hUC-MSC (n = 12) or placebo (n = 6)", "179 to
voclosporin and 178 to placebo", "the observation group (30 cases)", table headers
"Drug (n = 179)". Single-arm studies: one arm A1 labelled with the study intervention.
Regexes: ``rules/regex/arms.jsonl``; roles: ``rules/vocab/arm_roles.tsv``.
State: ``ctx.state["arms"]`` (list[Arm]) and ``ctx.state["arm_aliases"]`` ({id: [alias]}).
"""

from __future__ import annotations

from collections import Counter

from extractor.errors import RuleFileError
from extractor.extract.context import Context
from extractor.extract.normalize import normalize, normalize_key
from extractor.extract.numbers import parse_number
from extractor.nlp.pipeline import spans_in
from extractor.nlp.rules import regex, vocab, vocab_rows
from extractor.records import Arm

FAMILY = "arms"
ARM_SECTIONS = (None, "title", "abstract", "methods", "results", "tables", "other")
MAX_LABEL_WORDS = 6
STUDY_AGENT_CLASSES = ("msc", "biologic", "immunosuppressant", "placebo")
ROLE_ALIASES = {
    "placebo": ("placebo group", "placebo arm", "placebo"),
    "control": ("control group", "control arm", "controls", "comparator group"),
    "experimental": ("observation group", "treatment group", "test group", "experimental group", "study group",
                     "intervention group", "research group"),
}


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex(FAMILY, rule_id)


def clean_label(raw: str) -> str | None:
    """Strip leading connective words ("randomly assigned to X" → "X"); reject non-arm labels."""
    label = raw.strip().rsplit("\n", 1)[-1].strip()
    m = _rx("arms.label_stop_prefix").match(label)
    if m:
        label = label[m.end() :]
    label = label.strip(" -–:;,.")
    if not label or len(label.split()) > MAX_LABEL_WORDS or _rx("arms.not_arm_label").match(label):
        return None
    if not any(ch.isalpha() for ch in label):
        return None
    return label


def role_of(label: str) -> str | None:
    key = label.lower()
    for role in ("placebo", "control", "experimental"):
        for row in vocab_rows("arm_roles"):
            if row[0] == role and _contains(key, row[1].lower()) >= 0:
                return role
    return None


def _contains(hay: str, needle: str) -> int:
    """Offset of ``needle`` in ``hay`` at word boundaries, or -1."""
    start = 0
    while True:
        i = hay.find(needle, start)
        if i < 0:
            return -1
        before = hay[i - 1] if i > 0 else " "
        after = hay[i + len(needle)] if i + len(needle) < len(hay) else " "
        if not before.isalnum() and not after.isalnum():
            return i
        start = i + 1


def _agent_aliases(label: str) -> list[str]:
    """Every surface of the agents named in ``label`` (so "MMF" finds "mycophenolate mofetil")."""
    key = label.lower()
    canon = {row[0] for row in vocab_rows("agents") if _contains(key, row[1].lower()) >= 0} if _has_vocab("agents") else set()
    return [row[1].lower() for row in vocab_rows("agents") if row[0] in canon] + [c.lower() for c in canon]


def _has_vocab(name: str) -> bool:
    try:
        vocab(name)
        return True
    except RuleFileError:  # a missing vocabulary only means fewer aliases
        return False


def _aliases(arm: Arm) -> list[str]:
    label = arm.label.lower()
    out = [label, normalize_key(arm.label)]
    out += [f"{w} group" for w in label.split()[:1]] + [f"{label} group", f"{label} arm"]
    out += _agent_aliases(arm.label)
    out += list(ROLE_ALIASES.get(arm.role or "", ()))
    return [a for a in dict.fromkeys(out) if a]


Cand = tuple[str, "int | None", int, int, str]


def _from_sentences(ctx: Context, cue: str) -> list[Cand]:
    out: list[Cand] = []
    for s in ctx.mined_sentences():
        if s.section not in ARM_SECTIONS or not _rx(cue).search(s.text):
            continue
        if regex("sentences", "sentences.table_row").search(s.text):
            continue
        for m in _rx("arms.groups_each").finditer(s.text):
            n = parse_number(m["n"])
            for key in ("l1", "l2"):
                label = clean_label(m[key])
                if label and n is not None:
                    out.append((label, int(n), s.start + m.start(key), s.start + m.end(key), "arms.groups_each"))
        for rule in ("arms.label_n", "arms.label_cases", "arms.n_to_label", "arms.n_in_group"):
            for m in _rx(rule).finditer(s.text):
                label = clean_label(m["label"])
                if label and m.groupdict().get("qual"):
                    label = f"{label} ({m['qual'].strip()})"
                if label:
                    out.append((label, int(m["n"]), s.start + m.start(), s.start + m.end(), rule))
    return out


def _from_headers(ctx: Context) -> list[Cand]:
    out: list[Cand] = []
    for table in ctx.tables:
        if not table.rows:
            continue
        header = table.rows[0]
        for cell in header.cells[1:]:
            m = _rx("arms.label_n").search(cell)
            label = clean_label(m["label"]) if m else None
            if m and label:
                off = ctx.text.find(cell, header.start, header.end + 1)
                start = off if off >= 0 else header.start
                out.append((label, int(m["n"]), start, start + len(cell), "arms.table_header"))
    return out


def _same_arm(a: str, b: str) -> bool:
    ka, kb = normalize_key(a), normalize_key(b)
    if ka == kb or _contains(ka, kb) >= 0 or _contains(kb, ka) >= 0:
        return True
    if normalize(a, {b: b}) is not None:
        return True
    agents_a, agents_b = set(_agent_aliases(a)), set(_agent_aliases(b))
    return bool(agents_a & agents_b) and not (_digits(a) and _digits(b) and _digits(a) != _digits(b))


def _digits(label: str) -> str:
    return "".join(ch for ch in label if ch.isdigit() or ch == ".")


def _merge(cands: list[Cand]) -> list[Cand]:
    merged: list[Cand] = []
    for cand in cands:
        if not any(_same_arm(cand[0], m[0]) for m in merged):
            merged.append(cand)
    return merged


def _candidates(ctx: Context) -> list[Cand]:
    """Arms stated at randomisation (abstract, methods, results), else group sentences, else
    table headers. Table headers whose n is the analysed n do not add arms."""
    cands = _merge(_from_sentences(ctx, "arms.randomisation_cue"))
    if len(cands) < 2:
        cands = _merge(cands + _from_sentences(ctx, "arms.group_cue"))
    if len(cands) < 2:
        cands = _merge(cands + _from_headers(ctx))
    return cands


def _study_agent(ctx: Context) -> tuple[str, int, int] | None:
    """(surface, start, end) of the main study intervention for a single-arm study."""
    if ctx.doc is None:
        return None
    classes = {row[0]: (row[2] if len(row) > 2 else "") for row in vocab_rows("agents")} if _has_vocab("agents") else {}
    sents = [s for s in ctx.mined_sentences() if s.section in (None, "title", "abstract", "methods", "other")]
    spans = [sp for s in sents for sp in spans_in(ctx.doc, "vocab", s.start, s.end, label="AGENT")]
    spans = [sp for sp in spans if classes.get(sp.kb_id_, "") in STUDY_AGENT_CLASSES and classes.get(sp.kb_id_) != "placebo"]
    if not spans:
        return None
    counts = Counter(sp.kb_id_ for sp in spans)
    top = max(counts, key=lambda k: (counts[k], -min(sp.start_char for sp in spans if sp.kb_id_ == k)))
    first = next(sp for sp in spans if sp.kb_id_ == top)
    return first.text, first.start_char, first.end_char


def extract_arms(ctx: Context) -> list[Arm]:
    design = ctx.state.get("design")
    cands = _merge(_candidates(ctx))
    arms: list[Arm] = []
    if len(cands) >= 2 or (cands and design is not None and design.randomised):
        for i, (label, n, start, end, rule) in enumerate(cands, 1):
            arms.append(Arm(id=f"A{i}", label=label, n=n, role=role_of(label), evidence=ctx.evidence(start, end, rule)))
        unassigned = [a for a in arms if a.role is None]
        for a in unassigned:
            first_active = next((b for b in arms if b.role in (None, "experimental")), None)
            a.role = "experimental" if a is first_active or len(arms) > 2 else "control"
    elif design is None or design.type in ("single-arm", "case-series", "cohort", None) or not design.randomised:
        agent = _study_agent(ctx)
        if agent:
            arms.append(Arm(id="A1", label=agent[0], n=None, role="experimental",
                            evidence=ctx.evidence(agent[1], agent[2], "arms.single_arm_agent")))
    ctx.state["arms"] = arms
    ctx.state["arm_aliases"] = {a.id: _aliases(a) for a in arms}
    return arms


def arm_for_text(ctx: Context, text: str) -> str | None:
    """The arm whose label, alias or agent appears in ``text`` ("placebo group", "MSC group",
    "voclosporin arm", "the control group", "observation group"); longest alias wins, ties →
    earliest; the same alias in two arms → None."""
    arms: list[Arm] = ctx.state.get("arms") or []
    if not arms or not text:
        return None
    aliases = ctx.state.get("arm_aliases") or {a.id: _aliases(a) for a in arms}
    low = text.lower()
    best: tuple[int, int, str] | None = None  # (-len, pos, arm id)
    clash = False
    for arm in arms:
        for alias in aliases.get(arm.id, ()):
            pos = _contains(low, alias)
            if pos < 0:
                continue
            key = (-len(alias), pos, arm.id)
            if best is None or key[:2] < best[:2]:
                best, clash = key, False
            elif key[:2] == best[:2] and key[2] != best[2]:
                clash = True
    if best is None or clash:
        return None
    return best[2]


def arm_for_header(ctx: Context, header: str) -> str | None:
    """The arm a table column header refers to ("Belimumab (n = 223)", "hUC-MSC", "Placebo")."""
    arms: list[Arm] = ctx.state.get("arms") or []
    if not arms or not header.strip():
        return None
    m = _rx("arms.label_n").search(header)
    label = clean_label(m["label"]) if m else header.strip()
    if not label:
        return None
    hit = arm_for_text(ctx, label)
    if hit:
        return hit
    return normalize(label, {a.label: a.id for a in arms})


def arm_columns(ctx: Context, header: list[str]) -> dict[int, str | None]:
    """Column index → arm id for a table header row (column 0 is the row label). Headers that
    name no arm unambiguously are mapped by position when the table has exactly one
    "(n = …)" column per arm."""
    arms: list[Arm] = ctx.state.get("arms") or []
    mapped = {i: arm_for_header(ctx, cell) for i, cell in enumerate(header) if i > 0}
    armish = [i for i, cell in mapped.items() if _rx("arms.label_n").search(header[i]) or cell]
    found = [mapped[i] for i in armish]
    if arms and len(armish) == len(arms) and (None in found or len(set(found)) < len(found)):
        mapped.update({i: arm.id for i, arm in zip(armish, arms)})
    return mapped
