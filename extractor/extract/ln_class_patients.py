"""LN classes of reports that describe patients one by one: counted per class.

Two styles (DOMAIN §1.5 classes, parsed by :func:`ln_class.find_class_mentions`):

* a per-patient table with a class column ("Pt | Sex/age | ISN/RPS class | ..."), whose header may
  follow a caption row; one patient per row;
* per-patient prose or a per-patient listing ("Patient 1, a 24-year-old woman with class IV-G
  (A/C) LN ...", "Case 2: man, 41 years, class V ..."): a patient lead (``ln_class.patient_lead``)
  with an age or sex (``ln_class.patient_profile``) opens a patient; the one class named for that
  patient (in the same sentence or the next ones, before the next patient) counts 1.

A patient with two different classes (a repeat biopsy) is not counted; a class written with a
count beside it ("class IV in 5") is a summary, not one patient. Eligibility sentences are skipped.
"""

from __future__ import annotations

from collections.abc import Callable

from extractor.extract.context import Context, Sentence
from extractor.nlp.rules import regex
from extractor.records import LNClass, Table

FAMILY = "ln_class"
HEADER_ROWS = 3  # a caption or group row may stand above the header of a per-patient table
PARSED_SHARE = 2 / 3  # share of the patient rows whose class cell must read as one class
SENTENCES_PER_PATIENT = 3  # a patient's class may be named in the sentences after the lead


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex(FAMILY, rule_id)


def _mentions(text: str, table_context: bool):  # type: ignore[no-untyped-def]
    from extractor.extract.ln_class import find_class_mentions

    return find_class_mentions(text, table_context=table_context)


def per_patient_table(ctx: Context, table: Table) -> list[LNClass]:
    """A per-patient table with a class column: count patients per class."""
    head = next((k for k, row in enumerate(table.rows[:HEADER_ROWS])
                 if any(i > 0 and _rx("ln_class.table_cue").search(c) for i, c in enumerate(row.cells))), None)
    if head is None:
        return []
    col = next(i for i, c in enumerate(table.rows[head].cells) if i > 0 and _rx("ln_class.table_cue").search(c))
    counts: dict[tuple[str, str | None], list] = {}
    rows = [row for row in table.rows[head + 1 :] if col < len(row.cells) and row.cells[col].strip()]
    parsed = 0
    for row in rows:
        mentions = _mentions(row.cells[col], True)
        if len(mentions) == 1:
            parsed += 1
            key = (mentions[0].cls, mentions[0].activity)
            counts.setdefault(key, [0, row, mentions[0].system])[0] += 1
    if not rows or parsed < PARSED_SHARE * len(rows):
        return []
    return [LNClass(**{"class": cls}, activity=act, n=v[0], arm=None, classification_system=v[2],
                    evidence=ctx.row_evidence(v[1], "ln_class.per_patient_table")) for (cls, act), v in counts.items()]


class _Patient:
    def __init__(self, sent: Sentence, lead_end: int) -> None:
        self.sent = sent
        self.lead_end = lead_end
        self.classes: list[tuple[str, str | None, str | None, int, int]] = []  # cls, act, system, abs start/end
        self.sentences = 0


def _class_mentions(text: str, listing: bool, count_near: Callable) -> list[tuple[str, str | None, str | None, int, int]]:
    out = []
    for cm in _mentions(text, listing):
        got = count_near(text, cm.start, cm.end)
        if got is not None and got[0] is not None and got[3] != "ln_class.count_after":
            return []  # "3 patients had class IV": a summary sentence
        if got is not None and got[0] is not None and got[0] != 1:
            return []  # "class IV in 5": a summary
        out.append((cm.cls, cm.activity, cm.system, cm.start, cm.end))
    return out


def per_patient_prose(ctx: Context, is_eligibility: Callable[[Context, Sentence], bool]) -> list[LNClass]:
    """Classes named patient by patient in sentences or a listing: one patient counts 1."""
    from extractor.extract.ln_class import count_near

    patients: list[_Patient] = []
    current: _Patient | None = None
    for s in ctx.mined_sentences():
        if s.section == "tables" or is_eligibility(ctx, s):
            current = None
            continue
        leads = [m for m in _rx("ln_class.patient_lead").finditer(s.text)]
        cuts = [m.start() for m in leads] + [len(s.text)]
        if current is not None:
            current.sentences += 1
            if current.sentences >= SENTENCES_PER_PATIENT or (current.sent.section != s.section):
                current = None
            elif not current.classes:  # "Patient 1 was a 24-year-old woman. Her biopsy showed class IV."
                current.classes += [(c, a, y, s.start + lo, s.start + hi)
                                    for c, a, y, lo, hi in _class_mentions(s.text[: cuts[0]], False, count_near)]
        for k, m in enumerate(leads):
            seg = s.text[m.start() : cuts[k + 1]]
            if not _rx("ln_class.patient_profile").search(seg):
                current = None
                continue
            current = _Patient(s, m.end())
            listing = not m["word"]
            current.classes = [(c, a, y, s.start + m.start() + lo, s.start + m.start() + hi)
                               for c, a, y, lo, hi in _class_mentions(seg, listing, count_near)]
            patients.append(current)
    counts: dict[tuple[str, str | None], list] = {}
    for p in patients:
        distinct = {(c, a) for c, a, *_ in p.classes}
        if len(distinct) != 1:
            continue
        cls, act, system, start, end = p.classes[0]
        counts.setdefault((cls, act), [0, start, end, system])[0] += 1
    return [LNClass(**{"class": cls}, activity=act, n=v[0], arm=None, classification_system=v[3],
                    evidence=ctx.evidence(v[1], v[2], "ln_class.per_patient_prose")) for (cls, act), v in counts.items()]
