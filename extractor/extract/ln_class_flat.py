"""LN class rows of a table flattened into running text (PMC text dumps, some PDFs).

"Biopsy class, n (%) III 8 (20.0) 9 (22.0) IV 20 (50.0) 19 (46.3) III + V 4 (10.0) 5 (12.2) V 3 (7.5)
3 (7.3) UPCR, mg/mg ...": after a class-row cue (``ln_class.flat_block_cue``) every class token is
followed by one count per arm (in the order the arms were named; a trailing total column, announced by
``ln_class.flat_total`` before the cue, is dropped). The run of class rows ends at the first word that
is not a class (the next table row). Also the compact "class III/IV/V: 12/30/8" (:func:`slash_class_list`). When a row has another number of values than there are arms
(or the arms are unknown and a row has several values), nothing is read and the block is only marked
as covered, so that its numbers are not read as prose counts. Classes are read as in a class table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from extractor.extract.context import Context, Sentence
from extractor.extract.numbers import find_count_percents
from extractor.nlp.rules import regex
from extractor.records import LNClass

if TYPE_CHECKING:
    from extractor.extract.ln_class import ClassMention

FAMILY = "ln_class"
PERCENT_TOL = 1.5  # percentage points between a cell's percent and 100·n / arm size


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex(FAMILY, rule_id)


def _values(text: str) -> list[tuple[int | None, float | None]]:
    """The counts written right after a class token, up to the next word."""
    cut = next((i for i, ch in enumerate(text) if ch.isalpha()), len(text))
    head = text[:cut]
    vals = [(c.n, c.percent) for c in find_count_percents(head) if c.n is not None]
    if not vals and head.split() and all(tok.isdigit() for tok in head.split()):
        vals = [(int(tok), None) for tok in head.split()]  # bare counts "6 8 14"
    return vals


def flat_class_rows(ctx: Context, sent: Sentence) -> tuple[list[LNClass], tuple[int, int] | None]:
    """Class rows of a flattened table in ``sent`` and the span (sentence offsets) they cover."""
    from extractor.extract.ln_class import find_class_mentions

    cue = _rx("ln_class.flat_block_cue").search(sent.text)
    if cue is None:
        return slash_class_list(ctx, sent)
    arms = ctx.state.get("arms") or []
    if len(arms) < 2:
        arms = []
    rest = sent.text[cue.end() :]
    mentions = find_class_mentions(rest, table_context=True)
    rows: list[tuple[int, int, ClassMention, list[tuple[int | None, float | None]]]] = []
    pos = 0
    for k, cm in enumerate(mentions):
        if rest[pos : cm.start].strip():
            break  # a word or a number between two class rows: the class rows have ended
        hi = mentions[k + 1].start if k + 1 < len(mentions) else len(rest)
        vals = _values(rest[cm.end : hi])
        if not vals:
            break
        rows.append((cm.start, cm.end, cm, vals))
        pos = cm.end + next((i for i, ch in enumerate(rest[cm.end : hi]) if ch.isalpha()), hi - cm.end)
    if len({(r[2].cls, r[2].activity) for r in rows}) < 2:
        return [], None  # one class row alone is not a class block
    covered = (cue.start(), cue.end() + pos)
    n_cols = max(len(arms), 1)
    total = _rx("ln_class.flat_total").search(sent.text[: cue.start()]) is not None
    if any(len(v) != n_cols and not (total and len(v) == n_cols + 1) for *_, v in rows):
        return [], covered  # columns that are not one per arm: read nothing, and nothing else here
    out: list[LNClass] = []
    sizes = {a.id: a.n for a in arms}
    for lo, hi, cm, vals in rows:
        for i, (n, pct) in enumerate(vals[:n_cols]):
            arm = arms[i].id if arms else None
            size = sizes.get(arm) if arm else None
            if size and n is not None and pct is not None and abs(100 * n / size - pct) > PERCENT_TOL:
                return [], covered  # the columns are not the arms in the order they were named
            out.append(LNClass(**{"class": cm.cls}, activity=cm.activity, n=n, percent=pct, arm=arm,
                               classification_system=cm.system,
                               evidence=ctx.evidence(sent.start + cue.end() + lo, sent.start + cue.end() + hi, "ln_class.flat_block")))
    return out, covered


def slash_class_list(ctx: Context, sent: Sentence) -> tuple[list[LNClass], tuple[int, int] | None]:
    """"Class III/IV/V: 12/30/8": three or more classes and as many counts, in the same order.
    A second list later in the sentence (another arm: "... vs 10/32/8") is not attributed: nothing is read."""
    m = _rx("ln_class.slash_list").search(sent.text)
    if m is None:
        return [], None
    classes = [c.strip() for c in m["classes"].split("/")]
    counts = [int(c) for c in m["counts"].split("/")]
    more = _rx("ln_class.slash_list_more").search(sent.text[m.end() :])
    covered = (m.start(), len(sent.text) if more else m.end())
    if more or len(classes) != len(counts) or len(set(classes)) != len(classes):
        return [], covered
    lo, hi = sent.start + m.start(), sent.start + m.end()
    return [LNClass(**{"class": cls}, activity=None, n=n, arm=None, evidence=ctx.evidence(lo, hi, "ln_class.slash_list"))
            for cls, n in zip(classes, counts)], covered
