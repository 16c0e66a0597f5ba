"""The ``evidence`` command: a thin typer layer over the library.

Each command is a few lines over a library function (batch, store, display...). To add a
command: write the library function, then a ``@app.command()`` here with ``Annotated``
parameters, a docstring with an ``Example:`` line, ``with _one_line_errors():`` around the work,
and a line in README.md's "## Commands" (tests/test_docs.py checks it).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from extractor.errors import ExtractorError
from extractor.review_cli import review_app
from extractor.settings import DEFAULT_MAX_PAGES, DEFAULT_TIMEOUT_S

APP_HELP = """Read clinical-trial reports (PDF, text, PubMed/JATS XML) into a structured evidence database.

Exit codes: 0 ok; 1 some files failed or were not found (one line each on stderr); 2 usage error.
"""

app = typer.Typer(
    help=APP_HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
rules_app = typer.Typer(help="Check the rule files under rules/.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")
app.add_typer(review_app)  # review, curate, query, compare, export, meta (extractor/review_cli.py)

DEFAULT_SCHEMA_PATH = Path("docs/evidence.schema.json")

# ------------------------------------------------------------------------------------------
# shared parameters
# ------------------------------------------------------------------------------------------

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL or SQLite file (default: $EVIDENCE_DB, then ./evidence.db)."),
]
PathsArgument = Annotated[list[Path], typer.Argument(help="Files and folders (folders are read recursively).")]
FilesArgument = Annotated[list[Path], typer.Argument(help="Report files.")]
JobsOption = Annotated[int, typer.Option("--jobs", "-j", min=0, help="Worker processes (0 = all cores).")]
TimeoutOption = Annotated[
    float, typer.Option("--timeout", min=0.1, help="Time limit per document, in seconds.")
]
PasswordOption = Annotated[str | None, typer.Option("--password", help="Password of encrypted PDFs.")]
ProgressOption = Annotated[
    bool | None, typer.Option("--progress/--no-progress", help="Progress display on stderr (default: if a terminal).")
]
MaxPagesOption = Annotated[
    int, typer.Option("--max-pages", min=1, help="Refuse files over this many PDF pages (text: 5 kB a page).")
]


class ExecutorName(str, Enum):
    process = "process"
    dask = "dask"


ExecutorOption = Annotated[
    ExecutorName, typer.Option("--executor", help="process: a pool on this machine; dask: a Dask cluster.")
]
SchedulerOption = Annotated[
    str | None,
    typer.Option("--scheduler", help="Dask scheduler tcp://HOST:PORT (implies --executor dask; default: a LocalCluster)."),
]


class OutputFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"
    table = "table"


# ------------------------------------------------------------------------------------------
# helpers
# ------------------------------------------------------------------------------------------


def _message(exc: BaseException) -> str:
    if isinstance(exc, OSError) and not isinstance(exc, ExtractorError):
        where = exc.filename or ""
        text = f"{where}: {exc.strerror}" if where and exc.strerror else str(exc)
    else:
        text = str(exc)
    return " ".join(text.split())


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


@contextmanager
def _one_line_errors() -> Iterator[None]:
    """ExtractorError / OSError -> one line on stderr and exit code 1, never a traceback."""
    try:
        yield
    except (ExtractorError, OSError) as exc:
        _fail(_message(exc))


def _console() -> Any:
    from extractor.display import make_console

    return make_console()


def _engine(db: str | None) -> Any:
    from extractor.store.db import open_engine

    return open_engine(db)


def _ingest(paths: list[Path], db: str | None, progress: bool | None, **options: Any) -> Any:
    from extractor.batch import ingest_paths

    engine = _engine(db)
    show = sys.stderr.isatty() if progress is None else progress
    if options.get("scheduler"):
        options["executor"] = ExecutorName.dask
    options["executor"] = options["executor"].value
    try:
        result = ingest_paths(paths, engine, progress=show, **options)
    except KeyboardInterrupt:
        typer.echo("interrupted: what was stored is kept; run the same command again to resume", err=True)
        raise typer.Exit(130) from None
    for path, reason in result.failed:
        typer.echo(f"error: {path}: {reason}", err=True)
    typer.echo(result.summary(), err=True)
    return engine, result


def _documents(file: Path, password: str | None) -> list[Any]:
    from extractor.ingest.load import load

    if not file.exists():
        raise FileNotFoundError(2, "no such file or directory", str(file))
    return load(file, password=password)


def render_schema() -> str:
    """The JSON Schema of the evidence record (what docs/evidence.schema.json holds)."""
    from extractor.records import EvidenceRecord

    schema = EvidenceRecord.model_json_schema(by_alias=True)
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "evidence.schema.json", **schema}
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


# ------------------------------------------------------------------------------------------
# commands
# ------------------------------------------------------------------------------------------


@app.command()
def ingest(
    paths: PathsArgument,
    db: DbOption = None,
    jobs: JobsOption = 0,
    timeout: TimeoutOption = DEFAULT_TIMEOUT_S,
    password: PasswordOption = None,
    progress: ProgressOption = None,
    max_pages: MaxPagesOption = DEFAULT_MAX_PAGES,
    executor: ExecutorOption = ExecutorName.process,
    scheduler: SchedulerOption = None,
) -> None:
    """Extract evidence from files and folders into the database (files already stored are skipped).

    Example: evidence ingest corpus/ --db evidence.db --jobs 2
    """
    with _one_line_errors():
        _, result = _ingest(
            paths, db, progress, jobs=jobs, timeout=timeout, password=password, max_pages=max_pages,
            executor=executor, scheduler=scheduler,
        )  # fmt: skip
    if not result.ok:
        raise typer.Exit(1)


@app.command()
def run(
    paths: PathsArgument,
    db: DbOption = None,
    jobs: JobsOption = 0,
    timeout: TimeoutOption = DEFAULT_TIMEOUT_S,
    password: PasswordOption = None,
    progress: ProgressOption = None,
    max_pages: MaxPagesOption = DEFAULT_MAX_PAGES,
    executor: ExecutorOption = ExecutorName.process,
    scheduler: SchedulerOption = None,
) -> None:
    """Ingest files and folders, then print the studies table.

    Example: evidence run corpus/
    """
    from extractor.display import StudiesTable
    from extractor.store.read import study_summaries

    with _one_line_errors():
        engine, result = _ingest(
            paths, db, progress, jobs=jobs, timeout=timeout, password=password, max_pages=max_pages,
            executor=executor, scheduler=scheduler,
        )  # fmt: skip
        _console().print(StudiesTable(study_summaries(engine)))
    if not result.ok:
        raise typer.Exit(1)


@app.command()
def extract(
    files: FilesArgument,
    format: Annotated[OutputFormat, typer.Option("--format", "-f", help="json, jsonl or table.")] = OutputFormat.json,
    password: PasswordOption = None,
) -> None:
    """Print the evidence record of each file, without a database.

    One file gives one JSON object, several give an array; jsonl gives one object a line.

    Example: evidence extract corpus/ranjbar-2022.pdf --format json
    """
    from extractor.extract.run import extract_document

    records, failed = [], False
    for file in files:
        try:
            records.extend(extract_document(document) for document in _documents(file, password))
        except (ExtractorError, OSError) as exc:
            message = _message(exc)
            typer.echo(f"error: {message if str(file) in message else f'{file}: {message}'}", err=True)
            failed = True
    if format is OutputFormat.table:
        from extractor.display import StudyView

        console = _console()
        for record in records:
            console.print(StudyView(record))
    elif format is OutputFormat.jsonl:
        for record in records:
            typer.echo(json.dumps(record.to_json_dict(), ensure_ascii=False))
    elif records:
        data = [r.to_json_dict() for r in records]
        typer.echo(json.dumps(data[0] if len(files) == 1 and len(data) == 1 else data, indent=2, ensure_ascii=False))
    if failed:
        raise typer.Exit(1)


@app.command()
def text(
    file: Annotated[Path, typer.Argument(help="A report file.")],
    page: Annotated[int | None, typer.Option("--page", "-p", min=1, help="Only this page (1-based).")] = None,
    password: PasswordOption = None,
) -> None:
    """Print the text evidence offsets point into (the whole document, or one page).

    Example: evidence text corpus/ranjbar-2022.pdf --page 3
    """
    with _one_line_errors():
        for document in _documents(file, password):
            if page is None:
                typer.echo(document.text)
                continue
            if not document.pages and page == 1:
                typer.echo(document.text)
                continue
            chosen = next((p for p in document.pages if p.number == page), None)
            if chosen is None:
                _fail(f"{file}: no page {page} (the document has {len(document.pages)} pages)")
            typer.echo(document.text[chosen.start : chosen.end])


@app.command()
def studies(db: DbOption = None) -> None:
    """Print the stored studies: design, N, arms, LN classes, study agents, follow-up.

    Example: evidence studies --db evidence.db
    """
    from extractor.display import StudiesTable
    from extractor.store.curation import curated_summaries

    with _one_line_errors():
        _console().print(StudiesTable(curated_summaries(_engine(db))))


@app.command()
def show(
    study: Annotated[str, typer.Argument(help="A study's doc_id, or a unique prefix of it.")],
    db: DbOption = None,
) -> None:
    """Print every record of one study grouped by kind, each with its source sentence.

    Example: evidence show ranjbar
    """
    from extractor.review_session import CuratedStudyView
    from extractor.store.curation import load_curated_record
    from extractor.store.read import resolve_study

    with _one_line_errors():
        engine = _engine(db)
        _console().print(CuratedStudyView(load_curated_record(engine, resolve_study(engine, study))))


@app.command()
def errors(
    db: DbOption = None,
    all_runs: Annotated[bool, typer.Option("--all", help="Errors of every run, not only the last.")] = False,
) -> None:
    """Print the files that failed (last run by default) with their reasons.

    Example: evidence errors --all
    """
    from extractor.display import ErrorsTable
    from extractor.store.runs import last_run, list_errors

    with _one_line_errors():
        engine = _engine(db)
        run_ = None if all_runs else last_run(engine)
        _console().print(ErrorsTable(list_errors(engine, run_id=run_.id if run_ else None)))


@rules_app.command("check")
def rules_check() -> None:
    """Load every rule file strictly and print what each holds (a bad file: exit code 1).

    Example: evidence rules check
    """
    from extractor.nlp.rules import check_all

    with _one_line_errors():
        for line in check_all():
            typer.echo(line)


@app.command()
def schema(
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write it ('-' for stdout).")] = DEFAULT_SCHEMA_PATH,
) -> None:
    """Write the JSON Schema of the evidence record (EVIDENCE_FORMAT.md).

    Example: evidence schema --out docs/evidence.schema.json
    """
    text_ = render_schema()
    if str(out) == "-":
        typer.echo(text_, nl=False)
        return
    with _one_line_errors():
        out.write_text(text_, encoding="utf-8")
    typer.echo(f"wrote {out}", err=True)


class EvalSplit(str, Enum):
    dev = "dev"
    test = "test"
    all = "all"


@app.command("eval")
def eval_(
    corpus: Annotated[Path, typer.Argument(help="Folder of reports (searched recursively).")] = Path("corpus"),
    gold: Annotated[Path | None, typer.Option("--gold", help="Gold folder (default: CORPUS/gold).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    split: Annotated[EvalSplit, typer.Option("--split", help="Documents of this split in SPLIT.md.")] = EvalSplit.all,
    misses: Annotated[bool, typer.Option("--misses/--no-misses", help="List misses and false positives.")] = True,
) -> None:
    """Score extraction against gold files: P/R/F1 per kind (matching rules: docs/EVAL.md).

    Example: evidence eval corpus --gold corpus/gold --split dev --no-misses
    """
    from extractor.evaluate import eval_command

    with _one_line_errors():
        eval_command(corpus, gold, as_json=as_json, split=split.value, misses=misses, console=_console())
