"""``evidence compare``: studies side by side through the real CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from review_data import make_db
from typer.testing import CliRunner

from extractor.cli import app
from extractor.compare import compare_studies
from extractor.store.db import open_engine

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    return make_db(tmp_path)


def line_of(text: str, label: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(f"│ {label}"))


def test_compare_table(db: str) -> None:
    result = runner.invoke(app, ["compare", "deng-2017", "wang", "ranjbar", "--db", db], env={"COLUMNS": "220"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "3 studies compared" in out
    header = next(line for line in out.splitlines() if "deng-2017" in line and "wang-2014" in line)
    assert header.index("deng-2017") < header.index("wang-2014") < header.index("ranjbar-2022")
    assert "randomised, phase II, double" in line_of(out, "Design")
    n = line_of(out, "N ")
    assert "18" in n and "40" in n and "9" in n
    assert "III n=7, IV n=11" in line_of(out, "LN classes")
    assert "200000000 cells" in line_of(out, "Study dose") and "1000000 cells/kg iv × 2" in out
    # 12 months, 52 weeks: one row; each study in its own column
    overall = line_of(out, "overall @ 52 week / 12 month")
    cells = [c.strip() for c in overall.split("│")[2:-1]]
    assert cells == ["A1: 9/12 (75%)", "A1: 24/40 (60%)", "A1: 2/9 (22.2%)"]
    assert "A2: 5/6 (83.3%)" in out  # the placebo arm under deng's cell
    complete = [c.strip() for c in line_of(out, "complete @ 24 week / 6 month").split("│")[2:-1]]
    assert complete == ["—", "—", "A1: 3/9 (33.3%)"]
    assert "median 2.5 g/24h (IQR 1.2–4.1)" in out and "sledai @ baseline" in out


def test_compare_applies_curations(db: str) -> None:
    runner.invoke(app, ["curate", "wang", "responses:2", "--set", "n=20", "--db", db])
    runner.invoke(app, ["curate", "deng-2017", "responses:1", "--reject", "--db", db])
    comparison = compare_studies(open_engine(db), ["deng-2017", "wang-2014"])
    rows = {label: cells for _section, label, cells in comparison.rows}
    assert rows["overall @ 12 month"][0] == "A2: 5/6 (83.3%)"  # A1 rejected
    assert rows["overall @ 12 month"][1].startswith("A1: 20/40")


def test_compare_unknown_or_ambiguous_study(db: str) -> None:
    unknown = runner.invoke(app, ["compare", "deng-2017", "nope", "--db", db])
    assert unknown.exit_code == 1 and unknown.stderr.strip() == "error: no study 'nope' in the database"
    ambiguous = runner.invoke(app, ["compare", "deng", "wang", "--db", db])
    assert ambiguous.exit_code == 1 and "matches 2 studies" in ambiguous.stderr
