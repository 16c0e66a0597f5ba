"""``evidence meta``: store -> select -> one report per trial -> pooling, checked against a DL computed here."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from review_data import make_db
from scipy.stats import norm
from typer.testing import CliRunner

from extractor.cli import app

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    return make_db(tmp_path)


def meta_json(db: str, *args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["meta", "--db", db, "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def dersimonian_laird(y: list[float], v: list[float]) -> tuple[float, float, float, float, float]:
    """Textbook DL: (pooled, ci_low, ci_high, tau2, I2) on the analysis scale."""
    k = len(y)
    w = [1 / vi for vi in v]
    fixed = sum(wi * yi for wi, yi in zip(w, y)) / sum(w)
    q = sum(wi * (yi - fixed) ** 2 for wi, yi in zip(w, y))
    tau2 = max(0.0, (q - (k - 1)) / (sum(w) - sum(wi**2 for wi in w) / sum(w)))
    ws = [1 / (vi + tau2) for vi in v]
    mu = sum(wi * yi for wi, yi in zip(ws, y)) / sum(ws)
    se = math.sqrt(1 / sum(ws))
    z = norm.ppf(0.975)
    i2 = max(0.0, (q - (k - 1)) / q) if q > 0 else 0.0
    return mu, mu - z * se, mu + z * se, tau2, i2


def expit(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def logit_dl(counts: list[tuple[int, int]]) -> tuple[float, float, float, float, float]:
    y = [math.log(x / (n - x)) for x, n in counts]
    v = [1 / x + 1 / (n - x) for x, n in counts]
    mu, low, high, tau2, i2 = dersimonian_laird(y, v)
    return expit(mu), expit(low), expit(high), tau2, i2


# 12 months, ±25 %: deng-2019-followup replaces deng-2017 (same NCT, later); furie has only week 104 (its last)
AT_12_MONTHS = {"deng-2019-followup": (8, 12), "wang-2014": (24, 40), "ranjbar-2022": (2, 9), "li-2020": (14, 15), "furie-2020": (96, 224)}


def test_pooled_proportion_matches_an_independent_dersimonian_laird(db: str) -> None:
    data = meta_json(db, "--response", "overall", "--time", "12mo")
    assert {s["study"]: (s["events"], s["total"]) for s in data["studies"]} == AT_12_MONTHS
    assert data["k"] == 5
    p, low, high, tau2, i2 = logit_dl(list(AT_12_MONTHS.values()))
    assert tau2 > 0.1  # heterogeneous on purpose: the random effects matter
    assert data["pooled"]["proportion"] == pytest.approx(p, abs=0.01)
    assert data["pooled"]["ci_low"] == pytest.approx(low, abs=0.01)
    assert data["pooled"]["ci_high"] == pytest.approx(high, abs=0.01)
    assert data["tau2"] == pytest.approx(tau2, abs=0.01)
    assert data["i2"] == pytest.approx(i2, abs=0.01)
    times = {s["study"]: (s["time_value"], s["time_unit"]) for s in data["studies"]}
    assert times["li-2020"] == (48, "week") and times["furie-2020"] == (104, "week")


def test_one_trial_is_counted_once_and_the_output_says_so(db: str) -> None:
    data = meta_json(db, "--response", "overall")
    studies = [s["study"] for s in data["studies"]]
    assert "deng-2019-followup" in studies and "deng-2017" not in studies
    assert any("NCT01539902" in n and "counted once as deng-2019-followup" in n and "deng-2017" in n for n in data["notes"])
    text = runner.invoke(app, ["meta", "--db", db, "--response", "overall"], env={"COLUMNS": "200"})
    assert text.exit_code == 0, text.output
    assert "counted once" in text.stdout and "pooled proportion" in text.stdout and "prediction interval" in text.stdout
    assert "◆" in text.stdout and "τ²" in text.stdout and "I²" in text.stdout


def test_time_closest_within_window_else_last(db: str) -> None:
    data = meta_json(db, "--response", "overall", "--time", "26w")
    times = {s["study"]: (s["events"], s["total"], s["time_value"], s["time_unit"]) for s in data["studies"]}
    assert times["wang-2014"] == (24, 40, 6, "month")  # within ±25 % of 26 weeks
    assert times["ranjbar-2022"] == (2, 9, 52, "week")  # none near 26 weeks: its last
    assert times["furie-2020"] == (96, 224, 104, "week")


def test_curations_change_the_analysis(db: str) -> None:
    assert runner.invoke(app, ["curate", "li", "responses:1", "--reject", "--db", db]).exit_code == 0
    assert runner.invoke(app, ["curate", "wang", "responses:2", "--set", "n=30", "--db", db]).exit_code == 0
    data = meta_json(db, "--response", "overall", "--time", "12mo")
    expected = {**AT_12_MONTHS, "wang-2014": (30, 40)}
    del expected["li-2020"]
    assert {s["study"]: (s["events"], s["total"]) for s in data["studies"]} == expected
    assert data["pooled"]["proportion"] == pytest.approx(logit_dl(list(expected.values()))[0], abs=0.01)


def test_agent_filter(db: str) -> None:
    data = meta_json(db, "--response", "overall", "--agent", "umbilical")
    assert sorted(s["study"] for s in data["studies"]) == ["deng-2019-followup", "wang-2014"]


def test_compare_pools_rr_of_two_arm_studies(db: str) -> None:
    data = meta_json(db, "--response", "overall", "--time", "12mo", "--compare")
    pairs = {s["study"]: (s["events"], s["total"], s["events_c"], s["total_c"]) for s in data["studies"]}
    assert pairs == {"deng-2019-followup": (8, 12, 4, 6), "furie-2020": (96, 224, 72, 224)}
    y = [math.log((a / n1) / (c / n2)) for a, n1, c, n2 in pairs.values()]
    v = [1 / a - 1 / n1 + 1 / c - 1 / n2 for a, n1, c, n2 in pairs.values()]
    mu, low, high, tau2, _ = dersimonian_laird(y, v)
    assert data["measure"] == "RR"
    assert data["pooled"]["rr"] == pytest.approx(math.exp(mu), abs=0.01)
    assert data["pooled"]["ci_low"] == pytest.approx(math.exp(low), abs=0.01)
    assert data["pooled"]["ci_high"] == pytest.approx(math.exp(high), abs=0.01)
    assert any("wang-2014: no control/placebo arm" in n for n in data["notes"])
    odds = meta_json(db, "--response", "overall", "--compare", "--effect", "OR")
    assert odds["measure"] == "OR" and odds["k"] == 2


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_plot_file(db: str, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"forest{suffix}"
    result = runner.invoke(app, ["meta", "--db", db, "--response", "overall", "--plot", str(out)])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    if suffix == ".png":
        assert data.startswith(b"\x89PNG")
    else:
        assert b"<svg" in data


def test_pm_and_hksj_and_ft_run(db: str) -> None:
    pm = meta_json(db, "--response", "overall", "--method", "pm", "--hksj", "--transform", "ft")
    assert pm["method"] == "pm" and pm["hksj"] is True and pm["transform"] == "ft" and pm["k"] == 5
    dl = meta_json(db, "--response", "overall")
    assert pm["pooled"]["ci_high"] - pm["pooled"]["ci_low"] > dl["pooled"]["ci_high"] - dl["pooled"]["ci_low"]


def test_errors(db: str) -> None:
    nothing = runner.invoke(app, ["meta", "--db", db, "--response", "sri4"])
    assert nothing.exit_code == 1 and nothing.stderr.startswith("error: no 'sri4' response rows")
    ranged = runner.invoke(app, ["meta", "--db", db, "--response", "overall", "--time", "24w..52w"])
    assert ranged.exit_code == 2


def test_an_arm_reported_twice_without_time_counts_once(tmp_path: Path) -> None:
    from review_data import _resp, build

    from extractor.store.db import open_engine, save_record

    db = make_db(tmp_path, ["wang-2014", "li-2020"])
    spec = {
        "year": 2018, "registry_ids": [], "design": {"type": "single-arm"},
        "arms": [{"id": "A1", "label": "MSC", "n": 22, "role": "experimental"}], "cohort": {"n": 22},
        "ln_classes": [], "interventions": [],
        "items": [_resp("overall", "A1", None, 10, 20, "Ten of 20 evaluable patients responded.", "Ten of 20"),
                  _resp("overall", "A1", None, 11, 22, "Overall, 11 of 22 patients responded.", "11 of 22")],
    }  # fmt: skip
    document, record = build("dup-2018", spec)
    save_record(open_engine(db), document, record, rules_hash="test")
    data = meta_json(db, "--response", "overall")
    assert [(s["study"], s["events"], s["total"]) for s in data["studies"] if s["study"] == "dup-2018"] == [("dup-2018", 11, 22)]
    assert any(n.startswith("dup-2018: arm A1 has several rows") for n in data["notes"])
    assert data["k"] == 3
