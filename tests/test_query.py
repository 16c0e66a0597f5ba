"""``evidence query``: filters (incl. time windows) through the real CLI on a real SQLite file."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import Any

import pytest
from review_data import make_db
from sqlalchemy import event
from typer.testing import CliRunner

from extractor.cli import app
from extractor.query import Filters, classes_matching, long_rows, parse_time
from extractor.store.db import open_engine

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return make_db(tmp_path_factory.mktemp("query"))


def query(db: str, *args: str) -> list[dict[str, Any]]:
    result = runner.invoke(app, ["query", "--db", db, "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def keys(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(r["study"], r["arm"], r["measure"], r["time_value"], r["time_unit"]) for r in rows]


def test_response_type_and_arms(db: str) -> None:
    rows = query(db, "--response", "complete")
    assert keys(rows) == [
        ("deng-2017", "A1", "complete", 12, "month"),
        ("deng-2017", "A2", "complete", 12, "month"),
        ("ranjbar-2022", "A1", "complete", 24, "week"),  # unattributed item of a single-arm study
    ]
    assert [(r["events"], r["total"], r["arm_role"]) for r in rows] == [(5, 12, "experimental"), (3, 6, "placebo"), (3, 9, "experimental")]


@pytest.mark.parametrize(
    ("time", "expected"),
    [
        ("6mo", {("ranjbar-2022", 24, "week"), ("wang-2014", 6, "month")}),  # 24 weeks ≈ 6 months
        ("24w", {("ranjbar-2022", 24, "week"), ("wang-2014", 6, "month")}),
        ("1y", {("deng-2017", 12, "month"), ("deng-2019-followup", 12, "month"), ("wang-2014", 12, "month"),
                ("ranjbar-2022", 52, "week"), ("li-2020", 48, "week")}),  # 48 weeks ≈ 1 year, as 24 weeks ≈ 6 months
        ("12m", {("deng-2017", 12, "month"), ("deng-2019-followup", 12, "month"), ("wang-2014", 12, "month"),
                 ("ranjbar-2022", 52, "week"), ("li-2020", 48, "week")}),
        ("50w", {("deng-2017", 12, "month"), ("deng-2019-followup", 12, "month"), ("wang-2014", 12, "month"),
                 ("ranjbar-2022", 52, "week"), ("li-2020", 48, "week")}),
        ("44w", {("li-2020", 48, "week")}),  # 39.6 to 48.4 weeks
        ("48w..52w", {("deng-2017", 12, "month"), ("deng-2019-followup", 12, "month"), ("wang-2014", 12, "month"),
                      ("ranjbar-2022", 52, "week"), ("li-2020", 48, "week")}),
        ("60w..", {("furie-2020", 104, "week")}),
        ("..30w", {("ranjbar-2022", 24, "week"), ("wang-2014", 6, "month")}),
    ],
)  # fmt: skip
def test_time_windows(db: str, time: str, expected: set[tuple[Any, ...]]) -> None:
    rows = query(db, "--time", time)
    responses = {(r["study"], r["time_value"], r["time_unit"]) for r in rows if r["kind"] == "response"}
    assert responses == expected


def test_baseline(db: str) -> None:
    rows = query(db, "--time", "baseline")
    assert keys(rows) == [("wang-2014", "A1", "sledai", 0, "day")]
    assert rows[0]["time_label"] == "baseline"


def test_measure_only_gives_outcomes(db: str) -> None:
    rows = query(db, "--measure", "proteinuria_24h")
    assert {r["kind"] for r in rows} == {"outcome"}
    assert [(r["study"], r["median"], r["q1"], r["q3"], r["min"], r["max"]) for r in rows] == [
        ("deng-2017", 2.5, 1.2, 4.1, None, None),
        ("wang-2014", 2.5, None, None, 0.8, 9.6),
    ]


@pytest.mark.parametrize(
    ("ln_class", "studies"),
    [
        ("IV", {"deng-2017", "deng-2019-followup", "wang-2014", "ranjbar-2022", "li-2020", "furie-2020"}),
        ("IV-S", {"ranjbar-2022"}),
        ("V", {"wang-2014", "li-2020", "furie-2020"}),
        ("III", {"deng-2017", "furie-2020"}),
        ("iv+v", {"li-2020"}),
        ("VI", set()),
    ],
)
def test_ln_class(db: str, ln_class: str, studies: set[str]) -> None:
    assert {r["study"] for r in query(db, "--class", ln_class)} == studies


def test_design_agent_and_min_n(db: str) -> None:
    assert {r["study"] for r in query(db, "--design", "rct")} == {"deng-2017", "deng-2019-followup", "furie-2020"}
    assert {r["study"] for r in query(db, "--design", "single-arm", "--min-n", "15")} == {"wang-2014", "li-2020"}
    assert {r["study"] for r in query(db, "--agent", "Umbilical")} == {"deng-2017", "deng-2019-followup", "wang-2014"}
    assert {r["study"] for r in query(db, "--agent", "placebo")} == {"deng-2017", "furie-2020"}  # comparator agents count
    both = query(db, "--agent", "belimumab", "--response", "overall", "--time", "2y", "--min-n", "400")
    assert [(r["arm"], r["events"], r["total"], r["agent"]) for r in both] == [("A1", 96, 224, "belimumab"), ("A2", 72, 224, "placebo")]


@pytest.mark.parametrize("value", ["x' OR 1=1 --", "%", "_", "mesenchymal%stem"])
def test_filter_values_are_bound_not_spliced(db: str, value: str) -> None:
    assert query(db, "--agent", value) == []
    assert query(db, "--design", value) == []
    assert query(db, "--response", value) == []


def test_sql_statements_carry_values_only_as_parameters(db: str) -> None:
    engine = open_engine(db)
    seen: list[tuple[str, Any]] = []
    event.listen(engine, "before_cursor_execute", lambda *a: seen.append((a[2], a[3])))
    rows = long_rows(engine, Filters(agent="belimumab", response="overall", design="randomised", time=parse_time("104w")))
    assert {r["study"] for r in rows} == {"furie-2020"}
    assert seen and not [s for s, _ in seen if "belimumab" in s or "'randomised'" in s or "'overall'" in s]
    params = " ".join(str(p) for _, p in seen)
    assert "%belimumab%" in params and "randomised" in params and "overall" in params


def test_csv_and_table_formats(db: str) -> None:
    result = runner.invoke(app, ["query", "--db", db, "--format", "csv", "--response", "major_clinical"])
    assert result.exit_code == 0, result.output
    (row,) = list(csv.DictReader(io.StringIO(result.stdout)))
    assert (row["study"], row["events"], row["total"], row["time_weeks"]) == ("wang-2014", "13", "40", "52.18")
    table = runner.invoke(app, ["query", "--db", db, "--response", "major_clinical"], env={"COLUMNS": "160"})
    assert table.exit_code == 0, table.output
    assert "1 rows" in table.stdout and "13/40 (32.5%)" in table.stdout and "12 month" in table.stdout


@pytest.mark.parametrize("bad", ["soon", "6 fortnights", "52w..24w", "w"])
def test_bad_time_is_a_usage_error(db: str, bad: str) -> None:
    result = runner.invoke(app, ["query", "--db", db, "--time", bad])
    assert result.exit_code == 2
    assert "time" in result.output


def test_parse_time_and_classes() -> None:
    window = parse_time("24w")
    assert window.point == (24.0, "week") and window.contains(6 * 30.4375) and not window.contains(140)
    assert parse_time("24w..").high == math.inf
    assert classes_matching("IV") == ["IV", "IV-S", "IV-G", "IV+V", "III/IV"]
    assert classes_matching("iv-g") == ["IV-G"]


def test_no_database_rows_prints_empty(tmp_path: Path) -> None:
    assert query(str(tmp_path / "empty.db")) == []
