"""Every command on PostgreSQL (EVIDENCE_TEST_PG; `bash .ci/postgres.sh` starts a throwaway server).

Each test gets a fresh schema. ``postgresql://`` URLs (without a driver) must work too: they are
rewritten to psycopg 3.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, text
from sqlmodel import Session, select
from typer.testing import CliRunner

from extractor.cli import app
from extractor.store.db import normalize_url, open_engine
from extractor.store.models import DocumentRow, ErrorRow

PG_URL = os.environ.get("EVIDENCE_TEST_PG")
ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
FILES = ["a07_msc_phase1_abstract.txt", "a11_multitarget_rct.md", "b06_pubmed_export.xml", "b04_iga_methylpred.pdf"]
runner = CliRunner()


def test_postgresql_urls_get_the_psycopg_driver() -> None:
    assert normalize_url("postgresql://u@h:5/db") == "postgresql+psycopg://u@h:5/db"
    assert normalize_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_url("sqlite:///x.db") == "sqlite:///x.db"


@pytest.fixture
def pg_db() -> Iterator[str]:
    """A fresh schema; the URL is given as plain ``postgresql://`` (rewritten to psycopg)."""
    if not PG_URL:
        pytest.skip("EVIDENCE_TEST_PG not set (see .ci/postgres.sh)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in PG_URL else "?"
    yield PG_URL.replace("postgresql+psycopg://", "postgresql://") + f"{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "library"
    folder.mkdir()
    for name in FILES:
        (folder / name).write_bytes((CORPUS / name).read_bytes())
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\nnot really")
    return folder


def invoke(*args: object) -> object:
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def test_every_command_works_on_postgresql(pg_db: str, library: Path) -> None:
    ingest = invoke("ingest", library, "--db", pg_db, "--jobs", "2", "--no-progress")
    assert ingest.exit_code == 1  # broken.pdf
    assert "broken.pdf: corrupt or truncated PDF" in ingest.output and "Traceback" not in ingest.output
    engine = open_engine(pg_db)
    assert engine.url.drivername == "postgresql+psycopg"
    with Session(engine) as session:
        documents = session.exec(select(func.count()).select_from(DocumentRow)).one()
        assert documents == len(FILES) + 2  # the PubMed file holds three articles
        assert [Path(e.path).name for e in session.exec(select(ErrorRow)).all()] == ["broken.pdf"]
    again = invoke("ingest", library, "--db", pg_db, "--jobs", "1", "--no-progress")
    assert "4 skipped" in again.output  # stored files are not parsed again

    run = invoke("run", library / FILES[0], "--db", pg_db, "--no-progress")
    assert run.exit_code == 0 and "1 skipped" in run.output and "a11_multitarget_rct" in run.output
    studies = invoke("studies", "--db", pg_db)
    assert studies.exit_code == 0 and "a07_msc_phase1_abstract" in studies.output
    show = invoke("show", "a07", "--db", pg_db)
    assert show.exit_code == 0 and "a07_msc_phase1_abstract" in show.output
    query = invoke("query", "--response", "complete", "--format", "json", "--db", pg_db)
    assert query.exit_code == 0 and any(row["study"].startswith("a07") for row in json.loads(query.stdout))
    export = invoke("export", "--format", "csv", "--db", pg_db)
    assert export.exit_code == 0 and len(export.stdout.splitlines()) > 5
    compare = invoke("compare", "a07", "a11", "--db", pg_db)
    assert compare.exit_code == 0
    errors = invoke("errors", "--all", "--db", pg_db)
    assert errors.exit_code == 0 and "broken.pdf" in errors.output
