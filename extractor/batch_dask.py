"""Load + extract on a Dask distributed cluster; this process stays the ONE writer.

``run_dask`` submits one task per file (:meth:`extractor.batch.Work.run`, i.e.
``batch_worker.process_file``) and hands each :class:`~extractor.batch_worker.FileOutcome`
(the documents' stored metadata and text, without character boxes, and their
EvidenceRecords) to ``done`` as it completes, which stores it in the database. Workers read
the files themselves: they need this package installed and the files at the same paths (a
shared file system). Without a scheduler address a LocalCluster of ``workers`` processes is
started for the batch.

A task runs in a worker thread: the per-document time limit interrupts Python code there
(an asynchronous exception), not C code; a worker that dies is retried by Dask and then
reported for its file.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from extractor.batch_worker import FileOutcome, reason_of, warm_up
from extractor.errors import ExtractorError

if TYPE_CHECKING:
    from extractor.batch import Task, Work

CONNECT_TIMEOUT_S = 20.0
"""How long to wait for the scheduler given with ``--scheduler``."""
INSTALL_HINT = "the dask executor needs dask and distributed: pip install 'trial-evidence[dask]'"


@contextmanager
def dask_client(scheduler: str | None, workers: int) -> Iterator[Any]:
    """A Client of the scheduler at ``scheduler``, or of a LocalCluster started (and stopped) here."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ExtractorError(INSTALL_HINT) from None
    if scheduler:
        try:
            client = Client(scheduler, timeout=f"{CONNECT_TIMEOUT_S}s")
        except (OSError, ValueError) as exc:
            raise ExtractorError(f"cannot reach the Dask scheduler ({reason_of(exc)})", path=scheduler) from None
        try:
            yield client
        finally:
            client.close()
        return
    with warnings.catch_warnings():  # "port 8787 is in use" when another cluster runs here
        warnings.simplefilter("ignore", UserWarning)
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
    try:
        with Client(cluster) as client:
            yield client
    finally:
        cluster.close()


def run_dask(
    tasks: list[Task], workers: int, scheduler: str | None, work: Work, done: Callable[[FileOutcome], None]
) -> None:
    """Run every task on the cluster; ``done`` (the writer) gets each outcome as it completes."""
    if not tasks:
        return
    with dask_client(scheduler, workers) as client:
        from distributed import as_completed

        try:
            client.run(warm_up)  # every worker imports the stages and builds the pipeline once
        except Exception as exc:  # noqa: BLE001 - e.g. the package is not installed on a worker
            raise ExtractorError(f"Dask workers cannot run the extractor ({reason_of(exc)})", path=scheduler) from None
        futures = {}
        for number, task in enumerate(tasks):
            future = client.submit(work.run, task, key=f"evidence-{number}-{task.sha256[:16]}", pure=False)
            futures[future.key] = (future, task)
        try:
            for future in as_completed([future for future, _ in futures.values()]):
                _, task = futures.pop(future.key)
                try:
                    outcome = future.result()
                except Exception as exc:  # noqa: BLE001 - a worker died (KilledWorker) or the task failed
                    outcome = FileOutcome(task.path, task.sha256, error=f"Dask worker failed ({reason_of(exc)})")
                future.release()
                done(outcome)
        finally:
            if futures:
                client.cancel([future for future, _ in futures.values()])
