"""Arms read from a flattened table header: "Placebo (n = 4) Drug 3 mg/kg (n = 5) Drug 9 mg/kg (n = 5)
All (n = 14)" written as one run of sized cells. Dose-escalation trials list their cohorts this way
while the randomisation sentence names only "drug or placebo". Regexes: ``rules/regex/arms.jsonl``."""

from __future__ import annotations

from extractor.extract.arm_text import ARM_SECTIONS, MAX_LIST_ARMS, Cand, agent_aliases, clean_label, contains, role_of, rx, same_arm
from extractor.extract.context import Context
from extractor.extract.numbers import find_numbers
from extractor.nlp.rules import vocab_rows

MIN_RUN = 3


def _runs(ctx: Context) -> list[tuple[list[Cand], int | None]]:
    """Runs of adjacent "Label (n = N)" cells, each with the n of a total cell closing it (if any)."""
    out: list[tuple[list[Cand], int | None]] = []
    for s in ctx.mined_sentences():
        if s.section not in ARM_SECTIONS or not rx("arms.label_n_cue").search(s.text):
            continue
        run: list[Cand] = []
        prev_end: int | None = None
        for m in rx("arms.label_n").finditer(s.text):
            adjacent = prev_end is not None and not s.text[prev_end : m.start()].strip()
            if run and not adjacent:
                out.append((run, None))
                run = []
            raw = m["label"]
            if not run:  # the first cell follows the table caption: keep its capitalised tail
                raw = rx("arms.first_cell_cut").sub("", raw)
            label = clean_label(raw)
            prev_end = m.end()
            if label is None:
                total = int(m["n"]) if rx("arms.not_arm_label").match(raw.strip()) else None
                if run:
                    out.append((run, total))
                run = []
                prev_end = None
                continue
            run.append((label, int(m["n"]), s.start + m.start(), s.start + m.end(), "arms.header_run"))
        if run:
            out.append((run, None))
    return [(r, t) for r, t in out if MIN_RUN <= len(r) <= MAX_LIST_ARMS]


def _totals(ctx: Context) -> set[float]:
    return {x.value for s in ctx.mined_sentences() if s.section in ARM_SECTIONS and rx("arms.fill_cue").search(s.text)
            for x in find_numbers(s.text)}


def widen_by_header_run(ctx: Context, cands: list[Cand]) -> list[Cand]:
    """A header run with more arms than ``cands`` replaces them when each of ``cands`` names one
    of its cells ("atacicept" → "Atacicept 3 mg/kg" …) and its sizes add up to a stated total."""
    if not cands:
        return cands
    totals: set[float] | None = None
    for run, total in _runs(ctx):
        labels = {c[0].lower() for c in run}
        if len(run) <= len(cands) or len(labels) < len(run):
            continue
        if not all(any(same_arm(c[0], r[0]) for r in run) for c in cands):
            continue
        size = sum(c[1] or 0 for c in run)
        if total != size:
            totals = _totals(ctx) if totals is None else totals
            if size not in totals:
                continue
        return run
    return cands


def _first_agent(text: str) -> str | None:
    """The earliest agent surface (``rules/vocab/agents.tsv``) written in ``text``."""
    low = text.lower()
    best: tuple[int, int, str] | None = None
    for row in vocab_rows("agents"):
        pos = contains(low, row[1].lower())
        if pos >= 0 and (best is None or (pos, -len(row[1])) < best[:2]):
            best = (pos, -len(row[1]), text[pos : pos + len(row[1])])
    return best[2] if best else None


def heading_arms(ctx: Context) -> list[tuple[Cand, str | None]]:
    """"Group 1: Fixed dose regime—oral drug X …" / "Group 2: …" headings (protocols): one arm per
    numbered group, labelled with its name plus the agent of its description when the name has none;
    the role comes from the name or a heading line just above ("INTERVENTION: CONTROL:")."""
    out: list[tuple[Cand, str | None]] = []
    names: set[str] = set()
    for s in ctx.mined_sentences():
        for m in rx("arms.group_heading").finditer(s.text):
            name = m["name"].lower()
            label = clean_label(rx("arms.label_noise_word").sub("", m["label"]), strip_prefix=False)
            if not label or name in names:
                continue
            agent = _first_agent(m["rest"][:80]) if not agent_aliases(label) else None
            if agent and agent.lower() not in label.lower():
                label = f"{label} {agent}"
            above = s.text[: m.start()].strip().splitlines()[-1:] or [""]
            names.add(name)
            start = s.start + m.start("label")
            out.append(((label, None, start, start + len(m["label"]), "arms.group_heading"), role_of(label) or role_of(above[0])))
    return out if 2 <= len(out) <= MAX_LIST_ARMS else []


def count_row_arms(ctx: Context) -> list[Cand]:
    """Registry results tables: arm titles in the header row without sizes ("| Arm/Group Title |
    Placebo + MMF | Drug + MMF |") and the sizes in a count row ("STARTED | 73 | 71", "Overall Number
    of Baseline Participants | 73 | 71 | 144"). Started/randomised rows win over baseline rows, and
    these over analysed rows; a "Total" column is no arm."""
    best: tuple[int, int, list[Cand]] | None = None
    for t_i, table in enumerate(ctx.tables):
        if len(table.rows) < 2:
            continue
        header = table.rows[0]
        labels = {i: clean_label(c) for i, c in enumerate(header.cells) if i > 0 and c.strip()}
        labels = {i: lab for i, lab in labels.items() if lab and not rx("arms.label_n_cue").search(lab)}
        if not 2 <= len(labels) <= MAX_LIST_ARMS:
            continue
        for row in table.rows[1:]:
            rank = next((r for r, rule in enumerate(COUNT_ROW_RULES) if rx(rule).match(row.cells[0] if row.cells else "")), None)
            if rank is None or (best is not None and (rank, t_i) >= best[:2]):
                continue
            sizes = {i: find_numbers(row.cells[i]) if i < len(row.cells) else [] for i in labels}
            if not all(len(v) == 1 and v[0].value == int(v[0].value) and v[0].value > 0 for v in sizes.values()):
                continue
            cands: list[Cand] = []
            for i, label in labels.items():
                off = ctx.text.find(header.cells[i], header.start, header.end + 1)
                start = off if off >= 0 else header.start
                cands.append((label, int(sizes[i][0].value), start, start + len(header.cells[i]), "arms.count_row"))
            best = (rank, t_i, cands)
    return best[2] if best else []


COUNT_ROW_RULES = ("arms.count_row_started", "arms.count_row_baseline", "arms.count_row_analysed")
