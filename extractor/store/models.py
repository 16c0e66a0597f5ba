"""Every database table, in one module (sqlmodel's code-structure tutorial).

Layout
------
* ``documents``: one row per extracted document. ``doc_id`` is unique; ``sha256`` is the
  document's hash and ``file_sha256`` the hash of the file it came from (a PubMed collection
  gives several documents from one file), so ``(sha256, doc_id)`` is unique and a file whose
  ``file_sha256`` is stored with the current ``rules_hash`` is skipped before parsing.
  ``extracted_id`` is the id the extractor gave; ``doc_id`` equals it unless another file that
  still exists holds that id (``x.pdf`` beside ``x.md``): then it is ``x.md`` (see ``db._claim``).
  The whole ``DocumentInfo`` and ``Design`` objects are kept as JSON beside their columns.
* one table per item kind (``arms``, ``cohort``, ``ln_classes``, ``interventions``,
  ``outcomes``, ``responses``, ``adverse_events``): the table *is* the kind, so the natural key
  ``(document_id, kind, ordinal)`` is ``UNIQUE(document_id, ordinal)`` on each table. Every row
  has the item's queryable fields as columns, the whole item dict as JSON (``item``; nothing is
  lost, extra keys included) and its ``item_key``: a hash of the item's identifying fields that
  stays the same when a document is re-extracted, for curations keyed by
  ``(doc_id, kind, item_key)``.
* evidence is **inline** on each item row (``ev_page``, ``ev_start``, ``ev_end``,
  ``ev_section``, ``ev_text``, ``ev_rule``, ``ev_bbox``, ``ev_span``): an item has at most one
  evidence object, so a separate table would only add a join.
* ``checks`` (arithmetic checks of a document), ``runs`` (one per ``evidence ingest``) and
  ``errors`` (one per file that failed in a run).

Classes follow ``Base`` (shared columns, no table) -> ``Table(table=True)``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


# --------------------------------------------------------------------------------------
# runs and errors
# --------------------------------------------------------------------------------------


class Run(SQLModel, table=True):
    __tablename__ = "runs"

    id: int | None = Field(default=None, primary_key=True)
    started: datetime = Field(default_factory=utcnow)
    finished: datetime | None = None
    rules_hash: str
    files_ok: int = 0
    files_failed: int = 0
    files_skipped: int = 0


class ErrorRow(SQLModel, table=True):
    __tablename__ = "errors"

    id: int | None = Field(default=None, primary_key=True)
    path: str = Field(index=True)
    reason: str
    at: datetime = Field(default_factory=utcnow)
    run_id: int | None = Field(default=None, foreign_key="runs.id", index=True)


# --------------------------------------------------------------------------------------
# documents
# --------------------------------------------------------------------------------------


class DocumentRow(SQLModel, table=True):
    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("sha256", "doc_id", name="uq_documents_sha256_doc_id"),)

    id: int | None = Field(default=None, primary_key=True)
    doc_id: str = Field(unique=True, index=True)  # the store's id (see db._claim)
    extracted_id: str = Field(index=True)  # the id the reader / extractor gave
    sha256: str = Field(index=True)
    file_sha256: str = Field(index=True)
    path: str = Field(index=True)  # absolute
    kind: str
    pages: int | None = None
    title: str | None = None
    year: int | None = None
    pmid: str | None = Field(default=None, index=True)
    doi: str | None = None
    registry_ids: list[str] = Field(default_factory=list, sa_type=JSON)
    design_type: str | None = None
    phase: str | None = None
    randomised: bool | None = None
    blinding: str | None = None
    follow_up_value: float | None = None
    follow_up_unit: str | None = None
    text_length: int = 0
    rules_hash: str
    extractor_version: str = ""  # with file_sha256 and rules_hash: the "already stored" key
    record_sha256: str  # hash of the extracted record: same file, same record -> nothing to write
    extracted_at: datetime = Field(default_factory=utcnow)
    run_id: int | None = Field(default=None, foreign_key="runs.id")
    info: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)  # DocumentInfo as JSON
    design: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)  # Design as JSON
    warnings: list[str] = Field(default_factory=list, sa_type=JSON)


# --------------------------------------------------------------------------------------
# items
# --------------------------------------------------------------------------------------


class ItemBase(SQLModel):
    """Columns every item row has: position, identity, the whole item, inline evidence."""

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="documents.id", ondelete="CASCADE", index=True)
    ordinal: int
    item_key: str = Field(index=True)
    item: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    repaired: str | None = None
    ev_page: int | None = None
    ev_start: int | None = None
    ev_end: int | None = None
    ev_section: str | None = None
    ev_text: str | None = None
    ev_rule: str | None = None
    ev_bbox: list[float] | None = Field(default=None, sa_type=JSON)
    ev_span: list[int] | None = Field(default=None, sa_type=JSON)


def _item_args(table: str) -> tuple[Any, ...]:
    return (UniqueConstraint("document_id", "ordinal", name=f"uq_{table}_document_ordinal"),)


class ArmRow(ItemBase, table=True):
    __tablename__ = "arms"
    __table_args__ = _item_args("arms")

    arm_id: str
    label: str
    n: int | None = None
    role: str | None = None


class CohortRow(ItemBase, table=True):
    __tablename__ = "cohort"
    __table_args__ = _item_args("cohort")

    n: int | None = None
    female: int | None = None
    male: int | None = None


class LNClassRow(ItemBase, table=True):
    __tablename__ = "ln_classes"
    __table_args__ = _item_args("ln_classes")

    ln_class: str
    activity: str | None = None
    n: int | None = None
    percent: float | None = None
    arm: str | None = None


class InterventionRow(ItemBase, table=True):
    __tablename__ = "interventions"
    __table_args__ = _item_args("interventions")

    arm: str | None = None
    role: str
    agent: str = Field(index=True)
    amount: float | None = None
    amount_high: float | None = None
    unit: str | None = None
    per: str | None = None
    route: str | None = None
    schedule: str | None = None
    doses: int | None = None


class OutcomeRow(ItemBase, table=True):
    __tablename__ = "outcomes"
    __table_args__ = _item_args("outcomes")

    measure: str = Field(index=True)
    arm: str | None = None
    time_value: float | None = None
    time_unit: str | None = None
    time_label: str | None = None
    stat: str
    value: float | None = None
    unit: str | None = None
    spread_kind: str | None = None
    n: int | None = None


class ResponseRow(ItemBase, table=True):
    __tablename__ = "responses"
    __table_args__ = _item_args("responses")

    type: str = Field(index=True)
    arm: str | None = None
    time_value: float | None = None
    time_unit: str | None = None
    n: int | None = None
    n_total: int | None = None  # the item's N (SQL column names ignore case)
    percent: float | None = None
    definition: str | None = None


class AdverseEventRow(ItemBase, table=True):
    __tablename__ = "adverse_events"
    __table_args__ = _item_args("adverse_events")

    term: str
    arm: str | None = None
    n: int | None = None
    percent: float | None = None
    serious: bool | None = None


class CheckRow(SQLModel, table=True):
    __tablename__ = "checks"
    __table_args__ = (UniqueConstraint("document_id", "ordinal", name="uq_checks_document_ordinal"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="documents.id", ondelete="CASCADE", index=True)
    ordinal: int
    check: str
    status: str
    detail: str
    item: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


ITEM_TABLES: dict[str, type[ItemBase]] = {
    "arms": ArmRow,
    "cohort": CohortRow,
    "ln_classes": LNClassRow,
    "interventions": InterventionRow,
    "outcomes": OutcomeRow,
    "responses": ResponseRow,
    "adverse_events": AdverseEventRow,
}
"""Item kind (the EvidenceRecord key) -> its table."""

DOCUMENT_TABLES: tuple[type[SQLModel], ...] = (*ITEM_TABLES.values(), CheckRow)
"""Every table whose rows belong to one document (deleted when it is replaced)."""
