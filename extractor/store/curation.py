"""Curations: a reviewer's accept / edit / reject of an extracted item, kept apart from extraction.

A curation is one row of ``curations`` keyed by ``(doc_id, kind, item_key)``: the document's
stable id, the item kind (``responses``...) and the item's stable ``item_key`` (store/rows.py,
a hash of the fields that identify the item). Extraction rows are replaced when a file is
re-ingested; curations are not, so a re-extracted item with the same key gets its curation
again. Curations are an append-only log, applied in order on top of the extracted item:

* ``edit`` sets one (dotted) field, e.g. ``n`` or ``time.value``; the edited item must still
  be a valid item of its kind (records.py), so an edit cannot smuggle in a sentinel string;
* ``reject`` hides the item everywhere (queries, exports, meta-analysis);
* ``accept`` confirms it (and undoes an earlier reject).

The status of an item is ``rejected`` (last accept/reject was a reject), else ``edited`` (any
edit), else ``accepted``, else ``extracted``.
"""

from __future__ import annotations

import copy
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ValidationError
from sqlalchemy import JSON, Engine, bindparam
from sqlmodel import Field, Session, SQLModel, select

from extractor.errors import ExtractorError
from extractor.records import AdverseEvent, Arm, Cohort, EvidenceRecord, Intervention, LNClass, Outcome, Response
from extractor.store.db import guard, load_record
from extractor.store.models import ITEM_TABLES, DocumentRow, ItemBase, utcnow
from extractor.store.read import StudySummary, study_summaries
from extractor.store.rows import get_path

Action = Literal["accept", "edit", "reject"]
Status = Literal["extracted", "accepted", "edited", "rejected"]
ACTIONS: tuple[str, ...] = ("accept", "edit", "reject")
STATUSES: tuple[str, ...] = ("extracted", "accepted", "edited", "rejected")

KIND_MODELS: dict[str, type[BaseModel]] = {
    "arms": Arm,
    "cohort": Cohort,
    "ln_classes": LNClass,
    "interventions": Intervention,
    "outcomes": Outcome,
    "responses": Response,
    "adverse_events": AdverseEvent,
}
"""Item kind -> the records model an edited item must still validate against."""

MAX_POSITION_DIGITS = 7
"""``responses:12`` is a position; a longer all-digit suffix is an item_key (16 hex characters)."""
NOT_EDITABLE = frozenset({"evidence", "optional", "curation"})


class CurationError(ExtractorError, ValueError):
    """A curation names an unknown item or field, or its value does not fit the item."""


class Curation(SQLModel, table=True):
    __tablename__ = "curations"

    id: int | None = Field(default=None, primary_key=True)
    doc_id: str = Field(index=True)
    kind: str
    item_key: str = Field(index=True)
    action: str
    field: str | None = None
    value: Any = Field(default=None, sa_type=JSON)
    curator: str | None = None
    note: str | None = None
    at: datetime = Field(default_factory=utcnow)


# --------------------------------------------------------------------------------------
# pure: applying curations to one item
# --------------------------------------------------------------------------------------


@dataclass(slots=True)
class CuratedItem:
    """One stored item with its curations applied."""

    doc_id: str
    kind: str
    ordinal: int
    item_key: str
    item: dict[str, Any]  # curated values
    original: dict[str, Any]  # as extracted
    status: str = "extracted"
    curations: list[Curation] = field(default_factory=list)
    row: ItemBase | None = None

    @property
    def ref(self) -> str:
        """The id review/show print and ``curate`` takes: ``responses:3`` (1-based)."""
        return f"{self.kind}:{self.ordinal + 1}"

    @property
    def edited_fields(self) -> list[str]:
        return list(dict.fromkeys(c.field for c in self.curations if c.action == "edit" and c.field))


def _set_path(item: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    target = item
    for part in parts[:-1]:
        nxt = target.get(part)
        if not isinstance(nxt, dict):
            nxt = {}
            target[part] = nxt
        target = nxt
    target[parts[-1]] = value


def apply_curations(item: Mapping[str, Any], curations: Sequence[Curation]) -> tuple[dict[str, Any], str]:
    """``item`` with ``curations`` applied in order, and its status."""
    out = copy.deepcopy(dict(item))
    rejected = accepted = edited = False
    for cur in sorted(curations, key=lambda c: (c.at, c.id or 0)):
        if cur.action == "edit" and cur.field:
            _set_path(out, cur.field, copy.deepcopy(cur.value))
            edited = True
        elif cur.action == "reject":
            rejected = True
        elif cur.action == "accept":
            rejected, accepted = False, True
    status = "rejected" if rejected else "edited" if edited else "accepted" if accepted else "extracted"
    return out, status


def _model_keys(model: type[BaseModel]) -> set[str]:
    return {info.alias or name for name, info in model.model_fields.items()}


def checked_edit(kind: str, item: Mapping[str, Any], path: str, value: Any) -> Any:
    """The value ``path`` gets once ``item`` (with the edit) is validated; CurationError if it does not fit."""
    model = KIND_MODELS.get(kind)
    if model is None:
        raise CurationError(f"unknown item kind {kind!r} (choose: {', '.join(KIND_MODELS)})")
    head = path.split(".")[0]
    allowed = _model_keys(model) - NOT_EDITABLE
    if head not in allowed or not path.replace(".", "").replace("_", "").isalnum():
        raise CurationError(f"{kind} have no field {path!r} (fields: {', '.join(sorted(allowed))})")
    trial = copy.deepcopy(dict(item))
    _set_path(trial, path, value)
    try:
        validated = model.model_validate(trial).model_dump(mode="json", by_alias=True)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or path
        raise CurationError(f"{path}={json.dumps(value)} does not fit a {kind} item ({where}: {first['msg']})") from None
    return get_path(validated, path)


PERCENT_SLACK = 0.15
"""A reported percentage matches n/N when within 0.15 points (rounding to one decimal)."""


def consistency_notes(kind: str, item: Mapping[str, Any]) -> list[str]:
    """What an edit left inconsistent inside the item (reported, never fixed silently)."""
    n, total, percent = item.get("n"), item.get("N"), item.get("percent")
    if kind == "responses" and n is not None and total and percent is not None:
        actual = 100 * n / total
        if abs(actual - percent) > PERCENT_SLACK:
            return [f"percent {percent:g} no longer matches {n}/{total} = {actual:.1f}% (--set percent=... to correct it)"]
    if kind == "responses" and n is not None and total is not None and n > total:
        return [f"n {n} is larger than N {total}"]
    return []


def parse_value(text: str) -> Any:
    """``5`` -> 5, ``null`` -> None, ``true`` -> True, ``"x"``/``x`` -> "x" (JSON if it parses)."""
    try:
        return json.loads(text)
    except ValueError:
        return text


# --------------------------------------------------------------------------------------
# database
# --------------------------------------------------------------------------------------


def _stored_rows(session: Session, doc_id: str, kind: str | None = None) -> tuple[DocumentRow, dict[str, list[ItemBase]]]:
    doc = session.exec(select(DocumentRow).where(DocumentRow.doc_id == bindparam("doc_id", doc_id))).first()
    if doc is None:
        raise CurationError(f"no study {doc_id!r} in the database")
    rows: dict[str, list[ItemBase]] = {}
    for name, table in ITEM_TABLES.items():
        if kind is not None and name != kind:
            continue
        query = select(table).where(table.document_id == doc.id).order_by(table.ordinal)  # type: ignore[attr-defined]
        rows[name] = list(session.exec(query).all())
    return doc, rows


def resolve_item(engine: Engine, doc_id: str, ref: str) -> tuple[str, ItemBase]:
    """``responses:3`` (1-based position), ``responses:<item_key>`` or a bare item_key -> (kind, row)."""
    kind, _, rest = ref.partition(":") if ":" in ref else ("", "", ref)
    if kind and kind not in ITEM_TABLES:
        raise CurationError(f"unknown item kind {kind!r} in {ref!r} (choose: {', '.join(ITEM_TABLES)})")
    with guard(engine), Session(engine) as session:
        _, rows = _stored_rows(session, doc_id, kind or None)
    if kind and rest.isdigit() and len(rest) <= MAX_POSITION_DIGITS:  # a position, not an all-digit item_key
        position = int(rest)
        if not 1 <= position <= len(rows[kind]):
            raise CurationError(f"{doc_id} has {len(rows[kind])} {kind}; no item {ref!r}")
        return kind, rows[kind][position - 1]
    found = [(k, r) for k, items in rows.items() for r in items if r.item_key == rest]
    if not found:
        raise CurationError(f"{doc_id} has no item {ref!r} (give kind:number as review shows, or an item_key)")
    return found[0]


def add_curation(
    engine: Engine,
    doc_id: str,
    ref: str,
    action: str,
    *,
    edits: Sequence[tuple[str, Any]] = (),
    curator: str | None = None,
    note: str | None = None,
) -> list[Curation]:
    """Record an accept / reject, or one edit per ``(field, value)``, of item ``ref`` of ``doc_id``."""
    if action not in ACTIONS:
        raise CurationError(f"unknown action {action!r} (choose: {', '.join(ACTIONS)})")
    if action == "edit" and not edits:
        raise CurationError("an edit needs at least one field=value")
    kind, row = resolve_item(engine, doc_id, ref)
    current, _ = apply_curations(row.item, list_curations(engine, doc_id, kind=kind, item_key=row.item_key))
    new: list[Curation] = []
    if action == "edit":
        for path, value in edits:
            value = checked_edit(kind, current, path, value)
            _set_path(current, path, value)
            new.append(Curation(doc_id=doc_id, kind=kind, item_key=row.item_key, action="edit", field=path,
                                value=value, curator=curator, note=note))  # fmt: skip
    else:
        new.append(Curation(doc_id=doc_id, kind=kind, item_key=row.item_key, action=action, curator=curator, note=note))
    with guard(engine), Session(engine) as session:
        for cur in new:
            session.add(cur)
        session.commit()
        for cur in new:
            session.refresh(cur)
    return new


def list_curations(
    engine: Engine,
    doc_id: str | None = None,
    *,
    kind: str | None = None,
    item_key: str | None = None,
) -> list[Curation]:
    with guard(engine), Session(engine) as session:
        query = select(Curation)
        if doc_id is not None:
            query = query.where(Curation.doc_id == bindparam("doc_id", doc_id))
        if kind is not None:
            query = query.where(Curation.kind == bindparam("kind", kind))
        if item_key is not None:
            query = query.where(Curation.item_key == bindparam("item_key", item_key))
        return list(session.exec(query.order_by(Curation.at, Curation.id)).all())  # type: ignore[arg-type]


def curation_index(engine: Engine, doc_ids: Iterable[str] | None = None) -> dict[tuple[str, str, str], list[Curation]]:
    """Curations grouped by ``(doc_id, kind, item_key)`` (of some documents, or all)."""
    with guard(engine), Session(engine) as session:
        query = select(Curation).order_by(Curation.at, Curation.id)  # type: ignore[arg-type]
        if doc_ids is not None:
            query = query.where(Curation.doc_id.in_(bindparam("doc_ids", list(doc_ids), expanding=True)))  # type: ignore[attr-defined]
        index: dict[tuple[str, str, str], list[Curation]] = defaultdict(list)
        for cur in session.exec(query):
            index[(cur.doc_id, cur.kind, cur.item_key)].append(cur)
        return dict(index)


def curate_rows(
    doc_id: str, kind: str, rows: Iterable[ItemBase], index: Mapping[tuple[str, str, str], list[Curation]]
) -> list[CuratedItem]:
    """Stored rows of one document and kind with their curations applied (rejected ones included)."""
    out = []
    for row in rows:
        curations = index.get((doc_id, kind, row.item_key), [])
        item, status = apply_curations(row.item, curations)
        out.append(CuratedItem(doc_id, kind, row.ordinal, row.item_key, item, dict(row.item), status, list(curations), row))
    return out


def curated_items(engine: Engine, doc_id: str) -> dict[str, list[CuratedItem]]:
    """Every item of one document, by kind, curations applied (rejected ones included)."""
    index = curation_index(engine, [doc_id])
    with guard(engine), Session(engine) as session:
        _, rows = _stored_rows(session, doc_id)
    return {kind: curate_rows(doc_id, kind, items, index) for kind, items in rows.items()}


def stale_curations(engine: Engine, doc_id: str) -> list[Curation]:
    """Curations whose item is no longer extracted from the document (kept, reported, not applied)."""
    items = curated_items(engine, doc_id)
    live = {(c.kind, c.item_key) for kind_items in items.values() for c in kind_items}
    return [c for c in list_curations(engine, doc_id) if (c.kind, c.item_key) not in live]


def load_curated_record(engine: Engine, doc_id: str, *, keep_rejected: bool = False) -> EvidenceRecord:
    """The stored record with curations applied; each item carries ``curation: {id, status}``.

    Rejected items are dropped unless ``keep_rejected`` (then their status says so).
    """
    record = load_record(engine, doc_id)
    data = record.to_json_dict()
    for kind, items in curated_items(engine, doc_id).items():
        kept = []
        for cur in items:
            if cur.status == "rejected" and not keep_rejected:
                continue
            kept.append({**cur.item, "curation": {"id": cur.ref, "key": cur.item_key, "status": cur.status}})
        if kind == "cohort":
            data[kind] = kept[0] if kept else None
        else:
            data[kind] = kept
    return EvidenceRecord.model_validate(data)


def curated_summaries(engine: Engine) -> list[StudySummary]:
    """``study_summaries`` with curations applied to the studies that have any."""
    summaries = study_summaries(engine)
    curated_docs = {doc for doc, _kind, _key in curation_index(engine)}
    out = []
    for summary in summaries:
        if summary.doc_id not in curated_docs:
            out.append(summary)
            continue
        items = {k: [c.item for c in v if c.status != "rejected"] for k, v in curated_items(engine, summary.doc_id).items()}
        summary.arms = [f"{a.get('label')} ({a['n']})" if a.get("n") is not None else str(a.get("label")) for a in items["arms"]]
        summary.n = items["cohort"][0].get("n") if items["cohort"] else None
        summary.ln_classes = list(dict.fromkeys(str(c.get("class")) for c in items["ln_classes"]))
        summary.agents = list(dict.fromkeys(str(i.get("agent")) for i in items["interventions"] if i.get("role") == "study"))
        out.append(summary)
    return out
