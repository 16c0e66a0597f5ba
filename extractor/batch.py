"""Ingest many files: discover -> hash -> (load + extract in workers) -> store in the parent.

* Files and folders are expanded by :func:`extractor.batch_files.discover` (recursive, hidden
  files, README and ``.evidenceignore`` patterns skipped; a broken symlink, a symlink loop or a
  FIFO is reported as a failure, not dropped).
* Every file is hashed before parsing: a file whose hash is stored with the current rules hash
  and extractor version (or that repeats another file of this batch) is skipped, so a batch
  killed at any point resumes where it stopped and stores every file exactly once.
* ``load`` + ``extract_document`` (:func:`extractor.batch_worker.process_file`) run in a process
  pool (``jobs=1``: in this process) or on a Dask cluster (``executor="dask"``), with a
  per-document time limit and a size limit (``max_pages``). The parent is the ONE writer and
  stores each file in its own transaction. A failing file is recorded in ``errors`` with a
  one-line reason and the batch goes on; a locked database stops it (StoreError): what was
  stored stays stored, and the next run resumes.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine

from extractor.batch_files import discover, file_sha256
from extractor.batch_worker import FileOutcome, init_worker, process_file, reason_of, warm_up
from extractor.errors import StoreError
from extractor.resources import rules_hash as current_rules_hash
from extractor.settings import DEFAULT_MAX_PAGES, DEFAULT_TIMEOUT_S
from extractor.store.db import is_locked, open_engine, save_file, stored_file_hashes
from extractor.store.runs import finish_run, record_error, start_run

HARD_GRACE_S = 30.0
"""Past timeout + this, a worker stuck in C code is killed and its pool restarted."""
QUEUED_PER_WORKER = 2
"""Files in flight per worker: the next file is waiting when a worker finishes one."""
ExecutorKind = Literal["process", "dask"]
EXECUTORS: tuple[str, ...] = ("process", "dask")


@dataclass(frozen=True, slots=True)
class Work:
    """The per-file arguments every task gets."""

    password: str | None = None
    timeout_s: float | None = DEFAULT_TIMEOUT_S
    max_pages: int | None = DEFAULT_MAX_PAGES

    def run(self, task: Task) -> FileOutcome:
        return process_file(task.path, task.sha256, self.password, self.timeout_s, self.max_pages)


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
    peak_worker_mb: float = 0.0  # peak resident memory of the busiest worker (in-process: this process)
    work_seconds: float = 0.0  # sum of the files' load + extract times: / seconds = workers kept busy

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
# running the work
# --------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------
# running the work
# --------------------------------------------------------------------------------------


@dataclass(slots=True)
class Task:
    path: str
    sha256: str
    suspect: bool = False  # in flight when a worker died: run alone next time to find the culprit


def _kill(pool: ProcessPoolExecutor) -> None:
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)


def _run_in_process(tasks: list[Task], work: Work, done: Callable[[FileOutcome], None]) -> None:
    for task in tasks:
        done(work.run(task))


def _may_submit(pending: deque[Task], inflight: dict[Any, tuple[Task, float]], workers: int) -> bool:
    """A suspect runs alone, so that a crash while it runs is its own."""
    if not pending or len(inflight) >= workers * QUEUED_PER_WORKER:
        return False
    if any(task.suspect for task, _ in inflight.values()):
        return False
    return not (pending[0].suspect and inflight)


def _run_pool(tasks: list[Task], workers: int, work: Work, done: Callable[[FileOutcome], None]) -> None:
    """``QUEUED_PER_WORKER`` files in flight per worker; a stuck or crashed pool is replaced, the batch goes on.

    A file running for ``timeout + HARD_GRACE_S`` (counted from when the pool hands it to a
    worker; its worker is stuck in C code the time-limit signal cannot interrupt) is failed and
    its worker killed. When a worker dies, every file then in flight is run again alone: the
    one that kills its worker alone is reported, the others are stored.
    """
    pending = deque(tasks)
    timeout_s = work.timeout_s
    while pending:
        pool = ProcessPoolExecutor(max_workers=workers, initializer=init_worker)
        inflight: dict[Future[FileOutcome], tuple[Task, float]] = {}  # deadline: inf until running
        restart = False
        try:
            while (pending or inflight) and not restart:
                while _may_submit(pending, inflight, workers):
                    task = pending.popleft()
                    future = pool.submit(work.run, task)
                    inflight[future] = (task, float("inf"))
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
                    if deadline == float("inf") and timeout_s and future.running():
                        inflight[future] = (task, now + timeout_s + HARD_GRACE_S)
                    elif deadline < now:
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
        TextColumn("files, {task.fields[pages]} pages"),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
        TextColumn("[red]{task.fields[failed]} failed"),
        console=Console(stderr=True),
        disable=not enabled,
        transient=False,
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
    scheduler: str | None = None,
    max_pages: int | None = DEFAULT_MAX_PAGES,
) -> BatchResult:
    """Ingest files and folders into the store; see the module docstring. ``jobs=0``: all cores.

    ``scheduler`` (``tcp://host:port``) is the Dask scheduler of ``executor="dask"`` (default: a
    LocalCluster of ``jobs`` workers). A locked or unreachable database raises StoreError.
    """
    if jobs < 0:
        raise ValueError("jobs must be >= 0")
    if executor not in EXECUTORS:
        raise ValueError(f"unknown executor {executor!r} (choose: {', '.join(EXECUTORS)})")
    engine = engine if isinstance(engine, Engine) else open_engine(engine)
    started = time.monotonic()
    rules = current_rules_hash()
    result = BatchResult()
    files, problems = discover(paths)
    result.files = len(files) + len(problems)
    result.run_id = run_id = start_run(engine, rules)
    work = Work(password, timeout, max_pages)

    def fail(path: str, reason: str) -> None:
        result.failed.append((path, reason))
        record_error(engine, path, reason, run_id)

    for path, reason in problems:
        fail(path, reason)
    known = stored_file_hashes(engine, rules)
    tasks: list[Task] = []
    files_ok = 0
    with _progress(progress) as bar:
        task_id = bar.add_task("ingest", total=result.files, pages=0, rate="", failed=len(result.failed))
        bar.advance(task_id, len(problems))

        def advance() -> None:
            bar.advance(task_id)
            elapsed = max(time.monotonic() - started, 1e-6)
            rate = f"{bar.tasks[0].completed / elapsed:.1f} files/s, {result.pages / elapsed:.1f} pages/s"
            bar.update(task_id, pages=result.pages, rate=rate, failed=len(result.failed))

        for file in files:
            try:
                sha = file_sha256(file)
            except OSError as exc:
                fail(str(file), reason_of(exc))
                advance()
                continue
            if sha in known:  # stored with these rules and this version, or a copy of a file in this batch
                result.skipped += 1
                advance()
                continue
            known.add(sha)
            tasks.append(Task(str(file), sha))

        def store(outcome: FileOutcome) -> None:
            nonlocal files_ok
            result.peak_worker_mb = max(result.peak_worker_mb, outcome.peak_rss_mb)
            result.work_seconds += outcome.seconds
            if outcome.error is not None:
                fail(outcome.path, outcome.error)
                advance()
                return
            try:
                statuses = save_file(
                    engine, outcome.results, file_sha256=outcome.file_sha256, rules_hash=rules, run_id=run_id
                )
            except StoreError as exc:
                if is_locked(exc):
                    raise  # every other write would fail too: stop; the next run resumes
                fail(outcome.path, f"not stored: {exc.message}")
            except Exception as exc:  # noqa: BLE001 - a record the store cannot take: that file fails
                fail(outcome.path, f"not stored: {reason_of(exc)}")
            else:
                for status, (_document, record) in zip(statuses, outcome.results):
                    setattr(result, status, getattr(result, status) + 1)
                    result.doc_ids.append(record.document.id)
                result.pages += outcome.pages
                files_ok += 1
            advance()

        finished = False
        try:
            _run(tasks, jobs, executor, scheduler, work, store)
            finished = True
        finally:
            try:
                finish_run(engine, run_id, ok=files_ok, failed=len(result.failed), skipped=result.skipped)
            except StoreError:
                if finished:
                    raise
    result.seconds = time.monotonic() - started
    return result


def _run(
    tasks: list[Task], jobs: int, executor: str, scheduler: str | None, work: Work, done: Callable[[FileOutcome], None]
) -> None:
    """``jobs=1`` (asked for, not a 1-core machine) or a single file: in this process, no pool."""
    workers = jobs or (os.cpu_count() or 1)
    if executor == "dask":
        from extractor.batch_dask import run_dask

        run_dask(tasks, workers, scheduler, work, done)
        return
    if jobs == 1 or len(tasks) <= 1:
        _run_in_process(tasks, work, done)
        return
    # the biggest files first, so that no worker is left with a big file at the end
    tasks = sorted(tasks, key=lambda task: _size(task.path), reverse=True)
    warm_up()  # forked workers start with the stages imported and the pipeline built
    _run_pool(tasks, min(workers, len(tasks)), work, done)


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0
