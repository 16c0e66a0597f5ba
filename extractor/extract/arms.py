"""Study arms: labels, sizes and roles; lookup of the arm a phrase or table header refers to.

Randomised trials: "randomly assigned to hUC-MSC (n = 12) or placebo (n = 6)", "179 to
voclosporin and 178 to placebo", "the observation group (30 cases)", table headers
"Drug (n = 179)". Single-arm studies: one arm A1 labelled with the study intervention.
Regexes: ``rules/regex/arms.jsonl``; roles: ``rules/vocab/arm_roles.tsv``.
State: ``ctx.state["arms"]`` (list[Arm]) and ``ctx.state["arm_aliases"]`` ({id: [alias]}).
"""

from __future__ import annotations

from collections import Counter

from extractor.extract.arm_headers import count_row_arms, heading_arms, widen_by_header_run
from extractor.extract.arm_lead_in import lead_in_arm
from extractor.extract.arm_lists import list_cands
from extractor.extract.arm_populations import population_arms
from extractor.extract.arm_roles import assign_roles
from extractor.extract.arm_sizes import equal_sizes, pairs_with_total, subgroup_columns
from extractor.extract.arm_text import ARM_SECTIONS, Cand, agent_aliases, clean_label, contains, has_vocab, role_of, rx, same_arm
from extractor.extract.context import Context
from extractor.extract.normalize import normalize, normalize_key
from extractor.extract.numbers import parse_number
from extractor.nlp.pipeline import spans_in
from extractor.nlp.rules import regex, vocab_rows
from extractor.records import Arm

NAMED_N_RULES = ("arms.n_then_label", "arms.paren_label_n")  # they name the arm their n belongs to
NO_STUDY_ARM_TYPES = ("cohort", "other")
FILL_SKIP_RULES = ("arms.n_in_group", "arms.label_cases")  # "6 in the X group": a subgroup, not the arm size
STUDY_AGENT_CLASSES = ("msc", "biologic", "immunosuppressant", "placebo")
ROLE_ALIASES = {
    "placebo": ("placebo group", "placebo arm", "placebo"),
    "control": ("control group", "control arm", "controls", "comparator group"),
    "experimental": ("observation group", "treatment group", "test group", "experimental group", "study group",
                     "intervention group", "research group"),
}


def _aliases(arm: Arm) -> list[str]:
    label = arm.label.lower()
    out = [label, normalize_key(arm.label)]
    out += [f"{w} group" for w in label.split()[:1]] + [f"{label} group", f"{label} arm"]
    out += agent_aliases(arm.label)
    for m in rx("arms.label_paren").finditer(arm.label):  # "Drug 23.7 mg (low dose)": "low dose", "low-dose"
        out += [m["inner"].lower(), m["inner"].lower().replace(" ", "-"), m["inner"].lower().replace("-", " ")]
    out += list(ROLE_ALIASES.get(arm.role or "", ()))
    bare = rx("arms.label_dose_affix").sub("", label).strip()  # "1.5 mg/kg DL-sotalol" → "DL-sotalol"
    stem = rx("arms.label_group_suffix").sub("", label)
    if stem != label and rx("arms.dose_word_only").match(stem):  # "the low-dose arm": "low-dose patients"
        out += [stem, stem.replace("-", " "), stem.replace(" ", "-")]
    out += _connector_variants(label) + [bare] + [rx("arms.stereo_prefix").sub("", x) for x in (label, bare)]
    return [a for a in dict.fromkeys(out) if a]


CONNECTORS = (" plus ", " and ", " + ", "+", " with ", " & ")


def _connector_variants(label: str) -> list[str]:
    """"MMF plus DZB" is also written "MMF and DZB", "MMF + DZB", "MMF with DZB"."""
    parts = [p.strip() for p in rx("arms.label_connector").split(label)]
    if len(parts) < 2 or not all(parts):
        return []
    return [c.join(parts) for c in CONNECTORS]


def _role_aliases(arms: list[Arm], aliases: dict[str, list[str]]) -> dict[str, list[str]]:
    """With one placebo arm and no control arm, "the control group" is the placebo arm."""
    placebo = [a for a in arms if a.role == "placebo"]
    if len(placebo) == 1 and not any(a.role == "control" for a in arms):
        aliases[placebo[0].id] = aliases[placebo[0].id] + [a for a in ("control group", "control arm") if a not in aliases[placebo[0].id]]
    return aliases




SENTENCE_RULES = ("arms.label_n", "arms.label_cases", "arms.n_to_label", "arms.n_in_group", "arms.paren_label_n",
                  "arms.n_then_label", "arms.label_then_n", "arms.n_receiving")


def _cands_in(ctx: Context, s, cue: str | None = None) -> list[Cand]:
    """Labelled arm sizes in one sentence. In a randomisation sentence, "(n = …)" groups
    written before the randomisation verb are strata ("atrial flutter (n = 57) were
    randomised to …"), not arms."""
    out: list[Cand] = []
    cue_m = rx(cue).search(s.text) if cue else None
    for m in rx("arms.groups_each").finditer(s.text):
        n = parse_number(m["n"])
        for key in ("l1", "l2"):
            label = clean_label(m[key])
            if label and n is not None:
                out.append((label, int(n), s.start + m.start(key), s.start + m.end(key), "arms.groups_each"))
    sized = rx("arms.label_n_cue").search(s.text) is not None
    for rule in SENTENCE_RULES:
        if rule == "arms.label_n" and not sized:
            continue
        for m in rx(rule).finditer(s.text):
            if rule == "arms.label_n" and cue_m and m.end() <= cue_m.start():
                continue
            label = clean_label(m["label"])
            if label and m.groupdict().get("qual"):
                label = f"{label} ({m['qual'].strip()})"
            if label:
                out.append((label, int(m["n"]), s.start + m.start(), s.start + m.end(), rule))
            more = rx("arms.n_receiving_more").match(s.text[m.end() :]) if rule == "arms.n_receiving" and label else None
            if more and (label2 := clean_label(more["label"])):  # "120 received drug C and 60 placebo"
                out.append((label2, int(more["n"]), s.start + m.end() + more.start("n"), s.start + m.end() + more.end(), rule))
    named = {c[3] for c in out if c[4] in NAMED_N_RULES}
    return [c for c in out if c[4] in NAMED_N_RULES or c[3] not in named]  # one "(n = …; name)" → one arm


def _from_sentences(ctx: Context, cue: str) -> list[Cand]:
    out: list[Cand] = []
    for s in ctx.mined_sentences():
        if s.section not in ARM_SECTIONS or not rx(cue).search(s.text):
            continue
        if regex("sentences", "sentences.table_row").search(s.text):
            continue
        out += _cands_in(ctx, s, cue if cue == "arms.randomisation_cue" else None)
    return out


def _from_headers(ctx: Context) -> list[Cand]:
    out: list[Cand] = []
    for table in ctx.tables:
        if not table.rows:
            continue
        header = table.rows[0]
        cells: list[Cand] = []
        for cell in header.cells[1:]:
            m = rx("arms.label_n").search(cell)
            label = clean_label(m["label"]) if m else None
            if m and label:
                off = ctx.text.find(cell, header.start, header.end + 1)
                start = off if off >= 0 else header.start
                cells.append((label, int(m["n"]), start, start + len(cell), "arms.table_header"))
        out += subgroup_columns(ctx, cells)
    return out


def _merge(cands: list[Cand]) -> list[Cand]:
    merged: list[Cand] = []
    for cand in cands:
        if not any(same_arm(cand[0], m[0]) for m in merged):
            merged.append(cand)
    return merged


def _candidates(ctx: Context) -> list[Cand]:
    """Arms stated at randomisation (abstract, methods, results), else group sentences, else
    table headers, else a line of "Label (n = N)" headings. Headers whose n is the analysed n do not add arms."""
    cands = _merge(_from_sentences(ctx, "arms.randomisation_cue"))
    for more in (lambda: _from_sentences(ctx, "arms.group_cue"), lambda: _from_headers(ctx), lambda: _from_sentences(ctx, "arms.header_line")):
        if len(cands) < 2:
            cands = _merge(cands + more())
    return cands


def _fill(arms: list[Cand], pool: list[Cand]) -> list[Cand]:
    """Give arms without n the n of the same arm found elsewhere (exact label first)."""
    out, used = [], set()
    for label, n, start, end, rule in arms:
        if n is None:
            key = normalize_key(label)
            hits = [i for i, c in enumerate(pool) if i not in used and c[1] is not None and same_arm(label, c[0])]
            hits.sort(key=lambda i: (normalize_key(pool[i][0]) != key, pool[i][4] in FILL_SKIP_RULES, i))
            others = [a for a in arms if a[0] != label]
            hits = [i for i in hits if not any(_label_closer(pool[i][0], o[0], label) for o in others)]
            if hits:
                used.add(hits[0])
                n = pool[hits[0]][1]
        out.append((label, n, start, end, rule))
    return out


def _label_closer(found: str, other: str, mine: str) -> bool:
    """True when ``found`` names ``other`` more exactly than ``mine``."""
    kf = normalize_key(found)
    return kf == normalize_key(other) and kf != normalize_key(mine)


def _named_groups(arms: list[Cand], pool: list[Cand]) -> list[Cand]:
    """Arms labelled only "group 2" take the treatment written as "golimumab 100 mg (group 2)"."""
    out = []
    for label, n, start, end, rule in arms:
        for cand in pool:
            m = rx("arms.label_group_name").match(cand[0])
            if m and normalize_key(m["name"]) == normalize_key(label):
                label = f"{label}: {m['label']}"
                break
        out.append((label, n, start, end, rule))
    return out


def _sentence_arms(ctx: Context) -> list[Cand]:
    """Arms of the randomisation sentence that names most of them (fully sized ones first);
    sizes missing there are filled from other allocation sentences and table headers."""
    groups: list[list[Cand]] = []
    lists: list[Cand] = []
    for s in ctx.mined_sentences():
        if s.section not in ARM_SECTIONS or not rx("arms.randomisation_cue").search(s.text):
            continue
        if regex("sentences", "sentences.table_row").search(s.text):
            continue
        cands = _merge(sorted(_cands_in(ctx, s, "arms.randomisation_cue"), key=lambda c: c[2]))

        listed = list_cands(ctx, s)
        lists += listed
        if len(listed) > len(cands):
            cands = _fill(listed, cands)
        if len(cands) >= 2:
            groups.append(cands)
    if not groups:
        return []
    best = max(enumerate(groups), key=lambda g: (all(c[1] is not None for c in g[1]), len(g[1]), -g[0]))[1]
    if any(c[1] is None for c in best):
        sized = [c for c in _from_sentences(ctx, "arms.fill_cue") if c[4] not in FILL_SKIP_RULES]

        pool = pairs_with_total(ctx) + _from_headers(ctx) + sized
        best = equal_sizes(ctx, _fill(best, pool))
    return _named_groups(best, lists)


def _study_agent(ctx: Context) -> tuple[str, int, int] | None:
    """(surface, start, end) of the main study intervention for a single-arm study."""
    if ctx.doc is None:
        return None
    classes = {row[0]: (row[2] if len(row) > 2 else "") for row in vocab_rows("agents")} if has_vocab("agents") else {}
    sents = [s for s in ctx.mined_sentences() if s.section in (None, "title", "abstract", "methods", "other")]
    spans = [sp for s in sents for sp in spans_in(ctx.doc, "vocab", s.start, s.end, label="AGENT")]
    spans = [sp for sp in spans if classes.get(sp.kb_id_, "") in STUDY_AGENT_CLASSES and classes.get(sp.kb_id_) != "placebo"]
    if not spans:
        return None
    counts = Counter(sp.kb_id_ for sp in spans)
    titled = {sp.kb_id_ for s in sents if s.section == "title" for sp in spans if s.start <= sp.start_char < s.end}
    # the title names what a single-arm report tested; prior therapy is often mentioned more
    top = max(counts, key=lambda k: (k in titled, counts[k], -min(sp.start_char for sp in spans if sp.kb_id_ == k)))
    first = next(sp for sp in spans if sp.kb_id_ == top)
    return first.text, first.start_char, first.end_char


def extract_arms(ctx: Context) -> list[Arm]:
    design = ctx.state.get("design")
    population = population_arms(ctx)  # an extension or pooled analysis: its own arms, not the parent trial's
    ctx.state["population_arms"] = bool(population)
    cands = population or _sentence_arms(ctx) or _merge(_candidates(ctx))
    if len(cands) < 2:
        cands = count_row_arms(ctx) or cands  # registry results: "Arm/Group Title" columns, "STARTED" row

    cands = widen_by_header_run(ctx, cands)
    roles: list[str | None] = [role_of(c[0]) for c in cands]
    if len(cands) < 2 and design is not None and design.randomised and (headed := heading_arms(ctx)):
        cands, roles = [c for c, _ in headed], [r for _, r in headed]
    arms: list[Arm] = []
    if len(cands) >= 2 or (cands and design is not None and design.randomised):
        for i, ((label, n, start, end, rule), role) in enumerate(zip(cands, roles), 1):
            arms.append(Arm(id=f"A{i}", label=label, n=n, role=role, evidence=ctx.evidence(start, end, rule)))

        assign_roles(arms)
    elif design is not None and design.type in NO_STUDY_ARM_TYPES:
        pass  # observational cohort / evidence synthesis: nobody was assigned a study treatment
    elif design is None or design.type in ("single-arm", "case-series", None) or not design.randomised:
        agent = _study_agent(ctx)
        if agent:
            arms.append(Arm(id="A1", label=agent[0], n=None, role="experimental",
                            evidence=ctx.evidence(agent[1], agent[2], "arms.single_arm_agent")))
    lead = lead_in_arm(ctx, arms)
    if lead is not None:  # a randomised-withdrawal lead-in: A1, the randomised arms follow
        for i, arm in enumerate(arms, 2):
            arm.id = f"A{i}"
        ctx.state["lead_in_arm"] = lead
    ctx.state["arms"] = arms  # the arms later extractors attribute to (the randomised ones)
    ctx.state["arm_aliases"] = _role_aliases(arms, {a.id: _aliases(a) for a in arms})
    return [lead, *arms] if lead is not None else arms


def arm_for_text(ctx: Context, text: str) -> str | None:
    """The arm whose label, alias or agent appears in ``text`` ("placebo group", "MSC group",
    "voclosporin arm", "the control group", "observation group"); longest alias wins, ties →
    earliest; the same alias in two arms → None."""
    arms: list[Arm] = ctx.state.get("arms") or []
    if not arms or not text:
        return None
    aliases = ctx.state.get("arm_aliases")
    if not aliases:
        return _arm_in(arms, _role_aliases(arms, {a.id: _aliases(a) for a in arms}), text)
    memo = ctx.state.get("_arm_for_text")  # extractors ask about the same texts again: kept per document
    if memo is None or memo[0] is not arms or memo[1] is not aliases or memo[2] != [a.id for a in arms]:
        memo = ctx.state["_arm_for_text"] = (arms, aliases, [a.id for a in arms], {})
    if text not in memo[3]:
        memo[3][text] = _arm_in(arms, aliases, text)
    return memo[3][text]


def _arm_in(arms: list[Arm], aliases: dict[str, list[str]], text: str) -> str | None:
    low = text.lower()
    best: tuple[int, int, str] | None = None  # (-len, pos, arm id)
    clash = False
    for arm in arms:
        for alias in aliases.get(arm.id, ()):
            if alias not in low:  # the common case, without a call
                continue
            pos = contains(low, alias)
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
    m = rx("arms.label_n").search(header)
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
    armish = [i for i, cell in mapped.items() if rx("arms.label_n").search(header[i]) or cell]
    found = [mapped[i] for i in armish]
    if arms and len(armish) == len(arms) and (None in found or len(set(found)) < len(found)):
        mapped.update({i: arm.id for i, arm in zip(armish, arms)})
    return mapped
