"""Engine from a URL, and one-transaction writes / reads of a document's evidence.

The engine is always passed in (no module global). ``save_record`` writes a document and all
its items in ONE transaction with executemany inserts (``save_file``: every document of one
file in one transaction, so a killed batch never leaves half a file); storing the same document
twice is a no-op and a changed document replaces its rows, so nothing is ever duplicated.

A file is "already stored" (:func:`stored_file_hashes`) when its hash is stored with the same
rules hash AND the same extractor version: a new release re-extracts everything.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine, delete, event, insert, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlmodel import Session, SQLModel, create_engine, select

import extractor as _package
from extractor.errors import StoreError
from extractor.records import Document, EvidenceRecord
from extractor.resources import rules_hash as current_rules_hash
from extractor.settings import resolve_db_url
from extractor.store import models
from extractor.store.models import DOCUMENT_TABLES, ITEM_TABLES, CheckRow, DocumentRow
from extractor.store.rows import check_rows, document_fields, item_rows, record_from_rows

DEFAULT_BUSY_TIMEOUT_S = 30.0
"""How long a SQLite writer waits for another writer's lock before giving up."""

SaveStatus = Literal["stored", "unchanged", "replaced"]
EXTRACTOR_VERSION: str = _package.__version__
"""Stored with every document: part of the "already stored" key."""
PG_DRIVER = "postgresql+psycopg"
"""``postgresql://`` / ``postgres://`` URLs are rewritten to this driver (psycopg 3)."""
ADDED_COLUMNS: dict[str, dict[str, str]] = {
    "documents": {"extractor_version": "VARCHAR NOT NULL DEFAULT ''"},
}
"""Columns added after a table first shipped: added in place to an older database."""
LOCKED_PREFIX = "database is locked by another process"


def _one_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc)
    return " ".join(text.split()) or type(exc).__name__


@contextmanager
def guard(engine_or_url: Engine | str) -> Iterator[None]:
    """Turn any database failure into a one-line StoreError naming the database."""
    try:
        yield
    except StoreError:
        raise
    except SQLAlchemyError as exc:
        url = engine_or_url.url if isinstance(engine_or_url, Engine) else engine_or_url
        where = url.render_as_string(hide_password=True) if hasattr(url, "render_as_string") else url
        reason = _one_line(exc)
        if "locked" in reason or "busy" in reason:
            reason = f"{LOCKED_PREFIX} ({reason})"
        raise StoreError(reason, path=str(where)) from None


def is_locked(exc: StoreError) -> bool:
    """Is this the error of a database another process holds locked (every write would fail)?"""
    return exc.message.startswith(LOCKED_PREFIX)


def normalize_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` use psycopg 3 (SQLAlchemy's default is psycopg2)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return f"{PG_DRIVER}://{url[len(prefix):]}"
    return url


def _sqlite_pragmas(busy_timeout_s: float, wal: bool) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        if wal:
            cursor.execute("PRAGMA journal_mode=WAL")
            # in WAL mode a crash (SIGKILL) still loses nothing committed; only a power cut may
            # lose the last commits, and never corrupts the file
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_s * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return on_connect


def open_engine(
    url: str | None = None,
    *,
    busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S,
    create: bool = True,
) -> Engine:
    """Engine for ``url`` (``--db`` / ``EVIDENCE_DB`` / ./evidence.db), tables created.

    SQLite gets WAL mode, a busy timeout and foreign keys. A bad URL, a missing directory or
    an unreachable server raises StoreError with a one-line message.
    """
    resolved = normalize_url(resolve_db_url(url))
    try:
        parsed = make_url(resolved)
    except ArgumentError:
        raise StoreError("not a database URL", path=resolved) from None
    connect_args: dict[str, Any] = {}
    is_sqlite = parsed.get_backend_name() == "sqlite"
    if is_sqlite:
        database = parsed.database or ""
        in_memory = database in ("", ":memory:") or database.startswith("file::memory:")
        if not in_memory and not Path(database).parent.resolve().is_dir():
            raise StoreError(f"directory {Path(database).parent} does not exist", path=resolved)
        connect_args = {"timeout": busy_timeout_s}
    try:
        engine = create_engine(parsed, connect_args=connect_args)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise StoreError(f"cannot use this database URL ({_one_line(exc)})", path=resolved) from None
    if is_sqlite:
        event.listen(engine, "connect", _sqlite_pragmas(busy_timeout_s, wal=not in_memory))
    if create:
        create_tables(engine)
    return engine


def create_tables(engine: Engine) -> None:
    assert models.DocumentRow  # the import registers every table on SQLModel.metadata
    from extractor.store import curation  # noqa: F401  (registers the curations table too)
    with guard(engine):
        SQLModel.metadata.create_all(engine)
        _add_missing_columns(engine)


def _add_missing_columns(engine: Engine) -> None:
    inspector = inspect(engine)
    for table, columns in ADDED_COLUMNS.items():
        present = {column["name"] for column in inspector.get_columns(table)}
        missing = {name: ddl for name, ddl in columns.items() if name not in present}
        if missing:
            with engine.begin() as conn:
                for name, ddl in missing.items():
                    conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {name} {ddl}"))


def stored_file_hashes(engine: Engine, rules_hash: str, version: str | None = None) -> set[str]:
    """Hashes of files extracted with these rules by this extractor version (default: this
    one): no need to parse them again."""
    query = select(DocumentRow.file_sha256).where(
        DocumentRow.rules_hash == rules_hash, DocumentRow.extractor_version == (version or EXTRACTOR_VERSION)
    )
    with guard(engine), Session(engine) as session:
        return set(session.exec(query).all())


def _delete_document_rows(session: Session, document_id: int) -> None:
    for table in DOCUMENT_TABLES:
        session.execute(delete(table).where(table.document_id == document_id))  # type: ignore[attr-defined]


def _free_id(session: Session, wanted: str, path: str) -> str:
    suffix = Path(path).suffix.lstrip(".").lower() or "file"
    candidate, n = f"{wanted}.{suffix}", 1
    while session.exec(select(DocumentRow.id).where(DocumentRow.doc_id == candidate)).first() is not None:
        n += 1
        candidate = f"{wanted}.{suffix}-{n}"
    return candidate


def _precedence(path: str) -> tuple[int, str]:
    return len(Path(path).parts), path


def _claim(session: Session, fields: dict[str, Any]) -> tuple[DocumentRow | None, str]:
    """The stored row this document is a version of (or None), and the doc_id to store it under.

    The same file path with the same extracted id is the same document. Otherwise the row
    holding the id is the same document if it has the same file hash (a copy) or its file is
    gone (moved). If its file is still there, another file's reader gave the same id
    (``x.pdf`` beside ``src/x.md``): both are kept, the plain id going to the shallower (then
    smaller) path and the other one becoming ``<id>.<suffix>``, whatever order they came in.
    """
    wanted = fields["extracted_id"]
    by_path = select(DocumentRow).where(DocumentRow.path == fields["path"], DocumentRow.extracted_id == wanted)
    same_path = session.exec(by_path).first()
    if same_path is not None:
        return same_path, same_path.doc_id
    holder = session.exec(select(DocumentRow).where(DocumentRow.doc_id == wanted)).first()
    if holder is None:
        return None, wanted
    if holder.file_sha256 == fields["file_sha256"] or not Path(holder.path).exists():
        return holder, wanted
    if _precedence(fields["path"]) < _precedence(holder.path):
        holder.doc_id = _free_id(session, wanted, holder.path)
        holder.info = {**holder.info, "id": holder.doc_id}
        session.add(holder)
        session.flush()
        return None, wanted
    return None, _free_id(session, wanted, fields["path"])


def save_record(
    engine: Engine,
    document: Document,
    record: EvidenceRecord,
    *,
    file_sha256: str | None = None,
    rules_hash: str | None = None,
    run_id: int | None = None,
) -> SaveStatus:
    """Store one document's record in one transaction; see :func:`_claim` for identity.

    * the same document with the same sha256 and the same extracted record -> ``"unchanged"``
      (nothing but its rules hash and extractor version is written);
    * a stored version of the same document, or an older version of the same file (another
      file hash at this path) -> its rows are replaced (``"replaced"``);
    * otherwise -> ``"stored"``.
    """
    [status] = save_file(engine, [(document, record)], file_sha256=file_sha256, rules_hash=rules_hash, run_id=run_id)
    return status


def save_file(
    engine: Engine,
    results: list[tuple[Document, EvidenceRecord]],
    *,
    file_sha256: str | None = None,
    rules_hash: str | None = None,
    run_id: int | None = None,
) -> list[SaveStatus]:
    """Store every document read from one file in ONE transaction (all or nothing)."""
    rules_hash = rules_hash or current_rules_hash()
    with guard(engine), Session(engine) as session:
        statuses = [
            _save(session, document, record, file_sha256 or document.sha256, rules_hash, run_id)
            for document, record in results
        ]
        session.commit()
    return statuses


def _save(
    session: Session,
    document: Document,
    record: EvidenceRecord,
    file_sha256: str,
    rules_hash: str,
    run_id: int | None,
) -> SaveStatus:
    data = record.to_json_dict()  # once: the document row, item rows and check rows all read it
    fields = document_fields(document, record, file_sha256=file_sha256, rules_hash=rules_hash, run_id=run_id, data=data)
    fields["extractor_version"] = EXTRACTOR_VERSION
    same, doc_id = _claim(session, fields)
    fields["doc_id"] = doc_id
    fields["info"] = {**fields["info"], "id": doc_id}
    if same is not None and same.sha256 == fields["sha256"] and same.record_sha256 == fields["record_sha256"]:
        if (same.rules_hash, same.extractor_version) != (rules_hash, EXTRACTOR_VERSION):
            same.rules_hash, same.extractor_version = rules_hash, EXTRACTOR_VERSION
            session.add(same)
            session.flush()
        return "unchanged"
    stale = session.exec(
        select(DocumentRow).where(DocumentRow.path == fields["path"], DocumentRow.file_sha256 != fields["file_sha256"])
    ).all()
    stale = [row for row in stale if row is not same]
    for old in stale:
        assert old.id is not None
        _delete_document_rows(session, old.id)
        session.delete(old)
    if same is not None:
        assert same.id is not None
        _delete_document_rows(session, same.id)
        for name, value in fields.items():
            setattr(same, name, value)
        same.extracted_at = models.utcnow()
        row = same
    else:
        row = DocumentRow(**fields)
        session.add(row)
    session.flush()
    assert row.id is not None
    connection = session.connection()  # Core executemany: the ORM's bulk path costs more than the insert
    for table, rows in item_rows(row.id, record, data).items():
        if rows:
            connection.execute(insert(table.__table__), rows)  # type: ignore[attr-defined]
    checks = check_rows(row.id, record, data)
    if checks:
        connection.execute(insert(CheckRow.__table__), checks)  # type: ignore[attr-defined]
    return "replaced" if same is not None or stale else "stored"


def load_record(engine: Engine, doc_id: str) -> EvidenceRecord:
    """Rebuild the EVIDENCE_FORMAT record of ``doc_id`` from its rows (StoreError if absent)."""
    with guard(engine), Session(engine) as session:
        doc = session.exec(select(DocumentRow).where(DocumentRow.doc_id == doc_id)).first()
        if doc is None:
            raise StoreError(f"no study {doc_id!r} in the database")
        items = {
            kind: list(session.exec(select(table).where(table.document_id == doc.id)).all())  # type: ignore[attr-defined]
            for kind, table in ITEM_TABLES.items()
        }
        checks = list(session.exec(select(CheckRow).where(CheckRow.document_id == doc.id)).all())
        return record_from_rows(doc.info, doc.design, doc.warnings, items, checks)
