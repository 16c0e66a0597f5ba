"""Histological classes (ISN/RPS 2003/2018, WHO) with counts per class and per arm.

Pure parsing: :func:`find_class_mentions` turns "IV-G (A/C)", "IV-S(A C)", "III(A)+V", "V+IV",
"WHO IVc", "grade III(A)", "Ⅳ" into canonical classes (DOMAIN §1.5). The extractor reads counts
beside mentions in sentences ("3 cases of IV-S(A C)") and class tables (one column per arm).
Eligibility statements are not the enrolled distribution ("WHO criteria" and "of the 90 eligible
patients" are not eligibility cues); documents that are not about lupus yield no classes. Class rows
of tables flattened into text: ``ln_class_flat``; per-patient tables, listings and prose (used when
no class summary is found): ``ln_class_patients``. Regexes: ``rules/regex/ln_class.jsonl``; names:
``rules/vocab/classes.tsv``, WHO subclasses ``class_who.tsv``, systems ``class_systems.tsv``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from extractor.extract.context import Context, Sentence
from extractor.extract.numbers import find_count_percents, find_numbers, parse_number
from extractor.nlp.pipeline import spans_in
from extractor.nlp.rules import regex, vocab_rows
from extractor.records import LNClass, Table

FAMILY = "ln_class"
CONTEXT_BEFORE = 60
CONTEXT_AFTER = 40
CLASS_WORD_WINDOW = 80
_DIGIT_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV", "5": "V", "6": "VI"}
_OCR = {"LLL": "III", "ILL": "III", "LV": "IV", "1V": "IV"}
_V_JOINS = ("+", "and", "with")
_OPTIONAL_JOINS = ("±", "+/-", "with or without")
_POOL_JOINS = ("/", "or")


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex(FAMILY, rule_id)


@dataclass
class ClassMention:
    cls: str
    activity: str | None
    start: int
    end: int
    raw: str
    marked: bool  # has a prefix ("class", "WHO"...), an S/G suffix, an activity or a join
    system: str | None = None
    pair: tuple[str, str] | None = None  # "IV / III" written as two classes


def _roman(token: str | None) -> str | None:
    if not token:
        return None
    t = unicodedata.normalize("NFKC", token).strip()
    if t in _DIGIT_ROMAN:
        return _DIGIT_ROMAN[t]
    up = t.upper()
    return _OCR.get(up, up) if up.replace("L", "I").replace("1", "I") in ("III", "IV", "II", "I", "V", "VI") or up in _OCR else None


def _activity(raw: str | None) -> str | None:
    if not raw:
        return None
    letters = "".join(ch for ch in raw.upper() if ch.isalpha())
    return {"A": "A", "C": "C", "AC": "A/C"}.get(letters)


def _segment(raw: str | None) -> str | None:
    if not raw:
        return None
    return "S" if raw[0].lower() == "s" else "G"


def _who(c1: str, letter: str) -> tuple[str, str | None] | None:
    key = c1 + letter.lower()
    for row in vocab_rows("class_who"):
        if row[1] == key:
            return row[0], (row[2] if len(row) > 2 and row[2] else None)
    return None


def parse_match(m) -> ClassMention | None:  # type: ignore[no-untyped-def]
    """A ``ln_class.mention`` match → canonical class (None when it is not a class)."""
    g = m.groupdict()
    c1 = _roman(g["digit"] or g["c1"])
    if c1 is None:
        return None
    prefix = (g["prefix"] or "").strip()
    if g["digit"] and not _rx("ln_class.digit_prefix").match(prefix):
        return None  # "Type 2" (diabetes), "grade 3" (toxicity)
    activity = _activity(g["act"])
    sg = _segment(g["sg"]) if c1 == "IV" else None
    cls = c1 + (f"-{sg}" if sg else "")
    system = "WHO unspecified" if prefix.upper().startswith("WHO") else "ISN/RPS 2003" if "ISN" in prefix.upper() else None
    if g["who"]:
        mapped = _who(c1, g["who"])
        if mapped is None:
            return None
        cls, activity, system = mapped[0], activity or mapped[1], system or "WHO unspecified"
    pair = None
    join = " ".join((g["join"] or "").lower().split())
    c2 = _roman(g["c2"])
    if c2:
        base = cls.split("-")[0] if "+" not in cls else cls
        if join in _OPTIONAL_JOINS:
            pass
        elif join in _V_JOINS and c2 == "V" and base in ("III", "IV"):
            cls = f"{base}+V"
        elif join in _V_JOINS and base == "V" and c2 in ("III", "IV"):
            cls, activity = f"{c2}+V", activity or _activity(g["act2"])
        elif {base, c2} == {"III", "IV"}:
            cls, pair = "III/IV", (base, c2) if join == "/" else None
        else:
            return None
    marked = bool(prefix or g["digit"] or sg or g["act"] or g["who"] or c2)
    if c1 == "I" and not prefix:
        return None
    return ClassMention(cls, activity, m.start(), m.end(), m.group(0), marked, system, pair)


def find_class_mentions(text: str, table_context: bool = False) -> list[ClassMention]:
    """Class mentions in ``text``; bare numerals ("IV") count only in class tables
    (``table_context``) or after a marked mention in the same text."""
    out: list[ClassMention] = []
    for m in _rx("ln_class.mention").finditer(text):
        if _rx("ln_class.bad_before").search(text[max(0, m.start() - 25) : m.start()]):
            continue
        if _rx("ln_class.bad_after").search(text[m.end() : m.end() + 20]):
            continue
        cm = parse_match(m)
        if cm is None:
            continue
        if not (cm.marked or table_context or any(o.marked for o in out)
                or _rx("ln_class.class_word_before").search(text[max(0, m.start() - CLASS_WORD_WINDOW) : m.start()])):
            continue  # bare "III in 7" counts after "the classes in the A group were"
        out.append(cm)
    return out


def line_after(text: str, end: int, width: int) -> str:
    """The text after a mention up to the end of its line; a line that ends on a dangling "in"
    (a hard-wrapped paragraph: "III+V in" / "42 (20 and 22)") continues on the next line."""
    first, _, rest = text[end:].partition("\n")
    if rest and _rx("ln_class.dangling_after").match(first):
        return (first + " " + rest.split("\n", 1)[0])[:width]
    return first[:width]


def count_near(text: str, start: int, end: int) -> tuple[int | None, int | None, float | None, str] | None:
    """(n, N, percent, rule) written beside a class mention at ``[start, end)``."""
    before = text[max(0, start - CONTEXT_BEFORE) : start]
    cut = before.rfind("\n")
    if cut >= 0 and not before[:cut].rstrip(" ")[-1:].isalpha():  # a hard-wrapped sentence ("had\nclass IV") goes on
        before = before[cut + 1 :]
    before = before.replace("\n", " ")
    m = _rx("ln_class.count_before").search(before)
    if m and m["n"]:
        n = parse_number(m["n"])
        pct = m["pct"] or m["pct2"]
        if n is not None and n == int(n):
            return int(n), None, parse_number(pct) if pct else None, "ln_class.count_before"
    m = _rx("ln_class.pct_before").search(before)
    if m:  # "20.8% of patients had class III, 58.3% class IV"
        return None, None, parse_number(m["pct"]), "ln_class.pct_before"
    after = line_after(text, end, CONTEXT_AFTER)
    m = _rx("ln_class.count_after").match(after) or _rx("ln_class.count_after_word").match(after)
    n_after = parse_number(m["n"]) if m else None
    if m and n_after is not None and n_after == int(n_after):
        N = m.groupdict().get("N")
        return int(n_after), int(N) if N else None, parse_number(m["pct"]) if m.groupdict().get("pct") else None, "ln_class.count_after"
    m = _rx("ln_class.pct_after").match(after)
    if m:
        return None, None, parse_number(m["pct"]), "ln_class.pct_after"
    return None


def _row_values(text: str, end: int, n_arms: int) -> list[tuple[int | None, float | None]] | None:
    """A flattened table row "Class III 28 (15.6) 25 (14.0)": one value per arm (+ a total)."""
    rest = text[end:].split("\n", 1)[0]
    if any(ch.isalpha() for ch in rest):
        return None
    cps = find_count_percents(rest)
    vals = [(c.n, c.percent) for c in cps if c.n is not None] if cps else []
    if not vals:
        vals = [(int(tok), None) for tok in rest.split() if tok.isdigit()]
    return vals[:n_arms] if len(vals) in (n_arms, n_arms + 1) else None


def _arm_list(text: str, end: int, n_arms: int) -> list[int] | None:
    """"class IV in 38, 37 and 36" (one count per arm, in arm order) or "in 12 patients of each group"."""
    after = line_after(text, end, CONTEXT_AFTER + 20)
    m = _rx("ln_class.arm_list_after").match(after)
    if m:
        nums = [int(x.value) for x in find_numbers(m["list"])]
        return nums if len(nums) == n_arms else None
    m = _rx("ln_class.each_arm_after").match(after)
    return [int(m["n"])] * n_arms if m else None


def _is_eligibility(ctx: Context, sent: Sentence) -> bool:
    """An eligibility statement; "WHO criteria" (how biopsies were classified) and "of the 90 eligible
    patients" (the enrolled set as the subject of a distribution) are masked first."""
    system = [(m.start(), m.end()) for rule in ("ln_class.system_criteria", "ln_class.enrolled_set")
              for m in _rx(rule).finditer(sent.text)]
    text = sent.text
    for lo, hi in system:
        text = text[:lo] + " " * (hi - lo) + text[hi:]
    if _rx("ln_class.eligibility").search(text):
        return True
    if ctx.doc is None:
        return False
    cues = spans_in(ctx.doc, "rules", sent.start, sent.end, label="ELIGIBILITY_CUE")
    return any(not any(lo <= sp.start_char - sent.start < hi for lo, hi in system) for sp in cues)


def _document_system(ctx: Context) -> str | None:
    if ctx.doc is None:
        return None
    spans = spans_in(ctx.doc, "vocab", 0, len(ctx.text), label="CLASS_SYSTEM")
    return spans[0].kb_id_ if spans else None


def _pooled(text: str, mentions: list[tuple[str, str | None, int, int, str | None]]) -> set[tuple[int, int]]:
    """Mentions joined by "or" / "/" ("class III+V or IV+V, 19"): one count for several classes."""
    spans = sorted((m[2], m[3], m[0]) for m in mentions)
    out: set[tuple[int, int]] = set()
    for (s1, e1, c1), (s2, e2, _) in zip(spans, spans[1:]):
        if s2 >= e1 and _rx("ln_class.pool_gap").match(text[e1:s2]):
            out |= {(s1, e1), (s2, e2)}
        elif ((s1, e1) in out or "/" in c1) and s2 >= e1 and _rx("ln_class.pool_with_gap").match(text[e1:s2]):
            out |= {(s1, e1), (s2, e2)}  # "class III or IV with V in 12": V joins the pooled pair
    return out


def _clause_arm(ctx: Context, text: str, start: int) -> str | None:
    """The arm named earlier in the same ";"-clause ("in the placebo group, type III 2 examples")."""
    from extractor.extract.arms import arm_for_text
    from extractor.extract.tables import clauses

    for lo, hi in clauses(text):
        if lo <= start < hi:
            return arm_for_text(ctx, text[lo:start])
    return None


def _trailing_arm(ctx: Context, text: str, end: int) -> str | None:
    """The arm named right after a list of classes, with no other arm in between."""
    from extractor.extract.arms import arm_for_text
    from extractor.extract.tables import clauses

    hi = next((h for lo, h in clauses(text) if lo <= end <= h), len(text))
    m = _rx("ln_class.trailing_arm").search(text[:hi], end)
    if m is None or arm_for_text(ctx, text[end : m.start()]):
        return None
    return arm_for_text(ctx, m["label"])


def _from_sentences(ctx: Context) -> list[LNClass]:
    from extractor.extract.ln_class_flat import flat_class_rows
    from extractor.extract.ln_class_split import arm_count_list, derived_count, lead_arm, split_after, split_before

    out: list[LNClass] = []
    for s in ctx.mined_sentences():
        if s.section == "tables" or _is_eligibility(ctx, s) or regex("sentences", "sentences.table_row").search(s.text):
            continue
        flat, covered = flat_class_rows(ctx, s)
        out += flat
        mentions: list[tuple[str, str | None, int, int, str | None]] = [
            (cm.cls, cm.activity, cm.start, cm.end, cm.system) for cm in find_class_mentions(s.text)
            if covered is None or not covered[0] <= cm.start < covered[1]
        ]
        if ctx.doc is not None:
            for sp in spans_in(ctx.doc, "vocab", s.start, s.end, label="LN_CLASS_WORD"):
                if covered is None or not covered[0] <= sp.start_char - s.start < covered[1]:
                    mentions.append((sp.kb_id_, None, sp.start_char - s.start, sp.end_char - s.start, None))
        arms = ctx.state.get("arms") or []
        pooled = _pooled(s.text, mentions)
        base = _rx("ln_class.percent_base").search(s.text)
        for cls, act, start, end, system in mentions:
            if (start, end) in pooled:
                continue
            per_arm = _row_values(s.text, end, len(arms)) if len(arms) > 1 else None
            if per_arm:
                for arm, (n, pct) in zip(arms, per_arm):
                    out.append(LNClass(**{"class": cls}, activity=act, n=n, percent=pct, arm=arm.id, classification_system=system,
                                       evidence=ctx.evidence(s.start + start, s.start + end, "ln_class.flat_row")))
                continue
            listed = _arm_list(s.text, end, len(arms)) if len(arms) > 1 else None
            if listed:
                out += [LNClass(**{"class": cls}, activity=act, n=n, arm=arm.id, classification_system=system,
                                evidence=ctx.evidence(s.start + start, s.start + end, "ln_class.arm_list")) for arm, n in zip(arms, listed)]
                continue
            per_arm_cp = (arm_count_list(ctx, s.text, end) or split_before(ctx, s.text, start)) if len(arms) > 1 else None
            if per_arm_cp:  # "class IV: 37 (58.7%) vs 39 (62.9%)", "37 X and 39 Y patients had class IV"
                out += [LNClass(**{"class": cls}, activity=act, n=n, percent=p, arm=a, classification_system=system,
                                evidence=ctx.evidence(s.start + start, s.start + end, rule)) for a, n, p, rule in per_arm_cp]
                continue
            got = count_near(s.text, start, end)
            if got is None or (got[0] is None and got[2] is None):
                continue
            n, _, pct, rule = got
            if n is None and pct is not None and base:
                n = round(pct * int(base["N"]) / 100)  # "class IV 45.3 %" with "(percentage of the 214 biopsies)"
            elif n is None and pct is not None and rule == "ln_class.pct_before":
                n = derived_count(ctx, s.text, pct)  # the cohort N proves every percent of the list
            split = split_after(ctx, s.text, end, n) if len(arms) > 1 else None
            if split:  # "class III in 17 (MMF 9, CYC 8)": the total and one count per arm
                pct = pct if rule == "ln_class.count_before" else None
                out += [LNClass(**{"class": cls}, activity=act, n=k, arm=arm_id, classification_system=system,
                                evidence=ctx.evidence(s.start + start, s.start + split[1], "ln_class.arm_split")) for arm_id, k in split[0]]
            arm = (_trailing_arm(ctx, s.text, end) or _clause_arm(ctx, s.text, start) or lead_arm(ctx, s.text, start)) \
                if len(arms) > 1 and not split else None
            out.append(LNClass(**{"class": cls}, activity=act, n=n, percent=pct, arm=arm, classification_system=system,
                               evidence=ctx.evidence(s.start + start, s.start + end, rule)))
    return out


def _table_is_about_classes(table: Table) -> bool:
    probe = " ".join([table.caption] + [c for r in table.rows[:1] for c in r.cells] + [r.cells[0] for r in table.rows if r.cells])
    return _rx("ln_class.table_cue").search(probe) is not None


def _cell_count(cell: str) -> tuple[int | None, float | None] | None:
    cps = find_count_percents(cell)
    if cps and (cps[0].n is not None or cps[0].percent is not None):
        return cps[0].n, cps[0].percent
    text = cell.strip()
    if text.isdigit():
        return int(text), None
    m = _rx("ln_class.cell_lead_count").match(text)  # "2 pure membranous"
    return (int(m["n"]), None) if m else None


def _transposed(ctx: Context, table: Table) -> list[LNClass]:
    """Classes as columns and arms as rows ("Group | Examples | III type | IV type | V type")."""
    from extractor.extract.arms import arm_for_text

    cols = {i: ms[0] for i, c in enumerate(table.rows[0].cells) if i > 0 and len(ms := find_class_mentions(c, table_context=True)) == 1}
    if len(cols) < 2:
        return []
    out: list[LNClass] = []
    for row in table.rows[1:]:
        arm = arm_for_text(ctx, row.cells[0]) if row.cells else None
        for i, cm in cols.items():
            got = _cell_count(row.cells[i]) if arm and i < len(row.cells) else None
            if got is not None:
                out.append(LNClass(**{"class": cm.cls}, activity=cm.activity, n=got[0], percent=got[1], arm=arm,
                                   classification_system=cm.system, evidence=ctx.row_evidence(row, "ln_class.table_column")))
    return out


def _from_tables(ctx: Context) -> list[LNClass]:
    from extractor.extract.arms import arm_columns
    from extractor.extract.ln_class_patients import per_patient_table
    from extractor.extract.ln_class_split import measure_label, packed_cells

    out: list[LNClass] = []
    for table in ctx.tables:
        if len(table.rows) < 2:
            continue
        if not _table_is_about_classes(table):
            out.extend(per_patient_table(ctx, table))  # the class header may follow a caption row
            continue
        header = table.rows[0].cells
        col_arm = arm_columns(ctx, header)
        any_arm = any(col_arm.values())
        found_rows = 0
        first_arm = min((i for i, a in col_arm.items() if a), default=0)
        for row in table.rows[1:]:
            if not row.cells:
                continue
            mentions = find_class_mentions(row.cells[0], table_context=True)
            if len(mentions) != 1 or measure_label(row.cells[1:first_arm]):
                continue  # "Class III | CRR | 6/19 | 7/19": a result in the class subgroup, not its size
            cm = mentions[0]
            for i, cell in enumerate(row.cells[1:], 1):
                arm = col_arm.get(i)
                if cm.pair:
                    nums = [x.strip() for x in cell.split("/")]
                    if len(nums) == 2 and all(x.isdigit() for x in nums):
                        for cls, val in zip(cm.pair, nums):
                            out.append(LNClass(**{"class": cls}, activity=None, n=int(val), arm=arm,
                                               classification_system=cm.system, evidence=ctx.row_evidence(row, "ln_class.table_pair")))
                    continue
                got = _cell_count(cell)
                if got is None:
                    continue
                is_total = i < len(header) and regex("arms", "arms.not_arm_label").match(header[i].strip() or "-") is not None
                if any_arm and arm is None and not is_total:
                    continue  # a column that is neither an arm nor a total (e.g. P value)
                out.append(LNClass(**{"class": cm.cls}, activity=cm.activity, n=got[0], percent=got[1], arm=arm,
                                   classification_system=cm.system, evidence=ctx.row_evidence(row, "ln_class.table_row")))
                found_rows += 1
                if not any_arm:
                    break  # no arm columns: the first value column is the count
        if not found_rows:
            out.extend(_transposed(ctx, table) or packed_cells(ctx, table) or per_patient_table(ctx, table))
    return out


def extract_ln_classes(ctx: Context) -> list[LNClass]:
    from extractor.extract.ln_class_patients import per_patient_prose

    mined = [s for s in ctx.mined_sentences()]
    if not any(_rx("ln_class.ln_document").search(s.text) and not _rx("ln_class.exclusion_cue").search(s.text) for s in mined):
        return []
    found = _from_sentences(ctx) + _from_tables(ctx)
    if not found:  # no class summary: count the classes named patient by patient
        found = per_patient_prose(ctx, _is_eligibility)
    system = _document_system(ctx)
    seen: set[tuple] = set()
    with_arm = {(i.class_, i.activity, i.n) for i in found if i.arm is not None and i.n is not None}
    out = []
    for item in found:
        key = (item.class_, item.activity, item.arm, item.n, item.percent)
        if key in seen or (item.arm is None and (item.class_, item.activity, item.n) in with_arm):
            continue  # a repeat, or an unattributed repeat of a per-arm count
        seen.add(key)
        if item.classification_system is None:
            item.classification_system = system
        out.append(item)
    return out
