"""The reviewer's commands (review, curate, query, compare, export, meta): a typer app merged into ``evidence``.

``cli.py`` adds this app with ``app.add_typer(review_app)`` (no name, so the commands sit at
the top level). Each command is a few lines over a library function in ``review_session``,
``store.curation``, ``query``, ``compare``, ``export`` or ``meta_query``.
"""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from extractor.errors import ExtractorError

review_app = typer.Typer(add_completion=False, rich_markup_mode=None)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL or SQLite file (default: $EVIDENCE_DB, then ./evidence.db)."),
]
CuratorOption = Annotated[str | None, typer.Option("--curator", help="Who curates (default: your login name).")]


class TableFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


class ExportFormat(str, Enum):
    csv = "csv"
    json = "json"
    metafor = "metafor"


class Method(str, Enum):
    dl = "dl"
    pm = "pm"


class Transform(str, Enum):
    logit = "logit"
    ft = "ft"


class Effect(str, Enum):
    RR = "RR"
    OR = "OR"


@contextmanager
def _errors() -> Iterator[None]:
    """Expected failures -> one line on stderr and exit code 1, never a traceback."""
    try:
        yield
    except (ExtractorError, OSError, ValueError) as exc:
        typer.echo(f"error: {' '.join(str(exc).split())}", err=True)
        raise typer.Exit(1) from None


def _engine(db: str | None) -> Any:
    from extractor.store.db import open_engine

    return open_engine(db)


def _console() -> Any:
    from extractor.display import make_console

    return make_console()


def _curator(curator: str | None) -> str | None:
    if curator:
        return curator
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return None


def _time(value: str | None) -> Any:
    from extractor.query import parse_time

    if value is None:
        return None
    try:
        return parse_time(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def _ask(question: str, choices: Any, default: str | None) -> str:
    """typer.prompt until the answer is one of ``choices``; end of input -> EOFError."""
    while True:
        try:
            answer = str(typer.prompt(question, default=default, show_default=default is not None)).strip()
        except typer.Abort:
            raise EOFError from None
        if not choices or answer in choices:
            return answer
        typer.echo(f"answer one of {', '.join(choices)}", err=True)


@review_app.command()
def review(
    study: Annotated[str | None, typer.Argument(help="A study's doc_id or unique prefix (default: every study).")] = None,
    db: DbOption = None,
    curator: CuratorOption = None,
    kind: Annotated[list[str] | None, typer.Option("--kind", help="Only these item kinds (responses, outcomes...).")] = None,
    all_items: Annotated[bool, typer.Option("--all", help="Also items already accepted, edited or rejected.")] = False,
    list_only: Annotated[bool, typer.Option("--list", help="Print every item with its id and status; ask nothing.")] = False,
) -> None:
    """Walk a study's extracted items with their source sentences: accept, edit, reject, skip or quit.

    Example: evidence review ranjbar --kind responses
    """
    from extractor.review_session import ReviewList, ReviewSummary, review_items
    from extractor.store.curation import curated_items
    from extractor.store.read import doc_ids, resolve_study

    with _errors():
        engine, console = _engine(db), _console()
        studies = [resolve_study(engine, study)] if study else doc_ids(engine)
        summary = ReviewSummary()
        for doc_id in studies:
            if list_only:
                console.print(ReviewList(doc_id, curated_items(engine, doc_id)))
                continue
            review_items(engine, doc_id, console, _ask, curator=_curator(curator), kinds=kind, all_items=all_items, summary=summary)
            if summary.quit:
                break
        if not list_only:
            typer.echo(summary.line(), err=True)


@review_app.command()
def curate(
    study: Annotated[str, typer.Argument(help="A study's doc_id or unique prefix.")],
    item: Annotated[str, typer.Argument(help="The item: kind:number as review/show print it (responses:3), or its item_key.")],
    set_: Annotated[list[str] | None, typer.Option("--set", help="field=value (JSON value; time=24w also works). Repeatable.")] = None,
    reject: Annotated[bool, typer.Option("--reject", help="Reject the item (left out of queries, exports, meta).")] = False,
    accept: Annotated[bool, typer.Option("--accept", help="Accept the item as extracted (undoes a reject).")] = False,
    note: Annotated[str | None, typer.Option("--note", help="Why (kept with the curation).")] = None,
    curator: CuratorOption = None,
    db: DbOption = None,
) -> None:
    """Accept, edit or reject one extracted item without prompts; it stays curated across re-ingestion.

    Example: evidence curate ranjbar responses:1 --set n=4 --set N=9
    """
    from extractor.store.curation import add_curation, apply_curations, consistency_notes, list_curations, parse_value, resolve_item  # fmt: skip
    from extractor.store.read import resolve_study

    if sum([bool(set_), reject, accept]) != 1:
        raise typer.BadParameter("give exactly one of --set field=value, --reject, --accept")
    edits = []
    for pair in set_ or []:
        name, sep, raw = pair.partition("=")
        if not sep or not name.strip():
            raise typer.BadParameter(f"--set takes field=value, got {pair!r}")
        value = parse_value(raw)
        if name.strip() == "time" and isinstance(value, str):
            window = _time(value)
            value = {"value": 0, "unit": "day", "label": "baseline"} if window.baseline else dict(zip(("value", "unit"), window.point or ()))
        edits.append((name.strip(), value))
    action = "edit" if edits else "reject" if reject else "accept"
    with _errors():
        engine = _engine(db)
        doc_id = resolve_study(engine, study)
        saved = add_curation(engine, doc_id, item, action, edits=edits, curator=_curator(curator), note=note)
        for cur in saved:
            what = f"{cur.field} = {json.dumps(cur.value, ensure_ascii=False)}" if cur.action == "edit" else cur.action + "ed"
            typer.echo(f"{doc_id} {cur.kind}:{cur.item_key}: {what}")
        kind, row = resolve_item(engine, doc_id, f"{saved[0].kind}:{saved[0].item_key}")
        for warning in consistency_notes(kind, apply_curations(row.item, list_curations(engine, doc_id, item_key=row.item_key))[0]):
            typer.echo(f"warning: {warning}", err=True)


@review_app.command()
def query(
    agent: Annotated[str | None, typer.Option("--agent", help="Study or comparator agent contains this text.")] = None,
    measure: Annotated[str | None, typer.Option("--measure", help="Outcome measure id (proteinuria_24h, egfr...).")] = None,
    response: Annotated[str | None, typer.Option("--response", help="Response type (complete, partial, overall...).")] = None,
    time: Annotated[str | None, typer.Option("--time", help="6mo, 24w, 1y, baseline (±10 %), or a range 24w..52w.")] = None,
    ln_class: Annotated[str | None, typer.Option("--class", help="LN class (IV also selects IV-S, IV-G, IV+V, III/IV).")] = None,
    design: Annotated[str | None, typer.Option("--design", help="randomised, single-arm, ... (rct = randomised).")] = None,
    min_n: Annotated[int | None, typer.Option("--min-n", min=0, help="Studies with at least this many patients.")] = None,
    format: Annotated[TableFormat, typer.Option("--format", "-f", help="table, csv or json.")] = TableFormat.table,
    db: DbOption = None,
) -> None:
    """Curated rows (study × arm × response/measure × time) that pass the filters.

    Example: evidence query --response complete --time 24w..52w --class IV --format csv
    """
    from extractor.export import RowsTable, write_csv, write_json
    from extractor.query import LONG_COLUMNS, Filters, long_rows

    window = _time(time)
    with _errors():
        filters = Filters(agent=agent, measure=measure, response=response, time=window, ln_class=ln_class, design=design, min_n=min_n)
        rows = long_rows(_engine(db), filters)
        if format is TableFormat.table:
            _console().print(RowsTable(rows))
        elif format is TableFormat.csv:
            write_csv(rows, sys.stdout, LONG_COLUMNS)
        else:
            write_json(rows, sys.stdout)


@review_app.command()
def compare(
    studies: Annotated[list[str], typer.Argument(help="Two or more doc_ids (or unique prefixes).")],
    db: DbOption = None,
) -> None:
    """Studies side by side: design, N, classes, study dose, responses and key outcomes at matched times.

    Example: evidence compare a01 a02 a03
    """
    from extractor.compare import ComparisonTable, compare_studies

    with _errors():
        _console().print(ComparisonTable(compare_studies(_engine(db), studies)))


@review_app.command()
def export(
    format: Annotated[ExportFormat, typer.Option("--format", "-f", help="csv, json or metafor (escalc column names).")] = ExportFormat.csv,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write here instead of stdout.")] = None,
    db: DbOption = None,
) -> None:
    """Every curated response, outcome and adverse event in long format, medians converted beside (Wan/Luo).

    Example: evidence export --format metafor --out evidence.csv
    """
    from extractor.export import write_export
    from extractor.query import KINDS, Filters, long_rows

    with _errors():
        rows = long_rows(_engine(db), Filters(kinds=KINDS))
        if out is None:
            write_export(rows, format.value, sys.stdout)
            return
        with out.open("w", encoding="utf-8", newline="") as file:
            count = write_export(rows, format.value, file)
        typer.echo(f"wrote {count} rows to {out}", err=True)


@review_app.command()
def meta(
    response: Annotated[str, typer.Option("--response", help="Response type to pool (complete, overall...).")],
    time: Annotated[str | None, typer.Option("--time", help="Time point (52w, 12mo); closest within ±25 %, else each study's last.")] = None,
    agent: Annotated[str | None, typer.Option("--agent", help="Experimental arm's agent contains this text.")] = None,
    method: Annotated[Method, typer.Option("--method", help="τ² estimator: dl (DerSimonian–Laird) or pm (Paule–Mandel).")] = Method.dl,
    hksj: Annotated[bool, typer.Option("--hksj", help="Hartung–Knapp–Sidik–Jonkman CI (t, k − 1 df).")] = False,
    transform: Annotated[Transform, typer.Option("--transform", help="logit or ft (Freeman–Tukey).")] = Transform.logit,
    compare_arms: Annotated[bool, typer.Option("--compare", help="Two-arm studies: experimental vs control/placebo.")] = False,
    effect: Annotated[Effect, typer.Option("--effect", help="RR or OR for --compare.")] = Effect.RR,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    plot: Annotated[Path | None, typer.Option("--plot", help="Write a forest plot (PNG, SVG, PDF by suffix).")] = None,
    db: DbOption = None,
) -> None:
    """Random-effects meta-analysis of a response rate from the curated store (one study = one trial).

    Example: evidence meta --response complete --time 52w --hksj --plot forest.png
    """
    from extractor.meta_query import MetaRequest, run_meta

    window = _time(time)
    if window is not None and window.point is None:
        raise typer.BadParameter("meta --time takes one time point (e.g. 52w), not a range or baseline")
    request = MetaRequest(response, window.point if window else None, agent, method.value, hksj, transform.value,
                          compare_arms, effect.value)  # fmt: skip
    with _errors():
        result = run_meta(_engine(db), request)
        if plot is not None:
            from extractor.meta_forest import plot_forest

            plot_forest(result, plot)
        if as_json:
            typer.echo(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
        else:
            _print_meta(result)
        if plot is not None:
            typer.echo(f"wrote {plot}", err=True)


def _print_meta(result: Any) -> None:
    console = _console()
    console.print(result)
    label = "pooled proportion" if result.measure == "proportion" else f"pooled {result.measure}"
    pi = f"; prediction interval {result.pi_low:.3f}–{result.pi_high:.3f}" if result.pi_low is not None else ""
    console.print(f"{label} {result.estimate:.3f} (95% CI {result.ci_low:.3f}–{result.ci_high:.3f}); "
                  f"k={result.k}, τ²={result.tau2:.4f}, I²={100 * result.i2:.1f}%{pi}")  # fmt: skip
    for note in result.notes:
        console.print(f"note: {note}", style="evidence.rule")
