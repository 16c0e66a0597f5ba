"""The Dask executor on a LocalCluster: workers load + extract, this process stores (one writer)."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, select
from typer.testing import CliRunner

import extractor.extract.run as extract_run
from extractor import batch_dask
from extractor.batch import ingest_paths
from extractor.cli import app
from extractor.errors import ExtractorError
from extractor.store.db import open_engine
from extractor.store.models import DOCUMENT_TABLES, DocumentRow

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
FILES = ["a07_msc_phase1_abstract.txt", "a11_multitarget_rct.md", "b07_jats_belimumab_ln.xml"]


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """One in-process worker thread: light, and it sees the test's monkeypatches."""
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None, silence_logs=logging.ERROR
    ) as cluster:
        yield cluster.scheduler_address


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    lib = tmp_path / "library"
    lib.mkdir()
    for name in FILES:
        shutil.copy(CORPUS / name, lib / name)
    return lib


def _rows(engine) -> dict[str, int]:
    with Session(engine) as session:
        counts = {t.__tablename__: session.exec(select(func.count()).select_from(t)).one() for t in DOCUMENT_TABLES}
        counts["doc_ids"] = sorted(session.exec(select(DocumentRow.doc_id)).all())  # type: ignore[assignment]
        return counts


def test_dask_stores_the_same_rows_as_in_process(folder: Path, tmp_path: Path, scheduler: str) -> None:
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\nnot a pdf")
    local, dask = open_engine(str(tmp_path / "local.db")), open_engine(str(tmp_path / "dask.db"))
    ingest_paths([folder], local, jobs=1)
    result = ingest_paths([folder], dask, executor="dask", scheduler=scheduler)
    assert result.stored == 3 and [Path(p).name for p, _ in result.failed] == ["broken.pdf"]
    assert "corrupt or truncated PDF" in result.failed[0][1]
    assert _rows(dask) == _rows(local)
    again = ingest_paths([folder], dask, executor="dask", scheduler=scheduler)
    assert again.skipped == 3 and again.stored == 0


def test_the_time_limit_works_in_a_dask_worker_thread(
    folder: Path, tmp_path: Path, scheduler: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = extract_run.extract_document

    def stuck(document):
        if document.path.endswith(FILES[0]):
            while True:  # Python code: the asynchronous exception reaches it
                sum(range(1000))
        return real(document)

    monkeypatch.setattr(extract_run, "extract_document", stuck)
    result = ingest_paths([folder], str(tmp_path / "e.db"), executor="dask", scheduler=scheduler, timeout=0.5)
    assert [(Path(p).name, r) for p, r in result.failed] == [(FILES[0], "took longer than 0.5s")]
    assert result.stored == 2


def test_cli_runs_on_a_scheduler_and_an_unreachable_one_is_one_line(
    folder: Path, tmp_path: Path, scheduler: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "e.db")
    ok = CliRunner().invoke(app, ["ingest", str(folder), "--db", db, "--scheduler", scheduler, "--no-progress"])
    assert ok.exit_code == 0, ok.output
    assert "3 stored" in ok.output
    monkeypatch.setattr(batch_dask, "CONNECT_TIMEOUT_S", 1.0)
    with pytest.raises(ExtractorError, match="cannot reach the Dask scheduler"):
        ingest_paths([folder], str(tmp_path / "f.db"), executor="dask", scheduler="tcp://127.0.0.1:1")


def test_without_a_scheduler_a_local_cluster_is_started(folder: Path, tmp_path: Path) -> None:
    result = ingest_paths([folder / FILES[0]], str(tmp_path / "e.db"), executor="dask", jobs=1)
    assert result.ok and result.stored == 1
