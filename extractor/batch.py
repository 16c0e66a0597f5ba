"""Ingest many files: discover -> hash -> (load + extract in workers) -> store in the parent.

* Files and folders are expanded by :func:`extractor.batch_files.discover` (recursive, hidden
  files, README and ``.evidenceignore`` patterns skipped, symlink loops handled).
* Every file is hashed before parsing: a file whose hash is stored with the current rules hash
  (or that repeats another file of this batch) is skipped, so a batch can be resumed.
* ``load`` + ``extract_document`` run in a process pool (``jobs=1``: in this process) with a
  per-document time limit; the parent is the ONE writer and stores each file in its own
  transaction. A failing file is recorded in ``errors`` with a one-line reason; the batch goes on.
* ``executor`` names the pool; only ``"process"`` exists now (a Dask executor can be added in
  ``_make_pool``, which only needs ``submit`` and futures).
"""

from __future__ import annotations

import dataclasses
import importlib
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine

from extractor.errors import ExtractionTimeout, ExtractorError, StoreError
from extractor.records import Document, EvidenceRecord
from extractor.resources import rules_hash as current_rules_hash
from extractor.batch_files import discover, file_sha256
from extractor.settings import DEFAULT_TIMEOUT_S
from extractor.store.db import open_engine, save_record
from extractor.store.read import known_file_hashes
from extractor.store.runs import finish_run, record_error, start_run

HARD_GRACE_S = 30.0
"""Past timeout + this, a worker stuck in C code is killed and its pool restarted."""
ExecutorKind = Literal["process"]
EXECUTORS: tuple[str, ...] = ("process",)


@dataclass(slots=True)
class FileOutcome:
    """What a worker sends back for one file."""

    path: str
    file_sha256: str
    results: list[tuple[Document, EvidenceRecord]] = field(default_factory=list)
    error: str | None = None
    pages: int = 0
    seconds: float = 0.0


@dataclass(slots=True)
class BatchResult:
    run_id: int | None = None
    files: int = 0  # files found
    stored: int = 0  # documents newly stored
    replaced: int = 0
    unchanged: int = 0
    skipped: int = 0  # files not parsed (already stored, or a duplicate in this batch)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, one-line reason)
    pages: int = 0
    seconds: float = 0.0
    doc_ids: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        return (
            f"{self.files} files: {self.stored} stored, {self.replaced} replaced, "
            f"{self.unchanged} unchanged, {self.skipped} skipped, {len(self.failed)} failed "
            f"({self.pages} pages, {self.seconds:.1f}s)"
        )


# --------------------------------------------------------------------------------------
# the work done on one file (in a worker process, or in-process with jobs=1)
# --------------------------------------------------------------------------------------


@contextmanager
def time_limit(seconds: float | None, path: str) -> Iterator[None]:
    """Raise ExtractionTimeout after ``seconds`` (SIGALRM; only in a process's main thread)."""
    usable = seconds and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def on_alarm(_signum: int, _frame: Any) -> None:
        raise ExtractionTimeout(f"took longer than {seconds:g}s", path=path)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _root(exc: BaseException) -> BaseException:
    """A timeout wrapped by a library (pdfplumber wraps pdfminer's errors) is still a timeout."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, ExtractionTimeout):
            return current
        seen.add(id(current))
        inner = current.args[0] if current.args and isinstance(current.args[0], BaseException) else None
        current = current.__cause__ or inner or current.__context__
    return exc


def _reason(exc: BaseException) -> str:
    exc = _root(exc)
    if isinstance(exc, ExtractorError):
        text = exc.message
    elif isinstance(exc, OSError):
        text = exc.strerror or str(exc)
    else:
        text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return " ".join(text.split())


def process_file(path: str, sha256: str, password: str | None, timeout_s: float | None) -> FileOutcome:
    """Load and extract one file; never raises (the error is in the outcome)."""
    # looked up at call time, so the stages are imported in workers (and can be replaced in tests)
    ingest = importlib.import_module("extractor.ingest.load")
    extract = importlib.import_module("extractor.extract.run")
    started = time.monotonic()
    outcome = FileOutcome(path=path, file_sha256=sha256)
    try:
        with time_limit(timeout_s, path):
            for document in ingest.load(path, password=password):
                record = extract.extract_document(document)
                # character boxes are large and not stored: don't ship them back to the parent
                outcome.results.append((dataclasses.replace(document, boxes=None), record))
                outcome.pages += len(document.pages)
        if not outcome.results:
            outcome.error = "no document in file"
    except Exception as exc:  # one bad file must not stop the batch
        outcome.results, outcome.error = [], _reason(exc)
    outcome.seconds = time.monotonic() - started
    return outcome


# --------------------------------------------------------------------------------------
# running the work
# --------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Task:
    path: str
    sha256: str
    suspect: bool = False  # in flight when a worker died: run alone next time to find the culprit


def _make_pool(executor: str, workers: int) -> Executor:
    if executor == "process":
        return ProcessPoolExecutor(max_workers=workers)
    raise ValueError(f"unknown executor {executor!r} (choose: {', '.join(EXECUTORS)})")


def _kill(pool: Executor) -> None:
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)


def _run_in_process(
    tasks: list[_Task], password: str | None, timeout_s: float | None, done: Callable[[FileOutcome], None]
) -> None:
    for task in tasks:
        done(process_file(task.path, task.sha256, password, timeout_s))


def _may_submit(pending: deque[_Task], inflight: dict[Any, tuple[_Task, float]], workers: int) -> bool:
    """A suspect runs alone, so that a crash while it runs is its own."""
    if not pending or len(inflight) >= workers:
        return False
    if any(task.suspect for task, _ in inflight.values()):
        return False
    return not (pending[0].suspect and inflight)


def _run_pool(
    tasks: list[_Task],
    workers: int,
    executor: str,
    password: str | None,
    timeout_s: float | None,
    done: Callable[[FileOutcome], None],
) -> None:
    """At most ``workers`` files in flight; a stuck or crashed pool is replaced and the batch goes on.

    A worker stuck past ``timeout + HARD_GRACE_S`` (in C code the time-limit signal cannot
    interrupt) is killed. When a worker dies, every file then in flight is run again alone: the
    one that kills its worker alone is reported, the others are stored.
    """
    pending = deque(tasks)
    while pending:
        pool = _make_pool(executor, workers)
        inflight: dict[Future[FileOutcome], tuple[_Task, float]] = {}
        restart = False
        try:
            while (pending or inflight) and not restart:
                while _may_submit(pending, inflight, workers):
                    task = pending.popleft()
                    future = pool.submit(process_file, task.path, task.sha256, password, timeout_s)
                    limit = (timeout_s + HARD_GRACE_S) if timeout_s else float("inf")
                    inflight[future] = (task, time.monotonic() + limit)
                finished, _ = wait(inflight, timeout=0.5, return_when=FIRST_COMPLETED)
                for future in finished:
                    task, _deadline = inflight.pop(future)
                    try:
                        outcome = future.result()
                    except BrokenProcessPool:
                        restart = True
                        if not task.suspect:
                            task.suspect = True
                            pending.appendleft(task)
                            continue
                        outcome = FileOutcome(task.path, task.sha256, error="worker process died (crash or out of memory)")
                    done(outcome)
                now = time.monotonic()
                for future, (task, deadline) in list(inflight.items()):
                    if deadline < now:
                        del inflight[future]
                        restart = True
                        done(FileOutcome(task.path, task.sha256, error=f"took longer than {timeout_s:g}s (worker killed)"))
        except BaseException:
            _kill(pool)
            raise
        if restart:
            for task, _deadline in inflight.values():  # bystanders of a killed pool: run them again
                pending.appendleft(task)
            _kill(pool)
        else:
            pool.shutdown(wait=True)


def _progress(enabled: bool) -> Any:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[pages]} pages"),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
        TextColumn("[red]{task.fields[failed]} failed"),
        console=Console(stderr=True),
        disable=not enabled,
    )


def ingest_paths(
    paths: Iterable[str | Path],
    engine: Engine | str | None = None,
    *,
    jobs: int = 0,
    timeout: float | None = DEFAULT_TIMEOUT_S,
    password: str | None = None,
    progress: bool = False,
    executor: ExecutorKind = "process",
) -> BatchResult:
    """Ingest files and folders into the store; see the module docstring. ``jobs=0``: all cores."""
    if jobs < 0:
        raise ValueError("jobs must be >= 0")
    if executor not in EXECUTORS:
        raise ValueError(f"unknown executor {executor!r} (choose: {', '.join(EXECUTORS)})")
    engine = engine if isinstance(engine, Engine) else open_engine(engine)
    started = time.monotonic()
    rules = current_rules_hash()
    result = BatchResult()
    files, missing = discover(paths)
    result.files = len(files)
    result.run_id = run_id = start_run(engine, rules)

    def fail(path: str, reason: str) -> None:
        result.failed.append((path, reason))
        record_error(engine, path, reason, run_id)

    for path, reason in missing:
        fail(path, reason)
    known = known_file_hashes(engine, rules)
    tasks: list[_Task] = []
    files_ok = 0
    with _progress(progress) as bar:
        task_id = bar.add_task("ingest", total=len(files), pages=0, rate="", failed=len(result.failed))

        def advance() -> None:
            bar.advance(task_id)
            completed = bar.tasks[0].completed
            elapsed = max(time.monotonic() - started, 1e-6)
            rate = f"{completed / elapsed:.1f} files/s"
            bar.update(task_id, pages=result.pages, rate=rate, failed=len(result.failed))

        for file in files:
            try:
                sha = file_sha256(file)
            except OSError as exc:
                fail(str(file), _reason(exc))
                advance()
                continue
            if sha in known:  # stored with these rules already, or a copy of a file in this batch
                result.skipped += 1
                advance()
                continue
            known.add(sha)
            tasks.append(_Task(str(file), sha))

        def store(outcome: FileOutcome) -> None:
            nonlocal files_ok
            if outcome.error is not None:
                fail(outcome.path, outcome.error)
            else:
                try:
                    for document, record in outcome.results:
                        status = save_record(
                            engine, document, record, file_sha256=outcome.file_sha256, rules_hash=rules, run_id=run_id
                        )
                        setattr(result, status, getattr(result, status) + 1)
                        result.doc_ids.append(record.document.id)
                    result.pages += outcome.pages
                    files_ok += 1
                except StoreError as exc:
                    fail(outcome.path, f"not stored: {exc.message}")
            advance()

        workers = jobs or (os.cpu_count() or 1)
        try:
            if workers == 1 or len(tasks) <= 1:
                _run_in_process(tasks, password, timeout, store)
            else:
                _warm_up()
                _run_pool(tasks, min(workers, len(tasks)), executor, password, timeout, store)
        finally:
            finish_run(engine, run_id, ok=files_ok, failed=len(result.failed), skipped=result.skipped)
    result.seconds = time.monotonic() - started
    return result


def _warm_up() -> None:
    """Import the stages once in the parent so forked workers start with them loaded."""
    for name in ("extractor.ingest.load", "extractor.extract.run"):
        try:
            importlib.import_module(name)
        except Exception:  # a worker will report the same failure per file
            pass
