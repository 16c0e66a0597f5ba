"""Runs (one per ingest) and the errors of the files that failed in them."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session, select

from extractor.store.db import guard
from extractor.store.models import ErrorRow, Run, utcnow


def start_run(engine: Engine, rules_hash: str) -> int:
    with guard(engine), Session(engine) as session:
        run = Run(rules_hash=rules_hash)
        session.add(run)
        session.commit()
        assert run.id is not None
        return run.id


def finish_run(engine: Engine, run_id: int, *, ok: int, failed: int, skipped: int) -> None:
    with guard(engine), Session(engine) as session:
        run = session.get(Run, run_id)
        if run is None:
            return
        run.finished = utcnow()
        run.files_ok, run.files_failed, run.files_skipped = ok, failed, skipped
        session.add(run)
        session.commit()


def record_error(engine: Engine, path: str, reason: str, run_id: int | None = None) -> None:
    """One row in ``errors``: the file and a one-line reason."""
    with guard(engine), Session(engine) as session:
        session.add(ErrorRow(path=path, reason=" ".join(reason.split()), run_id=run_id))
        session.commit()


def list_errors(engine: Engine, run_id: int | None = None) -> list[ErrorRow]:
    """Errors of one run, or of every run, oldest first."""
    with guard(engine), Session(engine) as session:
        query = select(ErrorRow).order_by(ErrorRow.at, ErrorRow.id)  # type: ignore[arg-type]
        if run_id is not None:
            query = query.where(ErrorRow.run_id == run_id)
        return list(session.exec(query).all())


def last_run(engine: Engine) -> Run | None:
    with guard(engine), Session(engine) as session:
        return session.exec(select(Run).order_by(Run.id.desc())).first()  # type: ignore[union-attr]
