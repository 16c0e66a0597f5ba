"""Batch reliability on real files and real processes: bad inputs, SIGKILL + resume, readers during
an ingest, a locked database, per-file failures of every kind, the "already stored" key."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, text
from sqlmodel import Session, select

import extractor.extract.run as extract_run
from extractor import batch
from extractor.batch import ingest_paths
from extractor.batch_worker import check_size, time_limit
from extractor.errors import ExtractionTimeout, IngestError, StoreError
from extractor.store import db as store_db
from extractor.store.db import open_engine
from extractor.store.models import DOCUMENT_TABLES, DocumentRow, ErrorRow, Run

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
BAD = ROOT / "tests" / "fixtures" / "bad"
GOOD = ["a07_msc_phase1_abstract.txt", "b10_anca_rtx_vs_cyc.txt"]
EVIDENCE = [sys.executable, "-m", "extractor"]
TEMPLATE = """Title: {name}: {agent} versus standard therapy in class {cls} lupus nephritis

Published: {year}

METHODS: In this randomised trial, {n} adults with biopsy-proven class {cls} lupus nephritis were
randomised to {agent} {dose} mg/day (n = {n1}) or mycophenolate mofetil 2 g/day (n = {n2}) for
{weeks} weeks.

RESULTS: At {months} months, complete renal response occurred in {r1}/{n1} ({p1:.1f}%) patients given
{agent} and {r2}/{n2} ({p2:.1f}%) given mycophenolate. Serious infections occurred in {ae} patients.
"""


def _env() -> dict[str, str]:
    return {**os.environ, "COLUMNS": "250", "PYTHONPATH": str(ROOT)}


def _count(engine, table) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(table)).one()


def write_reports(folder: Path, count: int, seed: int = 7) -> list[Path]:
    """``count`` small trial reports from one template with varied numbers."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    agents = ["voclosporin", "belimumab", "obinutuzumab", "tacrolimus", "rituximab", "anifrolumab"]
    paths = []
    for i in range(count):
        n1, n2 = rng.randint(20, 90), rng.randint(20, 90)
        r1, r2 = rng.randint(3, n1 - 1), rng.randint(3, n2 - 1)
        path = folder / f"trial_{i:03d}.txt"
        path.write_text(
            TEMPLATE.format(
                name=f"LUNA-{100 + i}", agent=rng.choice(agents), cls=rng.choice(["III", "IV", "V"]),
                year=rng.randint(2005, 2024), n=n1 + n2, n1=n1, n2=n2, dose=rng.choice([10, 20, 40]),
                weeks=rng.choice([24, 48, 52]), months=rng.choice([6, 12]), r1=r1, r2=r2,
                p1=100 * r1 / n1, p2=100 * r2 / n2, ae=rng.randint(0, 9),
            ),  # fmt: skip
            encoding="utf-8",
        )
        paths.append(path)
    return paths


# ------------------------------------------------------------------------------------------
# bad inputs
# ------------------------------------------------------------------------------------------

EXPECTED = {  # file -> a word of its reason
    "binary_named.txt": "binary",
    "corrupt.pdf": "corrupt",
    "empty.txt": "empty",
    "encrypted.pdf": "encrypted",
    "image_only.pdf": "no text layer",
    "png_named.pdf": "binary",
    "too_many_pages.pdf": "too large: 12 pages",
    "truncated.pdf": "truncated",
    "whitespace_only.md": "empty",
    "loop.pdf": "symbolic link loop",
    "dangling.txt": "broken symbolic link",
    "fifo.txt": "not a regular file",
}


@pytest.fixture
def bad_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    shutil.copytree(BAD, folder, ignore=shutil.ignore_patterns("*.py"))
    for name in GOOD:
        shutil.copy(CORPUS / name, folder / name)
    (folder / "loop.pdf").symlink_to("loop.pdf")
    (folder / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    os.mkfifo(folder / "fifo.txt")
    return folder


def test_bad_inputs_are_one_line_each_and_the_good_files_are_stored(bad_folder: Path, tmp_path: Path) -> None:
    expected = dict(EXPECTED)
    if os.geteuid() != 0:  # root reads a chmod 000 file anyway
        (bad_folder / "unreadable.txt").write_text("a report\n")
        (bad_folder / "unreadable.txt").chmod(0)
        expected["unreadable.txt"] = "ermission denied"
    db = f"sqlite:///{tmp_path / 'e.db'}"
    args = [*EVIDENCE, "ingest", str(bad_folder), "--db", db, "--jobs", "2", "--max-pages", "10"]
    proc = subprocess.run(args, capture_output=True, text=True, env=_env(), timeout=120)
    assert proc.returncode == 1, proc.stderr
    output = proc.stdout + proc.stderr
    assert "Traceback" not in output
    lines = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    for name, reason in expected.items():
        mine = [line for line in lines if f"{os.sep}{name}:" in line]
        assert len(mine) == 1 and reason in mine[0], (name, lines)
    assert len(lines) == len(expected)
    engine = open_engine(db)
    with Session(engine) as session:
        stored = sorted(Path(p).name for p in session.exec(select(DocumentRow.path)).all())
        errors = sorted(Path(e.path).name for e in session.exec(select(ErrorRow)).all())
        warnings = session.exec(select(DocumentRow.warnings).where(DocumentRow.path.endswith("latin1_report.txt"))).one()  # type: ignore[attr-defined]
    assert stored == sorted([*GOOD, "latin1_report.txt"])  # non-UTF-8 text is read with a warning
    assert any("encoding" in w.lower() or "utf-8" in w.lower() for w in warnings), warnings
    assert errors == sorted(expected)
    listed = subprocess.run([*EVIDENCE, "errors", "--db", db], capture_output=True, text=True, env=_env(), timeout=60)
    assert listed.returncode == 0 and all(name in listed.stdout for name in expected), listed.stdout


def test_an_encrypted_pdf_is_read_with_its_password(tmp_path: Path) -> None:
    engine = open_engine(str(tmp_path / "e.db"))
    result = ingest_paths([BAD / "encrypted.pdf"], engine, jobs=1, password="luna9")
    assert result.ok and result.stored == 1
    wrong = ingest_paths([BAD / "encrypted.pdf"], open_engine(str(tmp_path / "f.db")), jobs=1, password="nope")
    assert wrong.failed == [(str(BAD / "encrypted.pdf"), "encrypted PDF (wrong password)")]


def test_the_size_limit_counts_pdf_pages_and_text_bytes(tmp_path: Path) -> None:
    check_size(str(BAD / "too_many_pages.pdf"), 12, None)  # at the limit: fine
    with pytest.raises(IngestError, match=r"too large: 12 pages \(limit 11; see --max-pages\)"):
        check_size(str(BAD / "too_many_pages.pdf"), 11, None)
    big = tmp_path / "big.txt"
    big.write_text("x" * 60_000)
    with pytest.raises(IngestError, match=r"too large: 0.1 MB \(limit 0.1 MB = 10 pages"):
        check_size(str(big), 10, None)
    check_size(str(big), None, None)  # no limit


def test_memory_error_and_a_bug_in_an_extractor_fail_only_their_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = write_reports(tmp_path / "in", 4)
    real = extract_run.extract_document

    def flaky(document):
        if document.path.endswith("trial_001.txt"):
            raise MemoryError
        if document.path.endswith("trial_002.txt"):
            raise KeyError("arm")
        return real(document)

    monkeypatch.setattr(extract_run, "extract_document", flaky)
    result = ingest_paths(paths, open_engine(str(tmp_path / "e.db")), jobs=1)
    assert sorted((Path(p).name, r) for p, r in result.failed) == [
        ("trial_001.txt", "out of memory"),
        ("trial_002.txt", "KeyError: 'arm'"),
    ]
    assert result.stored == 2


def test_the_time_limit_interrupts_a_worker_thread_too() -> None:
    caught: list[BaseException] = []

    def stuck() -> None:
        try:
            with time_limit(0.3, "x.pdf"):
                while True:
                    sum(range(1000))
        except ExtractionTimeout as exc:
            caught.append(exc)

    thread = threading.Thread(target=stuck)
    started = time.monotonic()
    thread.start()
    thread.join(10)
    assert not thread.is_alive() and len(caught) == 1 and time.monotonic() - started < 5


# ------------------------------------------------------------------------------------------
# crash safety, readers, locks, the skip key
# ------------------------------------------------------------------------------------------

SLOW_INGEST = (  # the real CLI, each document made slower so the batch is still running when killed
    "import time, extractor.extract.run as r; real = r.extract_document; "
    "r.extract_document = lambda d: (time.sleep(0.3), real(d))[1]; "
    "from extractor.cli import app; app()"
)


def test_a_batch_killed_with_sigkill_resumes_and_stores_every_file_once(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    write_reports(folder, 42)
    for name in ["a07_msc_phase1_abstract.txt", "a11_multitarget_rct.md", "b06_pubmed_export.xml"]:
        shutil.copy(CORPUS / name, folder / name)
    files = sorted(p.name for p in folder.iterdir())
    db_path = tmp_path / "e.db"
    db = f"sqlite:///{db_path}"
    args = ["ingest", str(folder), "--db", db, "--jobs", "2", "--no-progress"]
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_INGEST, *args], env=_env(), start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while _documents_in(db_path) < 3 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
        # a reader while the batch writes
        studies = subprocess.run([*EVIDENCE, "studies", "--db", db], capture_output=True, text=True, env=_env(), timeout=60)
        assert studies.returncode == 0, studies.stderr
        assert proc.poll() is None, "the batch ended before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)  # the batch and its workers
        proc.wait(10)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
    killed_at = _documents_in(db_path)
    assert 3 <= killed_at < len(files) + 2  # (the PubMed file gives 3 documents)
    again = subprocess.run([*EVIDENCE, *args], capture_output=True, text=True, env=_env(), timeout=180)
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr
    engine = open_engine(db)
    with Session(engine) as session:
        paths = [Path(p).name for p in session.exec(select(DocumentRow.path)).all()]
        assert sorted(set(paths)) == files
        assert len(paths) == len(files) + 2  # each file once; the PubMed file's 3 articles once each
        assert session.exec(select(func.count()).select_from(ErrorRow)).one() == 0
        runs = session.exec(select(Run).order_by(Run.id)).all()
        assert [r.finished is not None for r in runs] == [False, True]
        for table in DOCUMENT_TABLES:  # no duplicate items, none orphaned
            name = table.__tablename__
            dupes = session.exec(
                text(f"SELECT COUNT(*) FROM (SELECT document_id, ordinal FROM {name} GROUP BY 1, 2 HAVING COUNT(*) > 1)")
            ).one()[0]
            orphans = session.exec(
                text(f"SELECT COUNT(*) FROM {name} WHERE document_id NOT IN (SELECT id FROM documents)")
            ).one()[0]
            assert (dupes, orphans) == (0, 0), name
    assert runs[1].files_ok + runs[1].files_skipped == len(files)
    if runs[0].rules_hash == runs[1].rules_hash:  # (rules edited in between: everything is re-extracted)
        assert runs[1].files_skipped >= killed_at - 2


def _documents_in(db_path: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_a_database_locked_mid_batch_stops_it_with_one_line_and_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = write_reports(tmp_path / "in", 4)
    db_path = tmp_path / "e.db"
    engine = open_engine(str(db_path), busy_timeout_s=0.3)
    holder = sqlite3.connect(db_path)
    real = batch.save_file

    def then_lock(*args, **kwargs):
        statuses = real(*args, **kwargs)
        if not holder.in_transaction:
            holder.execute("BEGIN EXCLUSIVE")  # another process takes the write lock and keeps it
        return statuses

    monkeypatch.setattr(batch, "save_file", then_lock)
    try:
        with pytest.raises(StoreError) as caught:
            ingest_paths(paths, engine, jobs=1)
    finally:
        holder.rollback()
        holder.close()
    message = str(caught.value)
    assert "locked" in message and "\n" not in message and str(db_path) in message
    assert _count(engine, DocumentRow) == 1
    monkeypatch.setattr(batch, "save_file", real)
    result = ingest_paths(paths, engine, jobs=1)
    assert (result.skipped, result.stored, result.failed) == (1, 3, [])
    assert _count(engine, DocumentRow) == 4


def test_a_new_extractor_version_re_extracts_and_old_databases_get_the_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = write_reports(tmp_path / "in", 2)
    db_path = tmp_path / "e.db"
    engine = open_engine(str(db_path))
    assert ingest_paths(paths, engine, jobs=1).stored == 2
    assert ingest_paths(paths, engine, jobs=1).skipped == 2
    monkeypatch.setattr(store_db, "EXTRACTOR_VERSION", "99.0")
    again = ingest_paths(paths, engine, jobs=1)
    assert (again.skipped, again.unchanged) == (0, 2)
    with Session(engine) as session:
        assert set(session.exec(select(DocumentRow.extractor_version)).all()) == {"99.0"}
    assert ingest_paths(paths, engine, jobs=1).skipped == 2
    engine.dispose()
    with sqlite3.connect(db_path) as conn:  # a database from before the column existed
        conn.execute("ALTER TABLE documents DROP COLUMN extractor_version")
    reopened = open_engine(str(db_path))
    assert ingest_paths(paths, reopened, jobs=1).unchanged == 2  # re-extracted once, nothing duplicated
    assert _count(reopened, DocumentRow) == 2
