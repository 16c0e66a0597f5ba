"""The data that travels through the pipeline.

Two families live here, both foundation (they import nothing internal):

* the ingested :class:`Document` (text, pages, sections, tables, character boxes) that
  ``ingest`` produces and everything downstream reads;
* the pydantic models of ``EVIDENCE_FORMAT.md`` (:class:`EvidenceRecord` and its items)
  that ``extract`` produces, ``store`` keeps and ``evidence extract`` prints.

Offsets are always character offsets into ``Document.text`` (the text that
``evidence text FILE`` prints); pages are 1-based.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# --------------------------------------------------------------------------------------
# Ingested documents
# --------------------------------------------------------------------------------------

SECTION_NAMES = (
    "title",
    "abstract",
    "introduction",
    "methods",
    "results",
    "discussion",
    "references",
    "tables",
    "other",
)

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points, top-left origin


@dataclass(slots=True)
class Page:
    number: int  # 1-based
    start: int  # offset of the page's first character in Document.text
    end: int
    width: float | None = None
    height: float | None = None


@dataclass(slots=True)
class Section:
    name: str  # one of SECTION_NAMES
    start: int
    end: int
    heading: str = ""


@dataclass(slots=True)
class TableRow:
    cells: list[str]
    start: int  # offsets of the row's line in Document.text
    end: int
    bbox: BBox | None = None


@dataclass(slots=True)
class Table:
    rows: list[TableRow]
    page: int | None = None
    caption: str = ""
    label: str = ""  # "Table 2"
    start: int = 0
    end: int = 0
    bbox: BBox | None = None
    source: str = ""  # "pdfplumber", "jats", "markdown", "text"
    # spans of Document.text (page text) the table was built from: its flattened copy in the
    # body, which the rows appended in the "tables" section repeat (empty: rows are the text)
    regions: list[tuple[int, int]] = field(default_factory=list)


@dataclass(slots=True)
class Sentence:
    """A sentence (or table row line) of Document.text, as the NLP stage split it."""

    start: int
    end: int
    text: str
    section: str | None
    span: Any = None  # the spaCy sentence Span, when parsed


@dataclass(slots=True)
class Document:
    """One ingested report. ``text`` is the single source of truth for offsets."""

    path: str
    sha256: str
    kind: str  # "pdf", "text", "markdown", "pubmed", "jats"
    text: str
    pages: list[Page] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    title: str | None = None
    year: int | None = None
    pmid: str | None = None
    doi: str | None = None
    doc_id: str | None = None  # stable id; defaults to file stem (PubMed: stem#pmid)
    # per-character boxes for PDFs: boxes[i] is the box of text[i] on page_of(i), or None
    boxes: list[BBox | None] | None = None
    warnings: list[str] = field(default_factory=list)

    def page_of(self, offset: int) -> int | None:
        for page in self.pages:
            if page.start <= offset < page.end or (offset == page.end and page is self.pages[-1]):
                return page.number
        table = self.table_at(offset)
        return table.page if table is not None else None

    def table_at(self, offset: int) -> Table | None:
        """The table whose text block (caption and rows) holds ``offset``."""
        for table in self.tables:
            if table.start <= offset < table.end:
                return table
        return None

    def section_of(self, offset: int) -> str | None:
        for section in self.sections:
            if section.start <= offset < section.end:
                return section.name
        return None

    def bbox_of(self, start: int, end: int) -> BBox | None:
        """Union of the character boxes in ``[start, end)`` on the page of ``start``."""
        if self.boxes is None:
            return None
        table = self.table_at(start)
        if table is not None and not any(p.start <= start < p.end for p in self.pages):
            for row in table.rows:  # appended table text has no character boxes: use the row's
                if row.start <= start < row.end and row.bbox is not None:
                    return row.bbox
            return table.bbox
        page = next((p for p in self.pages if p.start <= start < p.end), None)
        if page is None:  # between pages: only inserted separators, which have no box
            return None
        picked = [
            box for box in self.boxes[max(start, page.start) : min(end, page.end)] if box is not None
        ]  # the characters of the span that lie on the page of ``start``
        if not picked:
            return None
        return (
            round(min(b[0] for b in picked), 2),
            round(min(b[1] for b in picked), 2),
            round(max(b[2] for b in picked), 2),
            round(max(b[3] for b in picked), 2),
        )


# --------------------------------------------------------------------------------------
# EVIDENCE_FORMAT items
# --------------------------------------------------------------------------------------

TimeUnit = Literal["minute", "hour", "day", "week", "month", "year"]
DesignType = Literal["single-arm", "randomised", "non-randomised-controlled", "case-series", "cohort", "other"]
ArmRole = Literal["experimental", "control", "placebo", "other"]
InterventionRole = Literal["study", "comparator", "background", "premedication"]
Route = Literal["iv", "oral", "sc", "im", "other"]
OutcomeStat = Literal["mean", "median", "count", "percent", "change", "other"]
SpreadKind = Literal["sd", "se", "iqr", "range", "ci95"]
ResponseType = Literal[
    "complete",
    "partial",
    "overall",
    "none",
    "perr",
    "major_clinical",
    "partial_clinical",
    "sri4",
    "relapse",
    "other",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class Evidence(_Model):
    page: int | None = None
    start: int
    end: int
    section: str | None = None
    text: str
    rule: str
    bbox: list[float] | None = None
    # offsets of the value itself inside the document text (within start..end)
    span: list[int] | None = None


class TimePoint(_Model):
    value: float
    unit: TimeUnit
    label: str | None = None  # "baseline", "last follow-up", ...


class Spread(_Model):
    kind: SpreadKind
    value: float | None = None  # sd / se
    low: float | None = None  # iqr / range / ci95
    high: float | None = None


class Stat(_Model):
    """A summary of a cohort characteristic (age, disease duration)."""

    stat: Literal["mean", "median", "range", "other"]
    value: float | None = None
    low: float | None = None
    high: float | None = None
    spread: Spread | None = None
    unit: TimeUnit | None = None


class FollowUp(_Model):
    value: float
    unit: TimeUnit


class DocumentInfo(_Model):
    id: str
    path: str | None = None
    sha256: str | None = None
    pages: int | None = None
    title: str | None = None
    year: int | None = None
    registry_ids: list[str] = Field(default_factory=list)
    pmid: str | None = None
    doi: str | None = None


class Design(_Model):
    type: DesignType | None = None
    phase: str | None = None
    randomised: bool | None = None
    blinding: str | None = None
    follow_up: FollowUp | None = None


class Item(_Model):
    evidence: Evidence | None = None
    repaired: str | None = None
    optional: bool | None = None  # gold only: implied but not stated


class Arm(Item):
    id: str
    label: str
    n: int | None = None
    role: ArmRole | None = None


class Cohort(Item):
    n: int | None = None
    female: int | None = None
    male: int | None = None
    age: Stat | None = None
    disease_duration: Stat | None = None


class LNClass(Item):
    class_: str = Field(alias="class")
    activity: str | None = None
    n: int | None = None
    percent: float | None = None
    arm: str | None = None
    classification_system: str | None = None


class Intervention(Item):
    arm: str | None = None
    role: InterventionRole
    agent: str
    amount: float | None = None
    amount_high: float | None = None
    unit: str | None = None
    per: Literal["kg", "m2"] | None = None
    route: Route | None = None
    schedule: str | None = None
    doses: int | None = None


class Outcome(Item):
    measure: str
    arm: str | None = None
    time: TimePoint | None = None
    stat: OutcomeStat
    value: float | None = None
    unit: str | None = None
    spread: Spread | None = None
    n: int | None = None


class Response(Item):
    type: ResponseType
    arm: str | None = None
    time: TimePoint | None = None
    n: int | None = None
    N: int | None = None
    percent: float | None = None
    definition: str | None = None


class AdverseEvent(Item):
    term: str
    arm: str | None = None
    n: int | None = None
    percent: float | None = None
    serious: bool | None = None


class Check(_Model):
    check: str
    status: Literal["ok", "mismatch", "repaired", "warning"]
    detail: str


class EvidenceRecord(_Model):
    """One document's extraction: exactly the shape of EVIDENCE_FORMAT.md."""

    document: DocumentInfo
    design: Design = Field(default_factory=Design)
    arms: list[Arm] = Field(default_factory=list)
    cohort: Cohort | None = None
    ln_classes: list[LNClass] = Field(default_factory=list)
    interventions: list[Intervention] = Field(default_factory=list)
    outcomes: list[Outcome] = Field(default_factory=list)
    responses: list[Response] = Field(default_factory=list)
    adverse_events: list[AdverseEvent] = Field(default_factory=list)
    checks: list[Check] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    def to_json_dict(self) -> dict:
        return self.model_dump(mode="json", by_alias=True, exclude_none=False)


ITEM_KINDS = ("arms", "cohort", "ln_classes", "interventions", "outcomes", "responses", "adverse_events")
