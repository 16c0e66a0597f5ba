"""Read-side queries over the store: study lookup, study summaries, known file hashes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlmodel import Session, select

from extractor.errors import StoreError
from extractor.store.db import guard
from extractor.store.models import ArmRow, CohortRow, DocumentRow, InterventionRow, LNClassRow


@dataclass(slots=True)
class StudySummary:
    """One line of ``evidence studies``: what a reader needs to tell studies apart."""

    doc_id: str
    title: str | None = None
    year: int | None = None
    design: str | None = None
    phase: str | None = None
    n: int | None = None
    arms: list[str] = field(default_factory=list)
    ln_classes: list[str] = field(default_factory=list)
    agents: list[str] = field(default_factory=list)
    follow_up: str | None = None


def doc_ids(engine: Engine) -> list[str]:
    with guard(engine), Session(engine) as session:
        return list(session.exec(select(DocumentRow.doc_id).order_by(DocumentRow.doc_id)).all())


def resolve_study(engine: Engine, study: str) -> str:
    """``study`` as a stored doc_id: exact match, else a unique prefix (StoreError otherwise)."""
    with guard(engine), Session(engine) as session:
        exact = session.exec(select(DocumentRow.doc_id).where(DocumentRow.doc_id == study)).first()
        if exact is not None:
            return exact
        matches = list(
            session.exec(
                select(DocumentRow.doc_id).where(DocumentRow.doc_id.startswith(study, autoescape=True))  # type: ignore[attr-defined]
            ).all()
        )
    if not matches:
        raise StoreError(f"no study {study!r} in the database")
    if len(matches) > 1:
        shown = ", ".join(sorted(matches)[:5]) + (", ..." if len(matches) > 5 else "")
        raise StoreError(f"{study!r} matches {len(matches)} studies ({shown}); give more of the id")
    return matches[0]


def known_file_hashes(engine: Engine, rules_hash: str) -> set[str]:
    """File hashes already extracted with these rules: such files need no re-parsing."""
    with guard(engine), Session(engine) as session:
        rows = session.exec(select(DocumentRow.file_sha256).where(DocumentRow.rules_hash == rules_hash))
        return set(rows.all())


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def study_summaries(engine: Engine) -> list[StudySummary]:
    """One summary per stored document, ordered by doc_id (five queries, whatever the size)."""
    with guard(engine), Session(engine) as session:
        docs = session.exec(select(DocumentRow).order_by(DocumentRow.doc_id)).all()
        arms: dict[int, list[str]] = defaultdict(list)
        for arm in session.exec(select(ArmRow).order_by(ArmRow.document_id, ArmRow.ordinal)):
            arms[arm.document_id].append(f"{arm.label} ({arm.n})" if arm.n is not None else arm.label)
        cohort: dict[int, int | None] = {}
        for row in session.exec(select(CohortRow).order_by(CohortRow.ordinal)):
            cohort.setdefault(row.document_id, row.n)
        classes: dict[int, list[str]] = defaultdict(list)
        for cls in session.exec(select(LNClassRow).order_by(LNClassRow.document_id, LNClassRow.ordinal)):
            classes[cls.document_id].append(cls.ln_class)
        agents: dict[int, list[str]] = defaultdict(list)
        study_rows = select(InterventionRow).where(InterventionRow.role == "study")
        for iv in session.exec(study_rows.order_by(InterventionRow.document_id, InterventionRow.ordinal)):
            agents[iv.document_id].append(iv.agent)
        out = []
        for doc in docs:
            assert doc.id is not None
            follow_up = None
            if doc.follow_up_value is not None:
                unit = doc.follow_up_unit or ""
                follow_up = f"{_number(doc.follow_up_value)} {unit}{'s' if doc.follow_up_value != 1 else ''}"
            out.append(
                StudySummary(
                    doc_id=doc.doc_id,
                    title=doc.title,
                    year=doc.year,
                    design=doc.design_type,
                    phase=doc.phase,
                    n=cohort.get(doc.id),
                    arms=arms.get(doc.id, []),
                    ln_classes=_unique(classes.get(doc.id, [])),
                    agents=_unique(agents.get(doc.id, [])),
                    follow_up=follow_up,
                )
            )
        return out
