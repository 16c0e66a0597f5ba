"""Batch ingest on real files (corpus reports, broken fixtures) into a real SQLite file."""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

import extractor.ingest.load as ingest_load
from extractor import batch
from extractor.batch import discover, file_sha256, ingest_paths
from extractor.batch_worker import reason_of
from extractor.store.db import open_engine
from extractor.store.models import DOCUMENT_TABLES, DocumentRow, ErrorRow, Run

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
BROKEN = ROOT / "tests" / "fixtures" / "ingest"
REPORTS = ["a01_voclosporin_rct.md", "b04_iga_methylpred.md", "b05_rtx_refractory_ln_series.md"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A small library: three real reports (one nested), a real PDF, a README and noise."""
    lib = tmp_path / "library"
    (lib / "nested").mkdir(parents=True)
    for name in REPORTS[:2]:
        shutil.copy(CORPUS / "src" / name, lib / name)
    shutil.copy(CORPUS / "src" / REPORTS[2], lib / "nested" / REPORTS[2])
    shutil.copy(CORPUS / "b04_iga_methylpred.pdf", lib / "nested" / "b04_iga_methylpred.pdf")
    (lib / "README.md").write_text("# about this folder\n")
    (lib / ".hidden.md").write_text("not a report\n")
    (lib / "notes.json").write_text("{}\n")
    return lib


@pytest.fixture
def engine(tmp_path: Path):
    return open_engine(str(tmp_path / "evidence.db"))


def _counts(engine) -> dict[str, int]:
    with Session(engine) as session:
        out = {t.__tablename__: session.exec(select(func.count()).select_from(t)).one() for t in DOCUMENT_TABLES}
        out["documents"] = session.exec(select(func.count()).select_from(DocumentRow)).one()
        return out


def _doc_ids(engine) -> list[str]:
    with Session(engine) as session:
        return sorted(session.exec(select(DocumentRow.doc_id)).all())


def test_discover_walks_folders_skips_hidden_readme_and_other_types(folder: Path, tmp_path: Path) -> None:
    (folder / "nested" / "loop").symlink_to(folder, target_is_directory=True)  # a symlink loop
    files, missing = discover([folder, folder / REPORTS[0], tmp_path / "absent.pdf"])
    names = sorted(f.name for f in files)
    assert names == sorted(REPORTS + ["b04_iga_methylpred.pdf"])
    assert missing == [(str(tmp_path / "absent.pdf"), "no such file or directory")]
    assert discover([folder / "README.md"])[0] == [folder / "README.md"]  # named explicitly: taken


def test_an_evidenceignore_file_skips_what_it_lists(folder: Path) -> None:
    (folder / ".evidenceignore").write_text("# sources of the PDFs\nnested/\nb04_*.md\n")
    (folder / "nested" / "deeper").mkdir()
    (folder / "nested" / "deeper" / "kept.txt").write_text("a report\n")
    (folder / "other").mkdir()
    (folder / "other" / "nested").write_text("a file named like the ignored folder\n")
    files, _ = discover([folder])
    assert [f.relative_to(folder).as_posix() for f in files] == [REPORTS[0]]
    (folder / ".evidenceignore").write_text("deeper/\n")
    assert "nested/deeper/kept.txt" not in [f.relative_to(folder).as_posix() for f in discover([folder])[0]]
    assert "nested/b04_iga_methylpred.pdf" in [f.relative_to(folder).as_posix() for f in discover([folder])[0]]


def test_ingesting_a_folder_twice_leaves_the_same_rows(folder: Path, engine) -> None:
    first = ingest_paths([folder], engine, jobs=1)
    assert first.ok and first.stored == 4 and first.files == 4
    # the PDF and the report beside it give one id: the shallower file keeps it
    assert _doc_ids(engine) == ["a01_voclosporin_rct", "b04_iga_methylpred", "b04_iga_methylpred.pdf",
                                "b05_rtx_refractory_ln_series"]  # fmt: skip
    before = _counts(engine)
    second = ingest_paths([folder], engine, jobs=1)
    assert (second.skipped, second.stored, second.replaced, second.pages) == (4, 0, 0, 0)
    assert _counts(engine) == before
    with Session(engine) as session:
        runs = session.exec(select(Run).order_by(Run.id)).all()
    assert [(r.files_ok, r.files_skipped, r.files_failed) for r in runs] == [(4, 0, 0), (0, 4, 0)]
    assert all(r.finished is not None for r in runs)


def test_a_changed_file_replaces_its_rows(folder: Path, engine) -> None:
    ingest_paths([folder], engine, jobs=1)
    before = _counts(engine)
    report = folder / REPORTS[0]
    report.write_text(report.read_text() + "\nAddendum: one patient was lost to follow-up.\n")
    result = ingest_paths([folder], engine, jobs=1)
    assert (result.replaced, result.skipped, result.stored) == (1, 3, 0)
    assert _counts(engine) == before
    with Session(engine) as session:
        row = session.exec(select(DocumentRow).where(DocumentRow.doc_id == "a01_voclosporin_rct")).one()
    assert row.file_sha256 == file_sha256(report)


def test_corrupt_files_are_recorded_and_the_batch_goes_on(folder: Path, engine) -> None:
    shutil.copy(BROKEN / "truncated.pdf", folder / "truncated.pdf")
    shutil.copy(BROKEN / "random_bytes.pdf", folder / "nested" / "random_bytes.pdf")
    result = ingest_paths([folder], engine, jobs=1)
    assert result.stored == 4
    assert sorted(Path(p).name for p, _ in result.failed) == ["random_bytes.pdf", "truncated.pdf"]
    with Session(engine) as session:
        errors = session.exec(select(ErrorRow)).all()
    assert sorted(Path(e.path).name for e in errors) == ["random_bytes.pdf", "truncated.pdf"]
    assert all(e.reason and "\n" not in e.reason and e.run_id == result.run_id for e in errors)
    # failed files are tried again next time, stored ones are not
    again = ingest_paths([folder], engine, jobs=1)
    assert again.skipped == 4 and len(again.failed) == 2


def test_a_copy_of_a_file_in_the_same_batch_is_skipped(folder: Path, engine) -> None:
    shutil.copy(folder / REPORTS[0], folder / "copy_of_a01.md")
    result = ingest_paths([folder], engine, jobs=1)
    assert result.skipped == 1 and result.stored == 4


def test_process_pool_stores_the_same_rows_as_in_process(folder: Path, tmp_path: Path) -> None:
    one, two = open_engine(str(tmp_path / "one.db")), open_engine(str(tmp_path / "two.db"))
    ingest_paths([folder], one, jobs=1)
    result = ingest_paths([folder], two, jobs=2)
    assert result.ok and result.stored == 4
    assert _counts(one) == _counts(two) and _doc_ids(one) == _doc_ids(two)


def test_a_slow_document_times_out_in_process(folder: Path, engine, monkeypatch: pytest.MonkeyPatch) -> None:
    real = ingest_load.load

    def slow(path, password=None):
        if Path(path).name == REPORTS[0]:
            time.sleep(5)
        return real(path, password=password)

    monkeypatch.setattr(ingest_load, "load", slow)
    started = time.monotonic()
    result = ingest_paths([folder], engine, jobs=1, timeout=0.5)
    assert time.monotonic() - started < 4
    assert [(Path(p).name, r) for p, r in result.failed] == [(REPORTS[0], "took longer than 0.5s")]
    assert result.stored == 3


def test_a_stuck_or_crashing_worker_is_replaced(folder: Path, engine, monkeypatch: pytest.MonkeyPatch) -> None:
    real = ingest_load.load

    def misbehave(path, password=None):
        if Path(path).name == REPORTS[0]:  # stuck where the time-limit signal cannot reach
            signal.signal(signal.SIGALRM, signal.SIG_IGN)
            time.sleep(60)
        if Path(path).name == REPORTS[1]:  # the worker process dies
            os._exit(3)
        return real(path, password=password)

    monkeypatch.setattr(ingest_load, "load", misbehave)  # forked workers inherit the patch
    monkeypatch.setattr(batch, "HARD_GRACE_S", 0.5)
    started = time.monotonic()
    result = ingest_paths([folder], engine, jobs=2, timeout=3)
    assert time.monotonic() - started < 40
    reasons = {Path(p).name: r for p, r in result.failed}
    assert reasons == {
        REPORTS[0]: "took longer than 3s (worker killed)",
        REPORTS[1]: "worker process died (crash or out of memory)",
    }
    assert result.stored == 2  # the nested report and the PDF


def test_unknown_executor_and_negative_jobs_are_refused(folder: Path, engine) -> None:
    with pytest.raises(ValueError, match="unknown executor"):
        ingest_paths([folder], engine, executor="spark")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="jobs"):
        ingest_paths([folder], engine, jobs=-1)


def test_a_timeout_wrapped_by_a_library_is_reported_as_a_timeout() -> None:
    from extractor.errors import ExtractionTimeout

    class PdfminerException(Exception):  # pdfplumber wraps pdfminer's exceptions like this
        pass

    wrapped = PdfminerException(ExtractionTimeout("took longer than 2s", path="x.pdf"))
    assert reason_of(wrapped) == "took longer than 2s"
    assert reason_of(ValueError("bad\nvalue")) == "ValueError: bad value"
    assert reason_of(MemoryError()) == "out of memory"


def test_discover_reports_what_cannot_be_a_file(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("a report\n")
    (tmp_path / "loop.pdf").symlink_to("loop.pdf")
    (tmp_path / "dangling.md").symlink_to(tmp_path / "gone.md")
    (tmp_path / "dangling.json").symlink_to(tmp_path / "gone.json")  # not a report type: ignored
    os.mkfifo(tmp_path / "fifo.txt")
    files, problems = discover([tmp_path, tmp_path / "loop.pdf"])
    assert files == [tmp_path / "ok.txt"]
    assert sorted((Path(p).name, r) for p, r in problems) == [
        ("dangling.md", f"broken symbolic link (to {tmp_path / 'gone.md'})"),
        ("fifo.txt", "not a regular file (FIFO, socket or device)"),
        ("loop.pdf", "symbolic link loop"),
        ("loop.pdf", "symbolic link loop"),
    ]
