"""LN class counts split per arm: in prose after a class count, and in packed table cells.

* A parenthesis after a class count that splits it per arm (DOMAIN §1.5 classes):
  "class III in 17 children (MMF 9, IV CYC 8)", "III in 77 patients (39 belimumab, 38 placebo)",
  "IV in 179 (90 and 89)", "class III was present in 38 patients (19 in each arm)",
  "class III + V in 9 (rituximab 5, placebo 4)". Read only when the parts name every arm once
  (labels, or bare numbers in the order the arms were named) and add up to the total
  ("19 in each arm" → 19 per arm, times the arms = the total); percents, decimals or a sum that
  is not the total ("(45 and 52)" after 90) read nothing.
* Counts per arm in arm order with percents that match the arm sizes ("class IV: 37 (58.7%) vs 39
  (62.9%)"), and labelled counts before the class ("37 X and 39 Y patients had class IV").
* A table cell that packs several classes, in a header or a row label
  ("Class III / IV / III+V / IV+V, n" over cells "10 / 26 / 5 / 7"): arms as rows
  (the row label names the arm) or arms as columns.
* A class row with a word in a second label column before the arm columns ("Class III | CRR |
  6/19 (31.6) | 7/19 (36.8)") is a result within the class subgroup, not the class count.
* The arm that heads a sentence ("Control group: 9 males ...; pathological type: type III 15 cases").

Regexes: ``rules/regex/ln_class.jsonl`` (``ln_class.split_*``, ``ln_class.arm_count_list``,
``ln_class.packed_header``, ``ln_class.lead_arm``, ``ln_class.activity_cell``).
"""

from __future__ import annotations

from extractor.extract.context import Context
from extractor.extract.numbers import find_count_percents, find_numbers, parse_number
from extractor.nlp.rules import regex
from extractor.records import LNClass, Table

FAMILY = "ln_class"
SPLIT_WINDOW = 120  # characters after a class mention searched for the split parenthesis
PERCENT_TOL = 0.6  # percentage points between a count's percent and 100·n / arm size (whole-number percents allowed)


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex(FAMILY, rule_id)


def _arm_ids(ctx: Context) -> list[str]:
    return [a.id for a in (ctx.state.get("arms") or [])]


def split_body(ctx: Context, body: str, total: int | None) -> list[tuple[str, int]] | None:
    """``[(arm id, n)]`` for the inside of a split parenthesis, or None when it is not one."""
    from extractor.extract.arms import arm_for_text

    arms = _arm_ids(ctx)
    body = _rx("ln_class.split_bracket").sub(" ", body)  # "31 [44.3%] and 30 [42.9%]"
    if len(arms) < 2 or _rx("ln_class.split_reject").search(body):
        return None
    each = _rx("ln_class.split_each").match(body)
    if each:
        n = int(each["n"])
        return [(a, n) for a in arms] if total is None or n * len(arms) == total else None
    sep = "ln_class.split_semicolon" if ";" in body else "ln_class.split_sep"  # "X, n = 37; Y, n = 39"
    parts = [p for p in _rx(sep).split(body) if p and p.strip()]
    if len(parts) != len(arms):
        return None
    got: list[tuple[str | None, int]] = []
    for part in parts:
        m = _rx("ln_class.split_part").match(part.strip())
        if m is None:
            return None
        label = (m["pre"] or m["post"] or "").strip()
        got.append((arm_for_text(ctx, label) if label else "", int(m["n"])))
    labelled = [a for a, _ in got if a != ""]
    if labelled and (len(labelled) != len(got) or None in labelled or len(set(labelled)) != len(labelled)):
        return None  # a label that names no arm (or the same arm twice), or labels on some parts only
    if not labelled:
        if total is None:
            return None  # bare numbers need the total to prove they are the arms' counts
        got = [(a, n) for a, (_, n) in zip(arms, got)]
    if total is not None and sum(n for _, n in got) != total:
        return None
    return [(str(a), n) for a, n in got]


def split_after(ctx: Context, text: str, end: int, total: int | None) -> tuple[list[tuple[str, int]], int] | None:
    """The per-arm split written in the parenthesis after a class mention ending at ``end`` (and its
    count), with the end of the parenthesis; the text before the parenthesis holds at most the total."""
    m = _rx("ln_class.split_paren").match(text[end : end + SPLIT_WINDOW])
    if m is None:
        return None
    before = [int(x.value) for x in find_numbers(m["pre"]) if x.value == int(x.value)]
    if before and (total is None or before != [total]):
        return None
    parts = split_body(ctx, m["body"], total)
    return (parts, end + m.end()) if parts else None


def arm_count_list(ctx: Context, text: str, end: int) -> list[tuple[str, int, float | None, str]] | None:
    """"class IV: 37 (58.7%) vs 39 (62.9%)" / "in 37 (58.7%) and 39 (62.9%) patients, respectively":
    one count (percent) per arm in arm order, kept when every percent agrees with its arm's size."""
    arms = ctx.state.get("arms") or []
    m = _rx("ln_class.arm_count_list").match(text[end : end + SPLIT_WINDOW])
    if m is None or len(arms) < 2:
        return None
    cps = [c for c in find_count_percents(m["list"]) if c.n is not None and c.percent is not None]
    if len(cps) != len(arms):
        return None
    for arm, c in zip(arms, cps):
        if not arm.n or abs(100 * (c.n or 0) / arm.n - (c.percent or 0)) > PERCENT_TOL:
            return None  # the percents do not prove the arm order
    return [(arm.id, int(c.n or 0), c.percent, "ln_class.arm_count_list") for arm, c in zip(arms, cps)]


def split_before(ctx: Context, text: str, start: int) -> list[tuple[str, int, float | None, str]] | None:
    """"37 obinutuzumab and 39 placebo patients had class IV": labelled counts right before the class."""
    window = text[max(0, start - SPLIT_WINDOW) : start]
    for x in find_numbers(window):  # the earliest start whose parts all name arms ("Of 125 patients, 37 X and 39 Y had")
        m = _rx("ln_class.split_before").match(window, x.start)
        parts = split_body(ctx, m["body"], None) if m else None
        if parts:
            return [(a, n, None, "ln_class.split_before") for a, n in parts]
    return None


def lead_arm(ctx: Context, text: str, start: int) -> str | None:
    """The arm that heads the sentence ("Observation group: ...") when no other arm is named
    between that heading and ``start``."""
    from extractor.extract.arms import arm_for_text

    m = _rx("ln_class.lead_arm").match(text)
    if m is None or m.end() > start:
        return None
    arm = arm_for_text(ctx, m["label"])
    if arm is None:
        return None
    between = arm_for_text(ctx, text[m.end() : start])
    return arm if between in (None, arm) else None


def measure_label(cells: list[str]) -> bool:
    """A second label column before the arm columns holds a word ("Subgroup | Response | Arm A |
    Arm B" with "Class III | CRR | 6/19 | 7/19"): the row is a result within the class subgroup. A cell that only
    qualifies the class ("A/C", "segmental") does not count."""
    return any(any(ch.isalpha() for ch in c) and not any(ch.isdigit() for ch in c) and not _rx("ln_class.activity_cell").match(c)
               for c in cells)


def _packed_classes(label: str):  # type: ignore[no-untyped-def]
    """The classes of a packed cell label "Class III / IV / III+V / IV+V, n" (None otherwise)."""
    from extractor.extract.ln_class import find_class_mentions

    m = _rx("ln_class.packed_header").match(label)
    if m is None:
        return None
    out = []
    for piece in m["classes"].split("/"):
        mentions = find_class_mentions(piece.strip(), table_context=True)
        if len(mentions) != 1 or mentions[0].end - mentions[0].start != len(piece.strip()):
            return None
        out.append(mentions[0])
    return out if len(out) >= 2 else None


def _packed_values(cell: str, k: int) -> list[tuple[int | None, float | None]] | None:
    pieces = [p.strip() for p in cell.split("/")]
    if len(pieces) != k:
        return None
    out = []
    for piece in pieces:
        cps = find_count_percents(piece)
        if cps and cps[0].n is not None:
            out.append((cps[0].n, cps[0].percent))
        elif piece.isdigit():
            out.append((int(piece), None))
        else:
            return None
    return out


def packed_cells(ctx: Context, table: Table) -> list[LNClass]:
    """Classes packed into one cell per arm: a packed header column over arm rows, or a packed
    row label over arm columns."""
    from extractor.extract.arms import arm_columns, arm_for_text

    if len(table.rows) < 2:
        return []
    out: list[LNClass] = []
    header = table.rows[0].cells
    for col, label in enumerate(header):
        classes = _packed_classes(label) if col > 0 else None
        if not classes:
            continue
        for row in table.rows[1:]:
            arm = arm_for_text(ctx, row.cells[0]) if row.cells else None
            vals = _packed_values(row.cells[col], len(classes)) if arm and col < len(row.cells) else None
            for cm, (n, pct) in zip(classes, vals or []):
                out.append(LNClass(**{"class": cm.cls}, activity=cm.activity, n=n, percent=pct, arm=arm,
                                   classification_system=cm.system, evidence=ctx.row_evidence(row, "ln_class.packed_column")))
    col_arm = arm_columns(ctx, header)
    first_arm = min((i for i, a in col_arm.items() if a), default=0)
    for row in table.rows[1:]:
        classes = _packed_classes(row.cells[0]) if row.cells and not measure_label(row.cells[1:first_arm]) else None
        if not classes:
            continue
        for i, cell in enumerate(row.cells[1:], 1):
            vals = _packed_values(cell, len(classes)) if col_arm.get(i) else None
            for cm, (n, pct) in zip(classes, vals or []):
                out.append(LNClass(**{"class": cm.cls}, activity=cm.activity, n=n, percent=pct, arm=col_arm[i],
                                   classification_system=cm.system, evidence=ctx.row_evidence(row, "ln_class.packed_row")))
    return out


def derived_count(ctx: Context, text: str, pct: float) -> int | None:
    """The count behind a class percent written without one ("20.8% of patients had class III, 58.3%
    class IV …"), from the cohort N, only when every class percent of the sentence is a whole
    count of N as written (to its decimals) and together they do not exceed N."""
    N = ctx.state.get("cohort_n")
    if not N:
        return None
    pcts = [parse_number(m["pct"]) for m in _rx("ln_class.pct_list_item").finditer(text)]
    pcts = [p for p in pcts if p is not None]
    if len(pcts) < 2 or pct not in pcts:
        return None
    counts = [round(p * N / 100) for p in pcts]
    if any(not _exact(c, N, p) for c, p in zip(counts, pcts)) or sum(counts) > N:
        return None
    return round(pct * N / 100)


def _exact(n: int, N: int, pct: float) -> bool:
    """n/N rounds to ``pct`` at the precision written (one decimal or whole percent)."""
    tol = 0.051 if pct != int(pct) else 0.51
    return N > 0 and abs(100.0 * n / N - pct) <= tol
