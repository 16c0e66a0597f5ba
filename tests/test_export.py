"""``evidence export``: long-format CSV/JSON/metafor columns, curations and the Wan/Luo estimates."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from review_data import make_db
from typer.testing import CliRunner

from extractor.cli import app
from extractor.export import estimate

runner = CliRunner()

REQUIRED = [
    "study", "arm", "arm_role", "kind", "measure", "time_value", "time_unit", "time_weeks", "events", "total",
    "mean", "sd", "median", "q1", "q3", "min", "max", "n", "unit", "definition", "registry_ids", "source_page",
    "source_text", "curation",
]  # fmt: skip


@pytest.fixture
def db(tmp_path: Path) -> str:
    return make_db(tmp_path)


def export(db: str, fmt: str) -> list[dict[str, str]]:
    result = runner.invoke(app, ["export", "--db", db, "--format", fmt])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def pick(rows: list[dict[str, Any]], study: str, measure: str, arm: str = "A1") -> dict[str, Any]:
    (row,) = [r for r in rows if r["study"] == study and r["measure"] == measure and r["arm"] == arm]
    return row


def test_csv_header_and_one_row_per_item(db: str) -> None:
    result = runner.invoke(app, ["export", "--db", db])
    header = result.stdout.splitlines()[0].split(",")
    assert header[: len(REQUIRED)] == REQUIRED
    assert {"mean_est", "sd_est", "est_method", "est_flag", "agent", "item", "item_key"} <= set(header)
    rows = export(db, "csv")
    assert len(rows) == 18  # every response and outcome of the six studies
    row = pick(rows, "furie-2020", "overall", "A2")
    assert (row["arm_role"], row["kind"], row["events"], row["total"], row["time_weeks"]) == ("placebo", "response", "72", "224", "104.0")
    assert row["registry_ids"] == "NCT01639339" and row["source_page"] == "2"
    assert row["source_text"] == "At week 104, 72 of 224 patients on placebo had a renal response."
    assert row["curation"] == "extracted"


def test_median_iqr_and_range_are_converted_with_a_flag(db: str) -> None:
    rows = export(db, "csv")
    iqr = pick(rows, "deng-2017", "proteinuria_24h")  # q1 1.2, m 2.5, q3 4.1, n 30 (DOMAIN.md §6.2 vectors)
    assert (iqr["median"], iqr["q1"], iqr["q3"], iqr["mean"], iqr["sd"]) == ("2.5", "1.2", "4.1", "", "")
    assert float(iqr["mean_est"]) == pytest.approx(2.607, abs=0.001)
    assert float(iqr["sd_est"]) == pytest.approx(2.257, abs=0.001)
    assert iqr["est_method"] == "luo2018 mean, wan2014 sd from median and IQR"
    assert iqr["est_flag"] == "estimated-skewed"  # proteinuria is right-skewed
    rng = pick(rows, "wang-2014", "proteinuria_24h")  # a 0.8, m 2.5, b 9.6, n 12
    assert float(rng["mean_est"]) == pytest.approx(3.534, abs=0.001)
    assert float(rng["sd_est"]) == pytest.approx(2.691, abs=0.001)
    assert rng["est_method"] == "luo2018 mean, wan2014 sd from median and range"
    reported = pick(rows, "deng-2017", "egfr")
    assert (reported["mean"], reported["sd"], reported["mean_est"], reported["est_flag"]) == ("88.0", "12.0", "", "")


def test_estimates_use_the_arm_n_when_the_outcome_has_none_and_say_so() -> None:
    row = {"kind": "outcome", "measure": "c3", "median": 0.8, "q1": 0.6, "q3": 1.0, "n": None, "arm_n": 30}
    est = estimate(row)
    assert est["est_method"].endswith("(n of the arm)") and est["est_flag"] == "estimated"
    assert estimate({**row, "arm_n": None})["est_method"] == "not converted: median without n"
    assert estimate({"kind": "outcome", "measure": "c3", "mean": 1.0, "se": 0.1, "n": 25})["sd_est"] == pytest.approx(0.5)
    assert estimate({"kind": "outcome", "median": 3, "q1": 4, "q3": 2, "n": 10})["est_method"].startswith("not converted")


def test_metafor_columns_load_for_escalc(db: str) -> None:
    rows = export(db, "metafor")
    assert list(rows[0])[:6] == ["slab", "xi", "ni", "m1i", "sd1i", "n1i"]
    assert not {"study", "events", "total", "mean", "sd"} & set(rows[0])
    prop = next(r for r in rows if r["slab"] == "wang-2014" and r["measure"] == "major_clinical")
    assert (prop["xi"], prop["ni"], prop["m1i"]) == ("13", "40", "")
    mean = next(r for r in rows if r["slab"] == "deng-2017" and r["measure"] == "egfr")
    assert (mean["m1i"], mean["sd1i"], mean["n1i"], mean["xi"]) == ("88.0", "12.0", "12", "")
    converted = next(r for r in rows if r["slab"] == "deng-2017" and r["measure"] == "proteinuria_24h")
    assert float(converted["m1i"]) == pytest.approx(2.607, abs=0.001) and converted["n1i"] == "30"
    assert converted["est_flag"] == "estimated-skewed"


def test_curations_are_applied_and_rejected_rows_left_out(db: str) -> None:
    assert runner.invoke(app, ["curate", "furie", "responses:2", "--reject", "--db", db]).exit_code == 0
    assert runner.invoke(app, ["curate", "furie", "responses:1", "--set", "n=100", "--db", db]).exit_code == 0
    rows = export(db, "csv")
    furie = [r for r in rows if r["study"] == "furie-2020"]
    assert [(r["arm"], r["events"], r["curation"]) for r in furie] == [("A1", "100", "edited")]


def test_json_and_out_file(db: str, tmp_path: Path) -> None:
    out = tmp_path / "export.json"
    result = runner.invoke(app, ["export", "--db", db, "--format", "json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and "wrote 18 rows" in result.stderr
    data = json.loads(out.read_text())
    row = next(r for r in data if r["study"] == "deng-2017" and r["measure"] == "proteinuria_24h")
    assert row["q1"] == 1.2 and row["est_flag"] == "estimated-skewed" and row["registry_ids"] == "NCT01539902"


def test_export_to_a_missing_folder_fails_in_one_line(db: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "--db", db, "--out", str(tmp_path / "no" / "such.csv")])
    assert result.exit_code == 1 and result.stderr.startswith("error: ")
