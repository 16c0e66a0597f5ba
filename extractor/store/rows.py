"""Pure conversion between an EvidenceRecord and table rows (no database access here).

``item_rows`` flattens each item into its table's columns and keeps the whole item dict as
JSON; ``record_from_rows`` rebuilds the EVIDENCE_FORMAT object from that JSON, so a stored
record loads back exactly as it was extracted (extra keys included).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from typing import Any

from extractor.records import Document, EvidenceRecord
from extractor.store.models import ITEM_TABLES, CheckRow, ItemBase

IDENTITY_FIELDS: dict[str, tuple[str, ...]] = {
    "arms": ("label",),
    "cohort": (),
    "ln_classes": ("class", "activity", "arm"),
    "interventions": ("arm", "role", "agent"),
    "outcomes": ("measure", "arm", "time", "stat"),
    "responses": ("type", "arm", "time"),
    "adverse_events": ("term", "arm"),
}
"""Fields that identify an item of a kind across re-extractions (values may change, these don't)."""

COLUMN_SOURCES: dict[str, str] = {
    "arm_id": "id",
    "ln_class": "class",
    "n_total": "N",
    "time_value": "time.value",
    "time_unit": "time.unit",
    "time_label": "time.label",
    "spread_kind": "spread.kind",
}
"""Table column -> dotted path in the item dict, where the two names differ."""

_BASE_COLUMNS = frozenset(ItemBase.model_fields)


def _normal(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(value.lower().split())
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Mapping):
        return {k: _normal(v) for k, v in sorted(value.items()) if k in ("value", "unit", "label")}
    return value


def identity_key(kind: str, item: Mapping[str, Any]) -> str:
    """Hash of the identifying fields of ``item`` (16 hex chars), without duplicate suffix."""
    fields = IDENTITY_FIELDS[kind]
    payload = json.dumps([kind, [_normal(item.get(f)) for f in fields]], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def item_keys(kind: str, items: Iterable[Mapping[str, Any]]) -> list[str]:
    """Stable ``item_key`` per item: identity hash, ``-2``, ``-3``... for repeats in document order."""
    seen: dict[str, int] = {}
    keys = []
    for item in items:
        key = identity_key(kind, item)
        seen[key] = seen.get(key, 0) + 1
        keys.append(key if seen[key] == 1 else f"{key}-{seen[key]}")
    return keys


def get_path(item: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path (``time.value``) of a nested item, or None."""
    value: Any = item
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _items_of(data: Mapping[str, Any], kind: str) -> list[dict[str, Any]]:
    items = data[kind]
    if items is None:
        return []
    return [items] if isinstance(items, dict) else list(items)


def item_rows(
    document_id: int, record: EvidenceRecord, data: Mapping[str, Any] | None = None
) -> dict[type[ItemBase], list[dict[str, Any]]]:
    """Rows (as dicts, ready for an executemany insert) for every item table. ``data`` is
    ``record.to_json_dict()`` when the caller already has it (serialising a record is not free)."""
    data = record.to_json_dict() if data is None else data
    out: dict[type[ItemBase], list[dict[str, Any]]] = {}
    for kind, table in ITEM_TABLES.items():
        items = _items_of(data, kind)
        columns = [c for c in table.model_fields if c not in _BASE_COLUMNS]
        rows = []
        for ordinal, (item, key) in enumerate(zip(items, item_keys(kind, items), strict=True)):
            evidence = item.get("evidence") or {}
            row: dict[str, Any] = {
                "document_id": document_id,
                "ordinal": ordinal,
                "item_key": key,
                "item": item,
                "repaired": item.get("repaired"),
                "ev_page": evidence.get("page"),
                "ev_start": evidence.get("start"),
                "ev_end": evidence.get("end"),
                "ev_section": evidence.get("section"),
                "ev_text": evidence.get("text"),
                "ev_rule": evidence.get("rule"),
                "ev_bbox": evidence.get("bbox"),
                "ev_span": evidence.get("span"),
            }
            for column in columns:
                row[column] = get_path(item, COLUMN_SOURCES.get(column, column))
            rows.append(row)
        out[table] = rows
    return out


def check_rows(document_id: int, record: EvidenceRecord, data: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    data = record.to_json_dict() if data is None else data
    return [
        {
            "document_id": document_id,
            "ordinal": ordinal,
            "check": check["check"],
            "status": check["status"],
            "detail": check["detail"],
            "item": check,
        }
        for ordinal, check in enumerate(data["checks"])
    ]


def document_fields(
    document: Document,
    record: EvidenceRecord,
    *,
    file_sha256: str,
    rules_hash: str,
    run_id: int | None,
    data: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Column values of the ``documents`` row of one extracted document."""
    data = record.to_json_dict() if data is None else data
    info, design = data["document"], data["design"]
    follow_up = design.get("follow_up") or {}
    # the record's content, wherever the file was read from
    content = {**data, "document": {k: v for k, v in info.items() if k != "path"}}
    payload = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str).encode()
    return {
        "doc_id": info["id"],
        "extracted_id": info["id"],
        "sha256": info.get("sha256") or document.sha256,
        "file_sha256": file_sha256,
        "path": os.path.abspath(document.path),
        "kind": document.kind,
        "pages": info.get("pages") if info.get("pages") is not None else (len(document.pages) or None),
        "title": info.get("title") or document.title,
        "year": info.get("year") or document.year,
        "pmid": info.get("pmid") or document.pmid,
        "doi": info.get("doi") or document.doi,
        "registry_ids": list(info.get("registry_ids") or []),
        "design_type": design.get("type"),
        "phase": design.get("phase"),
        "randomised": design.get("randomised"),
        "blinding": design.get("blinding"),
        "follow_up_value": follow_up.get("value"),
        "follow_up_unit": follow_up.get("unit"),
        "text_length": len(document.text),
        "rules_hash": rules_hash,
        "record_sha256": hashlib.sha256(payload).hexdigest(),
        "run_id": run_id,
        "info": info,
        "design": design,
        "warnings": list(data.get("warnings") or []),
    }


def record_from_rows(
    info: Mapping[str, Any],
    design: Mapping[str, Any],
    warnings: list[str],
    items: Mapping[str, list[ItemBase]],
    checks: list[CheckRow],
) -> EvidenceRecord:
    """Rebuild the EVIDENCE_FORMAT object of one document from its stored JSON columns."""
    data: dict[str, Any] = {"document": dict(info), "design": dict(design), "warnings": list(warnings)}
    for kind in ITEM_TABLES:
        rows = sorted(items.get(kind, []), key=lambda r: r.ordinal)
        if kind == "cohort":
            data[kind] = dict(rows[0].item) if rows else None
        else:
            data[kind] = [dict(r.item) for r in rows]
    data["checks"] = [dict(c.item) for c in sorted(checks, key=lambda c: c.ordinal)]
    return EvidenceRecord.model_validate(data)
