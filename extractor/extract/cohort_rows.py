"""Cohort counts that must be added up: one sex count per arm in a sentence ("women made up
56, 55 and 54 of the participants"), a per-patient table (one row per patient, a sex
column) whose rows give the cohort size and sex split, and per-patient prose ("Patient 1, a
24-year-old woman ... Patient 2, a 31-year-old man ..."). Regexes: ``rules/regex/cohort.jsonl``.
"""

from __future__ import annotations

from extractor.extract.context import Context, Sentence
from extractor.extract.numbers import find_numbers
from extractor.nlp.rules import regex
from extractor.records import Evidence, Table

FAMILY = "cohort"
MIN_PATIENT_ROWS = 2
FEMALE_WORDS = ("woman", "female", "girl")


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex(FAMILY, rule_id)


def female_by_arm_list(ctx: Context, sents: list[Sentence], n: int | None) -> tuple[int, None, Evidence] | None:
    """The sum of per-arm female counts listed in arm order (one number per arm)."""
    n_arms = len(ctx.state.get("arms") or [])
    if n_arms < 2:
        return None
    for s in sents:
        for m in _rx("cohort.female_arm_list").finditer(s.text):
            nums = [x.value for x in find_numbers(m["list"] or m["list2"])]
            if len(nums) == n_arms and all(v == int(v) for v in nums) and (n is None or sum(nums) <= n):
                return int(sum(nums)), None, ctx.evidence(s.start + m.start(), s.start + m.end(), "cohort.female_arm_list")
    return None


def _patient_rows(table: Table) -> list | None:
    """The body rows of a per-patient table (first column "Patient"/"Case"/"No." and one row
    per patient numbered 1, 2, 3 …), else None."""
    header = table.rows[0].cells
    if not header or not _rx("cohort.patient_column").match(header[0]):
        return None
    rows = [r for r in table.rows[1:] if r.cells and r.cells[0].strip()]
    ids = [_rx("cohort.patient_id").match(r.cells[0]) for r in rows]
    if len(rows) < MIN_PATIENT_ROWS or not all(ids):
        return None
    numbers = [int(m["n"]) for m in ids if m]
    return rows if numbers == list(range(numbers[0], numbers[0] + len(numbers))) else None


def per_patient_table(ctx: Context) -> tuple[int, int | None, int | None, Evidence] | None:
    """(n, female, male, evidence) counted from the rows of a per-patient table."""
    for table in ctx.tables:
        if len(table.rows) < MIN_PATIENT_ROWS + 1:
            continue
        rows = _patient_rows(table)
        if rows is None:
            continue
        header = table.rows[0].cells
        sex_cols = [i for i, c in enumerate(header) if _rx("cohort.sex_column").match(c)]
        female = male = None
        if sex_cols:
            cells = [r.cells[sex_cols[0]] if sex_cols[0] < len(r.cells) else "" for r in rows]
            f = sum(1 for c in cells if _rx("cohort.female_cell").match(c))
            m = sum(1 for c in cells if _rx("cohort.male_cell").match(c))
            if f + m == len(rows):
                female, male = f, m
        return len(rows), female, male, ctx.row_evidence(rows[0], "cohort.per_patient_table")
    return None


def per_patient_prose(ctx: Context) -> tuple[int, int | None, int | None, Evidence] | None:
    """(n, female, male, evidence) counted from paragraphs that each start with "Patient k" /
    "Case k", numbered 1, 2, 3 …; the sex of each from its first "a 24-year-old woman"."""
    heads = list(_rx("cohort.patient_paragraph").finditer(ctx.text))
    numbers = [int(m["n"]) for m in heads]
    if len(heads) < MIN_PATIENT_ROWS or numbers != list(range(1, len(heads) + 1)):
        return None
    sexes = []
    for m, nxt in zip(heads, heads[1:] + [None]):
        sex = _rx("cohort.patient_sex").search(ctx.text, m.end(), nxt.start() if nxt else len(ctx.text))
        word = (sex["sex"] or sex["sex2"]).lower() if sex else ""
        sexes.append("female" if word in FEMALE_WORDS else "male" if word else None)
    female = male = None
    if None not in sexes:
        female, male = sexes.count("female"), sexes.count("male")
    first = heads[0]
    return len(heads), female, male, ctx.evidence(first.start("n"), first.end("n"), "cohort.per_patient_prose")


def stated_arm_total(ctx: Context, sents: list[Sentence]) -> tuple[int, Evidence] | None:
    """The sum of the arm sizes when a randomisation sentence states it ("308 patients (mean age
    60 years, ...) with A (n = 251) or B (n = 57) were randomised to ... (n = 99), ... (n = 103)"):
    the randomised total, however long the words between number and verb."""
    arms = ctx.state.get("arms") or []
    sizes = [a.n for a in arms if a.n]
    if len(arms) < 2 or len(sizes) != len(arms):
        return None
    total = sum(sizes)
    for s in sents:
        if not regex("arms", "arms.randomisation_cue").search(s.text) or _rx("cohort.planned").search(s.text):
            continue
        for x in find_numbers(s.text):
            if x.value == total and _rx("cohort.n_noun_after").match(s.text[x.end :]):
                return total, ctx.evidence(s.start + x.start, s.start + x.end, "cohort.stated_arm_total")
    return None


def alt_group(m, name: str) -> str | None:  # type: ignore[no-untyped-def]
    """The matched one of a rule's alternative groups ``name``, ``name2``, ``name3``..."""
    for key, val in m.groupdict().items():
        if val is not None and key.rstrip("0123456789") == name:
            return key
    return None
