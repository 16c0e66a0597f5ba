"""The store on a real database: SQLite in tmp_path, and PostgreSQL when EVIDENCE_TEST_PG is set.

Rows are read back with SQLModel; every write path (stored / unchanged / replaced) is checked by
counting rows per table, not by trusting the returned status.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, text
from sqlmodel import Session, select

from extractor.errors import StoreError
from extractor.records import (
    AdverseEvent,
    Arm,
    Check,
    Cohort,
    Design,
    Document,
    DocumentInfo,
    Evidence,
    EvidenceRecord,
    FollowUp,
    Intervention,
    LNClass,
    Outcome,
    Page,
    Response,
    TimePoint,
)
from extractor.store import db as store_db
from extractor.store.db import load_record, open_engine, save_record
from extractor.store.models import DOCUMENT_TABLES, DocumentRow, ResponseRow
from extractor.store.read import resolve_study, study_summaries
from extractor.store.rows import item_keys

PG_URL = os.environ.get("EVIDENCE_TEST_PG")


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "sqlite":
        yield open_engine(str(tmp_path / "evidence.db"))
        return
    if not PG_URL:
        pytest.skip("EVIDENCE_TEST_PG not set (see .ci/postgres.sh)")
    schema = f"t_{uuid.uuid4().hex[:12]}"  # one schema per test: safe under pytest -n
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in PG_URL else "?"
    eng = open_engine(f"{PG_URL}{sep}options=-csearch_path%3D{schema}")
    yield eng
    eng.dispose()
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


TEXT = "Nine patients received AD-MSC. Complete response occurred in 3/9 (33.3%) patients at 12 months."


def _document(path: str = "reports/ranjbar.txt", sha: str = "a" * 64, doc_id: str | None = None) -> Document:
    return Document(path=path, sha256=sha, kind="text", text=TEXT, pages=[Page(1, 0, len(TEXT))], doc_id=doc_id)


def _evidence(fragment: str, rule: str) -> Evidence:
    start = TEXT.index(fragment)
    return Evidence(page=1, start=start, end=start + len(fragment), section="results", text=fragment, rule=rule,
                    bbox=[10.0, 20.0, 30.0, 40.0], span=[start, start + 3])  # fmt: skip


def _record(doc_id: str = "ranjbar", sha: str = "a" * 64, complete_n: int = 3, path: str = "reports/ranjbar.txt") -> EvidenceRecord:
    return EvidenceRecord(
        document=DocumentInfo(id=doc_id, path=path, sha256=sha, pages=1, title="AD-MSC in LN", year=2022,
                              registry_ids=["IRCT2016"]),  # fmt: skip
        design=Design(type="single-arm", phase="I", randomised=False, follow_up=FollowUp(value=12, unit="month")),
        arms=[Arm(id="A1", label="AD-MSC", n=9, role="experimental", evidence=_evidence("Nine patients", "arm.n"))],
        cohort=Cohort(n=9, female=8, male=1, evidence=_evidence("Nine patients", "cohort.n")),
        ln_classes=[LNClass.model_validate({"class": "IV-S", "activity": "A/C", "n": 3})],
        interventions=[Intervention(arm="A1", role="study", agent="AD-MSC", amount=2e6, unit="cells", per="kg")],
        outcomes=[
            Outcome(measure="sledai", arm="A1", time=TimePoint(value=1, unit="month"), stat="median", value=8),
            Outcome(measure="sledai", arm="A1", time=TimePoint(value=1, unit="month"), stat="median", value=8),
        ],
        responses=[
            Response(type="complete", arm="A1", time=TimePoint(value=12, unit="month"), n=complete_n, N=9,
                     percent=round(100 * complete_n / 9, 1), evidence=_evidence("3/9 (33.3%)", "response.n_of_N"),
                     repaired="444% -> 44.4% (4/9)", confidence=0.8),  # fmt: skip
        ],
        adverse_events=[AdverseEvent(term="transient hypertension", n=1, serious=False)],
        checks=[Check(check="percent_matches_count", status="ok", detail="3/9 = 33.3 %")],
        warnings=["table 2 could not be parsed"],
    )


def _counts(engine) -> dict[str, int]:
    with Session(engine) as session:
        counts = {t.__tablename__: session.exec(select(func.count()).select_from(t)).one() for t in DOCUMENT_TABLES}
        counts["documents"] = session.exec(select(func.count()).select_from(DocumentRow)).one()
    return counts


def test_round_trip_keeps_every_field(engine) -> None:
    record = _record()
    assert save_record(engine, _document(), record, rules_hash="r1") == "stored"
    loaded = load_record(engine, "ranjbar")
    assert loaded == record
    assert loaded.responses[0].model_extra == {"confidence": 0.8}  # extra keys survive
    with Session(engine) as session:
        row = session.exec(select(ResponseRow)).one()
        assert (row.type, row.n, row.n_total, row.time_value, row.time_unit) == ("complete", 3, 9, 12, "month")
        assert (row.ev_page, row.ev_text, row.ev_rule, row.ev_bbox) == (1, "3/9 (33.3%)", "response.n_of_N", [10, 20, 30, 40])
        assert row.ev_start == TEXT.index("3/9") and row.repaired.startswith("444%")
        doc = session.exec(select(DocumentRow)).one()
        assert (doc.design_type, doc.follow_up_value, doc.registry_ids) == ("single-arm", 12, ["IRCT2016"])
        assert doc.path == os.path.abspath("reports/ranjbar.txt") and doc.text_length == len(TEXT)


def test_saving_the_same_record_twice_is_a_no_op(engine) -> None:
    save_record(engine, _document(), _record(), rules_hash="r1")
    before = _counts(engine)
    with Session(engine) as session:
        first = session.exec(select(DocumentRow.extracted_at, DocumentRow.id)).one()
    assert save_record(engine, _document(), _record(), rules_hash="r1") == "unchanged"
    assert _counts(engine) == before
    with Session(engine) as session:
        assert session.exec(select(DocumentRow.extracted_at, DocumentRow.id)).one() == first
    assert before == {"arms": 1, "cohort": 1, "ln_classes": 1, "interventions": 1, "outcomes": 2,
                      "responses": 1, "adverse_events": 1, "checks": 1, "documents": 1}  # fmt: skip


def test_a_changed_file_replaces_its_rows(engine) -> None:
    save_record(engine, _document(), _record(), rules_hash="r1")
    before = _counts(engine)
    changed = _record(sha="b" * 64, complete_n=4)
    assert save_record(engine, _document(sha="b" * 64), changed, rules_hash="r1") == "replaced"
    assert _counts(engine) == before
    assert load_record(engine, "ranjbar").responses[0].n == 4


def test_a_new_version_with_another_id_replaces_the_old_one_at_that_path(engine) -> None:
    save_record(engine, _document(), _record(), file_sha256="f1", rules_hash="r1")
    renamed = _record(doc_id="ranjbar-2022", sha="b" * 64)
    assert save_record(engine, _document(sha="b" * 64), renamed, file_sha256="f2", rules_hash="r1") == "replaced"
    with Session(engine) as session:
        assert session.exec(select(DocumentRow.doc_id)).all() == ["ranjbar-2022"]
    assert _counts(engine)["arms"] == 1


def test_item_keys_survive_reextraction_and_repeats_are_numbered(engine) -> None:
    save_record(engine, _document(), _record(), rules_hash="r1")
    with Session(engine) as session:
        keys = session.exec(select(ResponseRow.item_key)).all()
    save_record(engine, _document(sha="b" * 64), _record(sha="b" * 64, complete_n=4), rules_hash="r1")
    with Session(engine) as session:
        assert session.exec(select(ResponseRow.item_key)).all() == keys
    outcomes = [o.model_dump(by_alias=True) for o in _record().outcomes]
    first, second = item_keys("outcomes", outcomes)
    assert second == f"{first}-2"
    other = item_keys("outcomes", [{**outcomes[0], "time": {"value": 6, "unit": "month"}}])
    assert other[0] != first


@pytest.mark.parametrize("md_first", [True, False])
def test_two_files_giving_one_id_are_both_kept_whatever_the_order(engine, tmp_path: Path, md_first: bool) -> None:
    pdf, md = tmp_path / "x.pdf", tmp_path / "src" / "x.md"
    md.parent.mkdir()
    pdf.write_text("pdf"), md.write_text("md")
    files = [(md, "m" * 64), (pdf, "p" * 64)]
    for path, sha in files if md_first else files[::-1]:
        doc = _document(path=str(path), sha=sha)
        save_record(engine, doc, _record(doc_id="x", sha=sha, path=str(path)), file_sha256=sha, rules_hash="r1")
    with Session(engine) as session:
        rows = {r.doc_id: r.path for r in session.exec(select(DocumentRow))}
    assert rows == {"x": str(pdf), "x.md": str(md)}
    assert load_record(engine, "x.md").document.id == "x.md"
    assert resolve_study(engine, "x") == "x"  # exact match wins over prefix
    with pytest.raises(StoreError, match="matches 2 studies"):
        resolve_study(engine, "")


def test_a_failed_write_leaves_nothing_behind(engine, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_args: object) -> list[dict]:
        raise StoreError("disk full")

    monkeypatch.setattr(store_db, "check_rows", boom)  # fails after the document and items were written
    with pytest.raises(StoreError):
        save_record(engine, _document(), _record(), rules_hash="r1")
    assert set(_counts(engine).values()) == {0}


def test_study_summaries(engine) -> None:
    save_record(engine, _document(), _record(), rules_hash="r1")
    [summary] = study_summaries(engine)
    assert (summary.doc_id, summary.design, summary.n, summary.follow_up) == ("ranjbar", "single-arm", 9, "12 months")
    assert (summary.arms, summary.ln_classes, summary.agents) == (["AD-MSC (9)"], ["IV-S"], ["AD-MSC"])


def test_missing_study_is_a_store_error(engine) -> None:
    with pytest.raises(StoreError, match="no study 'nope'"):
        load_record(engine, "nope")


def test_sqlite_gets_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    eng = open_engine(str(tmp_path / "e.db"), busy_timeout_s=2)
    with eng.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 2000


def test_locked_database_is_a_one_line_store_error(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    eng = open_engine(str(path), busy_timeout_s=0.2)
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError) as caught:
            save_record(eng, _document(), _record(), rules_hash="r1")
    finally:
        holder.rollback()
        holder.close()
    message = str(caught.value)
    assert "locked" in message and "\n" not in message and str(path) in message
    assert save_record(eng, _document(), _record(), rules_hash="r1") == "stored"  # fine once released


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("nosuchdialect://x", "cannot use this database url"),
        ("sqlite:////no/such/dir/e.db", "does not exist"),
        ("postgresql+psycopg://nobody@127.0.0.1:1/none", "connection"),
    ],
)
def test_bad_urls_are_one_line_store_errors(url: str, reason: str) -> None:
    with pytest.raises(StoreError) as caught:
        open_engine(url)
    assert reason in str(caught.value).lower() and "\n" not in str(caught.value)
