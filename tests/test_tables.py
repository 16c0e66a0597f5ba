"""Shared reading helpers of the clinical extractors (extractor.extract.tables).

``make_ctx`` builds a Context from a text snippet (naive sentences, one results section and
optional " | " tables) without the NLP pipeline; the other clinical test modules import it.
"""

from __future__ import annotations

from typing import Any

import pytest

from extractor.extract.context import Context, Sentence
from extractor.extract.tables import clauses, find_terms, header_n, table_cells, timepoints_in
from extractor.records import Arm, Document, Section, Table, TableRow

SENTENCE_END = ".!?"


def _sentences(text: str, section: str) -> list[Sentence]:
    out, start = [], 0
    for i, ch in enumerate(text):
        end_here = ch in "\n。" or (ch in SENTENCE_END and (i + 1 == len(text) or text[i + 1] in " \n"))
        if end_here:
            if text[start : i + 1].strip():
                out.append(Sentence(start, i + 1, text[start : i + 1], section))
            start = i + 1
    if text[start:].strip():
        out.append(Sentence(start, len(text), text[start:], section))
    return out


def make_ctx(text: str, state: dict[str, Any] | None = None, *, tables: list[list[list[str]]] | None = None,
             caption: str = "", title: str | None = None, section: str = "results") -> Context:
    """Context of ``text`` plus tables (rows of cells, appended as " | " lines like ingest does)."""
    built: list[Table] = []
    for rows in tables or []:
        trs = []
        for cells in rows:
            line = " | ".join(cells)
            text = text + ("\n" if text and not text.endswith("\n") else "")
            trs.append(TableRow(cells, len(text), len(text) + len(line)))
            text += line
        built.append(Table(trs, caption=caption, start=trs[0].start, end=trs[-1].end))
    doc = Document(path="snippet.txt", sha256="0", kind="text", text=text,
                   sections=[Section(section, 0, len(text))], tables=built, title=title)
    st = dict(state or {})
    if "arms" in st:
        st["arms"] = [a if isinstance(a, Arm) else Arm(**a) for a in st["arms"]]
    return Context(doc, None, _sentences(text, section), st)


TWO_ARMS = [{"id": "A1", "label": "voclosporin", "n": 179, "role": "experimental"},
            {"id": "A2", "label": "placebo", "n": 178, "role": "placebo"}]


@pytest.mark.parametrize(
    ("text", "vocab", "want"),
    [
        ("sledai-2k was 10", "measures", ["sledai"]),
        ("SLEDAI 2K and SELENA-SLEDAI", "measures", ["sledai", "sledai"]),
        ("serum creatinine (SCr) and Cr", "measures", ["serum_creatinine", "serum_creatinine", "serum_creatinine"]),
        ("CR in 3, Cr 1.2 mg/dL", "response_terms", ["complete"]),
        ("complete renal responses and PRs", "response_terms", ["complete", "partial"]),
        ("10 mg of chlorpheniramine maleate", "agents", ["chlorpheniramine"]),
        ("hUC-MSCs and AD-MSC", "agents", ["umbilical cord mesenchymal stem cells", "adipose-derived mesenchymal stem cells"]),
        ("Crescent formation", "measures", []),  # "Cr" is a whole word only
        ("ACRONYM", "response_terms", []),
    ],
)
def test_find_terms(text: str, vocab: str, want: list[str]) -> None:
    got = find_terms(text, vocab)
    assert [t.canonical for t in got] == want
    for t in got:
        assert text[t.start : t.end] == t.surface


def test_find_terms_offsets_survive_folding() -> None:
    text = "At 1 week the ﬁrst SLEDAI‐2K score was 10"
    [t] = find_terms(text, "measures")
    assert text[t.start : t.end] in {"SLEDAI‐2K score", "SLEDAI‐2K"}


def test_find_terms_offsets_after_collapsed_spaces_and_expanded_characters() -> None:
    # "ﬁ" expands to two characters and " - " / "\n\n" collapse to one space: offsets still
    # point into the original text, the same on a second (cached) call
    text = "The ﬁrst  -  complete renal response (CR) in lupus\n\nnephritis; Cr  rose"
    for _ in range(2):
        got = find_terms(text, "response_terms")
        assert got and all(text[t.start : t.end] == t.surface for t in got)
        assert "CR" in [t.surface for t in got] and "Cr" not in [t.surface for t in got]


def test_clauses_split_on_semicolons_outside_brackets() -> None:
    text = "At 1 month, X was 8 (2 12);At 3 months, X was 6 (95% CI 1; 2)。Done"
    parts = [text[s:e] for s, e in clauses(text)]
    assert parts == ["At 1 month, X was 8 (2 12)", "At 3 months, X was 6 (95% CI 1; 2)", "Done"]


def test_header_n() -> None:
    assert header_n("Voclosporin (n=179)") == 179
    assert header_n("Placebo (N = 178)") == 178
    assert header_n("Week 24") is None


def test_timepoints_in_sentence_final_stop() -> None:
    [tm] = timepoints_in("receiving placebo at week 52.")
    assert (tm.value, tm.unit) == (52, "week")


def test_table_cells_arm_and_time_headers() -> None:
    ctx = make_ctx("Results.", {"arms": TWO_ARMS}, tables=[[
        ["Outcome", "Voclosporin (n=179)", "Placebo (n=178)"],
        ["Efficacy"],
        ["Complete renal response, n (%)", "73 (40.8)", "40 (22.5)"],
    ]])
    cells = table_cells(ctx, ctx.tables[0])
    assert [(c.text, c.arm, c.n, c.group) for c in cells] == [
        ("73 (40.8)", "A1", 179, "Efficacy"), ("40 (22.5)", "A2", 178, "Efficacy")]
    assert all(ctx.text[c.start : c.end] == c.text for c in cells)


def test_table_cells_time_columns() -> None:
    ctx = make_ctx("", tables=[[["Measure", "Baseline", "Week 24", "Week 52"], ["SLEDAI-2K", "12 (8-16)", "8 (4-10)", "6 (2-8)"]]])
    cells = table_cells(ctx, ctx.tables[0])
    assert [(c.time.value, c.time.unit) for c in cells if c.time] == [(0, "day"), (24, "week"), (52, "week")]
