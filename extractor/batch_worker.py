"""The work done on one file: load + extract, in a worker process, a Dask worker or in-process.

:func:`process_file` never raises: whatever goes wrong (IngestError, a bug in an extractor,
MemoryError, a timeout) becomes a one-line reason in the :class:`FileOutcome`. A file over the
size limit (``max_pages``: PDF pages, or ``max_pages`` × :data:`TEXT_BYTES_PER_PAGE` bytes of
anything else) is refused before it is parsed.

The per-document time limit interrupts the work where it is: SIGALRM in a process's main
thread, an asynchronous exception in any other thread (Dask runs tasks in threads). Neither can
interrupt C code; the process pool kills a worker stuck past the limit (see ``batch.py``).
"""

from __future__ import annotations

import ctypes
import dataclasses
import importlib
import logging
import os
import resource
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractor.errors import ExtractionTimeout, ExtractorError, IngestError
from extractor.records import Document, EvidenceRecord
from extractor.settings import DEFAULT_MAX_PAGES

TEXT_BYTES_PER_PAGE = 5_000
"""A text or XML file counts as one page per this many bytes for the size limit (10 MB at 2000 pages)."""
PDF_MAGIC = b"%PDF-"
PDF_MAGIC_WINDOW = 1024
QUIET_LOGGERS = ("pdfminer", "pdfplumber")
"""Libraries that log warnings about harmless PDF quirks to stderr: only their errors are shown."""
WARM_UP_TEXT = (
    "Title: A randomised trial\n\nMETHODS: Forty patients with class IV lupus nephritis were randomised to "
    "mycophenolate mofetil 2 g/day (n = 20) or cyclophosphamide (n = 20) for 24 weeks.\n\nRESULTS: Complete "
    "response occurred in 9/20 (45.0%) and 7/20 (35.0%) patients at 6 months.\n"
)


@dataclass(slots=True)
class FileOutcome:
    """What a worker sends back for one file: its documents and records, or why it failed."""

    path: str
    file_sha256: str
    results: list[tuple[Document, EvidenceRecord]] = field(default_factory=list)
    error: str | None = None
    pages: int = 0
    seconds: float = 0.0
    peak_rss_mb: float = 0.0  # of the process that did the work, so far


class _TimedOut(ExtractionTimeout):
    """Raised asynchronously in a thread past its time limit (the class must build without args)."""

    def __init__(self, message: str = "took longer than the time limit", path: str | None = None) -> None:
        super().__init__(message, path)


def _async_raise(thread_id: int, exc_type: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(exc_type) if exc_type else None)


@contextmanager
def time_limit(seconds: float | None, path: str) -> Iterator[None]:
    """Raise ExtractionTimeout in this thread after ``seconds`` (None or 0: no limit)."""
    if not seconds:
        yield
        return
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        with _thread_time_limit(seconds):
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


@contextmanager
def _thread_time_limit(seconds: float) -> Iterator[None]:
    ident = threading.get_ident()
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def fire() -> None:
        with lock:
            if not state["done"]:
                state["fired"] = True
                _async_raise(ident, _TimedOut)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["done"] = True
        timer.cancel()
        if state["fired"]:
            _async_raise(ident, None)  # finished just in time: drop a still-pending interruption


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


def reason_of(exc: BaseException, timeout_s: float | None = None) -> str:
    """One line saying why a file failed."""
    exc = _root(exc)
    if isinstance(exc, ExtractionTimeout) and timeout_s:
        text = f"took longer than {timeout_s:g}s"
    elif isinstance(exc, ExtractorError):
        text = exc.message
    elif isinstance(exc, MemoryError):
        text = "out of memory"
    elif isinstance(exc, OSError):
        text = exc.strerror or str(exc)
    else:
        text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return " ".join(text.split())


def check_size(path: str, max_pages: int | None, password: str | None) -> None:
    """IngestError when the file is over the size limit (a PDF's page count is read, not parsed)."""
    if not max_pages:
        return
    size = os.path.getsize(path)
    with open(path, "rb") as handle:
        head = handle.read(PDF_MAGIC_WINDOW)
    if PDF_MAGIC not in head:
        limit = max_pages * TEXT_BYTES_PER_PAGE
        if size > limit:
            raise IngestError(
                f"too large: {size / 1e6:.1f} MB (limit {limit / 1e6:.1f} MB = {max_pages} pages; see --max-pages)"
            )
        return
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(path, password=password)
    except Exception:  # noqa: BLE001 - encrypted or corrupt: load() gives the reason
        return
    try:
        pages = len(pdf)
    finally:
        pdf.close()
    if pages > max_pages:
        raise IngestError(f"too large: {pages} pages (limit {max_pages}; see --max-pages)")


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1 << 20) if sys.platform == "darwin" else peak / 1024


def stored_part(document: Document) -> Document:
    """What the store reads of a Document (metadata, text, pages): all a worker sends back.

    Character boxes, sections and tables are large and already in the record's evidence.
    """
    return dataclasses.replace(document, boxes=None, sections=[], tables=[])


def process_file(
    path: str,
    sha256: str,
    password: str | None = None,
    timeout_s: float | None = None,
    max_pages: int | None = DEFAULT_MAX_PAGES,
) -> FileOutcome:
    """Load and extract one file; never raises (the error is in the outcome)."""
    # looked up at call time, so the stages are imported in workers (and can be replaced in tests)
    ingest = importlib.import_module("extractor.ingest.load")
    extract = importlib.import_module("extractor.extract.run")
    for name in QUIET_LOGGERS:  # stderr is for one line per failed file
        logging.getLogger(name).setLevel(logging.ERROR)
    started = time.monotonic()
    outcome = FileOutcome(path=path, file_sha256=sha256)
    try:
        with time_limit(timeout_s, path):
            check_size(path, max_pages, password)
            for document in ingest.load(path, password=password):
                record = extract.extract_document(document)
                outcome.results.append((stored_part(document), record))
                outcome.pages += len(document.pages)
        if not outcome.results:
            outcome.error = "no document in file"
    except (Exception, SystemExit) as exc:  # one bad file must not stop the batch (MemoryError too)
        outcome.results, outcome.error = [], reason_of(exc, timeout_s)
    outcome.seconds = time.monotonic() - started
    outcome.peak_rss_mb = _peak_rss_mb()
    return outcome


def warm_up() -> None:
    """Import the stages, build the spaCy pipeline and load every rule file, once per process.

    Run in the parent before the pool forks, its workers start warm; run as the pool's
    initializer, it warms a worker started another way (spawn, forkserver, a Dask worker).
    """
    try:
        with tempfile.TemporaryDirectory() as folder:
            sample = Path(folder, "warm_up.txt")
            sample.write_text(WARM_UP_TEXT, encoding="utf-8")
            ingest = importlib.import_module("extractor.ingest.load")
            extract = importlib.import_module("extractor.extract.run")
            for document in ingest.load(sample):
                extract.extract_document(document)
    except Exception:  # noqa: BLE001 - a worker will report the same failure per file
        pass


def init_worker() -> None:
    """Pool initializer: Ctrl-C is the parent's to handle (no traceback per worker)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warm_up()
