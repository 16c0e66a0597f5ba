"""LN class rows of a table flattened into running text (PMC text dumps, some PDFs).

"Biopsy class, n (%) III 8 (20.0) 9 (22.0) IV 20 (50.0) 19 (46.3) III + V 4 (10.0) 5 (12.2) V 3 (7.5)
3 (7.3) UPCR, mg/mg ...": after a class-row cue (``ln_class.flat_block_cue``) every class token is
followed by one count per arm (in the order the arms were named; a trailing total is dropped). The
run of class rows ends at the first class whose values are not one per arm, or at the first word that
is not a class (the next table row). Classes are read as in a class table (bare numerals allowed).
"""

from __future__ import annotations

from extractor.extract.context import Context, Sentence
from extractor.extract.numbers import find_count_percents
from extractor.nlp.rules import regex
from extractor.records import LNClass

FAMILY = "ln_class"
PERCENT_TOL = 1.5  # percentage points between a cell's percent and 100·n / arm size


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex(FAMILY, rule_id)


def _values(text: str, n_cols: int) -> list[tuple[int | None, float | None]] | None:
    """The counts written right after a class token, up to the next word; one per column."""
    cut = next((i for i, ch in enumerate(text) if ch.isalpha()), len(text))
    cps = [c for c in find_count_percents(text[:cut]) if c.n is not None]
    if len(cps) not in (n_cols, n_cols + 1):
        return None
    return [(c.n, c.percent) for c in cps[:n_cols]]


def flat_class_rows(ctx: Context, sent: Sentence) -> tuple[list[LNClass], tuple[int, int] | None]:
    """Class rows of a flattened table in ``sent`` and the span (sentence offsets) they cover."""
    from extractor.extract.ln_class import find_class_mentions

    cue = _rx("ln_class.flat_block_cue").search(sent.text)
    if cue is None:
        return [], None
    arms = ctx.state.get("arms") or []
    n_cols = max(len(arms), 1)
    rest = sent.text[cue.end() :]
    mentions = find_class_mentions(rest, table_context=True)
    out: list[LNClass] = []
    pos = 0
    for k, cm in enumerate(mentions):
        if rest[pos : cm.start].strip():
            break  # a word or a number between two class rows: the class rows have ended
        hi = mentions[k + 1].start if k + 1 < len(mentions) else len(rest)
        vals = _values(rest[cm.end : hi], n_cols)
        if vals is None:
            break
        lo = sent.start + cue.end() + cm.start
        for i, (n, pct) in enumerate(vals):
            arm = arms[i].id if len(arms) > 1 else None
            out.append(LNClass(**{"class": cm.cls}, activity=cm.activity, n=n, percent=pct, arm=arm,
                               classification_system=cm.system,
                               evidence=ctx.evidence(lo, sent.start + cue.end() + cm.end, "ln_class.flat_block")))
        cut = next((i for i, ch in enumerate(rest[cm.end : hi]) if ch.isalpha()), hi - cm.end)
        pos = cm.end + cut
    if len({(i.class_, i.activity) for i in out}) < 2:
        return [], None  # one class row alone is not a class block
    sizes = {a.id: a.n for a in arms}
    for item in out:
        size = sizes.get(item.arm) if item.arm else None
        if size and item.n is not None and item.percent is not None and abs(100 * item.n / size - item.percent) > PERCENT_TOL:
            return [], None  # the columns are not the arms in the order they were named
    return out, (cue.start(), cue.end() + pos)
