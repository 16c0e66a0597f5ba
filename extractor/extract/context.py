"""What every extractor receives: the Document, its parsed spaCy Doc, and evidence helpers.

Extractors are functions ``extract_<kind>(ctx: Context) -> list[Item]`` (see ``run.py``).
They read sentences and tables from here and build provenance with :meth:`Context.evidence`
so that every item carries page, offsets, section, text, rule id and (PDF) bbox.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from extractor.records import Document, Evidence, Sentence, Table, TableRow

if TYPE_CHECKING:
    from spacy.tokens import Doc

# sections whose sentences are never mined
UNMINED_SECTIONS = frozenset({"references"})


@dataclass
class Context:
    document: Document
    doc: Doc | None = None
    sentences: list[Sentence] = field(default_factory=list)
    # shared state filled by earlier extractors (arms before outcomes, cohort N before repairs...)
    state: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.document.text

    @property
    def tables(self) -> list[Table]:
        return self.document.tables

    def mined_sentences(self) -> list[Sentence]:
        """Sentences worth mining: not references, and not the flattened page-text copy of a
        table that is also present, row by row, in the tables section."""
        regions = sorted(
            region for table in self.document.tables for region in getattr(table, "regions", ())
        )
        out = []
        for sent in self.sentences:
            if sent.section in UNMINED_SECTIONS:
                continue
            if regions and any(lo <= sent.start and sent.end <= hi for lo, hi in regions):
                continue
            out.append(sent)
        return out

    def sentence_at(self, offset: int) -> Sentence | None:
        lo, hi = 0, len(self.sentences) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            sent = self.sentences[mid]
            if offset < sent.start:
                hi = mid - 1
            elif offset >= sent.end:
                lo = mid + 1
            else:
                return sent
        return None

    def evidence(
        self,
        start: int,
        end: int,
        rule: str,
        *,
        context: tuple[int, int] | None = None,
    ) -> Evidence:
        """Evidence for a value at ``[start, end)``.

        ``start``/``end`` of the Evidence cover the sentence (or table row) that holds the
        value, ``text`` is exactly ``document.text[start:end]`` and ``span`` is the value.
        ``context`` overrides the enclosing span (e.g. a table row).
        """
        if context is None:
            sent = self.sentence_at(start)
            context = (sent.start, sent.end) if sent else (start, end)
        c_start, c_end = min(context[0], start), max(context[1], end)
        doc = self.document
        bbox = doc.bbox_of(start, end)
        return Evidence(
            page=doc.page_of(start),
            start=c_start,
            end=c_end,
            section=doc.section_of(start),
            text=doc.text[c_start:c_end].strip(),
            rule=rule,
            bbox=list(bbox) if bbox else None,
            span=[start, end],
        )

    def row_evidence(self, row: TableRow, rule: str, start: int | None = None, end: int | None = None) -> Evidence:
        """Evidence for a value read from a table row (the row is the context)."""
        s = row.start if start is None else start
        e = row.end if end is None else end
        return self.evidence(s, e, rule, context=(row.start, row.end))
